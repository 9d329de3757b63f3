/* SPDX-License-Identifier: ISC */
/*
 * httpreply.c: when a check's reply is complete, its code, reason,
 * headers and body, and which replies are not HTTP.  Where a case says
 * "haproxy", the real haproxy 2.6.12 was asked: a server sent that reply
 * to its option httpchk (with and without "http-check expect string"),
 * and show stat's check_status, check_code and last_chk gave the
 * expectation; hashproxy's check turns the parser's answer into the same
 * three.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tap.h"
#include "httpreply.h"


/* The reply in a buffer of its own size: ASan sees a read past it. */
static enum httpreply_st
parse(const char *s, size_t len, int last, struct httpreply *rp)
{
	static unsigned char *buf, out[16];
	enum httpreply_st st;

	free(buf);
	buf = malloc(len > 0 ? len : 1);
	memcpy(buf, s, len);
	st = httpreply_parse(len > 0 ? buf : NULL, len, last, out, sizeof(out),
	    rp);
	return st;
}
#define PARSE(lit, last, rp) parse(lit, sizeof(lit) - 1, last, rp)

static int
span_is(const void *p, size_t n, const char *want)
{
	return n == strlen(want) && memcmp(p, want, n) == 0;
}

static void
test_complete(void)
{
	struct httpreply rp;

	is_int(PARSE("", 0, &rp), HR_MORE, "nothing yet: wait");
	/* haproxy: L7RSP, no info, for these two */
	is_int(PARSE("", 1, &rp), HR_EMPTY, "closed at once");
	is_int(PARSE("HTTP/1.1 200 O", 0, &rp), HR_MORE,
	    "no line end yet: wait");
	is_int(PARSE("HTTP/1.1 200 O", 1, &rp), HR_NOLINE,
	    "closed before the line end");
	/* haproxy: "HTTP/1.1 503 Down" and no more is L7TOUT */
	is_int(PARSE("HTTP/1.1 200 OK\r\nX-A: b\r\n", 0, &rp),
	    HR_MORE, "even a status check waits for the empty line (haproxy)");
	is_int(PARSE("HTTP/1.1 200 OK\r\nX-A: b\r\n\r\n", 0, &rp),
	    HR_READY, "which came");
	is_int(rp.hr_code, 200, "its code");
	ok(span_is(rp.hr_reason, rp.hr_reasonlen, "OK"), "its reason");
	ok(span_is(rp.hr_hdrs, rp.hr_hlen, "X-A: b\r\n\r\n"),
	    "the headers, with their empty line");
	/* haproxy: L7RSP, no info */
	is_int(PARSE("HTTP/1.1 200 OK\r\nX-A: b\r\n", 1, &rp),
	    HR_BADHEADER, "closed before the empty line (haproxy)");
	/* haproxy: "expect string ok" passes on a body of 10 bytes once
	 * its first two came, "expect string zz" waits for the rest */
	is_int(PARSE("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhel",
	    0, &rp), HR_READY, "the body so far");
	ok(span_is(rp.hr_body, rp.hr_blen, "hel") && rp.hr_partial,
	    "more of it may come (haproxy)");
	is_int(PARSE("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello",
	    0, &rp), HR_READY, "Content-Length bytes");
	ok(span_is(rp.hr_body, rp.hr_blen, "hello") && !rp.hr_partial,
	    "the whole body");
	ok(span_is(rp.hr_hdrs, rp.hr_hlen, "Content-Length: 5\r\n\r\n"),
	    "the headers, with their empty line");
	is_int(PARSE("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhel",
	    1, &rp), HR_READY, "what came before the close");
	ok(!rp.hr_partial, "is the whole body");
	is_int(PARSE("HTTP/1.0 200 OK\r\n\r\nok", 0, &rp), HR_READY,
	    "no length");
	ok(rp.hr_partial, "the body ends with the connection");
	is_int(PARSE("HTTP/1.0 200 OK\r\n\r\nok", 1, &rp), HR_READY,
	    "which it did");
	ok(span_is(rp.hr_body, rp.hr_blen, "ok") && !rp.hr_partial,
	    "the body");
}

