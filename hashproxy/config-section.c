/* SPDX-License-Identifier: ISC */
/*
 * Section lines: which sections hashproxy reads, which it skips, and
 * what a new proxy starts from: the last defaults section, or a named
 * one ("frontend f from D", haproxy 2.6).  A proxy's mode is only known
 * at its end, so mode-dependent keywords get their verdict here too.
 */
#include <limits.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "config-parser.h"
#include "wordtable.h"

static void sec_open(struct cf_parser *, int, char **);

/* Sorted by name (strcmp): unit-config.c checks it. */
const struct cf_kw cf_section_kws[] = {
	CF_PARAM_IMPL("backend", 0, sec_open),
	CF_PARAM_HARMLESS("cache", 0, "only HTTP rules use it"),
	CF_PARAM_IMPL("defaults", 0, sec_open),
	CF_PARAM_HARMLESS("fcgi-app", 0,
	    "only use-fcgi-app uses it, which is refused"),
	CF_PARAM_IMPL("frontend", 0, sec_open),
	CF_PARAM_IMPL("global", 0, sec_open),
	CF_PARAM_HARMLESS("http-errors", 0, "no HTTP error pages at L4"),
	CF_PARAM_IMPL("listen", 0, sec_open),
	CF_PARAM_HARMLESS("mailers", 0, "no mail; watch the event lines"),
	CF_PARAM_HARMLESS("peers", 0,
	    "only stick tables use it, which are refused"),
	CF_PARAM_REFUSED("program", 0, "the program would not be started"),
	CF_PARAM_IMPL("resolvers", 0, config_resolvers_open),
	CF_PARAM_HARMLESS("ring", 0,
	    "hashproxy logs to stderr or with --syslog"),
	CF_PARAM_HARMLESS("userlist", 0, "only HTTP authentication uses it"),
};
const size_t cf_nsection_kws = sizeof(cf_section_kws) /
    sizeof(cf_section_kws[0]);

static void
sec_builtin(struct cf_defaults *d)
{
	memset(d, 0, sizeof(*d));
	config_frontend_defaults(&d->d_fe);
	config_backend_defaults(&d->d_be);
	config_server_defaults(&d->d_srv);
}

/* The named defaults section called name (names are kept once). */
static struct cf_defaults *
sec_named(struct cf_parser *p, const char *name)
{
	int i;

	for (i = 0; i < p->p_nnamed; i++)
		if (strcmp(p->p_named[i].d_name, name) == 0)
			return &p->p_named[i];
	return NULL;
}

/* Ends the current section: a named defaults is kept for "from". */
void
config_section_end(struct cf_parser *p)
{
	struct cf_defaults *d;

	if (p->p_indef && p->p_def.d_name[0] != '\0') {
		if ((d = sec_named(p, p->p_def.d_name)) == NULL &&
		    p->p_nnamed < CF_MAXDEFAULTS &&
		    (d = realloc(p->p_named, (p->p_nnamed + 1) *
		    sizeof(*d))) != NULL) {
			p->p_named = d;
			d = &d[p->p_nnamed++];
		}
		if (d != NULL)
			*d = p->p_def;
		else
			config_msg(p, CF_ERROR, "defaults %s: too many named "
			    "defaults sections", p->p_def.d_name);
	}
	p->p_indef = 0;
	p->p_sec = SEC_NONE;
	p->p_fe = NULL;
	p->p_be = NULL;
	p->p_tmpl = NULL;
	p->p_pi = NULL;
	p->p_secname = p->p_secvar = "";
}

static struct cf_pinfo *
sec_pinfo(struct cf_parser *p, const struct cf_defaults *from)
{
	struct cf_pinfo *n;

	if ((n = config_grow(p, p->p_pis, p->p_npis, INT_MAX, "proxies",
	    sizeof(*n))) == NULL)
		return NULL;
	p->p_pis = n;
	n = &n[p->p_npis++];
	*n = from->d_pi;
	return n;
}

static struct cf_frontend *
sec_frontend(struct cf_parser *p, const char *name,
    const struct cf_defaults *from)
{
	struct cf_config *cf = p->p_cf;
	struct cf_frontend *n;

	if ((n = config_grow(p, cf->cf_frontends, cf->cf_nfrontends,
	    CF_MAXPROXIES, "frontends", sizeof(*n))) == NULL)
		return NULL;
	cf->cf_frontends = n;
	n = &n[cf->cf_nfrontends++];
	*n = from->d_fe;
	n->fe_nbinds = 0;
	n->fe_backend = -1;
	n->fe_retries_set = n->fe_redispatch_set = 0;
	n->fe_rules = NULL;
	n->fe_line = p->p_line;
	n->fe_file = p->p_file;
	n->fe_name = config_str(p, name);
	return n;
}

