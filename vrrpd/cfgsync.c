/* SPDX-License-Identifier: ISC */
/*
 * vrrp_sync_group NAME { group { VI_1 VI_2 } track_* notify* ... } as
 * keepalived 2.2.7 reads it.  config_check_groups() then ties members to
 * their group and applies keepalived's tracking rules; sync.c runs it.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "cfgext.h"
#include "msgbuf.h"

static void
cfgsync_members(struct parser *p, struct cfg_group *g,
    const struct stmt *open)
{
	struct stmt s;
	int i;

	if (g->cg_nmembers > 0)
		cfg_err(p, open->s_kw, "group: given twice");
	while (p_block_line(p, open, &s, "group")) {
		/* keepalived's value block: names on one line or several */
		for (i = -1; i < s.s_nargs; i++) {
			const struct tok *t = i < 0 ? s.s_kw : s.s_args[i];

			if (strlen(t->t_text) >= CFG_NAME_LEN)
				cfg_err(p, t, "group: name \"%s\" too long",
				    t->t_text);
			else if (g->cg_nmembers >= CFG_MAX_INSTANCES)
				cfg_err(p, t, "group: more than %d members",
				    CFG_MAX_INSTANCES);
			else
				snprintf(g->cg_members[g->cg_nmembers++],
				    CFG_NAME_LEN, "%s", t->t_text);
		}
	}
}

/*
 * keepalived 2.2.7's, with an effect vrrpd does not have (notify_deleted
 * is an instance's: in a group keepalived calls it unknown, as vrrpd)
 */
static const char *const cfgsync_refused[] = {
	"track_bfd", NULL
};

static void
cfgsync_kw(struct parser *p, struct cfg_group *g, struct stmt *s)
{
	const char *kw = s->s_kw->t_text;

	if (p_notify_kw(p, s, kw, g->cg_notify))
		return;
	if (strcmp(kw, "group") == 0 && s->s_block)
		cfgsync_members(p, g, s);
	else if (strcmp(kw, "smtp_alert") == 0)
		p_mail_bool(p, s, &g->cg_smtp_alert);
	else if (strcmp(kw, "notify_priority_changes") == 0)
		p_mail_bool(p, s, &g->cg_notify_prio);
	else if (strcmp(kw, "track_script") == 0 && s->s_block)
		p_tracks(p, g->cg_scripts, &g->cg_nscripts, s);
	else if (strcmp(kw, "track_file") == 0 && s->s_block)
		p_tracks(p, g->cg_tfiles, &g->cg_ntfiles, s);
	else if (strcmp(kw, "track_process") == 0 && s->s_block)
		p_tracks(p, g->cg_tprocs, &g->cg_ntprocs, s);
	else if (strcmp(kw, "track_interface") == 0 && s->s_block)
		p_tracks(p, g->cg_ifaces, &g->cg_nifaces, s);
	else if (strcmp(kw, "sync_group_tracking_weight") == 0)
		p_flag(p, s, &g->cg_tracking_weight, 1);
	else if (strcmp(kw, "global_tracking") == 0) {
		/* keepalived 2.2.7: deprecated, and the same thing */
		if (p_nargs(p, s, 0, 0) == 0) {
			cfg_warn(p, s->s_kw, "global_tracking: deprecated; "
			    "taken as sync_group_tracking_weight");
			g->cg_tracking_weight = 1;
		}
	} else if (kw_in(kw, cfgsync_refused))
		p_unsupported(p, s, 0, "not supported in a vrrp_sync_group by "
		    "vrrpd (it would change behaviour)");
	else if (kw_in(kw, (const char *const[]){ "group", "track_script",
	    "track_interface", "track_file", "track_process", NULL }))
		cfg_err(p, s->s_kw, "%s: needs a { } block", kw);
	else
		p_unsupported(p, s, 0, "unknown keyword");
}

