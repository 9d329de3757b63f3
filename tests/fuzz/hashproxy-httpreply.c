/* SPDX-License-Identifier: ISC */
/*
 * libFuzzer: a server's reply to an HTTP health check (httpreply.c), as
 * it may come off the network.  The first byte says whether more may
 * come (bit 2) and where the first read ends (bits 3-7, in 32nds of the
 * reply); the other bytes are the reply.  Every span must lie in the reply, and what the first
 * read decided must hold for the whole.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "httpreply.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static void
in_reply(const void *p, size_t n, const uint8_t *buf, size_t len)
{
	if (n > 0 && ((const uint8_t *)p < buf ||
	    (const uint8_t *)p + n > buf + len))
		abort();
}

/* Reads every header and every element of its value, as checks do. */
static void
walk(const struct httpreply *rp, const uint8_t *buf, size_t len,
    const uint8_t *out, size_t outsize)
{
	struct httpfield f;
	const char *v, *e;
	size_t off = 0, n, prev = 0;
	int whole;

	in_reply(rp->hr_reason, rp->hr_reasonlen, buf, len);
	in_reply(rp->hr_hdrs, rp->hr_hlen, buf, len);
	if (rp->hr_body != out)
		in_reply(rp->hr_body, rp->hr_blen, buf, len);
	else if (rp->hr_blen > outsize)
		abort();
	if (memchr(rp->hr_reason, '\n', rp->hr_reasonlen) != NULL ||
	    memchr(rp->hr_reason, '\r', rp->hr_reasonlen) != NULL)
		abort();
	while (httpreply_header(rp, &off, &f)) {
		if (off <= prev && prev != 0)
			abort();
		prev = off;
		in_reply(f.hf_name, f.hf_nlen, (const uint8_t *)rp->hr_hdrs,
		    rp->hr_hlen);
		in_reply(f.hf_value, f.hf_vlen, (const uint8_t *)rp->hr_hdrs,
		    rp->hr_hlen);
		if (memchr(f.hf_name, ':', f.hf_nlen) != NULL)
			abort();
		for (whole = 0; whole < 2; whole++) {
			v = f.hf_value;
			while (httpreply_elem(&v, f.hf_value + f.hf_vlen, whole,
			    &e, &n))
				in_reply(e, n, (const uint8_t *)f.hf_value,
				    f.hf_vlen);
		}
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct httpreply rp, first;
	uint8_t *part, *out;
	size_t outsize;
	enum httpreply_st st, st1;
	int last;
	size_t cut;

	if (size < 1)
		return 0;
	last = (data[0] >> 2) & 1;
	cut = (size - 1) * (data[0] >> 3) / 32;
	data++;
	size--;
	/* the first read (more comes), in a buffer of its size: ASan
	 * sees a read past it */
	if ((part = malloc(cut > 0 ? cut : 1)) == NULL)
		return 0;
	memcpy(part, data, cut);
	/* a chunked body's buffer, of a size the reply picks */
	outsize = size / 2;
	if ((out = malloc(outsize > 0 ? outsize : 1)) == NULL) {
		free(part);
		return 0;
	}
	st1 = httpreply_parse(cut > 0 ? part : NULL, cut, 0, out, outsize,
	    &first);
	if (st1 == HR_EMPTY || st1 == HR_NOLINE)
		abort();
	if (st1 == HR_READY)
		walk(&first, part, cut, out, outsize);
	free(part);
	st = httpreply_parse(size > 0 ? data : NULL, size, last, out, outsize,
	    &rp);
	if (st == HR_READY)
		walk(&rp, data, size, out, outsize);
	free(out);
	if (!last && (st == HR_EMPTY || st == HR_NOLINE))
		abort();
	/* what the first read decided holds for the whole */
	if (st1 != HR_MORE && st1 != HR_READY && st != st1)
		abort();
	/* (a status check is judged before a later chunk is refused) */
	if (st1 == HR_READY && st != HR_BADLENGTH && (st != HR_READY ||
	    rp.hr_code != first.hr_code || rp.hr_hlen != first.hr_hlen))
		abort();
	/* a body that was whole stays whole */
	if (st1 == HR_READY && !first.hr_partial && (st != HR_READY ||
	    rp.hr_partial))
		abort();
	return 0;
}
