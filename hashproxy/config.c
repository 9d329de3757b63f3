/*
 * haproxy.cfg reader.  One line at a time: split into words the way
 * haproxy does (quotes, backslash escapes, '#' comments), then dispatch
 * on the section.  Every error is reported with file:line and counted;
 * parsing carries on so one run shows them all (relayd's yyerror()).
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "duration.h"
#include "config.h"
#include "config-parser.h"

#define CF_MAXARGS	64
#define CF_LINEMAX	4096

void
config_msg(struct cf_parser *p, enum cf_level lvl, const char *fmt, ...)
{
	char msg[1024], line[1200];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (p->p_secname[0] != '\0')
		snprintf(line, sizeof(line), "%s:%d: %s: %s", p->p_file,
		    p->p_line, p->p_secname, msg);
	else
		snprintf(line, sizeof(line), "%s:%d: %s", p->p_file,
		    p->p_line, msg);
	if (lvl == CF_ERROR)
		p->p_errors++;
	if (p->p_diag != NULL)
		p->p_diag(p->p_arg, lvl, line);
}

/* Splits one line into words; returns argc or -1 on a quoting error. */
static int
config_split(const char *line, size_t len, char *store, size_t storelen,
    char **argv, const char **why)
{
	size_t i = 0, o = 0;
	int argc = 0, inword = 0;
	char q = 0;

	for (i = 0; i < len; i++) {
		char c = line[i];

		if (q == 0 && (c == ' ' || c == '\t' || c == '\r')) {
			if (inword) {
				store[o++] = '\0';
				inword = 0;
			}
			continue;
		}
		if (q == 0 && c == '#')
			break;
		if (!inword) {
			if (argc == CF_MAXARGS) {
				*why = "too many words";
				return -1;
			}
			if (o + 1 >= storelen) {
				*why = "line too long";
				return -1;
			}
			argv[argc++] = store + o;
			inword = 1;
		}
		if (q == 0 && (c == '"' || c == '\'')) {
			q = c;
			continue;
		}
		if (q != 0 && c == q) {
			q = 0;
			continue;
		}
		if (c == '\\' && q != '\'') {
			if (i + 1 >= len) {
				*why = "backslash at end of line";
				return -1;
			}
			c = line[++i];
			if (c == 'n')
				c = '\n';
			else if (c == 't')
				c = '\t';
			else if (c == 'r')
				c = '\r';
		}
		if (o + 2 >= storelen) {
			*why = "line too long";
			return -1;
		}
		store[o++] = c;
	}
	if (q != 0) {
		*why = "unterminated quote";
		return -1;
	}
	if (inword)
		store[o++] = '\0';
	return argc;
}

int
config_duration(const char *s, uint64_t *usec)
{
	const char *p;
	uint64_t v;

	if (s == NULL || *s == '\0') {
		errno = EINVAL;
		return -1;
	}
	for (p = s; isdigit((unsigned char)*p); p++)
		;
	if (*p != '\0')
		return duration_parse(s, usec);
	/* haproxy reads a bare number as milliseconds */
	if (duration_parse(s, &v) == -1)
		return -1;
	if (v / 1000000 > UINT64_MAX / 1000) {
		errno = ERANGE;
		return -1;
	}
	*usec = v / 1000;
	return 0;
}

int
config_int(const char *s, int min, int max, int *out)
{
	char *end;
	long v;

	if (s == NULL || *s == '\0' || !(isdigit((unsigned char)*s) ||
	    (*s == '-' && isdigit((unsigned char)s[1]))))
		return -1;
	errno = 0;
	v = strtol(s, &end, 10);
	if (errno != 0 || *end != '\0' || v < min || v > max)
		return -1;
	*out = (int)v;
	return 0;
}

int
config_copy(char *dst, size_t len, const char *src)
{
	size_t n = strlen(src);

	if (n >= len)
		return -1;
	memcpy(dst, src, n + 1);
	return 0;
}

int
config_addr(const char *s, struct cf_addr *a, int needport)
{
	const char *colon, *host = s, *port;
	size_t hlen;
	int pn;

	if (strchr(s, '@') != NULL)
		return -1;	/* ipv4@, unix@ ... prefixes */
	if (*s == '[') {
		const char *rb = strchr(s, ']');

		if (rb == NULL)
			return -1;
		host = s + 1;
		hlen = (size_t)(rb - host);
		if (rb[1] == ':')
			port = rb + 2;
		else if (rb[1] == '\0')
			port = NULL;
		else
			return -1;
	} else {
		colon = strrchr(s, ':');
		if (colon != NULL && strchr(s, ':') != colon) {
			/* bare IPv6 literal: haproxy takes the last colon
			 * as the port separator */
			hlen = (size_t)(colon - s);
			port = colon + 1;
		} else if (colon != NULL) {
			hlen = (size_t)(colon - s);
			port = colon + 1;
		} else {
			hlen = strlen(s);
			port = NULL;
		}
	}
	if (hlen >= sizeof(a->ca_host))
		return -1;
	memcpy(a->ca_host, host, hlen);
	a->ca_host[hlen] = '\0';
	if (port == NULL || *port == '\0') {
		if (needport)
			return -1;
		a->ca_port[0] = '\0';
		return 0;
	}
	if (config_int(port, 1, 65535, &pn) == -1 || *port == '-' ||
	    *port == '+')
		return -1;
	snprintf(a->ca_port, sizeof(a->ca_port), "%d", pn);
	return 0;
}

static void
config_server_defaults(struct cf_server *s)
{
	memset(s, 0, sizeof(*s));
	s->sv_weight = 1;
	s->sv_inter = 2000000;
	s->sv_rise = 2;
	s->sv_fall = 3;
}

static void
config_backend_defaults(struct cf_backend *be)
{
	memset(be, 0, sizeof(*be));
	be->be_balance = BAL_ROUNDROBIN;
	be->be_hashtype = HT_MAP;
	be->be_retries = 3;
	strcpy(be->be_chkmeth, "OPTIONS");
	strcpy(be->be_chkuri, "/");
	strcpy(be->be_chkver, "HTTP/1.0");
}

static void
config_frontend_defaults(struct cf_frontend *fe)
{
	memset(fe, 0, sizeof(*fe));
	fe->fe_backend = -1;
	fe->fe_retries = 3;
}

