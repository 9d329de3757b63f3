/* SPDX-License-Identifier: ISC */
/*
 * garp_group: gratuitous ARPs (NAs) on a group's interfaces leave one per
 * garp_interval (gna_interval), counted across all of them, as keepalived
 * 2.2.7 sends them (seen on the wire): one goes at once if the last left
 * an interval ago; the others wait, each VIP once however many rounds
 * asked for it (a VIP waiting is not queued again), and leave one per
 * interval in config order (instances, their VIPs, then the excluded
 * ones).  ARPs and NAs have a queue each.  VIPs on no group's interface,
 * or with no interval for their family, leave at once, as without
 * garp_group.  A VIP waiting when its instance is no longer master is
 * dropped.
 */
#include <errno.h>
#include <net/if.h>
#include <string.h>
#include <sys/socket.h>

#include <event2/event.h>

#include "duration.h"
#include "log.h"
#include "vrrpd.h"

static const struct cfg_vip *
garp_list(const struct cfg_instance *c, int j, int *n)
{
	*n = j ? c->ci_nevips : c->ci_nvips;
	return j ? c->ci_evips : c->ci_vips;
}

/* The VIP on the instance's interface (its VMAC with use_vmac)? */
static int
garp_on_base(const struct inst *in, const struct cfg_vip *v)
{
	return v->cv_dev[0] == '\0' || strcmp(v->cv_dev,
	    in->in_cfg.ci_iface) == 0;
}

/* The group of the interface the VIP's ARPs are counted on, or -1. */
static int
garp_group_of(const struct inst *in, const struct cfg_vip *v)
{
	const struct config *cf = in->in_d->d_cf;
	const char *dev = garp_on_base(in, v) ? in->in_cfg.ci_iface :
	    vmac_addr_dev(in, v->cv_dev);
	int g, i;

	for (g = 0; g < cf->cf_ngarp_groups; g++)
		for (i = 0; i < cf->cf_garp_groups[g].cgg_nifs; i++)
			if (strcmp(cf->cf_garp_groups[g].cgg_ifs[i], dev) == 0)
				return g;
	return -1;
}

static uint64_t
garp_interval(const struct config *cf, int g, int v6)
{
	return v6 ? cf->cf_garp_groups[g].cgg_gna :
	    cf->cf_garp_groups[g].cgg_garp;
}

static void
garp_send(struct inst *in, const struct cfg_vip *v)
{
	const char *dev = vip_on_vmac(in, v) ? in->in_vip_iface :
	    vip_dev(&in->in_cfg, v);
	int idx = vip_on_vmac(in, v) ? in->in_vip_ifindex :
	    (int)if_nametoindex(dev);

	if (idx != 0 && net_announce(v->cv_family, idx, dev,
	    &v->cv_addr) == -1)
		log_debug("%s: announce: %s", in->in_cfg.ci_name,
		    strerror(errno));
}

static void	garp_slot_cb(int, short, void *);

static void
garp_arm(struct vrrpd *d, int g, int v6)
{
	struct garp_slot *gs = &d->d_garp[g][v6];
	uint64_t now = mono_usec();
	struct timeval tv;

	if (!gs->gs_init) {
		gs->gs_d = d;
		gs->gs_group = g;
		gs->gs_v6 = v6;
		event_assign(&gs->gs_ev, d->d_base, -1, 0, garp_slot_cb, gs);
		gs->gs_init = 1;
	}
	if (gs->gs_armed)
		return;
	/*
	 * libevent counts the delay from the time it cached when the loop
	 * woke, and sending the round took a while since: the slot would
	 * open early.
	 */
	event_base_update_cache_time(d->d_base);
	tv = duration_tv(gs->gs_next > now ? gs->gs_next - now : 0);
	evtimer_add(&gs->gs_ev, &tv);
	gs->gs_armed = 1;
}

