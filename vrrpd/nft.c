/* SPDX-License-Identifier: ISC */
/*
 * nf_tables over netlink (libmnl, no libnftnl): batches that rebuild
 * vrrpd's table atomically.  "add table; delete table; add table ..." in
 * one batch is nft's own idiom for replacing a table: it works whether or
 * not one was there, and a reader never sees a half-built table.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>

#include <libmnl/libmnl.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nf_tables.h>
#include <linux/netfilter/nfnetlink.h>

#include "nft.h"
#include "nl.h"

/* nft's datatype numbers, so that "nft list" prints the sets' types */
#define NFT_TYPE_IPADDR		7
#define NFT_TYPE_IP6ADDR	8
#define NFT_TYPE_IFINDEX	20
#define NFT_HOOK_PRIO		(-1)	/* before filter, as keepalived */
#define NFT_ICMPV6_NS		135	/* neighbour solicitation */
#define NFT_ICMPV6_NA		136	/* neighbour advertisement */
#define NFT_ICMPV6_RS		133	/* router solicitation */
#define NFT_ICMPV6_MLD2		143	/* MLDv2 listener report */
/* the VMAC tables ~2.4 kB, then 72 bytes per VMAC at most */
#define NFT_VMAC_BATCH_MAX	(4096 + 80 * NFT_MAX_VMACS)
/* the table ~2.4 kB, then 28 bytes per VIP at most */
#define NFT_BATCH_MAX		(4096 + 32 * NFT_MAX_VIPS)

/* The batch being written: messages one after another into nb_buf. */
struct nb {
	char		*nb_buf;
	size_t		 nb_len, nb_off;
	struct nlmsghdr	*nb_cur;
	uint32_t	 nb_seq;
	int		 nb_nmsg;	/* answers to expect */
	int		 nb_fail;
	uint8_t		 nb_family;	/* of the table the messages are for */
};

static size_t
nb_room(const struct nb *b)
{
	return b->nb_len - ((char *)b->nb_cur - b->nb_buf);
}

static void
nb_close(struct nb *b)
{
	if (b->nb_cur && !b->nb_fail)
		b->nb_off += b->nb_cur->nlmsg_len;
	b->nb_cur = NULL;
}

/* Closes the current message and starts one of this type. */
static void
nb_msg(struct nb *b, uint16_t type, uint16_t flags, uint8_t family,
    uint16_t resid)
{
	struct nfgenmsg *g;

	nb_close(b);
	if (b->nb_fail || b->nb_len - b->nb_off < MNL_NLMSG_HDRLEN +
	    MNL_ALIGN(sizeof(*g))) {
		b->nb_fail = 1;
		return;
	}
	b->nb_cur = mnl_nlmsg_put_header(b->nb_buf + b->nb_off);
	b->nb_cur->nlmsg_type = type;
	b->nb_cur->nlmsg_flags = NLM_F_REQUEST | flags;
	b->nb_cur->nlmsg_seq = b->nb_seq++;
	g = mnl_nlmsg_put_extra_header(b->nb_cur, sizeof(*g));
	g->nfgen_family = family;
	g->version = NFNETLINK_V0;
	g->res_id = htons(resid);
	if (flags & NLM_F_ACK)
		b->nb_nmsg++;
}

static void
nb_nft(struct nb *b, int msg, uint16_t flags)
{
	nb_msg(b, (uint16_t)(NFNL_SUBSYS_NFTABLES << 8 | msg),
	    (uint16_t)(flags | NLM_F_ACK), b->nb_family, 0);
}

static void
nb_put(struct nb *b, uint16_t type, size_t len, const void *data)
{
	if (b->nb_fail || b->nb_cur == NULL ||
	    !mnl_attr_put_check(b->nb_cur, nb_room(b), type, len, data))
		b->nb_fail = 1;
}

static void
nb_str(struct nb *b, uint16_t type, const char *s)
{
	nb_put(b, type, strlen(s) + 1, s);
}

