/* SPDX-License-Identifier: ISC */
/*
 * "bind ADDR[,ADDR...] [params]": the addresses a frontend listens on,
 * and in one sorted table what haproxy's bind parameters mean at L4
 * (those a server line takes alike are config-param.c's).
 */
#include <string.h>

#include "config-parser.h"

#define NOUNIX	"only for unix sockets, which are not bound"

/* Sorted by name (strcmp): unit-config.c checks it. */
const struct cf_kw cf_bind_kws[] = {
	{ "accept-netscaler-cip", 0, KW_REFUSED, 1, NULL, "the NetScaler "
	    "header would reach the server" },
	{ "accept-proxy", 0, KW_REFUSED, 0, NULL, "the PROXY header would "
	    "reach the server" },
	{ "backlog", 0, KW_HARMLESS, 1, NULL, TUNING },
	{ "ca-ignore-err", 0, KW_HARMLESS, 1, NULL, NOTLS },
	{ "ca-sign-file", 0, KW_HARMLESS, 1, NULL, NOTLS },
	{ "ca-sign-pass", 0, KW_HARMLESS, 1, NULL, NOTLS },
	{ "ca-verify-file", 0, KW_HARMLESS, 1, NULL, NOTLS },
	{ "crt-ignore-err", 0, KW_HARMLESS, 1, NULL, NOTLS },
	{ "crt-list", 0, KW_HARMLESS, 1, NULL, NOTLS },
	{ "curves", 0, KW_HARMLESS, 1, NULL, NOTLS },
	{ "defer-accept", 0, KW_HARMLESS, 0, NULL, TUNING },
	{ "ecdhe", 0, KW_HARMLESS, 1, NULL, NOTLS },
	{ "expose-fd", 0, KW_HARMLESS, 1, NULL, NOUNIX },
	{ "generate-certificates", 0, KW_HARMLESS, 0, NULL, NOTLS },
	{ "gid", 0, KW_HARMLESS, 1, NULL, NOUNIX },
	{ "group", 0, KW_HARMLESS, 1, NULL, NOUNIX },
	{ "id", 0, KW_HARMLESS, 1, NULL, STATS },
	{ "interface", 0, KW_HARMLESS, 1, NULL, "the address alone chooses "
	    "where it listens" },
	{ "level", 0, KW_HARMLESS, 1, NULL, NOUNIX },
	{ "maxconn", 0, KW_REFUSED, 1, NULL, "the listener's own limit "
	    "would not apply; use the frontend's maxconn" },
	{ "mode", 0, KW_HARMLESS, 1, NULL, NOUNIX },
	{ "mss", 0, KW_HARMLESS, 1, NULL, TUNING },
	{ "name", 0, KW_HARMLESS, 1, NULL, STATS },
	{ "namespace", 0, KW_REFUSED, 1, NULL, "it would listen in another "
	    "network namespace" },
	{ "nice", 0, KW_HARMLESS, 1, NULL, TUNING },
	{ "no-ca-names", 0, KW_HARMLESS, 0, NULL, NOTLS },
	{ "prefer-client-ciphers", 0, KW_HARMLESS, 0, NULL, NOTLS },
	{ "process", 0, KW_HARMLESS, 1, NULL, ONEPROC },
	{ "severity-output", 0, KW_HARMLESS, 1, NULL, NOUNIX },
	{ "shards", 0, KW_HARMLESS, 1, NULL, ONEPROC },
	{ "ssl", 0, KW_REFUSED, 0, NULL, "TLS would reach the server "
	    "undecrypted" },
	{ "strict-sni", 0, KW_HARMLESS, 0, NULL, NOTLS },
	{ "thread", 0, KW_HARMLESS, 1, NULL, ONEPROC },
	{ "tls-ticket-keys", 0, KW_HARMLESS, 1, NULL, NOTLS },
	{ "transparent", 0, KW_REFUSED, 0, NULL, "foreign addresses would "
	    "not be accepted" },
	{ "uid", 0, KW_HARMLESS, 1, NULL, NOUNIX },
	{ "user", 0, KW_HARMLESS, 1, NULL, NOUNIX },
	{ "v4v6", 0, KW_HARMLESS, 0, NULL, "an IPv6 wildcard takes IPv4 "
	    "too, the system default" },
	{ "v6only", 0, KW_REFUSED, 0, NULL, "the IPv6 wildcard would take "
	    "IPv4 clients too" },
};
const size_t cf_nbind_kws = sizeof(cf_bind_kws) / sizeof(cf_bind_kws[0]);

/* The parameters after the address; 0, or -1 after an error. */
static int
bind_params(struct cf_parser *p, int argc, char **argv)
{
	static const struct cf_paramline bind = { cf_bind_kws, &cf_nbind_kws,
	    "bind option", ":" };

	return config_params(p, &bind, argc, argv, 2);
}

static int
bind_add(struct cf_parser *p, struct cf_frontend *fe, const char *addr)
{
	struct cf_addr *a;

	if (fe->fe_nbinds == CF_MAXBINDS) {
		config_msg(p, CF_ERROR, "more than %d bind addresses",
		    CF_MAXBINDS);
		return -1;
	}
	a = &fe->fe_binds[fe->fe_nbinds];
	memset(a, 0, sizeof(*a));
	if (config_addr(addr, a, 1) == -1) {
		config_msg(p, CF_ERROR, "bind \"%s\": should be ADDRESS:PORT",
		    addr);
		return -1;
	}
	a->ca_line = p->p_line;
	a->ca_file = p->p_file;
	fe->fe_nbinds++;
	return 0;
}

/* One address, or haproxy's port range "ADDR:LOW-HIGH": each port. */
static int
bind_one(struct cf_parser *p, struct cf_frontend *fe, const char *tok)
{
	char addr[CF_HOSTLEN + 16], *colon, *dash;
	int lo, hi, port;

	colon = strrchr(tok, ':');
	dash = colon ? strchr(colon, '-') : NULL;
	if (dash == NULL || strlen(tok) >= sizeof(addr))
		return bind_add(p, fe, tok);
	memcpy(addr, tok, (size_t)(colon - tok) + 1);
	addr[colon - tok + 1] = '\0';
	*dash = '\0';
	if (config_int(colon + 1, 1, 65535, &lo) == -1 ||
	    config_int(dash + 1, 1, 65535, &hi) == -1 || hi < lo) {
		*dash = '-';
		config_msg(p, CF_ERROR, "bind \"%s\": should be ADDRESS:PORT "
		    "or ADDRESS:LOW-HIGH", tok);
		return -1;
	}
	*dash = '-';
	for (port = lo; port <= hi; port++) {
		char one[sizeof(addr) + 8];

		snprintf(one, sizeof(one), "%s%d", addr, port);
		if (bind_add(p, fe, one) == -1)
			return -1;
	}
	return 0;
}

void
config_bind(struct cf_parser *p, int argc, char **argv)
{
	struct cf_frontend *fe = p->p_fe;
	char list[1024], *tok, *save = NULL;

	if (config_only_in(p, SECM_FE | SECM_LI, "bind",
	    "frontend or listen") == -1)
		return;
	if (argc < 2) {
		config_msg(p, CF_ERROR, "bind: ADDRESS:PORT expected");
		return;
	}
	if (bind_params(p, argc, argv) == -1)
		return;
	if (config_copy(list, sizeof(list), argv[1]) == -1) {
		config_msg(p, CF_ERROR, "bind: address list too long");
		return;
	}
	for (tok = strtok_r(list, ",", &save); tok != NULL;
	    tok = strtok_r(NULL, ",", &save))
		if (bind_one(p, fe, tok) == -1)
			return;
}
