/* SPDX-License-Identifier: ISC */
/*
 * A server's reply to an HTTP health check, as far as it has come: is it
 * complete for what the check looks at, its status code and reason, its
 * header lines, its body; or why it is not HTTP.  Pure functions over the
 * received bytes (no server, no I/O), so they are also the fuzz target
 * (tests/fuzz/hashproxy-httpreply.c).  check-http.c judges the reply.
 */
#ifndef HP_HTTPREPLY_H
#define HP_HTTPREPLY_H

#include <stddef.h>

enum httpreply_st {
	HR_READY = 0,		/* the status line and headers are in */
	HR_MORE,		/* wait for more bytes */
	HR_EMPTY,		/* nothing came */
	HR_NOLINE,		/* no line end before the end: no status line */
	HR_NOTHTTP,		/* the first line is not "HTTP/x.y code" */
	HR_BADHEADER,		/* a header line is not "name:", the
				   headers did not end before the reply, or
				   a Transfer-Encoding other than chunked */
	HR_BADLENGTH		/* a Content-Length that is not one number,
				   or a chunk that is not one */
};

/* Spans point into the bytes parsed; none is NUL-terminated. */
struct httpreply {
	int		 hr_code;
	const char	*hr_reason;	/* the reason phrase, without NUL */
	size_t		 hr_reasonlen;
	const char	*hr_hdrs;	/* the lines after the status line */
	size_t		 hr_hlen;
	const unsigned char *hr_body;	/* in the bytes, or out if chunked */
	size_t		 hr_blen;
	int		 hr_partial;	/* more of the body may come */
};

/* One header line: its name (as sent) and value (untrimmed). */
struct httpfield {
	const char	*hf_name;
	size_t		 hf_nlen;
	const char	*hf_value;
	size_t		 hf_vlen;
};

/*
 * Parses the len bytes at buf (NULL if len is 0), last if no more will
 * come (the server closed, or the buffer is full).  A chunked body's
 * data are put back together in out (its first outsize bytes).
 * HR_READY fills rp, HR_MORE asks for more bytes, the others say why it
 * is not a reply (haproxy 2.6 gives the same words for all: an invalid
 * response).
 */
enum httpreply_st httpreply_parse(const unsigned char *buf, size_t len,
	    int last, unsigned char *out, size_t outsize, struct httpreply *rp);
/* The next header line from *off (0 first), its folded lines left out:
 * 0 at the end. */
int	httpreply_header(const struct httpreply *, size_t *off,
	    struct httpfield *);
/*
 * The next element of a comma-separated value from *v up to end (the
 * whole value if whole), without the blanks around it; *v is NULL after
 * the last.  An empty value has one empty element.  0 when none is left.
 */
int	httpreply_elem(const char **v, const char *end, int whole,
	    const char **elem, size_t *len);

#endif
