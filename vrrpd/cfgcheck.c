/* SPDX-License-Identifier: ISC */
/*
 * What a parsed configuration must hold together, instance by instance:
 * the checks that need the whole file (script names, versions, families).
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "cfgext.h"
#include "config.h"
#include "msgbuf.h"

static void __attribute__((format(printf, 4, 5)))
chk_err(struct msgchk *c, const struct cfg_instance *in, int warn,
    const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	msgchk_vadd(c, warn, in->ci_file, in->ci_line, in->ci_file ?
	    "vrrp_instance" : "instance", in->ci_name, fmt, ap);
	va_end(ap);
}

static void chk_lenient(struct msgchk *, struct config *,
    struct cfg_instance *, const char *);

static void
chk_drop(struct cfg_track *list, int *n, int i)
{
	memmove(&list[i], &list[i + 1], (size_t)(*n - i - 1) * sizeof(*list));
	(*n)--;
}

/*
 * What keepalived 2.2.7 flags and leaves out: a track_script above its
 * vrrp_script (it looks names up as it reads), a track_interface naming
 * the instance's own interface (whose loss is a FAULT anyway).
 */
static void
chk_tracks_dropped(struct msgchk *c, struct config *cf, struct cfg_instance *in)
{
	char msg[256];
	int i, j, later;

	for (i = 0; i < in->ci_nscripts; i++) {
		later = 0;
		for (j = 0; j < cf->cf_nscripts; j++)
			if (strcmp(cf->cf_scripts[j].cs_name,
			    in->ci_scripts[i].ct_name) == 0 &&
			    cf->cf_scripts[j].cs_line > 0)
				later = in->ci_scripts[i].ct_ahead;
		if (!later)
			continue;
		snprintf(msg, sizeof(msg), "track_script %s: its vrrp_script "
		    "comes after this instance: not tracked",
		    in->ci_scripts[i].ct_name);
		chk_lenient(c, cf, in, msg);
		chk_drop(in->ci_scripts, &in->ci_nscripts, i--);
	}
	for (i = 0; i < in->ci_nifaces; i++) {
		if (strcmp(in->ci_ifaces[i].ct_name, in->ci_iface) != 0)
			continue;
		snprintf(msg, sizeof(msg), "track_interface %s: the "
		    "instance's own interface: ignored", in->ci_iface);
		chk_lenient(c, cf, in, msg);
		chk_drop(in->ci_ifaces, &in->ci_nifaces, i--);
	}
}

static void
chk_scripts(struct msgchk *c, struct config *cf, struct cfg_instance *in)
{
	int i, j, found;

	const struct cfg_script *sc;
	int w;

	chk_tracks_dropped(c, cf, in);
	for (i = 0; i < in->ci_nscripts; i++) {
		for (sc = NULL, found = 0, j = 0; j < cf->cf_nscripts; j++)
			if (strcmp(cf->cf_scripts[j].cs_name,
			    in->ci_scripts[i].ct_name) == 0) {
				found = 1;
				sc = &cf->cf_scripts[j];
			}
		if (!found) {
			chk_err(c, in, 0, "track_script %s: no vrrp_script "
			    "of that name", in->ci_scripts[i].ct_name);
			continue;
		}
		w = cfg_track_weight(&in->ci_scripts[i], sc->cs_weight);
		/* as keepalived: the owner's priority never moves */
		if (in->ci_priority == 255 && w != 0 && sc->cs_line > 0)
			chk_err(c, in, 0, "track_script %s: weight %d on the "
			    "address owner (priority 255), which a weight "
			    "cannot move", sc->cs_name, w);
	}
	for (i = 0; i < in->ci_nifaces; i++)
		if (strlen(in->ci_ifaces[i].ct_name) >= IF_NAMESIZE)
			chk_err(c, in, 0, "track_interface %s: name too long",
			    in->ci_ifaces[i].ct_name);
}

/* A value keepalived replaces with a config error: a warning, -t exits 3. */
static void
chk_lenient(struct msgchk *c, struct config *cf, struct cfg_instance *in,
    const char *what)
{
	chk_err(c, in, 1, "%s, as keepalived", what);
	cf->cf_nflagged++;
}

/*
 * keepalived rounds an advert_int from the file to what the version can
 * carry (whole seconds for VRRPv2, 10 ms steps for VRRPv3; a VRRPv3 one
 * over 40.95s is 40.95s); --advert is ours and checked strictly.
 */