static struct cf_backend *
sec_backend(struct cf_parser *p, const char *name,
    const struct cf_defaults *from)
{
	struct cf_config *cf = p->p_cf;
	struct cf_backend *n;

	if ((n = config_grow(p, cf->cf_backends, cf->cf_nbackends,
	    CF_MAXPROXIES, "backends", sizeof(*n))) == NULL)
		return NULL;
	cf->cf_backends = n;
	if (config_backend_find(cf, name) != -1) {
		config_msg(p, CF_ERROR, "backend \"%s\" defined twice", name);
		return NULL;
	}
	n = &n[cf->cf_nbackends++];
	*n = from->d_be;
	n->be_servers = NULL;
	n->be_nservers = 0;
	n->be_retries_set = n->be_redispatch_set = 0;
	n->be_rules = NULL;
	n->be_line = p->p_line;
	n->be_file = p->p_file;
	n->be_name = config_str(p, name);
	return n;
}

/* "from NAME" after the section's name; NULL (and an error) if bad. */
static const struct cf_defaults *
sec_from(struct cf_parser *p, int argc, char **argv, int at)
{
	const struct cf_defaults *d;

	if (argc <= at)
		return &p->p_def;
	if (strcmp(argv[at], "from") != 0 && strchr(argv[at], ':') != NULL) {
		/* haproxy 1.x's "listen NAME ADDR:PORT", which 2.x refuses */
		config_msg(p, CF_ERROR, "%s: address \"%s\" after the name: "
		    "give it a bind line (haproxy 2.x refuses it there too)",
		    argv[0], argv[at]);
		return NULL;
	}
	if (strcmp(argv[at], "from") != 0 || argc != at + 2) {
		config_msg(p, CF_ERROR, "%s: \"from NAME\" expected after the "
		    "name", argv[0]);
		return NULL;
	}
	if ((d = sec_named(p, argv[at + 1])) == NULL)
		config_msg(p, CF_ERROR, "%s: no defaults section named \"%s\" "
		    "before", argv[0], argv[at + 1]);
	return d;
}

static void
sec_defaults(struct cf_parser *p, int argc, char **argv)
{
	const struct cf_defaults *from = NULL;
	int at = 1;

	if (argc > 1 && strcmp(argv[1], "from") != 0)
		at = 2;
	if (argc > at) {
		if ((from = sec_from(p, argc, argv, at)) == NULL)
			return;
		p->p_def = *from;
	} else
		/* each starts from the built-ins */
		sec_builtin(&p->p_def);
	p->p_def.d_name = at == 2 ? config_str(p, argv[1]) : "";
	p->p_indef = 1;
	p->p_fe = &p->p_def.d_fe;
	p->p_be = &p->p_def.d_be;
	p->p_tmpl = &p->p_def.d_srv;
	p->p_pi = &p->p_def.d_pi;
	p->p_secname = at == 2 ? config_strf(p, "defaults %s", argv[1]) :
	    "defaults";
	p->p_secvar = at == 2 ? p->p_def.d_name : "defaults";
}

static void
sec_proxy(struct cf_parser *p, int argc, char **argv)
{
	const struct cf_defaults *from;

	if (argc < 2) {
		config_msg(p, CF_ERROR, "%s: a name is required", argv[0]);
		return;
	}
	p->p_secname = config_strf(p, "%s %s", argv[0], argv[1]);
	p->p_secvar = config_str(p, argv[1]);
	if ((from = sec_from(p, argc, argv, 2)) == NULL)
		return;
	if ((p->p_pi = sec_pinfo(p, from)) == NULL)
		return;
	if (p->p_sec == SEC_FRONTEND || p->p_sec == SEC_LISTEN)
		p->p_fe = sec_frontend(p, argv[1], from);
	if (p->p_sec == SEC_BACKEND || p->p_sec == SEC_LISTEN) {
		p->p_be = sec_backend(p, argv[1], from);
		/* servers inherit the defaults' default-server */
		p->p_besrv = from->d_srv;
		p->p_tmpl = &p->p_besrv;
	}
	if (p->p_sec == SEC_LISTEN && p->p_fe != NULL)
		p->p_fe->fe_defbe = p->p_secvar;
}