/* ---- sections ---- */

static struct cf_frontend *
config_new_frontend(struct cf_parser *p, const char *name)
{
	struct cf_config *cf = p->p_cf;
	struct cf_frontend *n;

	if (cf->cf_nfrontends == CF_MAXPROXIES) {
		config_msg(p, CF_ERROR, "more than %d frontends",
		    CF_MAXPROXIES);
		return NULL;
	}
	n = realloc(cf->cf_frontends, (cf->cf_nfrontends + 1) * sizeof(*n));
	if (n == NULL) {
		config_msg(p, CF_ERROR, "out of memory");
		return NULL;
	}
	cf->cf_frontends = n;
	n = &n[cf->cf_nfrontends++];
	*n = p->p_deffe;
	n->fe_nbinds = 0;
	n->fe_backend = -1;
	n->fe_retries_set = n->fe_redispatch_set = 0;
	n->fe_line = p->p_line;
	snprintf(n->fe_name, sizeof(n->fe_name), "%s", name);
	return n;
}

static struct cf_backend *
config_new_backend(struct cf_parser *p, const char *name)
{
	struct cf_config *cf = p->p_cf;
	struct cf_backend *n;

	if (cf->cf_nbackends == CF_MAXPROXIES) {
		config_msg(p, CF_ERROR, "more than %d backends",
		    CF_MAXPROXIES);
		return NULL;
	}
	if (config_backend_find(cf, name) != -1) {
		config_msg(p, CF_ERROR, "backend \"%s\" defined twice", name);
		return NULL;
	}
	n = realloc(cf->cf_backends, (cf->cf_nbackends + 1) * sizeof(*n));
	if (n == NULL) {
		config_msg(p, CF_ERROR, "out of memory");
		return NULL;
	}
	cf->cf_backends = n;
	n = &n[cf->cf_nbackends++];
	*n = p->p_defbe;
	n->be_servers = NULL;
	n->be_nservers = 0;
	n->be_retries_set = n->be_redispatch_set = 0;
	n->be_line = p->p_line;
	snprintf(n->be_name, sizeof(n->be_name), "%s", name);
	return n;
}

static int
config_section(struct cf_parser *p, int argc, char **argv)
{
	static const struct {
		const char *kw;
		enum cf_section sec;
	} secs[] = {
		{ "global", SEC_GLOBAL }, { "defaults", SEC_DEFAULTS },
		{ "frontend", SEC_FRONTEND }, { "backend", SEC_BACKEND },
		{ "listen", SEC_LISTEN },
	};
	static const char *othersecs[] = { "userlist", "peers", "resolvers",
	    "mailers", "program", "http-errors", "ring", "cache",
	    "fcgi-app" };
	size_t i;

	for (i = 0; i < sizeof(othersecs) / sizeof(othersecs[0]); i++)
		if (strcmp(argv[0], othersecs[i]) == 0) {
			p->p_secname[0] = '\0';
			p->p_sec = SEC_NONE;
			p->p_fe = NULL;
			p->p_be = NULL;
			p->p_skip = 1;
			config_msg(p, CF_WARNING, "section \"%s\" not "
			    "supported, ignored", argv[0]);
			return 1;
		}
	for (i = 0; i < sizeof(secs) / sizeof(secs[0]); i++)
		if (strcmp(argv[0], secs[i].kw) == 0)
			break;
	if (i == sizeof(secs) / sizeof(secs[0]))
		return 0;
	p->p_sec = secs[i].sec;
	p->p_skip = 0;
	p->p_fe = NULL;
	p->p_be = NULL;
	p->p_tmpl = NULL;
	p->p_secname[0] = '\0';
	if (p->p_sec == SEC_GLOBAL)
		return 1;
	if (p->p_sec == SEC_DEFAULTS) {
		/* each defaults section starts from the built-in values */
		config_frontend_defaults(&p->p_deffe);
		config_backend_defaults(&p->p_defbe);
		config_server_defaults(&p->p_defsrv);
		p->p_fe = &p->p_deffe;
		p->p_be = &p->p_defbe;
		p->p_tmpl = &p->p_defsrv;
		snprintf(p->p_secname, sizeof(p->p_secname), "defaults");
		return 1;
	}
	if (argc < 2) {
		config_msg(p, CF_ERROR, "%s: a name is required", argv[0]);
		p->p_sec = SEC_NONE;
		p->p_skip = 1;
		return 1;
	}
	if (strlen(argv[1]) >= CF_NAMELEN) {
		config_msg(p, CF_ERROR, "%s \"%.20s...\": name too long",
		    argv[0], argv[1]);
		p->p_sec = SEC_NONE;
		p->p_skip = 1;
		return 1;
	}
	snprintf(p->p_secname, sizeof(p->p_secname), "%s %s", argv[0],
	    argv[1]);
	if (argc > 2)
		config_msg(p, CF_WARNING, "arguments after the name ignored");
	if (p->p_sec == SEC_FRONTEND || p->p_sec == SEC_LISTEN)
		p->p_fe = config_new_frontend(p, argv[1]);
	if (p->p_sec == SEC_BACKEND || p->p_sec == SEC_LISTEN) {
		p->p_be = config_new_backend(p, argv[1]);
		/* servers inherit the last defaults' default-server */
		p->p_besrv = p->p_defsrv;
		p->p_tmpl = &p->p_besrv;
	}
	if (p->p_sec == SEC_LISTEN && p->p_fe != NULL)
		snprintf(p->p_fe->fe_defbe, sizeof(p->p_fe->fe_defbe), "%s",
		    argv[1]);
	if ((p->p_sec == SEC_FRONTEND && p->p_fe == NULL) ||
	    (p->p_sec == SEC_BACKEND && p->p_be == NULL) ||
	    (p->p_sec == SEC_LISTEN && (p->p_fe == NULL || p->p_be == NULL))) {
		p->p_sec = SEC_NONE;
		p->p_skip = 1;
	}
	return 1;
}

/* ---- global ---- */

