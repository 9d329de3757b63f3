/* SPDX-License-Identifier: ISC */
/*
 * An HTTP health check's reply, read as haproxy 2.6's checks read it
 * (hashproxy's check results and texts are compared with its): the
 * status line, the headers up to the first empty line (LF or CRLF line
 * ends), then the body so far, which ends at its Content-Length, its
 * last chunk, or the end.  What haproxy's H1 parser refuses is an invalid response as
 * soon as it is in.  Every read stays inside the bytes given: they come
 * from the network and have no NUL after them.
 */
#include <limits.h>
#include <string.h>
#include <strings.h>

#include "httpreply.h"

static int
hr_blank(unsigned char c)
{
	return c == ' ' || c == '\t';
}

static int
hr_digit(unsigned char c)
{
	return c >= '0' && c <= '9';
}

/*
 * The status line (n bytes, without its LF) as haproxy 2.6's H1 parser
 * takes it: "HTTP/" digit "." digit, blanks, the code's digits, then
 * blanks and the reason, or the line end; -1 if it is not one.  haproxy
 * keeps the code in 16 bits: "HTTP/1.1 65736" is a 200 to it, so here.
 */
static int
hr_status_line(const unsigned char *buf, size_t n, struct httpreply *rp)
{
	unsigned int code = 0;
	size_t i = 8, end = n;

	if (n < 8 || memcmp(buf, "HTTP/", 5) != 0 || !hr_digit(buf[5]) ||
	    buf[6] != '.' || !hr_digit(buf[7]))
		return -1;
	if (end > 0 && buf[end - 1] == '\r')
		end--;
	if (i == end || !hr_blank(buf[i]) ||
	    memchr(buf, '\r', end) != NULL)
		return -1;
	while (i < end && hr_blank(buf[i]))
		i++;
	if (i == end || !hr_digit(buf[i]))
		return -1;
	for (; i < end && hr_digit(buf[i]); i++)
		code = (code * 10 + (unsigned int)(buf[i] - '0')) & 0xffff;
	if (i < end && !hr_blank(buf[i]))
		return -1;
	while (i < end && hr_blank(buf[i]))
		i++;
	rp->hr_code = (int)code;
	/* up to a NUL: haproxy's text (last_chk) ends there */
	rp->hr_reason = (const char *)buf + i;
	for (; i < end && buf[i] != '\0'; i++)
		rp->hr_reasonlen++;
	return 0;
}

/* A header name's byte: an RFC 9110 tchar. */
static int
hr_tchar(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    hr_digit(c) || (c != '\0' && strchr("!#$%&'*+-.^_`|~", c) != NULL);
}

/* A header line (without its line end) haproxy takes: a name, a colon;
 * or a value continued (obs-fold) after the first. */
static int
hr_header_ok(const unsigned char *h, size_t n, int first)
{
	size_t i;

	if (n > 0 && hr_blank(h[0]))
		return !first;
	for (i = 0; i < n && hr_tchar(h[i]); i++)
		;
	return i > 0 && i < n && h[i] == ':';
}

/*
 * The header lines from off on, up to the first empty line: where the
 * body starts, 0 while the empty line has not come, -1 at a line haproxy
 * refuses (it says so as soon as the line is in).
 */
static long
hr_headers(const unsigned char *buf, size_t len, size_t off)
{
	const unsigned char *eol;
	size_t n;
	int first = 1;

	for (; off < len; off += n + 1, first = 0) {
		if ((eol = memchr(buf + off, '\n', len - off)) == NULL)
			return 0;
		n = (size_t)(eol - (buf + off));
		if (n == 0 || (n == 1 && buf[off] == '\r'))
			return (long)(off + n + 1);
		if (!hr_header_ok(buf + off, buf[off + n - 1] == '\r' ? n - 1 :
		    n, first))
			return -1;
	}
	return 0;
}

/*
 * One Content-Length value as haproxy 2.6 takes it: numbers, comma-
 * separated, all the same, blanks around them; into *cl (none yet: -1).
 * -1 if it is not one, or another value than *cl.
 */
