/* SPDX-License-Identifier: ISC */
/*
 * haproxy's ACLs, the L4 part (configuration.txt 7): the criteria src,
 * dst, src_port, dst_port, always_true, always_false, and the backends'
 * state: nbsrv, be_conn, queue, avg_queue and connslots ([BE]),
 * srv_is_up, srv_conn and srv_queue ([BE/]SRV) (7.3.2); the predefined TRUE, FALSE
 * and LOCALHOST; conditions with AND (juxtaposition), OR
 * ("or", "||"), negation ("!") and anonymous ACLs ("{ src 10/8 }").
 * A criterion that needs the client's bytes or HTTP is kept with the
 * reason, so that an ACL only an ignored HTTP rule uses stays harmless,
 * and is refused where a rule hashproxy runs would test it.  This file
 * reads them into an acl_set; acl-eval.c matches a connection against it.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sys/stat.h>
#include <unistd.h>

#include "acl.h"
#include "wordtable.h"

#define WHY(x, ...)	snprintf((x)->x_why, ACL_WHYLEN, __VA_ARGS__)
#define CONTENT		"content inspection is not done at L4"
#define HTTPONLY	"HTTP only"

struct acl_set *
acl_set_new(void)
{
	return calloc(1, sizeof(struct acl_set));
}

void
acl_set_free(struct acl_set *s)
{
	int i;

	if (s == NULL)
		return;
	for (i = 0; i < s->s_nexprs; i++) {
		free(s->s_exprs[i].ae_pats);
		free(s->s_exprs[i].ae_arg);
	}
	free(s->s_exprs);
	free(s->s_acls);
	free(s->s_terms);
	free(s->s_rules);
	free(s);
}

/* Grows *arr (n used, elements of size sz) by one; NULL at max. */
static void *
acl_grow(void *arrp, int n, int max, size_t sz)
{
	void **arr = arrp, *p;

	if (n >= max)
		return NULL;
	/* doubling: the room is full when n is zero or a power of two */
	if (n == 0 || (n & (n - 1)) == 0) {
		if ((p = realloc(*arr, (size_t)(n ? 2 * n : 1) * sz)) == NULL)
			return NULL;
		*arr = p;
	}
	return (char *)*arr + (size_t)n * sz;
}

/* Where a fetch haproxy knows cannot run at L4, why; NULL if unknown. */
static const char *
acl_why_not(const char *f)
{
	static const char *http[] = { "hdr", "shdr", "path", "url", "method",
	    "base", "cook", "scook", "set-cookie", "http", "req.hdr",
	    "req.fhdr", "req.cook", "req.body", "req.ver", "req_ver",
	    "req.uri", "res.", "resp_ver", "status", "query", "capture.",
	    "txn.", "unique-id", "req.timer", "res_", "src_is_local_http" };
	static const char *content[] = { "req.", "req_", "payload",
	    "rdp_cookie", "wait_end", "res.payload" };
	size_t i;

	if (strchr(f, ',') != NULL)
		return "converters are not supported";
	for (i = 0; i < sizeof(http) / sizeof(http[0]); i++)
		if (strncmp(f, http[i], strlen(http[i])) == 0)
			return HTTPONLY;
	for (i = 0; i < sizeof(content) / sizeof(content[0]); i++)
		if (strncmp(f, content[i], strlen(content[i])) == 0)
			return CONTENT;
	if (strncmp(f, "ssl_", 4) == 0)
		return "TLS is not terminated";
	return NULL;
}

static const struct hp_word acl_l4[] = {
	{ "src", AC_SRC }, { "dst", AC_DST },
	{ "src_port", AC_SRC_PORT }, { "dst_port", AC_DST_PORT },
	{ "always_true", AC_TRUE }, { "always_false", AC_FALSE },
	{ "nbsrv", AC_NBSRV }, { "be_conn", AC_BECONN }, { "queue", AC_QUEUE },
	{ "avg_queue", AC_AVGQUEUE }, { "connslots", AC_CONNSLOTS },
	{ "srv_is_up", AC_SRVUP }, { "srv_conn", AC_SRVCONN },
	{ "srv_queue", AC_SRVQUEUE },
};

