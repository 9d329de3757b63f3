/* SPDX-License-Identifier: ISC */
/*
 * dhcpd.leases reader: a small tokenizer and one function per
 * statement; errors name file:line and the statement.  dhcpd-write.c
 * writes the file.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "errbuf.h"
#include "dhcpd-file.h"

enum { TK_EOF, TK_WORD, TK_STRING, TK_PUNCT };

struct lx {
	const char *p, *end, *file;
	int	 line;
	int	 final;
	int	 cut;		/* ran off the end of a non-final buffer */
	char	*err;
	size_t	 errlen;
	/* current token */
	int	 t;
	const char *ts;
	size_t	 tl;
	int	 tline;
};

static int __attribute__((format(printf, 2, 3)))
lx_error(struct lx *x, const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	if (x->cut)
		return -1;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	snprintf(x->err, x->errlen, "%s:%d: %s", x->file, x->tline, msg);
	return -1;
}

/*
 * what, then the token that stopped the parse: option: bad value "x".
 * Cut to 32 bytes, so that a runaway token cannot crowd out the rest.
 */
static int
lx_bad(struct lx *x, const char *what)
{
	return lx_error(x, "%s \"%.*s\"", what, x->tl > 32 ? 32 :
	    (int)x->tl, x->ts);
}

static int
lx_punct(char c)
{
	return c == '{' || c == '}' || c == ';' || c == '=' || c == ',';
}

/* Next token; a string keeps its quotes in ts/tl. */
static int
lx_next(struct lx *x)
{
	const char *lstart;

	for (;;) {
		while (x->p < x->end && (*x->p == ' ' || *x->p == '\t' ||
		    *x->p == '\r' || *x->p == '\n')) {
			if (*x->p == '\n')
				x->line++;
			x->p++;
		}
		if (x->p < x->end && *x->p == '#') {
			lstart = x->p;
			while (x->p < x->end && *x->p != '\n')
				x->p++;
			if (x->p - lstart > LEASES_LINE_MAX) {
				x->tline = x->line;
				return x->t = -1, lx_error(x, "line too long");
			}
			continue;
		}
		break;
	}
	x->ts = x->p;
	x->tl = 0;	/* an error message may quote the token */
	x->tline = x->line;
	if (x->p == x->end) {
		if (!x->final)
			x->cut = 1;
		return x->t = TK_EOF;
	}
	if (lx_punct(*x->p)) {
		x->p++;
		x->tl = 1;
		return x->t = TK_PUNCT;
	}
	if (*x->p == '"') {
		for (x->p++; x->p < x->end && *x->p != '"'; x->p++) {
			if (*x->p == '\\' && x->p + 1 < x->end)
				x->p++;
			if (*x->p == '\n')
				return x->t = -1, lx_error(x,
				    "newline in string");
			if (x->p - x->ts > LEASES_STRING_MAX)
				return x->t = -1, lx_error(x,
				    "string longer than dhcpd reads");
		}
		if (x->p == x->end) {
			if (!x->final)
				x->cut = 1;
			return x->t = -1, lx_error(x, "unterminated string");
		}
		x->p++;
		x->tl = (size_t)(x->p - x->ts);
		return x->t = TK_STRING;
	}
	while (x->p < x->end && !lx_punct(*x->p) && *x->p != '"' &&
	    *x->p != '#' && (unsigned char)*x->p > 0x20 && *x->p != 0x7f)
		x->p++;
	x->tl = (size_t)(x->p - x->ts);
	if (x->tl == 0) {	/* a control byte no token starts with */
		x->p++;
		return x->t = -1, lx_error(x, "control character 0x%02x",
		    (unsigned char)*x->ts);
	}
	if (x->p == x->end && !x->final) {
		/* a word at the very end may be cut in half */
		x->cut = 1;
		return x->t = -1;
	}
	if (x->tl > LEASES_TOKEN_MAX)
		return x->t = -1, lx_error(x, "word longer than dhcpd reads");
	return x->t = TK_WORD;
}

