/* SPDX-License-Identifier: ISC */
/*
 * option httpchk and the http-check rules, run as haproxy 2.6 runs them:
 * [connect] send expect... and again connect send expect..., each
 * request on its own connection.  The first send takes what "option
 * httpchk" gave (method, URI, version, hidden headers) for what it does
 * not say; a send with no expect after it wants a 2xx or 3xx status.
 * Each expect rule (status list, rstatus, string, rstring, hdr, fhdr, any
 * of them negated with "!") must pass in turn.  The body is read only
 * when a rule looks at it: up to Content-Length, the server's close, or
 * CHECK_MAXBUF bytes (haproxy's tune.bufsize), whichever comes first.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <event2/buffer.h>

#include "check.h"

/*
 * haproxy 2.6 keeps a check's text (show stat's last_chk) in
 * HCHK_DESC_LEN bytes: a reason phrase, with its comment if any, is cut
 * at 127 characters there, and so here (a 150-character reason reads
 * the same in both).
 */
#define CHECK_DESCLEN	128

static struct cf_chkrule *
hc_add(struct hp_server *s, enum cf_act act)
{
	struct cf_chkrule *r = check_rule_add(s, act);

	r->r_implicit = 1;
	return r;
}

/* The first send takes option httpchk's words where it has none. */
static void
hc_merge_send(const struct cf_backend *b, struct cf_chkrule *r)
{
	if (r->r_meth[0] == '\0')
		snprintf(r->r_meth, sizeof(r->r_meth), "%s", b->be_chkmeth);
	if (r->r_uri[0] == '\0')
		snprintf(r->r_uri, sizeof(r->r_uri), "%s", b->be_chkuri);
	if (r->r_ver[0] == '\0')
		snprintf(r->r_ver, sizeof(r->r_ver), "%s", b->be_chkver);
	if (r->r_len == 0) {
		memcpy(r->r_data, b->be_hcopt.r_data, sizeof(r->r_data));
		r->r_len = b->be_hcopt.r_len;
	}
	if (r->r_body[0] == '\0')
		memcpy(r->r_body, b->be_hcopt.r_body, sizeof(r->r_body));
}

/*
 * haproxy gives a comment rule's text to the rules after it, up to the
 * next connect or the next change of kind (send to expect ...), unless
 * they have their own.
 */
static void
hc_comments(struct hp_server *s)
{
	const char *c = NULL;
	enum cf_act prev = ACT_COMMENT;
	struct cf_chkrule *r;
	int i;

	for (i = 0; i < s->s_chk_nrules; i++) {
		r = &s->s_chk_rules[i];
		if (r->r_act != prev && prev != ACT_COMMENT)
			c = NULL;
		prev = r->r_act;
		if (r->r_act == ACT_COMMENT) {
			c = r->r_comment;
			continue;
		}
		if (r->r_comment[0] == '\0' && c != NULL)
			memcpy(r->r_comment, c, sizeof(r->r_comment));
		if (r->r_act == ACT_CONNECT)
			c = NULL;
	}
}

/*
 * The rules the server's checks run (s_chk_rules has room for the
 * config's and three more): a connect first, a send after the first
 * connect, an "expect status 200-399" after a last send, as haproxy
 * adds them.
 */
void
httpcheck_build(struct hp_server *s)
{
	const struct cf_backend *b = &s->s_be->b_cf;
	struct cf_chkrule *r;
	int i = 0, k = 0, first = 1, last;

	/* the implicit rules go before the comments, as in haproxy */
	while (k < b->be_nhcr && b->be_hcr[k].r_act == ACT_COMMENT)
		k++;
	if (k < b->be_nhcr && b->be_hcr[k].r_act == ACT_CONNECT) {
		while (i <= k)
			s->s_chk_rules[s->s_chk_nrules++] = b->be_hcr[i++];
		for (k = i; k < b->be_nhcr &&
		    b->be_hcr[k].r_act == ACT_COMMENT; k++)
			;
	} else
		hc_add(s, ACT_CONNECT);
	if (k == b->be_nhcr || b->be_hcr[k].r_act != ACT_SEND)
		hc_merge_send(b, hc_add(s, ACT_SEND));
	for (; i < b->be_nhcr; i++) {
		r = &s->s_chk_rules[s->s_chk_nrules++];
		*r = b->be_hcr[i];
		if (r->r_act == ACT_SEND && first) {
			hc_merge_send(b, r);
			first = 0;
		} else if (r->r_act == ACT_SEND) {
			if (r->r_meth[0] == '\0')
				strcpy(r->r_meth, "OPTIONS");
			if (r->r_uri[0] == '\0')
				strcpy(r->r_uri, "/");
			if (r->r_ver[0] == '\0')
				strcpy(r->r_ver, "HTTP/1.0");
		}
	}
	hc_comments(s);
	for (last = s->s_chk_nrules - 1; last > 0 &&
	    s->s_chk_rules[last].r_act == ACT_COMMENT; last--)
		;
	if (s->s_chk_rules[last].r_act == ACT_SEND) {
		r = hc_add(s, ACT_EXPECT);
		r->r_match = M_STATUS;
		strcpy((char *)r->r_data, "200-399");
		r->r_len = 7;
	}
}

