/* SPDX-License-Identifier: ISC */
/*
 * keepalived.conf, the vrrp part.  keepalived's grammar is line based:
 * a keyword and its arguments on one line, "{ ... }" blocks.  The parser
 * walks lex.c's tokens, collecting every error rather than stopping at the
 * first (relayd's yyerror habit), so one -t run shows them all.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/utsname.h>

#include "cfgext.h"
#include "config.h"
#include "duration.h"
#include "parse.h"

static void	p_user(struct parser *, const struct stmt *, int, char *,
		    char *);
static void	p_bool(struct parser *, const struct stmt *, int *);
static int	p_secs(struct parser *, const struct stmt *, uint64_t *);
static void	p_skip_adv(struct parser *, const struct stmt *, int *);

/* --- global_defs ------------------------------------------------------- */

/*
 * The garp defaults.  keepalived 2.2.7 reads global_defs before any
 * instance (its parent parses them first), so they count for every
 * instance wherever global_defs is in the file (data-instance.t); an
 * instance takes them in cfgcheck.c.  A repeat of 0 is 1 with a warning;
 * vrrp_min_garp is 1 ARP, no delay, no refresh.
 */
/*
 * vrrp_garp_interval, vrrp_gna_interval: keepalived's range is 1 us to
 * 4294.967295 s; it flags a value outside it (0 too) and ignores it.
 */
static void
p_global_gap(struct parser *p, const struct stmt *s, uint64_t *out)
{
	uint64_t v;

	if (p_dur(p, s, &v) == -1)
		return;
	if (v == 0 || v > UINT32_MAX) {
		p_lenient(p, s, "%s '%s' is invalid (1 us to 4294.967295 s): "
		    "ignored", s->s_kw->t_text, s->s_args[0]->t_text);
		return;
	}
	*out = v;
}

static int
p_global_garp(struct parser *p, const struct stmt *s)
{
	struct config *cf = p->p_cf;
	const char *kw = s->s_kw->t_text;
	int on = 1;

	if (strcmp(kw, "vrrp_garp_master_delay") == 0)
		p_dur(p, s, &cf->cf_garp_delay);
	else if (strcmp(kw, "vrrp_garp_master_repeat") == 0) {
		if (s->s_nargs == 1 && strcmp(s->s_args[0]->t_text, "0") == 0) {
			cfg_warn(p, s->s_kw, "%s: is 0; set to 1 (as "
			    "keepalived)", kw);
			cf->cf_garp_repeat = 1;
		} else
			p_int(p, s, 1, 255, &cf->cf_garp_repeat);
	} else if (strcmp(kw, "vrrp_garp_lower_prio_repeat") == 0) {
		if (p_int(p, s, 0, 255, &cf->cf_garp_lower_repeat) == 0)
			cf->cf_has_garp_lower = 1;
	} else if (strcmp(kw, "vrrp_garp_lower_prio_delay") == 0) {
		if (p_secs(p, s, &cf->cf_garp_lower_delay) == 0)
			cf->cf_has_garp_lower_delay = 1;
	} else if (strcmp(kw, "vrrp_garp_interval") == 0)
		p_global_gap(p, s, &cf->cf_garp_gap);
	else if (strcmp(kw, "vrrp_gna_interval") == 0)
		p_global_gap(p, s, &cf->cf_gna_gap);
	else if (strcmp(kw, "vrrp_min_garp") == 0) {
		p_bool(p, s, &on);
		if (on && cf->cf_garp_repeat == 5)
			cf->cf_garp_repeat = 1;
		if (on && cf->cf_garp_delay == 5000000)
			cf->cf_garp_delay = 0;
	} else
		return 0;
	return 1;
}

/*
 * data_use_instance [BOOL]: keepalived flags a word that is no boolean
 * and keeps what it had.
 */
static void
p_data_use_instance(struct parser *p, const struct stmt *s)
{
	static const char *const on[] = { "on", "true", "yes", NULL };
	static const char *const off[] = { "off", "false", "no", NULL };

	if (p_nargs(p, s, 0, 1) == -1)
		return;
	if (s->s_nargs == 0 || kw_in(s->s_args[0]->t_text, on))
		p->p_cf->cf_data_use_instance = 1;
	else if (kw_in(s->s_args[0]->t_text, off))
		p->p_cf->cf_data_use_instance = 0;
	else
		p_lenient(p, s, "data_use_instance: \"%s\" is not on or off: "
		    "ignored", s->s_args[0]->t_text);
}