static void
sec_open(struct cf_parser *p, int argc, char **argv)
{
	static const struct hp_word secs[] = {
		{ "global", SEC_GLOBAL }, { "defaults", SEC_DEFAULTS },
		{ "frontend", SEC_FRONTEND }, { "backend", SEC_BACKEND },
		{ "listen", SEC_LISTEN },
	};

	/* the section table sends only these words here */
	p->p_sec = (enum cf_section)HP_WORD(secs, argv[0]);
	if (p->p_sec == SEC_GLOBAL)
		p->p_secvar = "global";
	else if (p->p_sec == SEC_DEFAULTS)
		sec_defaults(p, argc, argv);
	else
		sec_proxy(p, argc, argv);
	if ((p->p_sec == SEC_DEFAULTS && !p->p_indef) ||
	    (p->p_sec == SEC_FRONTEND && p->p_fe == NULL) ||
	    (p->p_sec == SEC_BACKEND && p->p_be == NULL) ||
	    (p->p_sec == SEC_LISTEN && (p->p_fe == NULL || p->p_be == NULL))) {
		/* a broken section header: skip its lines */
		p->p_sec = SEC_NONE;
		p->p_skip = 1;
	}
}

/* 1 if argv[0] opens a section (handled), 0 otherwise. */
int
config_section(struct cf_parser *p, int argc, char **argv)
{
	const struct cf_kw *k;

	k = config_kw_find(cf_section_kws, cf_nsection_kws, argv[0]);
	if (k == NULL || strchr(k->kw_name, '*') != NULL)
		return 0;
	config_section_end(p);
	p->p_skip = 0;
	if (k->kw_kind == KW_IMPL) {
		k->kw_fn(p, argc, argv);
		return 1;
	}
	p->p_skip = 1;
	if (k->kw_kind == KW_REFUSED)
		config_msg(p, CF_ERROR, "section \"%s\": not supported (%s)",
		    argv[0], k->kw_why);
	else {
		/* its lines are skipped: one notice for the section */
		config_kw_notice(p, k, config_strf(p, "section \"%s\"",
		    argv[0]));
	}
	return 1;
}

static void
sec_at(struct cf_parser *p, const struct cf_defer *d)
{
	p->p_file = d->df_file;
	p->p_line = d->df_line;
	p->p_secname = d->df_secname != NULL ? d->df_secname : "";
}

/* Was this line already judged for an earlier proxy? */
static int
sec_seen(const struct cf_parser *p, int upto, const struct cf_defer *d,
    int mode)
{
	const struct cf_defer *e;
	int i, j;

	for (i = 0; i < upto; i++) {
		const struct cf_pinfo *pi = &p->p_pis[i];

		if (pi->pi_http != p->p_pis[upto].pi_http)
			continue;
		if (mode && pi->pi_http && pi->pi_mode.df_line == d->df_line &&
		    pi->pi_mode.df_file == d->df_file)
			return 1;
		for (j = 0; !mode && j < pi->pi_ndefer; j++) {
			e = &pi->pi_defer[j];
			if (e->df_line == d->df_line &&
			    e->df_file == d->df_file && e->df_ent == d->df_ent)
				return 1;
		}
	}
	return 0;
}

/*
 * After the last line: HTTP-only keywords are refused in a mode http
 * proxy and ignored in a tcp one (haproxy warns and ignores them there);
 * a line shared through defaults is judged once.
 */
void
config_section_verdicts(struct cf_parser *p)
{
	const struct cf_defer *d;
	int i, j;

	for (i = 0; i < p->p_npis; i++) {
		const struct cf_pinfo *pi = &p->p_pis[i];

		for (j = 0; j < pi->pi_ndefer; j++) {
			d = &pi->pi_defer[j];
			if (sec_seen(p, i, d, 0))
				continue;
			sec_at(p, d);
			if (pi->pi_http)
				config_msg(p, CF_ERROR, "%s: not supported in "
				    "mode http (%s)", d->df_kw,
				    d->df_ent->kw_why);
			else
				config_kw_tcpnotice(p, d->df_ent, d->df_kw);
		}
		if (pi->pi_more > 0) {
			sec_at(p, &pi->pi_defer[CF_MAXDEFER - 1]);
			config_msg(p, pi->pi_http ? CF_ERROR : CF_NOTICE,
			    "and %d more HTTP-only lines after this one %s",
			    pi->pi_more, pi->pi_http ? "not supported in "
			    "mode http" : "ignored in mode tcp");
		}
		if (pi->pi_http && !sec_seen(p, i, &pi->pi_mode, 1)) {
			sec_at(p, &pi->pi_mode);
			config_msg(p, CF_WARNING, "mode http: proxied at L4, "
			    "bytes pass unchanged");
		}
	}
	p->p_secname = "";
}

void
config_section_free(struct cf_parser *p)
{
	free(p->p_named);
	free(p->p_pis);
	p->p_named = NULL;
	p->p_pis = NULL;
	p->p_nnamed = p->p_npis = 0;
}
