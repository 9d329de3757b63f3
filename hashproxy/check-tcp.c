/* SPDX-License-Identifier: ISC */
/*
 * tcp-check: a list of rules run in order on the check's connection
 * (connect, send, expect, comment), as haproxy 2.6 runs them.  An expect
 * waits for more bytes until its pattern is found, the server closes, the
 * reply fills CHECK_MAXBUF, or the check times out; then it passes or
 * fails with its own status.  "option pgsql-check", "mysql-check" and
 * "redis-check" are haproxy's own rule lists, built here the same way,
 * so a port that accepts TCP but does not speak the protocol is down;
 * "ssl-hello-chk" too, with static bytes: no TLS library is needed to
 * send a ClientHello and read the first byte of the answer; "smtpchk"
 * reads the banner, says HELO and QUIT, each reply's code a 2xx;
 * "ldap-check" binds anonymously and reads the BindResponse's code.
 * As in haproxy, a send drops what was read before it: an expect
 * reads the reply to the last send.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <event2/buffer.h>

#include "check.h"
#include "check-ldap.h"
#include "mysqlreply.h"

static void
tcr_bytes(struct cf_chkrule *r, const void *p, size_t len)
{
	memcpy(r->r_data, p, len);
	r->r_data[len] = '\0';
	r->r_len = len;
}

static void
tcr_str(struct cf_chkrule *r, const char *str)
{
	tcr_bytes(r, str, strlen(str));
}

/* An expect rule: its matcher, its pattern, the bytes it waits for (-1:
 * none); the caller adds the statuses. */
static struct cf_chkrule *
tcr_add_expect(struct hp_server *s, enum cf_match match,
    const char *pattern, int minrecv)
{
	struct cf_chkrule *r = check_rule_add(s, ACT_EXPECT);

	r->r_match = match;
	r->r_minrecv = minrecv;
	tcr_str(r, pattern);
	return r;
}

/* The PostgreSQL StartupMessage for user (protocol 3.0). */
static void
tcr_pgsql(struct hp_server *s, const char *user)
{
	struct cf_chkrule *r;
	size_t ul = strlen(user), len = 4 + 4 + 5 + ul + 1 + 1;
	unsigned char *p;

	check_rule_add(s, ACT_CONNECT);
	r = check_rule_add(s, ACT_SEND);
	p = r->r_data;
	p[0] = (unsigned char)(len >> 24);
	p[1] = (unsigned char)(len >> 16);
	p[2] = (unsigned char)(len >> 8);
	p[3] = (unsigned char)len;
	memcpy(p + 4, "\0\3\0\0user\0", 9);
	memcpy(p + 13, user, ul + 1);
	p[len - 1] = '\0';
	r->r_len = len;
	/* an ErrorResponse: its text is the reason */
	r = tcr_add_expect(s, M_RSTRING, "^E", 5);
	r->r_inverse = 1;
	strcpy(r->r_err, "L7RSP");
	r->r_errpayload = 7;
	/* an AuthenticationRequest of a kind haproxy 2.6 takes: ok, krb5,
	 * clear, md5, scm, gss, sspi, sasl (SCRAM); the list is haproxy
	 * 2.6.12's, found by asking it (tests/hashproxy/protocheck.t) */
	r = tcr_add_expect(s, M_RBINARY,
	    "^52000000[A-Z0-9]{2}000000(00|02|03|04|05|06|07|09|0A)", 9);
	strcpy(r->r_err, "L7STS");
	strcpy(r->r_onsuccess, "PostgreSQL server is ok");
	strcpy(r->r_onerror, "PostgreSQL unknown error");
}

