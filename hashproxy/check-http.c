/*
 * option httpchk: one request, and its reply judged as haproxy 2.6
 * judges it.  With no "http-check expect" a 2xx or 3xx status passes; each
 * expect rule (status list, rstatus, string, rstring, any of them negated
 * with "!") must pass in turn.  The body is read only when a rule looks
 * at it: up to Content-Length, the server's close, or CHECK_MAXBUF bytes
 * (haproxy's tune.bufsize), whichever comes first.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <event2/buffer.h>

#include "check.h"

void
httpcheck_send(struct hp_server *s)
{
	const struct cf_backend *b = &s->s_be->b_cf;

	evbuffer_add_printf(bufferevent_get_output(s->s_chk_bev),
	    "%s %s %s\r\n\r\n", b->be_chkmeth, b->be_chkuri, b->be_chkver);
	bufferevent_enable(s->s_chk_bev, EV_READ);
}

static int
hc_needs_body(const struct cf_backend *b)
{
	int i;

	for (i = 0; i < b->be_nhexp; i++)
		if (b->be_hexp[i].r_match == M_STRING ||
		    b->be_hexp[i].r_match == M_RSTRING)
			return 1;
	return 0;
}

/* The value of Content-Length in the header block, -1 if none. */
static long
hc_content_length(const char *h, size_t len)
{
	static const char name[] = "\ncontent-length:";
	size_t i, n = sizeof(name) - 1;

	for (i = 0; i + n < len; i++)
		if (strncasecmp(h + i, name, n) == 0) {
			const char *v = h + i + n;

			while (v < h + len && (*v == ' ' || *v == '\t'))
				v++;
			if (v < h + len && isdigit((unsigned char)*v))
				return strtol(v, NULL, 10);
			return -1;
		}
	return -1;
}

/* Where the body starts, 0 while the headers are not all in. */
static size_t
hc_body_start(const unsigned char *buf, size_t len)
{
	const unsigned char *e = memmem(buf, len, "\r\n\r\n", 4);

	if (e != NULL)
		return (size_t)(e - buf) + 4;
	if ((e = memmem(buf, len, "\n\n", 2)) != NULL)
		return (size_t)(e - buf) + 2;
	return 0;
}

static void
hc_result(struct hp_server *s, const char *st, int code, const char *info)
{
	char desc[192];
	int ok = strcmp(st, "L7OK") == 0 || strcmp(st, "L4OK") == 0;
	const char *what = ok ? (st[1] == '4' ? "Layer4 check passed" :
	    "Layer7 check passed") : strcmp(st, "L7STS") == 0 ?
	    "Layer7 wrong status" : strcmp(st, "L4CON") == 0 ?
	    "Layer4 connection problem" : "Layer7 invalid response";

	/* haproxy shows the code with the statuses that have one */
	if (strcmp(st, "L7OK") != 0 && strcmp(st, "L7STS") != 0)
		snprintf(desc, sizeof(desc), "%s%s%s", what, info != NULL &&
		    info[0] != '\0' ? ", info: " : "", info ? info : "");
	else if (info != NULL && info[0] != '\0')
		snprintf(desc, sizeof(desc), "%s, code: %d, info: %s", what,
		    code, info);
	else
		snprintf(desc, sizeof(desc), "%s, code: %d", what, code);
	check_done(s, ok, st, code, desc);
}

/* One expect rule against the reply: 1 passed, 0 failed, -1 no memory. */
static int
hc_expect(const struct cf_chkrule *r, int code, const unsigned char *body,
    size_t blen)
{
	char cs[8];
	int m;

	switch (r->r_match) {
	case M_STATUS:
		m = check_status_in((const char *)r->r_data, code);
		break;
	case M_RSTATUS:
		snprintf(cs, sizeof(cs), "%03d", code);
		m = check_match(r, (const unsigned char *)cs, strlen(cs));
		break;
	default:
		m = check_match(r, body, blen);
		break;
	}
	return m == -1 ? -1 : m != r->r_inverse;
}

static void
hc_judge(struct hp_server *s, int code, const unsigned char *body,
    size_t blen)
{
	const struct cf_backend *b = &s->s_be->b_cf;
	const struct cf_chkrule *r = NULL;
	int i, rc, status;

	if (b->be_nhexp == 0) {
		hc_result(s, code >= 200 && code < 400 ? "L7OK" : "L7STS",
		    code, NULL);
		return;
	}
	for (i = 0; i < b->be_nhexp; i++) {
		r = &b->be_hexp[i];
		if ((rc = hc_expect(r, code, body, blen)) == 1)
			continue;
		status = r->r_match == M_STATUS || r->r_match == M_RSTATUS;
		hc_result(s, r->r_err[0] ? r->r_err : rc == -1 ? "L7RSP" :
		    status ? "L7STS" : "L7RSP", code,
		    r->r_onerror[0] ? r->r_onerror : r->r_comment[0] ?
		    r->r_comment : rc == -1 ? "out of memory" : status ? NULL :
		    r->r_inverse ? "HTTP check matched unwanted content" :
		    "HTTP content check did not match");
		return;
	}
	hc_result(s, r->r_ok[0] ? r->r_ok : "L7OK", code,
	    r->r_onsuccess[0] ? r->r_onsuccess : r->r_comment);
}

/* Bytes came, or the server closed (eof): judge once enough is in. */
void
httpcheck_read(struct hp_server *s, int eof)
{
	struct evbuffer *in = bufferevent_get_input(s->s_chk_bev);
	size_t len = evbuffer_get_length(in), body;
	const unsigned char *buf = evbuffer_pullup(in, -1), *nl;
	int code = 0, full = len >= CHECK_MAXBUF;
	long cl;

	if (buf == NULL)
		buf = (const unsigned char *)"";
	nl = memchr(buf, '\n', len);
	if (nl == NULL) {
		if (eof || full)
			check_done(s, 0, "L7RSP", 0, len == 0 ?
			    "Layer7 invalid response, info: connection closed" :
			    "Layer7 invalid response, info: no status line");
		return;
	}
	if (nl - buf < 12 || memcmp(buf, "HTTP/", 5) != 0 ||
	    sscanf((const char *)buf + 5, "%*u.%*u %3d", &code) != 1) {
		check_done(s, 0, "L7RSP", 0, "Layer7 invalid response");
		return;
	}
	if (!hc_needs_body(&s->s_be->b_cf)) {
		hc_judge(s, code, NULL, 0);
		return;
	}
	body = hc_body_start(buf, len);
	if (!eof && !full) {
		if (body == 0)
			return;
		cl = hc_content_length((const char *)buf, body);
		if (cl < 0 || len - body < (size_t)cl)
			return;
	}
	if (body == 0)
		body = len;
	hc_judge(s, code, buf + body, len - body);
}
