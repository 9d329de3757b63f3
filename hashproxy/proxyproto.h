/* SPDX-License-Identifier: ISC */
/*
 * The PROXY protocol (haproxy's doc/proxy-protocol.txt), versions 1 and
 * 2: the header a connection starts with, read and written without any
 * socket, so that the unit test and the fuzzer see all of it.
 */
#ifndef HP_PROXYPROTO_H
#define HP_PROXYPROTO_H

#include <stddef.h>
#include <sys/socket.h>
#include <netinet/in.h>

/* "PROXY TCP6 " two full IPv6 addresses, two ports, CRLF: 107 bytes */
#define PP_V1_MAX	107
/* v2: the 16 bytes before the addresses, and the most we take after
 * them: haproxy reads the header into one buffer (tune.bufsize) */
#define PP_V2_HDR	16
#define PP_V2_MAX	16384
/* what pp_build writes at most (v1 TCP6; v2 TCP6 is 52) */
#define PP_BUILD_MAX	(PP_V1_MAX + 1)

union pp_addr {
	struct sockaddr		sa;
	struct sockaddr_in	sin;
	struct sockaddr_in6	sin6;
};

/*
 * What a header says.  pp_local: the connection's own addresses stand
 * (v1 UNKNOWN, v2 LOCAL), and src, dst are not filled.
 */
struct pp_info {
	int		pp_version;	/* 1 or 2 */
	int		pp_local;
	union pp_addr	pp_src, pp_dst;
};

/*
 * Reads the header at the start of buf (len bytes so far).  Returns its
 * length, all of it to be consumed; 0 when the bytes so far could
 * still begin one (read more); -1 when they cannot (not a PROXY header,
 * or a broken one).
 */
int	pp_parse(const unsigned char *buf, size_t len, struct pp_info *);

/*
 * Writes the version 1 or 2 header saying src connected to dst into
 * buf (PP_BUILD_MAX bytes); returns its length.  As haproxy: TCP4 when
 * both are IPv4, TCP6 when both are IP (an IPv4 one mapped), else v1
 * "UNKNOWN" or a v2 LOCAL without addresses.
 */
size_t	pp_build(unsigned char *buf, int version, const struct sockaddr *src,
	    const struct sockaddr *dst);

#endif