static int
lx_is(struct lx *x, int t, const char *s)
{
	return x->t == t && strlen(s) == x->tl && memcmp(x->ts, s, x->tl) == 0;
}

static int
lx_expect(struct lx *x, int t, const char *s, const char *what)
{
	if (lx_next(x) < 0)
		return -1;
	if (!lx_is(x, t, s))
		return lx_error(x, "%s: expected \"%s\", got \"%.*s\"", what,
		    s, x->tl > 32 ? 32 : (int)x->tl, x->ts);
	return 0;
}

/*
 * Unquotes dhcpd's string escapes as its read_string() takes them:
 * \ooo octal only from \0-\3 and always three digits, \xHH, \t \n \r
 * \b, \c for any other c (so \4-\9 are the digit).  A shorter octal
 * escape ("\108", "\1") is refused, -2: dhcpd warns "invalid octal
 * digit" and reads garbage for the rest of the string.
 */
static int
str_unquote(const char *s, size_t n, uint8_t *out, size_t max, size_t *olen)
{
	size_t i, o = 0;
	int v, k;

	if (n < 2 || s[0] != '"' || s[n - 1] != '"')
		return -1;
	for (i = 1; i < n - 1; i++) {
		if (o == max)
			return -1;
		if (s[i] != '\\') {
			out[o++] = (uint8_t)s[i];
			continue;
		}
		if (++i >= n - 1)
			return -1;
		if (s[i] >= '0' && s[i] <= '3') {
			for (v = 0, k = 0; k < 3 && i < n - 1 && s[i] >= '0' &&
			    s[i] <= '7'; k++, i++)
				v = v * 8 + (s[i] - '0');
			i--;
			if (k < 3)
				return -2;
			out[o++] = (uint8_t)v;
		} else if (s[i] == 'x') {
			size_t got;
			if (i + 2 >= n - 1 || lease_hex_parse(s + i + 1, 2,
			    out + o, 1, &got, 0) == -1)
				return -1;
			o++;
			i += 2;
		} else if (s[i] == 't')
			out[o++] = '\t';
		else if (s[i] == 'n')
			out[o++] = '\n';
		else if (s[i] == 'r')
			out[o++] = '\r';
		else if (s[i] == 'b')
			out[o++] = '\b';
		else
			out[o++] = (uint8_t)s[i];
	}
	*olen = o;
	return 0;
}

/* "W YYYY/MM/DD HH:MM:SS", "epoch N" or "never", then ';'. */
static int
parse_date(struct lx *x, const char *what, int64_t *out)
{
	unsigned y, mo, d, h, mi, s;
	char tmp[64];
	int64_t t;
	int n;

	if (lx_next(x) < 0)
		return -1;
	if (lx_is(x, TK_WORD, "never")) {
		*out = LEASE_T_NEVER;
	} else if (lx_is(x, TK_WORD, "epoch")) {
		if (lx_next(x) != TK_WORD || x->tl > 15)
			return lx_error(x, "%s: bad epoch", what);
		for (t = 0, n = 0; (size_t)n < x->tl; n++) {
			if (x->ts[n] < '0' || x->ts[n] > '9')
				return lx_error(x, "%s: bad epoch", what);
			t = t * 10 + (x->ts[n] - '0');
		}
		*out = t;
	} else if (x->t == TK_WORD && x->tl == 1 && *x->ts >= '0' &&
	    *x->ts <= '6') {
		if (lx_next(x) != TK_WORD || x->tl > 10)
			return lx_error(x, "%s: bad date", what);
		memcpy(tmp, x->ts, x->tl);
		tmp[x->tl] = ' ';
		n = (int)x->tl + 1;
		if (lx_next(x) != TK_WORD || x->tl > 8)
			return lx_error(x, "%s: bad time", what);
		memcpy(tmp + n, x->ts, x->tl);
		tmp[n + (int)x->tl] = '\0';
		/* sscanf's %u takes signs and blanks: "-024" is no year */
		if (strspn(tmp, "0123456789/: ") != strlen(tmp) ||
		    strstr(tmp, "  ") != NULL || tmp[0] == ' ')
			return lx_error(x, "%s: bad date \"%s\"", what, tmp);
		if (sscanf(tmp, "%4u/%2u/%2u %2u:%2u:%2u%n", &y, &mo, &d, &h,
		    &mi, &s, &n) != 6 || tmp[n] != '\0' || mo < 1 || mo > 12 ||
		    d < 1 || d > 31 || h > 23 || mi > 59 || s > 60 || y < 1970)
			return lx_error(x, "%s: bad date \"%s\"", what, tmp);
		*out = lease_days_from_civil(y, mo, d) * 86400 + h * 3600 +
		    mi * 60 + s;
	} else
		return lx_error(x, "%s: expected a date, got \"%.*s\"", what,
		    x->tl > 32 ? 32 : (int)x->tl, x->ts);
	return lx_expect(x, TK_PUNCT, ";", what);
}

