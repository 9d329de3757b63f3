/*
 * keepalived.conf into tokens: words, "quoted strings" and braces, each
 * with its file and line; comments from '#' or '!' dropped; "include
 * PATTERN" resolved through the caller's callback and spliced in place,
 * as keepalived does at the lexical level.
 */
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

/* --- lexer ------------------------------------------------------------- */

static int
lex_push(struct parser *p, const char *s, size_t n, int file, int line,
    int quoted)
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
	p->p_toks[p->p_ntok++] = (struct tok){ text, file, line, quoted };
	return 0;
}

static int
lex_file_index(struct parser *p, const char *name)
{
	struct config *cf = p->p_cf;

	if (cf->cf_nfiles >= (int)(sizeof(cf->cf_files) /
	    sizeof(cf->cf_files[0])))
		return (int)(sizeof(cf->cf_files) / sizeof(cf->cf_files[0])) - 1;
	snprintf(cf->cf_files[cf->cf_nfiles], sizeof(cf->cf_files[0]), "%s",
	    name);
	return cf->cf_nfiles++;
}

static void
lex_include(struct parser *p, const char *pattern, int file, int line,
    int depth)
{
	struct tok at = { NULL, file, line, 0 };
	const char *name, *buf;
	char err[256];
	size_t len;
	int idx, rc;

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
	for (idx = 0;; idx++) {
		err[0] = '\0';
		rc = p->p_inc(p->p_arg, pattern, idx, &name, &buf, &len, err,
		    sizeof(err));
		if (rc < 0)
			cfg_err(p, &at, "include \"%s\": %s", pattern, err);
		if (rc != 1)
			break;
		if (++p->p_nincl > INCLUDE_MAX) {
			cfg_err(p, &at, "include \"%s\": more than %d files "
			    "included in all", pattern, INCLUDE_MAX);
			break;
		}
		if (lex_buf(p, name, buf, len, depth + 1) == -1)
			break;
	}
}

int
lex_buf(struct parser *p, const char *name, const char *buf, size_t len,
    int depth)
{
	int file = lex_file_index(p, name), line = 1, bol = 1, inc = 0;
	int incline = 0;
	size_t i = 0, start;
	struct tok at = { NULL, file, 0, 0 };
	char word[TOK_MAX];
	size_t wl;

	while (i < len) {
		char c = buf[i];

		if (c == '\n') {
			if (inc) {
				at.t_line = line;
				cfg_err(p, &at, "include: needs a file name");
				inc = 0;
			}
			line++;
			bol = 1;
			i++;
			continue;
		}
		if (c == ' ' || c == '\t' || c == '\r' || c == '\0') {
			i++;
			continue;
		}
		if (c == '#' || c == '!') {
			while (i < len && buf[i] != '\n')
				i++;
			continue;
		}
		wl = 0;
		at.t_line = line;
		if (c == '{' || c == '}') {
			word[wl++] = c;
			i++;
		} else if (c == '"') {
			for (i++; i < len && buf[i] != '"' && buf[i] != '\n';
			    i++) {
				if (buf[i] == '\\' && i + 1 < len &&
				    (buf[i + 1] == '"' || buf[i + 1] == '\\'))
					i++;
				if (wl + 1 >= sizeof(word))
					break;
				word[wl++] = buf[i];
			}
			if (i >= len || buf[i] != '"') {
				cfg_err(p, &at, "unterminated quoted string");
				while (i < len && buf[i] != '\n')
					i++;
				continue;
			}
			i++;
		} else {
			start = i;
			while (i < len && buf[i] != ' ' && buf[i] != '\t' &&
			    buf[i] != '\r' && buf[i] != '\n' && buf[i] != '{' &&
			    buf[i] != '}' && buf[i] != '\0')
				i++;
			wl = i - start;
			if (wl >= sizeof(word)) {
				cfg_err(p, &at, "word longer than %d bytes",
				    TOK_MAX - 1);
				continue;
			}
			memcpy(word, buf + start, wl);
		}
		word[wl] = '\0';
		if (inc) {
			inc = 0;
			lex_include(p, word, file, incline, depth);
			continue;
		}
		if (bol && c != '"' && strcmp(word, "include") == 0) {
			inc = 1;
			incline = line;
			bol = 0;
			continue;
		}
		bol = 0;
		if (lex_push(p, word, wl, file, line, c == '"') == -1) {
			cfg_err(p, &at, "out of memory or too many words");
			return -1;
		}
	}
	if (inc) {
		at.t_line = line;
		cfg_err(p, &at, "include: needs a file name");
	}
	return 0;
}