/* Whether the version is HTTP/1.1 or later, which keeps connections. */
static int
hc_ver11(const char *v)
{
	return strncmp(v, "HTTP/", 5) == 0 && (v[5] > '1' ||
	    (v[5] == '1' && v[6] == '.' && v[7] >= '1'));
}

/* The request as haproxy 2.6 puts it on the wire. */
static int
hc_send(struct hp_server *s, const struct cf_chkrule *r)
{
	struct evbuffer *out = bufferevent_get_output(s->s_chk_bev);
	size_t blen = strlen(r->r_body);
	int rc;

	rc = evbuffer_add_printf(out, "%s %s %s\r\n%s", r->r_meth, r->r_uri,
	    r->r_ver, (const char *)r->r_data);
	if (rc != -1 && blen > 0)
		rc = evbuffer_add_printf(out, "content-length: %zu\r\n", blen);
	if (rc != -1 && hc_ver11(r->r_ver) &&
	    strncasecmp((const char *)r->r_data, "connection:", 11) != 0 &&
	    strcasestr((const char *)r->r_data, "\nconnection:") == NULL)
		rc = evbuffer_add_printf(out, "connection: close\r\n");
	if (rc != -1)
		rc = evbuffer_add_printf(out, "\r\n%s", r->r_body);
	bufferevent_enable(s->s_chk_bev, EV_READ);
	return rc == -1 ? -1 : 0;
}

/* Whether the expect rules from step on look at the headers, the body. */
static void
hc_needs(const struct hp_server *s, int step, int *hdrs, int *body)
{
	const struct cf_chkrule *r;

	*hdrs = *body = 0;
	for (; step < s->s_chk_nrules; step++) {
		r = &s->s_chk_rules[step];
		if (r->r_act != ACT_EXPECT && r->r_act != ACT_COMMENT)
			break;
		if (r->r_act != ACT_EXPECT)
			continue;
		if (r->r_match == M_STRING || r->r_match == M_RSTRING)
			*body = 1;
		if (r->r_match == M_HDR || r->r_match == M_FHDR)
			*hdrs = 1;
	}
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
	int cond = strcmp(st, "L7OKC") == 0;
	const char *what = cond ? "Layer7 check conditionally passed" :
	    ok ? (st[1] == '4' ? "Layer4 check passed" :
	    "Layer7 check passed") : strcmp(st, "L7STS") == 0 ?
	    "Layer7 wrong status" : strcmp(st, "L4CON") == 0 ?
	    "Layer4 connection problem" : "Layer7 invalid response";

	/* haproxy shows the code with the statuses that have one */
	if (strcmp(st, "L7OK") != 0 && strcmp(st, "L7STS") != 0 && !cond)
		snprintf(desc, sizeof(desc), "%s%s%s", what, info != NULL &&
		    info[0] != '\0' ? ", info: " : "", info ? info : "");
	else if (info != NULL && info[0] != '\0')
		snprintf(desc, sizeof(desc), "%s, code: %d, info: %s", what,
		    code, info);
	else
		snprintf(desc, sizeof(desc), "%s, code: %d", what, code);
	check_done(s, cond ? CHECK_CONDPASS : ok, st, code, desc);
}

/* A parsed reply: status code and reason, header block, body. */
struct hc_reply {
	int		 code;
	char		 reason[CHECK_DESCLEN];
	const char	*hdrs;		/* after the status line */
	size_t		 hlen;
	const unsigned char *body;
	size_t		 blen;
};

/* One header's value (or each comma-separated part: fhdr = 0). */
static int
hc_hvalue(const struct cf_chkrule *r, const char *v, size_t len)
{
	const char *end = v + len, *c;
	int m;

	for (;;) {
		c = r->r_match == M_FHDR ? end : memchr(v, ',', (size_t)(end - v));
		if (c == NULL)
			c = end;
		while (v < c && (*v == ' ' || *v == '\t'))
			v++;
		len = (size_t)(c - v);
		while (len > 0 && (v[len - 1] == ' ' || v[len - 1] == '\t'))
			len--;
		if ((m = check_hmatch(r->r_hvm, (const char *)r->r_data, v,
		    len, 0)) != 0)
			return m;
		if (c == end)
			return 0;
		v = c + 1;
	}
}