/* One status line, sent as a whole reply with no body. */
static void
status_is(const char *line, int code, const char *reason)
{
	char buf[128];
	struct httpreply rp;
	int n = snprintf(buf, sizeof(buf), "%s\r\nContent-Length: 0\r\n\r\n",
	    line);

	if (code == -1) {
		is_int(parse(buf, (size_t)n, 1, &rp), HR_NOTHTTP,
		    "\"%s\": not a status line (haproxy)", line);
		return;
	}
	is_int(parse(buf, (size_t)n, 1, &rp), HR_READY,
	    "\"%s\": a status line (haproxy)", line);
	is_int(rp.hr_code, code, "\"%s\": code %d", line, code);
	ok(span_is(rp.hr_reason, rp.hr_reasonlen, reason),
	    "\"%s\": reason \"%s\"", line, reason);
}

/* haproxy's answers: L7STS with that code and reason, L7OK for a 2xx,
 * L7RSP with no info where it is not a status line */
static void
test_status_line(void)
{
	status_is("HTTP/1.1 200 OK", 200, "OK");
	status_is("HTTP/2.0 200 OK", 200, "OK");
	status_is("HTTP/0.9 200 OK", 200, "OK");
	status_is("HTTP/1.10 200 OK", -1, "");
	status_is("HTTP/11 200 OK", -1, "");
	status_is(" HTTP/1.1 200 OK", -1, "");
	status_is("HTTP/1.1 200OK", -1, "");
	status_is("HTTP/1.1 2000 OK", 2000, "OK");
	status_is("HTTP/1.1 5030 Down", 5030, "Down");
	status_is("HTTP/1.1 5 OK", 5, "OK");
	status_is("HTTP/1.1 099 X", 99, "X");
	status_is("HTTP/1.1 0 X", 0, "X");
	/* a code in 16 bits: 65736 is a 200, 70000 a 4464 */
	status_is("HTTP/1.1 65736 X", 200, "X");
	status_is("HTTP/1.1 70000 X", 4464, "X");
	status_is("HTTP/1.1 123456789012 X", 6676, "X");
	status_is("HTTP/1.1  200 OK", 200, "OK");
	status_is("HTTP/1.1\t200 OK", 200, "OK");
	status_is("HTTP/1.1 200\tOK", 200, "OK");
	status_is("HTTP/1.1 503  Two  Spaces ", 503, "Two  Spaces ");
	status_is("HTTP/1.1 503 A\rB", -1, "");
}

static void
test_not_http(void)
{
	struct httpreply rp;

	/* haproxy: L7RSP, no info */
	is_int(PARSE("hello there\n", 0, &rp), HR_NOTHTTP,
	    "garbage: not HTTP, before the end");
	is_int(PARSE("http/1.1 200 OK\r\n\r\n", 1, &rp), HR_NOTHTTP,
	    "a lower-case version (haproxy)");
	is_int(PARSE("HTTP/1.1\r\n\r\n", 1, &rp), HR_NOTHTTP,
	    "no code");
}

