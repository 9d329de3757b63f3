/* SPDX-License-Identifier: ISC */
/*
 * rtnetlink requests, each one with NLM_F_ACK and mnl_cb_run() turning the
 * answer into 0 or -1/errno (libmnl examples/rtnl/rtnl-link-set.c).
 */
#include <errno.h>
#include <net/if.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <libmnl/libmnl.h>
#include <linux/if_addr.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>

#include "nl.h"

struct mnl_socket *
nl_socket(int bus, unsigned int *portid, unsigned int *seq)
{
	struct mnl_socket *s;

	if ((s = mnl_socket_open2(bus, SOCK_CLOEXEC)) == NULL)
		return NULL;
	if (mnl_socket_bind(s, 0, MNL_SOCKET_AUTOPID) == -1) {
		mnl_socket_close(s);
		return NULL;
	}
	*portid = mnl_socket_get_portid(s);
	*seq = (unsigned int)time(NULL);
	return s;
}

int
nl_open(struct nl *n)
{
	n->nl_sock = nl_socket(NETLINK_ROUTE, &n->nl_portid, &n->nl_seq);
	return n->nl_sock ? 0 : -1;
}

void
nl_socket_close(struct mnl_socket **s)
{
	if (*s)
		mnl_socket_close(*s);
	*s = NULL;
}

void
nl_close(struct nl *n)
{
	nl_socket_close(&n->nl_sock);
}

/* Sends a request and runs cb over every answer until the ACK/DONE. */
static int
nl_talk(struct nl *n, struct nlmsghdr *nlh, mnl_cb_t cb, void *data)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	unsigned int seq = nlh->nlmsg_seq = ++n->nl_seq;
	ssize_t r;
	int rc;

	if (mnl_socket_sendto(n->nl_sock, nlh, nlh->nlmsg_len) < 0)
		return -1;
	for (;;) {
		r = mnl_socket_recvfrom(n->nl_sock, buf, sizeof(buf));
		if (r < 0)
			return -1;
		rc = mnl_cb_run(buf, (size_t)r, seq, n->nl_portid, cb, data);
		if (rc <= MNL_CB_STOP)
			return rc == MNL_CB_ERROR ? -1 : 0;
	}
}

/* What RTM_NEWADDR carries beyond the address: ip-address(8)'s options. */
static void
nl_vip_attrs(struct nlmsghdr *nlh, const struct cfg_vip *v)
{
	struct ifa_cacheinfo ci;
	uint32_t flags = v->cv_flags;

	mnl_attr_put_u8(nlh, IFA_PROTO, NL_PROTO_VRRPD);
	if (v->cv_family == AF_INET6) {
		/* a VIP moves between hosts: no DAD (keepalived too) */
		if (!v->cv_dad)
			flags |= IFA_F_NODAD;
		/*
		 * keepalived's default: a /128 is deprecated (preferred
		 * lifetime 0) so that it is never picked as a source.
		 */
		memset(&ci, 0, sizeof(ci));
		ci.ifa_prefered = v->cv_lft_set ? v->cv_preferred :
		    v->cv_plen == 128 ? 0 : CFG_LFT_FOREVER;
		ci.ifa_valid = CFG_LFT_FOREVER;
		if (ci.ifa_prefered != CFG_LFT_FOREVER)
			mnl_attr_put(nlh, IFA_CACHEINFO, sizeof(ci), &ci);
	} else {
		if (v->cv_brd.s_addr)
			mnl_attr_put(nlh, IFA_BROADCAST, 4, &v->cv_brd);
		if (v->cv_label[0])
			mnl_attr_put_strz(nlh, IFA_LABEL, v->cv_label);
	}
	if (flags)
		mnl_attr_put_u32(nlh, IFA_FLAGS, flags);
}