/* A MySQL client authentication packet for user, then COM_QUIT. */
static void
tcr_mysql_auth(struct hp_server *s, const char *user, int post41)
{
	struct cf_chkrule *r = check_rule_add(s, ACT_SEND);
	size_t ul = strlen(user), plen = ul + 7 + (post41 ? 27 : 0), o = 4;
	unsigned char *p = r->r_data;

	p[0] = (unsigned char)plen;
	p[1] = (unsigned char)(plen >> 8);
	p[2] = (unsigned char)(plen >> 16);
	p[3] = 1;				/* sequence id */
	if (post41) {
		memcpy(p + o, "\0\x82\0\0\0\x80\0\1\x21", 9);
		o += 9;
		memset(p + o, 0, 23);
		o += 23;
	} else {
		memcpy(p + o, "\0\x80\0\0\1", 5);
		o += 5;
	}
	memcpy(p + o, user, ul + 1);
	o += ul + 1;
	p[o++] = 0;				/* filler */
	memcpy(p + o, "\1\0\0\0\1", 5);		/* COM_QUIT */
	r->r_len = o + 5;
}

static void
tcr_mysql(struct hp_server *s, const char *user, int post41)
{
	check_rule_add(s, ACT_CONNECT);
	if (*user != '\0')
		tcr_mysql_auth(s, user, post41);
	check_rule_add(s, ACT_EXPECT)->r_match = M_MYSQL_INIT;
	if (*user != '\0')
		check_rule_add(s, ACT_EXPECT)->r_match = M_MYSQL_OK;
}

static void
tcr_redis(struct hp_server *s)
{
	struct cf_chkrule *r;

	check_rule_add(s, ACT_CONNECT);
	tcr_str(check_rule_add(s, ACT_SEND), "*1\r\n$4\r\nPING\r\n");
	r = tcr_add_expect(s, M_STRING, "+PONG\r\n", -1);
	strcpy(r->r_err, "L7STS");
	strcpy(r->r_onsuccess, "Redis server is ok");
	r->r_errpayload = 1;
}

/*
 * haproxy 2.6's option ssl-hello-chk: an SSLv3 ClientHello (RFC 2246
 * A.3, A.4) offering 39 common ciphers, then at least 5 bytes whose
 * first is a TLS record of type handshake (0x16) or alert (0x15): a
 * server that refuses the old hello with an alert still speaks TLS.
 * haproxy puts the time in gmt_unix_time; nobody checks it, so zeros.
 */
static void
tcr_sslhello(struct hp_server *s)
{
	static const unsigned char hello[] = {
		0x16, 0x03, 0x00, 0x00, 0x79,	/* record: handshake, SSLv3 */
		0x01, 0x00, 0x00, 0x75,		/* ClientHello, its length */
		0x03, 0x00,			/* client_version */
		0x00, 0x00, 0x00, 0x00,		/* gmt_unix_time */
		'H', 'A', 'P', 'R', 'O', 'X', 'Y', 'S', 'S', 'L', 'C', 'H',
		'K', '\n', 'H', 'A', 'P', 'R', 'O', 'X', 'Y', 'S', 'S', 'L',
		'C', 'H', 'K', '\n',		/* random, 28 bytes */
		0x00,				/* no session id */
		0x00, 0x4e,			/* 39 cipher suites: */
		0x00, 0x01, 0x00, 0x02, 0x00, 0x03, 0x00, 0x04, 0x00, 0x05,
		0x00, 0x06, 0x00, 0x07, 0x00, 0x08, 0x00, 0x09, 0x00, 0x0a,
		0x00, 0x0b, 0x00, 0x0c, 0x00, 0x0d, 0x00, 0x0e, 0x00, 0x0f,
		0x00, 0x10, 0x00, 0x11, 0x00, 0x12, 0x00, 0x13, 0x00, 0x14,
		0x00, 0x15, 0x00, 0x16, 0x00, 0x17, 0x00, 0x18, 0x00, 0x19,
		0x00, 0x1a, 0x00, 0x1b, 0x00, 0x2f, 0x00, 0x30, 0x00, 0x31,
		0x00, 0x32, 0x00, 0x33, 0x00, 0x34, 0x00, 0x35, 0x00, 0x36,
		0x00, 0x37, 0x00, 0x38, 0x00, 0x39, 0x00, 0x3a,
		0x01, 0x00,			/* compression: null */
	};
	struct cf_chkrule *r;

	check_rule_add(s, ACT_CONNECT);
	tcr_bytes(check_rule_add(s, ACT_SEND), hello, sizeof(hello));
	r = tcr_add_expect(s, M_RBINARY, "^1[56]", 5);
	strcpy(r->r_ok, "L6OK");
	strcpy(r->r_err, "L6RSP");
	strcpy(r->r_tout, "L6TOUT");
}

