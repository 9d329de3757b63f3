/* SPDX-License-Identifier: ISC */
/* libFuzzer: script strings into words (vrrpd/words.c). */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "words.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char in[1100], buf[1100], err[128], *av[WORDS_MAX + 1];
	int n, i;

	if (size >= sizeof(in))
		return 0;
	memcpy(in, data, size);
	in[size] = '\0';
	n = words_split(in, buf, sizeof(buf), av, WORDS_MAX, err, sizeof(err));
	if (n >= WORDS_MAX || (n >= 0 && av[n] != NULL))
		__builtin_trap();
	for (i = 0; i < n; i++)
		if (av[i] < buf || av[i] >= buf + sizeof(buf) ||
		    strlen(av[i]) >= sizeof(buf))
			__builtin_trap();
	return 0;
}