/* hdr / fhdr: a header whose name (and value) match; -1 no memory. */
static int
hc_header(const struct cf_chkrule *r, const struct hc_reply *rp)
{
	const char *h = rp->hdrs, *end = rp->hdrs + rp->hlen, *eol, *colon;
	size_t n;
	int m;

	for (; h < end; h = eol + 1) {
		if ((eol = memchr(h, '\n', (size_t)(end - h))) == NULL)
			eol = end;
		n = (size_t)(eol - h);
		if (n > 0 && h[n - 1] == '\r')
			n--;
		if ((colon = memchr(h, ':', n)) == NULL)
			continue;
		m = check_hmatch(r->r_hnm, r->r_hname, h, (size_t)(colon - h),
		    1);
		if (m == 1 && r->r_hasval)
			m = hc_hvalue(r, colon + 1, n - (size_t)(colon + 1 - h));
		if (m != 0)
			return m;
		if (eol == end)
			break;
	}
	return 0;
}

/* One expect rule against the reply: 1 passed, 0 failed, -1 no memory. */
static int
hc_expect(const struct cf_chkrule *r, const struct hc_reply *rp)
{
	char cs[8];
	int m;

	switch (r->r_match) {
	case M_STATUS:
		m = check_status_in((const char *)r->r_data, rp->code);
		break;
	case M_RSTATUS:
		snprintf(cs, sizeof(cs), "%03d", rp->code);
		m = check_match(r, (const unsigned char *)cs, strlen(cs));
		break;
	case M_HDR:
	case M_FHDR:
		m = hc_header(r, rp);
		break;
	default:
		m = check_match(r, rp->body, rp->blen);
		break;
	}
	return m == -1 ? -1 : m != r->r_inverse;
}

/* The rule failed: its status, and the words haproxy gives. */
static void
hc_fail(struct hp_server *s, const struct cf_chkrule *r,
    const struct hc_reply *rp, int rc)
{
	int status = r->r_match == M_STATUS || r->r_match == M_RSTATUS ||
	    r->r_match == M_HDR || r->r_match == M_FHDR;
	const char *info;
	char msg[CHECK_DESCLEN + sizeof(" comment: ") + CF_MSGLEN];

	if (r->r_onerror[0] != '\0')
		info = r->r_onerror;
	else if (rc == -1)
		info = "out of memory";
	else if (status)
		info = rp->reason;	/* haproxy: the reason phrase */
	else if (rp->blen == 0)
		info = "HTTP content check could not find a response body";
	else
		info = r->r_inverse ? "HTTP check matched unwanted content" :
		    "HTTP content check did not match";
	if (r->r_comment[0] != '\0')
		snprintf(msg, sizeof(msg), "%s comment: %s", info, r->r_comment);
	else
		snprintf(msg, sizeof(msg), "%s", info);
	msg[CHECK_DESCLEN - 1] = '\0';	/* where haproxy cuts it */
	hc_result(s, r->r_err[0] ? r->r_err : rc == -1 || !status ? "L7RSP" :
	    "L7STS", rp->code, msg);
}

/*
 * The reply is in (or as much as will come): runs the expect rules from
 * s_chk_step on, leaving s_chk_step on the last.  1 all passed, -1 the
 * check ended.
 */
static int
hc_judge(struct hp_server *s, const struct hc_reply *rp)
{
	const struct cf_chkrule *r;
	int rc;

	for (; s->s_chk_step < s->s_chk_nrules; s->s_chk_step++) {
		r = &s->s_chk_rules[s->s_chk_step];
		if (r->r_act == ACT_COMMENT)
			continue;
		if (r->r_act != ACT_EXPECT)
			break;
		/* haproxy: a 404 from a running server under disable-on-404
		 * passes "conditionally" whatever the expect says, with no
		 * info (its log and last_chk have none) */
		if (rp->code == 404 && s->s_op == SRV_UP &&
		    s->s_be->b_cf.be_disable404) {
			hc_result(s, "L7OKC", 404, NULL);
			return -1;
		}
		if ((rc = hc_expect(r, rp)) != 1) {
			hc_fail(s, r, rp, rc);
			return -1;
		}
		s->s_chk_code = rp->code;
	}
	s->s_chk_step--;
	return 1;
}

