/* SPDX-License-Identifier: ISC */
/*
 * acl.c: the L4 criteria against addresses, IPv4 and IPv6 (IPv4-mapped
 * clients too), port ranges and operators, conditions with and, or,
 * negation, unless and anonymous ACLs, rule order, the backends' state
 * (nbsrv, srv_is_up) through the caller's reader, and the reasons a
 * criterion or a condition is refused.  acl.t holds the same rules
 * against haproxy 2.6 on 127/8; this covers what a loopback test cannot.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <regex.h>
#include <stdlib.h>
#include <string.h>

#include "tap.h"
#include "acl.h"

static struct sockaddr_storage
sa(const char *a, int port)
{
	struct sockaddr_storage s;
	struct sockaddr_in *in = (struct sockaddr_in *)&s;
	struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)&s;

	memset(&s, 0, sizeof(s));
	if (inet_pton(AF_INET, a, &in->sin_addr) == 1) {
		in->sin_family = AF_INET;
		in->sin_port = htons(port);
	} else {
		in6->sin6_family = AF_INET6;
		inet_pton(AF_INET6, a, &in6->sin6_addr);
		in6->sin6_port = htons(port);
	}
	return s;
}

/* Splits a line into words (no quoting needed here). */
static int
words(char *line, char **argv, int max)
{
	int n = 0;
	char *w;

	for (w = strtok(line, " "); w != NULL && n < max; w = strtok(NULL, " "))
		argv[n++] = w;
	return n;
}

static char why[ACL_WHYLEN];

/* The last reason matches the extended regex re. */
static void
like_why(const char *re)
{
	regex_t r;
	int m = 0;

	if (regcomp(&r, re, REG_EXTENDED | REG_NOSUB) == 0) {
		m = regexec(&r, why, 0, NULL, 0) == 0;
		regfree(&r);
	}
	if (!ok(m, "the reason says /%s/", re))
		printf("#   got \"%s\"\n", why);
}

static int
declare(struct acl_set *s, const char *text)
{
	struct acl_ctx x = { "u.cfg", 1, why };
	char buf[512], *argv[64];

	snprintf(buf, sizeof(buf), "%s", text);
	return acl_declare(s, words(buf, argv, 64), argv, &x);
}

static int
cond(struct acl_set *s, const char *text, struct acl_cond *c)
{
	struct acl_ctx x = { "u.cfg", 2, why };
	char buf[512], *argv[64];

	snprintf(buf, sizeof(buf), "%s", text);
	return acl_cond_parse(s, words(buf, argv, 64), argv, c, &x);
}

/* Whether COND matches a client SRC:SPORT talking to DST:DPORT. */
static int
match(struct acl_set *s, const char *text, const char *src, int sport,
    const char *dst, int dport)
{
	struct sockaddr_storage a = sa(src, sport), b = sa(dst, dport);
	struct acl_addrs aa = { (struct sockaddr *)&a, (struct sockaddr *)&b, NULL };
	struct acl_cond c;

	if (cond(s, text, &c) == -1)
		return -1;
	return acl_cond_eval(s, &c, &aa);
}

static void
test_addresses(void)
{
	struct acl_set *s = acl_set_new();

	is_int(declare(s, "v4 src 10.0.0.0/8 192.168.1.1 172.16.0.0/255.240.0.0"),
	    0, "acl src with a prefix, a host and a dotted mask");
	is_int(declare(s, "v6 src 2001:db8::/32 ::1"), 0, "acl src IPv6");
	is_int(match(s, "if v4", "10.9.8.7", 1, "127.0.0.1", 80), 1,
	    "10.9.8.7 in 10.0.0.0/8");
	is_int(match(s, "if v4", "11.0.0.1", 1, "127.0.0.1", 80), 0,
	    "11.0.0.1 is not");
	is_int(match(s, "if v4", "172.31.255.255", 1, "127.0.0.1", 80), 1,
	    "a dotted mask is a prefix");
	is_int(match(s, "if v4", "::ffff:10.1.1.1", 1, "::1", 80), 1,
	    "an IPv4-mapped IPv6 client matches an IPv4 network");
	is_int(match(s, "if v6", "2001:db8:ffff::1", 1, "::1", 80), 1,
	    "2001:db8:ffff::1 in 2001:db8::/32");
	is_int(match(s, "if v6", "2001:db9::1", 1, "::1", 80), 0,
	    "2001:db9::1 is not");
	is_int(match(s, "if v6", "10.1.1.1", 1, "::1", 80), 0,
	    "an IPv4 client is not in an IPv6 network");
	is_int(declare(s, "d dst 127.0.0.2"), 0, "acl dst");
	ok(s->s_needdst, "dst makes the rules ask for the local address");
	is_int(match(s, "if d", "10.0.0.1", 1, "127.0.0.2", 80), 1, "dst matches");
	is_int(match(s, "if d", "10.0.0.1", 1, "127.0.0.3", 80), 0,
	    "another dst does not");
	is_int(declare(s, "bad src 10.1.2.3/33"), -1, "a /33 is refused");
	like_why("is not an IPv4 or IPv6");
	/* a name is looked up as haproxy does (its first IPv4 address) */
	is_int(declare(s, "h src localhost/8"), 0, "a host name, with a mask");
	is_int(match(s, "if h", "127.9.9.9", 1, "127.0.0.1", 80), 1,
	    "127.9.9.9 in localhost/8");
	is_int(declare(s, "bad src -n host.example"), -1,
	    "with -n, a name is refused (and not looked up)");
	is_int(declare(s, "bad src 255.0.255.0/255.0.255.0"), -1,
	    "a mask with holes is refused");
	acl_set_free(s);
}