static void
nb_u32(struct nb *b, uint16_t type, uint32_t v)
{
	v = htonl(v);
	nb_put(b, type, sizeof(v), &v);
}

static struct nlattr *
nb_nest(struct nb *b, uint16_t type)
{
	struct nlattr *a = NULL;

	if (!b->nb_fail && b->nb_cur &&
	    (a = mnl_attr_nest_start_check(b->nb_cur, nb_room(b), type)) ==
	    NULL)
		b->nb_fail = 1;
	return a;
}

static void
nb_end(struct nb *b, struct nlattr *a)
{
	if (!b->nb_fail && a)
		mnl_attr_nest_end(b->nb_cur, a);
}

/* --- expressions ------------------------------------------------------ */

struct nb_expr {
	struct nlattr	*ne_elem, *ne_data;
};

static void
nb_expr(struct nb *b, struct nb_expr *e, const char *name)
{
	e->ne_elem = nb_nest(b, NFTA_LIST_ELEM);
	nb_str(b, NFTA_EXPR_NAME, name);
	e->ne_data = nb_nest(b, NFTA_EXPR_DATA);
}

static void
nb_expr_end(struct nb *b, struct nb_expr *e)
{
	nb_end(b, e->ne_data);
	nb_end(b, e->ne_elem);
}

/* An expression whose data is two 32-bit attributes (meta, dup). */
static void
nb_expr_u32x2(struct nb *b, const char *name, uint16_t t1, uint32_t v1,
    uint16_t t2, uint32_t v2)
{
	struct nb_expr e;

	nb_expr(b, &e, name);
	nb_u32(b, t1, v1);
	nb_u32(b, t2, v2);
	nb_expr_end(b, &e);
}

static void
nb_meta_to(struct nb *b, uint32_t key, uint32_t reg)
{
	nb_expr_u32x2(b, "meta", NFTA_META_KEY, key, NFTA_META_DREG, reg);
}

static void
nb_meta(struct nb *b, uint32_t key)
{
	nb_meta_to(b, key, NFT_REG_1);
}

static void
nb_cmp(struct nb *b, uint32_t op, const void *v, size_t len)
{
	struct nb_expr e;
	struct nlattr *d;

	nb_expr(b, &e, "cmp");

	nb_u32(b, NFTA_CMP_SREG, NFT_REG_1);
	nb_u32(b, NFTA_CMP_OP, op);
	d = nb_nest(b, NFTA_CMP_DATA);
	nb_put(b, NFTA_DATA_VALUE, len, v);
	nb_end(b, d);
	nb_expr_end(b, &e);
}

static void
nb_cmp8(struct nb *b, uint32_t op, uint8_t v)
{
	nb_cmp(b, op, &v, 1);
}

static void
nb_payload(struct nb *b, uint32_t base, uint32_t off, uint32_t len)
{
	struct nb_expr e;

	nb_expr(b, &e, "payload");

	nb_u32(b, NFTA_PAYLOAD_DREG, NFT_REG_1);
	nb_u32(b, NFTA_PAYLOAD_BASE, base);
	nb_u32(b, NFTA_PAYLOAD_OFFSET, off);
	nb_u32(b, NFTA_PAYLOAD_LEN, len);
	nb_expr_end(b, &e);
}

/* A set's lookup from sreg; a map's puts what it finds in dreg (not 0). */
static void
nb_lookup_in(struct nb *b, const char *set, uint32_t id, uint32_t sreg,
    uint32_t dreg)
{
	struct nb_expr e;

	nb_expr(b, &e, "lookup");

	nb_str(b, NFTA_LOOKUP_SET, set);
	nb_u32(b, NFTA_LOOKUP_SET_ID, id);
	nb_u32(b, NFTA_LOOKUP_SREG, sreg);
	if (dreg != NFT_REG_VERDICT)
		nb_u32(b, NFTA_LOOKUP_DREG, dreg);
	nb_expr_end(b, &e);
}