/* The status line's code and reason; -1 if it is not one. */
static int
hc_status_line(const unsigned char *buf, size_t n, struct hc_reply *rp)
{
	char line[32];	/* "HTTP/x.y ddd": sscanf needs a string; the
			   reply's bytes have no NUL after them */
	size_t i, k = 0;

	if (n < 12 || memcmp(buf, "HTTP/", 5) != 0)
		return -1;
	k = n < sizeof(line) - 1 ? n : sizeof(line) - 1;
	memcpy(line, buf, k);
	line[k] = '\0';
	k = 0;
	if (sscanf(line + 5, "%*u.%*u %3d", &rp->code) != 1)
		return -1;
	for (i = 12; i < n && buf[i] == ' '; i++)
		;
	for (; i < n && buf[i] != '\r' && buf[i] != '\n' &&
	    k + 1 < sizeof(rp->reason); i++)
		rp->reason[k++] = (char)buf[i];
	rp->reason[k] = '\0';
	return 0;
}

/* 1 the expects passed, 0 wait for more bytes, -1 the check ended. */
static int
hc_reply(struct hp_server *s)
{
	struct evbuffer *in = bufferevent_get_input(s->s_chk_bev);
	size_t len = evbuffer_get_length(in), body;
	const unsigned char *buf = evbuffer_pullup(in, -1), *nl;
	int eof = s->s_chk_eof, full = len >= CHECK_MAXBUF, wanth, wantb;
	struct hc_reply rp;
	long cl;

	memset(&rp, 0, sizeof(rp));
	if (buf == NULL)
		buf = (const unsigned char *)"";
	nl = memchr(buf, '\n', len);
	if (nl == NULL) {
		if (!eof && !full)
			return 0;
		check_done(s, 0, "L7RSP", 0, len == 0 ?
		    "Layer7 invalid response, info: connection closed" :
		    "Layer7 invalid response, info: no status line");
		return -1;
	}
	if (hc_status_line(buf, (size_t)(nl - buf), &rp) == -1) {
		check_done(s, 0, "L7RSP", 0, "Layer7 invalid response");
		return -1;
	}
	hc_needs(s, s->s_chk_step, &wanth, &wantb);
	body = hc_body_start(buf, len);
	if ((wanth || wantb) && body == 0 && !eof && !full)
		return 0;
	if (wantb && !eof && !full) {
		cl = hc_content_length((const char *)buf, body);
		if (cl < 0 || len - body < (size_t)cl)
			return 0;
	}
	if (body == 0)
		body = len;
	rp.hdrs = (const char *)nl + 1;
	rp.hlen = body - (size_t)(nl + 1 - buf);
	rp.body = buf + body;
	rp.blen = len - body;
	return hc_judge(s, &rp);
}

/* Every rule passed: the last expect's status and words. */
static void
hc_success(struct hp_server *s)
{
	const struct cf_chkrule *r = NULL;
	int i;

	for (i = s->s_chk_nrules - 1; i >= 0 && r == NULL; i--)
		if (s->s_chk_rules[i].r_act == ACT_EXPECT)
			r = &s->s_chk_rules[i];
	hc_result(s, r != NULL && r->r_ok[0] ? r->r_ok : "L7OK",
	    s->s_chk_code, r == NULL ? NULL : r->r_onsuccess);
}

static void
hc_sockerr(struct hp_server *s)
{
	check_done(s, 0, "SOCKERR", 0, "Socket error");
}

/* A send or an expect rule: 0 go on, 1 it waits or ended the check. */
static int
hc_rule(struct hp_server *s, const struct cf_chkrule *r)
{
	if (r->r_act == ACT_SEND) {
		if (s->s_chk_bev != NULL && hc_send(s, r) != -1)
			return 0;
		hc_sockerr(s);
		return 1;
	}
	if (s->s_chk_bev == NULL) {
		check_done(s, 0, "L4CON", 0, "Layer4 connection problem, "
		    "info: not connected");
		return 1;
	}
	return hc_reply(s) != 1;
}

const struct check_proto httpcheck_proto = { hc_success, hc_rule,
    hc_sockerr };

/* Bytes came, or the server closed (eof): judge once enough is in. */
void
httpcheck_read(struct hp_server *s, int eof)
{
	if (eof)
		s->s_chk_eof = 1;
	check_rules_step(s, &httpcheck_proto);
}

/* The status of a timeout once connected: the waiting rule's tout-status. */
const char *
httpcheck_tout(const struct hp_server *s)
{
	if (s->s_chk_step < s->s_chk_nrules &&
	    s->s_chk_rules[s->s_chk_step].r_tout[0] != '\0')
		return s->s_chk_rules[s->s_chk_step].r_tout;
	return "L7TOUT";
}
