/* SPDX-License-Identifier: ISC */
/*
 * Reload (SIGHUP, "reload"): parse into a new config and swap only on
 * success (ifstated's load_config()); instances that keep their name,
 * interface, VRID and family keep their state and VIPs, so a reload never
 * moves or drops an address that stays configured.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "load.h"
#include "log.h"
#include "sync.h"
#include "vrrpd.h"

/*
 * fifo_write_vrrp_states_on_reload, as keepalived 2.2.7 does it: every
 * sync group's state, then each kept instance's that is BACKUP or FAULT.
 * keepalived writes no line for a master instance (its reload path for
 * one skips the FIFO), and a new instance tells its own first change.
 */
static void
reload_fifo_states(struct vrrpd *d, struct inst **keep, int nkeep)
{
	struct sync_group *g;
	enum fsm_state st;
	int i;

	for (i = 0; i < d->d_ngroups; i++) {
		g = d->d_groups[i];
		if (g->sg_state != FSM_INIT)
			fifo_line(d, "GROUP", g->sg_cfg.cg_name,
			    fsm_state_name(g->sg_state), 0);
	}
	for (i = 0; i < nkeep; i++) {
		if (keep[i] == NULL)
			continue;
		st = keep[i]->in_fsm.fs_state;
		if (st == FSM_BACKUP || st == FSM_FAULT)
			fifo_line(d, "INSTANCE", keep[i]->in_cfg.ci_name,
			    fsm_state_name(st), keep[i]->in_fsm.fs_prio);
	}
}

int
vrrpd_reload(struct vrrpd *d, char *err, size_t errlen)
{
	struct config *cf, *old = d->d_cf;
	struct inst *keep[CFG_MAX_INSTANCES], *in;
	int used[CFG_MAX_INSTANCES] = { 0 };
	int i, j, n = 0;

	if ((cf = d->d_load(d, err, errlen)) == NULL) {
		log_warnx("reload failed; the running config stays:");
		load_log(err);
		return -1;
	}
	load_log(err);
	err[0] = '\0';
	/* keepalived refuses it whole: pid and data file names hang on it */
	if (strcmp(cf->cf_instance, old->cf_instance) != 0) {
		snprintf(err, errlen, "instance \"%s\" cannot become \"%s\" "
		    "at a reload: restart vrrpd (as keepalived)\n",
		    old->cf_instance, cf->cf_instance);
		log_warnx("reload failed; the running config stays:");
		load_log(err);
		free(cf);
		return -1;
	}
	/* the static ones the file lost go; the new ones come at once */
	route_static_gone(&d->d_nl, &cf->cf_static, &old->cf_static);
	vip_static_gone(&d->d_nl, &cf->cf_static, &old->cf_static);
	vip_static(&d->d_nl, &cf->cf_static, 1);
	route_static(&d->d_nl, &cf->cf_static, 1);
	if (cf->cf_no_local_igmp != old->cf_no_local_igmp)
		log_warnx("reload: disable_local_igmp changes at the next "
		    "start, not on a reload (as keepalived)");
	/* instances kept by name, interface, VRID and family keep state */
	for (i = 0; i < cf->cf_ninst; i++) {
		keep[i] = NULL;
		for (j = 0; j < d->d_ninst; j++) {
			in = d->d_inst[j];
			if (!used[j] && strcmp(in->in_cfg.ci_name,
			    cf->cf_inst[i].ci_name) == 0 &&
			    strcmp(in->in_cfg.ci_iface,
			    cf->cf_inst[i].ci_iface) == 0 &&
			    in->in_cfg.ci_vrid == cf->cf_inst[i].ci_vrid &&
			    in->in_cfg.ci_family == cf->cf_inst[i].ci_family &&
			    in->in_cfg.ci_npeers == cf->cf_inst[i].ci_npeers &&
			    /* another group needs another socket */
			    memcmp(&in->in_cfg.ci_mgroup, &cf->cf_inst[i].ci_mgroup,
			    sizeof(union vrrp_addr)) == 0) {
				keep[i] = in;
				used[j] = 1;
			}
		}
	}
	/*
	 * The list stays whole while removed instances stop, and holds
	 * every kept one before any is reconfigured: vip_accept() rebuilds
	 * the no_accept table from the list, kept VIPs never drop out.
	 * They stop before the runner reloads: their notifies are in the
	 * old config, and the runner runs each from the one it was sent for.
	 */
	for (j = 0; j < d->d_ninst; j++)
		if (!used[j]) {
			d->d_inst[j]->in_deleted = 1;
			inst_stop(d->d_inst[j], "removed");
		}
	d->d_cf = cf;
	/* the runner reads the file itself: it runs only what it says */
	if (runner_reload(&d->d_runner) == -1)
		log_warn("reload: cannot tell the runner");
	if (track_setup(d, err, errlen) == -1)
		log_warnx("reload: %s", err);
	for (j = 0; j < d->d_ninst; j++)
		if (!used[j])
			inst_free(d->d_inst[j]);
	for (i = 0; i < cf->cf_ninst; i++)
		if (keep[i])
			d->d_inst[n++] = keep[i];
	d->d_ninst = n;
	/* groups before the kept instances move: they ask their group */
	if (sync_setup(d, err, errlen) == -1)
		log_warnx("reload: %s", err);
	for (i = 0; i < cf->cf_ninst; i++) {
		if (keep[i]) {
			inst_reconfigure(keep[i], &cf->cf_inst[i]);
			continue;
		}
		if ((in = inst_new(d, &cf->cf_inst[i], err, errlen)) == NULL) {
			log_warnx("reload: %s", err);
			continue;
		}
		d->d_inst[n++] = in;
		d->d_ninst = n;
		sync_join(d, in);
		inst_start(in);
	}
	if (cf->cf_fifo_reload)
		reload_fifo_states(d, keep, cf->cf_ninst);
	free(old);
	log_info("reloaded: %d instance%s", n, n == 1 ? "" : "s");
	return 0;
}

void
vrrpd_dump(struct vrrpd *d)
{
	struct evline el;
	const char *line;
	int i;

	for (i = 0; i < d->d_ninst; i++) {
		inst_format(d->d_inst[i], &el);
		if ((line = evline_end(&el)) != NULL)
			log_info("%s", line);
		evline_free(&el);
	}
}