const char *
acl_crit_name(enum acl_crit c)
{
	size_t i;

	for (i = 0; i < sizeof(acl_l4) / sizeof(acl_l4[0]); i++)
		if (acl_l4[i].w_val == (int)c)
			return acl_l4[i].w_name;
	return "?";
}

/* The criterion of fetch f; one that takes no argument must have none. */
static enum acl_crit
acl_crit(const char *f)
{
	char name[32];
	size_t n = strcspn(f, "(");
	int c;

	if (n >= sizeof(name))
		return AC_UNSUP;
	memcpy(name, f, n);
	name[n] = '\0';
	c = HP_WORD(acl_l4, name);
	if (c == -1 || (f[n] == '(' && !acl_is_state((enum acl_crit)c)))
		return AC_UNSUP;
	return (enum acl_crit)c;
}

int
acl_is_state(enum acl_crit c)
{
	return c >= AC_NBSRV && c < AC_UNSUP;
}

int
acl_is_srv(enum acl_crit c)
{
	return c >= AC_SRVUP && c < AC_UNSUP;
}

/*
 * The argument of nbsrv(BE) or srv_is_up(BE/SRV) and their kin into e:
 * haproxy's ARG1(0,BE) and ARG1(1,SRV); no argument, or an empty one for
 * a backend's, means the proxy's own backend.
 */
static int
acl_state_arg(struct acl_expr *e, const char *f, struct acl_ctx *x)
{
	const char *open = strchr(f, '(');
	char *slash;
	size_t n;

	e->ae_bei = e->ae_srvi = -1;
	if (open != NULL) {
		n = strlen(open + 1);
		if (n == 0 || open[n] != ')' || memchr(open + 1, ')', n - 1)) {
			WHY(x, "%.40s: expected \")\" at the end", f);
			return -1;
		}
		if (strpbrk(open + 1, ",") != NULL) {
			WHY(x, "%.40s: one argument only", f);
			return -1;
		}
		if ((e->ae_arg = strndup(open + 1, n - 1)) == NULL) {
			WHY(x, "out of memory");
			return -1;
		}
	}
	if (!acl_is_srv(e->ae_crit)) {
		e->ae_be = e->ae_arg != NULL && *e->ae_arg != '\0' ?
		    e->ae_arg : NULL;
		return 0;
	}
	if (e->ae_arg != NULL && (slash = strrchr(e->ae_arg, '/')) != NULL) {
		*slash = '\0';
		e->ae_be = e->ae_arg;
		e->ae_srv = slash + 1;
	} else
		e->ae_srv = e->ae_arg;
	if (e->ae_srv == NULL || *e->ae_srv == '\0') {
		WHY(x, "%s: missing server name", acl_crit_name(e->ae_crit));
		return -1;
	}
	return 0;
}

int
acl_is_net(enum acl_crit c)
{
	return c == AC_SRC || c == AC_DST;
}

/*
 * "10.0.0.0/8", "10.0.0.0/255.0.0.0", "2001:db8::/32", "::1"; with dns
 * (no -n), an IPv4 host name too, "localhost/8" (resolve_acl_host).
 * 1 and why for inet_aton's short forms ("127/8"), which haproxy takes
 * through gethostbyname as well, silently: "127" is 0.0.0.127, so the
 * network is seldom the one meant.
 */
