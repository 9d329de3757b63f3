/* SPDX-License-Identifier: ISC */
/*
 * haproxy.cfg reader: the driver.  Files are read one line at a time:
 * cut into words (config-lex.c), conditional blocks (config-cond.c),
 * then the section's keyword table (config-section.c, config-global.c,
 * config-proxy.c ...).  Every error is reported with file:line and
 * counted; parsing carries on so one run shows them all (relayd's
 * yyerror()).  Several files or directories read as one configuration,
 * as haproxy's several -f do.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "acl.h"
#include "config-parser.h"
#include "wordtable.h"

#define CF_MAXFILES	256

/* a name as long as it is: nothing is cut */
struct cf_str {
	struct cf_str	*cs_next;
	char		 cs_text[];
};

static char *config_vfmt(size_t, const char *, va_list)
    __attribute__((format(printf, 2, 0)));
static const char *config_vstrf(struct cf_parser *, const char *, va_list)
    __attribute__((format(printf, 2, 0)));
static char *config_fmt(const char *, ...)
    __attribute__((format(printf, 1, 2)));

/* The formatted text in a new buffer of room extra bytes before it. */
static char *
config_vfmt(size_t room, const char *fmt, va_list ap)
{
	va_list aq;
	char *b;
	int len;

	va_copy(aq, ap);
	len = vsnprintf(NULL, 0, fmt, aq);
	va_end(aq);
	if (len < 0 || (b = malloc(room + (size_t)len + 1)) == NULL)
		return NULL;
	vsnprintf(b + room, (size_t)len + 1, fmt, ap);
	return b;
}

static const char *
config_vstrf(struct cf_parser *p, const char *fmt, va_list ap)
{
	struct cf_config *cf = p->p_cf;
	struct cf_str *n;

	if ((n = (struct cf_str *)config_vfmt(offsetof(struct cf_str,
	    cs_text), fmt, ap)) == NULL) {
		config_msg(p, CF_ERROR, "out of memory");
		return "";
	}
	n->cs_next = cf->cf_strs;
	cf->cf_strs = n;
	return n->cs_text;
}

const char *
config_strf(struct cf_parser *p, const char *fmt, ...)
{
	const char *s;
	va_list ap;

	va_start(ap, fmt);
	s = config_vstrf(p, fmt, ap);
	va_end(ap);
	return s;
}

const char *
config_str(struct cf_parser *p, const char *s)
{
	return config_strf(p, "%s", s);
}

static char *
config_fmt(const char *fmt, ...)
{
	va_list ap;
	char *b;

	va_start(ap, fmt);
	b = config_vfmt(0, fmt, ap);
	va_end(ap);
	return b;
}

void
config_msg(struct cf_parser *p, enum cf_level lvl, const char *fmt, ...)
{
	char *msg, *line = NULL;
	va_list ap;

	va_start(ap, fmt);
	msg = config_vfmt(0, fmt, ap);
	va_end(ap);
	if (msg != NULL && p->p_secname[0] != '\0')
		line = config_fmt("%s:%d: %s: %s", p->p_file, p->p_line,
		    p->p_secname, msg);
	else if (msg != NULL)
		line = config_fmt("%s:%d: %s", p->p_file, p->p_line, msg);
	if (lvl == CF_ERROR)
		p->p_errors++;
	if (p->p_diag != NULL)
		p->p_diag(p->p_arg, lvl, line != NULL ? line : "out of memory");
	free(msg);
	free(line);
}

int
config_expect_args(struct cf_parser *p, int argc, int want, const char *kw)
{
	if (argc != want) {
		config_msg(p, CF_ERROR, "%s: %d argument%s expected", kw,
		    want - 1, want == 2 ? "" : "s");
		return -1;
	}
	return 0;
}

int
config_only_in(struct cf_parser *p, unsigned secs, const char *kw,
    const char *where)
{
	if (secs & SECM(p->p_sec))
		return 0;
	config_msg(p, CF_ERROR, "%s: only in a %s section", kw, where);
	return -1;
}

void *
config_grow(struct cf_parser *p, void *v, int n, int max, const char *what,
    size_t size)
{
	void *nv;

	if (n == max) {
		config_msg(p, CF_ERROR, "more than %d %s", max, what);
		return NULL;
	}
	if ((nv = reallocarray(v, (size_t)n + 1, size)) == NULL)
		config_msg(p, CF_ERROR, "out of memory");
	return nv;
}