static void
p_global(struct parser *p, const struct stmt *open)
{
	struct config *cf = p->p_cf;
	struct stmt s;
	const char *kw;

	snprintf(p->p_ctx, sizeof(p->p_ctx), "global_defs: ");
	while (!p_block_end(p, open)) {
		p_stmt(p, &s);
		kw = s.s_kw->t_text;
		if (strcmp(kw, "router_id") == 0)
			p_name(p, &s, cf->cf_router_id,
			    sizeof(cf->cf_router_id));
		else if (strcmp(kw, "vrrp_version") == 0)
			p_int(p, &s, 2, 3, &cf->cf_version);
		else if (strcmp(kw, "script_user") == 0) {
			if (p_nargs(p, &s, 1, 2) == 0)
				p_user(p, &s, 0, cf->cf_script_user,
				    cf->cf_script_group);
		} else if (strcmp(kw, "enable_script_security") == 0)
			p_flag(p, &s, &cf->cf_script_security, 1);
		else if (strcmp(kw, "vrrp_garp_master_refresh") == 0)
			p_dur(p, &s, &cf->cf_garp_refresh);
		else if (strcmp(kw, "vrrp_garp_master_refresh_repeat") == 0)
			p_int(p, &s, 1, 255, &cf->cf_garp_refresh_repeat);
		else if (strcmp(kw, "vrrp_startup_delay") == 0)
			p_dur(p, &s, &cf->cf_startup_delay);
		else if (strcmp(kw, "vrrp_down_timer_adverts") == 0)
			p_int(p, &s, 1, 100, &cf->cf_down_adverts);
		else if (p_global_garp(p, &s) || p_global_fifo(p, &s) ||
		    p_global_mail(p, &s) || p_global_hook(p, &s))
			;
		else if (strcmp(kw, "vrrp_strict") == 0)
			p_flag(p, &s, &cf->cf_strict, 1);
		else if (strcmp(kw, "vrrp_lower_prio_no_advert") == 0)
			p_bool(p, &s, &cf->cf_lower_no_advert);
		else if (strcmp(kw, "vrrp_check_unicast_src") == 0)
			p_flag(p, &s, &cf->cf_check_src, 1);
		else if (strcmp(kw, "vrrp_skip_check_adv_addr") == 0)
			p_flag(p, &s, &cf->cf_skip_adv_check, 1);
		else if (strcmp(kw, "vrrp_iptables") == 0) {
			/*
			 * keepalived 2.2.7 as Debian builds it has no
			 * iptables: it flags the line, then filters with
			 * nftables as it would without it.
			 */
			if (p_nargs(p, &s, 0, 2) == 0)
				p_lenient(p, &s, "vrrp_iptables: no iptables; "
				    "no_accept filters with nftables (table "
				    "inet vrrpd) all the same");
		}
		else if (strcmp(kw, "default_interface") == 0)
			p_name(p, &s, cf->cf_static.cst_dev,
			    sizeof(cf->cf_static.cst_dev));
		else if (strcmp(kw, "disable_local_igmp") == 0)
			p_flag(p, &s, &cf->cf_no_local_igmp, 1);
		else if (strcmp(kw, "vmac_prefix") == 0)
			p_name(p, &s, cf->cf_vmac_prefix,
			    sizeof(cf->cf_vmac_prefix));
		else if (strcmp(kw, "vmac_addr_prefix") == 0)
			p_name(p, &s, cf->cf_vmac_addr_prefix,
			    sizeof(cf->cf_vmac_addr_prefix));
		else if (cfgnet_global(p, &s))
			;
		else if (strcmp(kw, "data_use_instance") == 0)
			p_data_use_instance(p, &s);
		else if (kw_in(kw, (const char *const[]){ "vrrp_nftables",
		    "vrrp_nftables_counters", "vrrp_nftables_priority", NULL }))
			/* keepalived 2.2.7 flags them as unknown and runs */
			p_lenient(p, &s, "%s: unknown to keepalived 2.2.7, "
			    "whose keyword is %s: ignored (no_accept uses "
			    "nftables table inet vrrpd)", kw, kw + 5);
		else if (!p_table(p, &s, KW_GLOBAL))
			p_unsupported(p, &s, 0, "unknown keyword");
	}
	p->p_ctx[0] = '\0';
}

/* --- script commands --------------------------------------------------- */

/* USER [GROUP] from argument first on (keepalived's "user" forms). */
static void
p_user(struct parser *p, const struct stmt *s, int first, char *user,
    char *group)
{
	int i;

	for (i = first; i < s->s_nargs && i < first + 2; i++)
		if (strlen(s->s_args[i]->t_text) >= CFG_NAME_LEN)
			cfg_err(p, s->s_kw, "%s: user or group \"%s\" too long",
			    s->s_kw->t_text, s->s_args[i]->t_text);
	if (first < s->s_nargs)
		snprintf(user, CFG_NAME_LEN, "%s", s->s_args[first]->t_text);
	if (first + 1 < s->s_nargs)
		snprintf(group, CFG_NAME_LEN, "%s",
		    s->s_args[first + 1]->t_text);
}

