/* SPDX-License-Identifier: ISC */
/*
 * vrrpd/nft.c: the nf_tables batch, decoded back message by message,
 * attribute by attribute, against what "nft --debug=netlink" prints for
 * the same ruleset (see the expected expression lists below).
 */
#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <libmnl/libmnl.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nf_tables.h>
#include <linux/netfilter/nfnetlink.h>

#include "nft.h"
#include "tap.h"

static char buf[65536];

#define MSG(t)	(NFNL_SUBSYS_NFTABLES << 8 | (t))

/* The message types in order, and how many ask for an ACK. */
static int
types(const char *b, int len, int *out, int max, int *acks)
{
	const struct nlmsghdr *nlh = (const struct nlmsghdr *)b;
	int n = 0;

	*acks = 0;
	for (; mnl_nlmsg_ok(nlh, len) && n < max;
	    nlh = mnl_nlmsg_next(nlh, &len)) {
		out[n++] = nlh->nlmsg_type;
		*acks += !!(nlh->nlmsg_flags & NLM_F_ACK);
	}
	return len == 0 ? n : -1;	/* -1: trailing garbage */
}

static const struct nlmsghdr *
nth(const char *b, int len, int i)
{
	const struct nlmsghdr *nlh = (const struct nlmsghdr *)b;

	while (i-- > 0)
		nlh = mnl_nlmsg_next(nlh, &len);
	return nlh;
}

static const struct nlattr *
attr(const struct nlmsghdr *nlh, uint16_t type)
{
	const struct nlattr *a;

	mnl_attr_for_each(a, nlh, sizeof(struct nfgenmsg))
		if (mnl_attr_get_type(a) == type)
			return a;
	return NULL;
}

static const struct nlattr *
sub(const struct nlattr *nest, uint16_t type)
{
	const struct nlattr *a;

	mnl_attr_for_each_nested(a, nest)
		if (mnl_attr_get_type(a) == type)
			return a;
	return NULL;
}

static uint32_t
u32(const struct nlattr *a)
{
	return a ? ntohl(mnl_attr_get_u32(a)) : 0xdeadbeef;
}

/* A rule's expressions as "name name ..." and its lookup set, if any. */
static void
exprs(const struct nlmsghdr *nlh, char *out, size_t len, char *set,
    uint32_t *verdict)
{
	const struct nlattr *l = attr(nlh, NFTA_RULE_EXPRESSIONS), *e, *d;

	out[0] = set[0] = '\0';
	if (l == NULL)
		return;
	mnl_attr_for_each_nested(e, l) {
		const char *name = mnl_attr_get_str(sub(e, NFTA_EXPR_NAME));

		if (out[0])
			strncat(out, " ", len - strlen(out) - 1);
		strncat(out, name, len - strlen(out) - 1);
		d = sub(e, NFTA_EXPR_DATA);
		if (strcmp(name, "lookup") == 0)
			strcpy(set, mnl_attr_get_str(sub(d, NFTA_LOOKUP_SET)));
		if (strcmp(name, "immediate") == 0)
			*verdict = u32(sub(sub(sub(d, NFTA_IMMEDIATE_DATA),
			    NFTA_DATA_VERDICT), NFTA_VERDICT_CODE));
	}
}

