/* SPDX-License-Identifier: ISC */
/*
 * The health check keywords of haproxy.cfg: option tcp-check,
 * pgsql-check, mysql-check, redis-check, smtpchk and ldap-check, the
 * tcp-check and
 * http-check rules, and the server's on-marked-down / on-marked-up.
 * What each check does at run time is in check*.c; here the words are
 * only turned into rules, every pattern checked once (regexes compiled,
 * hex decoded) so that a bad one is a config error, never a check that
 * silently fails.
 */
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include <ctype.h>
#include <regex.h>
#include <stdio.h>
#include <string.h>

#include "config.h"
#include "config-parser.h"
#include "sockaddr.h"
#include "wordtable.h"

static void
cfc_rule_init(struct cf_chkrule *r, enum cf_act act)
{
	memset(r, 0, sizeof(*r));
	r->r_act = act;
	r->r_minrecv = -1;
}

/* Decodes a hex string into out; its length, or -1. */
static int
cfc_hex(const char *hex, unsigned char *out, size_t outlen)
{
	size_t i, n = strlen(hex);

	if (n == 0 || n % 2 != 0 || n / 2 >= outlen)
		return -1;
	for (i = 0; i < n; i += 2) {
		int hi, lo;

		if (!isxdigit((unsigned char)hex[i]) ||
		    !isxdigit((unsigned char)hex[i + 1]))
			return -1;
		hi = isdigit((unsigned char)hex[i]) ? hex[i] - '0' :
		    tolower((unsigned char)hex[i]) - 'a' + 10;
		lo = isdigit((unsigned char)hex[i + 1]) ? hex[i + 1] - '0' :
		    tolower((unsigned char)hex[i + 1]) - 'a' + 10;
		out[i / 2] = (unsigned char)(hi << 4 | lo);
	}
	out[n / 2] = '\0';
	return (int)(n / 2);
}

/*
 * A POSIX extended regex hashproxy will run.  Stacked repetitions ("a++",
 * "x{9}{9}") are refused: they are not ERE (PCRE reads some as possessive)
 * and glibc's regcomp() can take unbounded memory on them.
 */
int
cf_regex_ok(const char *re, char *err, size_t errlen)
{
	regex_t rx;
	const char *q;
	int rc, prevq = 0, esc = 0, n;

	for (q = re; *q != '\0'; q++) {
		int isq = !esc && (*q == '*' || *q == '+' || *q == '?' ||
		    *q == '{');

		if (isq && prevq) {
			snprintf(err, errlen, "stacked repetition at \"%.8s\"",
			    q);
			return 0;
		}
		if (!esc && *q == '{') {
			if (sscanf(q + 1, "%d", &n) == 1 && n > 255) {
				snprintf(err, errlen, "repetition count over 255");
				return 0;
			}
			while (*q != '\0' && *q != '}')
				q++;
			if (*q == '\0')
				break;
		}
		prevq = isq;
		esc = !esc && *q == '\\';
	}
	if ((rc = regcomp(&rx, re, REG_EXTENDED | REG_NOSUB)) != 0) {
		regerror(rc, &rx, err, errlen);
		return 0;
	}
	regfree(&rx);
	return 1;
}

static int
cfc_regex_ok(struct cf_parser *p, const char *kw, const char *re)
{
	char buf[128];

	if (!cf_regex_ok(re, buf, sizeof(buf))) {
		config_msg(p, CF_ERROR, "%s \"%s\": bad regular expression: %s",
		    kw, re, buf);
		return 0;
	}
	return 1;
}

/* "200", "200-399", "200,201,300-310": every code 100..599. */
static int
cfc_status_list_ok(const char *s)
{
	int lo, hi, n;

	for (;;) {
		if (sscanf(s, "%3d%n", &lo, &n) != 1 || lo < 100 || lo > 599)
			return 0;
		s += n;
		hi = lo;
		if (*s == '-') {
			if (sscanf(s + 1, "%3d%n", &hi, &n) != 1 || hi < lo ||
			    hi > 599)
				return 0;
			s += n + 1;
		}
		if (*s == '\0')
			return 1;
		if (*s++ != ',')
			return 0;
	}
}

static int
cfc_status_word(const char *w, const char *const *allowed)
{
	for (; *allowed != NULL; allowed++)
		if (strcmp(w, *allowed) == 0)
			return 1;
	return 0;
}

/* A log-format string is evaluated by haproxy: only plain text here. */
static int
cfc_plain(struct cf_parser *p, const char *kw, const char *v, char *dst,
    size_t len)
{
	if (strchr(v, '%') != NULL) {
		config_msg(p, CF_ERROR, "%s \"%s\": log-format expressions are "
		    "not supported, plain text only", kw, v);
		return 0;
	}
	if (config_copy(dst, len, v) == -1) {
		config_msg(p, CF_ERROR, "%s: longer than %zu bytes", kw,
		    len - 1);
		return 0;
	}
	return 1;
}

