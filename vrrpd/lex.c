/* SPDX-License-Identifier: ISC */
/*
 * keepalived.conf into tokens: words, "quoted strings" and braces, each
 * with its file and line.  Before the words, each line goes through
 * keepalived's config language (keepalived.conf(5), ADVANCED
 * CONFIGURATION), in keepalived's order: comments from '#' or '!' off,
 * "include PATTERN" spliced in place (seen on the raw line, as keepalived),
 * "@id"/"@^id" lines kept or dropped against the config id, "$NAME=value"
 * definitions (multiline with '\\'), "$NAME"/"${NAME}" replaced (the
 * result is read again as lines), and ~SEQ/~SEQx/~LST repeating the rest
 * of a line.  Every expansion is bounded in depth and in lines made.
 */
#include <ctype.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parse.h"

/* --- messages ---------------------------------------------------------- */

static void __attribute__((format(printf, 5, 0)))
cfg_vmsg(struct parser *p, int file, int line, int warn, const char *fmt,
    va_list ap)
{
	char msg[512];
	int n;

	if (!warn)
		p->p_nerr++;
	if (p->p_err == NULL || p->p_erroff + 1 >= p->p_errlen)
		return;
	vsnprintf(msg, sizeof(msg), fmt, ap);
	n = snprintf(p->p_err + p->p_erroff, p->p_errlen - p->p_erroff,
	    "%s:%d: %s%s%s\n",
	    file >= 0 && file < p->p_cf->cf_nfiles ?
	    p->p_cf->cf_files[file] : "(config)", line,
	    warn ? "warning: " : "", p->p_ctx, msg);
	if (n > 0)
		p->p_erroff += (size_t)n;
	if (p->p_erroff >= p->p_errlen)
		p->p_erroff = p->p_errlen - 1;
}

void
cfg_err(struct parser *p, const struct tok *t, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	cfg_vmsg(p, t ? t->t_file : -1, t ? t->t_line : 0, 0, fmt, ap);
	va_end(ap);
}

void
cfg_warn(struct parser *p, const struct tok *t, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	cfg_vmsg(p, t ? t->t_file : -1, t ? t->t_line : 0, 1, fmt, ap);
	va_end(ap);
}

/* --- tokens ------------------------------------------------------------ */

static int
lex_push(struct parser *p, const char *s, size_t n, int file, int line,
    int quoted, int bol)
{
	struct tok *nt;
	char *text;

	if (p->p_ntok == p->p_cap) {
		size_t cap = p->p_cap ? p->p_cap * 2 : 256;

		if (cap > TOKS_MAX)
			return -1;
		if ((nt = realloc(p->p_toks, cap * sizeof(*nt))) == NULL)
			return -1;
		p->p_toks = nt;
		p->p_cap = cap;
	}
	if ((text = malloc(n + 1)) == NULL)
		return -1;
	memcpy(text, s, n);
	text[n] = '\0';
	p->p_toks[p->p_ntok++] = (struct tok){ text, file, line, quoted, bol };
	return 0;
}

/* One logical line (comments already off) into words. */
static int
lex_words(struct parser *p, int file, int line, const char *s)
{
	struct tok at = { NULL, file, line, 0, 0 };
	char word[TOK_MAX];
	size_t wl, i = 0, start, len = strlen(s);
	int bol = 1, quoted;

	while (i < len) {
		char c = s[i];

		if (isspace((unsigned char)c)) {
			i++;
			continue;
		}
		wl = 0;
		quoted = 0;
		if (c == '{' || c == '}') {
			word[wl++] = c;
			i++;
		} else if (c == '"') {
			quoted = 1;
			for (i++; i < len && s[i] != '"'; i++) {
				if (s[i] == '\\' && i + 1 < len &&
				    (s[i + 1] == '"' || s[i + 1] == '\\'))
					i++;
				if (wl + 1 >= sizeof(word))
					break;
				word[wl++] = s[i];
			}
			if (i >= len || s[i] != '"') {
				cfg_err(p, &at, "unterminated quoted string");
				return 0;
			}
			i++;
		} else {
			start = i;
			while (i < len && !isspace((unsigned char)s[i]) &&
			    s[i] != '{' && s[i] != '}') {
				/* an undefined ${NAME} stays one word */
				if (s[i] == '$' && s[i + 1] == '{' &&
				    strchr(s + i, '}') != NULL)
					i = (size_t)(strchr(s + i, '}') - s);
				i++;
			}
			wl = i - start;
			if (wl >= sizeof(word)) {
				cfg_err(p, &at, "word longer than %d bytes",
				    TOK_MAX - 1);
				continue;
			}
			memcpy(word, s + start, wl);
		}
		word[wl] = '\0';
		if (lex_push(p, word, wl, file, line, quoted, bol) == -1) {
			cfg_err(p, &at, "out of memory or too many words");
			return -1;
		}
		bol = 0;
	}
	return 0;
}

