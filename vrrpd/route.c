/* SPDX-License-Identifier: ISC */
/*
 * virtual_routes and virtual_rules: added after the VIPs when an instance
 * becomes master, removed before them when it leaves MASTER or stops, as
 * keepalived does; static_routes and static_rules, the same way at start
 * and stop.  Each carries protocol 18 ("keepalived" in
 * rt_protos) unless a no_track route names another, so that "ip route"
 * shows the same lines whichever of the two daemons holds the instance.  A route's dev is tracked as a VIP's:
 * down means FAULT, unless no_track.
 */
#include <errno.h>
#include <net/if.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include <libmnl/libmnl.h>
#include <linux/fib_rules.h>
#include <linux/rtnetlink.h>

#include "log.h"
#include "vrrpd.h"

#define ROUTE_PROTO	18	/* RTPROT_KEEPALIVED */

static size_t
route_alen(int family)
{
	return family == AF_INET ? 4 : 16;
}

static int
route_msg(struct nl *n, int type, const struct cfg_route *r)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct rtmsg *rtm;
	size_t alen = route_alen(r->cr_family);
	unsigned int idx;

	nlh->nlmsg_type = (uint16_t)type;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
	if (type == RTM_NEWROUTE)
		nlh->nlmsg_flags |= NLM_F_CREATE | NLM_F_EXCL;
	rtm = mnl_nlmsg_put_extra_header(nlh, sizeof(*rtm));
	rtm->rtm_family = (uint8_t)r->cr_family;
	rtm->rtm_dst_len = r->cr_plen;
	rtm->rtm_table = r->cr_table < 256 ? (uint8_t)r->cr_table :
	    RT_TABLE_UNSPEC;
	rtm->rtm_protocol = r->cr_proto;
	rtm->rtm_scope = r->cr_scope;
	rtm->rtm_type = r->cr_type;
	if (r->cr_onlink)
		rtm->rtm_flags |= RTNH_F_ONLINK;
	mnl_attr_put_u32(nlh, RTA_TABLE, r->cr_table);
	if (r->cr_plen)
		mnl_attr_put(nlh, RTA_DST, alen, &r->cr_dst);
	if (r->cr_has_gw)
		mnl_attr_put(nlh, RTA_GATEWAY, alen, &r->cr_gw);
	if (r->cr_has_src)
		mnl_attr_put(nlh, RTA_PREFSRC, alen, &r->cr_src);
	if (r->cr_has_metric)
		mnl_attr_put_u32(nlh, RTA_PRIORITY, r->cr_metric);
	if (r->cr_dev[0]) {
		if ((idx = if_nametoindex(r->cr_dev)) == 0)
			return -1;
		mnl_attr_put_u32(nlh, RTA_OIF, idx);
	}
	return nl_request(n, nlh);
}

static int
rule_msg(struct nl *n, int type, const struct cfg_rule *u)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct fib_rule_hdr *frh;
	size_t alen = route_alen(u->cu_family);

	nlh->nlmsg_type = (uint16_t)type;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
	if (type == RTM_NEWRULE)
		nlh->nlmsg_flags |= NLM_F_CREATE | NLM_F_EXCL;
	frh = mnl_nlmsg_put_extra_header(nlh, sizeof(*frh));
	frh->family = (uint8_t)u->cu_family;
	frh->action = u->cu_action;
	frh->table = u->cu_table < 256 ? (uint8_t)u->cu_table :
	    RT_TABLE_UNSPEC;
	if (u->cu_not)
		frh->flags |= FIB_RULE_INVERT;
	if (u->cu_has_from) {
		frh->src_len = u->cu_from_len;
		mnl_attr_put(nlh, FRA_SRC, alen, &u->cu_from);
	}
	if (u->cu_has_to) {
		frh->dst_len = u->cu_to_len;
		mnl_attr_put(nlh, FRA_DST, alen, &u->cu_to);
	}
	if (u->cu_action == FR_ACT_TO_TBL)
		mnl_attr_put_u32(nlh, FRA_TABLE, u->cu_table);
	mnl_attr_put_u32(nlh, FRA_PRIORITY, u->cu_prio);
	if (u->cu_iif[0])
		mnl_attr_put_strz(nlh, FRA_IIFNAME, u->cu_iif);
	if (u->cu_oif[0])
		mnl_attr_put_strz(nlh, FRA_OIFNAME, u->cu_oif);
	if (u->cu_has_fwmark) {
		mnl_attr_put_u32(nlh, FRA_FWMARK, u->cu_fwmark);
		mnl_attr_put_u32(nlh, FRA_FWMASK, u->cu_fwmask);
	}
	mnl_attr_put_u8(nlh, FRA_PROTOCOL, ROUTE_PROTO);
	return nl_request(n, nlh);
}

