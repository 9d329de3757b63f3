/*
 * Test helper: sends one hand-made VRRP packet, broken as asked, on an
 * interface inside a test namespace.  Built by the tests from packet.c.
 *
 *   craft IFACE SRC DST [version=N] [vrid=N] [prio=N] [ttl=N] [int=N]
 *         [pass=S] [authtype=N] [vip=ADDR] [count=N] [trunc=N] [badsum=1]
 *         [type=N]
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "packet.h"

int
main(int argc, char **argv)
{
	static struct vrrp_pkt p;
	struct sockaddr_in to;
	uint8_t buf[VRRP_PKT_MAX + 20];
	int fd, n, i, count = -1, trunc = 0, badsum = 0, type = 1, on = 1;

	if (argc < 4) {
		fprintf(stderr, "usage: craft IFACE SRC DST [key=value]...\n");
		return 2;
	}
	p.vp_family = AF_INET;
	p.vp_version = 2;
	p.vp_type = 1;
	p.vp_vrid = 51;
	p.vp_priority = 200;
	p.vp_ttl = 255;
	p.vp_adver_int = 1;
	p.vp_naddr = 1;
	inet_pton(AF_INET, argv[2], &p.vp_src.v4);
	inet_pton(AF_INET, argv[3], &p.vp_dst.v4);
	inet_pton(AF_INET, "192.0.2.100", &p.vp_addrs[0].v4);
	for (i = 4; i < argc; i++) {
		char *v = strchr(argv[i], '=');

		if (v == NULL)
			return 2;
		*v++ = '\0';
		if (!strcmp(argv[i], "version")) p.vp_version = (uint8_t)atoi(v);
		else if (!strcmp(argv[i], "vrid")) p.vp_vrid = (uint8_t)atoi(v);
		else if (!strcmp(argv[i], "prio")) p.vp_priority = (uint8_t)atoi(v);
		else if (!strcmp(argv[i], "ttl")) p.vp_ttl = (uint8_t)atoi(v);
		else if (!strcmp(argv[i], "int")) p.vp_adver_int = (uint16_t)atoi(v);
		else if (!strcmp(argv[i], "authtype")) p.vp_auth_type = (uint8_t)atoi(v);
		else if (!strcmp(argv[i], "pass")) {
			p.vp_auth_type = VRRP_AUTH_PASS;
			snprintf(p.vp_auth, sizeof(p.vp_auth), "%.8s", v);
		} else if (!strcmp(argv[i], "vip")) inet_pton(AF_INET, v, &p.vp_addrs[0].v4);
		else if (!strcmp(argv[i], "count")) count = atoi(v);
		else if (!strcmp(argv[i], "trunc")) trunc = atoi(v);
		else if (!strcmp(argv[i], "badsum")) badsum = atoi(v);
		else if (!strcmp(argv[i], "type")) type = atoi(v);
		else
			return 2;
	}
	if ((n = vrrp_pkt_build4(&p, buf, sizeof(buf))) < 0)
		return 1;
	/* mutations after the checksum, so each breaks exactly one thing */
	if (type != 1)
		buf[20] = (uint8_t)((buf[20] & 0xf0) | type);
	if (count >= 0)
		buf[23] = (uint8_t)count;
	if (badsum)
		buf[26] ^= 0x55;
	if (trunc > 0 && trunc < n - 20) {
		n -= trunc;
		buf[2] = (uint8_t)(n >> 8);
		buf[3] = (uint8_t)n;
	}
	if ((type != 1 || count >= 0) && !badsum) {
		/* keep the checksum right so only the field is wrong */
		uint16_t ck;

		buf[26] = buf[27] = 0;
		ck = vrrp_cksum(buf + 20, (size_t)n - 20,
		    0);
		if (p.vp_version == 2) {
			buf[26] = (uint8_t)(ck >> 8);
			buf[27] = (uint8_t)ck;
		}
	}
	if ((fd = socket(AF_INET, SOCK_RAW, IPPROTO_RAW)) == -1 ||
	    setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, argv[1],
	    (socklen_t)strlen(argv[1])) == -1 ||
	    setsockopt(fd, IPPROTO_IP, IP_HDRINCL, &on, sizeof(on)) == -1) {
		perror("craft: socket");
		return 1;
	}
	memset(&to, 0, sizeof(to));
	to.sin_family = AF_INET;
	to.sin_addr = p.vp_dst.v4;
	if (sendto(fd, buf, (size_t)n, 0, (struct sockaddr *)&to,
	    sizeof(to)) != n) {
		perror("craft: sendto");
		return 1;
	}
	return 0;
}
