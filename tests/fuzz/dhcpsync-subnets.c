/* SPDX-License-Identifier: ISC */
/*
 * libFuzzer: the dhcpd.conf subnet reader.  Properties: it never crashes;
 * on success every entry is a network with a contiguous mask that
 * matches its own address; on failure the message names the file.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "subnets.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct subnets s = { NULL, 0, 0 };
	char err[512];
	size_t i;
	uint32_t m;
	int n;

	n = subnets_parse_conf(&s, (const char *)data, size, "f", NULL, NULL,
	    err, sizeof(err));
	if (n == -1 && strncmp(err, "f:", 2) != 0)
		abort();
	if (n >= 0 && (size_t)n != s.ss_n)
		abort();
	for (i = 0; n >= 0 && i < s.ss_n; i++) {
		m = s.ss_v[i].sn_mask;
		if ((s.ss_v[i].sn_net & ~m) || (~m & (~m + 1)) ||
		    !subnets_match(&s, s.ss_v[i].sn_net))
			abort();
	}
	subnets_free(&s);
	return 0;
}