static void
test_table(void)
{
	struct nft_vip v[3];
	int t[32], n, len, nmsg, acks, i, ruleno = 0;
	const struct nlmsghdr *nlh;
	const struct nlattr *a, *el;
	char ex[256], set[32];
	uint32_t verdict = 0;
	static const int want[] = {
		NFNL_MSG_BATCH_BEGIN, MSG(NFT_MSG_NEWTABLE),
		MSG(NFT_MSG_DELTABLE), MSG(NFT_MSG_NEWTABLE),
		MSG(NFT_MSG_NEWSET), MSG(NFT_MSG_NEWSET),
		MSG(NFT_MSG_NEWCHAIN), MSG(NFT_MSG_NEWCHAIN),
		MSG(NFT_MSG_NEWRULE), MSG(NFT_MSG_NEWRULE),
		MSG(NFT_MSG_NEWRULE), MSG(NFT_MSG_NEWRULE),
		MSG(NFT_MSG_NEWRULE), MSG(NFT_MSG_NEWRULE),
		MSG(NFT_MSG_NEWSETELEM), MSG(NFT_MSG_NEWSETELEM),
		NFNL_MSG_BATCH_END,
	};
	/* nft --debug=netlink: "ip daddr @vips4 drop" in an inet table */
	static const char *const rules[] = {
		"meta cmp payload lookup immediate",
		"meta cmp meta cmp payload cmp cmp immediate",
		"meta cmp payload lookup immediate",
	};

	memset(v, 0, sizeof(v));
	v[0].nv_family = v[1].nv_family = AF_INET;
	inet_pton(AF_INET, "192.0.2.100", &v[0].nv_addr);
	inet_pton(AF_INET, "192.0.2.101", &v[1].nv_addr);
	v[2].nv_family = AF_INET6;
	inet_pton(AF_INET6, "2001:db8::100", &v[2].nv_addr);

	len = nft_build(v, 3, 100, buf, sizeof(buf), &nmsg);
	ok(len > 0, "a batch for three VIPs is built (%d bytes)", len);
	n = types(buf, len, t, 32, &acks);
	is_int(n, (int)(sizeof(want) / sizeof(want[0])), "17 messages, "
	    "nothing after them");
	for (i = 0; i < n && i < 17; i++)
		if (t[i] != want[i])
			break;
	is_int(i, 17, "begin, replace the table, sets, chains, 6 rules, "
	    "elements, end");
	is_int(acks, 15, "every message between begin and end asks for an "
	    "ACK");
	is_int(nmsg, acks, "and the answers to expect are counted");
	nlh = nth(buf, len, 0);
	is_int(ntohs(((struct nfgenmsg *)mnl_nlmsg_get_payload(nlh))->res_id),
	    NFNL_SUBSYS_NFTABLES, "the batch is for nf_tables");
	nlh = nth(buf, len, 1);
	is_int(((struct nfgenmsg *)mnl_nlmsg_get_payload(nlh))->nfgen_family,
	    NFPROTO_INET, "an inet table");
	is_str(mnl_attr_get_str(attr(nlh, NFTA_TABLE_NAME)), "vrrpd",
	    "called vrrpd");
	nlh = nth(buf, len, 4);
	is_str(mnl_attr_get_str(attr(nlh, NFTA_SET_NAME)), "vips4", "set vips4");
	is_int(u32(attr(nlh, NFTA_SET_KEY_TYPE)), 7, "of nft's ipv4_addr");
	is_int(u32(attr(nlh, NFTA_SET_KEY_LEN)), 4, "4 bytes");
	nlh = nth(buf, len, 5);
	is_int(u32(attr(nlh, NFTA_SET_KEY_TYPE)), 8, "vips6: ipv6_addr");
	nlh = nth(buf, len, 6);
	a = attr(nlh, NFTA_CHAIN_HOOK);
	is_str(mnl_attr_get_str(attr(nlh, NFTA_CHAIN_NAME)), "in", "chain in");
	is_int(u32(sub(a, NFTA_HOOK_HOOKNUM)), NF_INET_LOCAL_IN, "on input");
	is_int((int32_t)u32(sub(a, NFTA_HOOK_PRIORITY)), -1,
	    "priority -1 (filter - 1, as keepalived)");
	is_int(u32(attr(nlh, NFTA_CHAIN_POLICY)), NF_ACCEPT,
	    "policy accept: only the VIPs' traffic is ours to drop");
	nlh = nth(buf, len, 7);
	is_int(u32(sub(attr(nlh, NFTA_CHAIN_HOOK), NFTA_HOOK_HOOKNUM)),
	    NF_INET_LOCAL_OUT, "chain out on output");
	for (i = 8; i < 14; i++) {
		nlh = nth(buf, len, i);
		exprs(nlh, ex, sizeof(ex), set, &verdict);
		is_str(ex, rules[ruleno % 3], "rule %d expressions", i - 7);
		if (ruleno % 3 == 1)
			is_int(verdict, NF_ACCEPT, "neighbour discovery "
			    "accepted");
		else {
			is_str(set, ruleno % 3 ? "vips6" : "vips4",
			    "looks up its set");
			is_int(verdict, NF_DROP, "and drops");
		}
		ruleno++;
	}
	nlh = nth(buf, len, 14);
	is_str(mnl_attr_get_str(attr(nlh, NFTA_SET_ELEM_LIST_SET)), "vips4",
	    "IPv4 elements");
	n = 0;
	mnl_attr_for_each_nested(el, attr(nlh, NFTA_SET_ELEM_LIST_ELEMENTS)) {
		a = sub(sub(el, NFTA_SET_ELEM_KEY), NFTA_DATA_VALUE);
		if (a && mnl_attr_get_payload_len(a) == 4 &&
		    memcmp(mnl_attr_get_payload(a), &v[n].nv_addr, 4) == 0)
			n++;
	}
	is_int(n, 2, "both IPv4 VIPs, in order");
	nlh = nth(buf, len, 15);
	el = mnl_attr_get_payload(attr(nlh, NFTA_SET_ELEM_LIST_ELEMENTS));
	a = sub(sub(el, NFTA_SET_ELEM_KEY), NFTA_DATA_VALUE);
	ok(a && mnl_attr_get_payload_len(a) == 16 &&
	    memcmp(mnl_attr_get_payload(a), &v[2].nv_addr, 16) == 0,
	    "the IPv6 VIP in vips6");
}

