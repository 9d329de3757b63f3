/* SPDX-License-Identifier: ISC */
/*
 * agent-check (check-agent.h): its reply, read as haproxy 2.6 reads it,
 * and what the reply does to the server.
 */
#include <ctype.h>
#include <limits.h>
#include <string.h>
#include <strings.h>

#include "check-agent.h"

/* Whether the word at w (n bytes) is kw, in any case. */
static int
agent_is(const char *w, size_t n, const char *kw)
{
	return n == strlen(kw) && strncasecmp(w, kw, n) == 0;
}

static int
agent_digit(int c, int base)
{
	int v;

	if (c >= '0' && c <= '9')
		v = c - '0';
	else if (c >= 'a' && c <= 'f')
		v = c - 'a' + 10;
	else if (c >= 'A' && c <= 'F')
		v = c - 'A' + 10;
	else
		return -1;
	return v < base ? v : -1;
}

/*
 * A weight word (it starts with a digit and holds a '%') as haproxy
 * reads it: strtol in base 0 (so "010%" is 8%), then "%" must end it.
 */
static void
agent_weight(const char *w, size_t n, struct agent_reply *ar)
{
	size_t i = 0;
	long v = 0;
	int base = 10, d;

	if (n > 2 && w[0] == '0' && (w[1] == 'x' || w[1] == 'X') &&
	    agent_digit((unsigned char)w[2], 16) >= 0) {
		base = 16;
		i = 2;
	} else if (w[0] == '0')
		base = 8;
	for (; i < n && (d = agent_digit((unsigned char)w[i], base)) >= 0;
	    i++)
		v = v > (LONG_MAX - d) / base ? LONG_MAX : v * base + d;
	if (i + 1 == n && w[i] == '%') {
		ar->ar_pct = v > 25600 ? 25600 : v;
		ar->ar_wrn = NULL;
	} else {
		ar->ar_pct = -1;
		ar->ar_wrn = v > 256 ? "Absolute weight can only be between "
		    "0 and 256 inclusive.\n" : "Trailing garbage in weight "
		    "string";
	}
}

/* One word of the reply, at off (n bytes) in buf. */
static void
agent_word(const char *buf, size_t off, size_t n, struct agent_reply *ar)
{
	static const char *const health[] = { "up", "down", "stopped",
	    "fail" };
	static const char *const admin[] = { "ready", "drain", "maint" };
	const char *w = buf + off;
	size_t i;

	for (i = 0; i < sizeof(health) / sizeof(health[0]); i++)
		if (agent_is(w, n, health[i])) {
			ar->ar_health = i == 0 ? AH_UP : AH_DOWN;
			ar->ar_hs.aw_off = off;
			ar->ar_hs.aw_len = n;
			return;
		}
	for (i = 0; i < sizeof(admin) / sizeof(admin[0]); i++)
		if (agent_is(w, n, admin[i])) {
			ar->ar_admin = (enum agent_admin)(AA_READY + i);
			return;
		}
	if (isdigit((unsigned char)w[0]) && memchr(w, '%', n) != NULL)
		agent_weight(w, n, ar);
	else if (n >= 8 && strncasecmp(w, "maxconn:", 8) == 0) {
		ar->ar_maxconn.aw_off = off + 8;
		ar->ar_maxconn.aw_len = n - 8;
	} else if (ar->ar_err.aw_len == 0) {
		ar->ar_err.aw_off = off;
		ar->ar_err.aw_len = n;
	}
}

static int
agent_sep(char c)
{
	return c == ' ' || c == '\t' || c == ',';
}

enum agent_st
agent_parse(const char *buf, size_t len, int eof, struct agent_reply *ar)
{
	size_t end, i, w;

	memset(ar, 0, sizeof(*ar));
	ar->ar_pct = -2;
	/* haproxy reads up to the first line end; a NUL ends its string */
	for (end = 0; end < len && buf[end] != '\n' && buf[end] != '\r' &&
	    buf[end] != '\0'; end++)
		;
	if (end == len || buf[end] == '\0')
		return eof ? AG_PARTIAL : AG_SHORT;
	for (i = 0; i < end; i = w) {
		if (agent_sep(buf[i])) {
			w = i + 1;
			continue;
		}
		if (buf[i] == '#') {
			for (i++; i < end && buf[i] == ' '; i++)
				;
			ar->ar_desc.aw_off = i;
			ar->ar_desc.aw_len = end - i;
			break;
		}
		for (w = i + 1; w < end && !agent_sep(buf[w]); w++)
			;
		agent_word(buf, i, w - i, ar);
	}
	return AG_LINE;
}