static int
parse_state(struct lx *x, const char *what, uint8_t *out)
{
	int s;

	if (lx_expect(x, TK_WORD, "state", what) == -1 || lx_next(x) < 0)
		return -1;
	if (x->t != TK_WORD || (s = lease_state_parse(x->ts, x->tl)) < 0)
		return lx_error(x, "%s: unknown state \"%.*s\"", what,
		    x->tl > 32 ? 32 : (int)x->tl, x->ts);
	*out = (uint8_t)s;
	return lx_expect(x, TK_PUNCT, ";", what);
}

static int
parse_hardware(struct lx *x, struct lease *l)
{
	size_t got;

	if (lx_next(x) < 0)
		return -1;
	if (x->t != TK_WORD || lease_hwtype_parse(x->ts, x->tl, l) == -1)
		return lx_bad(x, "hardware: unknown type");
	if (lx_next(x) < 0)
		return -1;
	/* a type with no address: dhcpd writes "hardware ethernet ;" */
	if (lx_is(x, TK_PUNCT, ";")) {
		l->l_hwlen = 0;
		return 0;
	}
	if (x->t != TK_WORD || lease_hex_parse(x->ts, x->tl, l->l_hw,
	    LEASE_HW_MAX, &got, 1) == -1)
		return lx_error(x, "hardware: bad address \"%.*s\"",
		    x->tl > 64 ? 64 : (int)x->tl, x->ts);
	l->l_hwlen = (uint8_t)got;
	return lx_expect(x, TK_PUNCT, ";", "hardware");
}

/* A host name dhcpd reads unquoted: letters, digits, '-', '_', '.'. */
static int
host_word(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' &&
		    s[i] <= 'Z') || (s[i] >= '0' && s[i] <= '9') ||
		    s[i] == '-' || s[i] == '_' || s[i] == '.'))
			return 0;
	return n > 0;
}

/*
 * A quoted string, or a word: colon hex for uid (lease-id-format hex),
 * a bare host name for client-hostname (never hex: "ab" is a name).
 * Empty only where empty_ok: dhcpd 4.2 wrote uid ""; for some clients,
 * reads it back as no uid and writes none.
 */
static int
parse_bytes(struct lx *x, const char *what, uint8_t *out, size_t max,
    uint16_t *olen, int hostname, int empty_ok)
{
	size_t got;
	int rc;

	if (lx_next(x) < 0)
		return -1;
	if (x->t == TK_STRING) {
		if ((rc = str_unquote(x->ts, x->tl, out, max, &got)) == -2)
			return lx_error(x, "%s: octal escape shorter than "
			    "dhcpd reads (\\ and three digits)", what);
		if (rc < 0)
			return lx_error(x, "%s: bad string or longer than %zu "
			    "bytes", what, max);
	} else if (x->t == TK_WORD && hostname && host_word(x->ts, x->tl)) {
		if (x->tl > max)
			return lx_error(x, "%s: longer than %zu bytes", what,
			    max);
		memcpy(out, x->ts, x->tl);
		got = x->tl;
	} else if (x->t != TK_WORD ||
	    lease_hex_parse(x->ts, x->tl, out, max, &got, 1) == -1)
		return lx_error(x, "%s: expected a string", what);
	if (got == 0 && !(empty_ok && x->t == TK_STRING))
		return lx_error(x, "%s: empty", what);
	*olen = (uint16_t)got;
	return lx_expect(x, TK_PUNCT, ";", what);
}

