/* SPDX-License-Identifier: ISC */
/* listencheck.c: the --listen spec parser and what a socket covers. */
#include <arpa/inet.h>
#include <string.h>
#include <sys/socket.h>

#include "listencheck.h"
#include "tap.h"

static int
parse(const char *s, struct listen_spec *ls, char *err, size_t errlen)
{
	return listen_parse(s, strlen(s), ls, err, errlen);
}

static struct listen_sock
sock(int family, const char *addr, int port, int v6only)
{
	struct listen_sock k;
	struct in_addr a4;

	memset(&k, 0, sizeof(k));
	k.lk_family = family;
	k.lk_port = (uint16_t)port;
	k.lk_v6only = v6only;
	if (family == AF_INET) {
		inet_pton(AF_INET, addr, &a4);
		k.lk_addr.s6_addr[10] = k.lk_addr.s6_addr[11] = 0xff;
		memcpy(&k.lk_addr.s6_addr[12], &a4, 4);
	} else
		inet_pton(AF_INET6, addr, &k.lk_addr);
	return k;
}

int
main(void)
{
	struct listen_spec ls;
	struct listen_sock k;
	char err[128];

	is_int(parse("53", &ls, err, sizeof(err)), 0, "bare port");
	is_int(ls.ls_port, 53, "port 53");
	is_int(ls.ls_proto, IPPROTO_TCP, "tcp by default");
	is_int(ls.ls_family, AF_UNSPEC, "any address");
	is_int(parse("53/udp", &ls, err, sizeof(err)), 0, "port/udp");
	is_int(ls.ls_proto, IPPROTO_UDP, "udp");
	is_int(parse("127.0.0.1:8053/tcp", &ls, err, sizeof(err)), 0,
	    "v4:port/tcp");
	is_int(ls.ls_family, AF_INET, "v4");
	is_int(parse("[::1]:53", &ls, err, sizeof(err)), 0, "[v6]:port");
	is_int(ls.ls_family, AF_INET6, "v6");
	is_int(parse("*:80", &ls, err, sizeof(err)), 0, "*:port");
	is_int(ls.ls_family, AF_UNSPEC, "* is any");
	is_int(parse("0", &ls, err, sizeof(err)), -1, "port 0 refused");
	ok(strstr(err, "port") != NULL, "names the port: %s", err);
	is_int(parse("65536", &ls, err, sizeof(err)), -1, "65536 refused");
	is_int(parse("53/sctp", &ls, err, sizeof(err)), -1, "sctp refused");
	ok(strstr(err, "sctp") != NULL, "names the protocol: %s", err);
	is_int(parse("::1:53", &ls, err, sizeof(err)), -1,
	    "bare v6 refused");
	is_int(parse("[::1:53", &ls, err, sizeof(err)), -1, "no ']' refused");
	is_int(parse("300.0.0.1:53", &ls, err, sizeof(err)), -1,
	    "bad v4 refused");
	is_int(parse("", &ls, err, sizeof(err)), -1, "empty refused");
	is_int(parse("host:53", &ls, err, sizeof(err)), -1,
	    "host names refused");
	is_int(listen_parse("53\0", 3, &ls, err, sizeof(err)), -1,
	    "NUL refused");

	parse("127.0.0.1:53", &ls, err, sizeof(err));
	k = sock(AF_INET, "127.0.0.1", 53, 0);
	ok(listen_covers(&ls, &k), "same address");
	k = sock(AF_INET, "0.0.0.0", 53, 0);
	ok(listen_covers(&ls, &k), "0.0.0.0 covers 127.0.0.1");
	k = sock(AF_INET6, "::", 53, 0);
	ok(listen_covers(&ls, &k), "dual-stack [::] covers 127.0.0.1");
	k = sock(AF_INET6, "::", 53, 1);
	ok(!listen_covers(&ls, &k), "v6only [::] does not");
	k = sock(AF_INET, "127.0.0.2", 53, 0);
	ok(!listen_covers(&ls, &k), "another address does not");
	k = sock(AF_INET, "127.0.0.1", 54, 0);
	ok(!listen_covers(&ls, &k), "another port does not");
	parse("[::1]:53", &ls, err, sizeof(err));
	k = sock(AF_INET, "0.0.0.0", 53, 0);
	ok(!listen_covers(&ls, &k), "0.0.0.0 does not cover ::1");
	k = sock(AF_INET6, "::", 53, 1);
	ok(listen_covers(&ls, &k), "[::] covers ::1");
	parse("53", &ls, err, sizeof(err));
	k = sock(AF_INET, "10.1.2.3", 53, 0);
	ok(listen_covers(&ls, &k), "no address: any socket on the port");
	return done_testing();
}
