/* SPDX-License-Identifier: ISC */
/*
 * The config helpers several keywords share (issue #18): config_arg_int
 * (one bounded number), config_grow (room for one more, and the limit),
 * the tcp-check and http-check rule words (cfc_rule, cfc_comment,
 * cfc_var), the .if operators (cond_chain), hp_named (backends,
 * servers, ACLs and named defaults by name), config_only_in (bind
 * and server where haproxy takes them) and the timeout table.  Each message is the one a
 * user reads: keyword, value, range, file:line.
 */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tap.h"
#include "unit-cfparse.h"
#include "wordtable.h"

static int
has(const char *line)
{
	return strstr(msgs, line) != NULL;
}

static void
test_arg_int(void)
{
	struct cf_config cf;

	parse("global\n    maxconn 0\n    nbthread\n    maxconn 12\n"
	    "defaults\n    retries 101\n    maxconn 2000000\n"
	    "backend b\n    fullconn x y\n    retries 5\n", &cf);
	ok(has("E t.cfg:2: maxconn \"0\": is not a number; should be "
	    "1..1000000\n"), "global maxconn 0: global's words and range");
	ok(has("E t.cfg:3: nbthread \"\": is not a number; should be "
	    "1..64\n"), "nbthread without a value: an empty value named");
	ok(has("E t.cfg:6: defaults: retries \"101\": should be 0..100\n"),
	    "retries 101: the proxy's words");
	ok(has("E t.cfg:7: defaults: maxconn \"2000000\": should be "
	    "0..1000000\n"), "a proxy's maxconn has its own range");
	ok(has("E t.cfg:9: backend b: fullconn \"x\": should be "
	    "1..1000000\n"), "two values: the first named");
	is_int(cf.cf_maxconn, 12, "a good value is stored after bad ones");
	is_int(cf.cf_backends[0].be_retries, 5, "retries 5 stored");
	config_free(&cf);
}

static void
test_grow(void)
{
	struct cf_config cf;
	char *text;
	size_t len = 0, cap = 65536;
	int i;

	text = malloc(cap);
	text[0] = '\0';
	len += (size_t)snprintf(text + len, cap - len, "backend b\n");
	for (i = 0; i < CF_MAXSERVERS + 1; i++)
		len += (size_t)snprintf(text + len, cap - len,
		    "    server s%d 127.0.0.1:%d\n", i, 1000 + i);
	for (i = 1; i < CF_MAXPROXIES + 1; i++)
		len += (size_t)snprintf(text + len, cap - len,
		    "backend b%d\n", i);
	/* past the limit and defined twice: the limit is what is said */
	len += (size_t)snprintf(text + len, cap - len, "backend b\n");
	parse(text, &cf);
	ok(has("E t.cfg:258: backend b: more than 256 servers\n"),
	    "server 257: more than 256 servers, at its line");
	is_int(cf.cf_backends[0].be_nservers, CF_MAXSERVERS,
	    "the first 256 servers kept");
	ok(has("E t.cfg:322: backend b64: more than 64 backends\n"),
	    "backend 65: more than 64 backends");
	ok(has("E t.cfg:323: backend b: more than 64 backends\n") &&
	    !has("defined twice"), "a 66th, a name used twice: the limit");
	is_int(cf.cf_nbackends, CF_MAXPROXIES, "64 backends kept");
	config_free(&cf);
	free(text);
}

