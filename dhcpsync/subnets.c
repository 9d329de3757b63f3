/* SPDX-License-Identifier: ISC */
/*
 * Subnets a peer's leases are allowed in.  The dhcpd.conf reader knows
 * just enough of dhcpd's grammar to find declarations: words, quoted
 * strings, comments, braces and semicolons.  A `subnet` that starts a
 * statement, at any depth, is a declaration; everything else is skipped.
 * What it cannot read is an error naming file:line, never a guess: a
 * wrong list would drop good leases or let bad ones in.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "errbuf.h"
#include "record.h"
#include "subnets.h"

#define TOK_SHOW	40	/* bytes of a token quoted in a message */

void
subnets_free(struct subnets *s)
{
	free(s->ss_v);
	memset(s, 0, sizeof(*s));
}

static int
subnets_push(struct subnets *s, uint32_t net, uint32_t mask)
{
	struct subnet *nv;
	size_t cap;

	if (s->ss_n == SUBNETS_MAX)
		return -1;
	if (s->ss_n == s->ss_cap) {
		cap = s->ss_cap ? s->ss_cap * 2 : 16;
		if ((nv = realloc(s->ss_v, cap * sizeof(*nv))) == NULL)
			return -1;
		s->ss_v = nv;
		s->ss_cap = cap;
	}
	s->ss_v[s->ss_n].sn_net = net;
	s->ss_v[s->ss_n].sn_mask = mask;
	s->ss_n++;
	return 0;
}

static uint32_t
subnets_len2mask(unsigned len)
{
	return len == 0 ? 0 : 0xffffffffu << (32 - len);
}

/* The prefix length of a contiguous mask, or -1. */
static int
subnets_mask2len(uint32_t m)
{
	int len = 0;

	while (len < 32 && (m & (0x80000000u >> len)))
		len++;
	return m == subnets_len2mask((unsigned)len) ? len : -1;
}

int
subnets_match(const struct subnets *s, uint32_t addr)
{
	size_t i;

	for (i = 0; i < s->ss_n; i++)
		if ((addr & s->ss_v[i].sn_mask) == s->ss_v[i].sn_net)
			return 1;
	return 0;
}

void
subnets_format(const struct subnet *sn, char *buf, size_t len)
{
	char a[16];

	lease_addr_format(sn->sn_net, a, sizeof(a));
	snprintf(buf, len, "%s/%d", a, subnets_mask2len(sn->sn_mask));
}

/* A token for a message: printable bytes only, at most TOK_SHOW. */
static void
subnets_show(const char *t, size_t n, char *buf, size_t len)
{
	size_t i, o = 0;

	for (i = 0; i < n && i < TOK_SHOW && o + 1 < len; i++)
		buf[o++] = t[i] > ' ' && t[i] < 0x7f ? t[i] : '?';
	buf[o] = '\0';
}

int
subnets_add_cidr(struct subnets *s, const char *str, char *err,
    size_t errlen)
{
	const char *slash = strchr(str, '/');
	uint32_t a, m;
	char *end;
	long len;

	if (slash == NULL || lease_addr_parse(str, (size_t)(slash - str),
	    &a) == -1)
		return errbuf_set(err, errlen, "\"%.40s\": not A.B.C.D/LEN",
		    str);
	len = strtol(slash + 1, &end, 10);
	if (slash[1] < '0' || slash[1] > '9' || *end != '\0' || len > 32)
		return errbuf_set(err, errlen, "\"%.40s\": prefix length "
		    "should be 0..32", str);
	m = subnets_len2mask((unsigned)len);
	if (a & ~m)
		return errbuf_set(err, errlen, "\"%.40s\": host bits set (the "
		    "network is %u.%u.%u.%u/%ld)", str, (a & m) >> 24,
		    (a & m) >> 16 & 255, (a & m) >> 8 & 255, a & m & 255, len);
	if (subnets_push(s, a, m) == -1)
		return errbuf_set(err, errlen, "\"%.40s\": more than %d "
		    "subnets, or out of memory", str, SUBNETS_MAX);
	return 0;
}