static void
config_global(struct cf_parser *p, int argc, char **argv)
{
	struct cf_config *cf = p->p_cf;
	static const char *harmless[] = { "daemon", "log", "chroot",
	    "pidfile", "nbproc", "cpu-map", "ca-base",
	    "crt-base", "spread-checks", "log-send-hostname", "node",
	    "description", "master-worker", "hard-stop-after", "quiet",
	    "ssl-default-bind-ciphers", "ssl-default-bind-options",
	    "ssl-default-bind-ciphersuites", "ssl-default-server-ciphers",
	    "ssl-default-server-options", "ssl-dh-param-file", "group",
	    "uid", "gid", "ulimit-n", "server-state-file", "maxsslconn",
	    "stats", "insecure-fork-wanted", "localpeer", "expose-experimental-directives" };
	size_t i;

	if (strcmp(argv[0], "maxconn") == 0) {
		if (argc != 2 || config_int(argv[1], 1, 1000000,
		    &cf->cf_maxconn) == -1)
			config_msg(p, CF_ERROR, "maxconn \"%s\": is not a "
			    "number; should be 1..1000000",
			    argc > 1 ? argv[1] : "");
		return;
	}
	if (strcmp(argv[0], "nbthread") == 0) {
		if (argc != 2 || config_int(argv[1], 1, HP_MAXTHREADS,
		    &cf->cf_nbthread) == -1)
			config_msg(p, CF_ERROR, "nbthread \"%s\": is not a "
			    "number; should be 1..%d", argc > 1 ? argv[1] : "",
			    HP_MAXTHREADS);
		return;
	}
	if (strcmp(argv[0], "user") == 0) {
		if (argc != 2 || config_copy(cf->cf_user,
		    sizeof(cf->cf_user), argv[1]) == -1)
			config_msg(p, CF_ERROR, "user: one name expected");
		return;
	}
	if (strcmp(argv[0], "stats") == 0 && argc >= 2 &&
	    strcmp(argv[1], "socket") == 0) {
		if (argc < 3 || strchr(argv[2], '@') != NULL ||
		    argv[2][0] != '/' ||
		    config_copy(cf->cf_stats_socket,
		    sizeof(cf->cf_stats_socket), argv[2]) == -1) {
			config_msg(p, CF_ERROR, "stats socket: an absolute "
			    "path of at most %d bytes expected",
			    CF_PATHLEN - 1);
			return;
		}
		for (i = 3; i < (size_t)argc; i++)
			if (strcmp(argv[i], "level") != 0 &&
			    strcmp(argv[i], "mode") != 0 &&
			    strcmp(argv[i], "expose-fd") != 0 &&
			    strcmp(argv[i], "user") != 0 &&
			    strcmp(argv[i], "group") != 0)
				break;
		if (argc > 3)
			config_msg(p, CF_WARNING, "stats socket: options "
			    "after the path ignored (mode 0660, admin level)");
		return;
	}
	if (strncmp(argv[0], "tune.", 5) == 0 ||
	    strncmp(argv[0], "ssl-", 4) == 0) {
		config_msg(p, CF_WARNING, "%s: ignored", argv[0]);
		return;
	}
	for (i = 0; i < sizeof(harmless) / sizeof(harmless[0]); i++)
		if (strcmp(argv[0], harmless[i]) == 0) {
			config_msg(p, CF_WARNING, "%s: ignored", argv[0]);
			return;
		}
	config_msg(p, CF_ERROR, "global \"%s\": unknown keyword", argv[0]);
}

/* ---- server lines ---- */

static int
config_srv_dur(struct cf_parser *p, const char *kw, const char *v,
    uint64_t *out)
{
	if (v == NULL || config_duration(v, out) == -1 || *out == 0) {
		config_msg(p, CF_ERROR, "%s \"%s\": not a duration",
		    kw, v ? v : "");
		return -1;
	}
	return 0;
}

static int
config_srv_int(struct cf_parser *p, const char *kw, const char *v, int min,
    int max, int *out)
{
	if (v == NULL || config_int(v, min, max, out) == -1) {
		config_msg(p, CF_ERROR, "%s \"%s\": is not a number in "
		    "%d..%d", kw, v ? v : "", min, max);
		return -1;
	}
	return 0;
}

/* Applies server parameters argv[from..] to s. */
static void
config_server_params(struct cf_parser *p, struct cf_server *s, int argc,
    char **argv, int from)
{
	static const char *harmless[] = { "resolvers", "init-addr",
	    "resolve-prefer", "slowstart", "cookie", "check-send-proxy",
	    "observe", "error-limit", "log-proto", "pool-max-conn",
	    "pool-purge-delay", "tfo", "no-check-ssl", "check-sni",
	    "resolve-opts", "tcp-ut", "maxqueue", "minconn", "agent-inter",
	    "proto" };
	static const char *flagharmless[] = { "no-agent-check",
	    "no-send-proxy", "no-ssl", "no-tfo", "non-stick", "no-backup" };
	int i = from;
	size_t k;

	while (i < argc) {
		const char *kw = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;

		if (strcmp(kw, "check") == 0) {
			s->sv_check = 1;
			i++;
			continue;
		}
		if (strcmp(kw, "no-check") == 0) {
			s->sv_check = 0;
			i++;
			continue;
		}
		if (strcmp(kw, "backup") == 0) {
			s->sv_backup = 1;
			i++;
			continue;
		}
		if (strcmp(kw, "disabled") == 0) {
			s->sv_disabled = 1;
			i++;
			continue;
		}
		if (strcmp(kw, "enabled") == 0) {
			s->sv_disabled = 0;
			i++;
			continue;
		}
		i += 2;
		if (cf_server_check_param(p, s, kw, v))
			;
		else if (strcmp(kw, "inter") == 0)
			config_srv_dur(p, kw, v, &s->sv_inter);
		else if (strcmp(kw, "fastinter") == 0)
			config_srv_dur(p, kw, v, &s->sv_fastinter);
		else if (strcmp(kw, "downinter") == 0)
			config_srv_dur(p, kw, v, &s->sv_downinter);
		else if (strcmp(kw, "rise") == 0)
			config_srv_int(p, kw, v, 1, 1000, &s->sv_rise);
		else if (strcmp(kw, "fall") == 0)
			config_srv_int(p, kw, v, 1, 1000, &s->sv_fall);
		else if (strcmp(kw, "weight") == 0)
			config_srv_int(p, kw, v, 0, CF_MAXWEIGHT,
			    &s->sv_weight);
		else if (strcmp(kw, "id") == 0)
			config_srv_int(p, kw, v, 1, 1000000, &s->sv_id);
		else if (strcmp(kw, "maxconn") == 0)
			config_srv_int(p, kw, v, 0, 1000000, &s->sv_maxconn);
		else if (strcmp(kw, "port") == 0)
			config_srv_int(p, kw, v, 1, 65535, &s->sv_checkport);
		else {
			for (k = 0; k < sizeof(harmless) / sizeof(harmless[0]);
			    k++)
				if (strcmp(kw, harmless[k]) == 0)
					break;
			if (k < sizeof(harmless) / sizeof(harmless[0])) {
				config_msg(p, CF_WARNING, "server parameter "
				    "\"%s\" ignored", kw);
				continue;
			}
			for (k = 0; k < sizeof(flagharmless) /
			    sizeof(flagharmless[0]); k++)
				if (strcmp(kw, flagharmless[k]) == 0)
					break;
			i--;
			if (k < sizeof(flagharmless) / sizeof(flagharmless[0])) {
				config_msg(p, CF_WARNING, "server parameter "
				    "\"%s\" ignored", kw);
				continue;
			}
			/* ssl, send-proxy, addr, track, agent-check ...
			 * each changes what the server gets */
			config_msg(p, CF_ERROR, "server parameter \"%s\" not "
			    "supported", kw);
			return;
		}
		if (v == NULL)
			return;
	}
}

