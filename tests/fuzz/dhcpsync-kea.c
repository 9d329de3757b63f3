/* SPDX-License-Identifier: ISC */
/*
 * libFuzzer: a reply as a Kea control socket might send it.  Properties:
 * the result is one of the three kea_result promises, and the reason is
 * one printable line without '"' or '\\', within its buffer.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "kea-ctl.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *reply, why[64];
	size_t i, n;
	int r;

	if ((reply = malloc(size + 1)) == NULL)
		return 0;
	memcpy(reply, data, size);
	reply[size] = '\0';
	r = kea_result(reply, size > 0 && data[0] & 1);
	if (r != 0 && r != -1 && r != KEA_REFUSED)
		abort();
	memset(why, 'x', sizeof(why));
	kea_reason(reply, why, sizeof(why));
	n = strnlen(why, sizeof(why));
	if (n == sizeof(why))
		abort();
	for (i = 0; i < n; i++)
		if (why[i] == '"' || why[i] == '\\' ||
		    (unsigned char)why[i] < 0x20 ||
		    why[i] == 0x7f)
			abort();
	free(reply);
	return 0;
}
