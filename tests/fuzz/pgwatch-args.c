/* SPDX-License-Identifier: ISC */
/*
 * libFuzzer: the option value parsers (lag ranges, "BYTES and TIME",
 * -t DUR:STATE, -H/-p conninfo, lib/range.c with plain numbers), the LSN
 * parser and the sample row parser.  The first byte picks the parser; the rest is the input (row
 * columns split on '|', "~" standing for SQL NULL).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "args.h"
#include "plugin.h"
#include "range.h"
#include "sample.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static void
fuzz_row(char *s)
{
	const char *col[SAMPLE_NCOLS + 4];
	struct sample out;
	char err[128], *p = s, *bar;
	int n = 0;

	while (n < SAMPLE_NCOLS + 4) {
		bar = strchr(p, '|');
		if (bar)
			*bar = '\0';
		col[n++] = strcmp(p, "~") == 0 ? NULL : p;
		if (bar == NULL)
			break;
		p = bar + 1;
	}
	sample_parse(col, n, &out, err, sizeof(err));
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	struct cond c;
	char *s, err[160], addr[64];
	uint64_t v;
	uint16_t port;
	long n;
	int set;

	if (len < 1 || len > 4096)
		return 0;
	if ((s = malloc(len)) == NULL)
		return 0;
	memcpy(s, data + 1, len - 1);
	s[len - 1] = '\0';
	memset(&c, 0, sizeof(c));
	switch (data[0] % 11) {
	case 0: args_size(s, &v, err, sizeof(err)); break;
	case 1: args_lag(s, &c.c_lag, err, sizeof(err)); break;
	case 2: args_expect(s, &c, err, sizeof(err)); break;
	case 3: args_count(s, &n, err, sizeof(err)); break;
	case 4: args_listen(s, addr, sizeof(addr), &port, err, sizeof(err));
		break;
	case 5: args_query_lag(s, &v, &set); break;
	case 6: sample_lsn(s, &v); sample_reason(s); break;
	case 7: {
		struct range r;

		if (range_parse(s, range_number, NULL, &r, err,
		    sizeof(err)) == 0) {
			range_alert(&r, 1.5);
			range_format(&r, addr, sizeof(addr));
		}
		break;
	}
	case 8: {
		int st;

		plugin_timeout(s, &v, &st, err, sizeof(err));
		break;
	}
	case 9: {
		const char *kv[] = { "host", s, "port", s, NULL };

		args_conninfo(s, kv, addr, sizeof(addr), err, sizeof(err));
		break;
	}
	default: fuzz_row(s); break;
	}
	free(s);
	return 0;
}
