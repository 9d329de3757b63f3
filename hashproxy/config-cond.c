/* SPDX-License-Identifier: ISC */
/*
 * haproxy 2.6's conditional blocks and messages (configuration.txt
 * 2.4): .if/.elif/.else/.endif over numbers, !, &&, ||, parentheses
 * and the predicates defined(), feature(), streq(), strneq(),
 * version_atleast(), version_before(); .diag/.notice/.warning/.alert.
 * hashproxy answers version questions as haproxy 2.6.12 (the version
 * its tests compare with) and has none of haproxy's build features.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config-parser.h"

#define COND_VERSION	"2.6.12"

enum { C_ACTIVE = 1, C_TAKEN = 2, C_ELSE = 4, C_DEAD = 8 };

struct cond {
	const char	*c_s;	/* the condition, joined */
	const char	*c_why;
};

static int cond_chain(struct cond *, int);

static void
cond_blank(struct cond *c)
{
	while (*c->c_s == ' ' || *c->c_s == '\t')
		c->c_s++;
}

/* "2.4-dev19" -> {2, 4, 0, 19}; a release sorts after its dev/rc. */
static void
cond_version(const char *s, long v[4])
{
	int i;

	memset(v, 0, 4 * sizeof(long));
	v[3] = 100000;
	for (i = 0; i < 3 && isdigit((unsigned char)*s); i++) {
		v[i] = strtol(s, (char **)&s, 10);
		if (*s == '.')
			s++;
	}
	if (strncmp(s, "-dev", 4) == 0)
		v[3] = strtol(s + 4, NULL, 10);
	else if (strncmp(s, "-rc", 3) == 0)
		v[3] = 1000 + strtol(s + 3, NULL, 10);
}

static int
cond_vercmp(const char *want)
{
	long a[4], b[4];
	int i;

	cond_version(COND_VERSION, a);
	cond_version(want, b);
	for (i = 0; i < 4; i++)
		if (a[i] != b[i])
			return a[i] < b[i] ? -1 : 1;
	return 0;
}

static int
cond_pred(struct cond *c, const char *name, size_t nlen)
{
	char args[2][256];
	int nargs = 0;
	size_t n = 0;

	c->c_s++;	/* '(' */
	args[0][0] = args[1][0] = '\0';
	for (; *c->c_s != '\0' && *c->c_s != ')'; c->c_s++) {
		if (*c->c_s == ',') {
			if (++nargs == 2) {
				c->c_why = "too many arguments";
				return -1;
			}
			n = 0;
			continue;
		}
		if (n + 1 < sizeof(args[0])) {
			args[nargs][n++] = *c->c_s;
			args[nargs][n] = '\0';
		}
	}
	if (*c->c_s != ')') {
		c->c_why = "missing ')'";
		return -1;
	}
	c->c_s++;
#define IS(x)	(nlen == sizeof(x) - 1 && strncmp(name, x, nlen) == 0)
	if (IS("defined"))
		return getenv(args[0]) != NULL;
	if (IS("feature"))
		return 0;
	if (IS("streq"))
		return strcmp(args[0], args[1]) == 0;
	if (IS("strneq"))
		return strcmp(args[0], args[1]) != 0;
	if (IS("version_atleast"))
		return cond_vercmp(args[0]) >= 0;
	if (IS("version_before"))
		return cond_vercmp(args[0]) < 0;
#undef IS
	c->c_why = "unknown predicate";
	return -1;
}

static int
cond_term(struct cond *c)
{
	const char *start;
	int v;

	cond_blank(c);
	if (*c->c_s == '!') {
		c->c_s++;
		v = cond_term(c);
		return v == -1 ? -1 : !v;
	}
	if (*c->c_s == '(') {
		c->c_s++;
		if ((v = cond_chain(c, 0)) == -1)
			return -1;
		cond_blank(c);
		if (*c->c_s != ')') {
			c->c_why = "missing ')'";
			return -1;
		}
		c->c_s++;
		return v;
	}
	if (isdigit((unsigned char)*c->c_s) || *c->c_s == '-') {
		long n = strtol(c->c_s, (char **)&c->c_s, 10);

		return n != 0;
	}
	start = c->c_s;
	while (isalnum((unsigned char)*c->c_s) || *c->c_s == '_')
		c->c_s++;
	if (c->c_s == start || *c->c_s != '(') {
		c->c_why = "a number or a predicate expected";
		return -1;
	}
	return cond_pred(c, start, (size_t)(c->c_s - start));
}

/*
 * "A || B" (level 0) binds looser than "A && B" (level 1), which binds
 * looser than a term (level 2).  Both sides are read before either
 * decides, so an error on the right is reported whatever the left says.
 */