static void
nb_lookup(struct nb *b, const char *set, uint32_t id)
{
	nb_lookup_in(b, set, id, NFT_REG_1, NFT_REG_VERDICT);
}

/* A copy of the packet to the address in areg, out of the device in dreg. */
static void
nb_dup(struct nb *b, uint32_t areg, uint32_t dreg)
{
	nb_expr_u32x2(b, "dup", NFTA_DUP_SREG_ADDR, areg, NFTA_DUP_SREG_DEV,
	    dreg);
}

static void
nb_verdict(struct nb *b, uint32_t code)
{
	struct nb_expr e;
	struct nlattr *d, *v;

	nb_expr(b, &e, "immediate");

	nb_u32(b, NFTA_IMMEDIATE_DREG, NFT_REG_VERDICT);
	d = nb_nest(b, NFTA_IMMEDIATE_DATA);
	v = nb_nest(b, NFTA_DATA_VERDICT);
	nb_u32(b, NFTA_VERDICT_CODE, code);
	nb_end(b, v);
	nb_end(b, d);
	nb_expr_end(b, &e);
}

/* --- objects ---------------------------------------------------------- */

static void
nb_table(struct nb *b, int msg, uint16_t flags)
{
	nb_nft(b, msg, flags);
	nb_str(b, NFTA_TABLE_NAME, NFT_TABLE);
}

static void
nb_set_flags(struct nb *b, const char *name, uint32_t type, uint32_t len,
    uint32_t id, uint32_t flags)
{
	nb_nft(b, NFT_MSG_NEWSET, NLM_F_CREATE);
	nb_str(b, NFTA_SET_TABLE, NFT_TABLE);
	nb_str(b, NFTA_SET_NAME, name);
	nb_u32(b, NFTA_SET_FLAGS, flags);
	nb_u32(b, NFTA_SET_KEY_TYPE, type);
	nb_u32(b, NFTA_SET_KEY_LEN, len);
	nb_u32(b, NFTA_SET_ID, id);
}

static void
nb_set(struct nb *b, const char *name, uint32_t type, uint32_t len,
    uint32_t id)
{
	nb_set_flags(b, name, type, len, id, 0);
}

static void
nb_chain(struct nb *b, const char *name, uint32_t hook)
{
	struct nlattr *h;

	nb_nft(b, NFT_MSG_NEWCHAIN, NLM_F_CREATE);
	nb_str(b, NFTA_CHAIN_TABLE, NFT_TABLE);
	nb_str(b, NFTA_CHAIN_NAME, name);
	h = nb_nest(b, NFTA_CHAIN_HOOK);
	nb_u32(b, NFTA_HOOK_HOOKNUM, hook);
	nb_u32(b, NFTA_HOOK_PRIORITY, (uint32_t)NFT_HOOK_PRIO);
	nb_end(b, h);
	nb_u32(b, NFTA_CHAIN_POLICY, NF_ACCEPT);
	nb_str(b, NFTA_CHAIN_TYPE, "filter");
}

/* A rule's start; its expressions follow, nb_end() closes them. */
static struct nlattr *
nb_rule_begin(struct nb *b, const char *chain)
{
	nb_nft(b, NFT_MSG_NEWRULE, NLM_F_CREATE | NLM_F_APPEND);
	nb_str(b, NFTA_RULE_TABLE, NFT_TABLE);
	nb_str(b, NFTA_RULE_CHAIN, chain);
	return nb_nest(b, NFTA_RULE_EXPRESSIONS);
}

static struct nlattr *
nb_rule(struct nb *b, const char *chain, uint8_t nfproto)
{
	struct nlattr *l = nb_rule_begin(b, chain);

	/* an inet chain sees both families: say which header follows */
	nb_meta(b, NFT_META_NFPROTO);
	nb_cmp8(b, NFT_CMP_EQ, nfproto);
	return l;
}

