/* SPDX-License-Identifier: ISC */
/*
 * vrrp_sync_group: keepalived's rules (vrrp_sync.c, vrrp_scheduler.c),
 * kept apart from the per-instance code.  A member's fault is the group's
 * fault; a member goes master only when all want to, and takes the
 * others with it; a master going backup takes the others back too.  The
 * group has its own state line and notify commands ("GROUP NAME STATE
 * 0", as keepalived calls them).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "duration.h"
#include "errbuf.h"
#include "evline.h"
#include "log.h"
#include "vrrpd.h"

/* notify commands are killed after this, as the instances' */
#define SYNC_NOTIFY_TIMEOUT	30000000

int
sync_setup(struct vrrpd *d, char *err, size_t errlen)
{
	struct sync_group *g;
	int i;

	sync_teardown(d);
	for (i = 0; i < d->d_cf->cf_ngroups; i++) {
		if ((g = calloc(1, sizeof(*g))) == NULL)
			return errbuf_set(err, errlen,
			    "vrrp_sync_group: out of memory");
		g->sg_cfg = d->d_cf->cf_groups[i];
		g->sg_d = d;
		g->sg_state = FSM_INIT;
		d->d_groups[d->d_ngroups++] = g;
	}
	for (i = 0; i < d->d_ninst; i++)
		sync_join(d, d->d_inst[i]);
	/* after a reload: the state the members are in, no notify */
	for (i = 0; i < d->d_ninst; i++)
		if (d->d_inst[i]->in_group &&
		    d->d_inst[i]->in_fsm.fs_state != FSM_INIT)
			d->d_inst[i]->in_group->sg_state =
			    d->d_inst[i]->in_fsm.fs_state;
	return 0;
}

void
sync_join(struct vrrpd *d, struct inst *in)
{
	in->in_group = in->in_cfg.ci_group >= 0 &&
	    in->in_cfg.ci_group < d->d_ngroups ?
	    d->d_groups[in->in_cfg.ci_group] : NULL;
}

void
sync_teardown(struct vrrpd *d)
{
	int i;

	for (i = 0; i < d->d_ninst; i++)
		d->d_inst[i]->in_group = NULL;
	for (i = 0; i < d->d_ngroups; i++)
		free(d->d_groups[i]);
	d->d_ngroups = 0;
}

/* Calls fn on every member of in's group but in. */
static void
sync_others(struct inst *in, void (*fn)(struct inst *, void *), void *arg)
{
	struct vrrpd *d = in->in_d;
	int i;

	for (i = 0; i < d->d_ninst; i++)
		if (d->d_inst[i] != in && d->d_inst[i]->in_group ==
		    in->in_group)
			fn(d->d_inst[i], arg);
}

static void
sync_want(struct inst *o, void *arg)
{
	int *all = arg;

	*all &= fsm_wants_master(&o->in_fsm);
}

int
sync_may_master(struct inst *in)
{
	int all = 1;

	if (in->in_group == NULL || in->in_group->sg_state == FSM_MASTER)
		return 1;
	/* prefer backup to thrashing: only when every member wants it */
	sync_others(in, sync_want, &all);
	if (!all)
		log_debug("%s: master down, waiting for the rest of "
		    "vrrp_sync_group %s", in->in_cfg.ci_name,
		    in->in_group->sg_cfg.cg_name);
	return all;
}

static void
sync_own_fault(struct inst *o, void *arg)
{
	struct inst **who = arg;

	if (o->in_own_fault && *who == NULL)
		*who = o;
}

int
sync_fault(struct inst *in, char *why, size_t len)
{
	struct inst *who = NULL;

	if (in->in_group == NULL)
		return 0;
	sync_others(in, sync_own_fault, &who);
	if (who == NULL)
		return 0;
	snprintf(why, len, "sync-%s", in->in_group->sg_cfg.cg_name);
	return 1;
}

static void
sync_reweigh(struct inst *o, void *arg)
{
	inst_track_changed(o);
}

void
sync_refault(struct inst *in)
{
	if (in->in_group != NULL)
		sync_others(in, sync_reweigh, NULL);
}

/* The group's state from its members' (stopped ones aside). */
static enum fsm_state
sync_state(struct inst *in)
{
	struct vrrpd *d = in->in_d;
	int i, any = 0, fault = 0, all_master = 1;
	enum fsm_state s;

	for (i = 0; i < d->d_ninst; i++) {
		if (d->d_inst[i]->in_group != in->in_group ||
		    (s = d->d_inst[i]->in_fsm.fs_state) == FSM_INIT)
			continue;
		any = 1;
		fault |= s == FSM_FAULT;
		all_master &= s == FSM_MASTER;
	}
	if (!any)
		return FSM_INIT;
	return fault ? FSM_FAULT : all_master ? FSM_MASTER : FSM_BACKUP;
}

