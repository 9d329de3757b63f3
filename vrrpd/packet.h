/* SPDX-License-Identifier: ISC */
/*
 * VRRP wire format: VRRPv2 (RFC 3768, IPv4, PASS authentication) and
 * VRRPv3 (RFC 5798, IPv4 and IPv6).  Pure functions over buffers: no
 * sockets, no logging, so the parser is also the fuzz target.
 */
#ifndef VRRPD_PACKET_H
#define VRRPD_PACKET_H

#include <netinet/in.h>
#include <stddef.h>
#include <stdint.h>

#define VRRP_PROTO		112
#define VRRP_TTL		255
#define VRRP_TYPE_ADVERT	1
#define VRRP_AUTH_NONE		0
#define VRRP_AUTH_PASS		1
#define VRRP_AUTH_AH		2
#define VRRP_AUTH_LEN		8
#define VRRP_HDR_LEN		8
#define VRRP_MAX_ADDRS		255
#define VRRP_PKT_MAX		(VRRP_HDR_LEN + 16 * VRRP_MAX_ADDRS + VRRP_AUTH_LEN)

union vrrp_addr {
	struct in_addr	v4;
	struct in6_addr	v6;
};

/* Why a packet was dropped: each has a counter in "show instances". */
enum vrrp_drop {
	VRRP_OK = 0,
	VRRP_DROP_LENGTH,	/* shorter than its headers or IP length wrong */
	VRRP_DROP_TTL,		/* TTL / hop limit not 255 */
	VRRP_DROP_VERSION,	/* not the configured VRRP version */
	VRRP_DROP_TYPE,		/* not an ADVERTISEMENT */
	VRRP_DROP_CHECKSUM,
	VRRP_DROP_ADDRCOUNT,	/* size does not match the address count */
	VRRP_DROP_AUTH,		/* v2 authentication type or password */
	VRRP_DROP_VRID,		/* another virtual router: not an error */
	VRRP_DROP_INTERVAL,	/* v2 advertisement interval mismatch */
	VRRP_DROP_FAMILY,	/* address family other than the instance's */
	VRRP_DROP_OWN,		/* our own packet looped back */
	VRRP_DROP_PEER,		/* unicast: sender is not a configured peer */
	VRRP_DROP_SOURCE,	/* IPv6 multicast advert not from link-local */
	VRRP_DROP_ADDRLIST,	/* its addresses are not the instance's VIPs */
	VRRP_DROP_MAX
};

struct vrrp_pkt {
	int		vp_family;	/* AF_INET or AF_INET6 */
	union vrrp_addr	vp_src;		/* IP source (who sent it) */
	union vrrp_addr	vp_dst;		/* IP destination */
	uint8_t		vp_ttl;		/* TTL / hop limit */
	uint8_t		vp_version;	/* 2 or 3 */
	uint8_t		vp_type;
	uint8_t		vp_vrid;
	uint8_t		vp_priority;
	uint8_t		vp_naddr;
	uint8_t		vp_auth_type;	/* v2 only */
	uint16_t	vp_adver_int;	/* v2: seconds; v3: centiseconds */
	char		vp_auth[VRRP_AUTH_LEN + 1];	/* v2 PASS, NUL-ended */
	union vrrp_addr	vp_addrs[VRRP_MAX_ADDRS];
};

/* What the receiving instance expects (checked after parsing). */
struct vrrp_expect {
	uint8_t		ve_version;
	uint8_t		ve_vrid;
	uint8_t		ve_auth_type;
	const char	*ve_auth;	/* PASS password, up to 8 bytes */
	uint16_t	ve_adver_int;	/* same unit as vp_adver_int */
};

const char	*vrrp_drop_name(enum vrrp_drop);
/*
 * Parses an IPv4 datagram as a raw socket delivers it (IP header first).
 * Returns VRRP_OK or the reason; err gets the field and both values.
 */
enum vrrp_drop	vrrp_pkt_parse4(const uint8_t *buf, size_t len,
		    struct vrrp_pkt *out, char *err, size_t errlen);
/* Parses an IPv6 VRRP payload; the kernel gave addresses and hop limit. */
enum vrrp_drop	vrrp_pkt_parse6(const uint8_t *buf, size_t len,
		    const struct in6_addr *src, const struct in6_addr *dst,
		    int hoplimit, struct vrrp_pkt *out, char *err, size_t errlen);
/* Checks a parsed packet against the instance: VRID, version, auth, interval. */
enum vrrp_drop	vrrp_pkt_check(const struct vrrp_pkt *,
		    const struct vrrp_expect *, char *err, size_t errlen);
/*
 * Checks that p lists the addresses of ours (the advert the instance
 * sends), no more, in any order: RFC 5798 7.1 lets a router verify them,
 * and keepalived 2.2.7 drops an advert that fails.
 */
enum vrrp_drop	vrrp_pkt_addrs(const struct vrrp_pkt *p,
		    const struct vrrp_pkt *ours, char *err, size_t errlen);
/*
 * Writes the VRRP payload of p (no IP header) into buf; the v3 checksum
 * uses vp_src/vp_dst as the pseudo-header.  Returns its length or -1.
 */
int		vrrp_pkt_build(const struct vrrp_pkt *p, uint8_t *buf, size_t len);
/* The same with an IPv4 header in front (tests craft packets with it). */
int		vrrp_pkt_build4(const struct vrrp_pkt *p, uint8_t *buf, size_t len);
/* Internet checksum of buf, starting from a partial sum. */
uint16_t	vrrp_cksum(const void *buf, size_t len, uint32_t sum);

#endif
