/* SPDX-License-Identifier: ISC */
/*
 * One haproxy.cfg line into words, as haproxy 2.6 cuts them
 * (configuration.txt 2.2 and 2.3): blanks separate words, '#' starts a
 * comment, "weak" and 'strong' quotes, backslash escapes, and
 * environment variables ($NAME, ${NAME}, ${NAME-default}, ${NAME[*]})
 * expanded inside double quotes only.  Pure but for getenv(), so the
 * fuzzer reaches it through config_parse().
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config-parser.h"

struct lex_out {
	char	*lo_store;
	size_t	 lo_len, lo_cap;
	char	**lo_argv;
	int	 lo_argc, lo_max;
	int	 lo_inword;
	const char *lo_why;
};

static int
lex_begin(struct lex_out *o)
{
	if (o->lo_inword)
		return 0;
	if (o->lo_argc == o->lo_max) {
		o->lo_why = "too many words";
		return -1;
	}
	if (o->lo_len + 1 >= o->lo_cap) {
		o->lo_why = "line too long";
		return -1;
	}
	o->lo_argv[o->lo_argc++] = o->lo_store + o->lo_len;
	o->lo_inword = 1;
	return 0;
}

static void
lex_end(struct lex_out *o)
{
	if (o->lo_inword)
		o->lo_store[o->lo_len++] = '\0';
	o->lo_inword = 0;
}

static int
lex_put(struct lex_out *o, char c)
{
	if (lex_begin(o) == -1)
		return -1;
	/* room for this byte and the word's NUL */
	if (o->lo_len + 2 >= o->lo_cap) {
		o->lo_why = "line too long";
		return -1;
	}
	o->lo_store[o->lo_len++] = c;
	return 0;
}

static int
lex_hex(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = tolower(c);
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/* haproxy's pseudo-variables, then the environment; NULL if unset. */
static const char *
lex_getvar(const char *name, const struct cf_lexenv *env, char *tmp,
    size_t tmplen)
{
	if (name[0] != '.')
		return getenv(name);
	if (env == NULL)
		return NULL;
	if (strcmp(name, ".FILE") == 0)
		return env->le_file;
	if (strcmp(name, ".LINE") == 0) {
		snprintf(tmp, tmplen, "%d", env->le_line);
		return tmp;
	}
	if (strcmp(name, ".SECTION") == 0)
		return env->le_section ? env->le_section : "";
	return NULL;
}

/*
 * Expands the variable at s[*i] (just after '$'); moves *i past it.
 * With [*] the value's blank-separated parts become separate words.
 */
static int
lex_var(struct lex_out *o, const char *s, size_t len, size_t *i,
    const struct cf_lexenv *env)
{
	char name[128], def[CF_LINEMAX], tmp[16];
	const char *val;
	size_t n = 0, j = *i, d = 0;
	int brace = 0, split = 0, hasdef = 0;

	if (j < len && s[j] == '{') {
		brace = 1;
		j++;
	}
	while (j < len && (isalnum((unsigned char)s[j]) || s[j] == '_' ||
	    (s[j] == '.' && n == 0))) {
		if (n + 1 >= sizeof(name)) {
			o->lo_why = "variable name too long";
			return -1;
		}
		name[n++] = s[j++];
	}
	name[n] = '\0';
	if (n == 0 || isdigit((unsigned char)name[0])) {
		if (brace) {
			o->lo_why = "bad variable name after \"${\"";
			return -1;
		}
		*i = j;
		return lex_put(o, '$');		/* a lone dollar */
	}
	if (brace) {
		if (j + 2 < len && strncmp(s + j, "[*]", 3) == 0) {
			split = 1;
			j += 3;
		}
		if (j < len && s[j] == '-') {
			hasdef = 1;
			for (j++; j < len && s[j] != '}'; j++)
				if (d + 1 < sizeof(def))
					def[d++] = s[j];
		}
		def[d] = '\0';
		if (j >= len || s[j] != '}') {
			o->lo_why = "missing '}' after a variable";
			return -1;
		}
		j++;
	}
	*i = j;
	val = lex_getvar(name, env, tmp, sizeof(tmp));
	if (val == NULL)
		val = hasdef ? def : "";
	for (; *val != '\0'; val++) {
		if (split && (*val == ' ' || *val == '\t')) {
			lex_end(o);
			continue;
		}
		if (lex_put(o, *val) == -1)
			return -1;
	}
	return 0;
}

/*
 * The char after a backslash at s[*i]; moves *i to its last byte.  As
 * haproxy 2.6's parse_line(): a backslash is dropped only before a
 * character it makes special ("\$" only inside double quotes, where "$"
 * expands), kept before any other ("\+" in a regex) and at the end of
 * the line.
 */
static int
lex_escape(struct lex_out *o, const char *s, size_t len, size_t *i, char q)
{
	size_t j = *i + 1;
	int hi, lo;

	if (j >= len)
		return lex_put(o, '\\');
	*i = j;
	switch (s[j]) {
	case 'n':
		return lex_put(o, '\n');
	case 'r':
		return lex_put(o, '\r');
	case 't':
		return lex_put(o, '\t');
	case 'x':
		if (j + 2 >= len || (hi = lex_hex(s[j + 1])) == -1 ||
		    (lo = lex_hex(s[j + 2])) == -1) {
			o->lo_why = "\\x needs two hex digits";
			return -1;
		}
		if (hi == 0 && lo == 0) {
			o->lo_why = "\\x00 not allowed";
			return -1;
		}
		*i = j + 2;
		return lex_put(o, (char)(hi * 16 + lo));
	case '\t':
		/* no escape in haproxy: "\" ends the word, the tab splits */
		*i = j - 1;
		return lex_put(o, '\\');
	case ' ': case '#': case '\\': case '"': case '\'':
		return lex_put(o, s[j]);
	case '$':
		if (q == '"')
			return lex_put(o, s[j]);
		/* FALLTHROUGH */
	default:
		/* haproxy keeps other pairs as they are (regex "\1") */
		if (lex_put(o, '\\') == -1)
			return -1;
		return lex_put(o, s[j]);
	}
}

/*
 * Splits line (len bytes) into argv (at most max words) backed by store;
 * returns argc, or -1 with *why set.
 */
int
config_split(const char *line, size_t len, char *store, size_t storelen,
    char **argv, int max, const struct cf_lexenv *env, const char **why)
{
	struct lex_out o;
	size_t i;
	char q = 0;

	memset(&o, 0, sizeof(o));
	o.lo_store = store;
	o.lo_cap = storelen;
	o.lo_argv = argv;
	o.lo_max = max;
	for (i = 0; i < len; i++) {
		char c = line[i];
		int rc = 0;

		if (q == 0 && (c == ' ' || c == '\t' || c == '\r')) {
			lex_end(&o);
			continue;
		}
		if (q == 0 && c == '#')
			break;
		if (q == 0 && (c == '"' || c == '\'')) {
			q = c;
			rc = lex_begin(&o);	/* "" is an empty word */
		} else if (q != 0 && c == q)
			q = 0;
		else if (c == '\\' && q != '\'')
			rc = lex_escape(&o, line, len, &i, q);
		else if (c == '$' && q == '"') {
			i++;
			rc = lex_var(&o, line, len, &i, env);
			i--;
		} else
			rc = lex_put(&o, c);
		if (rc == -1) {
			*why = o.lo_why;
			return -1;
		}
	}
	if (q != 0) {
		*why = "unterminated quote";
		return -1;
	}
	lex_end(&o);
	return o.lo_argc;
}
