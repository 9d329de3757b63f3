/* SPDX-License-Identifier: ISC */
/*
 * The parameters after a bind address and after a server's: the ones
 * that mean the same on both lines (TLS, refused as a whole by "ssl",
 * and TCP tuning) in one sorted table, looked up after the line's own,
 * and the loop that reads a line's parameters from the two.
 */
#include <string.h>

#include "config-parser.h"

/* Sorted by name (strcmp): unit-config.c checks it. */
const struct cf_kw cf_param_kws[] = {
	CF_PARAM_HARMLESS("allow-0rtt", 0, NOTLS),
	CF_PARAM_HARMLESS("alpn", 1, NOTLS),
	CF_PARAM_HARMLESS("ca-file", 1, NOTLS),
	CF_PARAM_HARMLESS("ciphers", 1, NOTLS),
	CF_PARAM_HARMLESS("ciphersuites", 1, NOTLS),
	CF_PARAM_HARMLESS("crl-file", 1, NOTLS),
	CF_PARAM_HARMLESS("crt", 1, NOTLS),
	CF_PARAM_HARMLESS("force-sslv3", 0, NOTLS),
	CF_PARAM_HARMLESS("force-tlsv10", 0, NOTLS),
	CF_PARAM_HARMLESS("force-tlsv11", 0, NOTLS),
	CF_PARAM_HARMLESS("force-tlsv12", 0, NOTLS),
	CF_PARAM_HARMLESS("force-tlsv13", 0, NOTLS),
	CF_PARAM_HARMLESS("no-sslv3", 0, NOTLS),
	CF_PARAM_HARMLESS("no-tls-tickets", 0, NOTLS),
	CF_PARAM_HARMLESS("no-tlsv10", 0, NOTLS),
	CF_PARAM_HARMLESS("no-tlsv11", 0, NOTLS),
	CF_PARAM_HARMLESS("no-tlsv12", 0, NOTLS),
	CF_PARAM_HARMLESS("no-tlsv13", 0, NOTLS),
	CF_PARAM_HARMLESS("npn", 1, NOTLS),
	CF_PARAM_HARMLESS("proto", 1, "bytes pass unchanged at L4"),
	CF_PARAM_HARMLESS("ssl-max-ver", 1, NOTLS),
	CF_PARAM_HARMLESS("ssl-min-ver", 1, NOTLS),
	CF_PARAM_HARMLESS("tcp-ut", 1, TUNING),
	CF_PARAM_HARMLESS("tfo", 0, TUNING),
	CF_PARAM_HARMLESS("verify", 1, NOTLS),
};
const size_t cf_nparam_kws = sizeof(cf_param_kws) / sizeof(cf_param_kws[0]);

int
config_params(struct cf_parser *p, const struct cf_paramline *pl, int argc,
    char **argv, int from)
{
	const struct cf_kw *k;
	int i = from, n;

	while (i < argc) {
		if ((k = config_kw_find(pl->pl_kws, *pl->pl_n,
		    argv[i])) == NULL)
			k = config_kw_find(cf_param_kws, cf_nparam_kws,
			    argv[i]);
		if (k == NULL) {
			config_msg(p, CF_ERROR, "%s \"%s\"%s not supported",
			    pl->pl_what, argv[i], pl->pl_colon);
			return -1;
		}
		if (k->kw_kind == KW_REFUSED) {
			config_msg(p, CF_ERROR, "%s \"%s\"%s not supported (%s)",
			    pl->pl_what, argv[i], pl->pl_colon, k->kw_why);
			return -1;
		}
		n = 1 + k->kw_nargs;
		if (i + n > argc)
			n = argc - i;
		if (k->kw_kind == KW_IMPL)
			k->kw_fn(p, n, argv + i);
		else if (config_kw_check(p, k, n, argv + i) == -1)
			return -1;
		else
			/* bind's ca-file and server's: a notice each */
			config_kw_notice_in(p, k, argv[i], pl->pl_kws);
		i += n;
	}
	return 0;
}