static void
config_server(struct cf_parser *p, struct cf_backend *be, int argc,
    char **argv)
{
	struct cf_server *n, *s;

	if (argc < 3) {
		config_msg(p, CF_ERROR, "server: NAME ADDRESS:PORT expected");
		return;
	}
	if (strlen(argv[1]) >= CF_NAMELEN) {
		config_msg(p, CF_ERROR, "server name too long");
		return;
	}
	if (config_server_find(be, argv[1]) != -1) {
		config_msg(p, CF_ERROR, "server \"%s\" defined twice",
		    argv[1]);
		return;
	}
	if (be->be_nservers == CF_MAXSERVERS) {
		config_msg(p, CF_ERROR, "more than %d servers",
		    CF_MAXSERVERS);
		return;
	}
	n = realloc(be->be_servers, (be->be_nservers + 1) * sizeof(*n));
	if (n == NULL) {
		config_msg(p, CF_ERROR, "out of memory");
		return;
	}
	be->be_servers = n;
	s = &n[be->be_nservers];
	*s = *p->p_tmpl;
	snprintf(s->sv_name, sizeof(s->sv_name), "%s", argv[1]);
	if (config_addr(argv[2], &s->sv_addr, 1) == -1) {
		config_msg(p, CF_ERROR, "server %s: address \"%s\": should be "
		    "HOST:PORT", argv[1], argv[2]);
		return;
	}
	s->sv_addr.ca_line = p->p_line;
	config_server_params(p, s, argc, argv, 3);
	be->be_nservers++;
}

/* ---- proxy keywords ---- */

static int
config_expect_args(struct cf_parser *p, int argc, int want, const char *kw)
{
	if (argc != want) {
		config_msg(p, CF_ERROR, "%s: %d argument%s expected", kw,
		    want - 1, want == 2 ? "" : "s");
		return -1;
	}
	return 0;
}

static void
config_timeout(struct cf_parser *p, int argc, char **argv)
{
	struct cf_frontend *fe = p->p_fe;
	struct cf_backend *be = p->p_be;
	uint64_t v;

	if (argc != 3) {
		config_msg(p, CF_ERROR, "timeout: NAME DURATION expected");
		return;
	}
	if (config_duration(argv[2], &v) == -1) {
		config_msg(p, CF_ERROR, "timeout %s \"%s\": not a duration",
		    argv[1], argv[2]);
		return;
	}
	if (strcmp(argv[1], "client") == 0) {
		if (fe != NULL)
			fe->fe_tclient = v;
	} else if (strcmp(argv[1], "connect") == 0 ||
	    strcmp(argv[1], "contimeout") == 0) {
		if (be != NULL)
			be->be_tconnect = v;
	} else if (strcmp(argv[1], "server") == 0 ||
	    strcmp(argv[1], "tunnel") == 0) {
		/* at L4 every connection is a tunnel */
		if (be != NULL && (strcmp(argv[1], "server") == 0 ||
		    v > be->be_tserver))
			be->be_tserver = v;
	} else if (strcmp(argv[1], "check") == 0) {
		if (be != NULL)
			be->be_tcheck = v;
	} else if (strcmp(argv[1], "queue") == 0) {
		if (be != NULL)
			be->be_tqueue = v;
	} else if (strcmp(argv[1], "http-request") == 0 ||
	    strcmp(argv[1], "http-keep-alive") == 0 ||
	    strcmp(argv[1], "client-fin") == 0 ||
	    strcmp(argv[1], "server-fin") == 0 ||
	    strcmp(argv[1], "tarpit") == 0) {
		config_msg(p, CF_WARNING, "timeout %s: ignored (L4 proxy)",
		    argv[1]);
		return;
	} else {
		config_msg(p, CF_ERROR, "timeout \"%s\": unknown", argv[1]);
		return;
	}
	if ((strcmp(argv[1], "client") == 0 && fe == NULL) ||
	    (strcmp(argv[1], "client") != 0 && be == NULL))
		config_msg(p, CF_WARNING, "timeout %s: ignored in this section",
		    argv[1]);
}

static void
config_hashtype(struct cf_parser *p, int argc, char **argv)
{
	struct cf_backend *be = p->p_be;
	static const char *fns[] = { "sdbm", "djb2", "wt6", "crc32", "none" };
	size_t i;

	if (argc < 2 || argc > 4) {
		config_msg(p, CF_ERROR, "hash-type: consistent|map-based"
		    "|rendezvous [FUNCTION [avalanche]] expected");
		return;
	}
	if (strcmp(argv[1], "consistent") == 0)
		be->be_hashtype = HT_CONSISTENT;
	else if (strcmp(argv[1], "map-based") == 0)
		be->be_hashtype = HT_MAP;
	else if (strcmp(argv[1], "rendezvous") == 0)
		be->be_hashtype = HT_RENDEZVOUS;
	else {
		config_msg(p, CF_ERROR, "hash-type \"%s\": should be "
		    "consistent, map-based or rendezvous", argv[1]);
		return;
	}
	/* haproxy: consistent with no function implies avalanche */
	be->be_avalanche = argc == 2 && be->be_hashtype == HT_CONSISTENT;
	if (argc >= 3) {
		for (i = 0; i < sizeof(fns) / sizeof(fns[0]); i++)
			if (strcmp(argv[2], fns[i]) == 0)
				break;
		if (i == sizeof(fns) / sizeof(fns[0])) {
			config_msg(p, CF_ERROR, "hash-type: function \"%s\" "
			    "unknown", argv[2]);
			return;
		}
	}
	if (argc == 4) {
		if (strcmp(argv[3], "avalanche") != 0) {
			config_msg(p, CF_ERROR, "hash-type: modifier \"%s\": "
			    "should be avalanche", argv[3]);
			return;
		}
		be->be_avalanche = 1;
	}
}

