/* SPDX-License-Identifier: ISC */
/* vrrpd/ctlcmd.c: every verb, and a clear one-line error for bad lines. */
#include <stdio.h>
#include <string.h>

#include "ctlcmd.h"
#include "tap.h"

static struct ctl_cmd c;
static char err[256];

static int
p(const char *s)
{
	err[0] = '\0';
	return ctl_parse(s, strlen(s), &c, err, sizeof(err));
}

static int
one_line(const char *s)
{
	for (; *s; s++)
		if (*s < 0x20 || *s >= 0x7f)
			return 0;
	return 1;
}

int
main(void)
{
	char big[CTL_LINE_MAX + 2];
	const char junk[] = "st\0at\xff" "us";

	ok(p("status") == 0 && c.cc_verb == CTL_STATUS, "status");
	ok(p("show instances") == 0 && c.cc_verb == CTL_SHOW_INSTANCES,
	    "show instances");
	ok(p("  show \t tracks ") == 0 && c.cc_verb == CTL_SHOW_TRACKS,
	    "blanks around and between words are fine");
	ok(p("reload\r") == 0 && c.cc_verb == CTL_RELOAD,
	    "reload with a CRLF end of line");
	ok(p("help") == 0 && c.cc_verb == CTL_HELP, "help");
	ok(p("show metrics") == 0 && c.cc_verb == CTL_SHOW_METRICS,
	    "show metrics");

	ok(p("") == -1, "empty line refused");
	is_str(err, "empty command; try help", "empty line: message");
	ok(p("   \t") == -1, "blank line refused");
	is_str(err, "empty command; try help", "blank line: message");
	ok(p("stat") == -1, "unknown verb refused");
	is_str(err, "unknown command \"stat\"; try help", "names the word");
	ok(p("STATUS") == -1, "verbs are case-sensitive");
	ok(p("status now") == -1, "argument to status refused");
	is_str(err, "status takes no argument (got \"now\")", "names it");
	ok(p("show") == -1, "show alone refused");
	is_str(err, "show what? try help", "show: message");
	ok(p("show servers") == -1, "show of an unknown object");
	is_str(err, "show \"servers\": unknown; instances, tracks or metrics",
	    "show: names the object");
	ok(p("show instances now") == -1, "show with two arguments");
	is_str(err, "show takes one argument (extra \"now\")", "extra word");
	ok(p("a b c d e") == -1, "too many words");

	ok(ctl_parse(junk, sizeof(junk) - 1, &c, err, sizeof(err)) == -1,
	    "a NUL byte is not cut short into \"st\"");
	is_str(err, "byte 0x00 at column 3 is not printable ASCII",
	    "binary: names the byte and column");
	ok(p("status\x1b[2J") == -1 && one_line(err),
	    "escape sequences refused, reply stays printable");

	memset(big, 'x', sizeof(big));
	ok(ctl_parse(big, CTL_LINE_MAX + 1, &c, err, sizeof(err)) == -1,
	    "over-long line refused");
	is_str(err, "command too long (1025 bytes, at most 1024)",
	    "over-long: message");
	ok(ctl_parse(big, CTL_LINE_MAX, &c, err, sizeof(err)) == -1 &&
	    strstr(err, "unknown command \"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx...\"")
	    != NULL, "a long word is quoted cut short");
	ok(ctl_parse("stat", 4, &c, err, 8) == -1 && strlen(err) == 7,
	    "a small error buffer is filled and terminated");
	ok(p("status\t\x7f") == -1, "DEL refused");
	is_str(err, "byte 0x7f at column 8 is not printable ASCII", "DEL: msg");
	done_testing();
}