static int
nl_vip_msg(struct nl *n, int type, int flags, int ifindex,
    const struct cfg_vip *v)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct ifaddrmsg *ifa;
	size_t alen = v->cv_family == AF_INET ? 4 : 16;

	nlh->nlmsg_type = (uint16_t)type;
	nlh->nlmsg_flags = (uint16_t)(NLM_F_REQUEST | NLM_F_ACK | flags);
	ifa = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifa));
	ifa->ifa_family = (uint8_t)v->cv_family;
	ifa->ifa_prefixlen = v->cv_plen;
	ifa->ifa_scope = v->cv_scope;
	ifa->ifa_index = (unsigned)ifindex;
	mnl_attr_put(nlh, IFA_LOCAL, alen, &v->cv_addr);
	mnl_attr_put(nlh, IFA_ADDRESS, alen, &v->cv_addr);
	if (type == RTM_NEWADDR)
		nl_vip_attrs(nlh, v);
	return nl_talk(n, nlh, NULL, NULL);
}

int
nl_request(struct nl *n, struct nlmsghdr *nlh)
{
	return nl_talk(n, nlh, NULL, NULL);
}

int
nl_vip_add(struct nl *n, int ifindex, const char *ifname,
    const struct cfg_vip *v)
{
	(void)ifname;
	if (nl_vip_msg(n, RTM_NEWADDR, NLM_F_CREATE | NLM_F_EXCL, ifindex,
	    v) == 0 || errno == EEXIST)
		return 0;
	return -1;
}

int
nl_vip_del(struct nl *n, int ifindex, const struct cfg_vip *v)
{
	if (nl_vip_msg(n, RTM_DELADDR, 0, ifindex, v) == 0 ||
	    errno == EADDRNOTAVAIL || errno == ENODEV)
		return 0;
	return -1;
}

struct nl_dump {
	struct nl_addr	*d_out;
	int		 d_max, d_n;
};

static int
nl_addr_attr(const struct nlattr *a, void *data)
{
	const struct nlattr **tb = data;
	int type = mnl_attr_get_type(a);

	if (mnl_attr_type_valid(a, IFA_MAX) < 0)
		return MNL_CB_OK;	/* newer kernel: skip */
	if ((type == IFA_FLAGS &&
	    mnl_attr_validate(a, MNL_TYPE_U32) < 0) ||
	    (type == IFA_PROTO && mnl_attr_validate(a, MNL_TYPE_U8) < 0))
		return MNL_CB_OK;
	tb[type] = a;
	return MNL_CB_OK;
}

static int
nl_addr_cb(const struct nlmsghdr *nlh, void *data)
{
	struct nl_dump *d = data;
	const struct nlattr *tb[IFA_MAX + 1] = { NULL };
	struct ifaddrmsg *ifa = mnl_nlmsg_get_payload(nlh);
	const struct nlattr *a;
	struct nl_addr *o;
	size_t alen;

	if (nlh->nlmsg_len < MNL_NLMSG_HDRLEN + sizeof(*ifa))
		return MNL_CB_OK;
	mnl_attr_parse(nlh, sizeof(*ifa), nl_addr_attr, tb);
	a = tb[IFA_LOCAL] ? tb[IFA_LOCAL] : tb[IFA_ADDRESS];
	alen = ifa->ifa_family == AF_INET ? 4 : 16;
	if (a == NULL || mnl_attr_get_payload_len(a) != alen ||
	    d->d_n >= d->d_max)
		return MNL_CB_OK;
	o = &d->d_out[d->d_n++];
	memset(o, 0, sizeof(*o));
	o->na_ifindex = (int)ifa->ifa_index;
	o->na_family = ifa->ifa_family;
	memcpy(&o->na_addr, mnl_attr_get_payload(a), alen);
	o->na_plen = ifa->ifa_prefixlen;
	o->na_scope = ifa->ifa_scope;
	o->na_flags = tb[IFA_FLAGS] ? mnl_attr_get_u32(tb[IFA_FLAGS]) :
	    ifa->ifa_flags;
	o->na_proto = tb[IFA_PROTO] ? mnl_attr_get_u8(tb[IFA_PROTO]) : 0;
	return MNL_CB_OK;
}

int
nl_addrs(struct nl *n, int family, struct nl_addr *out, int max)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct ifaddrmsg *ifa;
	struct nl_dump d = { out, max, 0 };

	nlh->nlmsg_type = RTM_GETADDR;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	ifa = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifa));
	ifa->ifa_family = (uint8_t)family;
	if (nl_talk(n, nlh, nl_addr_cb, &d) == -1)
		return -1;
	return d.d_n;
}

