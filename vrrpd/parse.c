/* SPDX-License-Identifier: ISC */
/*
 * The statement layer under config.c's grammar: a keyword with the
 * arguments on its line and maybe a block, and typed values (numbers,
 * durations, commands, names, addresses), each failure reported with
 * file:line and "is X; should be Y".
 */
#include <arpa/inet.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <linux/rtnetlink.h>

#include "duration.h"
#include "parse.h"
#include "strnum.h"

struct tok *
p_peek(struct parser *p)
{
	return p->p_pos < p->p_ntok ? &p->p_toks[p->p_pos] : NULL;
}

int
p_is(const struct tok *t, const char *s)
{
	return t && !t->t_quoted && strcmp(t->t_text, s) == 0;
}


/* A keyword, the arguments on its line, and whether a block follows. */
int
p_stmt(struct parser *p, struct stmt *s)
{
	struct tok *t;

	memset(s, 0, sizeof(*s));
	if ((s->s_kw = p_peek(p)) == NULL)
		return -1;
	p->p_pos++;
	while ((t = p_peek(p)) != NULL && !t->t_bol &&
	    t->t_file == s->s_kw->t_file && t->t_line == s->s_kw->t_line &&
	    !p_is(t, "{") && !p_is(t, "}")) {
		if (s->s_nargs < ARGS_MAX)
			s->s_args[s->s_nargs++] = t;
		else if (s->s_nargs == ARGS_MAX) {
			cfg_err(p, t, "%s: more than %d arguments",
			    s->s_kw->t_text, ARGS_MAX);
			s->s_nargs++;
		}
		p->p_pos++;
	}
	if (s->s_nargs > ARGS_MAX)
		s->s_nargs = ARGS_MAX;
	if (p_is(t, "{")) {
		s->s_block = 1;
		s->s_block_line = t->t_line;
		p->p_pos++;
	}
	return 0;
}

/* Skips to the '}' closing a block whose '{' was consumed. */
void
p_skip_block(struct parser *p)
{
	int depth = 1;
	struct tok *t;

	while ((t = p_peek(p)) != NULL) {
		p->p_pos++;
		if (p_is(t, "{"))
			depth++;
		else if (p_is(t, "}") && --depth == 0)
			return;
	}
}

/* True when the block's closing '}' is next (and consumes it). */
int
p_block_end(struct parser *p, const struct stmt *open)
{
	struct tok *t = p_peek(p);

	if (t == NULL) {
		cfg_err(p, open->s_kw, "%s: block not closed with '}'",
		    open->s_kw->t_text);
		return 1;
	}
	if (p_is(t, "}")) {
		p->p_pos++;
		return 1;
	}
	return 0;
}

int
p_block_line(struct parser *p, const struct stmt *open, struct stmt *s,
    const char *what)
{
	while (!p_block_end(p, open)) {
		p_stmt(p, s);
		if (!s->s_block)
			return 1;
		cfg_err(p, s->s_kw, "%s: unexpected block",
		    what != NULL ? what : s->s_kw->t_text);
		p_skip_block(p);
	}
	return 0;
}

int
p_section_head(struct parser *p, const struct stmt *head, int n, int max,
    const char *needs)
{
	const char *kw = head->s_kw->t_text;

	if (head->s_nargs != 1 || !head->s_block) {
		cfg_err(p, head->s_kw, "%s: needs %s and a { } block", kw,
		    needs);
		if (head->s_block)
			p_skip_block(p);
		return -1;
	}
	if (n >= max) {
		cfg_err(p, head->s_kw, "%s: more than %d", kw, max);
		p_skip_block(p);
		return -1;
	}
	return 0;
}

int
p_section_name(struct parser *p, const struct stmt *head, char *out,
    size_t len)
{
	const char *name = head->s_args[0]->t_text;

	snprintf(out, len, "%s", name);
	if (strlen(name) < len)
		return 0;
	cfg_err(p, head->s_kw, "%s: name too long", head->s_kw->t_text);
	return -1;
}

int
p_nargs(struct parser *p, const struct stmt *s, int min, int max)
{
	if (s->s_nargs < min || s->s_nargs > max) {
		if (min == max)
			cfg_err(p, s->s_kw, "%s: takes %d argument%s, got %d",
			    s->s_kw->t_text, min, min == 1 ? "" : "s",
			    s->s_nargs);
		else
			cfg_err(p, s->s_kw, "%s: takes %d to %d arguments, "
			    "got %d", s->s_kw->t_text, min, max, s->s_nargs);
		return -1;
	}
	if (s->s_block) {
		cfg_err(p, s->s_kw, "%s: takes no block", s->s_kw->t_text);
		p_skip_block(p);
		return -1;
	}
	return 0;
}

int
p_long(struct parser *p, const struct stmt *s, const char *v, long min,
    long max, long *out)
{
	const char *errstr;
	long n;

	/* the whole word, or not a number: "12abc" is not 12 */
	n = (long)strnum(v, LONG_MIN, LONG_MAX, &errstr);
	if (errstr != NULL) {
		cfg_err(p, s->s_kw, "%s \"%s\": not a number",
		    s->s_kw->t_text, v);
		return -1;
	}
	if (n < min || n > max) {
		cfg_err(p, s->s_kw, "%s: is %ld; should be %ld..%ld",
		    s->s_kw->t_text, n, min, max);
		return -1;
	}
	*out = n;
	return 0;
}

int
p_int(struct parser *p, const struct stmt *s, int min, int max, int *out)
{
	long n;

	if (p_nargs(p, s, 1, 1) == -1 ||
	    p_long(p, s, s->s_args[0]->t_text, min, max, &n) == -1)
		return -1;
	*out = (int)n;
	return 0;
}