/* Cuts a line at '#' or '!' outside double quotes. */
static void
lex_uncomment(char *s)
{
	int q = 0;

	for (; *s; s++) {
		if (q && *s == '\\' && s[1] != '\0')
			s++;
		else if (*s == '"')
			q = !q;
		else if (!q && (*s == '#' || *s == '!')) {
			*s = '\0';
			return;
		}
	}
}

static void
lex_rtrim(char *s)
{
	size_t n = strlen(s);

	while (n > 0 && isspace((unsigned char)s[n - 1]))
		s[--n] = '\0';
}

/* --- $NAME definitions --------------------------------------------------- */

static size_t
lex_name_len(const char *s)
{
	size_t n = 0;

	if (!isalpha((unsigned char)s[0]) && s[0] != '_')
		return 0;
	while (isalnum((unsigned char)s[n]) || s[n] == '_')
		n++;
	return n;
}

static struct lex_def *
lex_def_find(struct parser *p, const char *name, size_t n)
{
	int i;

	for (i = 0; i < p->p_ndefs; i++)
		if (strncmp(p->p_defs[i].d_name, name, n) == 0 &&
		    p->p_defs[i].d_name[n] == '\0')
			return &p->p_defs[i];
	return NULL;
}

static int
lex_def_set(struct parser *p, const struct tok *at, const char *name,
    size_t n, const char *val)
{
	struct lex_def *d, *nd;
	char *v;

	if ((v = strdup(val)) == NULL)
		goto oom;
	if ((d = lex_def_find(p, name, n)) != NULL) {
		free(d->d_val);
		d->d_val = v;
		return 0;
	}
	if (p->p_ndefs >= DEFS_MAX) {
		free(v);
		cfg_err(p, at, "$%.*s: more than %d definitions", (int)n, name,
		    DEFS_MAX);
		return -1;
	}
	if ((nd = realloc(p->p_defs, (p->p_ndefs + 1) * sizeof(*nd))) == NULL) {
		free(v);
		goto oom;
	}
	p->p_defs = nd;
	d = &p->p_defs[p->p_ndefs];
	if ((d->d_name = strndup(name, n)) == NULL) {
		free(v);
		goto oom;
	}
	d->d_val = v;
	p->p_ndefs++;
	return 0;
oom:
	cfg_err(p, at, "$%.*s: out of memory", (int)n, name);
	return -1;
}

/* Adds text to the multiline definition being read. */
static int
lex_ml_add(struct parser *p, const struct tok *at, const char *s)
{
	size_t n = strlen(s), need = p->p_ml_len + n + 2;
	char *v;

	if (need > LINE_LEN) {
		cfg_err(p, at, "$%s: definition longer than %d bytes",
		    p->p_ml_name, LINE_LEN);
		return -1;
	}
	if ((v = realloc(p->p_ml_val, need)) == NULL) {
		cfg_err(p, at, "$%s: out of memory", p->p_ml_name);
		return -1;
	}
	p->p_ml_val = v;
	if (p->p_ml_len > 0)
		v[p->p_ml_len++] = '\n';
	memcpy(v + p->p_ml_len, s, n + 1);
	p->p_ml_len += n;
	return 0;
}