static void
config_balance(struct cf_parser *p, int argc, char **argv)
{
	struct cf_backend *be = p->p_be;

	if (argc != 2) {
		config_msg(p, CF_ERROR, "balance: source, roundrobin or "
		    "leastconn expected");
		return;
	}
	if (strcmp(argv[1], "source") == 0)
		be->be_balance = BAL_SOURCE;
	else if (strcmp(argv[1], "roundrobin") == 0 ||
	    strcmp(argv[1], "static-rr") == 0)
		be->be_balance = BAL_ROUNDROBIN;
	else if (strcmp(argv[1], "leastconn") == 0)
		be->be_balance = BAL_LEASTCONN;
	else
		config_msg(p, CF_ERROR, "balance \"%s\": not supported; "
		    "should be source, roundrobin or leastconn", argv[1]);
}

static void
config_httpchk(struct cf_parser *p, int argc, char **argv)
{
	struct cf_backend *be = p->p_be;

	be->be_httpchk = 1;
	if (argc == 3) {
		if (config_copy(be->be_chkuri, sizeof(be->be_chkuri),
		    argv[2]) == -1)
			config_msg(p, CF_ERROR, "option httpchk: URI too long");
	} else if (argc >= 4 && argc <= 5) {
		if (config_copy(be->be_chkmeth, sizeof(be->be_chkmeth),
		    argv[2]) == -1 || config_copy(be->be_chkuri,
		    sizeof(be->be_chkuri), argv[3]) == -1 ||
		    (argc == 5 && config_copy(be->be_chkver,
		    sizeof(be->be_chkver), argv[4]) == -1))
			config_msg(p, CF_ERROR, "option httpchk: argument "
			    "too long");
	} else if (argc > 5)
		config_msg(p, CF_ERROR, "option httpchk: [METHOD] URI "
		    "[VERSION] expected");
	if (strpbrk(be->be_chkuri, "\r\n") != NULL ||
	    strpbrk(be->be_chkmeth, "\r\n ") != NULL ||
	    strpbrk(be->be_chkver, "\r\n ") != NULL)
		config_msg(p, CF_ERROR, "option httpchk: line breaks not "
		    "allowed");
}

static void
config_option(struct cf_parser *p, int argc, char **argv, int no)
{
	struct cf_frontend *fe = p->p_fe;
	struct cf_backend *be = p->p_be;
	static const char *httponly[] = { "http-server-close", "httplog",
	    "httpclose", "http-keep-alive", "forceclose", "http-pretend-keepalive",
	    "http-buffer-request", "http-no-delay", "http-use-htx",
	    "http-ignore-probes", "accept-invalid-http-request",
	    "accept-invalid-http-response", "h1-case-adjust-bogus-client",
	    "h1-case-adjust-bogus-server", "log-separate-errors",
	    "http-restrict-req-hdr-names" };
	static const char *harmless[] = { "tcplog", "dontlognull",
	    "dontlog-normal", "log-health-checks", "logasap", "tcpka",
	    "clitcpka", "srvtcpka", "splice-auto", "splice-request",
	    "splice-response", "contstats", "socket-stats", "independent-streams",
	    "abortonclose", "nolinger", "persist", "prefer-last-server",
	    "redis-check", "tcp-smart-accept", "allredisp", "idle-close-on-response" };
	size_t i;

	if (argc < 2) {
		config_msg(p, CF_ERROR, "option: a name is required");
		return;
	}
	if (strcmp(argv[1], "redispatch") == 0) {
		/* haproxy: every Pth retry, or for -N the Nth retry before
		 * the last one; -1 (the last retry) by default, 0 never */
		int every = -1;

		if (argc > 3) {
			config_msg(p, CF_ERROR, "option redispatch: at most "
			    "one argument");
			return;
		}
		if (argc == 3 && config_int(argv[2], -1000000, 1000000,
		    &every) == -1) {
			config_msg(p, CF_ERROR, "option redispatch \"%s\": "
			    "not an integer", argv[2]);
			return;
		}
		if (no)
			every = 0;
		if (p->p_sec == SEC_FRONTEND) {
			fe->fe_redispatch = every;
			fe->fe_redispatch_set = 1;
		} else if (be != NULL) {
			be->be_redispatch = every;
			be->be_redispatch_set = p->p_sec != SEC_DEFAULTS;
		}
		return;
	}
	if (cf_option_check(p, argc, argv, no))
		return;
	if (strcmp(argv[1], "allbackups") == 0) {
		if (be != NULL)
			be->be_allbackups = !no;
		return;
	}
	if (strcmp(argv[1], "httpchk") == 0) {
		if (be == NULL) {
			config_msg(p, CF_WARNING, "option httpchk ignored in "
			    "a frontend");
			return;
		}
		if (no)
			be->be_httpchk = 0;
		else
			config_httpchk(p, argc, argv);
		return;
	}
	if (strcmp(argv[1], "tcp-smart-connect") == 0) {
		/* always on: see proxy_connect */
		if (no)
			config_msg(p, CF_WARNING, "no option tcp-smart-connect: "
			    "ignored (a client's first bytes always carry the "
			    "server handshake's last ACK)");
		return;
	}
	if (strcmp(argv[1], "tcp-check") == 0) {
		/* with no tcp-check rules this is a plain connect check */
		if (be != NULL)
			be->be_httpchk = 0;
		return;
	}
	if (strcmp(argv[1], "forwardfor") == 0 ||
	    strcmp(argv[1], "originalto") == 0 ||
	    strcmp(argv[1], "ssl-hello-chk") == 0 ||
	    strcmp(argv[1], "mysql-check") == 0 ||
	    strcmp(argv[1], "pgsql-check") == 0 ||
	    strcmp(argv[1], "ldap-check") == 0 ||
	    strcmp(argv[1], "smtpchk") == 0 ||
	    strcmp(argv[1], "transparent") == 0 ||
	    strcmp(argv[1], "http_proxy") == 0 ||
	    strcmp(argv[1], "http-use-proxy-header") == 0) {
		if (no)
			return;
		config_msg(p, CF_ERROR, "option %s: not supported (it would "
		    "change what the server gets)", argv[1]);
		return;
	}
	for (i = 0; i < sizeof(httponly) / sizeof(httponly[0]); i++)
		if (strcmp(argv[1], httponly[i]) == 0) {
			config_msg(p, CF_WARNING, "option %s: HTTP-only, "
			    "ignored (bytes are proxied unchanged at L4)",
			    argv[1]);
			return;
		}
	for (i = 0; i < sizeof(harmless) / sizeof(harmless[0]); i++)
		if (strcmp(argv[1], harmless[i]) == 0) {
			config_msg(p, CF_WARNING, "option %s: ignored",
			    argv[1]);
			return;
		}
	config_msg(p, CF_ERROR, "option \"%s\": not supported", argv[1]);
}

