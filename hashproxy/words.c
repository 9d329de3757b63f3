/* SPDX-License-Identifier: ISC */
/* A word's value in a short table (words.h). */
#include <string.h>

#include "words.h"

int
hp_word(const struct hp_word *t, size_t n, const char *name)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(name, t[i].w_name) == 0)
			return t[i].w_val;
	return -1;
}