/* The match keyword's kind, -1 if not one hashproxy runs. */
static int
cfc_match_kind(const char *m, int http)
{
	if (m[0] == '!')
		m++;
	if (strcmp(m, "string") == 0)
		return M_STRING;
	if (strcmp(m, "rstring") == 0)
		return M_RSTRING;
	if (!http && strcmp(m, "binary") == 0)
		return M_BINARY;
	if (!http && strcmp(m, "rbinary") == 0)
		return M_RBINARY;
	if (http && strcmp(m, "status") == 0)
		return M_STATUS;
	if (http && strcmp(m, "rstatus") == 0)
		return M_RSTATUS;
	if (http && strcmp(m, "hdr") == 0)
		return M_HDR;
	if (http && strcmp(m, "fhdr") == 0)
		return M_FHDR;
	return -1;
}

/* "-m str|beg|end|sub|reg" at argv[*i], if there; -1 on a bad method. */
static int
cfc_hmeth(struct cf_parser *p, const char *kw, int argc, char **argv,
    int *i, enum cf_hmatch *m)
{
	static const char *const meths[] = { "str", "beg", "end", "sub",
	    "reg", NULL };
	int k;

	*m = HM_STR;
	if (*i >= argc || strcmp(argv[*i], "-m") != 0)
		return 0;
	for (k = 0; *i + 1 < argc && meths[k] != NULL; k++)
		if (strcmp(argv[*i + 1], meths[k]) == 0) {
			*m = (enum cf_hmatch)k;
			*i += 2;
			return 0;
		}
	config_msg(p, CF_ERROR, "%s -m \"%s\": should be str, beg, end, sub "
	    "or reg", kw, *i + 1 < argc ? argv[*i + 1] : "");
	return -1;
}

/*
 * "hdr|fhdr name [-m METH] NAME [value [-m METH] VALUE]" from argv[*i]
 * (the match word); *i is left on the last word taken.
 */
static int
cfc_hdr(struct cf_parser *p, int argc, char **argv, int *i,
    struct cf_chkrule *r)
{
	char kw[40];
	int j = *i + 1;

	snprintf(kw, sizeof(kw), "http-check expect %s", argv[*i]);
	if (j + 1 >= argc || strcmp(argv[j], "name") != 0) {
		config_msg(p, CF_ERROR, "%s: name [-m METH] NAME [value [-m "
		    "METH] VALUE] expected", kw);
		return 0;
	}
	j++;
	if (cfc_hmeth(p, kw, argc, argv, &j, &r->r_hnm) == -1)
		return 0;
	if (j >= argc || argv[j][0] == '\0') {
		config_msg(p, CF_ERROR, "%s name: a pattern is expected", kw);
		return 0;
	}
	if (!cfc_plain(p, "hdr name", argv[j], r->r_hname,
	    sizeof(r->r_hname)) || (r->r_hnm == HM_REG &&
	    !cfc_regex_ok(p, kw, argv[j])))
		return 0;
	*i = j;
	if (j + 1 >= argc || strcmp(argv[j + 1], "value") != 0)
		return 1;
	j += 2;
	if (cfc_hmeth(p, kw, argc, argv, &j, &r->r_hvm) == -1)
		return 0;
	if (j >= argc || argv[j][0] == '\0') {
		config_msg(p, CF_ERROR, "%s value: a pattern is expected", kw);
		return 0;
	}
	if (!cfc_plain(p, "hdr value", argv[j], (char *)r->r_data,
	    sizeof(r->r_data)) || (r->r_hvm == HM_REG &&
	    !cfc_regex_ok(p, kw, argv[j])))
		return 0;
	r->r_len = strlen(argv[j]);
	r->r_hasval = 1;
	*i = j;
	return 1;
}

/*
 * The "MATCH PATTERN" of an expect rule, the options taken: its kind,
 * and the pattern as that kind wants it.  1, or 0 after an error.
 */
static int
cfc_expect_match(struct cf_parser *p, const char *kw, const char *m,
    const char *pat, int http, struct cf_chkrule *r)
{
	int kind;

	if (m == NULL) {
		config_msg(p, CF_ERROR, "%s: [!] MATCH PATTERN expected", kw);
		return 0;
	}
	if (m[0] == '!') {
		r->r_inverse = 1;
		m++;
	}
	if (pat == NULL) {
		config_msg(p, CF_ERROR, "%s %s: a pattern is expected", kw, m);
		return 0;
	}
	if ((kind = cfc_match_kind(m, http)) != -1)
		r->r_match = (enum cf_match)kind;
	else {
		config_msg(p, CF_ERROR, "%s \"%s\": not supported; should be "
		    "%s", kw, m, http ? "status, rstatus, string, rstring, hdr "
		    "or fhdr" : "string, binary, rstring or rbinary");
		return 0;
	}
	if (r->r_match == M_HDR || r->r_match == M_FHDR)
		return 1;	/* cfc_hdr took its words */
	if (r->r_match == M_BINARY) {
		int n = cfc_hex(pat, r->r_data, sizeof(r->r_data));

		if (n == -1) {
			config_msg(p, CF_ERROR, "%s binary \"%s\": an even "
			    "number of hex digits expected, at most %d bytes",
			    kw, pat, CF_PATLEN - 1);
			return 0;
		}
		r->r_len = (size_t)n;
		return 1;
	}
	if (config_copy((char *)r->r_data, sizeof(r->r_data), pat) == -1 ||
	    *pat == '\0') {
		config_msg(p, CF_ERROR, "%s %s: the pattern should be 1..%d "
		    "bytes", kw, m, CF_PATLEN - 1);
		return 0;
	}
	r->r_len = strlen(pat);
	if (r->r_match == M_STATUS && !cfc_status_list_ok(pat)) {
		config_msg(p, CF_ERROR, "%s status \"%s\": codes or ranges "
		    "(100..599) separated by commas expected", kw, pat);
		return 0;
	}
	if ((r->r_match == M_RSTRING || r->r_match == M_RBINARY ||
	    r->r_match == M_RSTATUS) && !cfc_regex_ok(p, kw, pat))
		return 0;
	return 1;
}

