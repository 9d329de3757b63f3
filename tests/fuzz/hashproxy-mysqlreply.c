/* SPDX-License-Identifier: ISC */
/*
 * libFuzzer: what a MySQL server answers option mysql-check
 * (mysqlreply.c).  The first byte's low bit says whether the check
 * waits for the greeting or for the packet after it; the rest is what
 * came.  The text must lie in it; a whole packet stays whole as more
 * bytes come.
 */
#include <stdint.h>
#include <stdlib.h>

#include "mysqlreply.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct mysqlreply mr, half;
	enum mysqlreply_st st, half_st;
	int second;

	if (size < 1)
		return 0;
	second = data[0] & 1;
	data++;
	size--;
	st = mysqlreply_parse(data, size, second, &mr);
	if (mr.mr_textlen > 0 && (mr.mr_text < data ||
	    mr.mr_text + mr.mr_textlen > data + size))
		abort();
	if (st == MR_SHORT && mr.mr_textlen != 0)
		abort();
	if ((half_st = mysqlreply_parse(data, size / 2, second, &half)) !=
	    MR_SHORT && half_st != st)
		abort();
	return 0;
}
