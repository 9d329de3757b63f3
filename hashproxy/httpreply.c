/* SPDX-License-Identifier: ISC */
/*
 * An HTTP health check's reply, read as haproxy 2.6's checks read it
 * (hashproxy's check results and texts are compared with its): the
 * status line as soon as its line end is in, then, if the check looks
 * further, the headers up to the empty line and the body up to
 * Content-Length or the end.  Every read stays inside the bytes given:
 * they come from the network and have no NUL after them.
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

/* Where the body starts, 0 while the headers are not all in. */
static size_t
hr_body_start(const unsigned char *buf, size_t len)
{
	const unsigned char *e = memmem(buf, len, "\r\n\r\n", 4);

	if (e != NULL)
		return (size_t)(e - buf) + 4;
	if ((e = memmem(buf, len, "\n\n", 2)) != NULL)
		return (size_t)(e - buf) + 2;
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
httpreply_parse(const unsigned char *buf, size_t len, int want, int last,
    struct httpreply *rp)
{
	const unsigned char *nl = len > 0 ? memchr(buf, '\n', len) : NULL;
	long long cl = -1;
	size_t body;

	memset(rp, 0, sizeof(*rp));
	if (nl == NULL)
		return !last ? HR_MORE : len == 0 ? HR_EMPTY : HR_NOLINE;
	/* a bad status line fails at once, as haproxy's does */
	if (hr_status_line(buf, (size_t)(nl - buf), rp) == -1)
		return HR_NOTHTTP;
	body = hr_body_start(buf, len);
	if (want != 0 && body == 0 && !last)
		return HR_MORE;
	rp->hr_hdrs = (const char *)nl + 1;
	rp->hr_hlen = (body != 0 ? body : len) - (size_t)(nl + 1 - buf);
	/* haproxy refuses a reply whose length is not clear, even when
	 * the check looks at the status alone */
	if (body != 0 && hr_content_length(rp, &cl) == -1)
		return HR_BADLENGTH;
	/* without a length, the body ends with the connection */
	if ((want & HR_WANT_BODY) && !last && (cl < 0 ||
	    (unsigned long long)(len - body) < (unsigned long long)cl))
		return HR_MORE;
	if (body == 0)
		body = len;
	rp->hr_body = buf + body;
	rp->hr_blen = len - body;
	return HR_COMPLETE;
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
