/* SPDX-License-Identifier: ISC */
/*
 * check-agent.c's reply parser: the words of an agent's line as haproxy
 * 2.6 reads them (tests/hashproxy/agent.t runs the agent against
 * haproxy; these are the edges of the line).
 */
#include <stdlib.h>
#include <string.h>

#include "tap.h"
#include "check-agent.h"

static char *cur;

/* The bytes in a buffer of their own size: ASan sees a read past it. */
static enum agent_st
parse(const char *s, int eof, struct agent_reply *ar)
{
	size_t len = strlen(s);

	free(cur);
	cur = malloc(len > 0 ? len : 1);
	memcpy(cur, s, len);
	return agent_parse(cur, len, eof, ar);
}

/* A word's text, NUL-terminated ("" for none). */
static const char *
word(const struct agent_word *w)
{
	static char buf[256];

	snprintf(buf, sizeof(buf), "%.*s", (int)w->aw_len, cur + w->aw_off);
	return buf;
}

static void
test_line(void)
{
	struct agent_reply ar;

	is_int(parse("up", 0, &ar), AG_SHORT, "no line end: wait");
	is_int(parse("up", 1, &ar), AG_PARTIAL, "closed without one");
	is_int(parse("", 1, &ar), AG_PARTIAL, "closed without a byte");
	is_int(parse("up\r", 0, &ar), AG_LINE, "\\r ends the line");
	is_int(ar.ar_health, AH_UP, "up");
	is_int(parse("\n", 0, &ar), AG_LINE, "an empty line");
	ok(ar.ar_health == AH_NONE && ar.ar_admin == AA_NONE &&
	    ar.ar_pct == -2 && ar.ar_err.aw_len == 0, "says nothing");
	is_int(parse("down\ndrain\n", 0, &ar), AG_LINE, "two lines");
	ok(ar.ar_health == AH_DOWN && ar.ar_admin == AA_NONE,
	    "only the first counts");
	is_int(agent_parse("up\0\n", 4, 0, &ar), AG_SHORT,
	    "a NUL ends the text before the line end, as haproxy's string");
}

static void
test_words(void)
{
	struct agent_reply ar;

	parse("DOWN\n", 0, &ar);
	is_int(ar.ar_health, AH_DOWN, "words in any case");
	is_str(word(&ar.ar_hs), "DOWN", "the word as written");
	parse("stopped\n", 0, &ar);
	is_int(ar.ar_health, AH_DOWN, "stopped is down");
	parse("fail\n", 0, &ar);
	is_int(ar.ar_health, AH_DOWN, "fail is down");
	parse("drain\n", 0, &ar);
	is_int(ar.ar_admin, AA_DRAIN, "drain");
	parse("maint\n", 0, &ar);
	is_int(ar.ar_admin, AA_MAINT, "maint");
	parse("Ready\n", 0, &ar);
	is_int(ar.ar_admin, AA_READY, "ready");
	parse("  75%,drain\tup , \n", 0, &ar);
	ok(ar.ar_pct == 75 && ar.ar_admin == AA_DRAIN &&
	    ar.ar_health == AH_UP, "comma, tab and space separate words");
	parse("drain ready\n", 0, &ar);
	is_int(ar.ar_admin, AA_READY, "the last admin word wins");
	parse("foo bar up\n", 0, &ar);
	is_str(word(&ar.ar_err), "foo", "the first unknown word is kept");
	is_int(ar.ar_health, AH_UP, "and the rest is read");
	parse("maxconn:10\n", 0, &ar);
	is_str(word(&ar.ar_maxconn), "10", "maxconn:N");
}

static void
test_desc(void)
{
	struct agent_reply ar;

	parse("down #  disk full, sorry\n", 0, &ar);
	is_int(ar.ar_health, AH_DOWN, "down with a reason");
	is_str(word(&ar.ar_desc), "disk full, sorry",
	    "the reason: the rest of the line, leading blanks skipped");
	parse("down#x\n", 0, &ar);
	is_int(ar.ar_health, AH_NONE, "# starts a reason only at a word's "
	    "start");
	is_str(word(&ar.ar_err), "down#x", "down#x is a word not understood");
	parse("#up\n", 0, &ar);
	ok(ar.ar_health == AH_NONE && ar.ar_desc.aw_len == 2,
	    "no word in a reason counts");
}

static void
test_weight(void)
{
	struct agent_reply ar;

	parse("50%\n", 0, &ar);
	is_int(ar.ar_pct, 50, "50%%");
	parse("0%\n", 0, &ar);
	is_int(ar.ar_pct, 0, "0%%");
	parse("10% 200%\n", 0, &ar);
	is_int(ar.ar_pct, 200, "the last weight wins");
	parse("99999999999999999999999%\n", 0, &ar);
	is_int(ar.ar_pct, 25600, "capped at 25600%%, as haproxy");
	parse("010%\n", 0, &ar);
	is_int(ar.ar_pct, 8, "010%% is octal, as haproxy's strtol reads it");
	parse("0x10%\n", 0, &ar);
	is_int(ar.ar_pct, 16, "0x10%% is hexadecimal");
	parse("100%x\n", 0, &ar);
	ok(ar.ar_pct == -1 && ar.ar_wrn != NULL &&
	    strcmp(ar.ar_wrn, "Trailing garbage in weight string") == 0,
	    "100%%x: trailing garbage");
	parse("300%%\n", 0, &ar);
	ok(ar.ar_pct == -1 && ar.ar_wrn != NULL &&
	    strncmp(ar.ar_wrn, "Absolute weight", 15) == 0,
	    "300%%%%: read as an absolute weight past 256");
	parse("x50%\n", 0, &ar);
	ok(ar.ar_pct == -2 && ar.ar_err.aw_len == 4,
	    "a weight starts with a digit");
	parse("50\n", 0, &ar);
	ok(ar.ar_pct == -2 && ar.ar_err.aw_len == 2, "and has a %%");
}

int
main(void)
{
	test_line();
	test_words();
	test_desc();
	test_weight();
	free(cur);
	return done_testing();
}