void
p_sync_group(struct parser *p, const struct stmt *head)
{
	struct config *cf = p->p_cf;
	struct cfg_group *g;
	struct stmt s;
	int i;

	if (p_section_head(p, head, cf->cf_ngroups, CFG_MAX_GROUPS,
	    "a name") == -1)
		return;
	g = &cf->cf_groups[cf->cf_ngroups++];
	memset(g, 0, sizeof(*g));
	g->cg_file = cf->cf_files[head->s_kw->t_file];
	g->cg_line = head->s_kw->t_line;
	p_section_name(p, head, g->cg_name, sizeof(g->cg_name));
	for (i = 0; i < cf->cf_ngroups - 1; i++)
		if (strcmp(cf->cf_groups[i].cg_name, g->cg_name) == 0)
			cfg_err(p, head->s_kw, "vrrp_sync_group %s: defined "
			    "twice", g->cg_name);
	snprintf(p->p_ctx, sizeof(p->p_ctx), "vrrp_sync_group %s: ",
	    g->cg_name);
	while (!p_block_end(p, head)) {
		p_stmt(p, &s);
		cfgsync_kw(p, g, &s);
	}
	if (g->cg_nmembers == 0)
		cfg_warn(p, head->s_kw, "no group { } of instances; the "
		    "sync group is ignored");
	p->p_ctx[0] = '\0';
}

/* --- after parsing: members, tracks, weights ---------------------------- */

static void __attribute__((format(printf, 4, 5)))
cfgsync_msg(struct msgchk *k, const struct cfg_group *g, int warn,
    const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	msgchk_vadd(k, warn, g->cg_file ? g->cg_file : "(config)", g->cg_line,
	    "vrrp_sync_group", g->cg_name, fmt, ap);
	va_end(ap);
}

/* The weight of the vrrp_script a member's track_script names, 0 if none. */
static int
cfgsync_script_weight(const struct config *cf, const char *name)
{
	int i;

	for (i = 0; i < cf->cf_nscripts; i++)
		if (strcmp(cf->cf_scripts[i].cs_name, name) == 0)
			return cf->cf_scripts[i].cs_weight;
	return 0;
}

/* The same for a vrrp_track_file or vrrp_track_process. */
static long
cfgsync_tracker_weight(const struct config *cf, const char *name, int file)
{
	int i;

	for (i = 0; file && i < cf->cf_ntfiles; i++)
		if (strcmp(cf->cf_tfiles[i].ctf_name, name) == 0)
			return cf->cf_tfiles[i].ctf_weight;
	for (i = 0; !file && i < cf->cf_ntprocs; i++)
		if (strcmp(cf->cf_tprocs[i].ctp_name, name) == 0)
			return cf->cf_tprocs[i].ctp_weight;
	return 0;
}

/* keepalived 2.2.7: a weighted track_file or track_process is weight 0. */
static void
cfgsync_zero(struct msgchk *k, const struct config *cf,
    const struct cfg_group *g, const char *inst, struct cfg_track *list,
    int n, int file)
{
	long w;
	int i;

	for (i = 0; i < n; i++) {
		w = cfgsync_tracker_weight(cf, list[i].ct_name, file);
		if (cfg_track_weight(&list[i], w) == 0)
			continue;
		cfgsync_msg(k, g, 1, "%s: %s %s: weight ignored in a sync "
		    "group; a non-zero value (or no quorum) means FAULT (as "
		    "keepalived)", inst, file ? "track_file" : "track_process",
		    list[i].ct_name);
		list[i].ct_has_weight = 1;
		list[i].ct_weight = 0;
	}
}

/*
 * keepalived: a member's weighted tracks would give the members different
 * priorities, so weighted scripts are dropped and weighted files and
 * processes count as weight 0 (down = FAULT), unless
 * sync_group_tracking_weight.  A weighted track_interface keepalived
 * 2.2.7 says it ignores, and applies all the same (its interface keeps
 * the weight it was given first): so does vrrpd, with the warning.
 */
static void
cfgsync_weights(struct msgchk *k, struct config *cf,
    const struct cfg_group *g, struct cfg_instance *in)
{
	int i, w, n = 0;

	for (i = 0; i < in->ci_nscripts; i++) {
		w = cfgsync_script_weight(cf, in->ci_scripts[i].ct_name);
		if (cfg_track_weight(&in->ci_scripts[i], w) != 0) {
			cfgsync_msg(k, g, 1, "%s: track_script %s has a "
			    "weight; ignored in a sync group (as keepalived; "
			    "see sync_group_tracking_weight)", in->ci_name,
			    in->ci_scripts[i].ct_name);
			continue;
		}
		in->ci_scripts[n++] = in->ci_scripts[i];
	}
	in->ci_nscripts = n;
	for (i = 0; i < in->ci_nifaces; i++)
		if (in->ci_ifaces[i].ct_weight != 0)
			cfgsync_msg(k, g, 1, "%s: track_interface %s: weight "
			    "in a sync group: keepalived 2.2.7 says it ignores "
			    "it and applies it; so does vrrpd", in->ci_name,
			    in->ci_ifaces[i].ct_name);
	cfgsync_zero(k, cf, g, in->ci_name, in->ci_tfiles, in->ci_ntfiles, 1);
	cfgsync_zero(k, cf, g, in->ci_name, in->ci_tprocs, in->ci_ntprocs, 0);
}