/*
 * Parses "[options] [!] MATCH PATTERN" from argv[i] for "tcp-check
 * expect" (http = 0) or "http-check expect" (http = 1).
 */
static int
cfc_expect(struct cf_parser *p, int argc, char **argv, int i,
    struct cf_chkrule *r, int http)
{
	static const char *const okst[] = { "L7OK", "L7OKC", "L6OK", "L4OK",
	    NULL };
	static const char *const errst[] = { "L7OKC", "L7RSP", "L7STS",
	    "L6RSP", "L4CON", NULL };
	static const char *const toutst[] = { "L7TOUT", "L6TOUT", "L4TOUT",
	    NULL };
	const char *kw = http ? "http-check expect" : "tcp-check expect";
	const char *m, *pat;

	cfc_rule_init(r, ACT_EXPECT);
	/* haproxy takes the options before or after "MATCH PATTERN" */
	for (m = pat = NULL; i < argc; i += 2) {
		const char *o = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;

		if (strcmp(o, "!") == 0 && m == NULL) {
			r->r_inverse = 1;
			i--;
			continue;
		}
		if (strcmp(o, "min-recv") == 0 && v != NULL) {
			if (config_int(v, -1, 65536, &r->r_minrecv) == -1) {
				config_msg(p, CF_ERROR, "%s min-recv \"%s\": "
				    "should be -1..65536", kw, v);
				return 0;
			}
		} else if (strcmp(o, "comment") == 0 && v != NULL) {
			if (!cfc_plain(p, "comment", v, r->r_comment,
			    sizeof(r->r_comment)))
				return 0;
		} else if (strcmp(o, "on-success") == 0 && v != NULL) {
			if (!cfc_plain(p, "on-success", v, r->r_onsuccess,
			    sizeof(r->r_onsuccess)))
				return 0;
		} else if (strcmp(o, "on-error") == 0 && v != NULL) {
			if (!cfc_plain(p, "on-error", v, r->r_onerror,
			    sizeof(r->r_onerror)))
				return 0;
		} else if ((strcmp(o, "ok-status") == 0 ||
		    strcmp(o, "error-status") == 0 ||
		    strcmp(o, "tout-status") == 0) && v != NULL) {
			const char *const *al = o[0] == 'o' ? okst :
			    o[0] == 'e' ? errst : toutst;
			char *dst = o[0] == 'o' ? r->r_ok : o[0] == 'e' ?
			    r->r_err : r->r_tout;

			if (!cfc_status_word(v, al) || strcmp(v, "L7OKC") == 0 ||
			    strcmp(v, "L6OK") == 0 || strcmp(v, "L6RSP") == 0 ||
			    strcmp(v, "L6TOUT") == 0) {
				config_msg(p, CF_ERROR, "%s %s \"%s\": not "
				    "supported (no TLS, no NOLB state)", kw, o, v);
				return 0;
			}
			snprintf(dst, 8, "%s", v);
		} else if (strcmp(o, "status-code") == 0) {
			config_msg(p, CF_ERROR, "%s status-code: sample "
			    "expressions are not supported", kw);
			return 0;
		} else if (m == NULL && http && (strcmp(o, "hdr") == 0 ||
		    strcmp(o, "fhdr") == 0 || strcmp(o, "!hdr") == 0 ||
		    strcmp(o, "!fhdr") == 0)) {
			if (!cfc_hdr(p, argc, argv, &i, r))
				return 0;
			m = o;
			pat = r->r_hname;
			i--;	/* the loop steps over two words */
		} else if (m == NULL) {
			m = o;
			pat = v;
		} else {
			if (cfc_match_kind(m, http) == -1)
				break;	/* "hdr name x": the match is the error */
			config_msg(p, CF_ERROR, "%s: \"%s\" after the pattern "
			    "(escape spaces with a backslash)", kw, o);
			return 0;
		}
	}
	return cfc_expect_match(p, kw, m, pat, http, r);
}

/*
 * Appends r to be's list, the first in a backend dropping the defaults':
 * 0, or -1 after an error.
 */
static int
cfc_append(struct cf_parser *p, struct cf_chkrule *list, int *n, int *own,
    int max, const char *kw, const struct cf_chkrule *r)
{
	if (p->p_sec != SEC_DEFAULTS && !*own) {
		*n = 0;
		*own = 1;
	}
	if (*n == max) {
		config_msg(p, CF_ERROR, "%s: more than %d rules", kw, max);
		return -1;
	}
	list[(*n)++] = *r;
	return 0;
}