static const char *
route_name(const struct cfg_route *r, char *buf, size_t len)
{
	char a[INET6_ADDRSTRLEN];

	if (r->cr_plen == 0)
		snprintf(buf, len, "default");
	else
		snprintf(buf, len, "%s/%u", vip_ntop(r->cr_family, &r->cr_dst,
		    a, sizeof(a)), r->cr_plen);
	return buf;
}

/* One owner's routes and rules: an instance's, or the static ones. */
struct route_set {
	const char		*rs_who;	/* for the log */
	const struct cfg_route	*rs_routes;
	int			 rs_nroutes;
	const struct cfg_rule	*rs_rules;
	int			 rs_nrules;
};

static void
route_set_inst(struct route_set *rs, const struct cfg_instance *c)
{
	rs->rs_who = c->ci_name;
	rs->rs_routes = c->ci_routes;
	rs->rs_nroutes = c->ci_nroutes;
	rs->rs_rules = c->ci_rules;
	rs->rs_nrules = c->ci_nrules;
}

static void
route_set_static(struct route_set *rs, const struct cfg_static *st)
{
	rs->rs_who = "static";
	rs->rs_routes = st->cst_routes;
	rs->rs_nroutes = st->cst_nroutes;
	rs->rs_rules = st->cst_rules;
	rs->rs_nrules = st->cst_nrules;
}

static void
route_add_one(struct nl *nl, const char *who, const struct cfg_route *r)
{
	char b[INET6_ADDRSTRLEN + 8];

	if (route_msg(nl, RTM_NEWROUTE, r) == -1 && errno != EEXIST)
		log_warn("%s: add route %s (line %d)", who,
		    route_name(r, b, sizeof(b)), r->cr_line);
}

static void
route_del_one(struct nl *nl, const char *who, const struct cfg_route *r)
{
	char b[INET6_ADDRSTRLEN + 8];

	/* a dev that went away took its routes along */
	if (route_msg(nl, RTM_DELROUTE, r) == -1 && errno != ESRCH &&
	    errno != ENODEV && errno != ENXIO)
		log_warn("%s: remove route %s (line %d)", who,
		    route_name(r, b, sizeof(b)), r->cr_line);
}

static void
rule_add_one(struct nl *nl, const char *who, const struct cfg_rule *u)
{
	if (rule_msg(nl, RTM_NEWRULE, u) == -1 && errno != EEXIST)
		log_warn("%s: add rule priority %u", who, u->cu_prio);
}

static void
rule_del_one(struct nl *nl, const char *who, const struct cfg_rule *u)
{
	if (rule_msg(nl, RTM_DELRULE, u) == -1 && errno != ENOENT)
		log_warn("%s: remove rule priority %u", who, u->cu_prio);
}

/* Routes first (a rule may lead to their table), then the rules. */
static void
route_set_add(struct nl *nl, const struct route_set *rs)
{
	int i;

	for (i = 0; i < rs->rs_nroutes; i++)
		route_add_one(nl, rs->rs_who, &rs->rs_routes[i]);
	for (i = 0; i < rs->rs_nrules; i++)
		rule_add_one(nl, rs->rs_who, &rs->rs_rules[i]);
}

static void
route_set_del(struct nl *nl, const struct route_set *rs)
{
	int i;

	for (i = 0; i < rs->rs_nrules; i++)
		rule_del_one(nl, rs->rs_who, &rs->rs_rules[i]);
	for (i = 0; i < rs->rs_nroutes; i++)
		route_del_one(nl, rs->rs_who, &rs->rs_routes[i]);
}

static int
route_same(const struct cfg_route *a, const struct cfg_route *b)
{
	struct cfg_route x = *a, y = *b;

	x.cr_line = y.cr_line = 0;
	return memcmp(&x, &y, sizeof(x)) == 0;
}