static int
acl_parse_net(const char *s, struct acl_net *n, int dns, struct acl_ctx *x)
{
	char a[INET6_ADDRSTRLEN + 8], net[INET_ADDRSTRLEN], *slash, *end;
	struct in_addr m;
	uint32_t mask;
	long pl;
	int i, max, shortform = 0;

	if (strlen(s) >= sizeof(a))
		return -1;
	strcpy(a, s);
	if ((slash = strchr(a, '/')) != NULL)
		*slash++ = '\0';
	memset(n, 0, sizeof(*n));
	if (inet_pton(AF_INET, a, n->an_addr) == 1) {
		n->an_af = AF_INET;
		max = 32;
	} else if (inet_pton(AF_INET6, a, n->an_addr) == 1) {
		n->an_af = AF_INET6;
		max = 128;
	} else if (dns && inet_aton(a, &m) == 1) {
		memcpy(n->an_addr, &m, 4);
		n->an_af = AF_INET;
		max = 32;
		shortform = 1;
	} else if (dns && resolve_acl_host(a, n->an_addr) == 0) {
		n->an_af = AF_INET;
		max = 32;
	} else
		return -1;
	pl = max;
	if (slash != NULL && n->an_af == AF_INET && strchr(slash, '.')) {
		if (inet_pton(AF_INET, slash, &m) != 1)
			return -1;
		mask = ntohl(m.s_addr);
		if (mask != 0 && (~mask & (~mask + 1)) != 0)
			return -1;	/* not contiguous */
		for (pl = 0; mask & 0x80000000u; mask <<= 1)
			pl++;
	} else if (slash != NULL) {
		errno = 0;
		pl = strtol(slash, &end, 10);
		if (*slash == '\0' || *end != '\0' || errno || pl < 0 ||
		    pl > max)
			return -1;
	}
	n->an_plen = (uint8_t)pl;
	for (i = 0; i < max / 8; i++) {
		int keep = (int)pl - i * 8;

		if (keep <= 0)
			n->an_addr[i] = 0;
		else if (keep < 8)
			n->an_addr[i] &= (uint8_t)(0xff << (8 - keep));
	}
	if (!shortform)
		return 0;
	inet_ntop(AF_INET, n->an_addr, net, sizeof(net));
	WHY(x, "\"%.40s\" means %s/%d (a short IPv4 form, read as "
	    "inet_aton(3) reads it, as haproxy does)", s, net, n->an_plen);
	return 1;
}

/* A decimal number; neg: with a leading '-' too (connslots' -1). */
static int
acl_parse_long(const char *s, long *v, int neg)
{
	char *end;

	if (!isdigit((unsigned char)s[neg && *s == '-']))
		return -1;
	errno = 0;
	*v = strtol(s, &end, 10);
	return *end != '\0' || errno ? -1 : 0;
}

/*
 * "80", "1024:65535", "1024:", ":99"; op from a preceding lt/le/...; neg:
 * a negative number too (not in a range), as haproxy's for an integer
 * (a port is not).
 */
static int
acl_parse_num(const char *s, enum acl_op op, struct acl_num *n, int neg)
{
	char a[48], *colon;

	if (strlen(s) >= sizeof(a))
		return -1;
	strcpy(a, s);
	n->nu_op = op;
	n->nu_lo = LONG_MIN;	/* open ends */
	n->nu_hi = LONG_MAX;
	if ((colon = strchr(a, ':')) != NULL && op == AO_RANGE) {
		*colon++ = '\0';
		if (*a == '\0' && *colon == '\0')
			return -1;
		/* haproxy: "not a valid number range" for a negative end */
		if (*a != '\0' && acl_parse_long(a, &n->nu_lo, 0) == -1)
			return -1;
		if (*colon != '\0' && acl_parse_long(colon, &n->nu_hi, 0) == -1)
			return -1;
		return 0;
	}
	if (acl_parse_long(a, &n->nu_lo, neg) == -1)
		return -1;
	n->nu_hi = n->nu_lo;
	return 0;
}

static int
acl_add_pat(struct acl_expr *e, const char *v, enum acl_op op, int dns,
    struct acl_ctx *x)
{
	size_t sz = acl_is_net(e->ae_crit) ? sizeof(struct acl_net) :
	    sizeof(struct acl_num);
	void *p;
	int rc;

