/* SPDX-License-Identifier: ISC */
/*
 * mysqlreply.c: the greeting and the packet after it, OK or ERR, whole
 * or not yet (tests/hashproxy/protocheck.t runs the check against a real
 * MariaDB and haproxy; these are the packets' edges).
 */
#include <stdlib.h>
#include <string.h>

#include "tap.h"
#include "mysqlreply.h"

/* A MySQL 8 greeting: protocol 10, the server version, and more. */
static const unsigned char greeting[] =
    "\x17\0\0\0" "\x0a" "8.0.36\0" "\x0b\0\0\0" "abcdefgh\0" "\xff\xf7";
#define GLEN	(sizeof(greeting) - 1)

/* The bytes in a buffer of their own size: ASan sees a read past it. */
static enum mysqlreply_st
parse(const void *p, size_t len, int second, struct mysqlreply *mr)
{
	static unsigned char *buf;

	free(buf);
	buf = malloc(len > 0 ? len : 1);
	memcpy(buf, p, len);
	return mysqlreply_parse(buf, len, second, mr);
}

static int
text_is(const struct mysqlreply *mr, const char *want)
{
	return mr->mr_textlen >= strlen(want) &&
	    memcmp(mr->mr_text, want, strlen(want)) == 0;
}

static void
test_greeting(void)
{
	struct mysqlreply mr;
	size_t n;

	is_int(parse(greeting, GLEN, 0, &mr), MR_OK, "a greeting");
	ok(text_is(&mr, "8.0.36"), "its text starts with the version");
	for (n = 0; n < GLEN; n++)
		if (parse(greeting, n, 0, &mr) != MR_SHORT)
			break;
	is_int(n, GLEN, "every part of it is short");
	is_int(parse("SSH-2.0-OpenSSH_9.2\r\n", 21, 0, &mr), MR_SHORT,
	    "an SSH banner: a packet of 5 MB, never whole");
}

static void
test_error(void)
{
	static const char err41[] = "\x0f\0\0\0\xff\x15\x04#28000Denied";
	static const char err[] = "\x09\0\0\0\xff\x6a\x04Host x";
	static const char tiny[] = "\x01\0\0\0\xff";
	struct mysqlreply mr;

	is_int(parse(err41, sizeof(err41) - 1, 0, &mr), MR_ERR,
	    "an ERR packet (4.1)");
	is_int(mr.mr_code, 1045, "its code");
	ok(mr.mr_textlen == 6 && text_is(&mr, "Denied"),
	    "its message, after the SQL state");
	is_int(parse(err, sizeof(err) - 1, 0, &mr), MR_ERR,
	    "an ERR packet (before 4.1)");
	is_int(mr.mr_code, 1130, "its code");
	ok(mr.mr_textlen == 6 && text_is(&mr, "Host x"), "its message");
	is_int(parse(tiny, sizeof(tiny) - 1, 0, &mr), MR_ERR,
	    "an ERR packet too short for a code");
	is_int(mr.mr_code, 0, "code 0");
	is_int(mr.mr_textlen, 0, "no message");
}

static void
test_second(void)
{
	static const char ok_pkt[] = "\x07\0\0\x02\0\0\0\x02\0\0\0";
	static const char err_pkt[] = "\x09\0\0\x02\xff\x15\x04" "Denied";
	unsigned char buf[128];
	struct mysqlreply mr;

	memcpy(buf, greeting, GLEN);
	memcpy(buf + GLEN, ok_pkt, sizeof(ok_pkt) - 1);
	is_int(parse(buf, GLEN, 1, &mr), MR_SHORT,
	    "the greeting alone: the reply to the login is not in");
	is_int(parse(buf, GLEN + 5, 1, &mr), MR_SHORT, "nor a part of it");
	is_int(parse(buf, GLEN + sizeof(ok_pkt) - 1, 1, &mr), MR_OK,
	    "an OK after the greeting");
	ok(text_is(&mr, "8.0.36"), "the version is the greeting's");
	memcpy(buf + GLEN, err_pkt, sizeof(err_pkt) - 1);
	is_int(parse(buf, GLEN + sizeof(err_pkt) - 1, 1, &mr), MR_ERR,
	    "an ERR after the greeting");
	is_int(mr.mr_code, 1045, "its code");
	ok(mr.mr_textlen == 6 && text_is(&mr, "Denied"), "its message");
	is_int(parse(buf, 3, 1, &mr), MR_SHORT,
	    "not even the greeting's length");
}

int
main(void)
{
	test_greeting();
	test_error();
	test_second();
	return done_testing();
}
