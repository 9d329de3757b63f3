/* SPDX-License-Identifier: ISC */
/*
 * The lines of virtual_ipaddress and virtual_ipaddress_excluded: an
 * address and ip-address(8)'s options after it, as keepalived 2.2.7 reads
 * them (dev, label, scope, brd, preferred_lft and the address flags).
 * What would change the address and vrrpd cannot do (peer, use_vmac) is
 * an error; no_track is honoured (see inst.c's link tracking).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <linux/if_addr.h>
#include <linux/rtnetlink.h>

#include "cfgext.h"

/* rt_scopes(5) names, and numbers as ip(8) takes them */
static int
cfgvip_scope(const char *s, uint8_t *out)
{
	char *end;
	unsigned long n;

	if (rt_scope_find(s, out) == 0)
		return 0;
	errno = 0;
	n = strtoul(s, &end, 0);
	if (errno || end == s || *end || n > 255)
		return -1;
	*out = (uint8_t)n;
	return 0;
}

/* brd ADDR, or "+" / "-": the prefix's broadcast or network address. */
static int
cfgvip_brd(struct parser *p, const struct tok *t, struct cfg_vip *v,
    const char *s)
{
	uint32_t mask, a;

	if (v->cv_family != AF_INET) {
		cfg_err(p, t, "brd %s: IPv6 addresses have no broadcast", s);
		return -1;
	}
	if (strcmp(s, "+") != 0 && strcmp(s, "-") != 0) {
		if (inet_pton(AF_INET, s, &v->cv_brd) != 1) {
			cfg_err(p, t, "brd \"%s\": not an IPv4 address", s);
			return -1;
		}
		return 0;
	}
	if (v->cv_plen > 30) {
		cfg_err(p, t, "brd %s: prefix /%u too long for a broadcast",
		    s, v->cv_plen);
		return -1;
	}
	mask = v->cv_plen ? 0xffffffffU << (32 - v->cv_plen) : 0;
	a = ntohl(v->cv_addr.v4.s_addr);
	v->cv_brd.s_addr = htonl(s[0] == '+' ? a | ~mask : a & mask);
	return 0;
}

static int
cfgvip_lft(struct parser *p, const struct tok *t, struct cfg_vip *v,
    const char *s)
{
	char *end;
	unsigned long long n;

	if (strcmp(s, "forever") == 0) {
		v->cv_preferred = CFG_LFT_FOREVER;
		v->cv_lft_set = 1;
		return 0;
	}
	errno = 0;
	n = strtoull(s, &end, 10);
	if (errno || end == s || *end || n >= CFG_LFT_FOREVER) {
		cfg_err(p, t, "preferred_lft \"%s\": should be seconds or "
		    "forever", s);
		return -1;
	}
	v->cv_preferred = (uint32_t)n;
	v->cv_lft_set = 1;
	return 0;
}

/* Options without a value: the address flags of ip-address(8). */
static int
cfgvip_flag(struct cfg_vip *v, const char *kw)
{
	if (strcmp(kw, "home") == 0)
		v->cv_flags |= IFA_F_HOMEADDRESS;
	else if (strcmp(kw, "mngtmpaddr") == 0)
		v->cv_flags |= IFA_F_MANAGETEMPADDR;
	else if (strcmp(kw, "noprefixroute") == 0)
		v->cv_flags |= IFA_F_NOPREFIXROUTE;
	else if (strcmp(kw, "autojoin") == 0)
		v->cv_flags |= IFA_F_MCAUTOJOIN;
	else if (strcmp(kw, "-nodad") == 0)
		v->cv_dad = 1;
	else if (strcmp(kw, "no_track") == 0)
		v->cv_no_track = 1;
	else
		return -1;
	return 0;
}

