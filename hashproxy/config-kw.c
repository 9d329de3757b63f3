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
	{ "section", cf_section_kws, &cf_nsection_kws, NULL, NULL },
	{ "global", cf_global_kws, &cf_nglobal_kws, NULL, NULL },
	{ "proxy", cf_proxy_kws, &cf_nproxy_kws, NULL, NULL },
	{ "option", cf_option_kws, &cf_noption_kws, NULL, NULL },
	{ "server", cf_server_kws, &cf_nserver_kws, cf_param_kws,
	    &cf_nparam_kws },
	{ "bind", cf_bind_kws, &cf_nbind_kws, cf_param_kws, &cf_nparam_kws },
	{ "resolvers", cf_resolvers_kws, &cf_nresolvers_kws, NULL, NULL },
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
kw_noticed(struct cf_parser *p, const struct cf_kw *k, const void *scope)
{
	struct cf_noticed *nt;
	int i;

	for (i = 0; i < p->p_nnoticed; i++)
		if (p->p_noticed[i].nt_kw == k &&
		    p->p_noticed[i].nt_scope == scope)
			return 1;
	if (p->p_nnoticed < CF_MAXNOTICED) {
		nt = &p->p_noticed[p->p_nnoticed++];
		nt->nt_kw = k;
		nt->nt_scope = scope;
	}
	return 0;
}

void
config_kw_notice_in(struct cf_parser *p, const struct cf_kw *k,
    const char *kw, const void *scope)
{
	if (!kw_noticed(p, k, scope))
		config_msg(p, CF_NOTICE, "%s: ignored (%s)", kw, k->kw_why);
}

void
config_kw_notice(struct cf_parser *p, const struct cf_kw *k, const char *kw)
{
	config_kw_notice_in(p, k, kw, NULL);
}

/* An HTTP-only keyword in a mode tcp proxy: haproxy ignores it too. */
void
config_kw_tcpnotice(struct cf_parser *p, const struct cf_kw *k,
    const char *kw)
{
	if (!kw_noticed(p, k, NULL))
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

int
config_arity_ok(struct cf_parser *p, const struct cf_arity *t, size_t n,
    int argc, char **argv)
{
	size_t i;

	for (i = 0; i < n && strcmp(argv[0], t[i].ar_name) != 0; i++)
		continue;
	if (i == n)
		return 1;
	if (t[i].ar_max != -1 && argc - 1 > t[i].ar_max) {
		config_msg(p, CF_ERROR, "%s: takes %s (\"%s\" is one too "
		    "many), as in haproxy", argv[0], t[i].ar_max == 0 ?
		    "no value" : "one value", argv[t[i].ar_max + 1]);
		return 0;
	}
	if (argc - 1 < t[i].ar_min) {
		config_msg(p, CF_ERROR, "%s: %s expected, as in haproxy",
		    argv[0], t[i].ar_min == 1 ? "a value" : "two values");
		return 0;
	}
	return 1;
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
	d->df_secname = p->p_secname;
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

static void
kw_print(FILE *f, const char *table, const struct cf_kw *k)
{
	fprintf(f, "%s\t%s\t%s%s%s\n", table, k->kw_name,
	    kw_kind(k->kw_kind), k->kw_why ? "\t" : "",
	    k->kw_why ? k->kw_why : "");
}

/*
 * One line per keyword: TABLE NAME KIND [REASON].  A table's shared
 * entries (kt_also) are merged among its own in name order: the list
 * names every word its line takes, as the man page does.
 */
void
config_keywords(FILE *f)
{
	size_t t, i, j, n, nalso;

	for (t = 0; t < cf_nkwtables; t++) {
		const struct cf_kwtable *kt = &cf_kwtables[t];
		const struct cf_kw *own = kt->kt_kws, *also = kt->kt_also;

		n = *kt->kt_n;
		nalso = also != NULL ? *kt->kt_nalso : 0;
		for (i = j = 0; i < n || j < nalso; )
			if (j == nalso || (i < n &&
			    strcmp(own[i].kw_name, also[j].kw_name) < 0))
				kw_print(f, kt->kt_name, &own[i++]);
			else
				kw_print(f, kt->kt_name, &also[j++]);
	}
}
