/* SPDX-License-Identifier: ISC */
/*
 * The lines of virtual_routes and virtual_rules (and of static_routes and
 * static_rules, the same): ip-route(8) and ip-rule(8) words, as
 * keepalived 2.2.7 reads them.  What keepalived takes and vrrpd cannot do
 * (multipath "or", nexthop, the metrics other than mtu, realms...) is an
 * error naming the word: dropping it would change the route.  route.c
 * adds and removes them.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <linux/fib_rules.h>
#include <linux/rtnetlink.h>

#include "cfgext.h"

/* keepalived's rule preference when none is given (it warns too) */
#define RULE_PRIO_DEFAULT	16384
#define ROUTE_PROTO_KEEPALIVED	18	/* rt_protos(5) */

/*
 * The words of a line: the keyword and its arguments, in one list, and
 * the block's name (virtual_routes, static_rules...) for the messages.
 */
struct words {
	struct tok	*w[ARGS_MAX + 1];
	int		 n;
	const char	*blk;
};

static void
words_of(const struct stmt *s, const char *blk, struct words *w)
{
	int i;

	w->n = 0;
	w->blk = blk;
	w->w[w->n++] = s->s_kw;
	for (i = 0; i < s->s_nargs; i++)
		w->w[w->n++] = s->s_args[i];
}

static int
cfgroute_u32(const char *s, uint32_t *out)
{
	char *end;
	unsigned long long n;

	if (s[0] == '-')
		return -1;
	errno = 0;
	n = strtoull(s, &end, 0);
	if (errno || end == s || *end || n > 0xffffffffULL)
		return -1;
	*out = (uint32_t)n;
	return 0;
}

/* main, local, default or a number (rt_tables names are not read) */
static int
cfgroute_table(const char *s, uint32_t *out)
{
	if (strcmp(s, "main") == 0)
		*out = RT_TABLE_MAIN;
	else if (strcmp(s, "local") == 0)
		*out = RT_TABLE_LOCAL;
	else if (strcmp(s, "default") == 0)
		*out = RT_TABLE_DEFAULT;
	else if (cfgroute_u32(s, out) == -1 || *out == 0)
		return -1;
	return 0;
}

#define TABLE_SHOULD	"should be main, local, default or 1..4294967295 " \
    "(vrrpd reads no rt_tables names)"

/* The error for an option's value that did not parse; -1. */
static int
cfgroute_bad(struct parser *p, const struct tok *t, const char *kw,
    const char *val, const char *should)
{
	cfg_err(p, t, "%s \"%s\": %s", kw, val, should);
	return -1;
}

/* rt_scopes(5) names, as for the VIPs */
static int
cfgroute_scope(const char *s, uint8_t *out)
{
	uint32_t n;

	if (rt_scope_find(s, out) == 0)
		return 0;
	if (cfgroute_u32(s, &n) == -1 || n > 255)
		return -1;
	*out = (uint8_t)n;
	return 0;
}

/* Zeroes the host bits, as keepalived and ip(8) accept 10.2.0.1/16. */
static void
cfgroute_mask(int family, union vrrp_addr *a, uint8_t plen)
{
	uint8_t *b = (uint8_t *)a;
	size_t len = family == AF_INET ? 4 : 16, i;

	for (i = 0; i < len; i++) {
		if (plen >= 8) {
			plen -= 8;
			continue;
		}
		b[i] &= (uint8_t)(0xff << (8 - plen));
		plen = 0;
	}
}

/* "default", "all" or ADDR[/PLEN], of the line's family (0: any) */
static int
cfgroute_prefix(struct parser *p, const struct tok *t, int *family,
    union vrrp_addr *a, uint8_t *plen)
{
	struct cfg_vip v;
	char net[INET6_ADDRSTRLEN];