/* "KW comment TEXT": 1, or 0 after an error. */
static int
cfc_comment(struct cf_parser *p, const char *kw, int argc, char **argv,
    struct cf_chkrule *r)
{
	char what[32];

	cfc_rule_init(r, ACT_COMMENT);
	if (argc != 3) {
		config_msg(p, CF_ERROR, "%s comment: one string expected", kw);
		return 0;
	}
	snprintf(what, sizeof(what), "%s comment", kw);
	return cfc_plain(p, what, argv[2], r->r_comment,
	    sizeof(r->r_comment));
}

/*
 * "KW set-var(...)" and "KW unset-var(...)" (bare "set-var" too where
 * haproxy takes it): 1 when a is one, ignored with a warning.  A
 * variable only matters to log-format strings and sample expressions,
 * which are refused: nothing could read it.
 */
static int
cfc_var(struct cf_parser *p, const char *kw, const char *a, int bare)
{
	if (!(bare && strcmp(a, "set-var") == 0) &&
	    strncmp(a, "set-var(", 8) != 0 && strncmp(a, "unset-var(", 10) != 0)
		return 0;
	config_msg(p, CF_WARNING, "%s %s: ignored (no sample expression "
	    "reads variables)", kw, a);
	return 1;
}

/* TLS words: no TLS library is linked, so none can be honoured. */
static int
cfc_tls_word(const char *w)
{
	static const char *const tls[] = { "ssl", "sni", "alpn",
	    "check-ssl", "verify", "crt", "ca-file", NULL };
	int i;

	for (i = 0; tls[i] != NULL; i++)
		if (strcmp(w, tls[i]) == 0)
			return 1;
	return 0;
}

/* "addr IP": an IPv4 or IPv6 literal, the port set when connecting. */
static int
cfc_addr(struct cf_parser *p, const char *kw, const char *v,
    struct cf_chkrule *r)
{
	unsigned char b[16];
	char a[INET6_ADDRSTRLEN];
	size_t n;

	memset(&r->r_addr, 0, sizeof(r->r_addr));
	if (v != NULL && inet_pton(AF_INET, v, b) == 1) {
		r->r_addrlen = sockaddr_make(AF_INET, b, 0, &r->r_addr);
		return 1;
	}
	/* haproxy reads "::1" as host ":" and port "1": IPv6 in brackets */
	n = v != NULL ? strlen(v) : 0;
	if (n > 2 && n < sizeof(a) && v[0] == '[' && v[n - 1] == ']') {
		memcpy(a, v + 1, n - 2);
		a[n - 2] = '\0';
		if (inet_pton(AF_INET6, a, b) == 1) {
			r->r_addrlen = sockaddr_make(AF_INET6, b, 0,
			    &r->r_addr);
			return 1;
		}
	}
	config_msg(p, CF_ERROR, "%s connect addr \"%s\": an IPv4 address or "
	    "an IPv6 one in brackets expected", kw, v ? v : "");
	return 0;
}

/* "tcp-check connect" or "http-check connect" (kw) and its options. */
static int
cfc_connect(struct cf_parser *p, const char *kw, int argc, char **argv,
    struct cf_chkrule *r)
{
	int i;

	cfc_rule_init(r, ACT_CONNECT);
	for (i = 2; i < argc; i++) {
		const char *v = i + 1 < argc ? argv[i + 1] : NULL;

		/* default: the server's own settings, which are used
		 * anyway; linger: RST instead of FIN, the same verdict */
		if (strcmp(argv[i], "default") == 0 ||
		    strcmp(argv[i], "linger") == 0)
			continue;
		if (strcmp(argv[i], "send-proxy") == 0) {
			r->r_sendproxy = 1;
			continue;
		}
		if (strcmp(argv[i], "port") == 0) {
			if (v == NULL || config_int(v, 1, 65535,
			    &r->r_port) == -1) {
				config_msg(p, CF_ERROR, "%s connect port \"%s\": "
				    "should be 1..65535", kw, v ? v : "");
				return 0;
			}
			i++;
		} else if (strcmp(argv[i], "addr") == 0) {
			if (!cfc_addr(p, kw, v, r))
				return 0;
			i++;
		} else if (strcmp(argv[i], "comment") == 0 && v != NULL) {
			if (!cfc_plain(p, "comment", v, r->r_comment,
			    sizeof(r->r_comment)))
				return 0;
			i++;
		} else if (cfc_tls_word(argv[i])) {
			config_msg(p, CF_ERROR, "%s connect \"%s\": not supported "
			    "(TLS: hashproxy has no TLS library)", kw,
			    argv[i]);
			return 0;
		} else {
			/* via-socks4, proto, send-proxy-v2 ...: each changes
			 * what the server is asked */
			config_msg(p, CF_ERROR, "%s connect \"%s\": not "
			    "supported", kw, argv[i]);
			return 0;
		}
	}
	return 1;
}