/*
 * script "CMD" and notify* "CMD" [USER [GROUP]], as keepalived reads
 * them: the command is the first word (quote it whole); a notify's next
 * words name its user, a script's are ignored (said so).
 */
static void
p_script_cmd(struct parser *p, const struct stmt *s, char *out, char *user,
    char *group)
{
	struct stmt one = *s;

	if (s->s_nargs < 1) {
		cfg_err(p, s->s_kw, "%s: needs a command", s->s_kw->t_text);
		return;
	}
	one.s_nargs = 1;
	if (p_cmd(p, &one, out, CFG_CMD_LEN) == -1)
		return;
	if (s->s_nargs > 1 && user == NULL)
		cfg_warn(p, s->s_kw, "%s: words after \"%s\" ignored, as "
		    "keepalived does: quote the whole command",
		    s->s_kw->t_text, out);
	else if (s->s_nargs > 3)
		cfg_err(p, s->s_kw, "%s: \"CMD\" [USER [GROUP]] expected; "
		    "quote the whole command", s->s_kw->t_text);
	else if (s->s_nargs > 1)
		p_user(p, s, 1, user, group);
}

/* --- vrrp_script ------------------------------------------------------- */

static void
p_script(struct parser *p, const struct stmt *head)
{
	struct config *cf = p->p_cf;
	struct cfg_script *sc;
	struct stmt s;
	const char *kw;
	uint64_t d;
	int i;

	if (head->s_nargs != 1) {
		cfg_err(p, head->s_kw, "vrrp_script: needs one name");
		if (head->s_block)
			p_skip_block(p);
		return;
	}
	if (!head->s_block) {
		cfg_err(p, head->s_kw, "vrrp_script %s: needs a { } block",
		    head->s_args[0]->t_text);
		return;
	}
	if (cf->cf_nscripts >= CFG_MAX_SCRIPTS) {
		cfg_err(p, head->s_kw, "vrrp_script: more than %d",
		    CFG_MAX_SCRIPTS);
		p_skip_block(p);
		return;
	}
	sc = &cf->cf_scripts[cf->cf_nscripts++];
	memset(sc, 0, sizeof(*sc));
	sc->cs_interval = 1000000;	/* keepalived's defaults */
	sc->cs_rise = sc->cs_fall = 1;
	sc->cs_fd = -1;
	sc->cs_line = head->s_kw->t_line;
	sc->cs_file = cf->cf_files[head->s_kw->t_file];
	p_section_name(p, head, sc->cs_name, sizeof(sc->cs_name));
	for (i = 0; i < cf->cf_nscripts - 1; i++)
		if (strcmp(cf->cf_scripts[i].cs_name, sc->cs_name) == 0)
			cfg_err(p, head->s_kw, "vrrp_script %s: defined twice",
			    sc->cs_name);
	snprintf(p->p_ctx, sizeof(p->p_ctx), "vrrp_script %s: ", sc->cs_name);
	while (!p_block_end(p, head)) {
		p_stmt(p, &s);
		kw = s.s_kw->t_text;
		if (strcmp(kw, "script") == 0)
			p_script_cmd(p, &s, sc->cs_cmd, NULL, NULL);
		else if (strcmp(kw, "interval") == 0) {
			if (p_dur(p, &s, &d) == 0) {
				if (d == 0)
					cfg_err(p, s.s_kw, "interval: is 0; "
					    "should be more");
				else
					sc->cs_interval = d;
			}
		} else if (strcmp(kw, "timeout") == 0) {
			if (p_dur(p, &s, &d) == 0)
				sc->cs_timeout = d;
		} else if (strcmp(kw, "weight") == 0) {
			if (s.s_nargs == 2 &&
			    strcmp(s.s_args[1]->t_text, "reverse") == 0) {
				sc->cs_weight_reverse = 1;
				s.s_nargs = 1;
			}
			p_int(p, &s, -254, 254, &sc->cs_weight);
		} else if (strcmp(kw, "rise") == 0)
			p_int(p, &s, 1, 1000000, &sc->cs_rise);
		else if (strcmp(kw, "fall") == 0)
			p_int(p, &s, 1, 1000000, &sc->cs_fall);
		else if (strcmp(kw, "init_fail") == 0)
			p_flag(p, &s, &sc->cs_init_fail, 1);
		else if (strcmp(kw, "user") == 0) {
			if (p_nargs(p, &s, 1, 2) == 0)
				p_user(p, &s, 0, sc->cs_user, sc->cs_group);
		} else if (!p_table(p, &s, KW_SCRIPT))
			p_unsupported(p, &s, 0, "unknown keyword");
	}
	if (sc->cs_cmd[0] == '\0')
		cfg_err(p, head->s_kw, "no script command");
	p->p_ctx[0] = '\0';
}

/* --- vrrp_instance ----------------------------------------------------- */