static void
lex_ml_end(struct parser *p, const struct tok *at, int keep)
{
	if (keep && p->p_ml_name)
		lex_def_set(p, at, p->p_ml_name, strlen(p->p_ml_name),
		    p->p_ml_val ? p->p_ml_val : "");
	free(p->p_ml_name);
	free(p->p_ml_val);
	p->p_ml_name = p->p_ml_val = NULL;
	p->p_ml_len = 0;
}

/*
 * "$NAME=value" at the start of a line: 1 when it was one (a trailing
 * '\' starts a multiline value, read by lex_buf), 0 when not.
 */
static int
lex_define(struct parser *p, const struct tok *at, char *s)
{
	size_t n, vl;
	char *val;

	if (s[0] != '$' || (n = lex_name_len(s + 1)) == 0 || s[1 + n] != '=')
		return 0;
	val = s + n + 2;
	while (isspace((unsigned char)*val))
		val++;
	lex_rtrim(val);
	vl = strlen(val);
	if (vl > 0 && val[vl - 1] == '\\') {
		val[--vl] = '\0';
		lex_rtrim(val);
		lex_ml_end(p, at, 0);
		if ((p->p_ml_name = strndup(s + 1, n)) == NULL) {
			cfg_err(p, at, "out of memory");
			return 1;
		}
		if (*val)
			lex_ml_add(p, at, val);
		return 1;
	}
	lex_def_set(p, at, s + 1, n, val);
	return 1;
}

/* --- substitution -------------------------------------------------------- */

struct lex_out {
	char	*o_buf;
	size_t	 o_len, o_cap;
	int	 o_full;
};

static void
lex_put(struct lex_out *o, const char *s, size_t n)
{
	size_t cap;
	char *b;

	if (o->o_full)
		return;
	if (o->o_len + n + 1 > LINE_LEN) {
		o->o_full = 1;
		return;
	}
	if (o->o_len + n + 1 > o->o_cap) {
		cap = o->o_cap ? o->o_cap : 256;
		while (cap < o->o_len + n + 1)
			cap *= 2;
		if ((b = realloc(o->o_buf, cap)) == NULL) {
			o->o_full = 1;
			return;
		}
		o->o_buf = b;
		o->o_cap = cap;
	}
	memcpy(o->o_buf + o->o_len, s, n);
	o->o_len += n;
	o->o_buf[o->o_len] = '\0';
}

/* keepalived's pre-defined names: 1 when name (args) is one of them. */
static int
lex_predef(struct parser *p, const char *name, size_t n, const char *args,
    struct lex_out *o)
{
	char num[32];
	long lo = 0, hi = 32767;
	unsigned long span;
	char *end;

	if (n == 4 && strncmp(name, "_PWD", n) == 0)
		lex_put(o, p->p_pwd, strlen(p->p_pwd));
	else if (n == 9 && strncmp(name, "_INSTANCE", n) == 0)
		lex_put(o, p->p_cf->cf_config_id,
		    strlen(p->p_cf->cf_config_id));
	else if (n == 5 && strncmp(name, "_HASH", n) == 0)
		lex_put(o, "#", 1);
	else if (n == 5 && strncmp(name, "_BANG", n) == 0)
		lex_put(o, "!", 1);
	else if (n == 7 && strncmp(name, "_RANDOM", n) == 0) {
		if (args && *args) {
			lo = strtol(args, &end, 10);
			if (*end)
				hi = strtol(end, NULL, 10);
		}
		if (hi < lo)
			hi = lo;
		/* unsigned: hi - lo + 1 overflows a long for 0 LONG_MAX */
		span = (unsigned long)hi - (unsigned long)lo;
		snprintf(num, sizeof(num), "%ld", (long)((unsigned long)lo +
		    (span == ULONG_MAX ? (unsigned long)random() :
		    (unsigned long)random() % (span + 1))));
		lex_put(o, num, strlen(num));
	} else
		return 0;
	return 1;
}

/*
 * Replaces "$NAME" followed by a blank or the end, and "${NAME}", by their
 * values; an undefined name stays as it is (keepalived leaves a '$' in a
 * script alone).  Returns the count of replacements, -1 when too long.
 */