static void
chk_round(struct msgchk *c, struct config *cf, struct cfg_instance *in)
{
	uint64_t unit = in->ci_version == 2 ? 1000000 : 10000, v;
	char msg[128];

	if (in->ci_adver_cli || in->ci_file == NULL)
		return;
	v = in->ci_adver;
	if (in->ci_version == 3 && v > 40950000)
		v = 40950000;
	v = (v + unit / 2) / unit * unit;
	if (v == 0)
		v = unit;
	if (v == in->ci_adver)
		return;
	snprintf(msg, sizeof(msg), "advert_int: %.3gs is not a %s for VRRPv%d: "
	    "%.3gs used", (double)in->ci_adver / 1e6, in->ci_version == 2 ?
	    "whole second" : "step of 0.01s up to 40.95s", in->ci_version,
	    (double)v / 1e6);
	chk_lenient(c, cf, in, msg);
	in->ci_adver = v;
}

static void
chk_timing(struct msgchk *c, struct cfg_instance *in)
{
	/* name what set it: the file's line, or the option over it */
	const char *what = in->ci_adver_cli ? "--advert" : "advert_int";

	if (in->ci_version == 2) {
		if (in->ci_adver % 1000000 != 0 || in->ci_adver < 1000000 ||
		    in->ci_adver > 255000000)
			chk_err(c, in, 0, "%s: is %.3gs; VRRPv2 needs "
			    "whole seconds 1..255 (fractions need "
			    "vrrp_version 3)", what, (double)in->ci_adver / 1e6);
	} else {
		if (in->ci_adver % 10000 != 0 || in->ci_adver < 10000 ||
		    in->ci_adver > 40950000)
			chk_err(c, in, 0, "%s: is %.3gs; VRRPv3 needs "
			    "0.01..40.95 in steps of 0.01", what,
			    (double)in->ci_adver / 1e6);
	}
}

/*
 * An instance without VIPs (a notify_master moving a cloud address) has
 * the family of its peers or source; keepalived 2.2.7 runs it with a
 * warning for VRRPv2 over IPv4 and refuses it otherwise.
 */
static void
chk_novip(struct msgchk *c, struct config *cf, struct cfg_instance *in)
{
	int strict = in->ci_strict >= 0 ? in->ci_strict : cf->cf_strict;

	in->ci_family = in->ci_npeers ? in->ci_peer_family :
	    in->ci_has_src ? in->ci_has_src : AF_INET;
	if (in->ci_version == 3 || in->ci_family == AF_INET6 || strict)
		chk_err(c, in, 0, "virtual_ipaddress: none configured; "
		    "VRRPv3, IPv6 and vrrp_strict need one (as keepalived)");
	else {
		chk_err(c, in, 1, "virtual_ipaddress: none configured; "
		    "the adverts carry no address (as keepalived)");
		if (in->ci_file)	/* keepalived -t: "No VIP specified" */
			cf->cf_nflagged++;
	}
}

/*
 * VRRPv2 carries no IPv6: keepalived 2.2.7 runs an IPv6 instance as
 * VRRPv3 whatever the version said (Octavia's IPv6 configs rely on it),
 * and its -t passes the file, so a warning only.
 */
static void
chk_v6version(struct msgchk *c, struct cfg_instance *in)
{
	/* --vrrp-version 2 with an IPv6 --vip is ours: an error below */
	if (in->ci_version != 2 || in->ci_file == NULL || in->ci_nvips == 0 ||
	    in->ci_vips[0].cv_family != AF_INET6)
		return;
	chk_err(c, in, 1, "IPv6: VRRPv2 carries no IPv6; version 3 used, "
	    "as keepalived");
	in->ci_version = 3;
}

static void
chk_family(struct msgchk *c, struct config *cf, struct cfg_instance *in)
{
	int i;

	if (in->ci_nvips == 0)
		chk_novip(c, cf, in);
	else
		in->ci_family = in->ci_vips[0].cv_family;
	for (i = 1; i < in->ci_nvips; i++)
		if (in->ci_vips[i].cv_family != in->ci_family)
			chk_err(c, in, 0, "virtual_ipaddress: IPv4 and IPv6 "
			    "mixed; use one instance per family (or "
			    "virtual_ipaddress_excluded)");
	if (in->ci_family == AF_INET6 && in->ci_version == 2)
		chk_err(c, in, 0, "IPv6 needs VRRP version 3");
	if (in->ci_npeers && in->ci_peer_family != in->ci_family)
		chk_err(c, in, 0, "unicast_peer: family differs from the "
		    "virtual addresses'");
	if (in->ci_has_src && in->ci_has_src != in->ci_family)
		chk_err(c, in, 0, "unicast_src_ip: family differs from the "
		    "virtual addresses'");
}