/*
 * The lines of track_script, track_interface, track_file and
 * track_process: "NAME [weight N [reverse|noreverse]]", keepalived 2.2.7's
 * grammar for all four.  Like keepalived, a word it does not know there
 * is ignored with a config error (-t exits 3) and the line tracked with
 * what came before it ("NAME reverse" is NAME with its tracker's own
 * weight and sense).
 */
void
p_tracks(struct parser *p, struct cfg_track *list, int *n,
    const struct stmt *open)
{
	const char *kw = open->s_kw->t_text;
	struct cfg_track *ct;
	struct stmt s;
	long w;
	int i;

	while (p_block_line(p, open, &s, kw)) {
		if (*n >= CFG_MAX_TRACKS) {
			cfg_err(p, s.s_kw, "%s: more than %d tracked", kw,
			    CFG_MAX_TRACKS);
			continue;
		}
		ct = &list[*n];
		memset(ct, 0, sizeof(*ct));
		if (strlen(s.s_kw->t_text) >= sizeof(ct->ct_name)) {
			cfg_err(p, s.s_kw, "%s: \"%s\": name too long", kw,
			    s.s_kw->t_text);
			continue;
		}
		snprintf(ct->ct_name, sizeof(ct->ct_name), "%s",
		    s.s_kw->t_text);
		i = 0;
		if (s.s_nargs >= 2 && strcmp(s.s_args[0]->t_text,
		    "weight") == 0) {
			if (p_long(p, &s, s.s_args[1]->t_text, -254, 254,
			    &w) == -1)
				continue;
			ct->ct_weight = (int)w;
			ct->ct_has_weight = 1;
			i = 2;
			if (s.s_nargs > 2 && strcmp(s.s_args[2]->t_text,
			    "reverse") == 0)
				ct->ct_reverse = CFG_REV_YES, i++;
			else if (s.s_nargs > 2 && strcmp(s.s_args[2]->t_text,
			    "noreverse") == 0)
				ct->ct_reverse = CFG_REV_NO, i++;
		}
		if (i < s.s_nargs)
			p_lenient(p, &s, "%s %s: \"%s\" ignored (\"NAME "
			    "[weight N [reverse|noreverse]]\")", kw, ct->ct_name,
			    s.s_args[i]->t_text);
		(*n)++;
	}
}

/*
 * "ADDR min_ttl N max_ttl N": that peer's adverts outside the range are
 * dropped, and a range turns check_unicast_src on, as keepalived 2.2.7.
 */
static void
p_peer_ttl(struct parser *p, struct cfg_instance *in, const struct stmt *s,
    int n)
{
	const char *kw, *v;
	char *end;
	long ttl;
	int i;

	in->ci_peer_min_ttl[n] = 0;
	in->ci_peer_max_ttl[n] = 255;
	in->ci_peer_ttl_set[n] = 0;
	for (i = 0; i < s->s_nargs; i += 2) {
		kw = s->s_args[i]->t_text;
		if (strcmp(kw, "min_ttl") != 0 && strcmp(kw, "max_ttl") != 0) {
			cfg_warn(p, s->s_args[i], "unicast_peer: unknown option "
			    "\"%s\": ignored, with what follows", kw);
			return;
		}
		if (i + 1 >= s->s_nargs) {
			cfg_warn(p, s->s_args[i], "unicast_peer: %s: no value",
			    kw);
			return;
		}
		v = s->s_args[i + 1]->t_text;
		errno = 0;
		ttl = strtol(v, &end, 10);
		if (errno || end == v || *end || ttl < 0 || ttl > 255) {
			cfg_warn(p, s->s_args[i + 1], "unicast_peer: %s \"%s\": "
			    "not 0 to 255: ignored", kw, v);
			continue;
		}
		*(kw[1] == 'i' ? &in->ci_peer_min_ttl[n] :
		    &in->ci_peer_max_ttl[n]) = (int)ttl;
		in->ci_peer_ttl_set[n] = 1;
		in->ci_check_src = 1;
	}
}

static void
p_peers(struct parser *p, struct cfg_instance *in, const struct stmt *open)
{
	struct stmt s;
	int fam;
	union vrrp_addr a;

	while (!p_block_end(p, open)) {
		p_stmt(p, &s);
		if (s.s_block)
			p_skip_block(p);
		if (config_parse_addr(s.s_kw->t_text, &fam, &a) == -1) {
			cfg_err(p, s.s_kw, "unicast_peer \"%s\": not an "
			    "address", s.s_kw->t_text);
			continue;
		}
		if (in->ci_npeers >= CFG_MAX_PEERS) {
			cfg_err(p, s.s_kw, "unicast_peer: more than %d",
			    CFG_MAX_PEERS);
			continue;
		}
		if (in->ci_npeers > 0 && fam != in->ci_peer_family) {
			cfg_err(p, s.s_kw, "unicast_peer: IPv4 and IPv6 mixed");
			continue;
		}
		in->ci_peer_family = fam;
		p_peer_ttl(p, in, &s, in->ci_npeers);
		in->ci_peers[in->ci_npeers++] = a;
	}
}