/* The dhcpd.conf reader. */

enum { TK_EOF = 0, TK_WORD, TK_STRING, TK_PUNCT, TK_ERR };

struct lexer {
	const char *p, *end;
	const char *name;
	int	 line;
	const char *tok;	/* the token: TK_WORD and TK_STRING text */
	size_t	 toklen;
	char	*err;
	size_t	 errlen;
};

static int
subnets_word_byte(char c)
{
	return c != ' ' && c != '\t' && c != '\n' && c != '\r' && c != ';' &&
	    c != '{' && c != '}' && c != '"' && c != '#' && c != ',';
}

static void
lex_skip(struct lexer *lx)
{
	while (lx->p < lx->end) {
		if (*lx->p == '\n') {
			lx->line++;
			lx->p++;
		} else if (*lx->p == ' ' || *lx->p == '\t' || *lx->p == '\r')
			lx->p++;
		else if (*lx->p == '#') {
			while (lx->p < lx->end && *lx->p != '\n')
				lx->p++;
		} else
			break;
	}
}

/* A quoted string; backslash escapes the next byte, as dhcpd's lexer. */
static int
lex_string(struct lexer *lx)
{
	int line = lx->line;

	lx->tok = ++lx->p;
	while (lx->p < lx->end && *lx->p != '"') {
		if (*lx->p == '\\' && lx->p + 1 < lx->end)
			lx->p++;
		if (*lx->p == '\n')
			lx->line++;
		lx->p++;
	}
	if (lx->p == lx->end) {
		snprintf(lx->err, lx->errlen, "%s:%d: string not closed",
		    lx->name, line);
		return TK_ERR;
	}
	lx->toklen = (size_t)(lx->p - lx->tok);
	lx->p++;
	return TK_STRING;
}

static int
lex_next(struct lexer *lx)
{
	lex_skip(lx);
	if (lx->p == lx->end)
		return TK_EOF;
	if (*lx->p == '"')
		return lex_string(lx);
	lx->tok = lx->p;
	if (!subnets_word_byte(*lx->p)) {
		lx->toklen = 1;
		lx->p++;
		return TK_PUNCT;
	}
	while (lx->p < lx->end && subnets_word_byte(*lx->p))
		lx->p++;
	lx->toklen = (size_t)(lx->p - lx->tok);
	return TK_WORD;
}

static int
lex_is(const struct lexer *lx, int tk, const char *s)
{
	return (tk == TK_WORD || tk == TK_PUNCT) && lx->toklen == strlen(s) &&
	    memcmp(lx->tok, s, lx->toklen) == 0;
}

/* Reads one address word into *a; -1 with the message set. */
static int
lex_addr(struct lexer *lx, const char *what, uint32_t *a)
{
	char show[TOK_SHOW + 1];
	int tk = lex_next(lx);

	if (tk == TK_ERR)
		return -1;
	if (tk == TK_WORD && lease_addr_parse(lx->tok, lx->toklen, a) == 0)
		return 0;
	if (tk == TK_EOF)
		snprintf(show, sizeof(show), "end of file");
	else
		subnets_show(lx->tok, lx->toklen, show, sizeof(show));
	snprintf(lx->err, lx->errlen, "%s:%d: subnet: %s \"%s\" is not an "
	    "IPv4 address", lx->name, lx->line, what, show);
	return -1;
}