/* An expect on an SMTP reply: its code and text are the check's. */
static struct cf_chkrule *
tcr_smtp_expect(struct hp_server *s, const char *re, int minrecv)
{
	struct cf_chkrule *r = tcr_add_expect(s, M_RSTRING, re, minrecv);

	strcpy(r->r_err, "L7STS");
	r->r_smtp = 1;
	return r;
}

/*
 * haproxy 2.6's option smtpchk: a banner that is a reply (else L7RSP,
 * the banner as the reason), a 2xx one, then HELO and QUIT answered
 * 2xx; a failed code is L7STS with the code and the server's text.
 * The reply to HELO may take several lines ("250-..."): it waits for
 * the last one, so a server that answers a multi-line error and stays
 * connected is a timeout there too.  The code and text of the answer
 * to QUIT are the ones an up server shows.
 */
static void
tcr_smtp(struct hp_server *s, const char *helo)
{
	struct cf_chkrule *r;

	check_rule_add(s, ACT_CONNECT);
	r = tcr_add_expect(s, M_RSTRING, "^[0-9]{3}[ \r]", 4);
	strcpy(r->r_err, "L7RSP");
	r->r_errpayload = 1;
	tcr_smtp_expect(s, "^2[0-9]{2}[ \r]", 4);
	r = check_rule_add(s, ACT_SEND);
	snprintf((char *)r->r_data, sizeof(r->r_data), "%s\r\n", helo);
	r->r_len = strlen((char *)r->r_data);
	tcr_smtp_expect(s, "^(2[0-9]{2}-[^\r]*\r\n)*2[0-9]{2}[ \r]", -1);
	tcr_str(check_rule_add(s, ACT_SEND), "QUIT\r\n");
	tcr_smtp_expect(s, "^2[0-9]{2}[- \r]", 4);
}

/*
 * haproxy 2.6's option ldap-check: an anonymous LDAPv3 simple bind
 * (RFC 4511 4.2: messageID 1, version 3, empty name and password),
 * then a reply of 14 bytes at least that starts a SEQUENCE (else L7RSP
 * "Not LDAPv3 protocol"), then its BindResponse's resultCode: 0 is up.
 * The connect is haproxy's implicit one: it is not a step.
 */
static void
tcr_ldap(struct hp_server *s)
{
	static const unsigned char bind[] = {
		0x30, 0x0c,			/* LDAPMessage */
		0x02, 0x01, 0x01,		/* messageID 1 */
		0x60, 0x07,			/* BindRequest */
		0x02, 0x01, 0x03,		/* version 3 */
		0x04, 0x00,			/* name "" */
		0x80, 0x00,			/* simple "" */
	};
	struct cf_chkrule *r;

	check_rule_add(s, ACT_CONNECT)->r_implicit = 1;
	tcr_bytes(check_rule_add(s, ACT_SEND), bind, sizeof(bind));
	r = tcr_add_expect(s, M_RBINARY, "^30", 14);
	strcpy(r->r_onerror, "Not LDAPv3 protocol");
	check_rule_add(s, ACT_EXPECT)->r_match = M_LDAP;
}