	if (e->ae_npats >= ACL_MAXPATS) {
		WHY(x, "more than %d values", ACL_MAXPATS);
		return -1;
	}
	if ((p = acl_grow(&e->ae_pats, (int)e->ae_npats, ACL_MAXPATS,
	    sz)) == NULL) {
		WHY(x, "out of memory");
		return -1;
	}
	rc = acl_is_net(e->ae_crit) ? acl_parse_net(v, p, dns, x) :
	    acl_parse_num(v, op, p, acl_is_state(e->ae_crit));
	if (rc == -1) {
		WHY(x, "\"%.64s\" is not %s", v, acl_is_net(e->ae_crit) ?
		    "an IPv4 or IPv6 address or network" :
		    acl_is_state(e->ae_crit) ? "a number, a range N:M, or "
		    "lt/le/gt/ge/eq N" : "a port, a range N:M, or "
		    "lt/le/gt/ge/eq N");
		return -1;
	}
	e->ae_npats++;
	return rc;
}

/*
 * -f FILE, read as haproxy does: one value a line, a "#" in the first
 * column makes a comment, blanks before the value are skipped, blank
 * lines too; anything after the value is part of it (an error).
 */
static int
acl_load_file(struct acl_expr *e, const char *path, int dns,
    struct acl_ctx *x)
{
	char line[512], sub[ACL_WHYLEN];
	struct stat st;
	FILE *f;
	int fd, rc, n = 0, warn = 0;

	/* a FIFO or a device would block or never end: files only */
	if ((fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)) == -1) {
		WHY(x, "-f %.128s: %s", path, strerror(errno));
		return -1;
	}
	if (fstat(fd, &st) == -1 || !S_ISREG(st.st_mode) ||
	    st.st_size > ACL_MAXFILE || (f = fdopen(fd, "r")) == NULL) {
		WHY(x, "-f %.128s: not a regular file of at most %d bytes",
		    path, ACL_MAXFILE);
		close(fd);
		return -1;
	}
	while (fgets(line, sizeof(line), f) != NULL) {
		char *s = line;

		n++;
		if (strchr(line, '\n') == NULL && !feof(f)) {
			WHY(x, "%.128s:%d: line too long", path, n);
			fclose(f);
			return -1;
		}
		if (*s == '#')
			continue;
		while (*s == ' ' || *s == '\t')
			s++;
		s[strcspn(s, "\r\n")] = '\0';
		if (*s == '\0')
			continue;
		if ((rc = acl_add_pat(e, s, AO_RANGE, dns, x)) != 0) {
			snprintf(sub, sizeof(sub), "%s", x->x_why);
			WHY(x, "%.100s:%d: %.120s", path, n, sub);
		}
		if (rc == -1) {
			fclose(f);
			return -1;
		}
		warn |= rc;
	}
	if (ferror(f)) {
		WHY(x, "-f %.128s: read error", path);
		fclose(f);
		return -1;
	}
	fclose(f);
	return warn;
}

static int
acl_op(const char *w, enum acl_op *op)
{
	static const struct hp_word ops[] = { { "eq", AO_RANGE },
	    { "lt", AO_LT }, { "le", AO_LE }, { "gt", AO_GT },
	    { "ge", AO_GE } };
	int v = HP_WORD(ops, w);

	if (v == -1)
		return 0;
	*op = (enum acl_op)v;
	return 1;
}

/* Booleans: haproxy's -m bool ignores the values and needs none. */
static int
acl_is_bool(enum acl_crit c)
{
	return c == AC_TRUE || c == AC_FALSE || c == AC_SRVUP;
}

/* The one -m a criterion takes. */
static const char *
acl_match_kind(enum acl_crit c)
{
	if (acl_is_net(c))
		return "ip";
	return c == AC_SRVUP ? "bool" : "int";
}

