/* SPDX-License-Identifier: ISC */
/*
 * --listen [ADDR:]PORT[/tcp|/udp]: is a socket bound there?  The spec parser
 * is pure (fuzzed); listen_query() asks the kernel through sock_diag.
 */
#ifndef SVC_LISTENCHECK_H
#define SVC_LISTENCHECK_H

#include <netinet/in.h>
#include <stddef.h>
#include <stdint.h>

struct listen_spec {
	int		 ls_family;	/* AF_INET, AF_INET6, AF_UNSPEC (any) */
	struct in6_addr	 ls_addr;	/* v4 as ::ffff:a.b.c.d */
	uint16_t	 ls_port;	/* host order */
	int		 ls_proto;	/* IPPROTO_TCP or IPPROTO_UDP */
};

/* One bound socket, as sock_diag reports it. */
struct listen_sock {
	int		 lk_family;
	struct in6_addr	 lk_addr;	/* v4 as ::ffff:a.b.c.d */
	uint16_t	 lk_port;
	int		 lk_v6only;
};

/* Socket inodes, sorted: the ones --own accepts. */
struct inoset {
	uint64_t	*is_ino;
	size_t		 is_n, is_cap;
};

int	inoset_add(struct inoset *, uint64_t);
void	inoset_sort(struct inoset *);
int	inoset_has(const struct inoset *, uint64_t);
void	inoset_free(struct inoset *);

int	listen_parse(const char *buf, size_t len, struct listen_spec *out,
	    char *err, size_t errlen);
/* Does the socket serve the spec?  A wildcard address covers every one. */
int	listen_covers(const struct listen_spec *, const struct listen_sock *);
/*
 * Number of sockets serving spec (>= 0), or -1 on error (logged); with
 * own, only those whose inode it holds.
 */
int	listen_query(const struct listen_spec *, const struct inoset *own);

#endif