/* Reload: removes what old had and now has no more. */
static void
route_set_gone(struct nl *nl, const struct route_set *now,
    const struct route_set *old)
{
	int i, j, keep;

	for (i = 0; i < old->rs_nrules; i++) {
		for (keep = 0, j = 0; j < now->rs_nrules && !keep; j++)
			keep = memcmp(&old->rs_rules[i], &now->rs_rules[j],
			    sizeof(struct cfg_rule)) == 0;
		if (!keep)
			rule_del_one(nl, old->rs_who, &old->rs_rules[i]);
	}
	for (i = 0; i < old->rs_nroutes; i++) {
		for (keep = 0, j = 0; j < now->rs_nroutes && !keep; j++)
			keep = route_same(&old->rs_routes[i],
			    &now->rs_routes[j]);
		if (!keep)
			route_del_one(nl, old->rs_who, &old->rs_routes[i]);
	}
}

void
route_add_all(struct inst *in)
{
	struct route_set rs;

	route_set_inst(&rs, &in->in_cfg);
	route_set_add(&in->in_d->d_nl, &rs);
}

/* Rules first, then routes; the VIPs (a route's src) go after. */
void
route_del_all(struct inst *in)
{
	struct route_set rs;

	route_set_inst(&rs, &in->in_cfg);
	route_set_del(&in->in_d->d_nl, &rs);
}

void
route_del_gone(struct inst *in, const struct cfg_instance *old)
{
	struct route_set now, was;

	route_set_inst(&now, &in->in_cfg);
	route_set_inst(&was, old);
	route_set_gone(&in->in_d->d_nl, &now, &was);
}

/*
 * static_routes and static_rules: whatever the VRRP state, after the
 * static addresses (a route's src) and removed before them.
 */
void
route_static(struct nl *nl, const struct cfg_static *st, int add)
{
	struct route_set rs;

	route_set_static(&rs, st);
	if (add)
		route_set_add(nl, &rs);
	else
		route_set_del(nl, &rs);
}

void
route_static_gone(struct nl *nl, const struct cfg_static *st,
    const struct cfg_static *old)
{
	struct route_set now, was;

	route_set_static(&now, st);
	route_set_static(&was, old);
	route_set_gone(nl, &now, &was);
}

/* A route's dev is tracked (keepalived): down means FAULT. */
int
route_dev_down(struct inst *in, char *why, size_t len)
{
	const struct cfg_instance *c = &in->in_cfg;
	unsigned int idx;
	int i;

	for (i = 0; i < c->ci_nroutes; i++) {
		if (c->ci_routes[i].cr_no_track || !c->ci_routes[i].cr_dev[0])
			continue;
		idx = if_nametoindex(c->ci_routes[i].cr_dev);
		if (idx == 0 || nl_link_up(&in->in_d->d_nl, (int)idx) != 1) {
			snprintf(why, len, "link-%s", c->ci_routes[i].cr_dev);
			return 1;
		}
	}
	return 0;
}

int
route_uses_dev(struct inst *in, int ifindex)
{
	const struct cfg_instance *c = &in->in_cfg;
	int i;

	for (i = 0; i < c->ci_nroutes; i++)
		if (c->ci_routes[i].cr_dev[0] && !c->ci_routes[i].cr_no_track &&
		    (int)if_nametoindex(c->ci_routes[i].cr_dev) == ifindex)
			return 1;
	return 0;
}

/*
 * --cleanup: the configured rules and routes a killed vrrpd left.  Each
 * delete names the protocol, so the kernel removes only a route or rule
 * made by vrrpd or keepalived (18, or a no_track route's own), never an
 * operator's static one that looks the same.
 */
int
route_cleanup(struct nl *nl, const struct cfg_instance *c, int *failed)
{
	char b[INET6_ADDRSTRLEN + 8];
	int i, n = 0;

	for (i = 0; i < c->ci_nrules; i++) {
		if (rule_msg(nl, RTM_DELRULE, &c->ci_rules[i]) == 0) {
			log_notice("%s: cleanup: removed rule priority %u",
			    c->ci_name, c->ci_rules[i].cu_prio);
			n++;
		} else if (errno != ENOENT) {
			log_warn("%s: cleanup: cannot remove rule priority %u",
			    c->ci_name, c->ci_rules[i].cu_prio);
			(*failed)++;
		}
	}
	for (i = 0; i < c->ci_nroutes; i++) {
		route_name(&c->ci_routes[i], b, sizeof(b));
		if (route_msg(nl, RTM_DELROUTE, &c->ci_routes[i]) == 0) {
			log_notice("%s: cleanup: removed route %s",
			    c->ci_name, b);
			n++;
		} else if (errno != ESRCH && errno != ENODEV &&
		    errno != ENXIO) {
			log_warn("%s: cleanup: cannot remove route %s",
			    c->ci_name, b);
			(*failed)++;
		}
	}
	return n;
}
