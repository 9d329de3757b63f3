/* SPDX-License-Identifier: ISC */
/*
 * libFuzzer: one stream line as a peer might send it.  Property: a record
 * accepted is canonical and formats back to the very same line.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "record.h"
#include "proto.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct proto_msg m;
	char err[256], line[PROTO_LINE_MAX + 2];
	int n;

	if (proto_parse((const char *)data, size, &m, err, sizeof(err)) == -1)
		return 0;
	if (m.pm_type == PM_RECORD) {
		n = proto_record(line, sizeof(line), m.pm_seq, m.pm_rec,
		    m.pm_reclen);
		if (n < 0 || (size_t)n != size + 1 ||
		    memcmp(line, data, size) != 0)
			abort();
	}
	return 0;
}
