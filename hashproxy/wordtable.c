/* SPDX-License-Identifier: ISC */
/* A word's value in a short table; a name's place in an array (wordtable.h). */
#include <string.h>

#include "wordtable.h"

int
hp_word(const struct hp_word *t, size_t n, const char *name)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(name, t[i].w_name) == 0)
			return t[i].w_val;
	return -1;
}

int
hp_named(const void *v, int n, size_t size, size_t off, const char *name)
{
	const char *elem = v;
	int i;

	for (i = 0; i < n; i++, elem += size)
		if (strcmp(elem + off, name) == 0)
			return i;
	return -1;
}