static int
lex_subst(struct parser *p, const char *s, struct lex_out *o)
{
	const char *q, *name, *args, *close;
	struct lex_def *d;
	size_t n, an;
	char abuf[64];
	int count = 0, brace;

	while ((q = strchr(s, '$')) != NULL) {
		lex_put(o, s, (size_t)(q - s));
		brace = q[1] == '{';
		name = q + 1 + brace;
		n = lex_name_len(name);
		args = NULL;
		close = name + n;
		if (brace && n > 0 && *close == ' ') {
			/* ${_RANDOM MIN MAX} */
			args = close + 1;
			close = strchr(args, '}');
		}
		if (n == 0 || close == NULL || (brace && *close != '}') ||
		    (!brace && *close != '\0' &&
		    !isspace((unsigned char)*close))) {
			lex_put(o, q, 1);
			s = q + 1;
			continue;
		}
		an = args ? (size_t)(close - args) : 0;
		snprintf(abuf, sizeof(abuf), "%.*s", (int)an, args ? args : "");
		if ((d = lex_def_find(p, name, n)) != NULL)
			lex_put(o, d->d_val, strlen(d->d_val));
		else if (!lex_predef(p, name, n, args ? abuf : NULL, o)) {
			lex_put(o, q, 1);
			s = q + 1;
			continue;
		}
		count++;
		s = close + brace;
	}
	lex_put(o, s, strlen(s));
	if (o->o_buf == NULL)
		lex_put(o, "", 0);
	return o->o_full ? -1 : count;
}

/* --- lines --------------------------------------------------------------- */

static void	lex_line(struct parser *, int, int, char *, int);

/* Each '\n'-separated line of text, read again one level deeper. */
static void
lex_lines(struct parser *p, int file, int line, char *text, int depth)
{
	char *nl;

	for (;;) {
		if ((nl = strchr(text, '\n')) != NULL)
			*nl = '\0';
		lex_line(p, file, line, text, depth + 1);
		if (nl == NULL)
			break;
		text = nl + 1;
	}
}

/* "@id rest" / "@^id rest": NULL when the line is not for this id. */
static char *
lex_cond(struct parser *p, char *s)
{
	int neg = s[1] == '^', match;
	char *id = s + 1 + neg, *e = id;

	while (*e && !isspace((unsigned char)*e))
		e++;
	match = strlen(p->p_cf->cf_config_id) == (size_t)(e - id) &&
	    strncmp(id, p->p_cf->cf_config_id, (size_t)(e - id)) == 0;
	if (match == neg)
		return NULL;
	while (isspace((unsigned char)*e))
		e++;
	return e;
}

/* Splits "a, {b, c}, d" at top-level commas; returns the count. */
static int
lex_split(char *s, char **v, int max)
{
	int n = 0, depth = 0;

	v[n++] = s;
	for (; *s; s++) {
		if (*s == '{')
			depth++;
		else if (*s == '}')
			depth--;
		else if (*s == ',' && depth == 0) {
			if (n == max)
				return -1;
			*s = '\0';
			v[n++] = s + 1;
		}
	}
	return n;
}

/* Trims blanks and one level of braces. */
static char *
lex_item(char *s)
{
	size_t n;

	while (isspace((unsigned char)*s))
		s++;
	lex_rtrim(s);
	n = strlen(s);
	if (n >= 2 && s[0] == '{' && s[n - 1] == '}') {
		s[n - 1] = '\0';
		s++;
	}
	return s;
}

#define SEQ_ARGS	64

static int
lex_setvar(struct parser *p, const struct tok *at, const char *var,
    const char *val)
{
	size_t n = lex_name_len(var);

	if (n == 0 || var[n] != '\0') {
		cfg_err(p, at, "~SEQ/~LST: \"%s\": not a variable name", var);
		return -1;
	}
	return lex_def_set(p, at, var, n, val);
}

/*
 * The rest of a ~SEQ/~LST line as a line of its own, on a copy: lexing
 * cuts up the text it reads, and the next value needs it whole.
 */
static int
lex_again(struct parser *p, const struct tok *at, const char *rest,
    int depth)
{
	char *copy;

	if ((copy = strdup(rest)) == NULL)
		return -1;
	lex_line(p, at->t_file, at->t_line, copy, depth + 1);
	free(copy);
	return 0;
}