static int
nl_link_cb(const struct nlmsghdr *nlh, void *data)
{
	int *up = data;
	struct ifinfomsg *ifi = mnl_nlmsg_get_payload(nlh);

	if (nlh->nlmsg_len < MNL_NLMSG_HDRLEN + sizeof(*ifi))
		return MNL_CB_OK;
	*up = (ifi->ifi_flags & IFF_UP) && (ifi->ifi_flags & IFF_RUNNING);
	return MNL_CB_OK;
}

/*
 * An acked link request on ifindex (0: one naming IFLA_IFNAME, or a new
 * link) in buf; its ifinfomsg, zeroed but for the index, is the payload.
 */
static struct nlmsghdr *
nl_link_msg(char *buf, uint16_t type, uint16_t flags, int ifindex)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct ifinfomsg *ifi;

	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK | flags;
	ifi = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifi));
	ifi->ifi_family = AF_UNSPEC;
	ifi->ifi_index = ifindex;
	return nlh;
}

int
nl_link_up(struct nl *n, int ifindex)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = nl_link_msg(buf, RTM_GETLINK, 0, ifindex);
	int up = -1;

	if (nl_talk(n, nlh, nl_link_cb, &up) == -1)
		return -1;
	return up;
}

struct mnl_socket *
nl_link_events(void)
{
	struct mnl_socket *s;

	if ((s = mnl_socket_open2(NETLINK_ROUTE, SOCK_CLOEXEC |
	    SOCK_NONBLOCK)) == NULL)
		return NULL;
	if (mnl_socket_bind(s, RTMGRP_LINK | RTMGRP_IPV4_IFADDR |
	    RTMGRP_IPV6_IFADDR, MNL_SOCKET_AUTOPID) == -1) {
		mnl_socket_close(s);
		return NULL;
	}
	return s;
}

struct nl_ev {
	void	(*e_cb)(void *, int, int);
	void	*e_arg;
};

static int
nl_event_cb(const struct nlmsghdr *nlh, void *data)
{
	struct nl_ev *e = data;
	struct ifinfomsg *ifi = mnl_nlmsg_get_payload(nlh);
	struct ifaddrmsg *ifa = mnl_nlmsg_get_payload(nlh);

	if ((nlh->nlmsg_type == RTM_NEWADDR ||
	    nlh->nlmsg_type == RTM_DELADDR) &&
	    nlh->nlmsg_len >= MNL_NLMSG_HDRLEN + sizeof(*ifa)) {
		e->e_cb(e->e_arg, (int)ifa->ifa_index, -1);
		return MNL_CB_OK;
	}
	if (nlh->nlmsg_len < MNL_NLMSG_HDRLEN + sizeof(*ifi))
		return MNL_CB_OK;
	if (nlh->nlmsg_type == RTM_NEWLINK)
		e->e_cb(e->e_arg, ifi->ifi_index,
		    (ifi->ifi_flags & IFF_UP) && (ifi->ifi_flags & IFF_RUNNING));
	else if (nlh->nlmsg_type == RTM_DELLINK)
		e->e_cb(e->e_arg, ifi->ifi_index, 0);
	return MNL_CB_OK;
}

int
nl_link_read(struct mnl_socket *s, void (*cb)(void *, int, int), void *arg)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nl_ev e = { cb, arg };
	ssize_t r;

	while ((r = mnl_socket_recvfrom(s, buf, sizeof(buf))) > 0)
		mnl_cb_run(buf, (size_t)r, 0, 0, nl_event_cb, &e);
	if (r < 0 && errno != EAGAIN && errno != EWOULDBLOCK)
		return -1;
	return 0;
}

/* --- macvlan (use_vmac) -------------------------------------------------- */

struct nl_linkinfo {
	char	li_kind[16];
	int	li_link;
	int	li_index;
};

static int
nl_linkinfo_attr(const struct nlattr *a, void *data)
{
	struct nl_linkinfo *li = data;

	if (mnl_attr_get_type(a) == IFLA_INFO_KIND &&
	    mnl_attr_validate(a, MNL_TYPE_STRING) == 0)
		snprintf(li->li_kind, sizeof(li->li_kind), "%s",
		    mnl_attr_get_str(a));
	return MNL_CB_OK;
}