static void
config_httpcheck(struct cf_parser *p, int argc, char **argv)
{
	struct cf_backend *be = p->p_be;

	if (argc >= 2 && strcmp(argv[1], "expect") == 0) {
		cf_httpcheck_expect(p, argc, argv);
		return;
	}
	if (argc == 4 && strcmp(argv[1], "expect") == 0 &&
	    strcmp(argv[2], "status") == 0) {
		if (config_int(argv[3], 100, 599, &be->be_expect_status) == -1)
			config_msg(p, CF_ERROR, "http-check expect status "
			    "\"%s\": should be 100..599", argv[3]);
		return;
	}
	if (argc >= 2 && strcmp(argv[1], "disable-on-404") == 0) {
		config_msg(p, CF_WARNING, "http-check disable-on-404: ignored");
		return;
	}
	if (argc >= 4 && strcmp(argv[1], "send") == 0) {
		int i;

		for (i = 2; i + 1 < argc; i += 2) {
			if (strcmp(argv[i], "meth") == 0)
				config_copy(be->be_chkmeth,
				    sizeof(be->be_chkmeth), argv[i + 1]);
			else if (strcmp(argv[i], "uri") == 0)
				config_copy(be->be_chkuri,
				    sizeof(be->be_chkuri), argv[i + 1]);
			else if (strcmp(argv[i], "ver") == 0)
				config_copy(be->be_chkver,
				    sizeof(be->be_chkver), argv[i + 1]);
			else {
				config_msg(p, CF_ERROR, "http-check send "
				    "\"%s\": not supported", argv[i]);
				return;
			}
		}
		if (i != argc)
			config_msg(p, CF_ERROR, "http-check send: KEY VALUE "
			    "pairs expected");
		if (strpbrk(be->be_chkuri, "\r\n") != NULL ||
		    strpbrk(be->be_chkmeth, "\r\n ") != NULL ||
		    strpbrk(be->be_chkver, "\r\n ") != NULL)
			config_msg(p, CF_ERROR, "http-check send: line breaks "
			    "not allowed");
		return;
	}
	config_msg(p, CF_ERROR, "http-check: only \"expect status N\" and "
	    "\"send meth M uri U\" are supported");
}

static void
config_bind(struct cf_parser *p, int argc, char **argv)
{
	struct cf_frontend *fe = p->p_fe;
	char list[1024], *tok, *save = NULL;

	if (argc < 2) {
		config_msg(p, CF_ERROR, "bind: ADDRESS:PORT expected");
		return;
	}
	if (argc > 2) {
		config_msg(p, CF_ERROR, "bind option \"%s\": not supported",
		    argv[2]);
		return;
	}
	if (config_copy(list, sizeof(list), argv[1]) == -1) {
		config_msg(p, CF_ERROR, "bind: address list too long");
		return;
	}
	for (tok = strtok_r(list, ",", &save); tok != NULL;
	    tok = strtok_r(NULL, ",", &save)) {
		struct cf_addr *a;

		if (fe->fe_nbinds == CF_MAXBINDS) {
			config_msg(p, CF_ERROR, "more than %d bind addresses",
			    CF_MAXBINDS);
			return;
		}
		a = &fe->fe_binds[fe->fe_nbinds];
		memset(a, 0, sizeof(*a));
		if (config_addr(tok, a, 1) == -1) {
			config_msg(p, CF_ERROR, "bind \"%s\": should be "
			    "ADDRESS:PORT", tok);
			return;
		}
		a->ca_line = p->p_line;
		fe->fe_nbinds++;
	}
}

/* Keywords that only make sense in some sections. */
static int
config_need(struct cf_parser *p, const char *kw, int fe, int be)
{
	if ((fe && p->p_fe == NULL) || (be && p->p_be == NULL)) {
		config_msg(p, CF_WARNING, "%s: ignored in this section", kw);
		return 0;
	}
	return 1;
}