/* After the word "subnet": A netmask M {, checked as dhcpd checks it. */
static int
subnets_decl(struct subnets *s, struct lexer *lx)
{
	char show[TOK_SHOW + 1], as[16], ms[16];
	uint32_t a, m;
	int tk, line = lx->line;

	if (lex_addr(lx, "address", &a) == -1)
		return -1;
	if ((tk = lex_next(lx)) == TK_ERR)
		return -1;
	if (!lex_is(lx, tk, "netmask")) {
		subnets_show(tk == TK_EOF ? "" : lx->tok, tk == TK_EOF ? 0 :
		    lx->toklen, show, sizeof(show));
		snprintf(lx->err, lx->errlen, "%s:%d: subnet: \"%s\" where "
		    "netmask was expected", lx->name, lx->line, show);
		return -1;
	}
	if (lex_addr(lx, "netmask", &m) == -1)
		return -1;
	lease_addr_format(a, as, sizeof(as));
	lease_addr_format(m, ms, sizeof(ms));
	if (subnets_mask2len(m) == -1) {
		snprintf(lx->err, lx->errlen, "%s:%d: subnet %s netmask %s: "
		    "the mask is not contiguous", lx->name, line, as, ms);
		return -1;
	}
	if (a & ~m) {
		snprintf(lx->err, lx->errlen, "%s:%d: subnet %s netmask %s: "
		    "host bits set in the address", lx->name, line, as, ms);
		return -1;
	}
	if ((tk = lex_next(lx)) == TK_ERR)
		return -1;
	if (!lex_is(lx, tk, "{")) {
		snprintf(lx->err, lx->errlen, "%s:%d: subnet %s netmask %s: "
		    "'{' expected", lx->name, lx->line, as, ms);
		return -1;
	}
	if (subnets_push(s, a, m) == -1) {
		snprintf(lx->err, lx->errlen, "%s:%d: more than %d subnets, "
		    "or out of memory", lx->name, line, SUBNETS_MAX);
		return -1;
	}
	return 0;
}

/* include "FILE";: not followed (warned), so its subnets stay out. */
static void
subnets_include(struct lexer *lx, int tk, subnets_warn_fn warn, void *arg)
{
	char show[TOK_SHOW + 1], msg[256];

	subnets_show(tk == TK_STRING ? lx->tok : "", tk == TK_STRING ?
	    lx->toklen : 0, show, sizeof(show));
	snprintf(msg, sizeof(msg), "%s:%d: include \"%s\" is not read: "
	    "leases in its subnets are refused", lx->name, lx->line, show);
	if (warn)
		warn(arg, msg);
}

int
subnets_parse_conf(struct subnets *s, const char *buf, size_t len,
    const char *name, subnets_warn_fn warn, void *warnarg, char *err,
    size_t errlen)
{
	struct lexer lx = { buf, buf + len, name, 1, NULL, 0, err, errlen };
	size_t n0 = s->ss_n;
	int tk, start = 1, depth = 0;

	while ((tk = lex_next(&lx)) != TK_EOF) {
		if (tk == TK_ERR)
			return -1;
		if (lex_is(&lx, tk, "{") || lex_is(&lx, tk, ";")) {
			depth += *lx.tok == '{';
			start = 1;
		} else if (lex_is(&lx, tk, "}")) {
			if (--depth < 0) {
				return errbuf_set(err, errlen, "%s:%d: '}' "
				    "without '{'", name, lx.line);
			}
			start = 1;
		} else if (start && lex_is(&lx, tk, "subnet")) {
			if (subnets_decl(s, &lx) == -1)
				return -1;
			depth++;
		} else {
			if (start && lex_is(&lx, tk, "include")) {
				tk = lex_next(&lx);
				if (tk == TK_ERR)
					return -1;
				subnets_include(&lx, tk, warn, warnarg);
				if (lex_is(&lx, tk, ";") || lex_is(&lx, tk,
				    "{") || lex_is(&lx, tk, "}")) {
					lx.p--;	/* read it again */
				}
			}
			start = 0;
		}
	}
	if (depth > 0)
		return errbuf_set(err, errlen, "%s:%d: end of file inside a "
		    "block (%d '{' not closed)", name, lx.line, depth);
	return (int)(s->ss_n - n0);
}
