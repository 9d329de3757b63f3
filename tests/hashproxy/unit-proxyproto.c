/* SPDX-License-Identifier: ISC */
/*
 * proxyproto.c: the headers haproxy 2.6 writes (bytes recorded from its
 * send-proxy and send-proxy-v2), read back; every way a header can be
 * short, and the ways it can be broken.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

#include "tap.h"
#include "proxyproto.h"

static union pp_addr
addr(const char *host, int port)
{
	union pp_addr a;

	memset(&a, 0, sizeof(a));
	if (inet_pton(AF_INET, host, &a.sin.sin_addr) == 1) {
		a.sin.sin_family = AF_INET;
		a.sin.sin_port = htons((uint16_t)port);
	} else {
		inet_pton(AF_INET6, host, &a.sin6.sin6_addr);
		a.sin6.sin6_family = AF_INET6;
		a.sin6.sin6_port = htons((uint16_t)port);
	}
	return a;
}

static int
same(const union pp_addr *a, const union pp_addr *b)
{
	if (a->sa.sa_family != b->sa.sa_family)
		return 0;
	if (a->sa.sa_family == AF_INET)
		return a->sin.sin_port == b->sin.sin_port &&
		    a->sin.sin_addr.s_addr == b->sin.sin_addr.s_addr;
	return a->sin6.sin6_port == b->sin6.sin6_port &&
	    memcmp(&a->sin6.sin6_addr, &b->sin6.sin6_addr, 16) == 0;
}

/* Every prefix of a good header asks for more; the whole one parses. */
static void
check_prefixes(const unsigned char *h, size_t len, const char *what)
{
	struct pp_info pi;
	size_t i;
	int bad = 0;

	for (i = 0; i < len; i++)
		if (pp_parse(h, i, &pi) != 0)
			bad++;
	ok(bad == 0, "%s: every prefix asks for more", what);
	ok(pp_parse(h, len, &pi) == (int)len, "%s: parsed whole", what);
}

#define V1_TCP4	"PROXY TCP4 192.0.2.1 198.51.100.2 40000 443\r\n"

static void
test_v1(void)
{
	union pp_addr s = addr("192.0.2.1", 40000), d = addr("198.51.100.2",
	    443);
	union pp_addr s6 = addr("2001:db8::1", 1), d6 = addr("::1", 65535);
	unsigned char b[PP_BUILD_MAX + 8];
	struct pp_info pi;
	size_t n;

	n = pp_build(b, 1, &s.sa, &d.sa);
	ok(n == strlen(V1_TCP4) && memcmp(b, V1_TCP4, n) == 0,
	    "v1 TCP4 as haproxy writes it");
	check_prefixes(b, n, "v1 TCP4");
	memcpy(b + n, "GET", 3);
	ok(pp_parse(b, n + 3, &pi) == (int)n && pi.pp_version == 1 &&
	    !pi.pp_local && same(&pi.pp_src, &s) && same(&pi.pp_dst, &d),
	    "v1 TCP4 read back, the bytes after it left");
	n = pp_build(b, 1, &s6.sa, &d6.sa);
	ok(n == strlen("PROXY TCP6 2001:db8::1 ::1 1 65535\r\n") &&
	    memcmp(b, "PROXY TCP6 2001:db8::1 ::1 1 65535\r\n", n) == 0,
	    "v1 TCP6");
	ok(pp_parse(b, n, &pi) == (int)n && same(&pi.pp_src, &s6) &&
	    same(&pi.pp_dst, &d6), "v1 TCP6 read back");
	n = pp_build(b, 1, &s.sa, &d6.sa);
	ok(memcmp(b, "PROXY TCP6 ::ffff:192.0.2.1 ::1 40000 65535\r\n", n)
	    == 0, "v1 IPv4 to IPv6: mapped");
	d.sa.sa_family = AF_UNIX;
	n = pp_build(b, 1, &s.sa, &d.sa);
	ok(n == 15 && memcmp(b, "PROXY UNKNOWN\r\n", 15) == 0,
	    "v1 not IP: UNKNOWN");
	ok(pp_parse(b, n, &pi) == 15 && pi.pp_local, "UNKNOWN: local");
	ok(pp_parse((const unsigned char *)"PROXY UNKNOWN 1 2 3\r\n", 21,
	    &pi) == -1, "UNKNOWN with more after it: refused, as haproxy");
}