/* The rules the server's checks run, from its backend's config. */
int
tcpcheck_build(struct hp_server *s)
{
	const struct cf_backend *b = &s->s_be->b_cf;
	int i, n;

	free(s->s_chk_rules);
	s->s_chk_nrules = 0;
	/* the config's rules and the implicit ones: one for tcp-check,
	 * three for http-check, seven at most for the built-in lists */
	n = (b->be_ntcr > b->be_nhcr ? b->be_ntcr : b->be_nhcr) + 7;
	if ((s->s_chk_rules = calloc((size_t)n,
	    sizeof(*s->s_chk_rules))) == NULL)
		return -1;
	switch (b->be_chk) {
	case CHK_DEFAULT:
		if (b->be_httpchk)
			httpcheck_build(s);
		break;
	case CHK_PGSQL:
		tcr_pgsql(s, b->be_chkuser);
		break;
	case CHK_MYSQL:
		tcr_mysql(s, b->be_chkuser, b->be_mysql41);
		break;
	case CHK_REDIS:
		tcr_redis(s);
		break;
	case CHK_SSLHELLO:
		tcr_sslhello(s);
		break;
	case CHK_SMTP:
		tcr_smtp(s, b->be_smtphelo);
		break;
	case CHK_LDAP:
		tcr_ldap(s);
		break;
	case CHK_TCPCHECK:
		/* haproxy: a connect first, unless the first rule is one */
		for (i = 0; i < b->be_ntcr; i++)
			if (b->be_tcr[i].r_act != ACT_COMMENT)
				break;
		if (i == b->be_ntcr || b->be_tcr[i].r_act != ACT_CONNECT)
			check_rule_add(s, ACT_CONNECT)->r_implicit = 1;
		for (i = 0; i < b->be_ntcr; i++)
			s->s_chk_rules[s->s_chk_nrules++] = b->be_tcr[i];
		break;
	}
	return 0;
}

/* haproxy's description of a check_status word. */
static const char *
tcr_desc(const char *st)
{
	static const struct {
		const char *st, *desc;
	} d[] = {
		{ "L4OK", "Layer4 check passed" },
		{ "L4TOUT", "Layer4 timeout" },
		{ "L4CON", "Layer4 connection problem" },
		{ "L6OK", "Layer6 check passed" },
		{ "L6TOUT", "Layer6 timeout" },
		{ "L6RSP", "Layer6 invalid response" },
		{ "L7OK", "Layer7 check passed" },
		{ "L7TOUT", "Layer7 timeout" },
		{ "L7RSP", "Layer7 invalid response" },
		{ "L7STS", "Layer7 wrong status" },
		{ "SOCKERR", "Socket error" },
	};
	size_t i;

	for (i = 0; i < sizeof(d) / sizeof(d[0]); i++)
		if (strcmp(st, d[i].st) == 0)
			return d[i].desc;
	return "Unknown";
}

static int
tcr_ok(const char *st)
{
	return strcmp(st, "L4OK") == 0 || strcmp(st, "L6OK") == 0 ||
	    strcmp(st, "L7OK") == 0;
}

/* Ends the check with status st; info (may be empty) follows the text. */
static void
tcr_done(struct hp_server *s, const char *st, int code, const char *info)
{
	char desc[192];

	/* haproxy shows a code with the statuses that have one */
	int hascode = strcmp(st, "L7OK") == 0 || strcmp(st, "L7STS") == 0;

	if (hascode && info[0] != '\0')
		snprintf(desc, sizeof(desc), "%s, code: %d, info: %s",
		    tcr_desc(st), code, info);
	else if (hascode)
		snprintf(desc, sizeof(desc), "%s, code: %d", tcr_desc(st), code);
	else if (info[0] != '\0')
		snprintf(desc, sizeof(desc), "%s, info: %s", tcr_desc(st), info);
	else
		snprintf(desc, sizeof(desc), "%s", tcr_desc(st));
	check_done(s, tcr_ok(st), st, code, desc);
}

