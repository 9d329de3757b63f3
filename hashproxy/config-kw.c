/* SPDX-License-Identifier: ISC */
/*
 * The keyword tables as a whole: lookup (bsearch, as relayd's
 * lookup()), what the kinds other than IMPL do, and the dump behind
 * "hashproxy --keywords" that tests/hashproxy/keywords.t holds against
 * the man page.  Each table lives beside its handlers.
 */
#include <stdlib.h>
#include <string.h>

#include "config-parser.h"

const struct cf_kwtable cf_kwtables[] = {
	{ "section", cf_section_kws, &cf_nsection_kws },
	{ "global", cf_global_kws, &cf_nglobal_kws },
	{ "proxy", cf_proxy_kws, &cf_nproxy_kws },
	{ "option", cf_option_kws, &cf_noption_kws },
	{ "server", cf_server_kws, &cf_nserver_kws },
	{ "bind", cf_bind_kws, &cf_nbind_kws },
	{ "resolvers", cf_resolvers_kws, &cf_nresolvers_kws },
};
const size_t cf_nkwtables = sizeof(cf_kwtables) / sizeof(cf_kwtables[0]);

static int
kw_cmp(const void *key, const void *ent)
{
	return strcmp(key, ((const struct cf_kw *)ent)->kw_name);
}

/* Exact name first, then "prefix*" for tune.xxx or ssl-xxx. */
const struct cf_kw *
config_kw_find(const struct cf_kw *t, size_t n, const char *name)
{
	const struct cf_kw *k;
	char pfx[64];
	size_t i;

	if ((k = bsearch(name, t, n, sizeof(*t), kw_cmp)) != NULL)
		return k;
	for (i = 0; name[i] != '\0' && i + 2 < sizeof(pfx); i++)
		if (name[i] == '.' || name[i] == '-') {
			memcpy(pfx, name, i + 1);
			pfx[i + 1] = '*';
			pfx[i + 2] = '\0';
			return bsearch(pfx, t, n, sizeof(*t), kw_cmp);
		}
	return NULL;
}

/* One notice per harmless keyword and run: a tidy log, not a wall. */
static int
kw_noticed(struct cf_parser *p, const struct cf_kw *k)
{
	int i;

	for (i = 0; i < p->p_nnoticed; i++)
		if (p->p_noticed[i] == k)
			return 1;
	if (p->p_nnoticed < CF_MAXNOTICED)
		p->p_noticed[p->p_nnoticed++] = k;
	return 0;
}

void
config_kw_notice(struct cf_parser *p, const struct cf_kw *k, const char *kw)
{
	if (!kw_noticed(p, k))
		config_msg(p, CF_NOTICE, "%s: ignored (%s)", kw, k->kw_why);
}

/* An HTTP-only keyword in a mode tcp proxy: haproxy ignores it too. */
void
config_kw_tcpnotice(struct cf_parser *p, const struct cf_kw *k,
    const char *kw)
{
	if (!kw_noticed(p, k))
		config_msg(p, CF_NOTICE, "%s: ignored in mode tcp, as haproxy "
		    "does (HTTP only)", kw);
}

void
config_kw_other(struct cf_parser *p, const struct cf_kw *k, const char *kw)
{
	switch (k->kw_kind) {
	case KW_HARMLESS:
		config_kw_notice(p, k, kw);
		break;
	case KW_HTTP:
		config_kw_defer(p, k, kw);
		break;
	case KW_REFUSED:
		config_msg(p, CF_ERROR, "%s: not supported (%s)", kw,
		    k->kw_why);
		break;
	case KW_IMPL:
		break;
	}
}

/* Remembers a mode-dependent keyword for the proxy's final verdict. */
void
config_kw_defer(struct cf_parser *p, const struct cf_kw *k, const char *kw)
{
	struct cf_pinfo *pi = p->p_pi;
	struct cf_defer *d;

	if (pi == NULL)
		return;
	if (pi->pi_ndefer == CF_MAXDEFER) {
		/* counted: the verdict still names them */
		pi->pi_more++;
		return;
	}
	d = &pi->pi_defer[pi->pi_ndefer++];
	d->df_file = p->p_file;
	d->df_line = p->p_line;
	snprintf(d->df_secname, sizeof(d->df_secname), "%s", p->p_secname);
	snprintf(d->df_kw, sizeof(d->df_kw), "%s", kw);
	d->df_ent = k;
}

static const char *
kw_kind(enum cf_kwkind k)
{
	static const char *names[] = { "implemented", "harmless", "http",
	    "refused" };

	return names[k];
}

/* One line per keyword: TABLE NAME KIND [REASON]. */
void
config_keywords(FILE *f)
{
	size_t t, i;

	for (t = 0; t < cf_nkwtables; t++) {
		const struct cf_kwtable *kt = &cf_kwtables[t];
		for (i = 0; i < *kt->kt_n; i++) {
			const struct cf_kw *k = &kt->kt_kws[i];

			fprintf(f, "%s\t%s\t%s%s%s\n", kt->kt_name, k->kw_name,
			    kw_kind(k->kw_kind), k->kw_why ? "\t" : "",
			    k->kw_why ? k->kw_why : "");
		}
	}
}