/* "ip daddr @vips4 drop" and the like. */
static void
nb_rule_vips(struct nb *b, const char *chain, int v6, int src)
{
	struct nlattr *l = nb_rule(b, chain, v6 ? NFPROTO_IPV6 :
	    NFPROTO_IPV4);

	if (v6)
		nb_payload(b, NFT_PAYLOAD_NETWORK_HEADER, src ? 8 : 24, 16);
	else
		nb_payload(b, NFT_PAYLOAD_NETWORK_HEADER, src ? 12 : 16, 4);
	nb_lookup(b, v6 ? "vips6" : "vips4", v6 ? 2 : 1);
	nb_verdict(b, NF_DROP);
	nb_end(b, l);
}

/* "icmpv6 type 135-136 accept": a host must reach a router it uses. */
static void
nb_rule_nd(struct nb *b, const char *chain)
{
	struct nlattr *l = nb_rule(b, chain, NFPROTO_IPV6);

	nb_meta(b, NFT_META_L4PROTO);
	nb_cmp8(b, NFT_CMP_EQ, IPPROTO_ICMPV6);
	nb_payload(b, NFT_PAYLOAD_TRANSPORT_HEADER, 0, 1);
	nb_cmp8(b, NFT_CMP_GTE, NFT_ICMPV6_NS);
	nb_cmp8(b, NFT_CMP_LTE, NFT_ICMPV6_NA);
	nb_verdict(b, NF_ACCEPT);
	nb_end(b, l);
}

static void
nb_elems(struct nb *b, const struct nft_vip *vips, int n, int family)
{
	struct nlattr *list, *el, *key;
	size_t alen = family == AF_INET ? 4 : 16;
	int i, any = 0;

	for (i = 0; i < n; i++)
		any |= vips[i].nv_family == family;
	if (!any)
		return;
	nb_nft(b, NFT_MSG_NEWSETELEM, NLM_F_CREATE);
	nb_str(b, NFTA_SET_ELEM_LIST_TABLE, NFT_TABLE);
	nb_str(b, NFTA_SET_ELEM_LIST_SET, family == AF_INET ? "vips4" :
	    "vips6");
	nb_u32(b, NFTA_SET_ELEM_LIST_SET_ID, family == AF_INET ? 1 : 2);
	list = nb_nest(b, NFTA_SET_ELEM_LIST_ELEMENTS);
	for (i = 0; i < n; i++) {
		if (vips[i].nv_family != family)
			continue;
		el = nb_nest(b, NFTA_LIST_ELEM);
		key = nb_nest(b, NFTA_SET_ELEM_KEY);
		nb_put(b, NFTA_DATA_VALUE, alen, &vips[i].nv_addr);
		nb_end(b, key);
		nb_end(b, el);
	}
	nb_end(b, list);
}

static void
nb_begin(struct nb *b, void *buf, size_t len, uint32_t seq)
{
	memset(b, 0, sizeof(*b));
	b->nb_buf = buf;
	b->nb_len = len;
	b->nb_seq = seq;
	b->nb_family = NFPROTO_INET;
	nb_msg(b, NFNL_MSG_BATCH_BEGIN, 0, AF_UNSPEC, NFNL_SUBSYS_NFTABLES);
}

static int
nb_finish(struct nb *b, int *nmsg)
{
	nb_msg(b, NFNL_MSG_BATCH_END, 0, AF_UNSPEC, NFNL_SUBSYS_NFTABLES);
	nb_close(b);
	if (b->nb_fail)
		return -1;
	*nmsg = b->nb_nmsg;
	return (int)b->nb_off;
}