static void
test_check_words(void)
{
	struct cf_config cf;

	parse("backend b\n    option tcp-check\n"
	    "    tcp-check comment\n    tcp-check set-var\n"
	    "    tcp-check send-lf x\n    tcp-check comment hi\n"
	    "    option httpchk\n    http-check set-var\n"
	    "    http-check unset-var(txn.x)\n    http-check send-binary 01\n"
	    "    http-check comment %[x]\n", &cf);
	ok(has("E t.cfg:3: backend b: tcp-check comment: one string "
	    "expected\n"), "tcp-check comment without text");
	ok(has("W t.cfg:4: backend b: tcp-check set-var: ignored (no sample "
	    "expression reads variables)\n"), "tcp-check takes a bare set-var");
	ok(has("E t.cfg:5: backend b: tcp-check send-lf: not supported; "
	    "should be connect, send, send-binary, expect or comment\n"),
	    "tcp-check: what it takes");
	is_int(cf.cf_backends[0].be_ntcr, 1, "the good comment kept, alone");
	ok(has("E t.cfg:8: backend b: http-check set-var: not supported; "
	    "should be connect, send, expect, comment or disable-on-404\n"),
	    "http-check refuses a bare set-var");
	ok(has("W t.cfg:9: backend b: http-check unset-var(txn.x): ignored"),
	    "http-check ignores unset-var(...)");
	ok(has("E t.cfg:10: backend b: http-check send-binary: not "
	    "supported;"), "http-check has no send-binary");
	ok(has("E t.cfg:11: backend b: http-check comment \"%[x]\": "
	    "log-format expressions are not supported, plain text only\n"),
	    "a comment is plain text");
	config_free(&cf);
}

static void
test_cond(void)
{
	static const struct {
		const char	*c;
		int		 want;
	} t[] = {
		{ "1 || 0 && 0", 1 },	/* && binds tighter */
		{ "0 && 1 || 1", 1 },
		{ "(1 || 0) && 0", 0 },
		{ "0 || 0 || 1", 1 },
		{ "1 && 1 && 0", 0 },
	};
	const char *why = NULL;
	char buf[64], *argv[16], *save = NULL, *w;
	size_t i;
	int argc;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		snprintf(buf, sizeof(buf), "%s", t[i].c);
		argc = 0;
		for (w = strtok_r(buf, " ", &save); w != NULL && argc < 16;
		    w = strtok_r(NULL, " ", &save))
			argv[argc++] = w;
		is_int(config_cond_eval(argc, argv, &why), t[i].want, "%s",
		    t[i].c);
	}
	argv[0] = "1";
	argv[1] = "||";
	argv[2] = "bogus(";
	is_int(config_cond_eval(3, argv, &why), -1,
	    "an error on the right though the left decides");
}

struct named {
	int	 n_id;
	char	 n_name[8];
};

static void
test_named(void)
{
	static const struct named v[] = { { 1, "ab" }, { 2, "a" },
	    { 3, "abc" } };
	struct cf_config cf;
	size_t off = offsetof(struct named, n_name);

	is_int(hp_named(v, 3, sizeof(v[0]), off, "a"), 1,
	    "hp_named: the whole name, not a prefix");
	is_int(hp_named(v, 3, sizeof(v[0]), off, "abc"), 2,
	    "hp_named: the last element");
	is_int(hp_named(v, 3, sizeof(v[0]), off, "b"), -1,
	    "hp_named: an unknown name");
	is_int(hp_named(NULL, 0, sizeof(v[0]), off, "a"), -1,
	    "hp_named: none to look at");
	parse("defaults d1\n    retries 7\ndefaults d2\n    retries 8\n"
	    "defaults d1\n    retries 9\ndefaults d3\n    retries 5\n"
	    "frontend f\n    bind 127.0.0.1:1\n    default_backend bb\n"
	    "backend b from d1\n    server s 127.0.0.1:1\n"
	    "    server s 127.0.0.1:2\n"
	    "backend bb from d2\n    server s 127.0.0.1:3\n"
	    "backend b\n", &cf);
	ok(has("E t.cfg:14: backend b: server \"s\" defined twice\n"),
	    "a server named twice in one backend");
	ok(has("E t.cfg:17: backend b: backend \"b\" defined twice\n"),
	    "a backend named twice");
	is_int(cf.cf_nbackends, 2, "two backends kept");
	is_int(cf.cf_nbackends == 2 ? cf.cf_backends[1].be_nservers : -1, 1,
	    "the same server name in another backend");
	is_int(cf.cf_nfrontends == 1 ? cf.cf_frontends[0].fe_backend : -1, 1,
	    "default_backend bb: the second backend, not b");
	is_int(cf.cf_nbackends == 2 ? cf.cf_backends[1].be_retries : -1, 8,
	    "from d2: that named defaults section");
	is_int(cf.cf_nbackends == 2 ? cf.cf_backends[0].be_retries : -1, 9,
	    "from d1: the later d1 replaced the first");
	config_free(&cf);
}