int
config_no_accept(const struct cfg_instance *in)
{
	return in->ci_accept == CFG_ACCEPT_NO && in->ci_priority != 255;
}

/*
 * vrrp_strict / strict_mode, as keepalived: no_accept unless the owner
 * or "accept" says otherwise; what keepalived would quietly change
 * (drop the password, the peers, the delay) is an error here instead.
 */
static void
chk_strict(struct msgchk *c, struct config *cf, struct cfg_instance *in)
{
	int strict = in->ci_strict >= 0 ? in->ci_strict : cf->cf_strict;

	if (!strict) {
		if (in->ci_accept == CFG_ACCEPT_UNSET)
			in->ci_accept = CFG_ACCEPT_YES;
		return;
	}
	if (in->ci_accept == CFG_ACCEPT_UNSET)
		in->ci_accept = in->ci_priority == 255 ? CFG_ACCEPT_YES :
		    CFG_ACCEPT_NO;
	else if (in->ci_accept == CFG_ACCEPT_YES && in->ci_version == 2)
		chk_err(c, in, 0, "vrrp_strict: accept needs VRRP version 3 "
		    "(RFC 3768 has no accept mode)");
	if (in->ci_npeers > 0)
		chk_err(c, in, 0, "vrrp_strict: unicast_peer not allowed");
	if (in->ci_auth_type != VRRP_AUTH_NONE)
		chk_err(c, in, 0, "vrrp_strict: authentication not allowed");
	if (in->ci_preempt_delay > 0)
		chk_err(c, in, 0, "vrrp_strict: preempt_delay not allowed");
}

/*
 * How many gratuitous ARPs answer a lower priority master, and after
 * what delay one more round, as keepalived 2.2.7 decides: the global
 * defaults fall back on the global vrrp_garp_master_repeat and _delay,
 * not the instance's garp_master_*, and strict mode (RFC: no such
 * answer) sends none unless the instance says.
 */
static void
chk_lower_garp(struct msgchk *c, struct config *cf, struct cfg_instance *in)
{
	int strict = in->ci_strict >= 0 ? in->ci_strict : cf->cf_strict;

	if (!in->ci_has_garp_lower_delay)
		in->ci_garp_lower_delay = strict ? 0 :
		    cf->cf_has_garp_lower_delay ? cf->cf_garp_lower_delay :
		    cf->cf_garp_delay;
	else if (strict && in->ci_garp_lower_delay > 0) {
		chk_lenient(c, cf, in, "garp_lower_prio_delay: "
		    "strict mode sends none; 0 used");
		in->ci_garp_lower_delay = 0;
	}
	if (in->ci_has_garp_lower) {
		if (strict && in->ci_garp_lower_repeat > 0) {
			chk_lenient(c, cf, in, "garp_lower_prio_repeat: "
			    "strict mode sends none; 0 used");
			in->ci_garp_lower_repeat = 0;
		}
		return;
	}
	in->ci_garp_lower_repeat = strict ? 0 : cf->cf_has_garp_lower ?
	    cf->cf_garp_lower_repeat : cf->cf_garp_repeat;
}

/*
 * Whether a master answers a lower priority master at once with an
 * advert, as keepalived 2.2.7 decides: strict mode (RFC: discard it)
 * never does.
 */
static void
chk_lower_advert(struct msgchk *c, struct config *cf, struct cfg_instance *in)
{
	int strict = in->ci_strict >= 0 ? in->ci_strict : cf->cf_strict;

	if (!in->ci_has_lower_no_advert)
		in->ci_lower_no_advert = strict || cf->cf_lower_no_advert;
	else if (strict && !in->ci_lower_no_advert) {
		chk_lenient(c, cf, in, "lower_prio_no_advert: strict mode "
		    "cannot clear it; on");
		in->ci_lower_no_advert = 1;
	}
}

