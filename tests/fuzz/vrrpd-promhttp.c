/* SPDX-License-Identifier: ISC */
/*
 * The scrape endpoint's request line (lib/promhttp.c), as a client sends
 * it: any bytes, the answer one of four statuses.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "promhttp.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	int head, st;

	st = promhttp_parse((const char *)data, size, &head);
	if (st != 200 && st != 400 && st != 404 && st != 405)
		abort();
	if (head && st != 200)
		abort();
	return 0;
}
