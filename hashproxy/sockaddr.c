/* SPDX-License-Identifier: ISC */
/* IPv4 and IPv6 addresses as text and back (sockaddr.h). */
#include <arpa/inet.h>
#include <stdint.h>
#include <string.h>

#include "sockaddr.h"

int
sockaddr_text(const struct sockaddr *sa, char *h, size_t hl, int *port)
{
	if (sa->sa_family == AF_INET) {
		const struct sockaddr_in *in = (const void *)sa;

		*port = ntohs(in->sin_port);
		return inet_ntop(AF_INET, &in->sin_addr, h, (socklen_t)hl) ==
		    NULL ? -1 : 0;
	}
	if (sa->sa_family == AF_INET6) {
		const struct sockaddr_in6 *in6 = (const void *)sa;

		*port = ntohs(in6->sin6_port);
		return inet_ntop(AF_INET6, &in6->sin6_addr, h, (socklen_t)hl) ==
		    NULL ? -1 : 0;
	}
	return -1;
}

int
sockaddr_port(const struct sockaddr_storage *ss)
{
	if (ss->ss_family == AF_INET)
		return ntohs(((const struct sockaddr_in *)ss)->sin_port);
	if (ss->ss_family == AF_INET6)
		return ntohs(((const struct sockaddr_in6 *)ss)->sin6_port);
	return 0;
}

void
sockaddr_set_port(struct sockaddr_storage *ss, int port)
{
	if (ss->ss_family == AF_INET)
		((struct sockaddr_in *)ss)->sin_port = htons((uint16_t)port);
	else if (ss->ss_family == AF_INET6)
		((struct sockaddr_in6 *)ss)->sin6_port = htons((uint16_t)port);
}

socklen_t
sockaddr_make(int family, const void *addr, int port,
    struct sockaddr_storage *ss)
{
	struct sockaddr_in *in = (struct sockaddr_in *)ss;
	struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)ss;

	memset(ss, 0, sizeof(*ss));
	ss->ss_family = (sa_family_t)family;
	sockaddr_set_port(ss, port);
	if (family == AF_INET) {
		memcpy(&in->sin_addr, addr, sizeof(in->sin_addr));
		return sizeof(*in);
	}
	memcpy(&in6->sin6_addr, addr, sizeof(in6->sin6_addr));
	return sizeof(*in6);
}

socklen_t
sockaddr_literal(const char *host, int port, struct sockaddr_storage *ss)
{
	unsigned char a[16];

	if (inet_pton(AF_INET, host, a) == 1)
		return sockaddr_make(AF_INET, a, port, ss);
	if (inet_pton(AF_INET6, host, a) == 1)
		return sockaddr_make(AF_INET6, a, port, ss);
	memset(ss, 0, sizeof(*ss));
	return 0;
}
