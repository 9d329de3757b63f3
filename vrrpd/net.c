/* SPDX-License-Identifier: ISC */
/*
 * Raw sockets for VRRP, one per instance as FRR does; the kernel filters
 * by protocol and interface, we by VRID.  Source addresses go out through
 * IP_PKTINFO / IPV6_PKTINFO so that a master never speaks from its VIP.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <netinet/icmp6.h>
#include <netinet/if_ether.h>
#include <netinet/in.h>
#include <netpacket/packet.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include "errbuf.h"
#include "net.h"

void
net_group(int family, union vrrp_addr *a)
{
	memset(a, 0, sizeof(*a));
	if (family == AF_INET)
		inet_pton(AF_INET, "224.0.0.18", &a->v4);
	else
		inet_pton(AF_INET6, "ff02::12", &a->v6);
}

static int
net_opts4(int fd, int ifindex, int multicast, const union vrrp_addr *group)
{
	struct ip_mreqn mr;
	/* keepalived's header: DF clear (vmac-wire.t compares them) */
	int ttl = VRRP_TTL, off = 0, tos = 0xc0, pmtu = IP_PMTUDISC_DONT;

	memset(&mr, 0, sizeof(mr));
	mr.imr_ifindex = ifindex;
	if (setsockopt(fd, IPPROTO_IP, IP_TTL, &ttl, sizeof(ttl)) == -1 ||
	    setsockopt(fd, IPPROTO_IP, IP_MULTICAST_TTL, &ttl,
	    sizeof(ttl)) == -1 ||
	    setsockopt(fd, IPPROTO_IP, IP_MULTICAST_LOOP, &off,
	    sizeof(off)) == -1 ||
	    setsockopt(fd, IPPROTO_IP, IP_TOS, &tos, sizeof(tos)) == -1 ||
	    setsockopt(fd, IPPROTO_IP, IP_MTU_DISCOVER, &pmtu,
	    sizeof(pmtu)) == -1 ||
	    setsockopt(fd, IPPROTO_IP, IP_MULTICAST_IF, &mr, sizeof(mr)) == -1)
		return -1;
	if (multicast) {
		mr.imr_multiaddr = group->v4;
		if (setsockopt(fd, IPPROTO_IP, IP_ADD_MEMBERSHIP, &mr,
		    sizeof(mr)) == -1)
			return -1;
	}
	return 0;
}

static int
net_opts6(int fd, int ifindex, int multicast, const union vrrp_addr *group)
{
	struct ipv6_mreq mr;
	int hops = VRRP_TTL, off = 0, on = 1;

	if (setsockopt(fd, IPPROTO_IPV6, IPV6_UNICAST_HOPS, &hops,
	    sizeof(hops)) == -1 ||
	    setsockopt(fd, IPPROTO_IPV6, IPV6_MULTICAST_HOPS, &hops,
	    sizeof(hops)) == -1 ||
	    setsockopt(fd, IPPROTO_IPV6, IPV6_MULTICAST_LOOP, &off,
	    sizeof(off)) == -1 ||
	    setsockopt(fd, IPPROTO_IPV6, IPV6_MULTICAST_IF, &ifindex,
	    sizeof(ifindex)) == -1 ||
	    setsockopt(fd, IPPROTO_IPV6, IPV6_RECVHOPLIMIT, &on,
	    sizeof(on)) == -1 ||
	    setsockopt(fd, IPPROTO_IPV6, IPV6_RECVPKTINFO, &on,
	    sizeof(on)) == -1)
		return -1;
	if (multicast) {
		memset(&mr, 0, sizeof(mr));
		mr.ipv6mr_multiaddr = group->v6;
		mr.ipv6mr_interface = (unsigned)ifindex;
		if (setsockopt(fd, IPPROTO_IPV6, IPV6_JOIN_GROUP, &mr,
		    sizeof(mr)) == -1)
			return -1;
	}
	return 0;
}