int
nft_build(const struct nft_vip *vips, int n, uint32_t seq, void *buf,
    size_t len, int *nmsg)
{
	struct nb b;

	nb_begin(&b, buf, len, seq);
	nb_table(&b, NFT_MSG_NEWTABLE, NLM_F_CREATE);
	nb_table(&b, NFT_MSG_DELTABLE, 0);
	if (n > 0) {
		nb_table(&b, NFT_MSG_NEWTABLE, NLM_F_CREATE);
		nb_set(&b, "vips4", NFT_TYPE_IPADDR, 4, 1);
		nb_set(&b, "vips6", NFT_TYPE_IP6ADDR, 16, 2);
		nb_chain(&b, "in", NF_INET_LOCAL_IN);
		nb_chain(&b, "out", NF_INET_LOCAL_OUT);
		nb_rule_vips(&b, "in", 0, 0);
		nb_rule_nd(&b, "in");
		nb_rule_vips(&b, "in", 1, 0);
		nb_rule_vips(&b, "out", 0, 1);
		nb_rule_nd(&b, "out");
		nb_rule_vips(&b, "out", 1, 1);
		nb_elems(&b, vips, n, AF_INET);
		nb_elems(&b, vips, n, AF_INET6);
	}
	return nb_finish(&b, nmsg);
}

/* "delete table" alone: ENOENT when there is none, which nft_remove wants. */
static int
nft_build_remove(uint8_t family, uint32_t seq, void *buf, size_t len,
    int *nmsg)
{
	struct nb b;

	nb_begin(&b, buf, len, seq);
	b.nb_family = family;
	nb_table(&b, NFT_MSG_DELTABLE, 0);
	return nb_finish(&b, nmsg);
}

/* --- the VMAC tables -------------------------------------------------- */

#define NFT_ID_MAP4	1
#define NFT_ID_MAP6	2
#define NFT_ID_SET6	3

static const char nft_macvlan[16] = "macvlan";	/* as IFNAMSIZ: padded */

static int
nm_in(const struct nft_vmac *m, int v6)
{
	return v6 ? m->nm_v6 : m->nm_v4;
}

/*
 * nft's user data for a set: its keys (and a map's data) in host order,
 * or "nft list" prints ifindex 2 as 33554432.  libnftnl's TLVs: type
 * (0 keys, 1 data), length, value (1, host order).
 */
static void
nb_set_host_order(struct nb *b, int map)
{
	uint8_t ud[12] = { 0, 4 };
	uint32_t host = 1;

	memcpy(ud + 2, &host, 4);
	ud[6] = 1;
	ud[7] = 4;
	memcpy(ud + 8, &host, 4);
	nb_put(b, NFTA_SET_USERDATA, map ? 12 : 6, ud);
}

/* "map vmac_map { type iface_index : iface_index }" */
static void
nb_vmac_map(struct nb *b, uint32_t id)
{
	nb_set_flags(b, "vmac_map", NFT_TYPE_IFINDEX, 4, id, NFT_SET_MAP);
	nb_u32(b, NFTA_SET_DATA_TYPE, NFT_TYPE_IFINDEX);
	nb_u32(b, NFTA_SET_DATA_LEN, 4);
	nb_set_host_order(b, 1);
}

/*
 * "ip protocol igmp meta oifkind "macvlan" dup to ip daddr device oif map
 * @vmac_map drop", or its MLDv2 report twin: the report leaves once, from
 * the parent.  A macvlan not in the map (not ours) fails the lookup and
 * its reports leave as they would.
 */
static void
nb_rule_report(struct nb *b, int v6)
{
	struct nlattr *l = nb_rule_begin(b, "out");

	if (v6) {
		nb_meta(b, NFT_META_L4PROTO);
		nb_cmp8(b, NFT_CMP_EQ, IPPROTO_ICMPV6);
		nb_payload(b, NFT_PAYLOAD_TRANSPORT_HEADER, 0, 1);
		nb_cmp8(b, NFT_CMP_EQ, NFT_ICMPV6_MLD2);
	} else {
		nb_payload(b, NFT_PAYLOAD_NETWORK_HEADER, 9, 1);
		nb_cmp8(b, NFT_CMP_EQ, IPPROTO_IGMP);
	}
	nb_meta(b, NFT_META_OIFKIND);
	nb_cmp(b, NFT_CMP_EQ, nft_macvlan, sizeof(nft_macvlan));
	nb_payload(b, NFT_PAYLOAD_NETWORK_HEADER, v6 ? 24 : 16, v6 ? 16 : 4);
	nb_meta_to(b, NFT_META_OIF, NFT_REG_2);
	nb_lookup_in(b, "vmac_map", v6 ? NFT_ID_MAP6 : NFT_ID_MAP4,
	    NFT_REG_2, NFT_REG_2);
	nb_dup(b, NFT_REG_1, NFT_REG_2);
	nb_verdict(b, NF_DROP);
	nb_end(b, l);
}