static void
test_ports(void)
{
	struct acl_set *s = acl_set_new();

	is_int(declare(s, "p dst_port 80 1024:2048 lt 10 ge 60000 9000:"), 0,
	    "ports, ranges, operators, an open range");
	is_int(match(s, "if p", "1.1.1.1", 5, "2.2.2.2", 80), 1, "80");
	is_int(match(s, "if p", "1.1.1.1", 5, "2.2.2.2", 1500), 1, "1500");
	is_int(match(s, "if p", "1.1.1.1", 5, "2.2.2.2", 9), 1, "lt 10");
	is_int(match(s, "if p", "1.1.1.1", 5, "2.2.2.2", 10), 0, "not 10");
	is_int(match(s, "if p", "1.1.1.1", 5, "2.2.2.2", 9500), 1, "9000:");
	is_int(match(s, "if p", "1.1.1.1", 5, "2.2.2.2", 3000), 0, "not 3000");
	is_int(declare(s, "sp src_port :1023"), 0, "src_port :1023");
	is_int(match(s, "if sp", "1.1.1.1", 1023, "2.2.2.2", 1), 1,
	    "source port 1023");
	is_int(match(s, "if sp", "1.1.1.1", 1024, "2.2.2.2", 1), 0,
	    "source port 1024");
	is_int(declare(s, "bad dst_port lt"), -1, "an operator without a value");
	is_int(declare(s, "bad dst_port http"), -1, "a port name is refused");
	is_int(declare(s, "bad dst_port -m str 80"), -1, "-m str is refused");
	is_int(declare(s, "bad dst_port -x 80"), -1, "an unknown flag is refused");
	is_int(declare(s, "ok dst_port -m int -i -- 80"), 0, "-m int, -i, --");
	acl_set_free(s);
}