int
net_open(struct net *n, int family, const char *ifname, int ifindex,
    int multicast, const union vrrp_addr *group, char *err, size_t errlen)
{
	int fd;

	if (group)
		n->nt_group = *group;
	else
		net_group(family, &n->nt_group);
	n->nt_family = family;
	n->nt_ifindex = ifindex;
	n->nt_multicast = multicast;
	fd = socket(family, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC,
	    VRRP_PROTO);
	if (fd == -1)
		return errbuf_set(err, errlen,
		    "raw socket: %s", strerror(errno));
	if (setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, ifname,
	    (socklen_t)strlen(ifname)) == -1 ||
	    (family == AF_INET ? net_opts4(fd, ifindex, multicast,
	    &n->nt_group) : net_opts6(fd, ifindex, multicast,
	    &n->nt_group)) == -1) {
		snprintf(err, errlen, "%s: socket options: %s", ifname,
		    strerror(errno));
		close(fd);
		return -1;
	}
	n->nt_fd = fd;
	return 0;
}

int
net_set_ttl(struct net *n, int ttl)
{
	int v = ttl ? ttl : VRRP_TTL;

	if (n->nt_family == AF_INET ? setsockopt(n->nt_fd, IPPROTO_IP, IP_TTL,
	    &v, sizeof(v)) : setsockopt(n->nt_fd, IPPROTO_IPV6,
	    IPV6_UNICAST_HOPS, &v, sizeof(v)))
		return -1;
	n->nt_ttl = ttl;
	return 0;
}

/*
 * on: adverts may leave from nt_src when the host no longer has it, as
 * keepalived's from a unicast_src_ip removed after its start (its raw
 * socket writes its own IP header).  CAP_NET_RAW allows it.
 */
int
net_set_anysrc(struct net *n, int on)
{
	return n->nt_family == AF_INET ? setsockopt(n->nt_fd, IPPROTO_IP,
	    IP_TRANSPARENT, &on, sizeof(on)) : setsockopt(n->nt_fd,
	    IPPROTO_IPV6, IPV6_TRANSPARENT, &on, sizeof(on));
}

void
net_close(struct net *n)
{
	if (n->nt_fd >= 0)
		close(n->nt_fd);
	n->nt_fd = -1;
}

/* m's one control message: the pktinfo that picks the source and link. */
static void
net_cmsg(struct msghdr *m, int level, int type, const void *data,
    size_t len)
{
	struct cmsghdr *cm = m->msg_control;

	m->msg_controllen = CMSG_SPACE(len);
	cm->cmsg_level = level;
	cm->cmsg_type = type;
	cm->cmsg_len = CMSG_LEN(len);
	memcpy(CMSG_DATA(cm), data, len);
}

int
net_send(struct net *n, const union vrrp_addr *dst, const uint8_t *buf,
    size_t len)
{
	union {
		char	c4[CMSG_SPACE(sizeof(struct in_pktinfo))];
		char	c6[CMSG_SPACE(sizeof(struct in6_pktinfo))];
		struct cmsghdr align;
	} cbuf;
	struct sockaddr_in s4;
	struct sockaddr_in6 s6;
	struct iovec iov = { (void *)(uintptr_t)buf, len };
	struct msghdr m;

	if (dst == NULL)
		dst = &n->nt_group;
	memset(&m, 0, sizeof(m));
	memset(&cbuf, 0, sizeof(cbuf));
	m.msg_iov = &iov;
	m.msg_iovlen = 1;
	m.msg_control = &cbuf;
	if (n->nt_family == AF_INET) {
		struct in_pktinfo pi = { 0 };

		memset(&s4, 0, sizeof(s4));
		s4.sin_family = AF_INET;
		s4.sin_addr = dst->v4;
		m.msg_name = &s4;
		m.msg_namelen = sizeof(s4);
		pi.ipi_ifindex = n->nt_ifindex;
		if (n->nt_has_src)
			pi.ipi_spec_dst = n->nt_src.v4;
		net_cmsg(&m, IPPROTO_IP, IP_PKTINFO, &pi, sizeof(pi));
	} else {
		struct in6_pktinfo pi;

		memset(&pi, 0, sizeof(pi));
		memset(&s6, 0, sizeof(s6));
		s6.sin6_family = AF_INET6;
		s6.sin6_addr = dst->v6;
		s6.sin6_scope_id = (uint32_t)n->nt_ifindex;
		m.msg_name = &s6;
		m.msg_namelen = sizeof(s6);
		pi.ipi6_ifindex = (unsigned)n->nt_ifindex;
		if (n->nt_has_src)
			pi.ipi6_addr = n->nt_src.v6;
		net_cmsg(&m, IPPROTO_IPV6, IPV6_PKTINFO, &pi, sizeof(pi));
	}
	return sendmsg(n->nt_fd, &m, 0) == (ssize_t)len ? 0 : -1;
}