/* The next VIP waiting for the slot, the first in config order. */
static void
garp_slot_cb(int fd, short ev, void *arg)
{
	struct garp_slot *gs = arg;
	struct vrrpd *d = gs->gs_d;
	const struct cfg_vip *l;
	struct inst *in;
	int k, j, i, n, sent = 0;

	gs->gs_armed = 0;
	if (gs->gs_group >= d->d_cf->cf_ngarp_groups)
		return;	/* a reload took the group away */
	for (k = 0; k < d->d_ninst; k++) {
		in = d->d_inst[k];
		for (j = 0; j < 2; j++) {
			l = garp_list(&in->in_cfg, j, &n);
			for (i = 0; i < n; i++) {
				if (!in->in_garp_wait[j][i] ||
				    (l[i].cv_family == AF_INET6) != gs->gs_v6 ||
				    garp_group_of(in, &l[i]) != gs->gs_group)
					continue;
				if (sent) {
					garp_arm(d, gs->gs_group, gs->gs_v6);
					return;
				}
				in->in_garp_wait[j][i] = 0;
				if (in->in_fsm.fs_state != FSM_MASTER)
					continue;
				garp_send(in, &l[i]);
				gs->gs_next = mono_usec() + garp_interval(
				    d->d_cf, gs->gs_group, gs->gs_v6);
				sent = 1;
			}
		}
	}
}

static void
garp_one(struct inst *in, int j, int i)
{
	struct vrrpd *d = in->in_d;
	const struct cfg_vip *v;
	struct garp_slot *gs;
	uint64_t iv, now;
	int g, n, v6;

	v = &garp_list(&in->in_cfg, j, &n)[i];
	g = garp_group_of(in, v);
	v6 = v->cv_family == AF_INET6;
	if (g < 0 || (iv = garp_interval(d->d_cf, g, v6)) == 0) {
		garp_send(in, v);
		return;
	}
	gs = &d->d_garp[g][v6];
	now = mono_usec();
	if (!gs->gs_armed && now >= gs->gs_next) {
		garp_send(in, v);
		/* from when it left: a send can take a while */
		gs->gs_next = mono_usec() + iv;
		return;
	}
	in->in_garp_wait[j][i] = 1;
	garp_arm(d, g, v6);
}

void
garp_announce(struct inst *in, int times)
{
	const struct cfg_instance *c = &in->in_cfg;
	int k, i;

	if (in->in_d->d_cf->cf_ngarp_groups == 0) {
		vip_announce(in, times);
		return;
	}
	for (k = 0; k < times; k++) {
		for (i = 0; i < c->ci_nvips; i++)
			garp_one(in, 0, i);
		for (i = 0; i < c->ci_nevips; i++)
			garp_one(in, 1, i);
	}
}

/* keepalived's garp_master_delay: one more round after the delay. */
void
garp_delay_cb(int fd, short ev, void *arg)
{
	struct inst *in = arg;

	if (in->in_fsm.fs_state == FSM_MASTER)
		garp_announce(in, in->in_cfg.ci_garp_repeat);
}

/*
 * A master heard a lower priority master (inst.c): keepalived 2.2.7's
 * garp_lower_prio_repeat round at once and one more after
 * garp_lower_prio_delay, for the instance and for each other member of
 * its sync group that sends any (the other master may hold their VIPs
 * too).  A delayed round already waiting is not pushed back.
 */
static void
garp_lower_one(struct inst *in)
{
	const struct cfg_instance *c = &in->in_cfg;
	struct timeval tv;

	if (c->ci_garp_lower_repeat == 0)
		return;
	garp_announce(in, c->ci_garp_lower_repeat);
	if (c->ci_garp_lower_delay > 0 && in->in_ev_lower &&
	    !evtimer_pending(in->in_ev_lower, NULL)) {
		tv = duration_tv(c->ci_garp_lower_delay);
		evtimer_add(in->in_ev_lower, &tv);
	}
}

void
garp_lower(struct inst *in)
{
	struct inst *o;
	int i;

	garp_lower_one(in);
	if (in->in_group == NULL)
		return;
	for (i = 0; i < in->in_d->d_ninst; i++) {
		o = in->in_d->d_inst[i];
		if (o != in && o->in_group == in->in_group &&
		    o->in_fsm.fs_state == FSM_MASTER)
			garp_lower_one(o);
	}
}

void
garp_lower_cb(int fd, short ev, void *arg)
{
	struct inst *in = arg;

	if (in->in_fsm.fs_state == FSM_MASTER)
		garp_announce(in, in->in_cfg.ci_garp_lower_repeat);
}

/* keepalived's garp_master_refresh: a round every period while master. */
void
garp_refresh_cb(int fd, short ev, void *arg)
{
	struct inst *in = arg;

	if (in->in_fsm.fs_state == FSM_MASTER)
		garp_announce(in, in->in_cfg.ci_garp_refresh_repeat);
}