static void
test_v1_bad(void)
{
	static const char *bad[] = {
		"GET / HTTP/1.0\r\n",
		"proxy TCP4 1.2.3.4 5.6.7.8 1 2\r\n",
		"PROXY TCP5 1.2.3.4 5.6.7.8 1 2\r\n",
		"PROXY TCP4 1.2.3.4 5.6.7.8 1 -2\r\n",
		"PROXY TCP4 1.2.3.4 5.6.7.8 1\r\n",
		"PROXY TCP4 1.2.3.4 5.6.7.8 1 2 3\r\n",
		"PROXY TCP4 1.2.3.4  5.6.7.8 1 2\r\n",
		"PROXY TCP4 1.2.3.4.5 5.6.7.8 1 2\r\n",
		"PROXY TCP4 0x1.2.3.4 5.6.7.8 1 2\r\n",
		"PROXY TCP4 1.2.3.4 5.6.7.8 +1 2\r\n",
		"PROXY TCP4 1.2.3.4 5.6.7.8 1 2 \r\n",
		"PROXY TCP4 1.2.3.4 5.6.7.8 1 2\rX\n",
		"PROXY UNKNOWN \r\n",
		"PROXY TCP4 ::1 ::1 1 2\r\n",
		"PROXY TCP6 1.2.3.4 5.6.7.8 1 2\r\n",
		"PROXY TCP4 1.2.3.4 5.6.7.8 1 2\n",
		"PROXY TCP4 1.2.3.4\n5.6.7.8 1 2\r\n",
		"PROXY \r\n",
	};
	unsigned char b[256];
	struct pp_info pi;
	size_t i;
	int fails = 0;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (pp_parse((const unsigned char *)bad[i], strlen(bad[i]),
		    &pi) != -1) {
			printf("# taken: %s", bad[i]);
			fails++;
		}
	ok(fails == 0, "v1: broken lines refused");
	memset(b, 'a', sizeof(b));
	memcpy(b, "PROXY TCP4 ", 11);
	ok(pp_parse(b, PP_V1_MAX - 1, &pi) == 0 &&
	    pp_parse(b, PP_V1_MAX, &pi) == -1,
	    "v1: no CRLF in 107 bytes refused, before that more asked");
}

/* What haproxy 2.6 takes although the protocol would not (seen on it). */
static void
test_v1_lenient(void)
{
	static const struct {
		const char *line, *src;
		int sport;
	} v[] = {
		{ "PROXY TCP4 1.2.3.400 5.6.7.8 1 2\r\n", "1.2.4.144", 1 },
		{ "PROXY TCP4 1.2.3 5.6.7.8 1 2\r\n", "1.2.3.0", 1 },
		{ "PROXY TCP4 01.002.3.04 5.6.7.8 1 2\r\n", "1.2.3.4", 1 },
		{ "PROXY TCP4 1..3.4 5.6.7.8 1 2\r\n", "1.0.3.4", 1 },
		{ "PROXY TCP4 1234.5.6.7 5.6.7.8 1 2\r\n", "234.5.6.7", 1 },
		{ "PROXY TCP4 1.2.3.4 5.6.7.8 65537 2\r\n", "1.2.3.4", 1 },
		{ "PROXY TCP4 1.2.3.4 5.6.7.8  2\r\n", "1.2.3.4", 0 },
	};
	union pp_addr want;
	struct pp_info pi;
	size_t i;
	int fails = 0;

	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		want = addr(v[i].src, v[i].sport);
		if (pp_parse((const unsigned char *)v[i].line,
		    strlen(v[i].line), &pi) != (int)strlen(v[i].line) ||
		    !same(&pi.pp_src, &want)) {
			printf("# not as haproxy: %s", v[i].line);
			fails++;
		}
	}
	ok(fails == 0, "v1: what haproxy takes beyond the protocol, as it reads it");
}