void
p_flag(struct parser *p, const struct stmt *s, int *out, int value)
{
	if (p_nargs(p, s, 0, 0) == 0)
		*out = value;
}

/* p_int without the error: -1 when the one argument is not in min..max. */
int
p_int_quiet(const struct stmt *s, int min, int max, int *out)
{
	const char *errstr;
	long long n;

	if (s->s_nargs != 1)
		return -1;
	n = strnum(s->s_args[0]->t_text, min, max, &errstr);
	if (errstr != NULL)
		return -1;
	*out = (int)n;
	return 0;
}

/*
 * keepalived takes a bad value with a config error, and a default, and
 * runs: a warning naming file:line here, the same default, and -t exits
 * 3 (cf_nflagged).
 */
void
p_lenient(struct parser *p, const struct stmt *s, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	cfg_warn(p, s->s_kw, "%s, as keepalived", msg);
	p->p_cf->cf_nflagged++;
}

int
p_dur(struct parser *p, const struct stmt *s, uint64_t *out)
{
	if (p_nargs(p, s, 1, 1) == -1)
		return -1;
	if (duration_parse(s->s_args[0]->t_text, out) == -1) {
		cfg_err(p, s->s_kw, "%s \"%s\": not a duration",
		    s->s_kw->t_text, s->s_args[0]->t_text);
		return -1;
	}
	return 0;
}

/* A command: one quoted string, or the rest of the line joined. */
int
p_cmd(struct parser *p, const struct stmt *s, char *out, size_t len)
{
	size_t off = 0;
	int i, n;

	if (s->s_nargs < 1) {
		cfg_err(p, s->s_kw, "%s: needs a command", s->s_kw->t_text);
		return -1;
	}
	out[0] = '\0';
	for (i = 0; i < s->s_nargs; i++) {
		n = snprintf(out + off, len - off, "%s%s", i ? " " : "",
		    s->s_args[i]->t_text);
		if (n < 0 || (size_t)n >= len - off) {
			cfg_err(p, s->s_kw, "%s: longer than %zu bytes",
			    s->s_kw->t_text, len - 1);
			out[0] = '\0';
			return -1;
		}
		off += (size_t)n;
	}
	return 0;
}

int
p_name(struct parser *p, const struct stmt *s, char *out, size_t len)
{
	if (p_nargs(p, s, 1, 1) == -1)
		return -1;
	if (strlen(s->s_args[0]->t_text) >= len) {
		cfg_err(p, s->s_kw, "%s \"%s\": longer than %zu bytes",
		    s->s_kw->t_text, s->s_args[0]->t_text, len - 1);
		return -1;
	}
	snprintf(out, len, "%s", s->s_args[0]->t_text);
	return 0;
}

/* Reports and skips a keyword: warning if ignoring it is harmless. */
void
p_unsupported(struct parser *p, const struct stmt *s, int harmless,
    const char *why)
{
	if (harmless)
		cfg_warn(p, s->s_kw, "%s: %s", s->s_kw->t_text, why);
	else
		cfg_err(p, s->s_kw, "%s: %s", s->s_kw->t_text, why);
	if (s->s_block)
		p_skip_block(p);
}

/* The table's verdict on s (warning or error, block skipped); 0 = none. */
int
p_table(struct parser *p, const struct stmt *s, int section)
{
	const struct kw_entry *e = kw_find(s->s_kw->t_text, section);
	char why[256];

	if (e == NULL)
		return 0;
	snprintf(why, sizeof(why), "%s: %s", e->kw_status == KW_IGNORED ?
	    "ignored" : "not supported", e->kw_why);
	p_unsupported(p, s, e->kw_status == KW_IGNORED, why);
	return 1;
}

int
kw_in(const char *kw, const char *const *list)
{
	for (; *list; list++)
		if (strcmp(kw, *list) == 0)
			return 1;
	return 0;
}

int
name_u8_find(const struct name_u8 *names, size_t n, const char *s,
    uint8_t *out)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(s, names[i].nu_name) == 0) {
			*out = names[i].nu_value;
			return 0;
		}
	return -1;
}

int
rt_scope_find(const char *s, uint8_t *out)
{
	static const struct name_u8 names[] = {
		{ "global", RT_SCOPE_UNIVERSE }, { "site", RT_SCOPE_SITE },
		{ "link", RT_SCOPE_LINK }, { "host", RT_SCOPE_HOST },
		{ "nowhere", RT_SCOPE_NOWHERE },
	};

	return name_u8_find(names, sizeof(names) / sizeof(names[0]), s, out);
}

int
config_parse_addr(const char *s, int *family, union vrrp_addr *a)
{
	if (inet_pton(AF_INET, s, &a->v4) == 1) {
		*family = AF_INET;
		return 0;
	}
	if (inet_pton(AF_INET6, s, &a->v6) == 1) {
		*family = AF_INET6;
		return 0;
	}
	return -1;
}

int
config_parse_vip(const char *s, struct cfg_vip *v)
{
	char addr[INET6_ADDRSTRLEN + 8], *slash, *end;
	long plen;

	memset(v, 0, sizeof(*v));
	if (strlen(s) >= sizeof(addr))
		return -1;
	snprintf(addr, sizeof(addr), "%s", s);
	if ((slash = strchr(addr, '/')) != NULL)
		*slash++ = '\0';
	if (config_parse_addr(addr, &v->cv_family, &v->cv_addr) == -1)
		return -1;
	/* keepalived's default: a host address */
	v->cv_plen = v->cv_family == AF_INET ? 32 : 128;
	if (slash) {
		errno = 0;
		plen = strtol(slash, &end, 10);
		if (errno || end == slash || *end || plen < 0 ||
		    plen > v->cv_plen)
			return -1;
		v->cv_plen = (uint8_t)plen;
	}
	return 0;
}