static void
test_only_in(void)
{
	struct cf_config cf;

	parse("defaults\n    bind 127.0.0.1:1\n    server s 127.0.0.1:2\n"
	    "frontend f\n    server s 127.0.0.1:2\n    bind 127.0.0.1:1\n"
	    "    default_backend b\n"
	    "backend b\n    bind 127.0.0.1:3\n    server s 127.0.0.1:2\n"
	    "listen l\n    bind 127.0.0.1:4\n    server s 127.0.0.1:2\n", &cf);
	ok(has("E t.cfg:2: defaults: bind: only in a frontend or listen "
	    "section\n"), "bind in defaults: an error");
	ok(has("E t.cfg:3: defaults: server: only in a backend or listen "
	    "section\n"), "server in defaults: an error");
	ok(has("E t.cfg:5: frontend f: server: only in a backend or listen "
	    "section\n"), "server in a frontend: an error");
	ok(has("E t.cfg:9: backend b: bind: only in a frontend or listen "
	    "section\n"), "bind in a backend: an error");
	ok(strstr(msgs, "t.cfg:6:") == NULL && strstr(msgs, "t.cfg:10:") ==
	    NULL && strstr(msgs, "t.cfg:12:") == NULL &&
	    strstr(msgs, "t.cfg:13:") == NULL,
	    "bind in a frontend or listen, server in a backend or listen: "
	    "no message");
	is_int(cf.cf_nfrontends == 2 ? cf.cf_frontends[1].fe_nbinds : -1, 1,
	    "listen's bind kept");
	config_free(&cf);
}

static void
test_timeouts(void)
{
	struct cf_config cf;
	const struct cf_backend *be;
	const struct cf_frontend *fe;

	parse("frontend f\n    bind 127.0.0.1:1\n    default_backend b\n"
	    "    timeout client 2s\n    timeout client-fin 3s\n"
	    "    timeout connect 4s\n    timeout tarpit 5s\n"
	    "backend b\n    server s 127.0.0.1:2\n    timeout check 6s\n"
	    "    timeout queue 7s\n    timeout server-fin 8s\n"
	    "    timeout tunnel 1h\n    timeout server 9s\n"
	    "    timeout client 10s\n    timeout bogus 1s\n"
	    "backend b2\n    timeout server 9s\n    timeout tunnel 20s\n"
	    "    timeout tunnel 10s\n", &cf);
	ok(cf.cf_nfrontends == 1 && cf.cf_nbackends == 2, "parsed");
	if (cf.cf_nfrontends != 1 || cf.cf_nbackends != 2)
		return;
	fe = &cf.cf_frontends[0];
	be = &cf.cf_backends[0];
	is_int(fe->fe_tclient, 2000000, "timeout client: the frontend's");
	is_int(fe->fe_tclientfin, 3000000, "timeout client-fin");
	ok(has("W t.cfg:6: frontend f: timeout connect: ignored in this "
	    "section\n"), "a backend's timeout in a frontend: a warning");
	ok(has("W t.cfg:7: frontend f: timeout tarpit: ignored (L4 proxy)\n"),
	    "timeout tarpit: a warning");
	is_int(be->be_tcheck, 6000000, "timeout check");
	is_int(be->be_tqueue, 7000000, "timeout queue");
	is_int(be->be_tserverfin, 8000000, "timeout server-fin");
	is_int(be->be_tserver, 9000000, "timeout server after tunnel: server's");
	ok(has("W t.cfg:15: backend b: timeout client: ignored in this "
	    "section\n"), "a frontend's timeout in a backend: a warning");
	ok(has("E t.cfg:16: backend b: timeout \"bogus\": unknown\n"),
	    "an unknown timeout: an error");
	is_int(cf.cf_backends[1].be_tserver, 20000000,
	    "timeout tunnel: the longest of server and tunnel");
	config_free(&cf);
}

int
main(void)
{
	test_arg_int();
	test_grow();
	test_check_words();
	test_cond();
	test_named();
	test_only_in();
	test_timeouts();
	return done_testing();
}
