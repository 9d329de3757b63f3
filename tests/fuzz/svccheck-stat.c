/* SPDX-License-Identifier: ISC */
/* libFuzzer: the /proc/PID/stat line parser. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "match.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	struct procstat st;
	char err[128];

	if (match_stat_parse((const char *)data, len, &st, err,
	    sizeof(err)) == 0 && strlen(st.ps_comm) > MATCH_COMMLEN)
		__builtin_trap();
	return 0;
}