static void
test_content_length(void)
{
	struct httpreply rp;

	/* haproxy: L7RSP, no info, for both a status and a body check */
	is_int(PARSE("HTTP/1.1 200 OK\r\nContent-Length: 5junk\r\n\r\nhello", 0, &rp), HR_BADLENGTH, "Content-Length with junk (haproxy)");
	is_int(PARSE("HTTP/1.1 200 OK\r\nContent-Length: 5junk\r\n\r\nhello", 0, &rp), HR_BADLENGTH, "also when the body is looked at");
	is_int(PARSE("HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\nok",
	    0, &rp), HR_BADLENGTH, "a negative length (haproxy)");
	is_int(PARSE("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n"
	    "Content-Length: 10\r\n\r\nokok", 0, &rp), HR_BADLENGTH,
	    "two Content-Length headers that differ (haproxy)");
	is_int(PARSE("HTTP/1.1 200 OK\r\nContent-Length: 4\r\n"
	    "content-length: 4\r\n\r\nokok", 0, &rp), HR_READY,
	    "two that agree pass (haproxy)");
	ok(span_is(rp.hr_body, rp.hr_blen, "okok"), "the body");
	is_int(PARSE("HTTP/1.1 200 OK\r\nContent-Length: 4, 4\r\n\r\nok",
	    0, &rp), HR_READY, "a list of the same length");
	ok(rp.hr_partial, "is that length");
	is_int(PARSE("HTTP/1.1 200 OK\r\nContent-Length: 99999999999999999999"
	    "\r\n\r\nok", 0, &rp), HR_BADLENGTH, "a length past 2^63");
	is_int(PARSE("HTTP/1.1 200 OK\r\nX-Content-Length: 5junk\r\n\r\nok", 1, &rp), HR_READY, "another header's name ending so");
	is_int(PARSE("HTTP/1.1 200 OK\r\nContent-Length: x", 0, &rp),
	    HR_MORE, "a length not all in yet");
}

static void
test_headers(void)
{
	struct httpreply rp;
	struct httpfield f;
	size_t off;

	/* haproxy: L7RSP, no info, for each refused here */
	is_int(PARSE("HTTP/1.1 200 OK\r\nfoo\r\nContent-Length: 0\r\n\r\n", 0, &rp), HR_BADHEADER,
	    "a header line without a colon (haproxy)");
	is_int(PARSE("HTTP/1.1 200 OK\r\nX-A : b\r\nContent-Length: 0\r\n\r\n", 0, &rp), HR_BADHEADER, "a blank in a header name (haproxy)");
	is_int(PARSE("HTTP/1.1 200 OK\r\nfoo\r\n", 0, &rp), HR_BADHEADER,
	    "refused as soon as the line is in");
	is_int(PARSE("HTTP/1.1 200 OK\r\n: b\r\n\r\n", 0, &rp),
	    HR_BADHEADER, "an empty header name (haproxy)");
	is_int(PARSE("HTTP/1.1 200 OK\r\nX-A: b\r\n c: d\r\n\r\n", 0,
	    &rp), HR_READY, "a value folded on the next line (haproxy)");
	off = 0;
	ok(httpreply_header(&rp, &off, &f) && span_is(f.hf_name, f.hf_nlen,
	    "X-A"), "the header");
	ok(!httpreply_header(&rp, &off, &f),
	    "its folded line is not a header \"c\"");
	is_int(PARSE("HTTP/1.1 200 OK\r\n c\r\n\r\n", 0, &rp),
	    HR_BADHEADER, "but not before the first header (haproxy)");
	/* haproxy: "expect string a" passes; the body is not "cd" */
	is_int(PARSE("HTTP/1.0 200 OK\nX: y\n\nab\r\n\r\ncd", 1, &rp),
	    HR_READY, "LF line ends, a CRLF CRLF in the body");
	ok(span_is(rp.hr_body, rp.hr_blen, "ab\r\n\r\ncd"),
	    "the body starts after the first empty line (haproxy)");
}