static void
test_conditions(void)
{
	struct acl_set *s = acl_set_new();

	declare(s, "a src 10.0.0.0/8");
	declare(s, "b dst_port 80");
	declare(s, "a src 192.168.0.0/16");	/* same name: ORed */
	is_int(match(s, "if a b", "10.0.0.1", 1, "1.1.1.1", 80), 1, "a and b");
	is_int(match(s, "if a b", "10.0.0.1", 1, "1.1.1.1", 81), 0, "a, not b");
	is_int(match(s, "if a b", "192.168.3.3", 1, "1.1.1.1", 80), 1,
	    "two lines of one name: either matches");
	is_int(match(s, "if a or b", "11.0.0.1", 1, "1.1.1.1", 80), 1, "a or b");
	is_int(match(s, "if a || b", "11.0.0.1", 1, "1.1.1.1", 81), 0,
	    "neither");
	is_int(match(s, "if !a b", "11.0.0.1", 1, "1.1.1.1", 80), 1, "!a b");
	is_int(match(s, "if ! a", "10.0.0.1", 1, "1.1.1.1", 80), 0, "! a");
	is_int(match(s, "unless a", "10.0.0.1", 1, "1.1.1.1", 80), 0, "unless a");
	is_int(match(s, "if { src 11.0.0.0/8 } or !{ dst_port 80 }",
	    "11.0.0.1", 1, "1.1.1.1", 80), 1, "anonymous ACLs");
	is_int(match(s, "if a b or { src 11.0.0.0/8 } b", "11.0.0.1", 1,
	    "1.1.1.1", 81), 0, "AND binds tighter than OR");
	is_int(match(s, "if TRUE", "1.1.1.1", 1, "1.1.1.1", 1), 1, "TRUE");
	is_int(match(s, "if FALSE", "1.1.1.1", 1, "1.1.1.1", 1), 0, "FALSE");
	is_int(match(s, "if LOCALHOST", "127.3.2.1", 1, "1.1.1.1", 1), 1,
	    "LOCALHOST: 127/8");
	is_int(match(s, "if LOCALHOST", "::1", 1, "::1", 1), 1, "LOCALHOST: ::1");
	is_int(match(s, "if nosuch", "1.1.1.1", 1, "1.1.1.1", 1), -1,
	    "an unknown ACL");
	like_why("no such ACL");
	is_int(match(s, "if HTTP", "1.1.1.1", 1, "1.1.1.1", 1), -1, "HTTP");
	like_why("HTTP only");
	is_int(match(s, "if a or", "1.1.1.1", 1, "1.1.1.1", 1), -1,
	    "a trailing or");
	is_int(match(s, "if or a", "1.1.1.1", 1, "1.1.1.1", 1), -1,
	    "a leading or");
	is_int(match(s, "if { src 1.1.1.1", "1.1.1.1", 1, "1.1.1.1", 1), -1,
	    "an open brace");
	is_int(match(s, "if", "1.1.1.1", 1, "1.1.1.1", 1), -1, "if alone");
	is_int(match(s, "when a", "1.1.1.1", 1, "1.1.1.1", 1), -1, "when");
	acl_set_free(s);
}

static void
test_unsupported(void)
{
	struct acl_set *s = acl_set_new();

	is_int(declare(s, "h path_beg /img"), 0,
	    "an HTTP criterion is kept for later");
	is_int(match(s, "if h", "1.1.1.1", 1, "1.1.1.1", 1), -1,
	    "... and refused where a rule uses it");
	like_why("ACL h \\(u.cfg:1\\): path_beg: HTTP only");
	is_int(match(s, "if { req.ssl_sni -i x }", "1.1.1.1", 1, "1.1.1.1", 1),
	    -1, "a payload criterion");
	like_why("content inspection is not done at L4");
	is_int(match(s, "if { src,ipmask(24) 1.1.1.0 }", "1.1.1.1", 1,
	    "1.1.1.1", 1), -1, "a converter");
	like_why("converters");
	declare(s, "l4 src 1.1.1.1");
	is_int(match(s, "if l4", "1.1.1.1", 1, "1.1.1.1", 1), 1, "l4 in use");
	is_int(declare(s, "l4 hdr(host) x"), -1,
	    "an HTTP line added to an ACL a rule uses is refused");
	acl_set_free(s);
}

static void
test_rules(void)
{
	struct acl_set *s = acl_set_new();
	struct acl_rule r;
	struct sockaddr_storage a = sa("10.0.0.1", 1), b = sa("1.1.1.1", 80);
	struct acl_addrs aa = { (struct sockaddr *)&a, (struct sockaddr *)&b, NULL };

	memset(&r, 0, sizeof(r));
	r.r_kind = RK_CONNECTION;
	r.r_accept = 1;
	cond(s, "if { src 10.0.0.1 }", &r.r_cond);
	acl_rule_add(s, &r, why, sizeof(why));
	r.r_accept = 0;
	cond(s, "if { src 10.0.0.0/8 }", &r.r_cond);
	acl_rule_add(s, &r, why, sizeof(why));
	is_int(acl_tcp_rules(s, RK_CONNECTION, &aa), 1,
	    "the first rule that matches decides: accept");
	a = sa("10.0.0.2", 1);
	is_int(acl_tcp_rules(s, RK_CONNECTION, &aa), 0, "... reject");
	is_int(acl_tcp_rules(s, RK_CONTENT, &aa), 1, "no content rule: accept");
	r.r_kind = RK_SWITCH;
	cond(s, "", &r.r_cond);
	acl_rule_add(s, &r, why, sizeof(why));
	is_int(acl_switch(s, &aa), 2, "an unconditional use_backend");
	acl_set_free(s);
}

/* The state the rules read, as rules.c's reader would: by the indexes. */
static long state_nbsrv, state_up;