/* ~LST(var, v1, v2...) or ~LST({a, b}, {1, 2}, {3, 4}): the rest per set. */
static void
lex_lst(struct parser *p, const struct tok *at, char **v, int n, char *rest,
    int depth)
{
	char *vars[SEQ_ARGS], *vals[SEQ_ARGS];
	int nv, i, j;

	if (n < 2) {
		cfg_err(p, at, "~LST: needs a variable and a value");
		return;
	}
	if ((nv = lex_split(lex_item(v[0]), vars, SEQ_ARGS)) < 1)
		return;
	for (i = 1; i < n; i++) {
		if (lex_split(lex_item(v[i]), vals, SEQ_ARGS) != nv) {
			cfg_err(p, at, "~LST: value %d has not %d parts", i,
			    nv);
			return;
		}
		for (j = 0; j < nv; j++)
			if (lex_setvar(p, at, lex_item(vars[j]),
			    lex_item(vals[j])) == -1)
				return;
		if (lex_again(p, at, rest, depth) == -1)
			return;
	}
}

static int
lex_num(struct parser *p, const struct tok *at, const char *s, long *out)
{
	char *end;

	*out = strtol(s, &end, 0);
	if (end == s || *end != '\0') {
		cfg_err(p, at, "~SEQ: \"%s\": not a number", s);
		return -1;
	}
	return 0;
}

/* ~SEQ(var, [start, [step,]] end): the rest of the line per value. */
static void
lex_seq(struct parser *p, const struct tok *at, int hex, char **v, int n,
    char *rest, int depth)
{
	long a[3], start, step, end, x;
	char val[32];
	int i;

	if (n < 2 || n > 4) {
		cfg_err(p, at, "~SEQ: takes (var, [start, [step,]] end)");
		return;
	}
	for (i = 1; i < n; i++)
		if (lex_num(p, at, lex_item(v[i]), &a[i - 1]) == -1)
			return;
	end = a[n - 2];
	start = n >= 3 ? a[0] : (end < 0 ? -1 : 1);
	step = n == 4 ? a[1] : (end < start ? -1 : 1);
	if (step == 0) {
		cfg_err(p, at, "~SEQ: step is 0");
		return;
	}
	for (x = start; step > 0 ? x <= end : x >= end; x += step) {
		snprintf(val, sizeof(val), hex ? "%lx" : "%ld", x);
		if (lex_setvar(p, at, lex_item(v[0]), val) == -1)
			return;
		if (p->p_expand_over)
			return;
		if (p->p_nexp++ >= EXPAND_LINES) {
			cfg_err(p, at, "~SEQ: more than %d lines made",
			    EXPAND_LINES);
			p->p_expand_over = 1;
			return;
		}
		if (lex_again(p, at, rest, depth) == -1)
			return;
	}
}

/* "~SEQ(...)", "~SEQx(...)" or "~LST(...)" starting s; 0 when not one. */
static int
lex_repeat(struct parser *p, const struct tok *at, char *s, int depth)
{
	char *open, *close, *v[SEQ_ARGS], *rest;
	int hex = 0, lst = 0, n, d = 0;

	if (strncmp(s, "~SEQx(", 6) == 0)
		hex = 1;
	else if (strncmp(s, "~LST(", 5) == 0)
		lst = 1;
	else if (strncmp(s, "~SEQ(", 5) != 0)
		return 0;
	open = strchr(s, '(');
	for (close = open + 1; *close; close++) {
		if (*close == '(')
			d++;
		else if (*close == ')' && d-- == 0)
			break;
	}
	if (*close != ')') {
		cfg_err(p, at, "%.4s: no closing ')'", s);
		return 1;
	}
	*close = '\0';
	rest = close + 1;
	if ((n = lex_split(open + 1, v, SEQ_ARGS)) == -1) {
		cfg_err(p, at, "%.4s: more than %d arguments", s, SEQ_ARGS);
		return 1;
	}
	if (lst)
		lex_lst(p, at, v, n, rest, depth);
	else
		lex_seq(p, at, hex, v, n, rest, depth);
	return 1;
}

/*
 * One line after comments and includes: conditionals, definitions,
 * substitution (whose result is read again), repeats, then words.
 */
