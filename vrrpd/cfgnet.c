/* SPDX-License-Identifier: ISC */
/*
 * Where adverts go: vrrp_mcast_group4 / vrrp_mcast_group6 (global_defs)
 * and an instance's mcast_dst_ip, as keepalived 2.2.7 reads them; and
 * the two flags about where they come from and go to: track_src_ip
 * (unicast_src_ip gone from the host: FAULT) and unicast_fault_no_peer
 * (no unicast_peer: FAULT, not multicast).  And garp_extra_if /
 * vrrp_garp_extra_if: periodic gratuitous ARPs on the VIPs' other
 * interfaces (inst.c, vip.c).  A
 * value keepalived skips with a warning (not multicast, the other family)
 * is an error here: running on the default group instead would split the
 * routers that the operator meant to keep apart.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "cfgext.h"
#include "msgbuf.h"

static int
cfgnet_is_mcast(int family, const union vrrp_addr *a)
{
	if (family == AF_INET)
		return IN_MULTICAST(ntohl(a->v4.s_addr));
	return IN6_IS_ADDR_MULTICAST(&a->v6);
}

/* One multicast address of family want (0: either); -1 reported. */
static int
cfgnet_group(struct parser *p, const struct stmt *s, int want,
    union vrrp_addr *out, int *family)
{
	const char *v;

	if (p_nargs(p, s, 1, 1) == -1)
		return -1;
	v = s->s_args[0]->t_text;
	if (config_parse_addr(v, family, out) == -1) {
		cfg_err(p, s->s_kw, "%s \"%s\": not an address",
		    s->s_kw->t_text, v);
		return -1;
	}
	if (want && *family != want) {
		cfg_err(p, s->s_kw, "%s %s: not %s (keepalived skips it and "
		    "uses the default group)", s->s_kw->t_text, v,
		    want == AF_INET ? "IPv4" : "IPv6");
		return -1;
	}
	if (!cfgnet_is_mcast(*family, out)) {
		cfg_err(p, s->s_kw, "%s %s: not a multicast address "
		    "(keepalived skips it and uses the default group)",
		    s->s_kw->t_text, v);
		return -1;
	}
	return 0;
}

/*
 * [all] SECONDS, in either order, as keepalived: min to 86400 seconds
 * (an instance's 0 turns the global one off); no number is an error.
 */
static int
cfgnet_garp_extra(struct parser *p, const struct stmt *s, long min,
    uint64_t *usec, int *all)
{
	const char *kw = s->s_kw->t_text, *v;
	long n = -1;
	char *end = NULL;
	int i;

	if (p_nargs(p, s, 1, 2) == -1)
		return -1;
	*all = 0;
	for (i = 0; i < s->s_nargs; i++) {
		v = s->s_args[i]->t_text;
		if (strcmp(v, "all") == 0) {
			*all = 1;
			continue;
		}
		n = (v[0] >= '0' && v[0] <= '9') ? strtol(v, &end, 10) : -1;
		if (n < min || n > 86400 || *end != '\0') {
			cfg_err(p, s->s_kw, "%s: \"%s\" is not all nor %ld to "
			    "86400 seconds", kw, v, min);
			return -1;
		}
	}
	if (n < 0) {
		cfg_err(p, s->s_kw, "%s: no interval (seconds)", kw);
		return -1;
	}
	*usec = (uint64_t)n * 1000000;
	return 0;
}

int
cfgnet_global(struct parser *p, struct stmt *s)
{
	struct config *cf = p->p_cf;
	const char *kw = s->s_kw->t_text;
	int fam;

	if (strcmp(kw, "vrrp_mcast_group4") == 0) {
		if (cfgnet_group(p, s, AF_INET, &cf->cf_mcast4, &fam) == 0)
			cf->cf_has_mcast4 = 1;
		return 1;
	}
	if (strcmp(kw, "vrrp_mcast_group6") == 0) {
		if (cfgnet_group(p, s, AF_INET6, &cf->cf_mcast6, &fam) == 0)
			cf->cf_has_mcast6 = 1;
		return 1;
	}
	if (strcmp(kw, "vrrp_vmac_garp_intvl") == 0)
		/* keepalived 2.2.7: deprecated, and the same thing */
		cfg_warn(p, s->s_kw, "vrrp_vmac_garp_intvl: deprecated; "
		    "read as vrrp_garp_extra_if, as keepalived does");
	if (strcmp(kw, "vrrp_garp_extra_if") == 0 ||
	    strcmp(kw, "vrrp_vmac_garp_intvl") == 0) {
		cfgnet_garp_extra(p, s, 1, &cf->cf_garp_extra,
		    &cf->cf_garp_extra_all);
		return 1;
	}
	return 0;
}