static long
state_get(const void *arg, const struct acl_expr *e)
{
	if (arg != (const void *)&state_nbsrv || e->ae_bei != 3)
		return ACL_NOSTATE;	/* not what config-acl.c resolved */
	if (acl_is_srv(e->ae_crit) && e->ae_srvi != 5)
		return ACL_NOSTATE;
	return e->ae_crit == AC_SRVUP ? state_up : state_nbsrv;
}

/* The last expression declared as config-acl.c resolves it. */
static void
resolve(struct acl_set *s)
{
	s->s_exprs[s->s_nexprs - 1].ae_bei = 3;
	s->s_exprs[s->s_nexprs - 1].ae_srvi = 5;
}

static int
match_state(struct acl_set *s, const char *text, long nbsrv, long up)
{
	struct sockaddr_storage a = sa("10.0.0.1", 1), b = sa("10.0.0.2", 2);
	struct acl_state st = { state_get, &state_nbsrv };
	struct acl_addrs aa = { (struct sockaddr *)&a, (struct sockaddr *)&b,
	    &st };
	struct acl_cond c;

	state_nbsrv = nbsrv;
	state_up = up;
	if (cond(s, text, &c) == -1)
		return -1;
	return acl_cond_eval(s, &c, &aa);
}

static void
test_state_parse(void)
{
	struct acl_set *s = acl_set_new();
	const struct acl_expr *e;

	is_int(declare(s, "dead nbsrv(primary) lt 1"), 0, "nbsrv(BACKEND)");
	e = &s->s_exprs[s->s_nexprs - 1];
	is_int(e->ae_crit, AC_NBSRV, "its criterion is nbsrv");
	is_str(e->ae_be, "primary", "it names the backend");
	is_int(e->ae_bei, -1, "resolved later, with every section read");
	is_int(declare(s, "own nbsrv ge 2"), 0, "nbsrv with no argument");
	ok(s->s_exprs[s->s_nexprs - 1].ae_be == NULL,
	    "no argument: the proxy's own backend");
	is_int(declare(s, "own2 nbsrv() 2"), 0, "nbsrv() is nbsrv");
	ok(s->s_exprs[s->s_nexprs - 1].ae_be == NULL, "nbsrv(): its own too");
	is_int(declare(s, "up srv_is_up(redis/R0)"), 0, "srv_is_up(BE/SRV)");
	e = &s->s_exprs[s->s_nexprs - 1];
	ok(e->ae_crit == AC_SRVUP && e->ae_be != NULL && e->ae_srv != NULL &&
	    strcmp(e->ae_be, "redis") == 0 && strcmp(e->ae_srv, "R0") == 0,
	    "srv_is_up(redis/R0): backend redis, server R0");
	is_int(declare(s, "up2 srv_is_up(R0)"), 0, "srv_is_up(SRV)");
	e = &s->s_exprs[s->s_nexprs - 1];
	ok(e->ae_be == NULL && e->ae_srv != NULL && strcmp(e->ae_srv, "R0") ==
	    0, "srv_is_up(R0): the proxy's own backend");
	is_int(declare(s, "up3 srv_is_up(R0) 0"), 0,
	    "srv_is_up with a value: haproxy's boolean ignores it");
	is_int(declare(s, "up4 srv_is_up(R0) -m bool"), 0, "-m bool");

	is_int(declare(s, "bad srv_is_up"), -1, "srv_is_up needs a server");
	like_why("missing server name");
	is_int(declare(s, "bad srv_is_up()"), -1, "srv_is_up() too");
	is_int(declare(s, "bad srv_is_up(redis/)"), -1, "srv_is_up(BE/) too");
	like_why("missing server name");
	is_int(declare(s, "bad nbsrv(a,b) 1"), -1, "one argument only");
	like_why("one argument");
	is_int(declare(s, "bad nbsrv(a 1"), -1, "an unclosed argument");
	like_why("expected \"\\)\"");
	is_int(declare(s, "bad nbsrv(a)b 1"), -1, "words after the argument");
	is_int(declare(s, "bad nbsrv(a) foo"), -1, "a value not a number");
	like_why("\"foo\" is not a number");
	is_int(declare(s, "bad nbsrv(a) lt"), -1, "an operator alone");
	is_int(declare(s, "neg connslots(a) eq -1 lt -3"), 0,
	    "negative numbers for an integer, as haproxy");
	is_int(declare(s, "bad connslots(a) -- -5:-2"), -1,
	    "but no negative range, as haproxy");
	is_int(declare(s, "bad src_port -1"), -1, "not for a port");
	is_int(declare(s, "bad nbsrv(a) -m str 1"), -1, "-m str refused");
	like_why("only -m int");
	is_int(declare(s, "bad srv_is_up(a/b) -m int 1"), -1,
	    "srv_is_up takes -m bool only");
	like_why("only -m bool");
	is_int(declare(s, "bc be_conn(primary) ge 10"), 0, "be_conn(BACKEND)");
	e = &s->s_exprs[s->s_nexprs - 1];
	ok(e->ae_crit == AC_BECONN && e->ae_be != NULL &&
	    strcmp(e->ae_be, "primary") == 0, "its criterion and backend");
	is_int(declare(s, "q queue gt 0"), 0, "queue, its own backend");
	ok(s->s_exprs[s->s_nexprs - 1].ae_crit == AC_QUEUE &&
	    s->s_exprs[s->s_nexprs - 1].ae_be == NULL, "no argument: its own");
	is_int(declare(s, "sc srv_conn(b/s1) lt 5"), 0, "srv_conn(BE/SRV)");
	e = &s->s_exprs[s->s_nexprs - 1];
	ok(e->ae_crit == AC_SRVCONN && strcmp(e->ae_be, "b") == 0 &&
	    strcmp(e->ae_srv, "s1") == 0, "backend b, server s1");
	is_int(declare(s, "sq srv_queue(s1) 1:"), 0, "srv_queue(SRV)");
	ok(s->s_exprs[s->s_nexprs - 1].ae_crit == AC_SRVQUEUE &&
	    s->s_exprs[s->s_nexprs - 1].ae_be == NULL, "its own backend");
	is_int(declare(s, "bad srv_conn"), -1, "srv_conn needs a server");
	like_why("srv_conn: missing server name");
	is_int(declare(s, "bad be_conn(a) foo"), -1, "be_conn takes numbers");
	like_why("\"foo\" is not a number");
	is_int(declare(s, "aq avg_queue(b) gt 3"), 0, "avg_queue(BACKEND)");
	ok(s->s_exprs[s->s_nexprs - 1].ae_crit == AC_AVGQUEUE, "its criterion");
	is_int(declare(s, "cs connslots(b) lt 1"), 0, "connslots(BACKEND)");
	ok(s->s_exprs[s->s_nexprs - 1].ae_crit == AC_CONNSLOTS, "its criterion");
	is_str(acl_crit_name(AC_SRVQUEUE), "srv_queue", "the names for messages");
	is_int(declare(s, "none nbsrv(a)"), 1,
	    "nbsrv with no value: a notice, never matches (haproxy warns)");
	is_int(declare(s, "arg src(x) 10.0.0.0/8"), 0,
	    "an argument to src is not taken for src");
	ok(s->s_exprs[s->s_nexprs - 1].ae_crit == AC_UNSUP,
	    "src(x): not supported");
	acl_set_free(s);
}