static void
test_delete_and_bounds(void)
{
	struct nft_vip v[NFT_MAX_VIPS];
	int t[32], n, len, nmsg, acks, i;

	len = nft_build(NULL, 0, 1, buf, sizeof(buf), &nmsg);
	n = types(buf, len, t, 8, &acks);
	is_int(n, 4, "no VIPs: four messages");
	ok(n == 4 && t[1] == MSG(NFT_MSG_NEWTABLE) &&
	    t[2] == MSG(NFT_MSG_DELTABLE), "the table made sure of, then "
	    "deleted: no error whether or not it was there");
	memset(v, 0, sizeof(v));
	v[0].nv_family = AF_INET6;
	len = nft_build(v, 1, 1, buf, sizeof(buf), &nmsg);
	n = types(buf, len, t, 32, &acks);
	ok(n == 16 && t[14] == MSG(NFT_MSG_NEWSETELEM) &&
	    t[15] == NFNL_MSG_BATCH_END, "one IPv6 VIP: one element message");
	/* exactly sized heap buffers: ASan sees a byte written past them */
	for (i = 1; i < 4096; i++) {
		char *small = malloc((size_t)i);
		int r = small ? nft_build(v, 1, 1, small, (size_t)i, &nmsg) : 0;

		free(small);
		if (r != -1)
			break;
	}
	ok(i > 600 && i < 4096, "a buffer too small for the batch: -1 and no "
	    "overrun, up to the size that fits (%d bytes)", i);
	for (i = 0; i < NFT_MAX_VIPS; i++) {
		v[i].nv_family = i % 2 ? AF_INET6 : AF_INET;
		v[i].nv_addr.v6.s6_addr[15] = (uint8_t)i;
	}
	ok(nft_build(v, NFT_MAX_VIPS, 1, buf, sizeof(buf), &nmsg) > 0,
	    "%d VIPs fit in 64 kB", NFT_MAX_VIPS);
	ok(nft_build(v, NFT_MAX_VIPS, 1, buf, 8192, &nmsg) == -1,
	    "but not in 8 kB: -1");
}

/* The data of the rule's i-th expression. */
static const struct nlattr *
expr_data(const struct nlmsghdr *nlh, int i)
{
	const struct nlattr *e;

	mnl_attr_for_each_nested(e, attr(nlh, NFTA_RULE_EXPRESSIONS))
		if (i-- == 0)
			return sub(e, NFTA_EXPR_DATA);
	return NULL;
}

/* The first byte of a cmp's value, or its whole value as a string. */
static int
cmp8(const struct nlmsghdr *nlh, int i)
{
	const struct nlattr *v = sub(sub(expr_data(nlh, i), NFTA_CMP_DATA),
	    NFTA_DATA_VALUE);

	return v ? *(const uint8_t *)mnl_attr_get_payload(v) : -1;
}

static const char *
cmpstr(const struct nlmsghdr *nlh, int i)
{
	const struct nlattr *v = sub(sub(expr_data(nlh, i), NFTA_CMP_DATA),
	    NFTA_DATA_VALUE);

	return v && mnl_attr_get_payload_len(v) == 16 ?
	    mnl_attr_get_payload(v) : "";
}

static uint8_t
family(const struct nlmsghdr *nlh)
{
	return ((const struct nfgenmsg *)mnl_nlmsg_get_payload(nlh))->
	    nfgen_family;
}

/* A set element's key or data (NFTA_SET_ELEM_KEY / _DATA), host order. */
static uint32_t
elem_u32(const struct nlattr *el, uint16_t type)
{
	const struct nlattr *v = sub(sub(el, type), NFTA_DATA_VALUE);

	return v && mnl_attr_get_payload_len(v) == 4 ?
	    *(const uint32_t *)mnl_attr_get_payload(v) : 0xdeadbeef;
}