static void
p_auth(struct parser *p, struct cfg_instance *in, const struct stmt *open)
{
	struct stmt s;
	const char *kw;

	while (!p_block_end(p, open)) {
		p_stmt(p, &s);
		kw = s.s_kw->t_text;
		if (strcmp(kw, "auth_type") == 0) {
			if (p_nargs(p, &s, 1, 1) == -1)
				continue;
			if (strcmp(s.s_args[0]->t_text, "PASS") == 0)
				in->ci_auth_type = VRRP_AUTH_PASS;
			else if (strcmp(s.s_args[0]->t_text, "AH") == 0)
				cfg_err(p, s.s_kw, "auth_type AH: not "
				    "supported; use PASS or none");
			else
				p_lenient(p, &s, "auth_type: is \"%s\", not "
				    "PASS: no authentication",
				    s.s_args[0]->t_text);
		} else if (strcmp(kw, "auth_pass") == 0) {
			if (p_nargs(p, &s, 1, 1) == -1)
				continue;
			if (strlen(s.s_args[0]->t_text) > VRRP_AUTH_LEN)
				p_lenient(p, &s, "auth_pass: longer than %d "
				    "characters; only the first %d are used",
				    VRRP_AUTH_LEN, VRRP_AUTH_LEN);
			snprintf(in->ci_auth_pass, sizeof(in->ci_auth_pass),
			    "%.8s", s.s_args[0]->t_text);
		} else
			p_unsupported(p, &s, 0, "unknown authentication "
			    "keyword");
	}
}

/* keepalived's <BOOL>: on|off|true|false|yes|no, none = on. */
static void
p_bool(struct parser *p, const struct stmt *s, int *out)
{
	static const char *const on[] = { "on", "true", "yes", NULL };
	static const char *const off[] = { "off", "false", "no", NULL };

	if (p_nargs(p, s, 0, 1) == -1)
		return;
	if (s->s_nargs == 0 || kw_in(s->s_args[0]->t_text, on))
		*out = 1;
	else if (kw_in(s->s_args[0]->t_text, off))
		*out = 0;
	else
		cfg_err(p, s->s_kw, "%s: is \"%s\"; should be on or off",
		    s->s_kw->t_text, s->s_args[0]->t_text);
}

/* keepalived's whole seconds (garp_lower_prio_delay), as usec. */
static int
p_secs(struct parser *p, const struct stmt *s, uint64_t *out)
{
	int n;

	if (p_int(p, s, 0, 4294, &n) == -1)
		return -1;
	*out = (uint64_t)n * 1000000;
	return 0;
}

/*
 * skip_check_adv_addr [BOOL]: keepalived 2.2.7 turns it on for any
 * word it reads as a boolean, "off" too; a config that says so gets
 * what keepalived does, with a warning.
 */
static void
p_skip_adv(struct parser *p, const struct stmt *s, int *out)
{
	int on = 1;

	p_bool(p, s, &on);
	if (!on)
		cfg_warn(p, s->s_kw, "%s: \"%s\" turns it on all the same "
		    "(as keepalived 2.2.7)", s->s_kw->t_text,
		    s->s_args[0]->t_text);
	*out = 1;
}

void
p_notify(struct parser *p, const struct stmt *s, char *out, char *user,
    char *group)
{
	p_script_cmd(p, s, out, user, group);
}

const char *const cfg_notify_kw[CFG_NOTIFY_N] = {
	[CFG_NOTIFY] = "notify", [CFG_NOTIFY_MASTER] = "notify_master",
	[CFG_NOTIFY_BACKUP] = "notify_backup",
	[CFG_NOTIFY_FAULT] = "notify_fault", [CFG_NOTIFY_STOP] = "notify_stop"
};

/* An instance's or a sync group's notify*: 1 when kw is one of them. */
int
p_notify_kw(struct parser *p, const struct stmt *s, const char *kw,
    struct cfg_notify nt[CFG_NOTIFY_N])
{
	int k;

	for (k = 0; k < CFG_NOTIFY_N; k++)
		if (strcmp(kw, cfg_notify_kw[k]) == 0) {
			p_notify(p, s, nt[k].cn_cmd, nt[k].cn_user,
			    nt[k].cn_group);
			return 1;
		}
	return 0;
}