/* The group's tracks count for every member, with the group's weights. */
static void
cfgsync_add(struct msgchk *k, const struct cfg_group *g,
    struct cfg_instance *in, const char *what, struct cfg_track *list,
    int *n, const struct cfg_track *add, int nadd)
{
	int i;

	for (i = 0; i < nadd; i++) {
		if (*n >= CFG_MAX_TRACKS) {
			cfgsync_msg(k, g, 0, "%s: more than %d %s with the "
			    "group's", in->ci_name, CFG_MAX_TRACKS, what);
			return;
		}
		list[(*n)++] = add[i];
	}
}

int
config_check_groups(struct config *cf, char *err, size_t errlen)
{
	struct msgchk k = { err, errlen, 0 };
	struct cfg_group *g;
	struct cfg_instance *in;
	int i, j, m, owner;

	for (i = 0; i < cf->cf_ninst; i++)
		cf->cf_inst[i].ci_group = -1;
	for (i = 0; i < cf->cf_ngroups; i++) {
		g = &cf->cf_groups[i];
		for (owner = 0, j = 0; j < g->cg_nmembers; j++) {
			m = config_inst_index(cf, g->cg_members[j]);
			if (m == -1) {
				cfgsync_msg(&k, g, 0, "group: no vrrp_instance "
				    "%s", g->cg_members[j]);
				continue;
			}
			in = &cf->cf_inst[m];
			if (in->ci_group >= 0) {
				cfgsync_msg(&k, g, 0, "group: %s is already in "
				    "vrrp_sync_group %s", in->ci_name,
				    cf->cf_groups[in->ci_group].cg_name);
				continue;
			}
			in->ci_group = i;
			owner |= in->ci_priority == 255;
			if (!g->cg_tracking_weight)
				cfgsync_weights(&k, cf, g, in);
		}
		if (g->cg_nmembers == 1)
			cfgsync_msg(&k, g, 1, "only one instance; this "
			    "probably is not what you want");
		for (j = 0; owner && j < g->cg_nscripts; j++)
			if (g->cg_scripts[j].ct_weight) {
				cfgsync_msg(&k, g, 1, "track_script %s: weight "
				    "ignored, a member has priority 255",
				    g->cg_scripts[j].ct_name);
				g->cg_scripts[j].ct_weight = 0;
				g->cg_scripts[j].ct_has_weight = 1;
			}
		for (j = 0; owner && j < g->cg_nifaces; j++)
			g->cg_ifaces[j].ct_weight = 0;
		for (j = 0; j < cf->cf_ninst; j++) {
			in = &cf->cf_inst[j];
			if (in->ci_group != i)
				continue;
			cfgsync_add(&k, g, in, "track_script", in->ci_scripts,
			    &in->ci_nscripts, g->cg_scripts, g->cg_nscripts);
			cfgsync_add(&k, g, in, "track_interface",
			    in->ci_ifaces, &in->ci_nifaces, g->cg_ifaces,
			    g->cg_nifaces);
			/* keepalived: the file's or process's weighted value
			 * moves every member alike (seen: 100 -> 105, 97) */
			cfgsync_add(&k, g, in, "track_file", in->ci_tfiles,
			    &in->ci_ntfiles, g->cg_tfiles, g->cg_ntfiles);
			cfgsync_add(&k, g, in, "track_process",
			    in->ci_tprocs, &in->ci_ntprocs, g->cg_tprocs,
			    g->cg_ntprocs);
			/* keepalived: a member's own setting, else the
			 * group's, else vrrp_notify_priority_changes */
			if (in->ci_notify_prio == 0)
				in->ci_notify_prio = g->cg_notify_prio;
		}
	}
	return k.mc_nerr;
}
