/* SPDX-License-Identifier: ISC */
/*
 * libFuzzer: the PROXY header reader (proxyproto.c) on arbitrary first
 * bytes of a connection.  What it takes must be within them, and must
 * say what it would write itself.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "proxyproto.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pp_info pi, again;
	unsigned char b[PP_BUILD_MAX];
	size_t n;
	int r;

	r = pp_parse(data, size, &pi);
	if (r > (int)size)
		abort();
	if (r <= 0 || pi.pp_local)
		return 0;
	/* what it read, written back, reads the same */
	n = pp_build(b, pi.pp_version, &pi.pp_src.sa, &pi.pp_dst.sa);
	if (pp_parse(b, n, &again) != (int)n || again.pp_local ||
	    memcmp(&again.pp_src, &pi.pp_src, sizeof(pi.pp_src)) != 0 ||
	    memcmp(&again.pp_dst, &pi.pp_dst, sizeof(pi.pp_dst)) != 0)
		abort();
	return 0;
}
