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

int
main(void)
{
	test_table();
	test_delete_and_bounds();
	return done_testing();
}
