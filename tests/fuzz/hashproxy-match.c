/* SPDX-License-Identifier: ISC */
/*
 * libFuzzer: the health check matchers (check-match.c) on arbitrary
 * replies.  The first byte picks the match, the bytes up to the first NUL
 * are the pattern, the rest is what a server answered.
 */
#include <stdint.h>
#include <string.h>

#include "check.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cf_chkrule r;
	const uint8_t *nul;
	char err[128];
	size_t plen;

	if (size < 2)
		return 0;
	memset(&r, 0, sizeof(r));
	r.r_match = (enum cf_match)(data[0] % (M_RSTATUS + 1));
	r.r_inverse = data[0] >> 7;
	data++;
	size--;
	nul = memchr(data, '\0', size);
	plen = nul != NULL ? (size_t)(nul - data) : size;
	if (plen >= sizeof(r.r_data))
		return 0;
	memcpy(r.r_data, data, plen);
	r.r_data[plen] = '\0';
	r.r_len = plen;
	/* as config-check.c would have refused it */
	if ((r.r_match == M_RSTRING || r.r_match == M_RBINARY ||
	    r.r_match == M_RSTATUS) &&
	    !cf_regex_ok((const char *)r.r_data, err, sizeof(err)))
		return 0;
	data += plen;
	size -= plen;
	check_match(&r, data, size);
	check_status_in((const char *)r.r_data, size > 0 ? data[0] + 100 : 200);
	/* http-check expect hdr's name and value matches, on the same
	 * bytes: a regex only if it was one config-check.c takes */
	if (r.r_match != M_RSTRING && r.r_match != M_RBINARY &&
	    r.r_match != M_RSTATUS)
		check_hmatch((enum cf_hmatch)(r.r_match % HM_REG),
		    (const char *)r.r_data, (const char *)data, size,
		    r.r_inverse);
	else
		check_hmatch(HM_REG, (const char *)r.r_data,
		    (const char *)data, size, 0);
	return 0;
}
