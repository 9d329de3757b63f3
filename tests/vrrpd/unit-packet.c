/* SPDX-License-Identifier: ISC */
/* vrrpd/packet.c: build and parse both versions, and every drop reason. */
#include <arpa/inet.h>
#include <string.h>
#include <sys/socket.h>

#include "packet.h"
#include "tap.h"

static struct vrrp_pkt p, q;
static uint8_t buf[VRRP_PKT_MAX + 64];
static char err[256];

static void
mk4(int version)
{
	memset(&p, 0, sizeof(p));
	p.vp_family = AF_INET;
	p.vp_version = (uint8_t)version;
	p.vp_type = VRRP_TYPE_ADVERT;
	p.vp_vrid = 51;
	p.vp_priority = 150;
	p.vp_naddr = 2;
	p.vp_ttl = 255;
	p.vp_adver_int = version == 2 ? 1 : 100;
	p.vp_auth_type = version == 2 ? VRRP_AUTH_PASS : 0;
	if (version == 2)
		memcpy(p.vp_auth, "s3cret", 6);
	inet_pton(AF_INET, "192.0.2.1", &p.vp_src.v4);
	inet_pton(AF_INET, "224.0.0.18", &p.vp_dst.v4);
	inet_pton(AF_INET, "192.0.2.100", &p.vp_addrs[0].v4);
	inet_pton(AF_INET, "192.0.2.101", &p.vp_addrs[1].v4);
}

/*
 * The test's own Internet checksum, written from RFC 1071 section 4.1 and
 * not from packet.c, so a wrong vrrp_cksum cannot agree with itself: the
 * one's complement of the one's complement sum of big-endian 16-bit words,
 * an odd last byte padded with a zero, over an optional pseudo-header.
 */