void
config_backend_defaults(struct cf_backend *be)
{
	memset(be, 0, sizeof(*be));
	be->be_balance = BAL_ROUNDROBIN;
	be->be_hashtype = HT_MAP;
	be->be_retries = 3;
	be->be_name = "";
	strcpy(be->be_chkmeth, "OPTIONS");
	strcpy(be->be_chkuri, "/");
	strcpy(be->be_chkver, "HTTP/1.0");
}

void
config_frontend_defaults(struct cf_frontend *fe)
{
	memset(fe, 0, sizeof(*fe));
	fe->fe_backend = -1;
	fe->fe_retries = 3;
	fe->fe_name = fe->fe_defbe = "";
}

static void
config_assign_ids(struct cf_parser *p, struct cf_backend *be)
{
	int i, j, next = 1;

	for (i = 0; i < be->be_nservers; i++)
		for (j = 0; j < i; j++)
			if (be->be_servers[i].sv_id != 0 &&
			    be->be_servers[i].sv_id == be->be_servers[j].sv_id) {
				p->p_line = be->be_servers[i].sv_addr.ca_line;
				p->p_file = be->be_servers[i].sv_addr.ca_file;
				config_msg(p, CF_ERROR, "server %s: id %d already "
				    "used by server %s",
				    be->be_servers[i].sv_name,
				    be->be_servers[i].sv_id,
				    be->be_servers[j].sv_name);
			}
	/* haproxy: the first free id >= a counter that moves on with
	 * every server, explicit ids included */
	for (i = 0; i < be->be_nservers; i++)
		be->be_servers[i].sv_id_forced = be->be_servers[i].sv_id != 0;
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

/* where a file came among those read; one whose name was not kept, last */
static int
config_file_idx(const struct cf_config *cf, const char *file)
{
	int i;

	for (i = 0; i < cf->cf_nfiles; i++)
		if (cf->cf_files[i] == file)
			return i;
	return cf->cf_nfiles;
}

int
config_proxy_cmp(const struct cf_config *cf, int f, int b)
{
	const struct cf_frontend *fe = &cf->cf_frontends[f];
	const struct cf_backend *be = &cf->cf_backends[b];
	int fi = config_file_idx(cf, fe->fe_file);
	int bi = config_file_idx(cf, be->be_file);

	if (fi != bi)
		return fi < bi ? -1 : 1;
	return fe->fe_line < be->be_line ? -1 : fe->fe_line > be->be_line;
}

int
config_listen_backend(const struct cf_config *cf, int f)
{
	int b = config_backend_find(cf, cf->cf_frontends[f].fe_name);

	return b != -1 && config_proxy_cmp(cf, f, b) == 0 ? b : -1;
}

int
config_listen_frontend(const struct cf_config *cf, int b)
{
	int f;

	for (f = 0; b != -1 && f < cf->cf_nfrontends; f++)
		if (config_proxy_cmp(cf, f, b) == 0 &&
		    strcmp(cf->cf_frontends[f].fe_name,
		    cf->cf_backends[b].be_name) == 0)
			return f;
	return -1;
}

static int
config_proxy_id_used(const struct cf_config *cf, int id)
{
	int i;

	for (i = 0; i < cf->cf_nfrontends; i++)
		if (cf->cf_frontends[i].fe_id == id)
			return 1;
	for (i = 0; i < cf->cf_nbackends; i++)
		if (cf->cf_backends[i].be_id == id)
			return 1;
	return 0;
}

/*
 * haproxy's proxy ids, as it numbers them once the config is read:
 * proxies in config order (a listen section one proxy, its frontend
 * and backend under one id); a counter moves on with each, explicit
 * ids included, and a proxy without "id" takes the first id at or past
 * it that none holds.  The stats socket's proxy (GLOBAL), where the
 * global section made it, moves the counter on too, but holds no id a
 * later proxy could not take (haproxy 2.6, tests/hashproxy/proxy-id.t).
 */
static void
config_proxy_ids(struct cf_config *cf)
{
	int f, b, next = 1, cli = cf->cf_cli, c, id;

	for (f = 0; f < cf->cf_nfrontends; f++)
		cf->cf_frontends[f].fe_id = cf->cf_frontends[f].fe_forced_id;
	for (b = 0; b < cf->cf_nbackends; b++)
		cf->cf_backends[b].be_id = cf->cf_backends[b].be_forced_id;
	f = b = 0;
	for (;;) {
		if (cli && cf->cf_cli_nfe == f && cf->cf_cli_nbe == b) {
			cli = 0;
			next++;
			continue;
		}
		if (f >= cf->cf_nfrontends && b >= cf->cf_nbackends)
			break;
		if (f >= cf->cf_nfrontends)
			c = 1;
		else if (b >= cf->cf_nbackends)
			c = -1;
		else
			c = config_proxy_cmp(cf, f, b);
		id = c <= 0 ? cf->cf_frontends[f].fe_id : cf->cf_backends[b].be_id;
		if (id == 0) {
			while (config_proxy_id_used(cf, next))
				next++;
			id = next;
		}
		if (c <= 0)
			cf->cf_frontends[f++].fe_id = id;
		if (c >= 0)
			cf->cf_backends[b++].be_id = id;
		next++;
	}
}

/* A disabled backend is not started: none of its servers is checked. */
static void
config_backend_disable(struct cf_backend *be)
{
	int i;

	for (i = 0; i < be->be_nservers; i++)
		be->be_servers[i].sv_check = be->be_servers[i].sv_agent = 0;
}

static int
config_enabled_frontends(const struct cf_config *cf)
{
	int i, n = 0;

	for (i = 0; i < cf->cf_nfrontends; i++)
		n += !cf->cf_frontends[i].fe_disabled;
	return n;
}

static void
config_finish(struct cf_parser *p)
{
	struct cf_config *cf = p->p_cf;
	int i;

	config_section_verdicts(p);
	config_resolvers_finish(p);
	config_proxy_ids(cf);
	p->p_secname = "";
	for (i = 0; i < cf->cf_nbackends; i++) {
		/* haproxy numbers no server of a disabled backend */
		if (!cf->cf_backends[i].be_disabled)
			config_assign_ids(p, &cf->cf_backends[i]);
		config_server_finish(p, &cf->cf_backends[i]);
		cf_extcheck_finish(p, &cf->cf_backends[i]);
		if (cf->cf_backends[i].be_disabled)
			config_backend_disable(&cf->cf_backends[i]);
	}
	for (i = 0; i < cf->cf_nfrontends; i++) {
		struct cf_frontend *fe = &cf->cf_frontends[i];
		struct cf_backend *be;
		char what[64] = "";

		if (fe->fe_disabled) {
			fe->fe_nbinds = 0;	/* no listener */
			continue;
		}
		p->p_line = fe->fe_line;
		p->p_file = fe->fe_file;
		p->p_secname = config_strf(p, "frontend %s", fe->fe_name);
		if (fe->fe_nbinds == 0)
			config_msg(p, CF_ERROR, "no bind line");
		if (config_acl_finish(p, fe) && fe->fe_defbe[0] == '\0')
			continue;	/* only use_backend routes it */
		p->p_line = fe->fe_line;
		p->p_file = fe->fe_file;
		if (fe->fe_defbe[0] == '\0') {
			/* haproxy accepts it and closes every client */
			config_msg(p, CF_WARNING, "no default_backend and no "
			    "use_backend: its clients are closed at once");
			continue;
		}
		fe->fe_backend = config_backend_find(cf, fe->fe_defbe);
		if (fe->fe_backend == -1) {
			config_msg(p, CF_ERROR, "default_backend \"%s\": no "
			    "such backend", fe->fe_defbe);
			continue;
		}
		be = &cf->cf_backends[fe->fe_backend];
		if (be->be_disabled) {
			fe->fe_backend = -1;	/* haproxy closes its clients */
			continue;
		}
		if (fe->fe_retries_set && !be->be_retries_set) {
			be->be_retries = fe->fe_retries;
			snprintf(what, sizeof(what), "'retries %d'",
			    fe->fe_retries);
		}
		if (fe->fe_redispatch_set && !be->be_redispatch_set) {
			be->be_redisp_on = fe->fe_redisp_on;
			be->be_redispatch = fe->fe_redispatch;
			snprintf(what + strlen(what), sizeof(what) - strlen(what),
			    "%s'%soption redispatch'", what[0] ? " and " : "",
			    fe->fe_redisp_on ? "" : "no ");
		}
		if (what[0] != '\0')
			config_msg(p, CF_NOTICE, "%s applied to backend %s "
			    "(haproxy ignores %s in a frontend)", what,
			    be->be_name,
			    strstr(what, " and ") ? "them" : "it");
	}
	p->p_secname = "";
	if (cf->cf_nfrontends == 0 && p->p_errors == 0) {
		p->p_line = 0;
		config_msg(p, CF_ERROR, "no frontend or listen section");
	} else if (config_enabled_frontends(cf) == 0 && p->p_errors == 0) {
		p->p_line = 0;
		config_msg(p, CF_ERROR, "every frontend is disabled: haproxy "
		    "would not start (no listener)");
	}
}

/* Keeps a copy of the file name: messages and addresses point at it. */
static const char *
config_file_name(struct cf_parser *p, const char *file)
{
	struct cf_config *cf = p->p_cf;
	char **n, *s;

	if (cf->cf_nfiles == CF_MAXFILES ||
	    (s = strdup(file)) == NULL)
		return file == NULL ? "?" : "(config)";
	if ((n = realloc(cf->cf_files, (cf->cf_nfiles + 1) *
	    sizeof(*n))) == NULL) {
		free(s);
		return "(config)";
	}
	cf->cf_files = n;
	n[cf->cf_nfiles++] = s;
	return s;
}

static void
config_begin(struct cf_parser *p, struct cf_config *cf, cf_diag_fn diag,
    void *arg)
{
	memset(cf, 0, sizeof(*cf));
	memset(p, 0, sizeof(*p));
	p->p_diag = diag;
	p->p_arg = arg;
	p->p_cf = cf;
	p->p_file = "";
	p->p_secname = p->p_secvar = "";
	p->p_def.d_name = "";
	config_frontend_defaults(&p->p_def.d_fe);
	config_backend_defaults(&p->p_def.d_be);
	config_server_defaults(&p->p_def.d_srv);
}

/*
 * haproxy makes the stats socket's proxy (GLOBAL) at the global
 * section's first line of these, and numbers it among the proxies
 * read by then (config_proxy_ids).
 */
static void
config_cli_proxy(struct cf_parser *p, int argc, char **argv)
{
	static const char *const makers[] = { "socket", "timeout", "maxconn",
	    "bind-process" };
	struct cf_config *cf = p->p_cf;
	size_t i;

	if (cf->cf_cli || argc < 2 || strcmp(argv[0], "stats") != 0)
		return;
	for (i = 0; i < sizeof(makers) / sizeof(makers[0]); i++)
		if (strcmp(argv[1], makers[i]) == 0) {
			cf->cf_cli = 1;
			cf->cf_cli_nfe = cf->cf_nfrontends;
			cf->cf_cli_nbe = cf->cf_nbackends;
			return;
		}
}

static void
config_line(struct cf_parser *p, const char *line, size_t ll)
{
	char store[CF_LINEMAX + CF_MAXARGS + 2], *argv[CF_MAXARGS];
	struct cf_lexenv env;
	const char *why = NULL;
	int argc;

	if (memchr(line, '\0', ll) != NULL) {
		config_msg(p, CF_ERROR, "NUL byte in line");
		return;
	}
	if (ll > CF_LINEMAX) {
		config_msg(p, CF_ERROR, "line longer than %d bytes",
		    CF_LINEMAX);
		return;
	}
	env.le_file = p->p_file;
	env.le_line = p->p_line;
	env.le_section = p->p_secvar;
	argc = config_split(line, ll, store, sizeof(store), argv, CF_MAXARGS,
	    &env, &why);
	if (argc == -1) {
		if (!config_cond_skipping(p))
			config_msg(p, CF_ERROR, "%s", why);
		return;
	}
	if (argc == 0 || config_cond_line(p, argc, argv))
		return;
	if (config_section(p, argc, argv))
		return;
	switch (p->p_sec) {
	case SEC_NONE:
		if (!p->p_skip)
			config_msg(p, CF_ERROR, "\"%s\": outside any "
			    "section", argv[0]);
		break;
	case SEC_GLOBAL:
		config_global(p, argc, argv);
		config_cli_proxy(p, argc, argv);
		break;
	case SEC_RESOLVERS:
		config_resolvers(p, argc, argv);
		break;
	default:
		config_proxy(p, argc, argv);
		break;
	}
}

/* One file's text: each file starts outside any section (haproxy). */
static void
config_text(struct cf_parser *p, const char *buf, size_t len,
    const char *file)
{
	size_t pos = 0;

	p->p_file = config_file_name(p, file);
	p->p_line = 0;
	p->p_skip = 0;
	while (pos < len) {
		const char *line = buf + pos, *nl;
		size_t ll;

		nl = memchr(line, '\n', len - pos);
		ll = nl ? (size_t)(nl - line) : len - pos;
		pos += ll + (nl ? 1 : 0);
		p->p_line++;
		config_line(p, line, ll);
	}
	config_cond_eof(p);
	config_section_end(p);
}

static int
config_end(struct cf_parser *p)
{
	config_finish(p);
	config_section_free(p);
	return p->p_errors;
}

int
config_parse(const char *buf, size_t len, const char *file,
    struct cf_config *cf, cf_diag_fn diag, void *arg)
{
	struct cf_parser *p;
	int rc;

	/* the parser holds several defaults copies: keep it off the stack */
	if ((p = malloc(sizeof(*p))) == NULL) {
		memset(cf, 0, sizeof(*cf));
		if (diag != NULL)
			diag(arg, CF_ERROR, "out of memory");
		return 1;
	}
	config_begin(p, cf, diag, arg);
	config_text(p, buf, len, file);
	rc = config_end(p);
	free(p);
	return rc;
}

/* Reads a whole file into a new buffer; -1 and errno. */
static int
config_slurp(const char *path, char **bufp, size_t *lenp)
{
	char *buf = NULL, *n;
	size_t len = 0, cap = 0;
	ssize_t r;
	int fd, saved;

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
	*bufp = buf;
	*lenp = len;
	return 0;
fail:
	saved = errno;
	close(fd);
	free(buf);
	errno = saved;
	return -1;
}

static int
config_file(struct cf_parser *p, const char *path)
{
	char *buf;
	size_t len;

	if (config_slurp(path, &buf, &len) == -1)
		return -1;
	config_text(p, buf, len, path);
	free(buf);
	return 0;
}

/* haproxy -f DIR: its *.cfg files, not hidden, in strcmp order. */
static int
config_dir_filter(const struct dirent *d)
{
	size_t n = strlen(d->d_name);

	return d->d_name[0] != '.' && n > 4 &&
	    strcmp(d->d_name + n - 4, ".cfg") == 0;
}

static int
config_dir_cmp(const struct dirent **a, const struct dirent **b)
{
	return strcmp((*a)->d_name, (*b)->d_name);
}

static int
config_dir(struct cf_parser *p, const char *dir)
{
	struct dirent **ents;
	struct stat st;
	char path[4096];
	int i, n, rc = 0;

	if ((n = scandir(dir, &ents, config_dir_filter, config_dir_cmp)) == -1)
		return -1;
	for (i = 0; i < n; i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, ents[i]->d_name);
		if (rc == 0 && stat(path, &st) == 0 && S_ISREG(st.st_mode) &&
		    config_file(p, path) == -1)
			rc = -1;
		free(ents[i]);
	}
	free(ents);
	return rc;
}