/* haproxy's answers to "http-check expect string|rstring" on these */
static void
test_chunked(void)
{
	struct httpreply rp;

	is_int(PARSE("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
	    "2\r\nok\r\n3;ext=1\r\n!!!\r\n0\r\nX-T: y\r\n\r\n", 0, &rp),
	    HR_READY, "a chunked body: complete at its last chunk (haproxy)");
	ok(span_is(rp.hr_body, rp.hr_blen, "ok!!!"),
	    "its chunks' data, put together (haproxy: rstring ^ok!!!$)");
	ok(!rp.hr_partial, "and whole");
	is_int(PARSE("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
	    "2\r\nab\r\n", 0, &rp), HR_READY, "no last chunk yet");
	ok(span_is(rp.hr_body, rp.hr_blen, "ab") && rp.hr_partial,
	    "the data so far, more may come (haproxy: string ok waits)");
	is_int(PARSE("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
	    "2\r\nok\r\n3\r\n!!", 1, &rp), HR_READY,
	    "closed in a chunk: what came (haproxy)");
	ok(span_is(rp.hr_body, rp.hr_blen, "ok!!"), "the data so far");
	is_int(PARSE("HTTP/1.1 200 OK\r\nTransfer-Encoding: Chunked\r\n\r\n"
	    "A\r\n0123456789\r\n0\r\n\r\n", 0, &rp), HR_READY,
	    "Chunked, a size in hex (haproxy)");
	ok(span_is(rp.hr_body, rp.hr_blen, "0123456789"), "ten bytes");
	is_int(PARSE("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
	    "2 \nok\n0\n\n", 0, &rp), HR_READY,
	    "LF line ends, a blank after the size (haproxy)");
	ok(span_is(rp.hr_body, rp.hr_blen, "ok"), "the data");
	is_int(PARSE("HTTP/1.1 200 OK\r\nContent-Length: 3\r\n"
	    "Transfer-Encoding: chunked\r\n\r\n2\r\nok\r\n0\r\n\r\n", 0,
	    &rp), HR_READY, "chunked wins over Content-Length (haproxy)");
	ok(span_is(rp.hr_body, rp.hr_blen, "ok"), "the data (rstring ^ok$)");
	is_int(PARSE("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
	    "14\r\n0123456789abcdefghij\r\n0\r\n\r\n", 0, &rp),
	    HR_READY, "more data than the check's buffer");
	is_int(rp.hr_blen, 16, "the buffer's worth");
	/* haproxy: L7RSP, no info, for a status check too */
	is_int(PARSE("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
	    "zz\r\nok\r\n0\r\n\r\n", 0, &rp), HR_BADLENGTH,
	    "a chunk size that is not hex (haproxy)");
	is_int(PARSE("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
	    "2\r\nokXX0\r\n\r\n", 0, &rp), HR_BADLENGTH,
	    "data longer than its size (haproxy)");
	is_int(PARSE("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
	    "2\r\nok\r\n0\r\nbad trailer\r\n\r\n", 0, &rp), HR_BADLENGTH,
	    "a trailer that is not a header (haproxy)");
	is_int(PARSE("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
	    "fffffffffffffffff\r\n", 0, &rp), HR_BADLENGTH,
	    "a size past 2^63");
	is_int(PARSE("HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\nok", 1, &rp), HR_BADHEADER, "gzip (haproxy)");
	is_int(PARSE("HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, chunked\r\n"
	    "\r\n2\r\nok\r\n0\r\n\r\n", 0, &rp), HR_BADHEADER,
	    "gzip, chunked (haproxy)");
	is_int(PARSE("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked, chunked\r\n"
	    "\r\n2\r\nok\r\n0\r\n\r\n", 0, &rp), HR_BADHEADER,
	    "chunked, chunked (haproxy)");
}

static void
test_reason(void)
{
	struct httpreply rp;

	/* haproxy: "Layer7 wrong status, code: 503" */
	is_int(PARSE("HTTP/1.1 503\r\nContent-Length: 0\r\n\r\n", 0, &rp),
	    HR_READY, "no reason phrase");
	is_int(rp.hr_code, 503, "the code");
	is_int(rp.hr_reasonlen, 0, "an empty reason (haproxy)");
	is_int(PARSE("HTTP/1.1 503 \r\n\r\n", 0, &rp), HR_READY,
	    "a space and no reason");
	is_int(rp.hr_reasonlen, 0, "an empty reason (haproxy)");
	/* haproxy: "Layer7 wrong status, code: 503, info: Ser" */
	is_int(PARSE("HTTP/1.1 503 Ser\0vice\r\n\r\n", 0, &rp), HR_READY,
	    "a NUL in the reason");
	ok(span_is(rp.hr_reason, rp.hr_reasonlen, "Ser"),
	    "the reason ends at the NUL (haproxy)");
}

