/* SPDX-License-Identifier: ISC */
/*
 * check-ldap.c: option ldap-check's BindResponse, whole or not yet, in
 * short and long form (tests/hashproxy/ldapcheck.t runs the check
 * against slapd and haproxy; these are the message's edges).
 */
#include <stdlib.h>
#include <string.h>

#include "tap.h"
#include "check-ldap.h"

/* success, as slapd sends it: 30 0c 02 01 01 61 07 0a 01 00 04 00 04 00 */
static const unsigned char okrsp[] =
    "\x30\x0c\x02\x01\x01\x61\x07\x0a\x01\x00\x04\x00\x04\x00";
#define OKLEN	(sizeof(okrsp) - 1)
/* Active Directory's: every length on 4 bytes */
static const unsigned char adrsp[] =
    "\x30\x84\x00\x00\x00\x10\x02\x01\x01\x61\x84\x00\x00\x00\x07"
    "\x0a\x01\x00\x04\x00\x04\x00";
#define ADLEN	(sizeof(adrsp) - 1)

/* The bytes in a buffer of their own size: ASan sees a read past it. */
static enum ldapreply_st
parse(const void *p, size_t len, int *code)
{
	static unsigned char *buf;

	free(buf);
	buf = malloc(len > 0 ? len : 1);
	memcpy(buf, p, len);
	return ldapreply_parse(buf, len, code);
}

int
main(void)
{
	unsigned char b[64];
	size_t n;
	int code;

	is_int(parse(okrsp, OKLEN, &code), LR_OK, "a success");
	is_int(code, 0, "its resultCode");
	for (n = 0; n < OKLEN; n++)
		if (parse(okrsp, n, &code) != LR_SHORT)
			break;
	is_int(n, OKLEN, "every part of it is short");
	is_int(parse(adrsp, ADLEN, &code), LR_OK, "4-byte lengths");
	for (n = 0; n < ADLEN; n++)
		if (parse(adrsp, n, &code) != LR_SHORT)
			break;
	is_int(n, ADLEN, "every part of that is short");

	memcpy(b, okrsp, OKLEN);
	b[9] = 49;
	is_int(parse(b, OKLEN, &code), LR_ERR, "invalidCredentials");
	is_int(code, 49, "its resultCode");
	b[9] = 0;
	b[4] = 2;
	is_int(parse(b, OKLEN, &code), LR_NOTLDAP, "another message's reply");
	b[4] = 1;
	b[5] = 0x65;
	is_int(parse(b, OKLEN, &code), LR_NOTLDAP, "a searchResDone");
	b[5] = 0x61;
	b[7] = 0x02;
	is_int(parse(b, OKLEN, &code), LR_NOTLDAP, "no ENUMERATED resultCode");

	is_int(parse("\x30\x81\x0c", 3, &code), LR_NOTLDAP,
	    "a 1-byte long length: haproxy takes 2 or 4 only");
	is_int(parse("\x30\x82\x00", 3, &code), LR_SHORT,
	    "a 2-byte length cut");
	is_int(parse("\x30\x84\xff\xff\xff\xff", 6, &code), LR_SHORT,
	    "4 GB announced: never whole");
	is_int(parse("\x30\x03\x02\x01\x01", 5, &code), LR_NOTLDAP,
	    "a message too short to hold a result");
	is_int(parse("\x30\x05\x02\x01\x01\x61\x84", 7, &code), LR_NOTLDAP,
	    "a bindResponse length past the message");
	/* the rule before wants a SEQUENCE: this only reads a length */
	is_int(parse("HTTP/1.0 400 Bad request\r\n\r\n", 28, &code),
	    LR_SHORT, "not LDAP: 'T' reads as 84 bytes to come");
	return done_testing();
}