	if (strcmp(t->t_text, "default") == 0 ||
	    strcmp(t->t_text, "all") == 0) {
		memset(a, 0, sizeof(*a));
		*plen = 0;
		return 0;
	}
	if (config_parse_vip(t->t_text, &v) == -1) {
		cfg_err(p, t, "\"%s\": not an address[/prefix]", t->t_text);
		return -1;
	}
	if (*family && v.cv_family != *family) {
		cfg_err(p, t, "%s: IPv4 and IPv6 mixed", t->t_text);
		return -1;
	}
	*family = v.cv_family;
	*a = v.cv_addr;
	*plen = v.cv_plen;
	cfgroute_mask(v.cv_family, a, v.cv_plen);
	/* the kernel refuses host bits, and keepalived's add fails */
	if (memcmp(a, &v.cv_addr, sizeof(*a)) != 0 &&
	    inet_ntop(v.cv_family, a, net, sizeof(net)) != NULL)
		cfg_warn(p, t, "%s: host bits set: added as %s/%u (keepalived "
		    "fails to add it)", t->t_text, net, v.cv_plen);
	return 0;
}

static int
cfgroute_addr(struct parser *p, const struct tok *t, int *family,
    union vrrp_addr *a)
{
	int fam;

	if (config_parse_addr(t->t_text, &fam, a) == -1) {
		cfg_err(p, t, "\"%s\": not an address", t->t_text);
		return -1;
	}
	if (*family && fam != *family) {
		cfg_err(p, t, "%s: IPv4 and IPv6 mixed", t->t_text);
		return -1;
	}
	*family = fam;
	return 0;
}

static int
cfgroute_dev(struct parser *p, const struct tok *kw, const char *val,
    char *out)
{
	if (out[0]) {
		cfg_err(p, kw, "%s: given twice", kw->t_text);
		return -1;
	}
	if (strlen(val) >= IF_NAMESIZE) {
		cfg_err(p, kw, "%s \"%s\": longer than %d bytes", kw->t_text,
		    val, IF_NAMESIZE - 1);
		return -1;
	}
	snprintf(out, IF_NAMESIZE, "%s", val);
	return 0;
}

/* rt_protos(5) names, or a number */
static int
cfgroute_proto(const char *s, uint8_t *out)
{
	static const struct name_u8 names[] = {
		{ "redirect", 1 }, { "kernel", 2 }, { "boot", 3 },
		{ "static", 4 }, { "gated", 8 }, { "ra", 9 }, { "mrt", 10 },
		{ "zebra", 11 }, { "bird", 12 }, { "dnrouted", 13 },
		{ "xorp", 14 }, { "ntk", 15 }, { "dhcp", 16 },
		{ "keepalived", 18 }, { "babel", 42 }, { "bgp", 186 },
		{ "isis", 187 }, { "ospf", 188 }, { "rip", 189 },
		{ "eigrp", 192 },
	};
	uint32_t n;

	if (name_u8_find(names, sizeof(names) / sizeof(names[0]), s, out) == 0)
		return 0;
	if (cfgroute_u32(s, &n) == -1 || n > 255)
		return -1;
	*out = (uint8_t)n;
	return 0;
}

static int
cfgroute_type(const char *s, uint8_t *out)
{
	static const struct name_u8 types[] = {
		{ "unicast", RTN_UNICAST }, { "blackhole", RTN_BLACKHOLE },
		{ "unreachable", RTN_UNREACHABLE },
		{ "prohibit", RTN_PROHIBIT }, { "throw", RTN_THROW },
	};

	return name_u8_find(types, sizeof(types) / sizeof(types[0]), s, out);
}

