/* SPDX-License-Identifier: ISC */
/*
 * "bind ADDR[,ADDR...] [params]": the addresses a frontend listens on,
 * and in one sorted table what haproxy's bind parameters mean at L4
 * (those a server line takes alike are config-param.c's).
 */
#include <string.h>

#include "config-parser.h"

#define NOUNIX	"only for unix sockets, which are not bound"

static void
bind_acceptproxy(struct cf_parser *p, int argc, char **argv)
{
	(void)argc;
	(void)argv;
	p->p_acceptproxy = 1;
}

/* Sorted by name (strcmp): unit-config.c checks it. */
const struct cf_kw cf_bind_kws[] = {
	CF_PARAM_REFUSED("accept-netscaler-cip", 1,
	    "the NetScaler header would reach the server"),
	CF_PARAM_IMPL("accept-proxy", 0, bind_acceptproxy),
	CF_PARAM_HARMLESS("backlog", 1, TUNING),
	CF_PARAM_HARMLESS("ca-ignore-err", 1, NOTLS),
	CF_PARAM_HARMLESS("ca-sign-file", 1, NOTLS),
	CF_PARAM_HARMLESS("ca-sign-pass", 1, NOTLS),
	CF_PARAM_HARMLESS("ca-verify-file", 1, NOTLS),
	CF_PARAM_HARMLESS("crt-ignore-err", 1, NOTLS),
	CF_PARAM_HARMLESS("crt-list", 1, NOTLS),
	CF_PARAM_HARMLESS("curves", 1, NOTLS),
	CF_PARAM_HARMLESS("defer-accept", 0, TUNING),
	CF_PARAM_HARMLESS("ecdhe", 1, NOTLS),
	CF_PARAM_HARMLESS("expose-fd", 1, NOUNIX),
	CF_PARAM_HARMLESS("generate-certificates", 0, NOTLS),
	CF_PARAM_HARMLESS("gid", 1, NOUNIX),
	CF_PARAM_HARMLESS("group", 1, NOUNIX),
	CF_PARAM_HARMLESS("id", 1, STATS),
	CF_PARAM_HARMLESS("interface", 1,
	    "the address alone chooses where it listens"),
	CF_PARAM_HARMLESS("level", 1, NOUNIX),
	CF_PARAM_REFUSED("maxconn", 1, "the listener's own limit would not "
	    "apply; use the frontend's maxconn"),
	CF_PARAM_HARMLESS("mode", 1, NOUNIX),
	CF_PARAM_HARMLESS("mss", 1, TUNING),
	CF_PARAM_HARMLESS("name", 1, STATS),
	CF_PARAM_REFUSED("namespace", 1,
	    "it would listen in another network namespace"),
	CF_PARAM_HARMLESS("nice", 1, TUNING),
	CF_PARAM_HARMLESS("no-ca-names", 0, NOTLS),
	CF_PARAM_HARMLESS("prefer-client-ciphers", 0, NOTLS),
	CF_PARAM_HARMLESS("process", 1, ONEPROC),
	CF_PARAM_HARMLESS("severity-output", 1, NOUNIX),
	CF_PARAM_HARMLESS("shards", 1, ONEPROC),
	CF_PARAM_REFUSED("ssl", 0, "TLS would reach the server undecrypted"),
	CF_PARAM_HARMLESS("strict-sni", 0, NOTLS),
	CF_PARAM_HARMLESS("thread", 1, ONEPROC),
	CF_PARAM_HARMLESS("tls-ticket-keys", 1, NOTLS),
	CF_PARAM_REFUSED("transparent", 0,
	    "foreign addresses would not be accepted"),
	CF_PARAM_HARMLESS("uid", 1, NOUNIX),
	CF_PARAM_HARMLESS("user", 1, NOUNIX),
	CF_PARAM_HARMLESS("v4v6", 0,
	    "an IPv6 wildcard takes IPv4 too, the system default"),
	CF_PARAM_REFUSED("v6only", 0,
	    "the IPv6 wildcard would take IPv4 clients too"),
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
		if (config_addr_kind(addr) != NULL)
			config_msg(p, CF_ERROR, "bind \"%s\": %s: not supported "
			    "(TCP over IP only)", addr, config_addr_kind(addr));
		else
			config_msg(p, CF_ERROR, "bind \"%s\": should be "
			    "ADDRESS:PORT", addr);
		return -1;
	}
	a->ca_line = p->p_line;
	a->ca_file = p->p_file;
	a->ca_acceptproxy = p->p_acceptproxy;
	fe->fe_nbinds++;
	return 0;
}

/* One address, or haproxy's port range "ADDR:LOW-HIGH": each port. */
static int
bind_one(struct cf_parser *p, struct cf_frontend *fe, const char *word)
{
	char addr[CF_HOSTLEN + 16], tok[CF_HOSTLEN + 16], *colon, *dash;
	int lo, hi, port;

	/* as haproxy: the list is cut at commas, then each is expanded */
	if (config_copy_addr(tok, sizeof(tok), word) == -1) {
		config_msg(p, CF_ERROR, "bind \"%s\": address too long", word);
		return -1;
	}
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
	p->p_acceptproxy = 0;
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