static int
cfc_send(struct cf_parser *p, int argc, char **argv, struct cf_chkrule *r)
{
	int bin = strcmp(argv[1], "send-binary") == 0, n;

	cfc_rule_init(r, ACT_SEND);
	if (argc != 3 && !(argc == 5 && strcmp(argv[3], "comment") == 0)) {
		config_msg(p, CF_ERROR, "tcp-check %s: one %s expected "
		    "[comment TEXT]", argv[1], bin ? "hex string" : "string");
		return 0;
	}
	if (argc == 5 && !cfc_plain(p, "comment", argv[4], r->r_comment,
	    sizeof(r->r_comment)))
		return 0;
	if (bin) {
		if ((n = cfc_hex(argv[2], r->r_data, sizeof(r->r_data))) == -1) {
			config_msg(p, CF_ERROR, "tcp-check send-binary \"%s\": "
			    "an even number of hex digits expected, at most %d "
			    "bytes", argv[2], CF_PATLEN - 1);
			return 0;
		}
		r->r_len = (size_t)n;
		return 1;
	}
	if (config_copy((char *)r->r_data, sizeof(r->r_data), argv[2]) ==
	    -1 || argv[2][0] == '\0') {
		config_msg(p, CF_ERROR, "tcp-check send: 1..%d bytes expected",
		    CF_PATLEN - 1);
		return 0;
	}
	r->r_len = strlen(argv[2]);
	return 1;
}

/*
 * haproxy 2.6: a connect rule needs the list's first rule (comments
 * aside) to be a connect too, else the rules before it would run on
 * no connection.
 */
static int
cfc_tcp_order(struct cf_parser *p, const struct cf_backend *be,
    const struct cf_chkrule *r)
{
	int n = p->p_sec != SEC_DEFAULTS && !be->be_tcr_own ? 0 : be->be_ntcr;
	int i;

	if (r->r_act != ACT_CONNECT)
		return 1;
	for (i = 0; i < n && be->be_tcr[i].r_act == ACT_COMMENT; i++)
		;
	if (i == n || be->be_tcr[i].r_act == ACT_CONNECT)
		return 1;
	config_msg(p, CF_ERROR, "tcp-check connect: first step MUST also be "
	    "a 'connect', optionally preceded by a 'set-var', an 'unset-var' "
	    "or a 'comment', when there is a 'connect' step in the tcp-check "
	    "ruleset");
	return 0;
}

static int	cfc_rule(struct cf_parser *, int, char **, int,
		    struct cf_chkrule *);

void
cf_tcpcheck(struct cf_parser *p, int argc, char **argv)
{
	struct cf_backend *be = p->p_be;
	struct cf_chkrule tmp;

	if (argc < 2) {
		config_msg(p, CF_ERROR, "tcp-check: connect, send, "
		    "send-binary, expect or comment expected");
		return;
	}
	if (cfc_rule(p, argc, argv, 0, &tmp) && cfc_tcp_order(p, be, &tmp))
		(void)cfc_append(p, be->be_tcr, &be->be_ntcr, &be->be_tcr_own,
		    CF_MAXRULES, "tcp-check", &tmp);
}

/* Appends "name: value\r\n" (the name in lower case, as haproxy
 * sends it) to the send rule's header block. */
static int
cfc_hdr_add(struct cf_parser *p, struct cf_chkrule *r, const char *name,
    const char *value)
{
	char line[CF_PATLEN], val[CF_PATLEN];
	size_t i, n;

	if (name[0] == '\0' || strpbrk(name, ": \t\r\n") != NULL) {
		config_msg(p, CF_ERROR, "http-check send hdr \"%s\": not a "
		    "header name", name);
		return 0;
	}
	if (!cfc_plain(p, "http-check send hdr", value, val, sizeof(val)))
		return 0;
	if (strpbrk(val, "\r\n") != NULL) {
		config_msg(p, CF_ERROR, "http-check send hdr %s: line breaks "
		    "not allowed", name);
		return 0;
	}
	n = (size_t)snprintf(line, sizeof(line), "%s: %s\r\n", name, val);
	if (n >= sizeof(line) || r->r_len + n >= sizeof(r->r_data)) {
		config_msg(p, CF_ERROR, "http-check send: the headers are "
		    "longer than %d bytes", CF_PATLEN - 1);
		return 0;
	}
	for (i = 0; line[i] != ':'; i++)
		line[i] = (char)tolower((unsigned char)line[i]);
	memcpy(r->r_data + r->r_len, line, n + 1);
	r->r_len += n;
	return 1;
}

/* One word after meth, uri, ver or body, copied to dst. */
static int
cfc_send_word(struct cf_parser *p, const char *what, const char *v,
    char *dst, size_t len)
{
	if (v == NULL || v[0] == '\0' || config_copy(dst, len, v) == -1) {
		config_msg(p, CF_ERROR, "http-check send %s: 1..%zu bytes "
		    "expected", what, len - 1);
		return 0;
	}
	if (strcmp(what, "body") != 0 && strpbrk(v, " \t\r\n") != NULL) {
		config_msg(p, CF_ERROR, "http-check send %s \"%s\": no space "
		    "or line break allowed", what, v);
		return 0;
	}
	return 1;
}

/* http-check send [meth M] [uri U] [ver V] [hdr NAME VALUE]* [body B]
 * [comment C] */
static int
cfc_httpsend(struct cf_parser *p, int argc, char **argv,
    struct cf_chkrule *r)
{
	int i, ok = 1;