/* What a rule is, for messages: "expect string '+PONG'". */
static void
tcr_what(const struct cf_chkrule *r, char *buf, size_t len)
{
	static const char *m[] = { "string", "binary", "rstring", "rbinary",
	    "status", "rstatus", "mysql", "mysql", "hdr", "fhdr", "ldap" };

	switch (r->r_act) {
	case ACT_CONNECT:
		if (r->r_port)
			snprintf(buf, len, "connect port %d", r->r_port);
		else
			snprintf(buf, len, "connect");
		break;
	case ACT_SEND:
		snprintf(buf, len, "send");
		break;
	case ACT_COMMENT:
		snprintf(buf, len, "comment");
		break;
	case ACT_EXPECT:
		if (r->r_match >= M_MYSQL_INIT)
			snprintf(buf, len, "expect %s", m[r->r_match]);
		else
			snprintf(buf, len, "expect %s '%.60s'", m[r->r_match],
			    (const char *)r->r_data);
		break;
	}
}

/* haproxy counts the rules of the config: an implicit connect is not one. */
static int
tcr_stepno(const struct hp_server *s)
{
	return s->s_chk_step + (s->s_chk_rules[0].r_implicit ? 0 : 1);
}

/* Where the check was, for tcp-check's messages; "" for the built-in
 * rule lists (pgsql-check ...), whose messages haproxy keeps short. */
static void
tcr_where(const struct hp_server *s, const struct cf_chkrule *r, char *buf,
    size_t len)
{
	char what[96];

	buf[0] = '\0';
	if (s->s_be->b_cf.be_chk != CHK_TCPCHECK || r == NULL)
		return;
	if (r->r_implicit) {
		snprintf(buf, len, " at initial connection step of tcp-check");
		return;
	}
	tcr_what(r, what, sizeof(what));
	snprintf(buf, len, " at step %d of tcp-check (%s)", tcr_stepno(s), what);
}

/* Appends " comment: 'C'" as haproxy does. */
static void
tcr_comment(const struct cf_chkrule *r, char *buf, size_t len)
{
	size_t n = strlen(buf);

	if (r != NULL && r->r_comment[0] != '\0' && n < len)
		snprintf(buf + n, len - n, " comment: '%s'", r->r_comment);
}

/* The reply's text from byte off up to a NUL or line end. */
static void
tcr_payload(const unsigned char *buf, size_t len, size_t off, char *out,
    size_t outlen)
{
	size_t i = 0;

	for (; off < len && i + 1 < outlen; off++) {
		if (buf[off] == '\0' || buf[off] == '\r' || buf[off] == '\n')
			break;
		out[i++] = buf[off] >= 0x20 && buf[off] < 0x7f && buf[off] != '"'
		    ? (char)buf[off] : '.';
	}
	out[i] = '\0';
}

/* An SMTP reply's code (its first 3 digits), 0 if it has none. */
static int
tcr_smtp_code(const unsigned char *buf, size_t len)
{
	if (len < 3 || buf[0] < '0' || buf[0] > '9' || buf[1] < '0' ||
	    buf[1] > '9' || buf[2] < '0' || buf[2] > '9')
		return 0;
	return (buf[0] - '0') * 100 + (buf[1] - '0') * 10 + buf[2] - '0';
}

/* An SMTP reply's text: after the code and its separator, spaces
 * trimmed (haproxy: res.payload(4,0),ltrim(' '),cut_crlf). */
static void
tcr_smtp_text(const unsigned char *buf, size_t len, char *out,
    size_t outlen)
{
	size_t off = 4;

	while (off < len && buf[off] == ' ')
		off++;
	tcr_payload(buf, len, off, out, outlen);
}

/* The greeting, or the reply to our authentication after it. */
static int
tcr_mysql_expect(struct hp_server *s, const struct cf_chkrule *r,
    const unsigned char *buf, size_t len, int last)
{
	struct mysqlreply mr;
	char msg[96];

	switch (mysqlreply_parse(buf, len, r->r_match == M_MYSQL_OK, &mr)) {
	case MR_SHORT:
		if (!last)
			return 0;
		tcr_done(s, "L7RSP", 0, "incomplete MySQL packet");
		return -1;
	case MR_ERR:
		tcr_payload(mr.mr_text, mr.mr_textlen, 0, msg, sizeof(msg));
		tcr_done(s, "L7STS", mr.mr_code, msg);
		return -1;
	case MR_OK:
		break;
	}
	if (s->s_chk_step + 1 < s->s_chk_nrules)
		return 1;
	/* the greeting's server version is the check's info */
	tcr_payload(mr.mr_text, mr.mr_textlen, 0, msg, sizeof(msg));
	tcr_done(s, "L7OK", 0, msg);
	return -1;
}

