/* SPDX-License-Identifier: ISC */
/* vrrpd/msgbuf.c: config check messages appended, never past the end. */
#include <string.h>

#include "msgbuf.h"
#include "tap.h"

int
main(void)
{
	char buf[16], big[64] = "";

	is_int(msgbuf_add(big, sizeof(big), "k.conf:%d: %s\n", 3, "one"), 1,
	    "1: an error to count");
	msgbuf_add(big, sizeof(big), "k.conf:%d: %s\n", 4, "two");
	is_str(big, "k.conf:3: one\nk.conf:4: two\n", "lines follow each other");
	is_int(msgbuf_add(NULL, 0, "%s", "x"), 1, "no buffer: still 1");
	memset(buf, 0, sizeof(buf));
	msgbuf_add(buf, sizeof(buf), "0123456789");
	msgbuf_add(buf, sizeof(buf), "abcdefghij");
	is_str(buf, "0123456789abcde", "the last line cut at the end");
	msgbuf_add(buf, sizeof(buf), "more");
	is_str(buf, "0123456789abcde", "a full buffer takes no more");
	is_int(buf[sizeof(buf) - 1], '\0', "and stays a string");
	return done_testing();
}
