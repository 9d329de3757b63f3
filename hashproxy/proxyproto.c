/* SPDX-License-Identifier: ISC */
/*
 * The PROXY protocol header, read and written (proxyproto.h).  A header
 * is whole before it is taken, anything that cannot be one is refused at
 * the first byte that says so, and what is taken is what haproxy 2.6
 * takes, read as it reads it.
 */
#include <arpa/inet.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "proxyproto.h"

static const unsigned char pp_sig[12] = {
	0x0d, 0x0a, 0x0d, 0x0a, 0x00, 0x0d, 0x0a, 0x51, 0x55, 0x49, 0x54, 0x0a
};
static const char pp_v1_sig[] = "PROXY ";

#define PP2_CMD_LOCAL	0x00
#define PP2_CMD_PROXY	0x01
#define PP2_TCP4	0x11
#define PP2_TCP6	0x21
#define PP2_LEN_TCP4	12
#define PP2_LEN_TCP6	36

/*
 * haproxy 2.6 reads v1 headers leniently, and a client behind a front
 * balancer must reach the server it would through haproxy, so hashproxy
 * reads them the same way (tests/hashproxy/proxyproto.t compares them):
 * a port is any run of digits, none being 0, taken modulo 65536; an IPv4
 * address is up to four runs of digits (each empty or any length, its
 * last three digits counting) joined by dots, each run worth its value
 * times 256 to the power of the places left, a run past 255 carrying
 * into the one before.
 */
static uint32_t
pp_v1_number(const char **p, const char *end, int last3)
{
	const char *s = *p;
	uint32_t v = 0;

	while (*p < end && **p >= '0' && **p <= '9')
		(*p)++;
	if (last3 && *p - s > 3)
		s = *p - 3;
	for (; s < *p; s++)
		v = v * 10 + (uint32_t)(*s - '0');
	return v;
}

static uint32_t
pp_v1_ipv4(const char **p, const char *end)
{
	uint32_t a = 0;
	int shift;

	for (shift = 24;; shift -= 8) {
		a += pp_v1_number(p, end, 1) << shift;
		if (shift == 0 || *p == end || **p != '.')
			return a;
		(*p)++;
	}
}

/* An IPv6 address up to the next space, as inet_pton reads it. */
static int
pp_v1_ipv6(const char **p, const char *end, struct in6_addr *a)
{
	const char *sp = memchr(*p, ' ', (size_t)(end - *p));
	char w[INET6_ADDRSTRLEN];
	size_t n;

	if (sp == NULL || (n = (size_t)(sp - *p)) >= sizeof(w))
		return -1;
	memcpy(w, *p, n);
	w[n] = '\0';
	*p = sp;
	return inet_pton(AF_INET6, w, a) == 1 ? 0 : -1;
}

static int
pp_v1_space(const char **p, const char *end)
{
	if (*p == end || **p != ' ')
		return -1;
	(*p)++;
	return 0;
}

/* "TCP4 SRC DST SPORT DPORT" (without CRLF) into pi. */
static int
pp_v1_addrs(const char *p, const char *end, struct pp_info *pi)
{
	union pp_addr *s = &pi->pp_src, *d = &pi->pp_dst;
	uint16_t sp, dp;

	memset(s, 0, sizeof(*s));
	memset(d, 0, sizeof(*d));
	if (end - p >= 5 && memcmp(p, "TCP4 ", 5) == 0) {
		p += 5;
		s->sin.sin_family = d->sin.sin_family = AF_INET;
		s->sin.sin_addr.s_addr = htonl(pp_v1_ipv4(&p, end));
		if (pp_v1_space(&p, end) == -1)
			return -1;
		d->sin.sin_addr.s_addr = htonl(pp_v1_ipv4(&p, end));
	} else if (end - p >= 5 && memcmp(p, "TCP6 ", 5) == 0) {
		p += 5;
		s->sin6.sin6_family = d->sin6.sin6_family = AF_INET6;
		if (pp_v1_ipv6(&p, end, &s->sin6.sin6_addr) == -1 ||
		    pp_v1_space(&p, end) == -1 ||
		    pp_v1_ipv6(&p, end, &d->sin6.sin6_addr) == -1)
			return -1;
	} else
		return -1;
	if (pp_v1_space(&p, end) == -1)
		return -1;
	sp = (uint16_t)pp_v1_number(&p, end, 0);
	if (pp_v1_space(&p, end) == -1)
		return -1;
	dp = (uint16_t)pp_v1_number(&p, end, 0);
	if (p != end)
		return -1;
	if (s->sa.sa_family == AF_INET) {
		s->sin.sin_port = htons(sp);
		d->sin.sin_port = htons(dp);
	} else {
		s->sin6.sin6_port = htons(sp);
		d->sin6.sin6_port = htons(dp);
	}
	return 0;
}