static uint16_t
rfc1071(const uint8_t *pseudo, size_t plen, const uint8_t *data, size_t len)
{
	unsigned long sum = 0;
	size_t i;

	for (i = 0; i + 1 < plen; i += 2)
		sum += (unsigned long)pseudo[i] << 8 | pseudo[i + 1];
	for (i = 0; i + 1 < len; i += 2)
		sum += (unsigned long)data[i] << 8 | data[i + 1];
	if (len & 1)
		sum += (unsigned long)data[len - 1] << 8;
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

/* RFC 5798 section 5.2.8: VRRPv3 over IPv4 sums this pseudo-header too. */
static size_t
pseudo4(const uint8_t *ip, size_t vlen, uint8_t *ph)
{
	memcpy(ph, ip + 12, 8);		/* source, destination */
	ph[8] = 0;
	ph[9] = 112;			/* protocol */
	ph[10] = (uint8_t)(vlen >> 8);
	ph[11] = (uint8_t)vlen;
	return 12;
}

/* RFC 2460 section 8.1 pseudo-header for VRRPv3 over IPv6. */
static size_t
pseudo6(const struct in6_addr *s, const struct in6_addr *d, size_t vlen,
    uint8_t *ph)
{
	memcpy(ph, s, 16);
	memcpy(ph + 16, d, 16);
	ph[32] = (uint8_t)(vlen >> 24);
	ph[33] = (uint8_t)(vlen >> 16);
	ph[34] = (uint8_t)(vlen >> 8);
	ph[35] = (uint8_t)vlen;
	ph[36] = ph[37] = ph[38] = 0;
	ph[39] = 112;		/* next header: VRRP */
	return 40;
}

/* Re-sums the IPv4 header after a test edits it. */
static void
fix_iphdr(void)
{
	uint16_t ck;

	buf[10] = buf[11] = 0;
	ck = rfc1071(NULL, 0, buf, 20);
	buf[10] = (uint8_t)(ck >> 8);
	buf[11] = (uint8_t)ck;
}

static void
test_v2_roundtrip(void)
{
	int n;

	mk4(2);
	n = vrrp_pkt_build4(&p, buf, sizeof(buf));
	is_int(n, 20 + 8 + 8 + 8, "v2 with 2 addresses is 44 bytes");
	is_int(buf[20], 0x21, "v2 header byte: version 2, type 1");
	is_int(vrrp_pkt_parse4(buf, (size_t)n, &q, err, sizeof(err)), VRRP_OK,
	    "v2 parses back");
	is_int(q.vp_vrid, 51, "vrid");
	is_int(q.vp_priority, 150, "priority");
	is_int(q.vp_naddr, 2, "address count");
	is_int(q.vp_adver_int, 1, "v2 interval in seconds");
	is_str(q.vp_auth, "s3cret", "PASS password");
	ok(memcmp(&q.vp_addrs[1], &p.vp_addrs[1], 4) == 0, "second address");
	/* the test's own sums over the packet as built must come out 0 */
	is_int(rfc1071(NULL, 0, buf + 20, (size_t)n - 20), 0,
	    "v2 checksum valid (RFC 1071 sum in the test)");
	is_int(rfc1071(NULL, 0, buf, 20), 0,
	    "IPv4 header checksum valid (RFC 1071 sum in the test)");
	/* and a known vector: RFC 1071 section 3's example words */
	{
		static const uint8_t v[] = { 0x00, 0x01, 0xf2, 0x03, 0xf4,
		    0xf5, 0xf6, 0xf7 };

		is_int(vrrp_cksum(v, sizeof(v), 0), (uint16_t)~0xddf2,
		    "vrrp_cksum on RFC 1071's example gives ~0xddf2");
		is_int(vrrp_cksum(v, 7, 0), rfc1071(NULL, 0, v, 7),
		    "odd length: padded as RFC 1071 says");
	}
}

static void
test_v3_roundtrip(void)
{
	int n;

	mk4(3);
	n = vrrp_pkt_build4(&p, buf, sizeof(buf));
	is_int(n, 20 + 8 + 8, "v3 IPv4 with 2 addresses is 36 bytes");
	is_int(vrrp_pkt_parse4(buf, (size_t)n, &q, err, sizeof(err)), VRRP_OK,
	    "v3 parses back");
	is_int(q.vp_adver_int, 100, "v3 interval in centiseconds");
	{
		uint8_t ph[12];
		size_t pl = pseudo4(buf, (size_t)n - 20, ph);

		is_int(rfc1071(ph, pl, buf + 20, (size_t)n - 20), 0,
		    "v3 checksum over the RFC 5798 pseudo-header (test's sum)");
	}
	/* the pseudo-header is part of the sum: another source breaks it */
	buf[15] ^= 1;
	fix_iphdr();
	is_int(vrrp_pkt_parse4(buf, (size_t)n, &q, err, sizeof(err)),
	    VRRP_DROP_CHECKSUM, "v3 checksum covers the pseudo-header");
	ok(strstr(err, "checksum") != NULL, "error names the field: %s", err);
}

static void
test_v3_ipv6(void)
{
	struct in6_addr src, dst;
	int n;

	memset(&p, 0, sizeof(p));
	p.vp_family = AF_INET6;
	p.vp_version = 3;
	p.vp_type = 1;
	p.vp_vrid = 7;
	p.vp_priority = 200;
	p.vp_naddr = 1;
	p.vp_adver_int = 10;
	inet_pton(AF_INET6, "fe80::1", &src);
	inet_pton(AF_INET6, "ff02::12", &dst);
	p.vp_src.v6 = src;
	p.vp_dst.v6 = dst;
	inet_pton(AF_INET6, "2001:db8::100", &p.vp_addrs[0].v6);
	n = vrrp_pkt_build(&p, buf, sizeof(buf));
	is_int(n, 8 + 16, "v3 IPv6 with 1 address is 24 bytes");
	{
		uint8_t ph[40];
		size_t pl = pseudo6(&src, &dst, (size_t)n, ph);

		is_int(rfc1071(ph, pl, buf, (size_t)n), 0,
		    "v3 IPv6 checksum over the RFC 2460 pseudo-header "
		    "(test's sum)");
	}
	is_int(vrrp_pkt_parse6(buf, (size_t)n, &src, &dst, 255, &q, err,
	    sizeof(err)), VRRP_OK, "v3 IPv6 parses back");
	is_int(vrrp_pkt_parse6(buf, (size_t)n, &src, &dst, 64, &q, err,
	    sizeof(err)), VRRP_DROP_TTL, "hop limit 64 dropped");
	is_str(err, "hop limit: is 64; should be 255", "hop limit message");
	p.vp_version = 2;
	is_int(vrrp_pkt_build(&p, buf, sizeof(buf)), -1,
	    "no v2 over IPv6");
}

static void
test_drops(void)
{
	int n;

	mk4(2);
	n = vrrp_pkt_build4(&p, buf, sizeof(buf));
	is_int(vrrp_pkt_parse4(buf, 19, &q, err, sizeof(err)),
	    VRRP_DROP_LENGTH, "19 bytes: too short for IP");
	is_int(vrrp_pkt_parse4(buf, (size_t)n - 1, &q, err, sizeof(err)),
	    VRRP_DROP_LENGTH, "IP total length above bytes read");
	ok(strstr(err, "ip total length: is 44; should be 43") != NULL,
	    "length message has both values: %s", err);

	p.vp_ttl = 64;
	n = vrrp_pkt_build4(&p, buf, sizeof(buf));
	is_int(vrrp_pkt_parse4(buf, (size_t)n, &q, err, sizeof(err)),
	    VRRP_DROP_TTL, "TTL 64 dropped");
	is_str(err, "ttl: is 64; should be 255", "TTL message");

	mk4(2);
	n = vrrp_pkt_build4(&p, buf, sizeof(buf));
	buf[20] = 0x41;		/* version 4 */
	is_int(vrrp_pkt_parse4(buf, (size_t)n, &q, err, sizeof(err)),
	    VRRP_DROP_VERSION, "VRRP version 4 dropped");
	buf[20] = 0x22;		/* type 2 */
	is_int(vrrp_pkt_parse4(buf, (size_t)n, &q, err, sizeof(err)),
	    VRRP_DROP_TYPE, "type 2 dropped");

	n = vrrp_pkt_build4(&p, buf, sizeof(buf));
	buf[n - 1] ^= 0xff;	/* a byte of the password */
	is_int(vrrp_pkt_parse4(buf, (size_t)n, &q, err, sizeof(err)),
	    VRRP_DROP_CHECKSUM, "corrupt byte: checksum");

	/* count says 3 addresses in a packet built for 2 */
	n = vrrp_pkt_build4(&p, buf, sizeof(buf));
	p.vp_naddr = 3;
	n = vrrp_pkt_build4(&p, buf, sizeof(buf));
	n -= 4;			/* cut one address, fix lengths and sums */
	buf[2] = (uint8_t)(n >> 8);
	buf[3] = (uint8_t)n;
	fix_iphdr();
	memmove(buf + 20 + 8 + 8, buf + 20 + 8 + 12, 8);
	buf[26] = buf[27] = 0;
	{
		uint16_t ck = rfc1071(NULL, 0, buf + 20, (size_t)n - 20);

		buf[26] = (uint8_t)(ck >> 8);
		buf[27] = (uint8_t)ck;
	}
	is_int(vrrp_pkt_parse4(buf, (size_t)n, &q, err, sizeof(err)),
	    VRRP_DROP_ADDRCOUNT, "address count larger than the packet");
}

static void
test_check(void)
{
	struct vrrp_expect e = { 2, 51, VRRP_AUTH_PASS, "s3cret", 1 };
	int n;

	mk4(2);
	n = vrrp_pkt_build4(&p, buf, sizeof(buf));
	vrrp_pkt_parse4(buf, (size_t)n, &q, err, sizeof(err));
	is_int(vrrp_pkt_check(&q, &e, err, sizeof(err)), VRRP_OK,
	    "matching packet passes the instance checks");
	e.ve_vrid = 52;
	is_int(vrrp_pkt_check(&q, &e, err, sizeof(err)), VRRP_DROP_VRID,
	    "other VRID");
	e.ve_vrid = 51;
	e.ve_auth = "wrong";
	is_int(vrrp_pkt_check(&q, &e, err, sizeof(err)), VRRP_DROP_AUTH,
	    "wrong password");
	e.ve_auth = "s3cret";
	e.ve_adver_int = 2;
	is_int(vrrp_pkt_check(&q, &e, err, sizeof(err)), VRRP_DROP_INTERVAL,
	    "v2 interval mismatch");
	is_str(err, "adver_int: is 1s; should be 2s", "interval message");
	e.ve_adver_int = 1;
	e.ve_version = 3;
	is_int(vrrp_pkt_check(&q, &e, err, sizeof(err)), VRRP_DROP_VERSION,
	    "v2 packet for a v3 instance");
	is_str(vrrp_drop_name(VRRP_DROP_CHECKSUM), "checksum", "drop names");
}

/* The address list against the instance's (keepalived's VIP check). */
static void
test_addrs(void)
{
	struct vrrp_pkt ours;

	mk4(3);
	ours = p;
	q = p;
	is_int(vrrp_pkt_addrs(&q, &ours, err, sizeof(err)), VRRP_OK,
	    "addresses: the same list passes");
	q.vp_addrs[0] = p.vp_addrs[1];
	q.vp_addrs[1] = p.vp_addrs[0];
	is_int(vrrp_pkt_addrs(&q, &ours, err, sizeof(err)), VRRP_OK,
	    "addresses: in another order too");
	inet_pton(AF_INET, "192.0.2.102", &q.vp_addrs[1].v4);
	is_int(vrrp_pkt_addrs(&q, &ours, err, sizeof(err)),
	    VRRP_DROP_ADDRLIST, "addresses: one of ours missing");
	is_str(err, "addresses: 192.0.2.100 missing", "addresses: which one");
	q = p;
	q.vp_naddr = 1;
	is_int(vrrp_pkt_addrs(&q, &ours, err, sizeof(err)),
	    VRRP_DROP_ADDRLIST, "addresses: fewer");
	q = p;
	ours.vp_naddr = 1;
	is_int(vrrp_pkt_addrs(&q, &ours, err, sizeof(err)),
	    VRRP_DROP_ADDRLIST, "addresses: more than ours");
	is_str(err, "count_ip: is 2; should be 1 (the VIPs)",
	    "addresses: the count message");
	is_str(vrrp_drop_name(VRRP_DROP_ADDRLIST), "addrlist",
	    "addresses: the drop's name");
}

int
main(void)
{
	test_v2_roundtrip();
	test_v3_roundtrip();
	test_v3_ipv6();
	test_drops();
	test_check();
	test_addrs();
	return done_testing();
}