/* Flags and values of a supported criterion, argv from the flags. */
static int
acl_values(struct acl_expr *e, int argc, char **argv, struct acl_ctx *x)
{
	enum acl_op op = AO_RANGE;
	int i, rc, files = 0, haveop = 0, dns = 1, warn = 0;

	for (i = 0; i < argc && argv[i][0] == '-'; i++) {
		const char *fl = argv[i];

		if (strcmp(fl, "--") == 0) {
			i++;
			break;
		}
		if (strcmp(fl, "-n") == 0) {
			/* as haproxy: for the values and the -f files after it */
			dns = 0;
			continue;
		}
		if (strcmp(fl, "-i") == 0)
			continue;	/* no case in addresses or numbers */
		if (strcmp(fl, "-m") == 0 || strcmp(fl, "-u") == 0 ||
		    strcmp(fl, "-f") == 0) {
			if (++i == argc) {
				WHY(x, "%s: a value expected", fl);
				return -1;
			}
			if (fl[1] == 'f') {
				if (acl_is_bool(e->ae_crit))
					continue;	/* no values to load */
				if ((rc = acl_load_file(e, argv[i], dns,
				    x)) == -1)
					return -1;
				warn |= rc;
				files++;
			} else if (fl[1] == 'm' && strcmp(argv[i],
			    acl_match_kind(e->ae_crit)) != 0 &&
			    e->ae_crit != AC_TRUE && e->ae_crit != AC_FALSE) {
				WHY(x, "-m %.32s: only -m %s is supported for "
				    "%s", argv[i], acl_match_kind(e->ae_crit),
				    e->ae_fetch);
				return -1;
			}
			continue;
		}
		WHY(x, "flag \"%.32s\" not supported (-i, -n, -m, -f, -u, "
		    "--)", fl);
		return -1;
	}
	if (acl_is_bool(e->ae_crit))
		return 0;	/* haproxy ignores their values too */
	for (; i < argc; i++) {
		if (!acl_is_net(e->ae_crit) && acl_op(argv[i], &op)) {
			haveop = 1;
			continue;
		}
		if ((rc = acl_add_pat(e, argv[i], op, dns, x)) == -1)
			return -1;
		warn |= rc;
		op = AO_RANGE;
		haveop = 0;
	}
	if (haveop) {
		WHY(x, "an operator without a value");
		return -1;
	}
	if (e->ae_npats == 0 && files == 0) {
		WHY(x, "no value: this ACL never matches");
		return 1;
	}
	return warn;
}

static int
acl_find(const struct acl_set *s, const char *name)
{
	return hp_named(s->s_acls, s->s_nacls, sizeof(*s->s_acls),
	    offsetof(struct acl, a_name), name);
}

static int
acl_new(struct acl_set *s, const char *name, struct acl_ctx *x)
{
	struct acl *a;

	if ((a = acl_grow(&s->s_acls, s->s_nacls, ACL_MAXACLS,
	    sizeof(*a))) == NULL) {
		WHY(x, "more than %d ACLs, or out of memory", ACL_MAXACLS);
		return -1;
	}
	memset(a, 0, sizeof(*a));
	snprintf(a->a_name, sizeof(a->a_name), "%s", name);
	a->a_first = a->a_last = -1;
	return s->s_nacls++;
}

/*
 * One expression (criterion, flags, values) into ACL ai.  Returns 0, 1
 * with a notice in why, or -1.
 */
static int
acl_expr(struct acl_set *s, int ai, int argc, char **argv, struct acl_ctx *x)
{
	struct acl_expr *e;
	struct acl *a;
	const char *why;
	int rc = 0;

	if (argc < 1) {
		WHY(x, "a criterion expected");
		return -1;
	}
	if ((e = acl_grow(&s->s_exprs, s->s_nexprs, ACL_MAXEXPRS,
	    sizeof(*e))) == NULL) {
		WHY(x, "more than %d ACL expressions, or out of memory",
		    ACL_MAXEXPRS);
		return -1;
	}
	memset(e, 0, sizeof(*e));
	e->ae_next = -1;
	e->ae_file = x->x_file;
	e->ae_line = x->x_line;
	snprintf(e->ae_fetch, sizeof(e->ae_fetch), "%s", argv[0]);
	e->ae_crit = acl_crit(argv[0]);
	if (e->ae_crit == AC_UNSUP) {
		why = acl_why_not(argv[0]);
		snprintf(e->ae_why, sizeof(e->ae_why), "%s", why ? why :
		    "not supported (at L4: src, dst, src_port, dst_port, "
		    "always_*, nbsrv, srv_is_up...)");
	} else if ((acl_is_state(e->ae_crit) &&
	    acl_state_arg(e, argv[0], x) == -1) ||
	    (rc = acl_values(e, argc - 1, argv + 1, x)) == -1) {
		free(e->ae_pats);
		free(e->ae_arg);
		return -1;
	}
	s->s_nexprs++;
	a = &s->s_acls[ai];
	if (a->a_last == -1)
		a->a_first = s->s_nexprs - 1;
	else
		s->s_exprs[a->a_last].ae_next = s->s_nexprs - 1;
	a->a_last = s->s_nexprs - 1;
	if (e->ae_crit == AC_DST || e->ae_crit == AC_DST_PORT)
		s->s_needdst = 1;
	return rc;
}

