/* SPDX-License-Identifier: ISC */
/* vrrpd/msgbuf.c: config check messages appended, never past the end. */
#include <stdarg.h>
#include <string.h>

#include "msgbuf.h"
#include "tap.h"

static void __attribute__((format(printf, 5, 6)))
chk(struct msgchk *c, int warn, const char *file, const char *what,
    const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	msgchk_vadd(c, warn, file, 7, what, "VI_1", fmt, ap);
	va_end(ap);
}

static void
test_msgchk(void)
{
	char big[256] = "";
	struct msgchk c = { big, sizeof(big), 0 };

	chk(&c, 0, "k.conf", "vrrp_instance", "%s: not set", "interface");
	chk(&c, 1, "k.conf", "vrrp_instance", "weight %d", 5);
	chk(&c, 0, NULL, "instance", "defined twice");
	is_str(big, "k.conf:7: vrrp_instance VI_1: interface: not set\n"
	    "k.conf:7: warning: vrrp_instance VI_1: weight 5\n"
	    "command line: instance VI_1: defined twice\n",
	    "check lines: place, warning, what and name, message");
	is_int(c.mc_nerr, 2, "the errors counted, not the warning");
}

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
	test_msgchk();
	return done_testing();
}
