/* SPDX-License-Identifier: ISC */
/*
 * option httpchk and the http-check rules, run as haproxy 2.6 runs them:
 * [connect] send expect... and again connect send expect..., each
 * request on its own connection.  The first send takes what "option
 * httpchk" gave (method, URI, version, hidden headers) for what it does
 * not say; a send with no expect after it wants a 2xx or 3xx status.
 * Each expect rule (status list, rstatus, string, rstring, hdr, fhdr, any
 * of them negated with "!") must pass in turn, once the headers are in.
 * A body rule judges the body so far as soon as it holds the pattern;
 * else it waits for the rest: up to Content-Length, the last chunk, the
 * server's close, or CHECK_MAXBUF bytes (haproxy's tune.bufsize).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <event2/buffer.h>

#include "check.h"
#include "httpreply.h"

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

/* One header's value (or each comma-separated part: fhdr = 0). */
static int
hc_hvalue(const struct cf_chkrule *r, const char *v, size_t len)
{
	const char *end = v + len, *e;
	int m;

	while (httpreply_elem(&v, end, r->r_match == M_FHDR, &e, &len))
		if ((m = check_hmatch(r->r_hvm, (const char *)r->r_data, e,
		    len, 0)) != 0)
			return m;
	return 0;
}

/* hdr / fhdr: a header whose name (and value) match; -1 no memory. */
static int
hc_header(const struct cf_chkrule *r, const struct httpreply *rp)
{
	struct httpfield f;
	size_t off = 0;
	int m;

	while (httpreply_header(rp, &off, &f)) {
		m = check_hmatch(r->r_hnm, r->r_hname, f.hf_name, f.hf_nlen, 1);
		if (m == 1 && r->r_hasval)
			m = hc_hvalue(r, f.hf_value, f.hf_vlen);
		if (m != 0)
			return m;
	}
	return 0;
}

/* One expect rule against the reply: 1 passed, 0 failed, -1 no memory,
 * HC_WAIT wait for more of the body. */
#define HC_WAIT	2
static int
hc_expect(const struct cf_chkrule *r, const struct httpreply *rp)
{
	char cs[8];
	int m;

	switch (r->r_match) {
	case M_STATUS:
		m = check_status_in((const char *)r->r_data, rp->hr_code);
		break;
	case M_RSTATUS:
		snprintf(cs, sizeof(cs), "%03d", rp->hr_code);
		m = check_match(r, (const unsigned char *)cs, strlen(cs));
		break;
	case M_HDR:
	case M_FHDR:
		m = hc_header(r, rp);
		break;
	default:
		m = check_match(r, rp->hr_body, rp->hr_blen);
		/* haproxy judges the body so far once it holds the pattern,
		 * even a "!" rule's; until then more of it may */
		if (m == 0 && rp->hr_partial)
			return HC_WAIT;
		break;
	}
	return m == -1 ? -1 : m != r->r_inverse;
}

/* The rule failed: its status, and the words haproxy gives. */
static void
hc_fail(struct hp_server *s, const struct cf_chkrule *r,
    const struct httpreply *rp, int rc)
{
	int status = r->r_match == M_STATUS || r->r_match == M_RSTATUS ||
	    r->r_match == M_HDR || r->r_match == M_FHDR;
	const char *info;
	char msg[CHECK_DESCLEN + sizeof(" comment: ") + CF_MSGLEN];
	char reason[CHECK_DESCLEN];	/* haproxy's 127 characters */

	if (r->r_onerror[0] != '\0')
		info = r->r_onerror;
	else if (rc == -1)
		info = "out of memory";
	else if (status) {
		/* haproxy: the reason phrase */
		snprintf(reason, sizeof(reason), "%.*s",
		    (int)rp->hr_reasonlen, rp->hr_reason);
		info = reason;
	} else if (rp->hr_blen == 0)
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
	    "L7STS", rp->hr_code, msg);
}

/*
 * The reply's headers are in: runs the expect rules from s_chk_step on,
 * leaving s_chk_step on the last, or on one that waits for more of the
 * body.  1 all passed, 0 wait, -1 the check ended.
 */
static int
hc_judge(struct hp_server *s, const struct httpreply *rp)
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
		if (rp->hr_code == 404 && s->s_op == SRV_UP &&
		    s->s_be->b_cf.be_disable404) {
			hc_result(s, "L7OKC", 404, NULL);
			return -1;
		}
		if ((rc = hc_expect(r, rp)) == HC_WAIT)
			return 0;
		if (rc != 1) {
			hc_fail(s, r, rp, rc);
			return -1;
		}
		s->s_chk_code = rp->hr_code;
	}
	s->s_chk_step--;
	return 1;
}

/* 1 the expects passed, 0 wait for more bytes, -1 the check ended. */
static int
hc_reply(struct hp_server *s)
{
	struct evbuffer *in = bufferevent_get_input(s->s_chk_bev);
	size_t len = evbuffer_get_length(in);
	const unsigned char *buf = evbuffer_pullup(in, -1);
	int last = s->s_chk_eof || len >= CHECK_MAXBUF;
	unsigned char chunks[CHECK_MAXBUF];	/* a chunked body's data */
	enum httpreply_st st;
	struct httpreply rp;

	st = httpreply_parse(buf, len, last, chunks, sizeof(chunks), &rp);
	if (st == HR_MORE)
		return 0;
	if (st != HR_READY) {
		/* haproxy 2.6 gives no info, whatever was wrong */
		hc_result(s, "L7RSP", 0, NULL);
		return -1;
	}
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
