/* SPDX-License-Identifier: ISC */
/*
 * option ldap-check's reply (RFC 4511 4.2.2): an LDAPMessage, a SEQUENCE
 * (0x30) whose length is one byte or, long form, 2 or 4 bytes (only
 * Active Directory is known to send the long form; haproxy takes no
 * other size), with messageID 1 (02 01 01), then a bindResponse (0x61)
 * and its length, and the LDAPResult's resultCode (0a 01 N).  haproxy
 * 2.6 reads no more than that and so does this: a server that passes
 * there passes here.
 */
#include <stdint.h>
#include <string.h>

#include "check-ldap.h"

enum ldapreply_st
ldapreply_parse(const unsigned char *buf, size_t len, int *code)
{
	size_t nbytes = 0, msglen, off;

	*code = 0;
	if (len < 2)
		return LR_SHORT;
	if (buf[1] & 0x80) {
		nbytes = buf[1] & 0x7f;
		/* haproxy waits for the length's bytes, then takes 2 or 4 */
		if (len < 1 + nbytes || (len < 2 + nbytes &&
		    (nbytes == 2 || nbytes == 4)))
			return LR_SHORT;
		if (nbytes == 4)
			msglen = (size_t)buf[2] << 24 | (size_t)buf[3] << 16 |
			    (size_t)buf[4] << 8 | buf[5];
		else if (nbytes == 2)
			msglen = (size_t)buf[2] << 8 | buf[3];
		else
			return LR_NOTLDAP;
	} else
		msglen = buf[1];
	if (msglen > SIZE_MAX / 2 || len < 2 + nbytes + msglen)
		return LR_SHORT;
	/* the message is all there: what it says must be inside it */
	len = 2 + nbytes + msglen;
	off = 2 + nbytes;
	if (len < off + 5 || memcmp(buf + off, "\x02\x01\x01\x61", 4) != 0)
		return LR_NOTLDAP;
	off += 4;
	/* the bindResponse's length, skipped */
	off += 1 + (buf[off] & 0x80 ? buf[off] & 0x7f : 0);
	if (len < off + 3 || memcmp(buf + off, "\x0a\x01", 2) != 0)
		return LR_NOTLDAP;
	*code = buf[off + 2];
	return *code == 0 ? LR_OK : LR_ERR;
}
