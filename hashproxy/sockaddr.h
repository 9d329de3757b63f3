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
/* An AF_INET or AF_INET6 address (4 or 16 bytes) and port; its length. */
socklen_t sockaddr_make(int family, const void *addr, int port,
	    struct sockaddr_storage *);
/*
 * host, an IPv4 or IPv6 address written out, with port into *ss (zeroed
 * first); its length, 0 when host is neither.
 */
socklen_t sockaddr_literal(const char *host, int port,
	    struct sockaddr_storage *);
/* An IPv4 or IPv6 address's port, host order; 0 for another family. */
int	sockaddr_port(const struct sockaddr_storage *);
/* Sets an IPv4 or IPv6 address's port; another family has none. */
void	sockaddr_set_port(struct sockaddr_storage *, int port);

#endif