/* One keyword of a vrrp_instance block. */
/* The instance's own settings: 1 when kw is one of them. */
static int
p_inst_setting(struct parser *p, struct cfg_instance *in, struct stmt *s,
    const char *kw)
{
	uint64_t d;
	int fam;

	if (strcmp(kw, "state") == 0) {
		if (p_nargs(p, s, 1, 1) == -1)
			return 1;
		if (strcmp(s->s_args[0]->t_text, "MASTER") == 0)
			in->ci_state_master = 1;
		else if (strcmp(s->s_args[0]->t_text, "BACKUP") == 0)
			in->ci_state_master = 0;
		else {
			p_lenient(p, s, "state: is \"%s\", not MASTER or "
			    "BACKUP: BACKUP used", s->s_args[0]->t_text);
			in->ci_state_master = 0;
		}
	} else if (strcmp(kw, "interface") == 0)
		p_name(p, s, in->ci_iface, sizeof(in->ci_iface));
	else if (strcmp(kw, "virtual_router_id") == 0)
		p_int(p, s, 1, 255, &in->ci_vrid);
	else if (strcmp(kw, "priority") == 0) {
		if (p_int_quiet(s, 1, 255, &in->ci_priority) == -1) {
			p_lenient(p, s, "priority: is \"%s\", not 1..255: 100 "
			    "used", s->s_nargs ? s->s_args[0]->t_text : "");
			in->ci_priority = 100;
		}
	}
	else if (strcmp(kw, "version") == 0)
		p_int(p, s, 2, 3, &in->ci_version);
	else if (strcmp(kw, "advert_int") == 0) {
		if (p_dur(p, s, &d) == -1)
			return 1;
		if (d == 0 || d > 255000000)
			p_lenient(p, s, "advert_int: is \"%s\", not "
			    "0.01..255: ignored", s->s_args[0]->t_text);
		else
			in->ci_adver = d;
	}
	else if (strcmp(kw, "nopreempt") == 0)
		p_flag(p, s, &in->ci_nopreempt, 1);
	else if (strcmp(kw, "dont_track_primary") == 0)
		p_flag(p, s, &in->ci_dont_track_primary, 1);
	else if (strcmp(kw, "accept") == 0)
		p_flag(p, s, &in->ci_accept, CFG_ACCEPT_YES);
	else if (strcmp(kw, "no_accept") == 0)
		p_flag(p, s, &in->ci_accept, CFG_ACCEPT_NO);
	else if (strcmp(kw, "strict_mode") == 0)
		p_bool(p, s, &in->ci_strict);
	else if (strcmp(kw, "lower_prio_no_advert") == 0) {
		p_bool(p, s, &in->ci_lower_no_advert);
		in->ci_has_lower_no_advert = 1;
	}
	else if (strcmp(kw, "preempt_delay") == 0)
		p_dur(p, s, &in->ci_preempt_delay);
	else if (strcmp(kw, "garp_master_delay") == 0) {
		if (p_dur(p, s, &in->ci_garp_delay) == 0)
			in->ci_has_garp_delay = 1;
	} else if (strcmp(kw, "garp_master_repeat") == 0) {
		if (p_int_quiet(s, 0, 0, &fam) == 0) {
			p_lenient(p, s, "garp_master_repeat: is 0: 1 used");
			in->ci_garp_repeat = 1;
			in->ci_has_garp_repeat = 1;
		} else if (p_int(p, s, 1, 255, &in->ci_garp_repeat) == 0)
			in->ci_has_garp_repeat = 1;
	}
	else if (strcmp(kw, "garp_lower_prio_repeat") == 0) {
		if (p_int(p, s, 0, 255, &in->ci_garp_lower_repeat) == 0)
			in->ci_has_garp_lower = 1;
	} else if (strcmp(kw, "garp_lower_prio_delay") == 0) {
		if (p_secs(p, s, &in->ci_garp_lower_delay) == 0)
			in->ci_has_garp_lower_delay = 1;
	} else if (strcmp(kw, "check_unicast_src") == 0)
		p_flag(p, s, &in->ci_check_src, 1);
	else if (strcmp(kw, "skip_check_adv_addr") == 0)
		p_skip_adv(p, s, &in->ci_skip_adv_check);
	else if (strcmp(kw, "garp_master_refresh") == 0) {
		if (p_dur(p, s, &in->ci_garp_refresh) == 0)
			in->ci_has_garp_refresh = 1;
	} else if (strcmp(kw, "garp_master_refresh_repeat") == 0)
		p_int(p, s, 1, 255, &in->ci_garp_refresh_repeat);
	else if (strcmp(kw, "unicast_src_ip") == 0 ||
	    strcmp(kw, "mcast_src_ip") == 0) {
		if (p_nargs(p, s, 1, 1) == -1)
			return 1;
		if (config_parse_addr(s->s_args[0]->t_text, &fam,
		    &in->ci_src) == -1)
			cfg_err(p, s->s_kw, "%s \"%s\": not an address", kw,
			    s->s_args[0]->t_text);
		else
			in->ci_has_src = fam;
	} else if (strcmp(kw, "down_timer_adverts") == 0)
		p_int(p, s, 1, 100, &in->ci_down_adverts);
	else if (strcmp(kw, "unicast_ttl") == 0)
		p_int(p, s, 1, 255, &in->ci_unicast_ttl);
	else if (strcmp(kw, "old_unicast_checksum") == 0) {
		/* "never" stops keepalived's switch to the old checksum on
		 * an old peer's advert; vrrpd never switches */
		if (s->s_nargs == 0)
			in->ci_old_csum = 1;
		else if (strcmp(s->s_args[0]->t_text, "never") != 0)
			p_lenient(p, s, "old_unicast_checksum: \"%s\" is not "
			    "never: ignored", s->s_args[0]->t_text);
	}
	else
		return 0;
	return 1;
}

