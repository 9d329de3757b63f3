/* SPDX-License-Identifier: ISC */
/*
 * rtnetlink through libmnl: the VIPs (add, delete, list, recognise our own
 * after a crash) and link state.  Addresses vrrpd adds carry IFA_PROTO
 * NL_PROTO_VRRPD so that --cleanup and start-up remove leftovers of a
 * killed vrrpd, and nothing else; label, scope and broadcast are the
 * configured ones, as keepalived sets them.
 */
#ifndef VRRPD_NL_H
#define VRRPD_NL_H

#include <stdint.h>

#include "config.h"

#define NL_PROTO_VRRPD	0x76	/* 'v': IFA_PROTO is free for userspace */

struct mnl_socket;

struct nl {
	struct mnl_socket	*nl_sock;
	unsigned int		 nl_portid;
	unsigned int		 nl_seq;
};

struct nl_addr {
	int		na_ifindex;
	int		na_family;
	union vrrp_addr	na_addr;
	uint8_t		na_plen;
	uint8_t		na_proto;
	uint8_t		na_scope;
	uint32_t	na_flags;
};

struct nlmsghdr;

/* A bound netlink socket of bus (nft.c's too), its port id, a first seq. */
struct mnl_socket *nl_socket(int bus, unsigned int *portid,
	    unsigned int *seq);
/* Closes *s if open; NULL after. */
void	nl_socket_close(struct mnl_socket **s);
int	nl_open(struct nl *);
/* One request with NLM_F_ACK (route.c's routes and rules); 0 or -1 errno. */
int	nl_request(struct nl *, struct nlmsghdr *);
void	nl_close(struct nl *);
/* 0 on success (already there counts), -1 with errno. */
int	nl_vip_add(struct nl *, int ifindex, const char *ifname,
	    const struct cfg_vip *);
/* 0 on success (already gone counts), -1 with errno. */
int	nl_vip_del(struct nl *, int ifindex, const struct cfg_vip *);
/* Fills at most max addresses of family (0 = all); count or -1. */
int	nl_addrs(struct nl *, int family, struct nl_addr *out, int max);
/* 1 up and running, 0 down, -1 error. */
int	nl_link_up(struct nl *, int ifindex);
/* Socket subscribed to link and address events; NULL on error. */
struct mnl_socket *nl_link_events(void);
/*
 * Reads pending link and address events: cb(arg, ifindex, up) per link
 * event, cb(arg, ifindex, -1) when an address came or went.
 */
int	nl_link_read(struct mnl_socket *, void (*cb)(void *, int, int),
	    void *arg);

/*
 * use_vmac: a macvlan NAME on base (mode private, address mac), created
 * down; 0 or -1 with errno (EEXIST: the name is taken).
 */
int	nl_macvlan_add(struct nl *, const char *name, int base,
	    const uint8_t mac[6]);
/* The lower link's ifindex if NAME is a macvlan, 0 if not; -1 errno. */
int	nl_macvlan_of(struct nl *, const char *name);
int	nl_link_set(struct nl *, int ifindex, int up);
/* No IPv6 link-local address on the link (addrgenmode none). */
int	nl_link_no_ll6(struct nl *, int ifindex);
/* 0 on success (already gone counts), -1 with errno. */
int	nl_link_del(struct nl *, int ifindex);

#endif