static int
cond_chain(struct cond *c, int level)
{
	static const char *const ops[] = { "||", "&&" };
	int v, r;

	if (level == 2)
		return cond_term(c);
	if ((v = cond_chain(c, level + 1)) == -1)
		return -1;
	for (;;) {
		cond_blank(c);
		if (strncmp(c->c_s, ops[level], 2) != 0)
			return v;
		c->c_s += 2;
		if ((r = cond_chain(c, level + 1)) == -1)
			return -1;
		v = level == 0 ? v || r : v && r;
	}
}

/* argv: the words after the directive. */
int
config_cond_eval(int argc, char **argv, const char **why)
{
	char text[CF_LINEMAX + CF_MAXARGS + 1];
	struct cond c;
	size_t n = 0, l;
	int i, v;

	text[0] = '\0';
	for (i = 0; i < argc; i++) {
		l = strlen(argv[i]);
		if (n + l + 2 > sizeof(text)) {
			*why = "condition too long";
			return -1;
		}
		memcpy(text + n, argv[i], l);
		n += l;
		text[n++] = ' ';
		text[n] = '\0';
	}
	c.c_s = text;
	c.c_why = NULL;
	cond_blank(&c);
	if (*c.c_s == '\0')
		return 0;	/* an empty condition is false */
	if ((v = cond_chain(&c, 0)) == -1) {
		*why = c.c_why;
		return -1;
	}
	cond_blank(&c);
	if (*c.c_s != '\0') {
		*why = "unparsable text after the condition";
		return -1;
	}
	return v;
}

int
config_cond_skipping(const struct cf_parser *p)
{
	return p->p_nest > 0 && !(p->p_cond[p->p_nest - 1] & C_ACTIVE);
}

static int
cond_test(struct cf_parser *p, int argc, char **argv)
{
	const char *why = NULL;
	int v;

	if ((v = config_cond_eval(argc - 1, argv + 1, &why)) == -1) {
		config_msg(p, CF_ERROR, "%s: %s", argv[0], why);
		return 0;
	}
	return v;
}

static void
cond_say(struct cf_parser *p, int argc, char **argv)
{
	char msg[1024];
	size_t n = 0;
	int i;

	msg[0] = '\0';
	for (i = 1; i < argc && n < sizeof(msg); i++)
		n += (size_t)snprintf(msg + n, sizeof(msg) - n, "%s%s",
		    i > 1 ? " " : "", argv[i]);
	if (strcmp(argv[0], ".notice") == 0)
		config_msg(p, CF_NOTICE, "%s", msg);
	else if (strcmp(argv[0], ".warning") == 0)
		config_msg(p, CF_WARNING, "%s", msg);
	else if (strcmp(argv[0], ".alert") == 0)
		config_msg(p, CF_ERROR, "%s", msg);
	/* .diag: haproxy prints it only with -dD, which we do not have */
}

/*
 * Returns 1 if the line is a directive or lies in a false block (the
 * caller skips it), 0 if the caller reads it.
 */
int
config_cond_line(struct cf_parser *p, int argc, char **argv)
{
	unsigned char *top = p->p_nest ? &p->p_cond[p->p_nest - 1] : NULL;
	const char *d = argv[0];
	int skip = config_cond_skipping(p);

	if (strcmp(d, ".if") == 0) {
		if (p->p_nest == CF_MAXNEST) {
			config_msg(p, CF_ERROR, ".if: more than %d levels",
			    CF_MAXNEST);
			return 1;
		}
		p->p_cond[p->p_nest++] = skip ? C_DEAD :
		    cond_test(p, argc, argv) ? C_ACTIVE | C_TAKEN : 0;
		return 1;
	}
	if (strcmp(d, ".elif") == 0 || strcmp(d, ".else") == 0 ||
	    strcmp(d, ".endif") == 0) {
		if (top == NULL || (d[2] == 'l' && (*top & C_ELSE))) {
			config_msg(p, CF_ERROR, "%s without a matching %s", d,
			    top == NULL ? ".if" : ".if (after .else)");
			return 1;
		}
		if (strcmp(d, ".endif") == 0)
			p->p_nest--;
		else if (*top & (C_DEAD | C_TAKEN))
			*top &= ~C_ACTIVE;
		else if (strcmp(d, ".else") == 0 || cond_test(p, argc, argv))
			*top |= C_ACTIVE | C_TAKEN;
		if (strcmp(d, ".else") == 0)
			*top |= C_ELSE;
		return 1;
	}
	if (skip)
		return 1;
	if (strcmp(d, ".diag") == 0 || strcmp(d, ".notice") == 0 ||
	    strcmp(d, ".warning") == 0 || strcmp(d, ".alert") == 0) {
		cond_say(p, argc, argv);
		return 1;
	}
	if (d[0] == '.') {
		config_msg(p, CF_ERROR, "\"%s\": unknown directive", d);
		return 1;
	}
	return 0;
}

/* At the end of each file: haproxy wants every block closed there. */
void
config_cond_eof(struct cf_parser *p)
{
	if (p->p_nest > 0)
		config_msg(p, CF_ERROR, ".if without .endif at the end of "
		    "the file");
	p->p_nest = 0;
}