/* One route option with its value (w[*i] the option); -1 reported. */
static int
cfgroute_ropt(struct parser *p, struct words *w, int *i, struct cfg_route *r)
{
	struct tok *t = w->w[*i];
	const char *kw = t->t_text, *val;

	if (strcmp(kw, "onlink") == 0) {
		r->cr_onlink = 1;
		return 0;
	}
	if (strcmp(kw, "no_track") == 0) {
		r->cr_no_track = 1;
		return 0;
	}
	if (!kw_in(kw, (const char *const[]){ "src", "to", "via", "gw", "dev",
	    "oif", "table", "metric", "priority", "preference", "scope",
	    "protocol", "proto", "mtu", NULL })) {
		cfg_err(p, t, "%s: option \"%s\" not supported by vrrpd",
		    w->blk, kw);
		return -1;
	}
	if (*i + 1 >= w->n) {
		cfg_err(p, t, "%s: needs a value", kw);
		return -1;
	}
	val = w->w[++*i]->t_text;
	if (strcmp(kw, "src") == 0) {
		r->cr_has_src = 1;
		return cfgroute_addr(p, w->w[*i], &r->cr_family, &r->cr_src);
	}
	if (strcmp(kw, "to") == 0)
		return cfgroute_prefix(p, w->w[*i], &r->cr_family, &r->cr_dst,
		    &r->cr_plen);
	if (strcmp(kw, "via") == 0 || strcmp(kw, "gw") == 0) {
		r->cr_has_gw = 1;
		return cfgroute_addr(p, w->w[*i], &r->cr_family, &r->cr_gw);
	}
	if (strcmp(kw, "dev") == 0 || strcmp(kw, "oif") == 0)
		return cfgroute_dev(p, t, val, r->cr_dev);
	if (strcmp(kw, "table") == 0)
		return cfgroute_table(val, &r->cr_table) == 0 ? 0 :
		    cfgroute_bad(p, t, kw, val, TABLE_SHOULD);
	if (strcmp(kw, "scope") == 0)
		return cfgroute_scope(val, &r->cr_scope) == 0 ? 0 :
		    cfgroute_bad(p, t, kw, val, "should be global, site, "
		    "link, host, nowhere or 0..255");
	if (strcmp(kw, "protocol") == 0)
		return cfgroute_proto(val, &r->cr_proto) == 0 ? 0 :
		    cfgroute_bad(p, t, kw, val, "should be an rt_protos name "
		    "(static, boot...) or 0..255");
	if (strcmp(kw, "proto") == 0 || strcmp(kw, "mtu") == 0) {
		cfg_err(p, t, "%s: option \"%s\" not supported by vrrpd",
		    w->blk, kw);
		return -1;
	}
	if (cfgroute_u32(val, &r->cr_metric) == -1)
		return cfgroute_bad(p, t, kw, val, "not a number");
	r->cr_has_metric = 1;
	return 0;
}

/* [TYPE] [to] DEST and options in any order; 0 or -1 (reported). */
static int
cfgroute_line(struct parser *p, const struct stmt *s, const char *blk,
    struct cfg_route *r)
{
	struct words w;
	int i, have_dst = 0, bad = 0;

	memset(r, 0, sizeof(*r));
	r->cr_type = RTN_UNICAST;
	r->cr_table = RT_TABLE_MAIN;
	r->cr_proto = ROUTE_PROTO_KEEPALIVED;
	r->cr_line = s->s_kw->t_line;
	words_of(s, blk, &w);
	for (i = 0; i < w.n; i++) {
		const char *kw = w.w[i]->t_text;

		if (i == 0 && cfgroute_type(kw, &r->cr_type) == 0)
			continue;
		if (strcmp(kw, "to") == 0 || (!have_dst &&
		    (strchr(kw, '.') || strchr(kw, ':') ||
		    strcmp(kw, "default") == 0))) {
			if (have_dst++) {
				cfg_err(p, w.w[i], "%s: two destinations",
				    blk);
				return -1;
			}
			if (strcmp(kw, "to") != 0) {
				if (cfgroute_prefix(p, w.w[i], &r->cr_family,
				    &r->cr_dst, &r->cr_plen) == -1)
					return -1;
				continue;
			}
		}
		if (cfgroute_ropt(p, &w, &i, r) == -1)
			bad = 1;
	}
	if (bad)
		return -1;
	if (r->cr_family == 0)
		r->cr_family = AF_INET;	/* "default" alone, as ip(8) */
	if (!have_dst) {
		cfg_err(p, s->s_kw, "%s: no destination", blk);
		return -1;
	}
	if (r->cr_type != RTN_UNICAST && (r->cr_has_gw || r->cr_dev[0])) {
		cfg_err(p, s->s_kw, "%s: a %s route takes no via or dev",
		    blk, s->s_kw->t_text);
		return -1;
	}
	if (r->cr_type == RTN_UNICAST && !r->cr_has_gw && !r->cr_dev[0]) {
		cfg_err(p, s->s_kw, "%s: needs via or dev", blk);
		return -1;
	}
	if (r->cr_proto != ROUTE_PROTO_KEEPALIVED && !r->cr_no_track) {
		cfg_warn(p, s->s_kw, "%s: a tracked route keeps protocol "
		    "keepalived (18), as in keepalived; add no_track for "
		    "another", blk);
		r->cr_proto = ROUTE_PROTO_KEEPALIVED;
	}
	if (r->cr_dev[0] == '\0' && !r->cr_no_track) {
		/* keepalived -t counts it an error (exit 5), and runs */
		cfg_warn(p, s->s_kw, "%s: no dev: its interface is not "
		    "tracked (keepalived warns too)", blk);
		p->p_cf->cf_nflagged++;
	}
	return 0;
}