static int
acl_name_ok(const char *n)
{
	if (*n == '\0')
		return 0;
	for (; *n != '\0'; n++)
		if (!isalnum((unsigned char)*n) && strchr("_.:-", *n) == NULL)
			return 0;
	return 1;
}

static int acl_usable(const struct acl_set *, int, struct acl_ctx *);

int
acl_declare(struct acl_set *s, int argc, char **argv, struct acl_ctx *x)
{
	int ai, rc;

	if (argc < 2) {
		WHY(x, "NAME CRITERION [flags] [values] expected");
		return -1;
	}
	if (!acl_name_ok(argv[0]) || strlen(argv[0]) >= ACL_NAMELEN) {
		WHY(x, "name \"%.64s\": letters, digits and _.:- only, "
		    "shorter than %d", argv[0], ACL_NAMELEN);
		return -1;
	}
	if ((ai = acl_find(s, argv[0])) == -1 &&
	    (ai = acl_new(s, argv[0], x)) == -1)
		return -1;
	/* several lines of one name: any of them matches (haproxy) */
	if ((rc = acl_expr(s, ai, argc - 1, argv + 1, x)) == -1)
		return -1;
	/* a rule above uses it already: it must stay L4 */
	if (s->s_acls[ai].a_used && acl_usable(s, ai, x) == -1)
		return -1;
	return rc;
}

/* haproxy's predefined ACLs: the L4 ones made on first use. */
static int
acl_predefined(struct acl_set *s, const char *name, struct acl_ctx *x)
{
	static const struct {
		const char *name;
		const char *words[3];
		int n;
	} def[] = {
		{ "TRUE", { "always_true" }, 1 },
		{ "FALSE", { "always_false" }, 1 },
		{ "LOCALHOST", { "src", "127.0.0.1/8", "::1" }, 3 },
	};
	static const char *content[] = { "REQ_CONTENT", "WAIT_END",
	    "RDP_COOKIE" };
	size_t i;
	int ai;

	for (i = 0; i < sizeof(def) / sizeof(def[0]); i++)
		if (strcmp(name, def[i].name) == 0) {
			if ((ai = acl_new(s, name, x)) == -1 ||
			    acl_expr(s, ai, def[i].n, (char **)def[i].words,
			    x) == -1)
				return -1;
			return ai;
		}
	for (i = 0; i < sizeof(content) / sizeof(content[0]); i++)
		if (strcmp(name, content[i]) == 0) {
			WHY(x, "ACL %s: " CONTENT, name);
			return -1;
		}
	if (strncmp(name, "HTTP", 4) == 0 || strncmp(name, "METH_", 5) == 0) {
		WHY(x, "ACL %s: " HTTPONLY, name);
		return -1;
	}
	WHY(x, "no such ACL: \"%.64s\"", name);
	return -1;
}