int
config_check(struct config *cf, char *err, size_t errlen)
{
	struct msgchk c = { err, errlen, 0 };
	struct cfg_instance *in, *o;
	int i, j;

	if (cf->cf_ninst == 0) {
		if (err && errlen && strlen(err) + 40 < errlen)
			strcat(err, "(config): no vrrp_instance\n");
		return 1;
	}
	c.mc_nerr += config_check_groups(cf, err, errlen);
	for (i = 0; i < cf->cf_ninst; i++) {
		in = &cf->cf_inst[i];
		if (in->ci_version == 0)
			in->ci_version = cf->cf_version;
		chk_v6version(&c, in);
		if (in->ci_iface[0] == '\0')
			chk_err(&c, in, 0, "interface: not set");
		if (in->ci_vrid == 0)
			chk_err(&c, in, 0, "virtual_router_id: not set");
		/* keepalived's default: from the state (MASTER, the owner) */
		if (in->ci_priority == 0)
			in->ci_priority = in->ci_state_master ? 255 : 100;
		if (in->ci_auth_type == VRRP_AUTH_PASS &&
		    in->ci_auth_pass[0] == '\0') {
			chk_lenient(&c, cf, in, "auth_type PASS without "
			    "auth_pass: no authentication");
			in->ci_auth_type = VRRP_AUTH_NONE;
		}
		if (in->ci_nopreempt && in->ci_priority == 255) {
			chk_lenient(&c, cf, in, "nopreempt: ignored for the "
			    "address owner (priority 255)");
			in->ci_nopreempt = 0;
		}
		/* keepalived -t flags it (a config error): so does ours */
		if (in->ci_auth_type && in->ci_version == 3 && in->ci_file)
			chk_lenient(&c, cf, in, "authentication: VRRPv3 has "
			    "none; ignored");
		else if (in->ci_auth_type && in->ci_version == 3)
			chk_err(&c, in, 1, "authentication: VRRPv3 has none; "
			    "ignored (as keepalived)");
		if (in->ci_version == 3)
			in->ci_auth_type = VRRP_AUTH_NONE;
		if (in->ci_unicast_ttl && in->ci_npeers == 0) {
			chk_lenient(&c, cf, in, "unicast_ttl: no unicast_peer; "
			    "ignored");
			in->ci_unicast_ttl = 0;
		}
		chk_round(&c, cf, in);
		chk_timing(&c, in);
		chk_family(&c, cf, in);
		chk_strict(&c, cf, in);
		chk_lower_garp(&c, cf, in);
		chk_lower_advert(&c, cf, in);
		/*
		 * keepalived's global forms: on for every instance, wherever
		 * global_defs is.  vrrp_check_unicast_src is not copied: the
		 * dumps show the instance's own keyword, as keepalived's.
		 */
		in->ci_skip_adv_check |= cf->cf_skip_adv_check;
		if (!in->ci_has_garp_delay)
			in->ci_garp_delay = cf->cf_garp_delay;
		if (!in->ci_has_garp_repeat)
			in->ci_garp_repeat = cf->cf_garp_repeat;
		if (!in->ci_has_garp_refresh)
			in->ci_garp_refresh = cf->cf_garp_refresh;
		if (!in->ci_has_garp_extra) {
			in->ci_garp_extra = cf->cf_garp_extra;
			in->ci_garp_extra_all = cf->cf_garp_extra_all;
		}
		if (in->ci_garp_refresh_repeat == 0)
			in->ci_garp_refresh_repeat = cf->cf_garp_refresh_repeat;
		if (in->ci_accept == CFG_ACCEPT_NO && in->ci_priority == 255)
			chk_err(&c, in, 1, "no_accept: ignored for the address "
			    "owner (priority 255), as RFC 5798 6.1");
		chk_scripts(&c, cf, in);
		for (j = 0; j < i; j++) {
			o = &cf->cf_inst[j];
			if (strcmp(o->ci_name, in->ci_name) == 0)
				chk_err(&c, in, 0, "defined twice");
			else if (o->ci_vrid == in->ci_vrid &&
			    o->ci_family == in->ci_family &&
			    strcmp(o->ci_iface, in->ci_iface) == 0)
				chk_err(&c, in, 0, "virtual_router_id %d on %s "
				    "also used by %s", in->ci_vrid,
				    in->ci_iface, o->ci_name);
		}
	}
	return c.mc_nerr + conftrack_check(cf, err, errlen) +
	    cfgnet_check(cf, err, errlen);
}