/* Not empty, and only letters, digits and the punctuation given. */
static int
word_of(const char *s, size_t n, const char *punct)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' &&
		    s[i] <= 'Z') || (s[i] >= '0' && s[i] <= '9') ||
		    (s[i] != '\0' && strchr(punct, s[i]))))
			return 0;
	return n > 0;
}

/* A word that may stand bare in an option value or a name. */
static int
word_safe(const char *s, size_t n)
{
	return word_of(s, n, "-_.:/+");
}

/*
 * A quoted string kept raw: dhcpd writes control bytes escaped, and
 * reads back at most LEASES_TOKEN_MAX bytes of it.
 */
static int
string_ok(const char *s, size_t n)
{
	uint8_t tmp[LEASES_TOKEN_MAX];
	size_t i, got;

	for (i = 0; i < n; i++)
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
			return 0;
	return str_unquote(s, n, tmp, sizeof(tmp), &got) == 0;
}

/*
 * A binding value as write_binding_scope() writes it: data as a string
 * (or colon hex), a number as %N, a boolean as true or false.
 */
static int
value_ok(struct lx *x)
{
	size_t i = 1, got;
	uint8_t tmp[LEASES_TOKEN_MAX];

	if (x->t == TK_STRING)
		return string_ok(x->ts, x->tl);
	if (x->t != TK_WORD)
		return 0;
	if (lx_is(x, TK_WORD, "true") || lx_is(x, TK_WORD, "false"))
		return 1;
	if (x->ts[0] == '%') {
		if (i < x->tl && x->ts[i] == '-')
			i++;
		if (i == x->tl || x->tl - i > 19)
			return 0;
		for (; i < x->tl; i++)
			if (x->ts[i] < '0' || x->ts[i] > '9')
				return 0;
		return 1;
	}
	return lease_hex_parse(x->ts, x->tl, tmp, sizeof(tmp), &got, 1) == 0 &&
	    got > 0;
}

/*
 * The statements kept verbatim in l_extra, one per line: tokens joined
 * by one space (';' by none), so parsing what leases_format() wrote
 * gives the same bytes back.
 */
struct stmt {
	struct lx *x;
	struct lease *l;
	size_t	 start, off;
};

static int
stmt_put(struct stmt *st)
{
	struct lx *x = st->x;
	int sp = st->off > st->start && !lx_is(x, TK_PUNCT, ";");

	if (x->t == TK_STRING && !string_ok(x->ts, x->tl))
		return lx_error(x, "bad string (control character, bad "
		    "escape or longer than %d bytes)", LEASES_TOKEN_MAX);
	if (st->off + (size_t)sp + x->tl > LEASE_EXTRA_MAX)
		return lx_error(x, "set/option/on statements longer than %d "
		    "bytes in all", LEASE_EXTRA_MAX);
	if (sp)
		st->l->l_extra[st->off++] = ' ';
	memcpy(st->l->l_extra + st->off, x->ts, x->tl);
	st->off += x->tl;
	return 0;
}

/* Next token, which must be t (and s unless NULL), into the statement. */
static int
stmt_next(struct stmt *st, int t, const char *s, const char *what)
{
	struct lx *x = st->x;

	if (lx_next(x) < 0)
		return -1;
	if (x->t != t || (s && !lx_is(x, t, s)))
		return lx_error(x, "%s, got \"%.*s\"", what,
		    x->tl > 32 ? 32 : (int)x->tl, x->ts);
	return stmt_put(st);
}