static void
test_lf_only(void)
{
	struct httpreply rp;
	struct httpfield f;
	size_t off = 0;

	/* haproxy: L7STS, code 503, info "Down Now"; and a 200 with X-A
	 * passes "expect hdr name X-A" */
	is_int(PARSE("HTTP/1.1 503 Down Now\nX-A: b\nContent-Length: 2\n\nok", 0, &rp), HR_READY, "LF line ends (haproxy)");
	is_int(rp.hr_code, 503, "the code");
	ok(span_is(rp.hr_reason, rp.hr_reasonlen, "Down Now"), "the reason");
	ok(span_is(rp.hr_body, rp.hr_blen, "ok"), "the body");
	ok(httpreply_header(&rp, &off, &f), "a header");
	ok(span_is(f.hf_name, f.hf_nlen, "X-A"), "its name");
	ok(span_is(f.hf_value, f.hf_vlen, " b"), "its value, untrimmed");
	ok(httpreply_header(&rp, &off, &f), "another");
	ok(span_is(f.hf_name, f.hf_nlen, "Content-Length"), "its name");
	ok(!httpreply_header(&rp, &off, &f), "no more");
}

static void
test_split(void)
{
	struct httpreply rp;

	/* haproxy: a reply sent as "HTTP/1.1 2", 300 ms, then the rest
	 * passes its check */
	is_int(PARSE("HTTP/1.1 2", 0, &rp), HR_MORE,
	    "a status line split across reads: wait");
	is_int(PARSE("HTTP/1.1 200 OK\r\nX-A: b\r\nContent-Length: 2\r\n\r\nok", 0, &rp), HR_READY, "then the whole reply");
	is_int(rp.hr_code, 200, "its code");
	is_int(PARSE("HTTP/1.1 200 OK\r", 0, &rp), HR_MORE,
	    "split between CR and LF: wait");
}

static void
test_nul_body(void)
{
	struct httpreply rp;

	/* haproxy: "expect string ok" passes on "ab\0cok" */
	is_int(PARSE("HTTP/1.1 200 OK\r\nContent-Length: 6\r\n\r\nab\0cok", 0, &rp), HR_READY, "a NUL in the body");
	ok(rp.hr_blen == 6 && memcmp(rp.hr_body, "ab\0cok", 6) == 0,
	    "the body, NUL and all (haproxy)");
}

static void
test_elements(void)
{
	const char val[] = " a, b ,,c\t", *v = val, *e;
	size_t n;

	ok(httpreply_elem(&v, val + sizeof(val) - 1, 0, &e, &n) &&
	    span_is(e, n, "a"), "the first element, trimmed");
	ok(httpreply_elem(&v, val + sizeof(val) - 1, 0, &e, &n) &&
	    span_is(e, n, "b"), "the second");
	ok(httpreply_elem(&v, val + sizeof(val) - 1, 0, &e, &n) && n == 0,
	    "an empty one");
	ok(httpreply_elem(&v, val + sizeof(val) - 1, 0, &e, &n) &&
	    span_is(e, n, "c"), "the last");
	ok(!httpreply_elem(&v, val + sizeof(val) - 1, 0, &e, &n), "no more");
	v = val;
	ok(httpreply_elem(&v, val + sizeof(val) - 1, 1, &e, &n) &&
	    span_is(e, n, "a, b ,,c"), "the whole value (fhdr)");
	ok(!httpreply_elem(&v, val + sizeof(val) - 1, 1, &e, &n), "once");
}

int
main(void)
{
	test_complete();
	test_status_line();
	test_not_http();
	test_content_length();
	test_headers();
	test_chunked();
	test_reason();
	test_lf_only();
	test_split();
	test_nul_body();
	test_elements();
	return done_testing();
}