static int
hr_length_value(const char *v, size_t n, long long *cl)
{
	const char *end = v + n, *e;
	unsigned long long x;
	size_t len;

	while (httpreply_elem(&v, end, 0, &e, &len)) {
		if (len == 0)
			return -1;
		for (x = 0; len > 0; e++, len--) {
			if (*e < '0' || *e > '9' || x > LLONG_MAX / 10 ||
			    x * 10 + (unsigned)(*e - '0') > LLONG_MAX)
				return -1;
			x = x * 10 + (unsigned)(*e - '0');
		}
		if (*cl != -1 && (unsigned long long)*cl != x)
			return -1;
		*cl = (long long)x;
	}
	return 0;
}

/* Whether the headers ask for a chunked body: 1 yes, 0 no Transfer-
 * Encoding, -1 any other (haproxy 2.6 refuses "gzip", "gzip, chunked",
 * "chunked, chunked"). */
static int
hr_chunked(const struct httpreply *rp)
{
	struct httpfield f;
	size_t off = 0, len;
	const char *v, *e;
	int n = 0;

	while (httpreply_header(rp, &off, &f)) {
		if (f.hf_nlen != 17 ||
		    strncasecmp(f.hf_name, "transfer-encoding", 17) != 0)
			continue;
		v = f.hf_value;
		while (httpreply_elem(&v, f.hf_value + f.hf_vlen, 0, &e, &len))
			if (len != 7 || strncasecmp(e, "chunked", 7) != 0 ||
			    n++ > 0)
				return -1;
	}
	return n;
}

static int
hr_hex(unsigned char c)
{
	if (hr_digit(c))
		return c - '0';
	if ((c | 0x20) >= 'a' && (c | 0x20) <= 'f')
		return (c | 0x20) - 'a' + 10;
	return -1;
}

/* A chunk-size line of n bytes: hex digits, blanks, maybe ";" and an
 * extension; -1 if not. */
static long long
hr_chunk_size(const unsigned char *p, size_t n)
{
	unsigned long long size = 0;
	size_t i;

	for (i = 0; i < n && hr_hex(p[i]) != -1; i++) {
		if (size > (unsigned long long)LLONG_MAX >> 4)
			return -1;
		size = size << 4 | (unsigned)hr_hex(p[i]);
	}
	if (i == 0)
		return -1;
	while (i < n && hr_blank(p[i]))
		i++;
	return i == n || p[i] == ';' ? (long long)size : -1;
}

/*
 * A chunked body from off on, its data put back together in out (the
 * first outsize bytes: a check looks no further, as haproxy's buffer),
 * their length in *olen: 1 the last chunk and the trailers are in, 0 not
 * yet, -1 a chunk or trailer haproxy refuses (as soon as it is in).
 */
static int
hr_chunks(const unsigned char *buf, size_t len, size_t off,
    unsigned char *out, size_t outsize, size_t *olen)
{
	const unsigned char *eol;
	long long size;
	size_t n, take;
	long tr;

	for (*olen = 0;;) {
		if ((eol = memchr(buf + off, '\n', len - off)) == NULL)
			return 0;
		n = (size_t)(eol - (buf + off));
		if ((size = hr_chunk_size(buf + off, n > 0 &&
		    buf[off + n - 1] == '\r' ? n - 1 : n)) == -1)
			return -1;
		off += n + 1;
		if (size == 0) {
			/* the trailers are header lines, up to an empty one */
			if ((tr = hr_headers(buf, len, off)) == -1)
				return -1;
			return tr > 0;
		}
		take = len - off < (unsigned long long)size ? len - off :
		    (size_t)size;
		n = outsize - *olen < take ? outsize - *olen : take;
		if (n > 0)
			memcpy(out + *olen, buf + off, n);
		*olen += n;
		if (take < (unsigned long long)size)
			return 0;
		off += take;
		/* the data's line end */
		if (off < len && buf[off] == '\r')
			off++;
		if (off == len)
			return 0;
		if (buf[off++] != '\n')
			return -1;
	}
}