/* set NAME = VALUE; and ddns-fwd-name VALUE; (no '=') */
static int
stmt_set(struct stmt *st, int equal)
{
	struct lx *x = st->x;

	if (equal) {
		if (stmt_next(st, TK_WORD, NULL, "set: expected a name") == -1)
			return -1;
		if (!word_safe(x->ts, x->tl))
			return lx_bad(x, "set: bad name");
		if (stmt_next(st, TK_PUNCT, "=", "set: expected '='") == -1)
			return -1;
	}
	if (lx_next(x) < 0)
		return -1;
	if (!value_ok(x))
		return lx_bad(x, "set: bad value");
	if (stmt_put(st) == -1)
		return -1;
	return stmt_next(st, TK_PUNCT, ";", "set: expected ';'");
}

/* option agent.NAME VALUE[, VALUE...]; as pretty_print_option() writes */
static int
stmt_option(struct stmt *st)
{
	struct lx *x = st->x;
	int n = 0;

	if (stmt_next(st, TK_WORD, NULL, "option: expected a name") == -1)
		return -1;
	if (!word_safe(x->ts, x->tl))
		return lx_bad(x, "option: bad name");
	for (;;) {
		if (lx_next(x) < 0)
			return -1;
		if (lx_is(x, TK_PUNCT, ";") && n > 0)
			return stmt_put(st);
		if (x->t == TK_WORD && !word_safe(x->ts, x->tl))
			return lx_bad(x, "option: bad value");
		if (x->t != TK_WORD && x->t != TK_STRING &&
		    !(lx_is(x, TK_PUNCT, ",") && n > 0))
			return lx_bad(x, "option: unexpected");
		if (stmt_put(st) == -1)
			return -1;
		n++;
	}
}

/*
 * A word of an executable statement as write_statements() prints them:
 * names, numbers, addresses, operators and parentheses.
 */
static int
on_word_safe(const char *s, size_t n)
{
	return word_of(s, n, "-_.:/+%()!&|~<>*");
}

/*
 * on expiry|commit|release [or ...] { STATEMENTS }: what dhcpd's
 * write_statements() prints, kept token by token; the braces must
 * balance.
 */
static int
stmt_on(struct stmt *st)
{
	struct lx *x = st->x;
	int depth = 0, events = 0;

	for (;;) {
		if (lx_next(x) < 0)
			return -1;
		if (lx_is(x, TK_PUNCT, "{"))
			break;
		if (!lx_is(x, TK_WORD, "expiry") && !lx_is(x, TK_WORD,
		    "commit") && !lx_is(x, TK_WORD, "release") &&
		    !(lx_is(x, TK_WORD, "or") && events > 0))
			return lx_bad(x, "on: unknown event");
		if (stmt_put(st) == -1)
			return -1;
		events++;
	}
	if (events == 0)
		return lx_error(x, "on: expected an event");
	for (;;) {
		if (x->t == TK_EOF)
			return lx_error(x, "on: unexpected end of file");
		if (lx_is(x, TK_PUNCT, "{") && ++depth > 16)
			return lx_error(x, "on: nested too deep");
		if (x->t == TK_WORD && !on_word_safe(x->ts, x->tl))
			return lx_bad(x, "on: unsupported word");
		if (stmt_put(st) == -1)
			return -1;
		if (lx_is(x, TK_PUNCT, "}") && --depth == 0)
			return 0;
		if (lx_next(x) < 0)
			return -1;
	}
}

/*
 * The statements dhcpd's write_lease() writes that dhcpsync carries
 * without looking inside: flags, bindings (set), relay agent options,
 * billing, event blocks.  Kept verbatim and written back as read.
 */