/* One option with its value; -1 reported. */
static int
cfgvip_opt(struct parser *p, const struct tok *t, struct cfg_vip *v,
    const char *val)
{
	const char *kw = t->t_text;

	if (strcmp(kw, "dev") == 0 || strcmp(kw, "label") == 0) {
		char *out = kw[0] == 'd' ? v->cv_dev : v->cv_label;

		if (out[0]) {
			cfg_err(p, t, "%s: given twice", kw);
			return -1;
		}
		if (strlen(val) >= IF_NAMESIZE) {
			cfg_err(p, t, "%s \"%s\": longer than %d bytes", kw,
			    val, IF_NAMESIZE - 1);
			return -1;
		}
		if (kw[0] == 'l' && v->cv_family != AF_INET) {
			cfg_err(p, t, "label: IPv6 addresses have no label");
			return -1;
		}
		snprintf(out, IF_NAMESIZE, "%s", val);
		return 0;
	}
	if (strcmp(kw, "scope") == 0) {
		if (cfgvip_scope(val, &v->cv_scope) == -1) {
			cfg_err(p, t, "scope \"%s\": should be global, site, "
			    "link, host, nowhere or 0..255", val);
			return -1;
		}
		/* keepalived warns, ignores it, and its -t flags the file */
		if (v->cv_family != AF_INET && v->cv_scope != 0) {
			cfg_warn(p, t, "scope \"%s\": IPv6 addresses take the "
			    "scope of their address; ignored, as keepalived",
			    val);
			p->p_cf->cf_nflagged++;
			v->cv_scope = 0;
		}
		return 0;
	}
	if (strcmp(kw, "brd") == 0 || strcmp(kw, "broadcast") == 0)
		return cfgvip_brd(p, t, v, val);
	if (strcmp(kw, "preferred_lft") == 0)
		return cfgvip_lft(p, t, v, val);
	cfg_err(p, t, "virtual_ipaddress: option \"%s\" not supported%s", kw,
	    strcmp(kw, "peer") == 0 || strcmp(kw, "use_vmac") == 0 ?
	    " by vrrpd (it would change the address)" : "");
	return -1;
}

static int
cfgvip_takes_value(const char *kw)
{
	return kw_in(kw, (const char *const[]){ "dev", "label", "scope",
	    "brd", "broadcast", "preferred_lft", "peer", NULL });
}

/* One line: ADDR[/PLEN] [option [value]]...; 0 or -1 (reported). */
static int
cfgvip_line(struct parser *p, const char *block, const struct stmt *s,
    struct cfg_vip *v)
{
	int i, bad = 0;
	const char *kw;

	if (config_parse_vip(s->s_kw->t_text, v) == -1) {
		cfg_err(p, s->s_kw, "%s \"%s\": not an address[/prefix]",
		    block, s->s_kw->t_text);
		return -1;
	}
	for (i = 0; i < s->s_nargs; i++) {
		kw = s->s_args[i]->t_text;
		if (cfgvip_flag(v, kw) == 0)
			continue;
		if (!cfgvip_takes_value(kw)) {
			cfg_err(p, s->s_args[i], "%s: option \"%s\" unknown",
			    block, kw);
			bad = 1;
			continue;
		}
		if (i + 1 >= s->s_nargs) {
			cfg_err(p, s->s_args[i], "%s: needs a value", kw);
			return -1;
		}
		if (cfgvip_opt(p, s->s_args[i], v, s->s_args[i + 1]->t_text) ==
		    -1)
			bad = 1;
		i++;
	}
	return bad ? -1 : 0;
}

void
p_vip_block(struct parser *p, const struct stmt *open, struct cfg_vip *list,
    int *n, int max)
{
	struct stmt s;
	struct cfg_vip v;

	while (p_block_line(p, open, &s, open->s_kw->t_text)) {
		if (cfgvip_line(p, open->s_kw->t_text, &s, &v) == -1)
			continue;
		if (*n >= max) {
			cfg_err(p, s.s_kw, "%s: more than %d addresses",
			    open->s_kw->t_text, max);
			continue;
		}
		list[(*n)++] = v;
	}
}