static int
cfgrule_action(const char *s, uint8_t *out)
{
	static const struct name_u8 actions[] = {
		{ "blackhole", FR_ACT_BLACKHOLE },
		{ "unreachable", FR_ACT_UNREACHABLE },
		{ "prohibit", FR_ACT_PROHIBIT },
	};

	return name_u8_find(actions, sizeof(actions) / sizeof(actions[0]), s,
	    out);
}

/* fwmark MARK[/MASK] */
static int
cfgrule_fwmark(const char *s, struct cfg_rule *u)
{
	char buf[64], *slash;

	if (strlen(s) >= sizeof(buf))
		return -1;
	snprintf(buf, sizeof(buf), "%s", s);
	u->cu_fwmask = 0xffffffffU;
	if ((slash = strchr(buf, '/')) != NULL) {
		*slash++ = '\0';
		if (cfgroute_u32(slash, &u->cu_fwmask) == -1)
			return -1;
	}
	if (cfgroute_u32(buf, &u->cu_fwmark) == -1)
		return -1;
	u->cu_has_fwmark = 1;
	return 0;
}

/* One rule option with its value; -1 reported. */
static int
cfgrule_opt(struct parser *p, struct words *w, int *i, struct cfg_rule *u,
    int *has_prio)
{
	struct tok *t = w->w[*i];
	const char *kw = t->t_text, *val;

	if (strcmp(kw, "not") == 0) {
		u->cu_not = 1;
		return 0;
	}
	if (cfgrule_action(kw, &u->cu_action) == 0)
		return 0;
	if (!kw_in(kw, (const char *const[]){ "from", "to", "table", "lookup",
	    "priority", "preference", "iif", "oif", "fwmark", NULL })) {
		cfg_err(p, t, "%s: option \"%s\" not supported%s",
		    w->blk, kw, strcmp(kw, "pref") == 0 || strcmp(kw, "prio") == 0 ?
		    " (keepalived takes priority or preference)" :
		    " by vrrpd");
		return -1;
	}
	if (*i + 1 >= w->n) {
		cfg_err(p, t, "%s: needs a value", kw);
		return -1;
	}
	val = w->w[++*i]->t_text;
	if (strcmp(kw, "from") == 0) {
		u->cu_has_from = strcmp(val, "all") != 0;
		return cfgroute_prefix(p, w->w[*i], &u->cu_family, &u->cu_from,
		    &u->cu_from_len);
	}
	if (strcmp(kw, "to") == 0) {
		u->cu_has_to = strcmp(val, "all") != 0;
		return cfgroute_prefix(p, w->w[*i], &u->cu_family, &u->cu_to,
		    &u->cu_to_len);
	}
	if (strcmp(kw, "table") == 0 || strcmp(kw, "lookup") == 0) {
		u->cu_action = FR_ACT_TO_TBL;
		return cfgroute_table(val, &u->cu_table) == 0 ? 0 :
		    cfgroute_bad(p, t, kw, val, TABLE_SHOULD);
	}
	if (strcmp(kw, "iif") == 0)
		return cfgroute_dev(p, t, val, u->cu_iif);
	if (strcmp(kw, "oif") == 0)
		return cfgroute_dev(p, t, val, u->cu_oif);
	if (strcmp(kw, "fwmark") == 0)
		return cfgrule_fwmark(val, u) == 0 ? 0 :
		    cfgroute_bad(p, t, kw, val, "should be MARK[/MASK]");
	if (cfgroute_u32(val, &u->cu_prio) == -1)
		return cfgroute_bad(p, t, kw, val, "not a number");
	*has_prio = 1;
	return 0;
}