static int
config_path(struct cf_parser *p, const char *path)
{
	struct stat st;

	if (stat(path, &st) == 0 && S_ISDIR(st.st_mode))
		return config_dir(p, path);
	return config_file(p, path);
}

int
config_load(const char *path, struct cf_config *cf, cf_diag_fn diag,
    void *arg)
{
	return config_load_paths(&path, 1, cf, diag, arg);
}

int
config_load_paths(const char *const *paths, int npaths, struct cf_config *cf,
    cf_diag_fn diag, void *arg)
{
	struct cf_parser *p;
	int i, saved;

	if ((p = malloc(sizeof(*p))) == NULL)
		return -1;
	config_begin(p, cf, diag, arg);
	for (i = 0; i < npaths; i++)
		if (config_path(p, paths[i]) == -1) {
			saved = errno;
			if (diag != NULL) {
				char msg[1200];

				snprintf(msg, sizeof(msg), "%s: %s", paths[i],
				    strerror(saved));
				diag(arg, CF_ERROR, msg);
			}
			config_section_free(p);
			config_free(cf);
			free(p);
			errno = saved;
			return -1;
		}
	i = config_end(p);
	free(p);
	return i;
}

void
config_free(struct cf_config *cf)
{
	int i;

	for (i = 0; i < cf->cf_nbackends; i++) {
		free(cf->cf_backends[i].be_servers);
		acl_set_free(cf->cf_backends[i].be_rules);
	}
	for (i = 0; i < cf->cf_nfrontends; i++)
		acl_set_free(cf->cf_frontends[i].fe_rules);
	free(cf->cf_backends);
	free(cf->cf_frontends);
	free(cf->cf_resolvers);
	for (i = 0; i < cf->cf_nfiles; i++)
		free(cf->cf_files[i]);
	free(cf->cf_files);
	while (cf->cf_strs != NULL) {
		struct cf_str *n = cf->cf_strs->cs_next;

		free(cf->cf_strs);
		cf->cf_strs = n;
	}
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
