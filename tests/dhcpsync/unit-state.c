/* SPDX-License-Identifier: ISC */
/*
 * The state file's text: what we write reads back; a file cut short at
 * any byte, emptied, or not ours is refused with file:line, never read
 * as smaller numbers.
 */
#include <stdio.h>
#include <string.h>

#include "state.h"
#include "tap.h"

static int
parse(const char *s, struct ds_state *st, char *err, size_t errlen)
{
	err[0] = '\0';
	return state_parse(s, strlen(s), "st", st, err, errlen);
}

int
main(void)
{
	struct ds_state a = { 0x1f00000000000abc, 0x2a, 0x803, 0x1234567,
	    0xfedcba9876543211, 0x2a0000001234, 0x99, 0x5eed }, b;
	char buf[STATE_MAX], err[256], cut[STATE_MAX];
	int n, h, i, refused;

	for (h = 0; h <= 1; h++) {
		n = state_format(&a, h, buf, sizeof(buf));
		ok(n > 0, "format (hist %d)", h);
		memset(&b, 0xff, sizeof(b));
		ok(state_parse(buf, (size_t)n, "st", &b, err, sizeof(err)) ==
		    0, "what we write reads back (hist %d) %s", h, err);
		ok(b.st_id == a.st_id && b.st_epoch == a.st_epoch &&
		    b.st_dev == a.st_dev && b.st_ino == a.st_ino &&
		    b.st_peer == a.st_peer && b.st_ack == a.st_ack,
		    "every field the same (hist %d)", h);
		is_int(b.st_hist, h ? a.st_hist : 0, "hist (hist %d)", h);
		is_int(b.st_size, a.st_size, "size (hist %d)", h);
	}
	/* a dhcpd state file cut at any byte is refused, but for the one
	 * that loses exactly the size line (optional: older files lack it) */
	n = state_format(&a, 0, buf, sizeof(buf));
	for (i = refused = 0; i < n; i++) {
		memcpy(cut, buf, (size_t)i);
		refused += state_parse(cut, (size_t)i, "st", &b, err,
		    sizeof(err)) == -1;
	}
	is_int(refused, n - 1, "all %d shorter prefixes but one are refused", n);
	/* a Kea one: all but the two that lose exactly hist and size lines */
	n = state_format(&a, 1, buf, sizeof(buf));
	for (i = refused = 0; i < n; i++) {
		memcpy(cut, buf, (size_t)i);
		refused += state_parse(cut, (size_t)i, "st", &b, err,
		    sizeof(err)) == -1;
	}
	is_int(refused, n - 2, "Kea: all prefixes but the two without hist/size");
	ok(parse("dhcpsync-state 1\nid=5\nepoch=1\ndev=1\nino=1\npeer=0\n"
	    "ack=0\n", &b, err, sizeof(err)) == 0 && b.st_size == 0,
	    "a state file from before size reads as size 0 (not checked)");

	ok(parse("", &b, err, sizeof(err)) == -1, "empty refused");
	is_str(err, "st:1: empty", "empty: file:line");
	ok(parse("dhcpsync-state 1\nid=5\nepo", &b, err, sizeof(err)) == -1,
	    "cut inside a line");
	is_str(err, "st:3: line not ended (cut short?)", "names the line");
	ok(parse("dhcpsync-state 1\nid=5\nepoch=1\n", &b, err,
	    sizeof(err)) == -1, "cut at a line's end");
	is_str(err, "st:4: ends without dev (cut short?)", "names the key");
	ok(parse("\x7f" "ELF\x02\x01\x01\n", &b, err, sizeof(err)) == -1,
	    "garbage refused");
	is_str(err, "st:1: not \"dhcpsync-state 1\"", "says what it wanted");
	ok(parse("dhcpsync-state 2\nid=5\n", &b, err, sizeof(err)) == -1,
	    "another version refused");
	ok(parse("dhcpsync-state 1\nid=5\nid=6\n", &b, err, sizeof(err)) ==
	    -1, "a key twice refused");
	is_str(err, "st:3: id given twice", "names it");
	ok(parse("dhcpsync-state 1\ncolour=5\n", &b, err, sizeof(err)) == -1,
	    "an unknown key refused");
	is_str(err, "st:2: unknown key \"colour\"", "names it");
	ok(parse("dhcpsync-state 1\nid=-1\n", &b, err, sizeof(err)) == -1,
	    "a sign refused (sscanf would take it)");
	ok(parse("dhcpsync-state 1\nid= 5\n", &b, err, sizeof(err)) == -1,
	    "a space refused");
	ok(parse("dhcpsync-state 1\nid=0x5\n", &b, err, sizeof(err)) == -1,
	    "0x refused");
	ok(parse("dhcpsync-state 1\nid=11111111111111111\n", &b, err,
	    sizeof(err)) == -1, "17 digits refused");
	is_str(err, "st:2: id: not 1 to 16 hex digits", "names the key");
	ok(state_parse("dhcpsync-state 1\nid=5\0\n", 24, "st", &b, err,
	    sizeof(err)) == -1, "a NUL refused");
	ok(parse("dhcpsync-state 1\nid=0\nepoch=1\ndev=1\nino=1\npeer=0\n"
	    "ack=0\n", &b, err, sizeof(err)) == -1, "id 0 refused");
	ok(parse("dhcpsync-state 1\nid=5\nepoch=1000000\ndev=1\nino=1\n"
	    "peer=0\nack=0\n", &b, err, sizeof(err)) == -1,
	    "an epoch past 24 bits refused");
	is_str(err, "st:8: epoch is 1000000; should be at most ffffff",
	    "and why");
	ok(parse("dhcpsync-state 1\nack=0\npeer=0\nino=1\ndev=1\nepoch=1\n"
	    "id=5\n", &b, err, sizeof(err)) == 0 && b.st_id == 5,
	    "any order is fine");
	memset(cut, 'x', sizeof(cut));
	ok(state_parse(cut, STATE_MAX + 1, "st", &b, err, sizeof(err)) == -1,
	    "longer than STATE_MAX refused");
	return done_testing();
}