/* "icmpv6 type nd-router-solicit meta oifkind "macvlan" oif @vmac_set drop" */
static void
nb_rule_rs(struct nb *b)
{
	struct nlattr *l = nb_rule_begin(b, "out");

	nb_meta(b, NFT_META_L4PROTO);
	nb_cmp8(b, NFT_CMP_EQ, IPPROTO_ICMPV6);
	nb_payload(b, NFT_PAYLOAD_TRANSPORT_HEADER, 0, 1);
	nb_cmp8(b, NFT_CMP_EQ, NFT_ICMPV6_RS);
	nb_meta(b, NFT_META_OIFKIND);
	nb_cmp(b, NFT_CMP_EQ, nft_macvlan, sizeof(nft_macvlan));
	nb_meta(b, NFT_META_OIF);
	nb_lookup(b, "vmac_set", NFT_ID_SET6);
	nb_verdict(b, NF_DROP);
	nb_end(b, l);
}

/* The VMACs of the family: map elements (VMAC : parent), or set ones. */
static void
nb_vmac_elems(struct nb *b, const struct nft_vmac *vm, int n, int v6,
    int map)
{
	struct nlattr *list, *el, *key;
	int i;

	nb_nft(b, NFT_MSG_NEWSETELEM, NLM_F_CREATE);
	nb_str(b, NFTA_SET_ELEM_LIST_TABLE, NFT_TABLE);
	nb_str(b, NFTA_SET_ELEM_LIST_SET, map ? "vmac_map" : "vmac_set");
	nb_u32(b, NFTA_SET_ELEM_LIST_SET_ID, map ? (v6 ? NFT_ID_MAP6 :
	    NFT_ID_MAP4) : NFT_ID_SET6);
	list = nb_nest(b, NFTA_SET_ELEM_LIST_ELEMENTS);
	for (i = 0; i < n; i++) {
		if (!nm_in(&vm[i], v6))
			continue;
		el = nb_nest(b, NFTA_LIST_ELEM);
		/* meta oif is in host order, so are the keys and data */
		key = nb_nest(b, NFTA_SET_ELEM_KEY);
		nb_put(b, NFTA_DATA_VALUE, 4, &vm[i].nm_ifindex);
		nb_end(b, key);
		if (map) {
			key = nb_nest(b, NFTA_SET_ELEM_DATA);
			nb_put(b, NFTA_DATA_VALUE, 4, &vm[i].nm_parent);
			nb_end(b, key);
		}
		nb_end(b, el);
	}
	nb_end(b, list);
}

/*
 * One family's table replaced, or deleted when none of the VMACs is in
 * it and it is not kept (then it is made with no element).
 */
static void
nb_vmac_table(struct nb *b, const struct nft_vmac *vm, int n, int v6,
    int kept)
{
	int i, any = 0;

	for (i = 0; i < n; i++)
		any |= nm_in(&vm[i], v6);
	b->nb_family = v6 ? NFPROTO_IPV6 : NFPROTO_IPV4;
	nb_table(b, NFT_MSG_NEWTABLE, NLM_F_CREATE);
	nb_table(b, NFT_MSG_DELTABLE, 0);
	if (!any && !kept)
		return;
	nb_table(b, NFT_MSG_NEWTABLE, NLM_F_CREATE);
	nb_vmac_map(b, v6 ? NFT_ID_MAP6 : NFT_ID_MAP4);
	if (v6) {
		nb_set(b, "vmac_set", NFT_TYPE_IFINDEX, 4, NFT_ID_SET6);
		nb_set_host_order(b, 0);
	}
	nb_chain(b, "out", NF_INET_LOCAL_OUT);
	nb_rule_report(b, v6);
	if (v6)
		nb_rule_rs(b);
	if (!any)
		return;
	nb_vmac_elems(b, vm, n, v6, 1);
	if (v6)
		nb_vmac_elems(b, vm, n, v6, 0);
}

