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

socklen_t
sockaddr_literal(const char *host, int port, struct sockaddr_storage *ss)
{
	struct sockaddr_in *in = (struct sockaddr_in *)ss;
	struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)ss;

	memset(ss, 0, sizeof(*ss));
	if (inet_pton(AF_INET, host, &in->sin_addr) == 1) {
		in->sin_family = AF_INET;
		in->sin_port = htons((uint16_t)port);
		return sizeof(*in);
	}
	if (inet_pton(AF_INET6, host, &in6->sin6_addr) == 1) {
		in6->sin6_family = AF_INET6;
		in6->sin6_port = htons((uint16_t)port);
		return sizeof(*in6);
	}
	return 0;
}