/* The headers' Content-Length (-1 if none); -1 if one is not valid. */
static int
hr_content_length(const struct httpreply *rp, long long *cl)
{
	struct httpfield f;
	size_t off = 0;

	*cl = -1;
	while (httpreply_header(rp, &off, &f))
		if (f.hf_nlen == 14 &&
		    strncasecmp(f.hf_name, "content-length", 14) == 0 &&
		    hr_length_value(f.hf_value, f.hf_vlen, cl) == -1)
			return -1;
	return 0;
}

enum httpreply_st
httpreply_parse(const unsigned char *buf, size_t len, int last,
    unsigned char *out, size_t outsize, struct httpreply *rp)
{
	const unsigned char *nl = len > 0 ? memchr(buf, '\n', len) : NULL;
	long long cl = -1;
	size_t body;
	long hb;
	int chunked, c;

	memset(rp, 0, sizeof(*rp));
	if (nl == NULL)
		return !last ? HR_MORE : len == 0 ? HR_EMPTY : HR_NOLINE;
	/* a bad status line fails at once, as haproxy's does */
	if (hr_status_line(buf, (size_t)(nl - buf), rp) == -1)
		return HR_NOTHTTP;
	/* haproxy reads the whole header block, whatever the check
	 * looks at */
	if ((hb = hr_headers(buf, len, (size_t)(nl + 1 - buf))) == -1)
		return HR_BADHEADER;
	if (hb == 0)
		return last ? HR_BADHEADER : HR_MORE;
	body = (size_t)hb;
	rp->hr_hdrs = (const char *)nl + 1;
	rp->hr_hlen = body - (size_t)(nl + 1 - buf);
	/* haproxy refuses a reply whose length is not clear, even when
	 * the check looks at the status alone */
	if (hr_content_length(rp, &cl) == -1)
		return HR_BADLENGTH;
	/* a chunked body: what its chunks hold (its Content-Length, if
	 * any, does not count), checked as they come, as haproxy does */
	if ((chunked = hr_chunked(rp)) == -1)
		return HR_BADHEADER;
	if (chunked) {
		if ((c = hr_chunks(buf, len, body, out, outsize,
		    &rp->hr_blen)) == -1)
			return HR_BADLENGTH;
		rp->hr_body = out;
		rp->hr_partial = !last && c == 0;
		return HR_READY;
	}
	rp->hr_body = buf + body;
	rp->hr_blen = len - body;
	/* without a length, the body ends with the connection */
	rp->hr_partial = !last && (cl < 0 ||
	    (unsigned long long)rp->hr_blen < (unsigned long long)cl);
	return HR_READY;
}

int
httpreply_header(const struct httpreply *rp, size_t *off,
    struct httpfield *f)
{
	const char *h, *end = rp->hr_hdrs + rp->hr_hlen, *eol, *colon;
	size_t n;

	while (*off < rp->hr_hlen) {
		h = rp->hr_hdrs + *off;
		if ((eol = memchr(h, '\n', (size_t)(end - h))) == NULL)
			eol = end;
		*off = (size_t)(eol - rp->hr_hdrs) + (eol < end);
		n = (size_t)(eol - h);
		if (n > 0 && h[n - 1] == '\r')
			n--;
		/* a folded value's line is not a header of its own */
		if (n > 0 && hr_blank((unsigned char)h[0]))
			continue;
		if ((colon = memchr(h, ':', n)) == NULL)
			continue;
		f->hf_name = h;
		f->hf_nlen = (size_t)(colon - h);
		f->hf_value = colon + 1;
		f->hf_vlen = n - (size_t)(colon + 1 - h);
		return 1;
	}
	return 0;
}

int
httpreply_elem(const char **v, const char *end, int whole,
    const char **elem, size_t *len)
{
	const char *p = *v, *c = NULL;
	size_t n;

	if (p == NULL)
		return 0;
	if (!whole)
		c = memchr(p, ',', (size_t)(end - p));
	if (c == NULL)
		c = end;
	while (p < c && (*p == ' ' || *p == '\t'))
		p++;
	n = (size_t)(c - p);
	while (n > 0 && (p[n - 1] == ' ' || p[n - 1] == '\t'))
		n--;
	*elem = p;
	*len = n;
	*v = c == end ? NULL : c + 1;
	return 1;
}