	cfc_rule_init(r, ACT_SEND);
	for (i = 2; i < argc && ok; i += 2) {
		const char *o = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;

		if (strcmp(o, "meth") == 0)
			ok = cfc_send_word(p, o, v, r->r_meth, sizeof(r->r_meth));
		else if (strcmp(o, "uri") == 0)
			ok = cfc_send_word(p, o, v, r->r_uri, sizeof(r->r_uri));
		else if (strcmp(o, "ver") == 0)
			ok = cfc_send_word(p, o, v, r->r_ver, sizeof(r->r_ver));
		else if (strcmp(o, "body") == 0)
			ok = cfc_send_word(p, o, v, r->r_body, sizeof(r->r_body));
		else if (strcmp(o, "comment") == 0 && v != NULL)
			ok = cfc_plain(p, "comment", v, r->r_comment,
			    sizeof(r->r_comment));
		else if (strcmp(o, "hdr") == 0 && v != NULL && i + 2 < argc) {
			ok = cfc_hdr_add(p, r, v, argv[i + 2]);
			i++;
		} else if (strcmp(o, "uri-lf") == 0 ||
		    strcmp(o, "body-lf") == 0) {
			config_msg(p, CF_ERROR, "http-check send %s: log-format "
			    "expressions are not supported", o);
			return 0;
		} else {
			config_msg(p, CF_ERROR, "http-check send \"%s\": should "
			    "be meth, uri, ver, hdr NAME VALUE, body or comment, "
			    "each with its value", o);
			return 0;
		}
	}
	return ok;
}

/*
 * "option httpchk METH URI VER\r\nName:\ value\r\n\r\nbody": the headers
 * and body haproxy 2.6 still takes after the version, with a warning.
 * Only the version stays in be_chkver.
 */
int
cf_httpchk_hidden(struct cf_parser *p, struct cf_backend *be,
    const char *ver)
{
	char copy[CF_PATLEN * 2], *h, *body, *eol, *colon;

	config_msg(p, CF_WARNING, "option httpchk: headers or a body after "
	    "the version are deprecated; use http-check send");
	if (config_copy(copy, sizeof(copy), ver) == -1) {
		config_msg(p, CF_ERROR, "option httpchk: the version, headers "
		    "and body are longer than %zu bytes", sizeof(copy) - 1);
		return 0;
	}
	/* VERSION[\r\nHEADERS][\r\n\r\nBODY] */
	if ((body = strstr(copy, "\r\n\r\n")) != NULL) {
		*body = '\0';
		body += 4;
	}
	if ((h = strstr(copy, "\r\n")) != NULL) {
		*h = '\0';
		h += 2;
	} else
		h = copy + strlen(copy);
	if (config_copy(be->be_chkver, sizeof(be->be_chkver), copy) == -1) {
		config_msg(p, CF_ERROR, "option httpchk: version \"%s\": too "
		    "long", copy);
		return 0;
	}
	if (body != NULL) {
		if (config_copy(be->be_hcopt.r_body,
		    sizeof(be->be_hcopt.r_body), body) == -1) {
			config_msg(p, CF_ERROR, "option httpchk: the body is "
			    "longer than %d bytes", CF_PATLEN - 1);
			return 0;
		}
	}
	for (; *h != '\0'; h = eol) {
		if ((eol = strstr(h, "\r\n")) != NULL) {
			*eol = '\0';
			eol += 2;
		} else
			eol = h + strlen(h);
		if ((colon = strchr(h, ':')) == NULL) {
			config_msg(p, CF_ERROR, "option httpchk: \"%s\": not a "
			    "header (NAME: VALUE)", h);
			return 0;
		}
		*colon++ = '\0';
		while (*colon == ' ' || *colon == '\t')
			colon++;
		if (!cfc_hdr_add(p, &be->be_hcopt, h, colon))
			return 0;
	}
	return 1;
}

/* The last rule that is not a comment, NULL if none. */
static const struct cf_chkrule *
cfc_last(const struct cf_chkrule *list, int n)
{
	while (n > 0 && list[n - 1].r_act == ACT_COMMENT)
		n--;
	return n > 0 ? &list[n - 1] : NULL;
}

/*
 * haproxy's order: [connect] send expect... then again connect send
 * expect...; a connect anywhere means the first rule is one.
 */
static int
cfc_http_order(struct cf_parser *p, const struct cf_backend *be,
    const struct cf_chkrule *r)
{
	int n = p->p_sec != SEC_DEFAULTS && !be->be_hcr_own ? 0 : be->be_nhcr;
	const struct cf_chkrule *last = cfc_last(be->be_hcr, n);
	const char *what = NULL;
	int i;

	if (last == NULL || r->r_act == ACT_COMMENT)
		return 1;
	for (i = 0; be->be_hcr[i].r_act == ACT_COMMENT; i++)
		;	/* last != NULL: a rule that is not a comment */
	if (r->r_act == ACT_CONNECT && be->be_hcr[i].r_act != ACT_CONNECT)
		what = "connect rule: the first rule must then be a connect";
	else if (r->r_act == ACT_SEND && last->r_act != ACT_CONNECT)
		what = "send rule (missing connect rule)";
	else if (r->r_act == ACT_EXPECT && last->r_act == ACT_CONNECT)
		what = "expect rule (missing send rule)";
	else if (r->r_act == ACT_CONNECT && last->r_act != ACT_EXPECT)
		what = "connect rule (missing expect rule)";
	if (what == NULL)
		return 1;
	config_msg(p, CF_ERROR, "http-check %s: unable to add http-check %s",
	    r->r_act == ACT_SEND ? "send" : r->r_act == ACT_EXPECT ? "expect" :
	    "connect", what);
	return 0;
}