/* An interface into the group, unless a group already has it. */
static void
cfgnet_garp_if(struct parser *p, const struct stmt *s, const char *name,
    struct cfg_garp_group *g)
{
	struct config *cf = p->p_cf;
	const struct cfg_garp_group *o;
	int i, j;

	if (strlen(name) >= IF_NAMESIZE) {
		cfg_err(p, s->s_kw, "interface \"%s\": longer than "
		    "%d bytes", name, IF_NAMESIZE - 1);
		return;
	}
	for (i = 0; i <= cf->cf_ngarp_groups; i++)
		for (o = &cf->cf_garp_groups[i], j = 0; j < o->cgg_nifs; j++)
			if (strcmp(o->cgg_ifs[j], name) == 0) {
				cfg_err(p, s->s_kw, "interface %s "
				    "is in a garp_group already", name);
				return;
			}
	if (g->cgg_nifs == CFG_MAX_GARP_IFS) {
		cfg_err(p, s->s_kw, "more than %d interfaces",
		    CFG_MAX_GARP_IFS);
		return;
	}
	snprintf(g->cgg_ifs[g->cgg_nifs++], IF_NAMESIZE, "%s", name);
}

/*
 * garp_group { garp_interval S; gna_interval S; interface IF |
 * interfaces { IF ... } }: the spacing of gratuitous ARPs (NAs) sent on
 * the interfaces, counted across all of them (garp.c).
 */
static void
cfgnet_garp_group(struct parser *p, const struct stmt *head)
{
	struct config *cf = p->p_cf;
	struct cfg_garp_group *g;
	struct stmt s, l;
	const char *kw;

	if (head->s_nargs != 0 || !head->s_block) {
		cfg_err(p, head->s_kw, "garp_group: needs a { } block and no "
		    "name");
		if (head->s_block)
			p_skip_block(p);
		return;
	}
	if (cf->cf_ngarp_groups == CFG_MAX_GARP_GROUPS) {
		cfg_err(p, head->s_kw, "more than %d garp_group",
		    CFG_MAX_GARP_GROUPS);
		p_skip_block(p);
		return;
	}
	g = &cf->cf_garp_groups[cf->cf_ngarp_groups];
	memset(g, 0, sizeof(*g));
	snprintf(p->p_ctx, sizeof(p->p_ctx), "garp_group: ");
	while (!p_block_end(p, head)) {
		p_stmt(p, &s);
		kw = s.s_kw->t_text;
		if (strcmp(kw, "garp_interval") == 0)
			p_dur(p, &s, &g->cgg_garp);
		else if (strcmp(kw, "gna_interval") == 0)
			p_dur(p, &s, &g->cgg_gna);
		else if (strcmp(kw, "interface") == 0 && !s.s_block) {
			if (p_nargs(p, &s, 1, 1) == 0)
				cfgnet_garp_if(p, &s, s.s_args[0]->t_text, g);
		} else if (strcmp(kw, "interfaces") == 0 && s.s_block) {
			while (p_block_line(p, &s, &l, kw))
				if (p_nargs(p, &l, 0, 0) == 0)
					cfgnet_garp_if(p, &l, l.s_kw->t_text,
					    g);
		} else
			p_unsupported(p, &s, 0, "unknown keyword");
	}
	p->p_ctx[0] = '\0';
	if (g->cgg_nifs == 0)
		cfg_err(p, head->s_kw, "garp_group: no interface");
	else
		cf->cf_ngarp_groups++;
}

int
cfgnet_top(struct parser *p, struct stmt *s)
{
	if (strcmp(s->s_kw->t_text, "garp_group") != 0)
		return 0;
	cfgnet_garp_group(p, s);
	return 1;
}