int
net_recv(struct net *n, struct vrrp_pkt *p, char *err, size_t errlen)
{
	uint8_t buf[VRRP_PKT_MAX + 128];
	union {
		char	c[CMSG_SPACE(sizeof(struct in6_pktinfo)) +
			    CMSG_SPACE(sizeof(int))];
		struct cmsghdr align;
	} cbuf;
	struct sockaddr_in6 from;
	struct iovec iov = { buf, sizeof(buf) };
	struct msghdr m;
	struct cmsghdr *cm;
	struct in6_addr dst = IN6ADDR_ANY_INIT;
	int hops = -1, rc;
	ssize_t r;

	memset(&m, 0, sizeof(m));
	m.msg_name = &from;
	m.msg_namelen = sizeof(from);
	m.msg_iov = &iov;
	m.msg_iovlen = 1;
	m.msg_control = &cbuf;
	m.msg_controllen = sizeof(cbuf);
	if ((r = recvmsg(n->nt_fd, &m, 0)) < 0)
		return -2;
	if (m.msg_flags & MSG_TRUNC) {
		snprintf(err, errlen, "length: more than %zu bytes",
		    sizeof(buf));
		return VRRP_DROP_LENGTH;
	}
	/*
	 * keepalived (since 1.2.10) takes any TTL from its unicast peers: a
	 * routed peer's adverts arrive with less than 255.  The check passes
	 * and the TTL read is kept.
	 */
	if (n->nt_family == AF_INET) {
		if (n->nt_multicast || r < 20)
			return vrrp_pkt_parse4(buf, (size_t)r, p, err, errlen);
		hops = buf[8];
		if (!n->nt_multicast)
			buf[8] = VRRP_TTL;
		/* old_unicast_checksum: summed as if sent to the group */
		if (n->nt_old_csum) {
			memcpy(&dst, buf + 16, 4);
			memcpy(buf + 16, &n->nt_group.v4, 4);
		}
		rc = vrrp_pkt_parse4(buf, (size_t)r, p, err, errlen);
		p->vp_ttl = (uint8_t)hops;
		if (n->nt_old_csum)
			memcpy(&p->vp_dst.v4, &dst, 4);
		return rc;
	}
	for (cm = CMSG_FIRSTHDR(&m); cm; cm = CMSG_NXTHDR(&m, cm)) {
		if (cm->cmsg_level != IPPROTO_IPV6)
			continue;
		if (cm->cmsg_type == IPV6_HOPLIMIT &&
		    cm->cmsg_len >= CMSG_LEN(sizeof(int)))
			memcpy(&hops, CMSG_DATA(cm), sizeof(int));
		else if (cm->cmsg_type == IPV6_PKTINFO &&
		    cm->cmsg_len >= CMSG_LEN(sizeof(struct in6_pktinfo))) {
			struct in6_pktinfo pi;

			memcpy(&pi, CMSG_DATA(cm), sizeof(pi));
			dst = pi.ipi6_addr;
		}
	}
	if (n->nt_multicast)
		return vrrp_pkt_parse6(buf, (size_t)r, &from.sin6_addr, &dst,
		    hops, p, err, errlen);
	rc = vrrp_pkt_parse6(buf, (size_t)r, &from.sin6_addr, &dst, VRRP_TTL,
	    p, err, errlen);
	p->vp_ttl = hops >= 0 && hops <= 255 ? (uint8_t)hops : 0;
	return rc;
}

static int
net_hwaddr(const char *ifname, uint8_t mac[6])
{
	struct ifreq ifr;
	int fd, rc;

	if ((fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0)) == -1)
		return -1;
	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", ifname);
	rc = ioctl(fd, SIOCGIFHWADDR, &ifr);
	close(fd);
	if (rc == -1)
		return -1;
	memcpy(mac, ifr.ifr_hwaddr.sa_data, 6);
	return 0;
}

/*
 * The one packet socket gratuitous ARPs leave by, open for good: closing
 * a packet socket waits for an RCU grace period (synchronize_net(), 2-32
 * ms here, idle or not), and one per ARP stalled the whole event loop
 * for the burst a new master sends: 5 ARPs, 80 ms without adverts, and
 * at 10 ms adverts the backup took over after 36 ms, the master sent
 * another burst on hearing it, and the pair flapped for good.  Protocol
 * 0 binds no receive hook, so it queues nothing; non-blocking, so that
 * a full send buffer loses an ARP rather than stalling the adverts.
 */