static int
parse_extra(struct lx *x, struct lease *l)
{
	struct stmt st = { x, l, l->l_extralen, l->l_extralen };
	int rc;

	if (st.start > 0) {
		if (st.start + 1 > LEASE_EXTRA_MAX)
			return lx_error(x, "set/option/on statements longer "
			    "than %d bytes in all", LEASE_EXTRA_MAX);
		l->l_extra[st.start] = '\n';
		st.start = st.off = st.start + 1;
	}
	if (stmt_put(&st) == -1)
		return -1;
	if (lx_is(x, TK_WORD, "reserved") || lx_is(x, TK_WORD,
	    "dynamic-bootp") || lx_is(x, TK_WORD, "abandoned"))
		rc = stmt_next(&st, TK_PUNCT, ";", "expected ';'");
	else if (lx_is(x, TK_WORD, "set"))
		rc = stmt_set(&st, 1);
	else if (lx_is(x, TK_WORD, "ddns-fwd-name") || lx_is(x, TK_WORD,
	    "ddns-rev-name"))
		rc = stmt_set(&st, 0);
	else if (lx_is(x, TK_WORD, "client-hostname"))	/* the empty one */
		rc = stmt_next(&st, TK_STRING, "\"\"", "client-hostname: "
		    "expected \"\"") == -1 ? -1 : stmt_next(&st, TK_PUNCT, ";",
		    "expected ';'");
	else if (lx_is(x, TK_WORD, "option") || lx_is(x, TK_WORD,
	    "supersede"))
		rc = stmt_option(&st);
	else if (lx_is(x, TK_WORD, "on"))
		rc = stmt_on(&st);
	else if (lx_is(x, TK_WORD, "billing")) {
		/* billing class "C"; or billing subclass "C" DATA; */
		if (lx_next(x) < 0 || (!lx_is(x, TK_WORD, "class") &&
		    !lx_is(x, TK_WORD, "subclass")))
			return x->t < 0 ? -1 : lx_error(x, "billing: expected "
			    "class or subclass");
		rc = lx_is(x, TK_WORD, "subclass");
		if (stmt_put(&st) == -1 || stmt_next(&st, TK_STRING, NULL,
		    "billing: expected a class name") == -1)
			return -1;
		if (rc) {
			if (lx_next(x) < 0)
				return -1;
			if (!(x->t == TK_STRING || (x->t == TK_WORD &&
			    word_safe(x->ts, x->tl))))
				return lx_error(x, "billing: bad subclass");
			if (stmt_put(&st) == -1)
				return -1;
		}
		rc = stmt_next(&st, TK_PUNCT, ";", "billing: expected ';'");
	} else if (lx_is(x, TK_WORD, "class")) {
		if (lx_next(x) < 0)
			return -1;
		if (!(x->t == TK_STRING || (x->t == TK_WORD &&
		    word_safe(x->ts, x->tl))))
			return lx_error(x, "class: bad name");
		rc = stmt_put(&st) == -1 ? -1 : stmt_next(&st, TK_PUNCT, ";",
		    "class: expected ';'");
	} else
		return lx_bad(x, "lease: unknown statement");
	if (rc == -1)
		return -1;
	l->l_extralen = (uint16_t)st.off;
	return 0;
}