/* keepalived 2.2.7's "ip keepalived" and "ip6 keepalived", nft -d netlink */
static void
test_vmac(void)
{
	struct nft_vmac vm[2] = {
		{ .nm_ifindex = 5, .nm_parent = 2, .nm_v4 = 1 },
		{ .nm_ifindex = 7, .nm_parent = 3, .nm_v6 = 1 },
	};
	struct nft_vmac all[NFT_MAX_VMACS];
	int t[32], n, len, nmsg, acks, i;
	const struct nlmsghdr *nlh;
	const struct nlattr *a, *el, *d;
	char ex[256], set[32];
	uint32_t verdict = 0;
	static const int want[] = {
		NFNL_MSG_BATCH_BEGIN,
		MSG(NFT_MSG_NEWTABLE), MSG(NFT_MSG_DELTABLE),
		MSG(NFT_MSG_NEWTABLE), MSG(NFT_MSG_NEWSET),
		MSG(NFT_MSG_NEWCHAIN), MSG(NFT_MSG_NEWRULE),
		MSG(NFT_MSG_NEWSETELEM),
		MSG(NFT_MSG_NEWTABLE), MSG(NFT_MSG_DELTABLE),
		MSG(NFT_MSG_NEWTABLE), MSG(NFT_MSG_NEWSET), MSG(NFT_MSG_NEWSET),
		MSG(NFT_MSG_NEWCHAIN), MSG(NFT_MSG_NEWRULE), MSG(NFT_MSG_NEWRULE),
		MSG(NFT_MSG_NEWSETELEM), MSG(NFT_MSG_NEWSETELEM),
		NFNL_MSG_BATCH_END,
	};
	const int nwant = (int)(sizeof(want) / sizeof(want[0]));

	len = nft_build_vmac(vm, 2, 10, buf, sizeof(buf), &nmsg);
	n = types(buf, len, t, 32, &acks);
	is_int(n, nwant, "VMACs of both families: %d messages", nwant);
	for (i = 0; i < n && i < nwant; i++)
		if (t[i] != want[i])
			break;
	is_int(i, nwant, "begin, ip table replaced (map, chain, rule, "
	    "elements), ip6 table replaced (map, set, chain, 2 rules, "
	    "elements), end");
	is_int(nmsg, acks, "the answers to expect are counted");
	nlh = nth(buf, len, 1);
	ok(family(nlh) == NFPROTO_IPV4 && family(nth(buf, len, 8)) ==
	    NFPROTO_IPV6, "tables ip and ip6");
	is_str(mnl_attr_get_str(attr(nlh, NFTA_TABLE_NAME)), "vrrpd",
	    "called vrrpd");
	nlh = nth(buf, len, 4);
	is_str(mnl_attr_get_str(attr(nlh, NFTA_SET_NAME)), "vmac_map",
	    "map vmac_map");
	is_int(u32(attr(nlh, NFTA_SET_FLAGS)), NFT_SET_MAP, "a map");
	ok(u32(attr(nlh, NFTA_SET_KEY_TYPE)) == 20 &&
	    u32(attr(nlh, NFTA_SET_DATA_TYPE)) == 20 &&
	    u32(attr(nlh, NFTA_SET_KEY_LEN)) == 4 &&
	    u32(attr(nlh, NFTA_SET_DATA_LEN)) == 4,
	    "iface_index : iface_index");
	ok(attr(nlh, NFTA_SET_USERDATA) != NULL, "in host order (user data)");
	a = attr(nth(buf, len, 5), NFTA_CHAIN_HOOK);
	ok(u32(sub(a, NFTA_HOOK_HOOKNUM)) == NF_INET_LOCAL_OUT &&
	    (int32_t)u32(sub(a, NFTA_HOOK_PRIORITY)) == -1,
	    "chain out: output, priority filter - 1");

	nlh = nth(buf, len, 6);
	exprs(nlh, ex, sizeof(ex), set, &verdict);
	is_str(ex, "payload cmp meta cmp payload meta lookup dup immediate",
	    "ip protocol igmp meta oifkind \"macvlan\" dup to ip daddr "
	    "device oif map @vmac_map drop");
	is_int(cmp8(nlh, 1), IPPROTO_IGMP, "... IGMP");
	is_str(cmpstr(nlh, 3), "macvlan", "... leaving a macvlan");
	is_int(u32(sub(expr_data(nlh, 4), NFTA_PAYLOAD_OFFSET)), 16,
	    "... to its daddr");
	d = expr_data(nlh, 6);
	ok(strcmp(set, "vmac_map") == 0 && u32(sub(d, NFTA_LOOKUP_DREG)) ==
	    NFT_REG_2 && u32(sub(d, NFTA_LOOKUP_SREG)) == NFT_REG_2,
	    "... the parent from the map, by oif");
	d = expr_data(nlh, 7);
	ok(u32(sub(d, NFTA_DUP_SREG_ADDR)) == NFT_REG_1 &&
	    u32(sub(d, NFTA_DUP_SREG_DEV)) == NFT_REG_2, "... duplicated there");
	is_int(verdict, NF_DROP, "... the original dropped");

	nlh = nth(buf, len, 7);
	el = mnl_attr_get_payload(attr(nlh, NFTA_SET_ELEM_LIST_ELEMENTS));
	ok(elem_u32(el, NFTA_SET_ELEM_KEY) == 5 &&
	    elem_u32(el, NFTA_SET_ELEM_DATA) == 2 &&
	    mnl_attr_get_payload_len(attr(nlh,
	    NFTA_SET_ELEM_LIST_ELEMENTS)) == mnl_attr_get_len(el),
	    "ip: only the IPv4 VMAC, 5 : 2");

	is_str(mnl_attr_get_str(attr(nth(buf, len, 12), NFTA_SET_NAME)),
	    "vmac_set", "ip6: set vmac_set too");
	nlh = nth(buf, len, 14);
	exprs(nlh, ex, sizeof(ex), set, &verdict);
	is_str(ex, "meta cmp payload cmp meta cmp payload meta lookup dup "
	    "immediate", "icmpv6 type mld2-listener-report ... dup ... drop");
	ok(cmp8(nlh, 3) == 143 && u32(sub(expr_data(nlh, 6),
	    NFTA_PAYLOAD_OFFSET)) == 24 && u32(sub(expr_data(nlh, 6),
	    NFTA_PAYLOAD_LEN)) == 16, "... MLDv2 reports, to their daddr");
	nlh = nth(buf, len, 15);
	exprs(nlh, ex, sizeof(ex), set, &verdict);
	is_str(ex, "meta cmp payload cmp meta cmp meta lookup immediate",
	    "icmpv6 type nd-router-solicit meta oifkind \"macvlan\" oif "
	    "@vmac_set drop");
	ok(cmp8(nlh, 3) == 133 && strcmp(set, "vmac_set") == 0 &&
	    verdict == NF_DROP, "... router solicitations dropped");
	el = mnl_attr_get_payload(attr(nth(buf, len, 16),
	    NFTA_SET_ELEM_LIST_ELEMENTS));
	ok(elem_u32(el, NFTA_SET_ELEM_KEY) == 7 &&
	    elem_u32(el, NFTA_SET_ELEM_DATA) == 3, "ip6: the IPv6 VMAC, 7 : 3");
	el = mnl_attr_get_payload(attr(nth(buf, len, 17),
	    NFTA_SET_ELEM_LIST_ELEMENTS));
	is_int(elem_u32(el, NFTA_SET_ELEM_KEY), 7, "and in vmac_set");

	len = nft_build_vmac(vm, 1, 1, buf, sizeof(buf), &nmsg);
	n = types(buf, len, t, 32, &acks);
	ok(n == 11 && t[8] == MSG(NFT_MSG_NEWTABLE) &&
	    t[9] == MSG(NFT_MSG_DELTABLE), "an IPv4 VMAC alone: no ip6 table "
	    "(made sure of, then deleted), as keepalived");
	len = nft_build_vmac(NULL, 0, 1, buf, sizeof(buf), &nmsg);
	n = types(buf, len, t, 32, &acks);
	ok(n == 6 && t[2] == MSG(NFT_MSG_DELTABLE) &&
	    t[4] == MSG(NFT_MSG_DELTABLE), "no VMAC: both tables deleted");
	for (i = 0; i < NFT_MAX_VMACS; i++)
		all[i] = (struct nft_vmac){ (uint32_t)i + 10, 2, 1, 1 };
	len = nft_build_vmac(all, NFT_MAX_VMACS, 1, buf, sizeof(buf), &nmsg);
	ok(len > 0 && len <= 4096 + 80 * NFT_MAX_VMACS, "%d VMACs of both "
	    "families fit the buffer vrrpd gives (%d bytes)", NFT_MAX_VMACS,
	    len);
	ok(nft_build_vmac(all, NFT_MAX_VMACS, 1, buf, (size_t)len - 1,
	    &nmsg) == -1, "one byte less: -1");
}

int
main(void)
{
	test_table();
	test_delete_and_bounds();
	test_vmac();
	return done_testing();
}