static void
test_state_eval(void)
{
	struct acl_set *s = acl_set_new();
	struct sockaddr_storage a = sa("10.0.0.1", 1);
	struct acl_addrs none = { (struct sockaddr *)&a, NULL, NULL };
	struct acl_cond c;

	declare(s, "lt1 nbsrv(p) lt 1");
	resolve(s);
	declare(s, "ge2 nbsrv(p) ge 2");
	resolve(s);
	declare(s, "gt2 nbsrv(p) gt 2");
	resolve(s);
	declare(s, "le1 nbsrv(p) le 1");
	resolve(s);
	declare(s, "eq0 nbsrv(p) eq 0");
	resolve(s);
	declare(s, "r nbsrv(p) 1:3");
	resolve(s);
	declare(s, "open nbsrv(p) 4:");
	resolve(s);
	declare(s, "upto nbsrv(p) :1");
	resolve(s);
	declare(s, "any nbsrv(p) 0 5");
	resolve(s);
	declare(s, "up srv_is_up(p/R0)");
	resolve(s);
	declare(s, "up0 srv_is_up(p/R0) 0");
	resolve(s);

	is_int(match_state(s, "if lt1", 0, 0), 1, "lt 1: 0 servers");
	is_int(match_state(s, "if lt1", 1, 0), 0, "lt 1: not 1");
	is_int(match_state(s, "if ge2", 2, 0), 1, "ge 2: 2");
	is_int(match_state(s, "if ge2", 1, 0), 0, "ge 2: not 1");
	is_int(match_state(s, "if gt2", 2, 0), 0, "gt 2: not 2");
	is_int(match_state(s, "if gt2", 3, 0), 1, "gt 2: 3");
	is_int(match_state(s, "if le1", 1, 0), 1, "le 1: 1");
	is_int(match_state(s, "if le1", 2, 0), 0, "le 1: not 2");
	is_int(match_state(s, "if eq0", 0, 0), 1, "eq 0: 0");
	is_int(match_state(s, "if eq0", 1, 0), 0, "eq 0: not 1");
	is_int(match_state(s, "if r", 3, 0), 1, "1:3 holds 3");
	is_int(match_state(s, "if r", 4, 0), 0, "1:3 does not hold 4");
	is_int(match_state(s, "if r", 0, 0), 0, "nor 0");
	is_int(match_state(s, "if open", 9, 0), 1, "4: holds 9");
	is_int(match_state(s, "if open", 3, 0), 0, "4: does not hold 3");
	is_int(match_state(s, "if upto", 0, 0), 1, ":1 holds 0");
	is_int(match_state(s, "if upto", 2, 0), 0, ":1 does not hold 2");
	is_int(match_state(s, "if any", 5, 0), 1, "one of two values");
	is_int(match_state(s, "if any", 4, 0), 0, "neither value");
	is_int(match_state(s, "if up", 0, 1), 1, "srv_is_up: up");
	is_int(match_state(s, "if up", 0, 0), 0, "srv_is_up: down");
	is_int(match_state(s, "if up0", 0, 1), 1,
	    "srv_is_up's value is ignored: up still matches");
	is_int(match_state(s, "if up ge2", 2, 1), 1,
	    "the Redis pattern: srv_is_up and nbsrv ge 2");
	is_int(match_state(s, "if up ge2", 1, 1), 0,
	    "not with one server left");
	is_int(match_state(s, "if !up || lt1", 1, 1), 0,
	    "negation and or over state");
	declare(s, "busy be_conn(p) ge 2");
	resolve(s);
	declare(s, "sconn srv_conn(p/R0) gt 0");
	resolve(s);
	is_int(match_state(s, "if busy", 2, 0), 1, "be_conn ge 2: 2");
	is_int(match_state(s, "if busy", 1, 0), 0, "be_conn ge 2: not 1");
	is_int(match_state(s, "if sconn", 1, 0), 1, "srv_conn gt 0: 1");
	is_int(match_state(s, "if sconn", 0, 0), 0, "srv_conn gt 0: not 0");
	declare(s, "slots connslots(p) lt 1");
	resolve(s);
	is_int(match_state(s, "if slots", -1, 0), 1,
	    "-1 is a value (connslots' with a server unlimited): lt 1 holds");
	is_int(declare(s, "negs connslots(p) -- -1"), 0,
	    "-- before a value that starts with a minus");
	resolve(s);
	is_int(match_state(s, "if negs", -1, 0), 1, "-1 holds -1");
	is_int(match_state(s, "if negs", 1, 0), 0, "-1 does not hold 1");
	declare(s, "lt3 connslots(p) lt -3");
	resolve(s);
	is_int(match_state(s, "if lt3", -4, 0), 1, "lt -3 holds -4");
	is_int(match_state(s, "if lt3", -3, 0), 0, "lt -3 does not hold -3");
	declare(s, "upto connslots(p) :2");
	resolve(s);
	is_int(match_state(s, "if upto", -1, 0), 1,
	    ":2 holds -1 (an open end is open)");
	is_int(match_state(s, "if { nbsrv(p) lt 1 }", 0, 0), 0,
	    "a state the reader cannot read matches nothing, not even lt 1");

	/* no reader (a caller without state): the fetch fails */
	cond(s, "if lt1", &c);
	is_int(acl_cond_eval(s, &c, &none), 0,
	    "without state nbsrv lt 1 does not match");
	cond(s, "if !up", &c);
	is_int(acl_cond_eval(s, &c, &none), 1,
	    "without state a server is not up");
	acl_set_free(s);
}

int
main(void)
{
	test_addresses();
	test_ports();
	test_conditions();
	test_unsupported();
	test_rules();
	test_state_parse();
	test_state_eval();
	return done_testing();
}
