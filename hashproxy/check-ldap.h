/* SPDX-License-Identifier: ISC */
/*
 * What an LDAP server answers option ldap-check's anonymous bind: its
 * BindResponse, read as haproxy 2.6 reads it.  A pure function over the
 * received bytes (no server, no I/O); check-tcp.c judges the reply.
 */
#ifndef HP_CHECK_LDAP_H
#define HP_CHECK_LDAP_H

#include <stddef.h>

enum ldapreply_st {
	LR_OK = 0,	/* resultCode 0: the bind succeeded */
	LR_ERR,		/* another resultCode */
	LR_NOTLDAP,	/* not an LDAPv3 BindResponse to message 1 */
	LR_SHORT	/* not a whole message (yet) */
};

/* The reply in the len bytes at buf; *code its resultCode. */
enum ldapreply_st ldapreply_parse(const unsigned char *buf, size_t len,
	    int *code);

#endif