/* Every expression of ACL ai runs at L4, else why (naming its line). */
static int
acl_usable(const struct acl_set *s, int ai, struct acl_ctx *x)
{
	const struct acl *a = &s->s_acls[ai];
	int i;

	for (i = a->a_first; i != -1; i = s->s_exprs[i].ae_next) {
		const struct acl_expr *e = &s->s_exprs[i];

		if (e->ae_crit != AC_UNSUP)
			continue;
		if (a->a_name[0] == '\0')
			WHY(x, "%.48s: %s", e->ae_fetch, e->ae_why);
		else
			WHY(x, "ACL %.40s (%.60s:%d): %.40s: %.80s", a->a_name,
			    e->ae_file, e->ae_line, e->ae_fetch, e->ae_why);
		return -1;
	}
	return 0;
}

static int
acl_term_add(struct acl_set *s, int ai, int neg, int isor, struct acl_ctx *x)
{
	struct acl_term *t;

	if ((t = acl_grow(&s->s_terms, s->s_nterms, ACL_MAXTERMS,
	    sizeof(*t))) == NULL) {
		WHY(x, "more than %d condition terms, or out of memory",
		    ACL_MAXTERMS);
		return -1;
	}
	t->t_acl = ai;
	t->t_neg = (unsigned char)neg;
	t->t_or = (unsigned char)isor;
	s->s_nterms++;
	return 0;
}

int
acl_cond_parse(struct acl_set *s, int argc, char **argv, struct acl_cond *c,
    struct acl_ctx *x)
{
	int i, j, ai, neg, isor = 0, want = 1;

	memset(c, 0, sizeof(*c));
	c->c_first = s->s_nterms;
	if (argc == 0)
		return 0;
	if (strcmp(argv[0], "unless") == 0)
		c->c_unless = 1;
	else if (strcmp(argv[0], "if") != 0) {
		WHY(x, "\"%.32s\": only \"if\" or \"unless\" may follow",
		    argv[0]);
		return -1;
	}
	if (argc == 1) {
		WHY(x, "%s: a condition expected", argv[0]);
		return -1;
	}
	for (i = 1; i < argc; i++) {
		const char *w = argv[i];

		if (strcmp(w, "or") == 0 || strcmp(w, "||") == 0) {
			if (want) {
				WHY(x, "\"%s\" without an ACL before it", w);
				return -1;
			}
			isor = want = 1;
			continue;
		}
		for (neg = 0; *w == '!'; w++)
			neg = !neg;
		if (*w == '\0') {
			/* "! name": the negation is a word of its own */
			if (++i == argc) {
				WHY(x, "\"!\" without an ACL after it");
				return -1;
			}
			for (w = argv[i]; *w == '!'; w++)
				neg = !neg;
		}
		if (strcmp(w, "{") == 0) {
			for (j = i + 1; j < argc && strcmp(argv[j], "}"); j++)
				;
			if (j == argc) {
				WHY(x, "\"{\" without \"}\"");
				return -1;
			}
			if ((ai = acl_new(s, "", x)) == -1 ||
			    acl_expr(s, ai, j - i - 1, argv + i + 1, x) == -1)
				return -1;
			i = j;
		} else if (*w == '{' || *w == '}') {
			WHY(x, "\"%.32s\": braces are words of their own", w);
			return -1;
		} else if ((ai = acl_find(s, w)) == -1 &&
		    (ai = acl_predefined(s, w, x)) == -1)
			return -1;
		if (acl_usable(s, ai, x) == -1)
			return -1;
		s->s_acls[ai].a_used = 1;
		if (acl_term_add(s, ai, neg, isor, x) == -1)
			return -1;
		isor = want = 0;
	}
	if (want) {
		WHY(x, "the condition ends with \"or\"");
		return -1;
	}
	c->c_nterms = s->s_nterms - c->c_first;
	return 0;
}

int
acl_rule_add(struct acl_set *s, const struct acl_rule *r, char *why,
    size_t whylen)
{
	struct acl_rule *n;

	if ((n = acl_grow(&s->s_rules, s->s_nrules, ACL_MAXRULES,
	    sizeof(*n))) == NULL) {
		snprintf(why, whylen, "more than %d rules, or out of memory",
		    ACL_MAXRULES);
		return -1;
	}
	*n = *r;
	s->s_nrules++;
	s->s_nkind[r->r_kind]++;
	return 0;
}