static int
nl_getlink_attr(const struct nlattr *a, void *data)
{
	struct nl_linkinfo *li = data;

	switch (mnl_attr_get_type(a)) {
	case IFLA_LINK:
		if (mnl_attr_validate(a, MNL_TYPE_U32) == 0)
			li->li_link = (int)mnl_attr_get_u32(a);
		break;
	case IFLA_LINKINFO:
		if (mnl_attr_validate(a, MNL_TYPE_NESTED) == 0)
			mnl_attr_parse_nested(a, nl_linkinfo_attr, li);
		break;
	}
	return MNL_CB_OK;
}

static int
nl_getlink_cb(const struct nlmsghdr *nlh, void *data)
{
	struct nl_linkinfo *li = data;
	struct ifinfomsg *ifi = mnl_nlmsg_get_payload(nlh);

	if (nlh->nlmsg_len < MNL_NLMSG_HDRLEN + sizeof(*ifi))
		return MNL_CB_OK;
	li->li_index = ifi->ifi_index;
	mnl_attr_parse(nlh, sizeof(*ifi), nl_getlink_attr, li);
	return MNL_CB_OK;
}

int
nl_macvlan_of(struct nl *n, const char *name)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = nl_link_msg(buf, RTM_GETLINK, 0, 0);
	struct nl_linkinfo li;

	memset(&li, 0, sizeof(li));
	mnl_attr_put_strz(nlh, IFLA_IFNAME, name);
	if (nl_talk(n, nlh, nl_getlink_cb, &li) == -1)
		return -1;
	return strcmp(li.li_kind, "macvlan") == 0 ? li.li_link : 0;
}

int
nl_macvlan_add(struct nl *n, const char *name, int base,
    const uint8_t mac[6])
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = nl_link_msg(buf, RTM_NEWLINK,
	    NLM_F_CREATE | NLM_F_EXCL, 0);
	struct nlattr *info, *data;

	mnl_attr_put_strz(nlh, IFLA_IFNAME, name);
	mnl_attr_put_u32(nlh, IFLA_LINK, (uint32_t)base);
	mnl_attr_put(nlh, IFLA_ADDRESS, 6, mac);
	info = mnl_attr_nest_start(nlh, IFLA_LINKINFO);
	mnl_attr_put_strz(nlh, IFLA_INFO_KIND, "macvlan");
	data = mnl_attr_nest_start(nlh, IFLA_INFO_DATA);
	/* as keepalived: it sees nothing of other macvlans on the link */
	mnl_attr_put_u32(nlh, IFLA_MACVLAN_MODE, MACVLAN_MODE_PRIVATE);
	mnl_attr_nest_end(nlh, data);
	mnl_attr_nest_end(nlh, info);
	return nl_talk(n, nlh, NULL, NULL);
}

int
nl_link_no_ll6(struct nl *n, int ifindex)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = nl_link_msg(buf, RTM_NEWLINK, 0, ifindex);
	struct nlattr *af, *a6;

	af = mnl_attr_nest_start(nlh, IFLA_AF_SPEC);
	a6 = mnl_attr_nest_start(nlh, AF_INET6);
	mnl_attr_put_u8(nlh, IFLA_INET6_ADDR_GEN_MODE,
	    IN6_ADDR_GEN_MODE_NONE);
	mnl_attr_nest_end(nlh, a6);
	mnl_attr_nest_end(nlh, af);
	return nl_talk(n, nlh, NULL, NULL);
}

int
nl_link_set(struct nl *n, int ifindex, int up)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = nl_link_msg(buf, RTM_NEWLINK, 0, ifindex);
	struct ifinfomsg *ifi = mnl_nlmsg_get_payload(nlh);

	ifi->ifi_change = IFF_UP;
	ifi->ifi_flags = up ? IFF_UP : 0;
	return nl_talk(n, nlh, NULL, NULL);
}

int
nl_link_del(struct nl *n, int ifindex)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = nl_link_msg(buf, RTM_DELLINK, 0, ifindex);

	if (nl_talk(n, nlh, NULL, NULL) == 0 || errno == ENODEV)
		return 0;
	return -1;
}