static void
config_proxy(struct cf_parser *p, int argc, char **argv)
{
	const char *kw = argv[0];
	static const char *errors[] = { "acl", "use_backend", "http-request",
	    "http-response", "http-after-response", "tcp-request",
	    "tcp-response", "redirect", "cookie", "stick-table", "stick",
	    "use-server", "reqadd", "reqrep", "rspadd", "rsprep",
	    "compression", "filter", "source", "tcp-check", "http-reuse",
	    "dispatch", "server-template", "capture", "unique-id-format",
	    "unique-id-header", "force-persist", "ignore-persist",
	    "persist", "monitor-uri", "monitor" };
	static const char *warns[] = { "log", "log-format", "errorfile",
	    "errorloc", "errorloc302", "errorloc303", "description",
	    "fullconn", "grace", "rate-limit", "log-tag", "email-alert",
	    "load-server-state-from-file", "server-state-file-name",
	    "log-format-sd", "error-log-format", "http-error", "errorfiles",
	    "declare", "enabled" };
	size_t i;
	int no = 0;

	if (strcmp(kw, "no") == 0 && argc >= 2 &&
	    strcmp(argv[1], "option") == 0) {
		argc--;
		argv++;
		kw = argv[0];
		no = 1;
	}
	if (strcmp(kw, "mode") == 0) {
		if (config_expect_args(p, argc, 2, kw) == -1)
			return;
		if (strcmp(argv[1], "http") == 0)
			config_msg(p, CF_WARNING, "mode http: proxied at L4, "
			    "bytes pass unchanged");
		else if (strcmp(argv[1], "tcp") != 0)
			config_msg(p, CF_ERROR, "mode \"%s\": should be tcp "
			    "or http", argv[1]);
	} else if (strcmp(kw, "bind") == 0) {
		if (p->p_sec == SEC_BACKEND || p->p_sec == SEC_DEFAULTS)
			config_msg(p, CF_ERROR, "bind: only in a frontend or "
			    "listen section");
		else
			config_bind(p, argc, argv);
	} else if (strcmp(kw, "default_backend") == 0) {
		if (config_expect_args(p, argc, 2, kw) == -1)
			return;
		if (p->p_fe == NULL || p->p_sec == SEC_LISTEN)
			config_msg(p, CF_WARNING, "default_backend: ignored "
			    "in this section");
		else if (config_copy(p->p_fe->fe_defbe,
		    sizeof(p->p_fe->fe_defbe), argv[1]) == -1)
			config_msg(p, CF_ERROR, "default_backend: name too "
			    "long");
	} else if (strcmp(kw, "timeout") == 0 || strcmp(kw, "contimeout") == 0 ||
	    strcmp(kw, "clitimeout") == 0 || strcmp(kw, "srvtimeout") == 0) {
		config_timeout(p, argc, argv);
	} else if (strcmp(kw, "retries") == 0) {
		int v;

		if (argc != 2 || config_int(argv[1], 0, 100, &v) == -1) {
			config_msg(p, CF_ERROR, "retries \"%s\": should be "
			    "0..100", argc > 1 ? argv[1] : "");
			return;
		}
		if (p->p_sec == SEC_FRONTEND) {
			p->p_fe->fe_retries = v;
			p->p_fe->fe_retries_set = 1;
		} else {
			p->p_be->be_retries = v;
			p->p_be->be_retries_set = p->p_sec != SEC_DEFAULTS;
		}
	} else if (strcmp(kw, "option") == 0) {
		config_option(p, argc, argv, no);
	} else if (strcmp(kw, "maxconn") == 0) {
		int v;

		if (argc != 2 || config_int(argv[1], 0, 1000000, &v) == -1) {
			config_msg(p, CF_ERROR, "maxconn \"%s\": should be "
			    "0..1000000", argc > 1 ? argv[1] : "");
			return;
		}
		if (p->p_fe != NULL)
			p->p_fe->fe_maxconn = v;
		if (p->p_be != NULL)
			p->p_be->be_maxconn = v;
	} else if (strcmp(kw, "balance") == 0) {
		if (config_need(p, kw, 0, 1))
			config_balance(p, argc, argv);
	} else if (strcmp(kw, "hash-type") == 0) {
		if (config_need(p, kw, 0, 1))
			config_hashtype(p, argc, argv);
	} else if (strcmp(kw, "hash-balance-factor") == 0) {
		if (config_need(p, kw, 0, 1) && (argc != 2 ||
		    config_int(argv[1], 0, 65535,
		    &p->p_be->be_balance_factor) == -1 ||
		    (p->p_be->be_balance_factor > 0 &&
		    p->p_be->be_balance_factor <= 100)))
			config_msg(p, CF_ERROR, "hash-balance-factor: 0 or "
			    "more than 100 expected");
	} else if (strcmp(kw, "server") == 0) {
		if (p->p_sec == SEC_FRONTEND || p->p_sec == SEC_DEFAULTS)
			config_msg(p, CF_ERROR, "server: only in a backend "
			    "or listen section");
		else
			config_server(p, p->p_be, argc, argv);
	} else if (strcmp(kw, "default-server") == 0) {
		if (p->p_tmpl == NULL)
			config_msg(p, CF_WARNING, "default-server: ignored "
			    "in a frontend");
		else
			config_server_params(p, p->p_tmpl, argc, argv, 1);
	} else if (strcmp(kw, "tcp-check") == 0) {
		if (config_need(p, kw, 0, 1))
			cf_tcpcheck(p, argc, argv);
	} else if (strcmp(kw, "http-check") == 0) {
		if (config_need(p, kw, 0, 1))
			config_httpcheck(p, argc, argv);
	} else if (strcmp(kw, "stats") == 0) {
		config_msg(p, CF_WARNING, "stats %s: the HTTP stats page is not "
		    "served; use the stats socket", argc > 1 ? argv[1] : "");
	} else if (strcmp(kw, "id") == 0) {
		/* proxy numeric id: only shown in stats */
	} else {
		for (i = 0; i < sizeof(warns) / sizeof(warns[0]); i++)
			if (strcmp(kw, warns[i]) == 0) {
				config_msg(p, CF_WARNING, "%s: ignored", kw);
				return;
			}
		for (i = 0; i < sizeof(errors) / sizeof(errors[0]); i++)
			if (strcmp(kw, errors[i]) == 0) {
				config_msg(p, CF_ERROR, "%s: not supported (it "
				    "would change the behaviour)", kw);
				return;
			}
		config_msg(p, CF_ERROR, "\"%s\": unknown keyword", kw);
	}
}

/* ---- after the last line ---- */

static void
config_assign_ids(struct cf_parser *p, struct cf_backend *be)
{
	int i, j, next = 1;

	for (i = 0; i < be->be_nservers; i++)
		for (j = 0; j < i; j++)
			if (be->be_servers[i].sv_id != 0 &&
			    be->be_servers[i].sv_id == be->be_servers[j].sv_id) {
				p->p_line = be->be_servers[i].sv_addr.ca_line;
				config_msg(p, CF_ERROR, "server %s: id %d already "
				    "used by server %s",
				    be->be_servers[i].sv_name,
				    be->be_servers[i].sv_id,
				    be->be_servers[j].sv_name);
			}
	/* haproxy: the first free id >= a counter that moves on with
	 * every server, explicit ids included */
	for (i = 0; i < be->be_nservers; i++) {
		if (be->be_servers[i].sv_id == 0) {
			for (;;) {
				for (j = 0; j < be->be_nservers; j++)
					if (be->be_servers[j].sv_id == next)
						break;
				if (j == be->be_nservers)
					break;
				next++;
			}
			be->be_servers[i].sv_id = next;
		}
		next++;
	}
}