/* The BindResponse (check-ldap.c); as in haproxy, a reply cut short
 * fails without a reason. */
static int
tcr_ldap_expect(struct hp_server *s, const unsigned char *buf, size_t len,
    int last)
{
	int code;

	switch (ldapreply_parse(buf, len, &code)) {
	case LR_SHORT:
		if (!last)
			return 0;
		tcr_done(s, "L7RSP", 0, "");
		break;
	case LR_NOTLDAP:
		tcr_done(s, "L7RSP", 0, "Not LDAPv3 protocol");
		break;
	case LR_ERR:
		tcr_done(s, "L7STS", code, "See RFC: "
		    "http://tools.ietf.org/html/rfc4511#section-4.1.9");
		break;
	case LR_OK:
		/* haproxy says "Success" here, then its end of the rules
		 * replaces that with the last rule's on-success: none */
		tcr_done(s, "L7OK", 0, "");
		break;
	}
	return -1;
}

/* The rule failed: its status, and the message haproxy would give. */
static void
tcr_fail(struct hp_server *s, const struct cf_chkrule *r,
    const unsigned char *buf, size_t len, int matched)
{
	char info[160];

	/* haproxy: an empty reply says so, whatever the rule's on-error */
	if (r->r_onerror[0] != '\0' && len > 0)
		snprintf(info, sizeof(info), "%s", r->r_onerror);
	else if (r->r_smtp && len > 0) {
		tcr_smtp_text(buf, len, info, sizeof(info));
		tcr_done(s, r->r_err, tcr_smtp_code(buf, len), info);
		return;
	} else if (r->r_errpayload > 0 && len > 0)
		tcr_payload(buf, len, (size_t)r->r_errpayload - 1, info,
		    sizeof(info));
	else {
		if (len == 0)
			snprintf(info, sizeof(info), "TCPCHK got an empty "
			    "response at step %d", tcr_stepno(s));
		else
			snprintf(info, sizeof(info), "TCPCHK %s '%.60s' at step "
			    "%d", matched ? "matched unwanted content" :
			    "did not match content", r->r_match == M_BINARY ||
			    r->r_match == M_RBINARY ? "(binary)" :
			    (const char *)r->r_data, tcr_stepno(s));
		tcr_comment(r, info, sizeof(info));
	}
	tcr_done(s, r->r_err[0] ? r->r_err : "L7RSP", 0, info);
}

/* 1 passed, 0 wait for more bytes, -1 the check ended. */
static int
tcr_expect(struct hp_server *s, const struct cf_chkrule *r)
{
	struct evbuffer *in = bufferevent_get_input(s->s_chk_bev);
	size_t len = evbuffer_get_length(in);
	const unsigned char *buf = evbuffer_pullup(in, -1);
	int last = s->s_chk_eof || len >= CHECK_MAXBUF, m;

	if (buf == NULL)
		buf = (const unsigned char *)"";
	if (s->s_chk_eof && len == 0) {
		/* haproxy: an empty reply fails whatever the rule says */
		tcr_fail(s, r, buf, 0, 0);
		return -1;
	}
	if (r->r_match == M_MYSQL_INIT || r->r_match == M_MYSQL_OK)
		return tcr_mysql_expect(s, r, buf, len, last);
	if (r->r_match == M_LDAP)
		return tcr_ldap_expect(s, buf, len, last);
	if (!last && (((r->r_match == M_STRING || r->r_match == M_BINARY) &&
	    len < r->r_len) || (r->r_minrecv > 0 &&
	    len < (size_t)r->r_minrecv)))
		return 0;
	if ((m = check_match(r, buf, len)) == -1) {
		tcr_done(s, "L7RSP", 0, "out of memory");
		return -1;
	}
	if (!m && !last && r->r_minrecv == -1)
		return 0;
	if (m != r->r_inverse)
		return 1;
	tcr_fail(s, r, buf, len, m);
	return -1;
}