static int
net_arp_fd(void)
{
	static int fd = -1;
	int sz = 1 << 20;

	if (fd >= 0)
		return fd;
	if ((fd = socket(AF_PACKET, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK,
	    0)) == -1)
		return -1;
	/* room for a burst of bursts (many VIPs, vrrp_garp_master_repeat) */
	if (setsockopt(fd, SOL_SOCKET, SO_SNDBUFFORCE, &sz, sizeof(sz)) == -1)
		(void)setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &sz, sizeof(sz));
	return fd;
}

/* Gratuitous ARP request: sender = target = the VIP (RFC 5227 announce). */
static int
net_garp(int ifindex, const uint8_t mac[6], const struct in_addr *ip)
{
	struct ether_arp a;
	struct sockaddr_ll sll;
	int fd;

	if ((fd = net_arp_fd()) == -1)
		return -1;
	memset(&a, 0, sizeof(a));
	a.arp_hrd = htons(ARPHRD_ETHER);
	a.arp_pro = htons(ETHERTYPE_IP);
	a.arp_hln = 6;
	a.arp_pln = 4;
	a.arp_op = htons(ARPOP_REQUEST);
	memcpy(a.arp_sha, mac, 6);
	memcpy(a.arp_spa, ip, 4);
	memset(a.arp_tha, 0xff, 6);
	memcpy(a.arp_tpa, ip, 4);
	memset(&sll, 0, sizeof(sll));
	sll.sll_family = AF_PACKET;
	sll.sll_protocol = htons(ETH_P_ARP);
	sll.sll_ifindex = ifindex;
	sll.sll_halen = 6;
	memset(sll.sll_addr, 0xff, 6);
	return sendto(fd, &a, sizeof(a), 0, (struct sockaddr *)&sll,
	    sizeof(sll)) == sizeof(a) ? 0 : -1;
}

/* Unsolicited NA to all nodes, override flag set (RFC 4861 7.2.6). */
static int
net_una(int ifindex, const uint8_t mac[6], const struct in6_addr *ip)
{
	struct {
		struct nd_neighbor_advert na;
		uint8_t	opt[8];
	} pkt;
	struct sockaddr_in6 dst;
	int fd, hops = 255, rc;

	if ((fd = socket(AF_INET6, SOCK_RAW | SOCK_CLOEXEC,
	    IPPROTO_ICMPV6)) == -1)
		return -1;
	if (setsockopt(fd, IPPROTO_IPV6, IPV6_MULTICAST_HOPS, &hops,
	    sizeof(hops)) == -1 ||
	    setsockopt(fd, IPPROTO_IPV6, IPV6_MULTICAST_IF, &ifindex,
	    sizeof(ifindex)) == -1) {
		close(fd);
		return -1;
	}
	memset(&pkt, 0, sizeof(pkt));
	pkt.na.nd_na_type = ND_NEIGHBOR_ADVERT;
	pkt.na.nd_na_flags_reserved = ND_NA_FLAG_OVERRIDE;
	pkt.na.nd_na_target = *ip;
	pkt.opt[0] = ND_OPT_TARGET_LINKADDR;
	pkt.opt[1] = 1;
	memcpy(pkt.opt + 2, mac, 6);
	memset(&dst, 0, sizeof(dst));
	dst.sin6_family = AF_INET6;
	inet_pton(AF_INET6, "ff02::1", &dst.sin6_addr);
	dst.sin6_scope_id = (uint32_t)ifindex;
	rc = sendto(fd, &pkt, sizeof(pkt), 0, (struct sockaddr *)&dst,
	    sizeof(dst)) == sizeof(pkt) ? 0 : -1;
	close(fd);
	return rc;
}

int
net_announce(int family, int ifindex, const char *ifname,
    const union vrrp_addr *addr)
{
	uint8_t mac[6];

	if (net_hwaddr(ifname, mac) == -1)
		return -1;
	if (family == AF_INET)
		return net_garp(ifindex, mac, &addr->v4);
	return net_una(ifindex, mac, &addr->v6);
}