/* notify*: a command, with the user and group it runs as. */
static int
p_inst_notify(struct parser *p, struct cfg_instance *in, struct stmt *s,
    const char *kw)
{
	if (p_notify_kw(p, s, kw, in->ci_notify))
		return 1;
	if (strcmp(kw, "notify_master_rx_lower_pri") == 0)
		p_notify(p, s, in->ci_notify_rx_lower.cn_cmd,
		    in->ci_notify_rx_lower.cn_user,
		    in->ci_notify_rx_lower.cn_group);
	else if (strcmp(kw, "notify_deleted") == 0) {
		in->ci_deleted = 1;	/* the command is optional */
		if (s->s_nargs > 0)
			p_notify(p, s, in->ci_notify_deleted.cn_cmd,
			    in->ci_notify_deleted.cn_user,
			    in->ci_notify_deleted.cn_group);
	} else if (strcmp(kw, "smtp_alert") == 0)
		p_mail_bool(p, s, &in->ci_smtp_alert);
	else if (strcmp(kw, "notify_priority_changes") == 0)
		p_mail_bool(p, s, &in->ci_notify_prio);
	else
		return 0;
	return 1;
}

/*
 * keepalived looks a track_script's name up among the vrrp_scripts read so
 * far: one defined further down is "not found" to it.  Marked here, while
 * the scripts read so far are all there is; cfgcheck.c says what it does.
 */
static void
p_track_scripts(struct parser *p, struct cfg_instance *in,
    const struct stmt *s)
{
	const struct config *cf = p->p_cf;
	int i = in->ci_nscripts, j;

	p_tracks(p, in->ci_scripts, &in->ci_nscripts, s);
	for (; i < in->ci_nscripts; i++) {
		in->ci_scripts[i].ct_ahead = 1;
		for (j = 0; j < cf->cf_nscripts; j++)
			if (strcmp(cf->cf_scripts[j].cs_name,
			    in->ci_scripts[i].ct_name) == 0)
				in->ci_scripts[i].ct_ahead = 0;
	}
}

/* The { } blocks: 1 when kw is one and s has its block. */
static int
p_inst_block(struct parser *p, struct cfg_instance *in, struct stmt *s,
    const char *kw)
{
	if (!s->s_block)
		return 0;
	if (strcmp(kw, "authentication") == 0)
		p_auth(p, in, s);
	else if (strcmp(kw, "virtual_ipaddress") == 0)
		p_vip_block(p, s, in->ci_vips, &in->ci_nvips, CFG_MAX_VIPS);
	else if (strcmp(kw, "virtual_ipaddress_excluded") == 0)
		p_vip_block(p, s, in->ci_evips, &in->ci_nevips, CFG_MAX_EVIPS);
	else if (strcmp(kw, "track_script") == 0)
		p_track_scripts(p, in, s);
	else if (strcmp(kw, "track_interface") == 0)
		p_tracks(p, in->ci_ifaces, &in->ci_nifaces, s);
	else if (strcmp(kw, "unicast_peer") == 0)
		p_peers(p, in, s);
	else
		return 0;
	return 1;
}

static void
p_inst_kw(struct parser *p, struct cfg_instance *in, struct stmt *s)
{
	const char *kw = s->s_kw->t_text;

	if (conftrack_inst(p, in, s) || cfgroute_inst(p, in, s) ||
	    cfgnet_inst(p, in, s))
		return;
	if (p_inst_setting(p, in, s, kw) || p_inst_notify(p, in, s, kw) ||
	    p_inst_block(p, in, s, kw) || p_table(p, s, KW_INSTANCE))
		return;
	if (kw_in(kw, (const char *const[]){ "authentication",
	    "virtual_ipaddress", "track_script", "track_interface",
	    "unicast_peer", "virtual_ipaddress_excluded", NULL }))
		cfg_err(p, s->s_kw, "%s: needs a { } block", kw);
	else
		p_unsupported(p, s, 0, "unknown keyword");
}