static void
lex_line(struct parser *p, int file, int line, char *s, int depth)
{
	struct tok at = { NULL, file, line, 0, 0 };
	struct lex_out o = { NULL, 0, 0, 0 };
	int n;

	/*
	 * Once a limit is hit the config is refused: expanding on would
	 * repeat the error once per branch of a self-referring definition
	 * (and spend time exponential in its fan-out).
	 */
	if (depth > 0 && p->p_expand_over)
		return;
	if (depth > EXPAND_DEPTH) {
		cfg_err(p, &at, "$NAME or ~SEQ nested deeper than %d (a "
		    "definition using itself?)", EXPAND_DEPTH);
		p->p_expand_over = 1;
		return;
	}
	while (isspace((unsigned char)*s))
		s++;
	if (*s == '@' && (s = lex_cond(p, s)) == NULL)
		return;
	if (*s == '\0' || lex_define(p, &at, s) || lex_repeat(p, &at, s, depth))
		return;
	n = lex_subst(p, s, &o);
	if (n < 0)
		cfg_err(p, &at, "line longer than %d bytes after $NAME "
		    "substitution", LINE_LEN);
	else if (n > 0) {
		if (p->p_nexp++ >= EXPAND_LINES) {
			cfg_err(p, &at, "$NAME: more than %d lines made",
			    EXPAND_LINES);
			p->p_expand_over = 1;
		} else
			lex_lines(p, file, line, o.o_buf, depth);
	} else
		lex_words(p, file, line, s);
	free(o.o_buf);
}

/* --- files and includes -------------------------------------------------- */

static int
lex_file_index(struct parser *p, const char *name)
{
	struct config *cf = p->p_cf;
	int max = (int)(sizeof(cf->cf_files) / sizeof(cf->cf_files[0]));

	if (cf->cf_nfiles >= max)
		return max - 1;
	snprintf(cf->cf_files[cf->cf_nfiles], sizeof(cf->cf_files[0]), "%s",
	    name);
	return cf->cf_nfiles++;
}

static const char *const lex_includes[] = {
	"include", "includer", "includem", "includew", "includeb", "includea",
	NULL
};

/*
 * A pattern relative to the including file's directory, as keepalived
 * (it changes directory to each file it opens).
 */
static void
lex_include_path(struct parser *p, const char *pattern, char *out,
    size_t len)
{
	if (pattern[0] == '/' || strcmp(p->p_pwd, ".") == 0)
		snprintf(out, len, "%s", pattern);
	else
		snprintf(out, len, "%s/%s", p->p_pwd, pattern);
}

/*
 * Every file a pattern matches, read before any is lexed: an include
 * inside one of them reuses the callback (and its glob state).
 */
static void
lex_include(struct parser *p, const char *pattern, int file, int line,
    int depth)
{
	struct tok at = { NULL, file, line, 0, 0 };
	const char *name, *buf, *bufs[INCLUDE_MAX];
	char err[256], path[4096], *names[INCLUDE_MAX];
	size_t len, lens[INCLUDE_MAX];
	int idx, rc, n = 0, i;

	if (depth >= INCLUDE_DEPTH) {
		cfg_err(p, &at, "include \"%s\": nested deeper than %d",
		    pattern, INCLUDE_DEPTH);
		return;
	}
	if (p->p_inc == NULL) {
		cfg_err(p, &at, "include \"%s\": includes not allowed here",
		    pattern);
		return;
	}
	lex_include_path(p, pattern, path, sizeof(path));
	for (idx = 0;; idx++) {
		err[0] = '\0';
		rc = p->p_inc(p->p_arg, path, idx, &name, &buf, &len, err,
		    sizeof(err));
		if (rc < 0)
			cfg_err(p, &at, "include \"%s\": %s", pattern, err);
		if (rc != 1)
			break;
		if (n == INCLUDE_MAX || ++p->p_nincl > INCLUDE_MAX) {
			cfg_err(p, &at, "include \"%s\": more than %d files "
			    "included in all", pattern, INCLUDE_MAX);
			break;
		}
		if ((names[n] = strdup(name)) == NULL) {
			cfg_err(p, &at, "include \"%s\": out of memory",
			    pattern);
			break;
		}
		bufs[n] = buf;
		lens[n++] = len;
	}
	/* keepalived says so of a name (not a pattern), quotes and all */
	if (n == 0 && rc == 0 && strpbrk(pattern, "*?[") == NULL)
		cfg_warn(p, &at, "include %s: no such file (keepalived goes "
		    "on without it too; quotes are part of the name)",
		    pattern);
	for (i = 0; i < n; i++) {
		if (lex_buf(p, names[i], bufs[i], lens[i], depth + 1) == -1)
			n = i + 1;
		free(names[i]);
	}
}