static int
parse_lease_stmt(struct lx *x, struct lease *l)
{
	size_t i;

	for (i = 0; i < LEASE_NTIMES; i++)
		if (lx_is(x, TK_WORD, lease_time_names[i]))
			return parse_date(x, lease_time_names[i],
			    &l->l_times[i]);
	if (lx_is(x, TK_WORD, "binding"))
		return parse_state(x, "binding state", &l->l_state);
	if (lx_is(x, TK_WORD, "next"))
		return lx_expect(x, TK_WORD, "binding", "next binding state")
		    ? -1 : parse_state(x, "next binding state", &l->l_next);
	if (lx_is(x, TK_WORD, "rewind"))
		return lx_expect(x, TK_WORD, "binding", "rewind binding state")
		    ? -1 : parse_state(x, "rewind binding state",
		    &l->l_rewind);
	if (lx_is(x, TK_WORD, "hardware"))
		return parse_hardware(x, l);
	if (lx_is(x, TK_WORD, "uid"))
		return parse_bytes(x, "uid", l->l_uid, LEASE_UID_MAX,
		    &l->l_uidlen, 0, 1);
	if (lx_is(x, TK_WORD, "client-hostname")) {
		struct lx peek = *x;

		/* dhcpd reads an empty one and writes it back: kept as read */
		if (lx_next(&peek) == TK_STRING && peek.tl == 2)
			return parse_extra(x, l);
		return parse_bytes(x, "client-hostname", l->l_host,
		    LEASE_HOST_MAX, &l->l_hostlen, 1, 0);
	}
	if (x->t == TK_WORD)
		return parse_extra(x, l);
	if (x->t == TK_EOF)
		return lx_error(x, "lease: unexpected end of file");
	return lx_bad(x, "lease: unexpected");
}

static int
parse_lease(struct lx *x, struct lease *l, int *have_addr)
{
	uint32_t a;

	*have_addr = 0;
	if (lx_next(x) < 0)
		return -1;
	if (x->t != TK_WORD || lease_addr_parse(x->ts, x->tl, &a) == -1)
		return lx_bad(x, "lease: bad IPv4 address");
	lease_init(l, a);
	*have_addr = 1;
	if (lx_expect(x, TK_PUNCT, "{", "lease") == -1)
		return -1;
	for (;;) {
		if (lx_next(x) < 0)
			return -1;
		if (lx_is(x, TK_PUNCT, "}"))
			return 0;
		if (parse_lease_stmt(x, l) == -1)
			return -1;
	}
}

/* Statements dhcpd keeps for itself: skipped up to ';' or a whole block. */
static int
skip_stmt(struct lx *x, const char *what)
{
	int depth = 0;

	for (;;) {
		if (lx_next(x) < 0)
			return -1;
		if (x->t == TK_EOF)
			return lx_error(x, "%s: unexpected end of file", what);
		if (lx_is(x, TK_PUNCT, "{"))
			depth++;
		else if (lx_is(x, TK_PUNCT, "}")) {
			if (--depth < 0)
				return lx_error(x, "%s: unbalanced '}'", what);
			if (depth == 0)
				return 0;
		} else if (lx_is(x, TK_PUNCT, ";") && depth == 0)
			return 0;
	}
}

/*
 * From a statement's start, past its end: the ';' ending it or the '}'
 * closing its block, over strings (dhcpd's may span lines) and comments.
 * 0, or -1: cut (a buffer still being written) or err set.
 */
static int
lx_resync(struct lx *x, const char *from, int line)
{
	const char *p = from;
	int depth = 0, opened = 0;

	x->p = from;
	x->line = x->tline = line;
	for (; p < x->end && p - from <= LEASES_STMT_MAX; p++) {
		if (*p == '\n')
			x->line++;
		else if (*p == '#') {
			while (p + 1 < x->end && p[1] != '\n')
				p++;
		} else if (*p == '"') {
			for (p++; p < x->end && *p != '"'; p++) {
				if (*p == '\\' && p + 1 < x->end)
					p++;
				if (*p == '\n')
					x->line++;
			}
			if (p == x->end)
				break;
		} else if (*p == '{') {
			depth++;
			opened = 1;
		} else if (*p == '}') {
			if (--depth < 0) {
				x->tline = x->line;
				return lx_error(x, "'}' closes nothing");
			}
			if (depth == 0) {
				x->p = p + 1;
				return 0;
			}
		} else if (*p == ';' && depth == 0 && !opened) {
			x->p = p + 1;
			return 0;
		}
	}
	if (p - from > LEASES_STMT_MAX)
		return lx_error(x, "no end of this statement within %d bytes",
		    LEASES_STMT_MAX);
	if (!x->final) {
		x->cut = 1;
		return -1;
	}
	return lx_error(x, "%s", depth > 0 ? "no '}' closes this block" :
	    "unexpected end of file");
}