static void
p_instance(struct parser *p, const struct stmt *head)
{
	struct config *cf = p->p_cf;
	struct cfg_instance *in;
	struct stmt s;

	if (p_section_head(p, head, cf->cf_ninst, CFG_MAX_INSTANCES,
	    "a name") == -1)
		return;
	in = &cf->cf_inst[cf->cf_ninst++];
	memset(in, 0, sizeof(*in));
	in->ci_adver = 1000000;
	in->ci_strict = -1;
	in->ci_group = -1;
	in->ci_file = cf->cf_files[head->s_kw->t_file];
	in->ci_line = head->s_kw->t_line;
	p_section_name(p, head, in->ci_name, sizeof(in->ci_name));
	snprintf(p->p_ctx, sizeof(p->p_ctx), "vrrp_instance %s: ",
	    in->ci_name);
	while (!p_block_end(p, head)) {
		p_stmt(p, &s);
		p_inst_kw(p, in, &s);
	}
	p->p_ctx[0] = '\0';
}

/* --- top level --------------------------------------------------------- */

/*
 * instance NAME: keepalived's name for one of several daemons on a host,
 * in its pid files' names (vrrpd's is --pidfile's) and, with
 * data_use_instance, the DATA file's.  As there, a second one is flagged
 * and the first stays.
 */
static void
p_instance_name(struct parser *p, const struct stmt *s)
{
	struct config *cf = p->p_cf;
	struct stmt one = *s;

	if (s->s_block) {
		cfg_err(p, s->s_kw, "instance: takes no block");
		p_skip_block(p);
		return;
	}
	if (s->s_nargs == 0) {
		p_lenient(p, s, "instance: name missing: ignored");
		return;
	}
	if (cf->cf_instance[0]) {
		p_lenient(p, s, "instance: \"%s\" after \"%s\": ignored",
		    s->s_args[0]->t_text, cf->cf_instance);
		return;
	}
	if (s->s_nargs > 1)
		cfg_warn(p, s->s_kw, "instance: words after \"%s\" ignored, "
		    "as keepalived does", s->s_args[0]->t_text);
	one.s_nargs = 1;
	p_name(p, &one, cf->cf_instance, sizeof(cf->cf_instance));
}

static void
p_top(struct parser *p)
{
	struct stmt s;
	const char *kw;

	while (p_peek(p) != NULL) {
		p_stmt(p, &s);
		kw = s.s_kw->t_text;
		if (p_is(s.s_kw, "}")) {
			cfg_err(p, s.s_kw, "'}' without a block");
		} else if (p_is(s.s_kw, "{")) {
			cfg_err(p, s.s_kw, "'{' without a keyword");
			p_skip_block(p);
		} else if (conftrack_top(p, &s) || cfgstatic_top(p, &s) ||
		    cfgnet_top(p, &s))
			continue;
		else if (strcmp(kw, "global_defs") == 0 && s.s_block)
			p_global(p, &s);
		else if (strcmp(kw, "vrrp_script") == 0)
			p_script(p, &s);
		else if (strcmp(kw, "vrrp_instance") == 0)
			p_instance(p, &s);
		else if (strcmp(kw, "vrrp_sync_group") == 0)
			p_sync_group(p, &s);
		else if (strcmp(kw, "instance") == 0)
			p_instance_name(p, &s);
		else if (!p_table(p, &s, KW_TOP))
			p_unsupported(p, &s, 0, "unknown keyword");
	}
}

void
config_defaults(struct config *cf)
{
	struct utsname u;

	memset(cf, 0, sizeof(*cf));
	/* keepalived's config id: the node name up to its first dot */
	if (uname(&u) == 0)
		snprintf(cf->cf_config_id, sizeof(cf->cf_config_id), "%.*s",
		    (int)strcspn(u.nodename, "."), u.nodename);
	cf->cf_version = 2;
	cf->cf_garp_refresh_repeat = 1;	/* keepalived's defaults */
	cf->cf_garp_delay = 5000000;
	cf->cf_garp_repeat = 5;
	cf->cf_umask = -1;
	snprintf(cf->cf_vmac_prefix, sizeof(cf->cf_vmac_prefix), "vrrp");
}

int
config_inst_index(const struct config *cf, const char *name)
{
	int i;

	for (i = 0; i < cf->cf_ninst; i++)
		if (strcmp(cf->cf_inst[i].ci_name, name) == 0)
			return i;
	return -1;
}

int
config_parse(struct config *cf, const char *name, const char *buf,
    size_t len, config_include_fn inc, void *arg, char *err, size_t errlen)
{
	struct parser p;
	size_t i;

	memset(&p, 0, sizeof(p));
	p.p_cf = cf;
	p.p_inc = inc;
	p.p_arg = arg;
	p.p_err = err;
	p.p_errlen = errlen;
	if (err && errlen)
		err[0] = '\0';
	if (lex_buf(&p, name, buf, len, 0) == 0)
		p_top(&p);
	lex_free(&p);
	for (i = 0; i < p.p_ntok; i++)
		free(p.p_toks[i].t_text);
	free(p.p_toks);
	return p.p_nerr;
}