/*
 * The rule of a "tcp-check" (http = 0) or "http-check" (http = 1) line
 * with a word after the keyword, in *r: 1, or 0 for none (an error or a
 * warning was said).
 */
static int
cfc_rule(struct cf_parser *p, int argc, char **argv, int http,
    struct cf_chkrule *r)
{
	const char *kw = http ? "http-check" : "tcp-check";

	if (strcmp(argv[1], "connect") == 0)
		return cfc_connect(p, kw, argc, argv, r);
	if (strcmp(argv[1], "send") == 0 && http)
		return cfc_httpsend(p, argc, argv, r);
	if (strcmp(argv[1], "send") == 0 ||
	    (strcmp(argv[1], "send-binary") == 0 && !http))
		return cfc_send(p, argc, argv, r);
	if (strcmp(argv[1], "expect") == 0)
		return cfc_expect(p, argc, argv, 2, r, http);
	if (strcmp(argv[1], "comment") == 0)
		return cfc_comment(p, kw, argc, argv, r);
	if (cfc_var(p, kw, argv[1], !http))
		return 0;
	/* send-lf, action ...: evaluated expressions */
	config_msg(p, CF_ERROR, "%s %s: not supported; should be %s", kw,
	    argv[1], http ? "connect, send, expect, comment or "
	    "disable-on-404" : "connect, send, send-binary, expect or comment");
	return 0;
}

void
cf_httpcheck(struct cf_parser *p, int argc, char **argv)
{
	struct cf_backend *be = p->p_be;
	struct cf_chkrule tmp;
	int code;

	if (argc < 2) {
		config_msg(p, CF_ERROR, "http-check: connect, send, expect, "
		    "comment or disable-on-404 expected");
		return;
	}
	if (strcmp(argv[1], "disable-on-404") == 0) {
		be->be_disable404 = 1;
		return;
	}
	if (!cfc_rule(p, argc, argv, 1, &tmp) ||
	    !cfc_http_order(p, be, &tmp) || cfc_append(p, be->be_hcr,
	    &be->be_nhcr, &be->be_hcr_own, CF_MAXRULES, "http-check",
	    &tmp) == -1)
		return;
	/* the single status the older "expect status N" set, still shown */
	if (tmp.r_act == ACT_EXPECT && tmp.r_match == M_STATUS &&
	    !tmp.r_inverse && config_int((char *)tmp.r_data, 100, 599,
	    &code) == 0)
		be->be_expect_status = code;
}

/* option pgsql-check user NAME | mysql-check [user NAME [post-41|pre-41]] */
static void
cfc_user(struct cf_parser *p, struct cf_backend *be, int argc, char **argv)
{
	int mysql = argv[1][0] == 'm', max = mysql ? 5 : 4;

	be->be_chkuser[0] = '\0';
	be->be_mysql41 = 1;
	if ((!mysql && argc != 4) || argc > max || (argc > 2 &&
	    (argc < 4 || strcmp(argv[2], "user") != 0))) {
		config_msg(p, CF_ERROR, "option %s: %s expected", argv[1],
		    mysql ? "[user NAME [post-41|pre-41]]" : "user NAME");
		return;
	}
	if (argc >= 4 && (config_copy(be->be_chkuser, sizeof(be->be_chkuser),
	    argv[3]) == -1 || argv[3][0] == '\0'))
		config_msg(p, CF_ERROR, "option %s user: 1..%d bytes expected",
		    argv[1], CF_USERLEN - 1);
	if (argc == 5 && strcmp(argv[4], "pre-41") == 0)
		be->be_mysql41 = 0;
	else if (argc == 5 && strcmp(argv[4], "post-41") != 0)
		config_msg(p, CF_ERROR, "option mysql-check \"%s\": should be "
		    "post-41 or pre-41", argv[4]);
}

/*
 * option smtpchk [EHLO|HELO DOMAIN]: haproxy says "HELO localhost"
 * unless both words are there and the first is EHLO or HELO (exactly:
 * "ehlo x" is not), and it takes anything else without a word.
 */
static void
cfc_smtp(struct cf_parser *p, struct cf_backend *be, int argc, char **argv)
{
	if (argc > 4) {
		config_msg(p, CF_ERROR, "option smtpchk: [EHLO|HELO DOMAIN] "
		    "expected");
		return;
	}
	if (argc == 4 && (strcmp(argv[2], "EHLO") == 0 ||
	    strcmp(argv[2], "HELO") == 0)) {
		if (strpbrk(argv[3], "\r\n") != NULL)
			config_msg(p, CF_ERROR, "option smtpchk: line breaks "
			    "not allowed");
		else if ((size_t)snprintf(be->be_smtphelo,
		    sizeof(be->be_smtphelo), "%s %s", argv[2], argv[3]) >=
		    sizeof(be->be_smtphelo))
			config_msg(p, CF_ERROR, "option smtpchk: domain longer "
			    "than %zu bytes", sizeof(be->be_smtphelo) - 6);
		return;
	}
	snprintf(be->be_smtphelo, sizeof(be->be_smtphelo), "HELO localhost");
}

