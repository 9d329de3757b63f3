/* SPDX-License-Identifier: ISC */
/*
 * The VRRP sockets: raw IP protocol 112 bound to one interface, joined to
 * 224.0.0.18 / ff02::12 (or talking to unicast peers), TTL/hop limit 255.
 * Also gratuitous ARP and unsolicited neighbour advertisements.
 */
#ifndef VRRPD_NET_H
#define VRRPD_NET_H

#include <stddef.h>
#include <stdint.h>

#include "packet.h"

struct net {
	int		nt_fd;
	int		nt_family;
	int		nt_ifindex;
	int		nt_multicast;	/* 0 when unicast peers are set */
	union vrrp_addr	nt_src;		/* our primary / link-local address */
	union vrrp_addr	nt_group;	/* where multicast adverts go */
	int		nt_has_src;
	int		nt_ttl;		/* unicast_ttl, 0 = unset */
	int		nt_old_csum;	/* old_unicast_checksum */
};

/* group: NULL = the RFC's (vrrp_mcast_group4/6, mcast_dst_ip: another) */
int	net_open(struct net *, int family, const char *ifname, int ifindex,
	    int multicast, const union vrrp_addr *group, char *err,
	    size_t errlen);
void	net_close(struct net *);
/* unicast_ttl: adverts leave with TTL ttl (0 = 255); 0 or -1 */
int	net_set_ttl(struct net *, int ttl);
/* on: a source the host does not have (any more) is allowed; 0 or -1 */
int	net_set_anysrc(struct net *, int on);
/* Sends payload to dst (NULL = the multicast group); 0 or -1. */
int	net_send(struct net *, const union vrrp_addr *dst,
	    const uint8_t *buf, size_t len);
/*
 * Reads one packet and parses it; VRRP_OK or the drop reason (err says
 * more); -2 when there was nothing to read.
 */
int	net_recv(struct net *, struct vrrp_pkt *, char *err, size_t errlen);
void	net_group(int family, union vrrp_addr *);
/* Gratuitous ARP (IPv4) or unsolicited NA (IPv6) for addr; 0 or -1. */
int	net_announce(int family, int ifindex, const char *ifname,
	    const union vrrp_addr *addr);

#endif
