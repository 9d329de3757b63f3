/* SPDX-License-Identifier: ISC */
/*
 * What a MySQL server answers option mysql-check: its greeting (the
 * handshake packet) and, when the check logged in, the packet after it;
 * either may be an ERR packet.  Pure functions over the received bytes
 * (no server, no I/O), so they are also the fuzz target
 * (tests/fuzz/hashproxy-mysqlreply.c).  check-tcp.c judges the reply.
 */
#ifndef HP_MYSQLREPLY_H
#define HP_MYSQLREPLY_H

#include <stddef.h>

enum mysqlreply_st {
	MR_OK = 0,	/* a whole packet that is not an error */
	MR_ERR,		/* an ERR packet: its code and message */
	MR_SHORT	/* not a whole packet (yet) */
};

struct mysqlreply {
	int		 mr_code;	/* MR_ERR: the error code */
	/* MR_ERR: the message; MR_OK: the greeting from its version on
	 * (up to the end of what came); not NUL-terminated */
	const unsigned char *mr_text;
	size_t		 mr_textlen;
};

/* The packet the check waits for in the len bytes at buf: the greeting,
 * or (second) the one after it. */
enum mysqlreply_st mysqlreply_parse(const unsigned char *buf, size_t len,
	    int second, struct mysqlreply *);

#endif