static int
cfgrule_line(struct parser *p, const struct stmt *s, const char *blk,
    struct cfg_rule *u)
{
	struct words w;
	int i, bad = 0, has_prio = 0;

	memset(u, 0, sizeof(*u));
	words_of(s, blk, &w);
	for (i = 0; i < w.n; i++)
		if (cfgrule_opt(p, &w, &i, u, &has_prio) == -1)
			bad = 1;
	if (bad)
		return -1;
	if (u->cu_action == 0) {
		cfg_err(p, s->s_kw, "%s: no table (or blackhole, unreachable, "
		    "prohibit)", blk);
		return -1;
	}
	if (u->cu_family == 0)
		u->cu_family = AF_INET;
	if (!has_prio) {
		u->cu_prio = RULE_PRIO_DEFAULT;
		cfg_warn(p, s->s_kw, "%s: no priority: %d, as keepalived "
		    "(which warns too)", blk, RULE_PRIO_DEFAULT);
	}
	return 0;
}

/* A block's lines into routes (rules NULL) or rules, at most max. */
static void
cfgroute_block(struct parser *p, const struct stmt *open,
    struct cfg_route *routes, struct cfg_rule *rules, int *n, int max)
{
	const char *blk = open->s_kw->t_text;
	struct stmt s;
	struct cfg_route r;
	struct cfg_rule u;

	while (p_block_line(p, open, &s, blk)) {
		if (rules ? cfgrule_line(p, &s, blk, &u) :
		    cfgroute_line(p, &s, blk, &r))
			continue;
		if (*n >= max) {
			cfg_err(p, s.s_kw, "%s: more than %d", blk, max);
			continue;
		}
		if (rules)
			rules[(*n)++] = u;
		else
			routes[(*n)++] = r;
	}
}

/* The keyword's block, or an error without one; 0 when not its own. */
static int
cfgroute_kw(struct parser *p, struct stmt *s, const char *routes,
    const char *rules)
{
	const char *kw = s->s_kw->t_text;

	if (strcmp(kw, routes) != 0 && strcmp(kw, rules) != 0)
		return 0;
	if (!s->s_block) {
		cfg_err(p, s->s_kw, "%s: needs a { } block", kw);
		return -1;
	}
	return 1;
}

int
cfgroute_inst(struct parser *p, struct cfg_instance *in, struct stmt *s)
{
	int r = cfgroute_kw(p, s, "virtual_routes", "virtual_rules");

	if (r == 1 && strcmp(s->s_kw->t_text, "virtual_rules") == 0)
		cfgroute_block(p, s, NULL, in->ci_rules, &in->ci_nrules,
		    CFG_MAX_RULES);
	else if (r == 1)
		cfgroute_block(p, s, in->ci_routes, NULL, &in->ci_nroutes,
		    CFG_MAX_ROUTES);
	return r != 0;
}

int
cfgroute_static(struct parser *p, struct cfg_static *st, struct stmt *s)
{
	int r = cfgroute_kw(p, s, "static_routes", "static_rules");

	if (r == 1 && strcmp(s->s_kw->t_text, "static_rules") == 0)
		cfgroute_block(p, s, NULL, st->cst_rules, &st->cst_nrules,
		    CFG_MAX_RULES);
	else if (r == 1)
		cfgroute_block(p, s, st->cst_routes, NULL, &st->cst_nroutes,
		    CFG_MAX_ROUTES);
	return r != 0;
}