static void
test_v2(void)
{
	/* haproxy 2.6's send-proxy-v2 for 127.0.0.1:40000 -> 127.0.0.1:80 */
	static const unsigned char h4[] = {
		0x0d, 0x0a, 0x0d, 0x0a, 0x00, 0x0d, 0x0a, 0x51, 0x55, 0x49,
		0x54, 0x0a, 0x21, 0x11, 0x00, 0x0c, 127, 0, 0, 1, 127, 0, 0,
		1, 0x9c, 0x40, 0x00, 0x50,
	};
	union pp_addr s = addr("127.0.0.1", 40000), d = addr("127.0.0.1", 80);
	union pp_addr s6 = addr("::1", 40000), d6 = addr("::1", 80);
	unsigned char b[PP_V2_HDR + 64];
	struct pp_info pi;
	size_t n;

	n = pp_build(b, 2, &s.sa, &d.sa);
	ok(n == sizeof(h4) && memcmp(b, h4, n) == 0, "v2 TCP4");
	check_prefixes(b, n, "v2 TCP4");
	ok(pp_parse(b, n, &pi) == (int)n && pi.pp_version == 2 &&
	    !pi.pp_local && same(&pi.pp_src, &s) && same(&pi.pp_dst, &d),
	    "v2 TCP4 read back");
	n = pp_build(b, 2, &s6.sa, &d6.sa);
	ok(n == 52 && b[13] == 0x21 && b[15] == 36, "v2 TCP6: 36 bytes");
	check_prefixes(b, n, "v2 TCP6");
	ok(pp_parse(b, n, &pi) == (int)n && same(&pi.pp_src, &s6) &&
	    same(&pi.pp_dst, &d6), "v2 TCP6 read back");
	d.sa.sa_family = AF_UNIX;
	n = pp_build(b, 2, &s.sa, &d.sa);
	ok(n == 16 && b[12] == 0x20 && b[13] == 0 && b[15] == 0,
	    "v2 not IP: LOCAL, no address");
	ok(pp_parse(b, n, &pi) == 16 && pi.pp_local, "v2 LOCAL: local");

	/* a TLV after the addresses is skipped; a broken one refused */
	memcpy(b, h4, sizeof(h4));
	b[15] = 12 + 5;
	memcpy(b + sizeof(h4), "\x04\x00\x02xy", 5);
	ok(pp_parse(b, sizeof(h4) + 5, &pi) == (int)sizeof(h4) + 5 &&
	    !pi.pp_local, "v2 with a TLV");
	b[sizeof(h4) + 2] = 3;
	ok(pp_parse(b, sizeof(h4) + 5, &pi) == -1, "v2 TLV past the end");
	memcpy(b, h4, sizeof(h4));
	b[15] = 8;
	ok(pp_parse(b, 24, &pi) == -1, "v2 TCP4 shorter than its addresses");
	memcpy(b, h4, sizeof(h4));
	b[12] = 0x31;
	ok(pp_parse(b, sizeof(h4), &pi) == -1, "v2 version 3 refused");
	b[12] = 0x22;
	ok(pp_parse(b, sizeof(h4), &pi) == -1, "v2 command 2 refused");
	memcpy(b, h4, sizeof(h4));
	b[13] = 0x12;
	ok(pp_parse(b, sizeof(h4), &pi) == -1, "v2 PROXY over UDP: refused, as haproxy");
	b[13] = 0x00;
	ok(pp_parse(b, sizeof(h4), &pi) == -1, "v2 PROXY, family unspecified: refused");
	memcpy(b, h4, sizeof(h4));
	b[14] = 0xff;
	ok(pp_parse(b, 16, &pi) == -1, "v2 longer than haproxy reads");
	memcpy(b, h4, sizeof(h4));
	b[11] = 0;
	ok(pp_parse(b, 12, &pi) == -1, "v2 signature broken");
	ok(pp_parse(b, 0, &pi) == 0, "nothing yet: more");
}

int
main(void)
{
	test_v1();
	test_v1_bad();
	test_v1_lenient();
	test_v2();
	return done_testing();
}