int
nft_build_vmac_kept(const struct nft_vmac *vm, int n, int kept,
    uint32_t seq, void *buf, size_t len, int *nmsg)
{
	struct nb b;

	nb_begin(&b, buf, len, seq);
	nb_vmac_table(&b, vm, n, 0, kept & NFT_KEPT_V4);
	nb_vmac_table(&b, vm, n, 1, kept & NFT_KEPT_V6);
	return nb_finish(&b, nmsg);
}

int
nft_build_vmac(const struct nft_vmac *vm, int n, uint32_t seq, void *buf,
    size_t len, int *nmsg)
{
	return nft_build_vmac_kept(vm, n, 0, seq, buf, len, nmsg);
}

/* --- talking to the kernel -------------------------------------------- */

int
nft_open(struct nft *f)
{
	/* an answer never comes late: it is written while we send */
	struct timeval tv = { 1, 0 };
	int one = 1;

	memset(f, 0, sizeof(*f));
	if ((f->nf_sock = nl_socket(NETLINK_NETFILTER, &f->nf_portid,
	    &f->nf_seq)) == NULL) {
		f->nf_errno = errno;
		return -1;
	}
	/* errors without a copy of our (up to 36 kB) request */
	if (setsockopt(mnl_socket_get_fd(f->nf_sock), SOL_SOCKET,
	    SO_RCVTIMEO, &tv, sizeof(tv)) == -1 ||
	    mnl_socket_setsockopt(f->nf_sock, NETLINK_CAP_ACK, &one,
	    sizeof(one)) == -1) {
		f->nf_errno = errno;
		nft_close(f);
		errno = f->nf_errno;
		return -1;
	}
	return 0;
}

/* The tables a reload emptied go with the daemon, as keepalived's. */
void
nft_close(struct nft *f)
{
	if (f->nf_vmac_kept && f->nf_nvmacs == 0)
		nft_vmac_remove(f);
	f->nf_vmac_kept = 0;
	nl_socket_close(&f->nf_sock);
}

/*
 * Sends a batch and reads one answer per message that asked for an ACK;
 * the kernel runs the whole batch or none of it.  A batch refused whole
 * (EPERM without CAP_NET_ADMIN) gets one answer, to its first message,
 * seq.  0, or -1 with errno of the first failing message.
 */
static int
nft_talk(struct nft *f, const void *msg, size_t len, int nmsg, uint32_t seq)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	const struct nlmsghdr *nlh;
	const struct nlmsgerr *e;
	int got = 0, first = 0, left;
	ssize_t r;

	if (f->nf_sock == NULL) {
		/* a use_vmac warning says why: no nf_tables, say */
		errno = f->nf_errno ? f->nf_errno : ENOTCONN;
		return -1;
	}
	if (mnl_socket_sendto(f->nf_sock, msg, len) < 0)
		return -1;
	while (got < nmsg) {
		if ((r = mnl_socket_recvfrom(f->nf_sock, buf, sizeof(buf))) <= 0)
			return -1;
		left = (int)r;
		for (nlh = (const struct nlmsghdr *)buf; mnl_nlmsg_ok(nlh,
		    left); nlh = mnl_nlmsg_next(nlh, &left)) {
			if (nlh->nlmsg_type != NLMSG_ERROR ||
			    nlh->nlmsg_len < MNL_NLMSG_HDRLEN + sizeof(*e))
				continue;
			e = mnl_nlmsg_get_payload(nlh);
			got++;
			if (e->error != 0 && first == 0)
				first = -e->error;
			if (e->error != 0 && nlh->nlmsg_seq == seq)
				got = nmsg;	/* nothing else will come */
		}
	}
	if (first) {
		errno = first;
		return -1;
	}
	return 0;
}