static int
pp_v1_parse(const unsigned char *buf, size_t len, struct pp_info *pi)
{
	size_t n = len < PP_V1_MAX ? len : PP_V1_MAX, i;
	const char *p = (const char *)buf, *lf;

	if (memcmp(buf, pp_v1_sig, len < 6 ? len : 6) != 0)
		return -1;
	lf = memchr(p, '\n', n);
	if (lf == NULL)
		return len >= PP_V1_MAX ? -1 : 0;
	/* the line ends in CRLF: a bare LF ends no line */
	if (lf == p || lf[-1] != '\r')
		return -1;
	i = (size_t)(lf - p) - 1;
	pi->pp_version = 1;
	pi->pp_local = 0;
	/* as haproxy: UNKNOWN, then the CRLF at once */
	if (i == 6 + 7 && memcmp(p + 6, "UNKNOWN", 7) == 0)
		pi->pp_local = 1;
	else if (pp_v1_addrs(p + 6, p + i, pi) == -1)
		return -1;
	return (int)(i + 2);
}

/* The TLVs after the addresses: each must fit in the header. */
static int
pp_v2_tlvs(const unsigned char *p, size_t len)
{
	size_t off = 0, l;

	while (off < len) {
		if (len - off < 3)
			return -1;
		l = (size_t)p[off + 1] << 8 | p[off + 2];
		if (len - off - 3 < l)
			return -1;
		off += 3 + l;
	}
	return 0;
}

static int
pp_v2_parse(const unsigned char *buf, size_t len, struct pp_info *pi)
{
	size_t body, total, alen;
	unsigned cmd, fam;

	if (memcmp(buf, pp_sig, len < 12 ? len : 12) != 0)
		return -1;
	if (len < PP_V2_HDR)
		return 0;
	if ((buf[12] & 0xf0) != 0x20)
		return -1;
	cmd = buf[12] & 0x0f;
	fam = buf[13];
	if (cmd != PP2_CMD_LOCAL && cmd != PP2_CMD_PROXY)
		return -1;
	body = (size_t)buf[14] << 8 | buf[15];
	total = PP_V2_HDR + body;
	if (total > PP_V2_MAX)
		return -1;
	if (len < total)
		return 0;
	pi->pp_version = 2;
	pi->pp_local = 1;
	if (cmd == PP2_CMD_LOCAL)
		return (int)total;
	buf += PP_V2_HDR;
	memset(&pi->pp_src, 0, sizeof(pi->pp_src));
	memset(&pi->pp_dst, 0, sizeof(pi->pp_dst));
	switch (fam) {
	case PP2_TCP4:
		alen = PP2_LEN_TCP4;
		if (body < alen)
			return -1;
		pi->pp_src.sin.sin_family = pi->pp_dst.sin.sin_family = AF_INET;
		memcpy(&pi->pp_src.sin.sin_addr, buf, 4);
		memcpy(&pi->pp_dst.sin.sin_addr, buf + 4, 4);
		memcpy(&pi->pp_src.sin.sin_port, buf + 8, 2);
		memcpy(&pi->pp_dst.sin.sin_port, buf + 10, 2);
		break;
	case PP2_TCP6:
		alen = PP2_LEN_TCP6;
		if (body < alen)
			return -1;
		pi->pp_src.sin6.sin6_family = AF_INET6;
		pi->pp_dst.sin6.sin6_family = AF_INET6;
		memcpy(&pi->pp_src.sin6.sin6_addr, buf, 16);
		memcpy(&pi->pp_dst.sin6.sin6_addr, buf + 16, 16);
		memcpy(&pi->pp_src.sin6.sin6_port, buf + 32, 2);
		memcpy(&pi->pp_dst.sin6.sin6_port, buf + 34, 2);
		break;
	default:
		/* UDP, unix, unspecified: haproxy 2.6 refuses them */
		return -1;
	}
	pi->pp_local = 0;
	/* the TLVs follow the addresses */
	return pp_v2_tlvs(buf + alen, body - alen) == -1 ? -1 : (int)total;
}

int
pp_parse(const unsigned char *buf, size_t len, struct pp_info *pi)
{
	if (len == 0)
		return 0;
	if (buf[0] == pp_sig[0])
		return pp_v2_parse(buf, len, pi);
	return pp_v1_parse(buf, len, pi);
}