/* Every rule passed: the status the last one gives. */
static void
tcr_success(struct hp_server *s)
{
	const struct cf_chkrule *r = NULL;
	int i;

	for (i = s->s_chk_nrules - 1; i >= 0 && r == NULL; i--)
		if (s->s_chk_rules[i].r_act != ACT_COMMENT)
			r = &s->s_chk_rules[i];
	if (r != NULL && r->r_smtp) {
		struct evbuffer *in = bufferevent_get_input(s->s_chk_bev);
		size_t len = evbuffer_get_length(in);
		const unsigned char *buf = evbuffer_pullup(in, -1);
		char info[160];

		tcr_smtp_text(buf, len, info, sizeof(info));
		tcr_done(s, "L7OK", tcr_smtp_code(buf, len), info);
	} else if (r == NULL || r->r_act == ACT_SEND)
		tcr_done(s, "L7OK", 0, "(tcp-check)");
	else if (r->r_act == ACT_CONNECT)
		tcr_done(s, "L4OK", 0, r->r_implicit ? "" : "(tcp-check)");
	else
		tcr_done(s, r->r_ok[0] ? r->r_ok : "L7OK", 0,
		    r->r_onsuccess[0] ? r->r_onsuccess : r->r_comment[0] ?
		    r->r_comment : "(tcp-check)");
}

/* A send or an expect rule: 0 go on, 1 it waits or ended the check. */
static int
tcr_rule(struct hp_server *s, const struct cf_chkrule *r)
{
	int rc;

	if (r->r_act == ACT_SEND) {
		if (s->s_chk_bev != NULL && evbuffer_drain(
		    bufferevent_get_input(s->s_chk_bev), (size_t)-1) == 0 &&
		    bufferevent_write(s->s_chk_bev, r->r_data, r->r_len) != -1)
			return 0;
		tcr_done(s, "L4CON", 0, "cannot send");
		return 1;
	}
	if (s->s_chk_bev == NULL) {
		tcr_done(s, "L4CON", 0, "not connected");
		return 1;
	}
	if ((rc = tcr_expect(s, r)) == 0)
		bufferevent_enable(s->s_chk_bev, EV_READ);
	return rc == 0 || rc == -1;
}

static void
tcr_sockerr(struct hp_server *s)
{
	tcr_done(s, "SOCKERR", 0, "");
}

const struct check_proto tcpcheck_proto = { tcr_success, tcr_rule,
    tcr_sockerr };

/* The connection closed, failed or timed out during rule s_chk_step. */
void
tcpcheck_error(struct hp_server *s, short what)
{
	const struct cf_chkrule *r = s->s_chk_step < s->s_chk_nrules ?
	    &s->s_chk_rules[s->s_chk_step] : NULL;
	char info[192], where[128];
	const char *st;

	if ((what & BEV_EVENT_EOF) && s->s_chk_conn) {
		/* what was read is all there is: the expect decides */
		s->s_chk_eof = 1;
		check_rules_step(s, &tcpcheck_proto);
		return;
	}
	tcr_where(s, r, where, sizeof(where));
	if (what & BEV_EVENT_TIMEOUT) {
		st = !s->s_chk_conn ? "L4TOUT" : r != NULL && r->r_tout[0] ?
		    r->r_tout : "L7TOUT";
		snprintf(info, sizeof(info), "%s", where[0] == ' ' ?
		    where + 1 : where);
	} else {
		/* haproxy: an I/O error once connected is a socket error */
		st = s->s_chk_conn ? "SOCKERR" : "L4CON";
		snprintf(info, sizeof(info), "%s%s",
		    strerror(EVUTIL_SOCKET_ERROR()), where);
	}
	tcr_comment(r, info, sizeof(info));
	tcr_done(s, st, 0, info);
}