/* option external-check: a check option as the others, it replaces them */
static int
cfc_option_external(struct cf_parser *p, int argc, char **argv, int no)
{
	struct cf_backend *be = p->p_be;

	if (be == NULL) {
		config_msg(p, CF_WARNING, "option %s: ignored in a frontend",
		    argv[1]);
		return 1;
	}
	if (argc > 2) {
		config_msg(p, CF_ERROR, "option %s: no argument expected",
		    argv[1]);
		return 1;
	}
	if (no) {
		be->be_extcheck = 0;
		return 1;
	}
	be->be_extcheck = 1;
	be->be_chk = CHK_DEFAULT;
	be->be_httpchk = 0;
	return 1;
}

int
cf_option_check(struct cf_parser *p, int argc, char **argv, int no)
{
	static const struct hp_word opts[] = {
		{ "tcp-check", CHK_TCPCHECK }, { "pgsql-check", CHK_PGSQL },
		{ "mysql-check", CHK_MYSQL }, { "redis-check", CHK_REDIS },
		{ "ssl-hello-chk", CHK_SSLHELLO }, { "smtpchk", CHK_SMTP },
		{ "ldap-check", CHK_LDAP },
	};
	struct cf_backend *be = p->p_be;
	enum cf_chk chk;
	int w;

	/* the check options replace one another, httpchk included */
	if (strcmp(argv[1], "httpchk") == 0) {
		if (be != NULL && !no) {
			be->be_chk = CHK_DEFAULT;
			be->be_extcheck = 0;
		}
		return 0;	/* config.c reads its arguments */
	}
	if (strcmp(argv[1], "external-check") == 0)
		return cfc_option_external(p, argc, argv, no);
	if ((w = HP_WORD(opts, argv[1])) == -1)
		return 0;
	chk = (enum cf_chk)w;
	if (be == NULL) {
		config_msg(p, CF_WARNING, "option %s: ignored in a frontend",
		    argv[1]);
		return 1;
	}
	if (no) {
		if (be->be_chk == chk)
			be->be_chk = CHK_DEFAULT;
		return 1;
	}
	if ((chk == CHK_TCPCHECK || chk == CHK_REDIS ||
	    chk == CHK_SSLHELLO || chk == CHK_LDAP) && argc > 2) {
		config_msg(p, CF_ERROR, "option %s: no argument expected",
		    argv[1]);
		return 1;
	}
	if (chk == CHK_PGSQL || chk == CHK_MYSQL)
		cfc_user(p, be, argc, argv);
	if (chk == CHK_SMTP)
		cfc_smtp(p, be, argc, argv);
	be->be_chk = chk;
	be->be_httpchk = 0;
	be->be_extcheck = 0;
	return 1;
}

/* "external-check command PATH" and "external-check path PATHS" */
void
cf_extcheck(struct cf_parser *p, int argc, char **argv)
{
	struct cf_backend *be = p->p_be;
	const char *what = argc > 1 ? argv[1] : "";

	if (strcmp(what, "command") != 0 && strcmp(what, "path") != 0) {
		config_msg(p, CF_ERROR, "external-check: only \"command\" and "
		    "\"path\" are supported (is \"%s\")", what);
		return;
	}
	if (argc != 3) {
		config_msg(p, CF_ERROR, "external-check %s: one argument "
		    "expected", what);
		return;
	}
	if (what[0] == 'c')
		be->be_extcmd = config_strf(p, "%s", argv[2]);
	else
		be->be_extpath = config_strf(p, "%s", argv[2]);
}

void
cf_extcheck_finish(struct cf_parser *p, struct cf_backend *be)
{
	if (!be->be_extcheck)
		return;
	p->p_line = be->be_line;
	p->p_file = be->be_file;
	/* haproxy: fork is for whoever asked for it, in the global section */
	if (!p->p_cf->cf_extcheck)
		config_msg(p, CF_ERROR, "backend %s: option external-check "
		    "needs external-check in the global section",
		    be->be_name);
	if (be->be_extcmd == NULL)
		config_msg(p, CF_ERROR, "backend %s: option external-check "
		    "without external-check command", be->be_name);
}

void
cf_server_onmarked(struct cf_parser *p, int argc, char **argv)
{
	struct cf_server *s = p->p_srv;
	const char *kw = argv[0], *v = argc > 1 ? argv[1] : NULL;
	int down = strcmp(kw, "on-marked-down") == 0;
	const char *want = down ? "shutdown-sessions" :
	    "shutdown-backup-sessions";

	if (v == NULL || strcmp(v, want) != 0) {
		config_msg(p, CF_ERROR, "%s \"%s\": should be %s", kw,
		    v ? v : "", want);
		return;
	}
	if (down)
		s->sv_onmarkeddown = 1;
	else
		s->sv_onmarkedup = 1;
}