/*
 * The addresses a header states, in network order: AF_INET when src and
 * dst are both IPv4, else AF_INET6 with an IPv4 one mapped, as haproxy
 * writes them; 0 when either is not IP (v1 UNKNOWN, v2 LOCAL).
 */
struct pp_ends {
	int		pe_family;
	size_t		pe_alen;	/* each address's bytes */
	unsigned char	pe_src[16], pe_dst[16];
	uint16_t	pe_sport, pe_dport;
};

static int
pp_is_ip(const struct sockaddr *a)
{
	return a != NULL && (a->sa_family == AF_INET ||
	    a->sa_family == AF_INET6);
}

/* one end's address as family states it (an IPv4 one mapped in AF_INET6,
 * ::ffff:a.b.c.d), and its port */
static void
pp_end(const struct sockaddr *a, int family, unsigned char *addr,
    uint16_t *port)
{
	static const unsigned char mapped[12] = { [10] = 0xff, [11] = 0xff };
	const struct sockaddr_in *sin = (const struct sockaddr_in *)a;
	const struct sockaddr_in6 *sin6 = (const struct sockaddr_in6 *)a;

	if (a->sa_family == AF_INET6) {
		memcpy(addr, &sin6->sin6_addr, 16);
		*port = sin6->sin6_port;
		return;
	}
	if (family == AF_INET6) {
		memcpy(addr, mapped, sizeof(mapped));
		addr += sizeof(mapped);
	}
	memcpy(addr, &sin->sin_addr, 4);
	*port = sin->sin_port;
}

static void
pp_ends(const struct sockaddr *src, const struct sockaddr *dst,
    struct pp_ends *e)
{
	e->pe_family = 0;
	if (!pp_is_ip(src) || !pp_is_ip(dst))
		return;
	e->pe_family = src->sa_family == AF_INET && dst->sa_family == AF_INET ?
	    AF_INET : AF_INET6;
	e->pe_alen = e->pe_family == AF_INET ? 4 : 16;
	pp_end(src, e->pe_family, e->pe_src, &e->pe_sport);
	pp_end(dst, e->pe_family, e->pe_dst, &e->pe_dport);
}

static size_t
pp_build_v1(unsigned char *buf, const struct sockaddr *src,
    const struct sockaddr *dst)
{
	struct pp_ends e;
	char sa[INET6_ADDRSTRLEN], da[INET6_ADDRSTRLEN];
	int n;

	pp_ends(src, dst, &e);
	if (e.pe_family == 0) {
		memcpy(buf, "PROXY UNKNOWN\r\n", 15);
		return 15;
	}
	inet_ntop(e.pe_family, e.pe_src, sa, sizeof(sa));
	inet_ntop(e.pe_family, e.pe_dst, da, sizeof(da));
	n = snprintf((char *)buf, PP_BUILD_MAX, "PROXY TCP%c %s %s %u %u\r\n",
	    e.pe_family == AF_INET ? '4' : '6', sa, da, ntohs(e.pe_sport),
	    ntohs(e.pe_dport));
	return n > 0 && n < PP_BUILD_MAX ? (size_t)n : 0;
}

static size_t
pp_build_v2(unsigned char *buf, const struct sockaddr *src,
    const struct sockaddr *dst)
{
	struct pp_ends e;
	unsigned char *p = buf + PP_V2_HDR;

	memcpy(buf, pp_sig, sizeof(pp_sig));
	buf[12] = 0x20 | PP2_CMD_PROXY;
	pp_ends(src, dst, &e);
	if (e.pe_family == 0) {
		buf[12] = 0x20 | PP2_CMD_LOCAL;
		buf[13] = 0;
	} else {
		buf[13] = e.pe_family == AF_INET ? PP2_TCP4 : PP2_TCP6;
		memcpy(p, e.pe_src, e.pe_alen);
		memcpy(p + e.pe_alen, e.pe_dst, e.pe_alen);
		p += 2 * e.pe_alen;
		memcpy(p, &e.pe_sport, 2);
		memcpy(p + 2, &e.pe_dport, 2);
		p += 4;
	}
	buf[14] = 0;
	buf[15] = (unsigned char)(p - buf - PP_V2_HDR);
	return (size_t)(p - buf);
}

size_t
pp_build(unsigned char *buf, int version, const struct sockaddr *src,
    const struct sockaddr *dst)
{
	return version == 2 ? pp_build_v2(buf, src, dst) :
	    pp_build_v1(buf, src, dst);
}