int
leases_parse(const char *buf, size_t len, const char *file, int line0,
    int final, leases_cb cb, leases_skip_cb skip, void *arg, size_t *used,
    int *lines, char *err, size_t errlen)
{
	struct lx x = { buf, buf + len, file, line0, final, 0, err, errlen,
	    0, NULL, 0, line0 };
	struct leases_skip sk;
	struct lease l;
	const char *stmt;
	char why[256];
	int sline, tline, rc, islease, have;

	*used = 0;
	*lines = line0;
	for (;;) {
		stmt = x.p;
		sline = x.line;
		if (lx_next(&x) == TK_EOF) {
			if (x.cut)	/* only comments or space left */
				break;
			*used = len;
			*lines = x.line;
			return 0;
		}
		tline = x.tline;
		islease = have = 0;
		if (lx_is(&x, TK_WORD, "lease")) {
			islease = 1;
			rc = parse_lease(&x, &l, &have);
		} else if (lx_is(&x, TK_WORD, "server-duid"))
			rc = skip_stmt(&x, "server-duid");
		else if (lx_is(&x, TK_WORD, "authoring-byte-order"))
			rc = skip_stmt(&x, "authoring-byte-order");
		else if (lx_is(&x, TK_WORD, "failover"))
			rc = skip_stmt(&x, "failover peer");
		else if (lx_is(&x, TK_WORD, "host") || lx_is(&x, TK_WORD,
		    "group") || lx_is(&x, TK_WORD, "class") ||
		    lx_is(&x, TK_WORD, "subclass"))
			rc = skip_stmt(&x, "declaration");	/* OMAPI's */
		else if (lx_is(&x, TK_WORD, "ia-na") || lx_is(&x, TK_WORD,
		    "ia-ta") || lx_is(&x, TK_WORD, "ia-pd"))
			rc = lx_error(&x, "%.*s: a DHCPv6 lease (dhcpd -6): "
			    "dhcpsync replicates DHCPv4 leases only",
			    (int)x.tl, x.ts);
		else if (x.t < 0)
			rc = -1;
		else
			rc = lx_error(&x, "unknown statement \"%.*s\"",
			    x.tl > 32 ? 32 : (int)x.tl, x.ts);
		if (x.cut)
			break;
		if (rc == -1 && skip != NULL) {
			/* step over it; only text with no end stops us */
			snprintf(why, sizeof(why), "%s", err);
			if (lx_resync(&x, stmt, sline) == -1) {
				if (x.cut)
					break;
				return -1;
			}
			sk.ls_lease = islease;
			sk.ls_have_addr = have;
			sk.ls_addr = have ? l.l_addr : 0;
			sk.ls_line = tline;
			sk.ls_why = why;
			if (skip(&sk, (size_t)(x.p - buf), arg) != 0)
				return errbuf_set(err, errlen, "%s:%d: "
				    "rejected", file, tline);
			*used = (size_t)(x.p - buf);
			*lines = x.line;
			continue;
		}
		if (rc == -1)
			return -1;
		if (x.p - stmt > LEASES_STMT_MAX) {
			x.tline = sline;
			return lx_error(&x, "statement too long");
		}
		if (islease && cb(&l, (size_t)(x.p - buf), arg) != 0)
			return errbuf_set(err, errlen, "%s:%d: lease: rejected",
			    file, sline);
		*used = (size_t)(x.p - buf);
		*lines = x.line;
	}
	/* A statement cut off by the end of a file still being written. */
	if (x.p - stmt > LEASES_STMT_MAX) {
		x.cut = 0;
		x.tline = sline;
		return lx_error(&x, "statement too long");
	}
	*used = (size_t)(stmt - buf);
	*lines = sline;
	return 0;
}