static void
config_finish(struct cf_parser *p)
{
	struct cf_config *cf = p->p_cf;
	int i;

	p->p_secname[0] = '\0';
	for (i = 0; i < cf->cf_nbackends; i++)
		config_assign_ids(p, &cf->cf_backends[i]);
	for (i = 0; i < cf->cf_nfrontends; i++) {
		struct cf_frontend *fe = &cf->cf_frontends[i];
		struct cf_backend *be;
		char what[64] = "";

		p->p_line = fe->fe_line;
		snprintf(p->p_secname, sizeof(p->p_secname), "frontend %s",
		    fe->fe_name);
		if (fe->fe_nbinds == 0)
			config_msg(p, CF_ERROR, "no bind line");
		if (fe->fe_defbe[0] == '\0') {
			config_msg(p, CF_ERROR, "no default_backend");
			continue;
		}
		fe->fe_backend = config_backend_find(cf, fe->fe_defbe);
		if (fe->fe_backend == -1) {
			config_msg(p, CF_ERROR, "default_backend \"%s\": no "
			    "such backend", fe->fe_defbe);
			continue;
		}
		be = &cf->cf_backends[fe->fe_backend];
		if (fe->fe_retries_set && !be->be_retries_set) {
			be->be_retries = fe->fe_retries;
			snprintf(what, sizeof(what), "'retries %d'",
			    fe->fe_retries);
		}
		if (fe->fe_redispatch_set && !be->be_redispatch_set) {
			be->be_redispatch = fe->fe_redispatch;
			snprintf(what + strlen(what), sizeof(what) - strlen(what),
			    "%s'%soption redispatch'", what[0] ? " and " : "",
			    fe->fe_redispatch ? "" : "no ");
		}
		if (what[0] != '\0')
			config_msg(p, CF_NOTICE, "%s applied to backend %s "
			    "(haproxy ignores %s in a frontend)", what,
			    be->be_name,
			    strstr(what, " and ") ? "them" : "it");
	}
	p->p_secname[0] = '\0';
	if (cf->cf_nfrontends == 0 && p->p_errors == 0) {
		p->p_line = 0;
		config_msg(p, CF_ERROR, "no frontend or listen section");
	}
}

int
config_parse(const char *buf, size_t len, const char *file,
    struct cf_config *cf, cf_diag_fn diag, void *arg)
{
	struct cf_parser p;
	char store[CF_LINEMAX + CF_MAXARGS + 2], *argv[CF_MAXARGS];
	size_t pos = 0;

	memset(cf, 0, sizeof(*cf));
	memset(&p, 0, sizeof(p));
	p.p_file = file;
	p.p_diag = diag;
	p.p_arg = arg;
	p.p_cf = cf;
	config_frontend_defaults(&p.p_deffe);
	config_backend_defaults(&p.p_defbe);
	config_server_defaults(&p.p_defsrv);
	while (pos < len) {
		const char *line = buf + pos, *nl, *why = NULL;
		size_t ll;
		int argc;

		nl = memchr(line, '\n', len - pos);
		ll = nl ? (size_t)(nl - line) : len - pos;
		pos += ll + (nl ? 1 : 0);
		p.p_line++;
		if (memchr(line, '\0', ll) != NULL) {
			config_msg(&p, CF_ERROR, "NUL byte in line");
			continue;
		}
		if (ll > CF_LINEMAX) {
			config_msg(&p, CF_ERROR, "line longer than %d bytes",
			    CF_LINEMAX);
			continue;
		}
		argc = config_split(line, ll, store, sizeof(store), argv, &why);
		if (argc == -1) {
			config_msg(&p, CF_ERROR, "%s", why);
			continue;
		}
		if (argc == 0)
			continue;
		if (config_section(&p, argc, argv))
			continue;
		switch (p.p_sec) {
		case SEC_NONE:
			if (!p.p_skip)
				config_msg(&p, CF_ERROR, "\"%s\": outside any "
				    "section", argv[0]);
			break;
		case SEC_GLOBAL:
			config_global(&p, argc, argv);
			break;
		default:
			config_proxy(&p, argc, argv);
			break;
		}
	}
	config_finish(&p);
	return p.p_errors;
}

int
config_load(const char *path, struct cf_config *cf, cf_diag_fn diag,
    void *arg)
{
	char *buf = NULL, *n;
	size_t len = 0, cap = 0;
	ssize_t r;
	int fd, rc, saved;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
		return -1;
	for (;;) {
		if (len == cap) {
			if (cap >= 16 * 1024 * 1024) {
				errno = EFBIG;
				goto fail;
			}
			cap = cap ? cap * 2 : 16384;
			if ((n = realloc(buf, cap)) == NULL)
				goto fail;
			buf = n;
		}
		r = read(fd, buf + len, cap - len);
		if (r == -1 && errno == EINTR)
			continue;
		if (r == -1)
			goto fail;
		if (r == 0)
			break;
		len += (size_t)r;
	}
	close(fd);
	rc = config_parse(buf, len, path, cf, diag, arg);
	free(buf);
	return rc;
fail:
	saved = errno;
	close(fd);
	free(buf);
	errno = saved;
	return -1;
}

void
config_free(struct cf_config *cf)
{
	int i;

	for (i = 0; i < cf->cf_nbackends; i++)
		free(cf->cf_backends[i].be_servers);
	free(cf->cf_backends);
	free(cf->cf_frontends);
	memset(cf, 0, sizeof(*cf));
}

int
config_backend_find(const struct cf_config *cf, const char *name)
{
	int i;

	for (i = 0; i < cf->cf_nbackends; i++)
		if (strcmp(cf->cf_backends[i].be_name, name) == 0)
			return i;
	return -1;
}

int
config_server_find(const struct cf_backend *be, const char *name)
{
	int i;

	for (i = 0; i < be->be_nservers; i++)
		if (strcmp(be->be_servers[i].sv_name, name) == 0)
			return i;
	return -1;
}