/*
 * A batch nft_build* made (len < 0: it did not fit) to the kernel; the
 * next batch numbers its messages past this one's, begin and end too.
 */
static int
nft_send(struct nft *f, const char *buf, int len, int nmsg)
{
	int rc;

	if (len < 0) {
		errno = EMSGSIZE;
		return -1;
	}
	rc = nft_talk(f, buf, (size_t)len, nmsg, f->nf_seq);
	f->nf_seq += (unsigned int)nmsg + 2;
	return rc;
}

int
nft_sync(struct nft *f, const struct nft_vip *vips, int n)
{
	char *buf;
	int len, nmsg, rc;

	if (n > NFT_MAX_VIPS)
		n = NFT_MAX_VIPS;
	if ((buf = malloc(NFT_BATCH_MAX)) == NULL)
		return -1;
	len = nft_build(vips, n, f->nf_seq, buf, NFT_BATCH_MAX, &nmsg);
	rc = nft_send(f, buf, len, nmsg);
	free(buf);
	if (rc == 0)
		f->nf_on = n > 0;
	return rc;
}

int
nft_remove(struct nft *f)
{
	char buf[1024];
	int len, nmsg, rc;

	len = nft_build_remove(NFPROTO_INET, f->nf_seq, buf, sizeof(buf),
	    &nmsg);
	if ((rc = nft_send(f, buf, len, nmsg)) == -1)
		return errno == ENOENT ? 0 : -1;
	f->nf_on = 0;
	return 1;
}

/* Makes the tables hold exactly f's VMACs.  0 or -1. */
static int
nft_vmac_sync(struct nft *f)
{
	char *buf;
	int len, nmsg, rc;

	if ((buf = malloc(NFT_VMAC_BATCH_MAX)) == NULL)
		return -1;
	len = nft_build_vmac_kept(f->nf_vmacs, f->nf_nvmacs, f->nf_vmac_kept,
	    f->nf_seq, buf, NFT_VMAC_BATCH_MAX, &nmsg);
	rc = nft_send(f, buf, len, nmsg);
	free(buf);
	return rc;
}

/* A VMAC the kernel refused stays out: its removal has nothing to undo. */
int
nft_vmac_add(struct nft *f, const struct nft_vmac *vm)
{
	if (f->nf_nvmacs == NFT_MAX_VMACS) {
		errno = ENOSPC;
		return -1;
	}
	f->nf_vmacs[f->nf_nvmacs++] = *vm;
	if (nft_vmac_sync(f) == 0)
		return 0;
	f->nf_nvmacs--;
	return -1;
}

int
nft_vmac_del(struct nft *f, uint32_t ifindex, int keep)
{
	int i;

	for (i = 0; i < f->nf_nvmacs; i++)
		if (f->nf_vmacs[i].nm_ifindex == ifindex)
			break;
	if (i == f->nf_nvmacs)
		return 0;
	if (!keep)
		f->nf_vmac_kept = 0;
	else
		f->nf_vmac_kept |= (f->nf_vmacs[i].nm_v4 ? NFT_KEPT_V4 : 0) |
		    (f->nf_vmacs[i].nm_v6 ? NFT_KEPT_V6 : 0);
	f->nf_vmacs[i] = f->nf_vmacs[--f->nf_nvmacs];
	return nft_vmac_sync(f);
}

int
nft_vmac_remove(struct nft *f)
{
	static const uint8_t fam[] = { NFPROTO_IPV4, NFPROTO_IPV6 };
	char buf[1024];
	int i, len, nmsg, rc, n = 0;

	for (i = 0; i < 2; i++) {
		len = nft_build_remove(fam[i], f->nf_seq, buf, sizeof(buf),
		    &nmsg);
		rc = nft_send(f, buf, len, nmsg);
		if (rc == -1 && errno != ENOENT)
			return -1;
		n += rc == 0;
	}
	return n;
}