/* A group's notifies share a lane: one at a time, in order. */
static uint32_t
sync_lane(const char *name)
{
	uint32_t h = runner_fnv(runner_fnv(RUNNER_FNV_SEED, "G"), name);

	return h ? h : 1;
}

/* The runner runs its own copy of the group's command kind. */
static void
sync_notify_one(struct sync_group *g, int kind, const char *st)
{
	const struct config *cf = g->sg_d->d_cf;
	struct runner_req rq;
	int i;

	for (i = 0; i < cf->cf_ngroups; i++)
		if (strcmp(cf->cf_groups[i].cg_name, g->sg_cfg.cg_name) == 0)
			break;
	if (i == cf->cf_ngroups)
		return;		/* removed by a reload */
	runner_req_init(&rq, kind, i, SYNC_NOTIFY_TIMEOUT / 1000);
	rq.rq_lane = sync_lane(g->sg_cfg.cg_name);
	snprintf(rq.rq_state, sizeof(rq.rq_state), "%s", st);
	if (runner_run(&g->sg_d->d_runner, cf, &rq) == -1)
		log_warnx("vrrp_sync_group %s: cannot pass the %s notify to "
		    "the runner", g->sg_cfg.cg_name, st);
}

/* The state's own notify first, then the generic one, as keepalived. */
static void
sync_notify(struct sync_group *g, enum fsm_state to)
{
	const struct cfg_group *c = &g->sg_cfg;
	enum cfg_notify_kind k = inst_notify_kind(to);
	const char *st = inst_notify_state(to);

	if (c->cg_notify[k].cn_cmd[0])
		sync_notify_one(g, RUNNER_GNOTIFY + (int)k, st);
	if (c->cg_notify[CFG_NOTIFY].cn_cmd[0])
		sync_notify_one(g, RUNNER_GNOTIFY, st);
	fifo_line(g->sg_d, "GROUP", c->cg_name, st, 0);
	if (to != FSM_INIT)	/* keepalived mails no STOP */
		smtp_alert(g->sg_d, "Group", c->cg_name, c->cg_smtp_alert, st);
}

static void
sync_set(struct inst *in, enum fsm_state to, const char *why)
{
	struct sync_group *g = in->in_group;
	struct vrrpd *d = in->in_d;
	struct evline el;
	int i, first = 1;
	enum fsm_state from = g->sg_state;

	if (to == from)
		return;
	g->sg_state = to;
	evline_begin(&el, "GROUP", g->sg_cfg.cg_name);
	evline_str(&el, "state", inst_notify_state(to));
	evline_str(&el, "from", fsm_state_name(from));
	evline_str(&el, "reason", why);
	evline_str(&el, "instance", in->in_cfg.ci_name);
	evline_open(&el, "members");
	for (i = 0; i < d->d_ninst; i++) {
		if (d->d_inst[i]->in_group != g)
			continue;
		if (!first)
			evline_more(&el, ",");
		evline_more(&el, d->d_inst[i]->in_cfg.ci_name);
		first = 0;
	}
	evline_close(&el);
	evline_emit(&el);
	log_info("vrrp_sync_group %s: %s -> %s (%s %s)", g->sg_cfg.cg_name,
	    fsm_state_name(from), fsm_state_name(to), in->in_cfg.ci_name,
	    why);
	sync_notify(g, to);
}

static void
sync_to_master(struct inst *o, void *arg)
{
	fsm_sync_master(&o->in_fsm, mono_usec(), arg);
	inst_rearm(o);
}

static void
sync_to_backup(struct inst *o, void *arg)
{
	fsm_sync_backup(&o->in_fsm, mono_usec(), arg);
	inst_rearm(o);
}

void
sync_changed(struct inst *in, enum fsm_state from, enum fsm_state to,
    const char *why)
{
	struct sync_group *g = in->in_group;
	char gwhy[CFG_NAME_LEN + 8];

	if (g == NULL || g->sg_busy)
		return;	/* no group, or one we are moving ourselves */
	snprintf(gwhy, sizeof(gwhy), "sync-%s", g->sg_cfg.cg_name);
	g->sg_busy = 1;
	if (to == FSM_MASTER)
		sync_others(in, sync_to_master, gwhy);
	else if (to == FSM_BACKUP && from == FSM_MASTER)
		sync_others(in, sync_to_backup, gwhy);
	g->sg_busy = 0;
	sync_set(in, sync_state(in), why);
}