/* "include PATTERN" (or a variant) on the raw line: 1 when it was. */
static int
lex_is_include(struct parser *p, const char *s, int file, int line,
    int depth)
{
	struct tok at = { NULL, file, line, 0, 0 };
	char kw[16], arg[TOK_MAX];

	arg[0] = '\0';
	if (sscanf(s, " %15s %1023s", kw, arg) < 1 || !kw_in(kw, lex_includes))
		return 0;
	if (arg[0] == '\0')
		cfg_err(p, &at, "%s: needs a file name", kw);
	else
		lex_include(p, arg, file, line, depth);
	return 1;
}

/* One physical line: a multiline definition's next line, or a line. */
static void
lex_physical(struct parser *p, int file, int line, char *s, int depth)
{
	struct tok at = { NULL, file, line, 0, 0 };
	size_t n;

	lex_uncomment(s);
	lex_rtrim(s);
	if (p->p_ml_name) {
		while (isspace((unsigned char)*s))
			s++;
		n = strlen(s);
		/* as keepalived, a blank line ends the definition too */
		if (n > 0 && s[n - 1] == '\\') {
			s[n - 1] = '\0';
			lex_rtrim(s);
			if (lex_ml_add(p, &at, s) == -1)
				lex_ml_end(p, &at, 0);
			return;
		}
		if (lex_ml_add(p, &at, s) == 0)
			lex_ml_end(p, &at, 1);
		else
			lex_ml_end(p, &at, 0);
		return;
	}
	if (lex_is_include(p, s, file, line, depth))
		return;
	lex_line(p, file, line, s, 0);
}

/* The directory of a file name, for ${_PWD} and relative includes. */
static char *
lex_dirname(const char *name)
{
	const char *slash = strrchr(name, '/');

	if (slash == NULL)
		return strdup(".");
	if (slash == name)
		return strdup("/");
	return strndup(name, (size_t)(slash - name));
}

int
lex_buf(struct parser *p, const char *name, const char *buf, size_t len,
    int depth)
{
	int file = lex_file_index(p, name), line = 0;
	struct tok at = { NULL, file, 0, 0, 0 };
	const char *saved = p->p_pwd, *nl;
	char *dir, *s;
	size_t i = 0, n;

	if ((dir = lex_dirname(name)) == NULL) {
		cfg_err(p, &at, "out of memory");
		return -1;
	}
	p->p_pwd = dir;
	while (i < len) {
		line++;
		nl = memchr(buf + i, '\n', len - i);
		n = nl ? (size_t)(nl - (buf + i)) : len - i;
		if ((s = malloc(n + 1)) == NULL) {
			at.t_line = line;
			cfg_err(p, &at, "out of memory");
			break;
		}
		memcpy(s, buf + i, n);
		s[n] = '\0';
		/* a NUL in the file ends nothing: read it as a blank */
		for (size_t j = 0; j < n; j++)
			if (s[j] == '\0')
				s[j] = ' ';
		lex_physical(p, file, line, s, depth);
		free(s);
		i += n + 1;
	}
	if (p->p_ml_name) {
		at.t_line = line;
		lex_ml_end(p, &at, 1);
	}
	p->p_pwd = saved;
	free(dir);
	return 0;
}

void
lex_free(struct parser *p)
{
	int i;

	for (i = 0; i < p->p_ndefs; i++) {
		free(p->p_defs[i].d_name);
		free(p->p_defs[i].d_val);
	}
	free(p->p_defs);
	lex_ml_end(p, NULL, 0);
}
