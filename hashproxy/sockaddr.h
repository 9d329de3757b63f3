/* SPDX-License-Identifier: ISC */
/*
 * IPv4 and IPv6 addresses as text and back, for the config, the stats
 * socket and messages: no name is resolved here (resolve.c does that).
 */
#ifndef HP_SOCKADDR_H
#define HP_SOCKADDR_H

#include <stddef.h>
#include <sys/socket.h>

/* An IPv4 or IPv6 address's host text and port; -1 for another family. */
int	sockaddr_text(const struct sockaddr *, char *, size_t, int *port);
/*
 * host, an IPv4 or IPv6 address written out, with port into *ss (zeroed
 * first); its length, 0 when host is neither.
 */
socklen_t sockaddr_literal(const char *host, int port,
	    struct sockaddr_storage *);

#endif