int
cfgnet_inst(struct parser *p, struct cfg_instance *in, struct stmt *s)
{
	const char *kw = s->s_kw->t_text;
	int fam;

	if (strcmp(kw, "unicast_fault_no_peer") == 0 ||
	    strcmp(kw, "track_src_ip") == 0) {
		p_flag(p, s, kw[0] == 'u' ? &in->ci_fault_no_peer :
		    &in->ci_track_src_ip, 1);
		return 1;
	}
	if (strcmp(kw, "garp_extra_if") == 0) {
		if (cfgnet_garp_extra(p, s, 0, &in->ci_garp_extra,
		    &in->ci_garp_extra_all) == 0)
			in->ci_has_garp_extra = 1;
		return 1;
	}
	if (strcmp(kw, "mcast_dst_ip") != 0)
		return 0;
	if (cfgnet_group(p, s, 0, &in->ci_mcast_dst, &fam) == 0)
		in->ci_has_mcast_dst = fam;
	return 1;
}

static int
cfgnet_garp_grouped(const struct config *cf, const char *ifname)
{
	int g, i;

	for (g = 0; g < cf->cf_ngarp_groups; g++)
		for (i = 0; i < cf->cf_garp_groups[g].cgg_nifs; i++)
			if (strcmp(cf->cf_garp_groups[g].cgg_ifs[i], ifname) == 0)
				return 1;
	return 0;
}

/*
 * vrrp_garp_interval / vrrp_gna_interval space the gratuitous ARPs (NAs)
 * of each interface in no garp_group, as keepalived: each such interface
 * an instance announces on becomes a group of its own (garp.c spaces
 * them).  Past CFG_MAX_GARP_GROUPS one is sent unspaced, and said.
 */
static void
cfgnet_garp_gap(struct config *cf, const char *ifname, char *err,
    size_t errlen)
{
	struct cfg_garp_group *g;

	if (ifname[0] == '\0' || cfgnet_garp_grouped(cf, ifname))
		return;
	if (cf->cf_ngarp_groups == CFG_MAX_GARP_GROUPS) {
		/* a warning (logged), not an error: nerr is not counted */
		(void)msgbuf_add(err, errlen, "(config): vrrp_garp_interval: "
		    "more than %d interfaces; %s unspaced\n",
		    CFG_MAX_GARP_GROUPS, ifname);
		return;
	}
	g = &cf->cf_garp_groups[cf->cf_ngarp_groups++];
	memset(g, 0, sizeof(*g));
	g->cgg_garp = cf->cf_garp_gap;
	g->cgg_gna = cf->cf_gna_gap;
	snprintf(g->cgg_ifs[0], IF_NAMESIZE, "%s", ifname);
	g->cgg_nifs = 1;
}

static void
cfgnet_garp_gaps(struct config *cf, char *err, size_t errlen)
{
	const struct cfg_instance *in;
	int i, j;

	if (cf->cf_garp_gap == 0 && cf->cf_gna_gap == 0)
		return;
	for (i = 0; i < cf->cf_ninst; i++) {
		in = &cf->cf_inst[i];
		cfgnet_garp_gap(cf, in->ci_iface, err, errlen);
		for (j = 0; j < in->ci_nvips; j++)
			cfgnet_garp_gap(cf, in->ci_vips[j].cv_dev, err, errlen);
		for (j = 0; j < in->ci_nevips; j++)
			cfgnet_garp_gap(cf, in->ci_evips[j].cv_dev, err,
			    errlen);
	}
}

/*
 * Each instance's group: its mcast_dst_ip, else the global one; the
 * garp_groups vrrp_garp_interval makes.
 */
int
cfgnet_check(struct config *cf, char *err, size_t errlen)
{
	struct cfg_instance *in;
	int i, nerr = 0;

	for (i = 0; i < cf->cf_ninst; i++) {
		in = &cf->cf_inst[i];
		in->ci_has_mgroup = 0;
		if (in->ci_has_mcast_dst && in->ci_has_mcast_dst !=
		    in->ci_family) {
			nerr += msgbuf_add(err, errlen, "%s:%d: vrrp_instance "
			    "%s: mcast_dst_ip: not the family of the virtual "
			    "addresses\n", in->ci_file ? in->ci_file :
			    "command line", in->ci_line, in->ci_name);
			continue;
		}
		if (in->ci_has_mcast_dst) {
			in->ci_mgroup = in->ci_mcast_dst;
			in->ci_has_mgroup = 1;
		} else if (in->ci_family == AF_INET && cf->cf_has_mcast4) {
			in->ci_mgroup = cf->cf_mcast4;
			in->ci_has_mgroup = 1;
		} else if (in->ci_family == AF_INET6 && cf->cf_has_mcast6) {
			in->ci_mgroup = cf->cf_mcast6;
			in->ci_has_mgroup = 1;
		}
	}
	cfgnet_garp_gaps(cf, err, errlen);
	return nerr;
}
