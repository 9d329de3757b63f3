/* SPDX-License-Identifier: ISC */
/*
 * One running VRRP instance: its socket, timers and VIPs around the pure
 * state machine in fsm.c.  inst_change() is the fsm's change hook and so
 * the single place where VIPs move, state lines print and notify runs.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <event2/event.h>
#include <linux/if_addr.h>

#include "duration.h"
#include "evline.h"
#include "log.h"
#include "metrics.h"
#include "notify.h"
#include "vrrpd.h"

/* notify commands are killed after this (and delay a stop at most this) */
#define INST_NOTIFY_TIMEOUT	30000000

static void	inst_send(struct fsm *, uint8_t prio);
static void	inst_change(struct fsm *, enum fsm_state, enum fsm_state,
		    const char *);
static int	inst_may_master(struct fsm *);

static const struct fsm_hooks inst_hooks = { inst_send, inst_change,
    inst_may_master };

static void
inst_fill_pkt(struct inst *in, struct vrrp_pkt *p, uint8_t prio)
{
	const struct cfg_instance *c = &in->in_cfg;
	int i;

	memset(p, 0, sizeof(*p));
	p->vp_family = c->ci_family;
	p->vp_version = (uint8_t)c->ci_version;
	p->vp_type = VRRP_TYPE_ADVERT;
	p->vp_vrid = (uint8_t)c->ci_vrid;
	p->vp_priority = prio;
	p->vp_naddr = (uint8_t)c->ci_nvips;
	p->vp_ttl = VRRP_TTL;
	if (c->ci_version == 2) {
		p->vp_auth_type = (uint8_t)c->ci_auth_type;
		p->vp_adver_int = (uint16_t)(c->ci_adver / 1000000);
		memcpy(p->vp_auth, c->ci_auth_pass, VRRP_AUTH_LEN);
	} else
		p->vp_adver_int = (uint16_t)(c->ci_adver / 10000);
	for (i = 0; i < c->ci_nvips; i++)
		p->vp_addrs[i] = c->ci_vips[i].cv_addr;
	p->vp_src = in->in_net.nt_src;
}

static void
inst_send_to(struct inst *in, struct vrrp_pkt *p, const union vrrp_addr *dst)
{
	uint8_t buf[VRRP_PKT_MAX];
	int n;

	/*
	 * keepalived < 2.0 (and old_unicast_checksum) sums a unicast
	 * VRRPv3 advert over IPv4 as if it went to the multicast group.
	 */
	if (dst && !(in->in_cfg.ci_old_csum && p->vp_family == AF_INET))
		p->vp_dst = *dst;
	else
		p->vp_dst = in->in_net.nt_group;
	if ((n = vrrp_pkt_build(p, buf, sizeof(buf))) < 0) {
		log_warnx("%s: cannot build advertisement (bug)",
		    in->in_cfg.ci_name);
		return;
	}
	if (net_send(&in->in_net, dst, buf, (size_t)n) == -1)
		log_debug("%s: send: %s", in->in_cfg.ci_name, strerror(errno));
	else {
		in->in_tx++;
		if (p->vp_priority == 0)
			in->in_pri0_tx++;
	}
}

static void
inst_send(struct fsm *f, uint8_t prio)
{
	struct inst *in = f->fs_arg;
	struct vrrp_pkt *p;
	int i;

	if (!in->in_net.nt_has_src)
		vip_find_src(in);
	if (!in->in_net.nt_has_src && in->in_cfg.ci_version == 3) {
		log_debug("%s: no source address yet", in->in_cfg.ci_name);
		return;
	}
	if ((p = malloc(sizeof(*p))) == NULL)
		return;
	inst_fill_pkt(in, p, prio);
	if (in->in_cfg.ci_npeers == 0)
		inst_send_to(in, p, NULL);
	for (i = 0; i < in->in_cfg.ci_npeers; i++)
		inst_send_to(in, p, &in->in_cfg.ci_peers[i]);
	free(p);
}

/* --- state changes ------------------------------------------------------- */

/* An instance's notifies share a lane: one at a time, in order. */
static uint32_t
inst_lane(const char *name)
{
	uint32_t h = runner_fnv(RUNNER_FNV_SEED, name);

	return h ? h : 1;
}

/* Its index in the running config (d_cf); -1 when a reload dropped it. */
static int
inst_cf_index(const struct inst *in)
{
	return config_inst_index(in->in_d->d_cf, in->in_cfg.ci_name);
}

static void
inst_notify_one(struct inst *in, int kind, const char *st)
{
	struct runner_req rq;
	int i;

	if ((i = inst_cf_index(in)) == -1)
		return;		/* not in the runner's config */
	runner_req_init(&rq, kind, i, INST_NOTIFY_TIMEOUT / 1000);
	rq.rq_lane = inst_lane(in->in_cfg.ci_name);
	rq.rq_prio = in->in_fsm.fs_prio;
	snprintf(rq.rq_state, sizeof(rq.rq_state), "%s", st);
	rq.rq_id = metrics_notify_id(in);	/* its end is counted */
	if (runner_run(&in->in_d->d_runner, in->in_d->d_cf, &rq) == -1) {
		log_warnx("%s: cannot pass the %s notify to the runner: %s",
		    in->in_cfg.ci_name, st, strerror(errno));
		in->in_notify_fails++;
	}
}

enum cfg_notify_kind
inst_notify_kind(enum fsm_state to)
{
	static const enum cfg_notify_kind kind[] = {
	    [FSM_INIT] = CFG_NOTIFY_STOP, [FSM_BACKUP] = CFG_NOTIFY_BACKUP,
	    [FSM_MASTER] = CFG_NOTIFY_MASTER, [FSM_FAULT] = CFG_NOTIFY_FAULT };

	return kind[to];
}

/* keepalived tells a change to INIT as STOP: the daemon or instance stops. */
const char *
inst_notify_state(enum fsm_state to)
{
	return to == FSM_INIT ? "STOP" : fsm_state_name(to);
}

/*
 * keepalived 2.2.7 tells of an instance a reload dropped as FAULT (not
 * again if it was in FAULT), or DELETED with notify_deleted (whose
 * command runs first): to the generic notify and the FIFOs only.  No
 * notify_fault or notify_stop, no mail, nothing for its sync group.  The
 * config is still the one that had it.
 */
static void
inst_notify_deleted(struct inst *in, enum fsm_state from)
{
	const struct cfg_instance *c = &in->in_cfg;
	const char *st = c->ci_deleted ? "DELETED" : "FAULT";

	if (!c->ci_deleted && from == FSM_FAULT)
		return;
	if (c->ci_deleted && c->ci_notify_deleted.cn_cmd[0])
		inst_notify_one(in, RUNNER_DELETED, st);
	if (c->ci_notify[CFG_NOTIFY].cn_cmd[0])
		inst_notify_one(in, RUNNER_NOTIFY, st);
	fifo_line(in->in_d, "INSTANCE", c->ci_name, st, in->in_fsm.fs_prio);
}

/* The state's own notify first, then the generic one, as keepalived. */
static void
inst_notify(struct inst *in, enum fsm_state to)
{
	const struct cfg_instance *c = &in->in_cfg;
	enum cfg_notify_kind k = inst_notify_kind(to);
	const char *st = inst_notify_state(to);

	if (c->ci_notify[k].cn_cmd[0])
		inst_notify_one(in, RUNNER_NOTIFY + (int)k, st);
	if (c->ci_notify[CFG_NOTIFY].cn_cmd[0])
		inst_notify_one(in, RUNNER_NOTIFY, st);
	fifo_line(in->in_d, "INSTANCE", c->ci_name, st, in->in_fsm.fs_prio);
	if (to != FSM_INIT)	/* keepalived mails no STOP */
		smtp_alert(in->in_d, "Instance", c->ci_name,
		    c->ci_smtp_alert, st);
}

static void
inst_state_line(struct inst *in, enum fsm_state from, enum fsm_state to,
    const char *why)
{
	const struct cfg_instance *c = &in->in_cfg;
	char a[INET6_ADDRSTRLEN];
	struct evline el;
	int i;

	evline_begin(&el, inst_notify_state(to), c->ci_name);
	evline_int(&el, "vrid", c->ci_vrid);
	evline_uint(&el, "prio", in->in_fsm.fs_prio);
	evline_str(&el, "from", fsm_state_name(from));
	evline_str(&el, "reason", why);
	evline_str(&el, "iface", c->ci_iface);
	evline_open(&el, "vip");
	for (i = 0; i < c->ci_nvips; i++) {
		if (i > 0)
			evline_more(&el, ",");
		evline_more(&el, vip_ntop(c->ci_family,
		    &c->ci_vips[i].cv_addr, a, sizeof(a)));
	}
	evline_close(&el);
	evline_emit(&el);
	log_info("%s: %s -> %s (%s)", c->ci_name, fsm_state_name(from),
	    fsm_state_name(to), why);
}

/*
 * Periodic announcements while master (garp_master_refresh, and
 * garp_extra_if's on the other interfaces), or none.
 */
static void
inst_refresh_arm(struct inst *in)
{
	struct timeval tv;

	evtimer_del(in->in_ev_refresh);
	evtimer_del(in->in_ev_extra);
	if (in->in_fsm.fs_state != FSM_MASTER)
		return;
	if (in->in_cfg.ci_garp_refresh) {
		tv = duration_tv(in->in_cfg.ci_garp_refresh);
		event_add(in->in_ev_refresh, &tv);
	}
	if (in->in_cfg.ci_garp_extra) {
		tv = duration_tv(in->in_cfg.ci_garp_extra);
		event_add(in->in_ev_extra, &tv);
	}
}

static void
inst_change(struct fsm *f, enum fsm_state from, enum fsm_state to,
    const char *why)
{
	struct inst *in = f->fs_arg;
	const struct cfg_instance *c = &in->in_cfg;
	struct timeval tv;

	in->in_transitions++;
	if (from == FSM_MASTER)
		in->in_released++;
	in->in_since = mono_usec();
	if (to == FSM_MASTER) {
		in->in_to_master++;
		/* no_accept: the drop rules are there before the addresses */
		vip_accept(in, 1);
		vip_add_all(in);
		garp_announce(in, c->ci_garp_repeat);
		if (c->ci_garp_delay > 0 && in->in_ev_garp) {
			tv = duration_tv(c->ci_garp_delay);
			evtimer_add(in->in_ev_garp, &tv);
		}
		in->in_master = in->in_net.nt_src;
		in->in_has_master = in->in_net.nt_has_src;
	} else {
		if (in->in_ev_garp)
			evtimer_del(in->in_ev_garp);
		if (in->in_ev_lower)
			evtimer_del(in->in_ev_lower);
		if (from == FSM_MASTER || in->in_vips_on)
			vip_del_all(in);
		vip_accept(in, 0);
		if (to != FSM_BACKUP)
			in->in_has_master = 0;
	}
	inst_refresh_arm(in);
	inst_state_line(in, from, to, why);
	notify_status("%s %s", c->ci_name, fsm_state_name(to));
	if (in->in_deleted) {	/* its group is rebuilt after the reload */
		inst_notify_deleted(in, from);
		return;
	}
	inst_notify(in, to);
	sync_changed(in, from, to, why);
}

static int
inst_may_master(struct fsm *f)
{
	return sync_may_master(f->fs_arg);
}

/* --- timers and input ---------------------------------------------------- */

static void
inst_arm(struct inst *in)
{
	uint64_t next = fsm_next(&in->in_fsm), now = mono_usec();
	struct timeval tv;

	if (next == 0) {
		evtimer_del(in->in_ev_timer);
		return;
	}
	tv = duration_tv(next > now ? next - now : 0);
	evtimer_add(in->in_ev_timer, &tv);
}

void
inst_rearm(struct inst *in)
{
	inst_arm(in);
}

static void	inst_read_cb(int, short, void *);

static void
inst_timer_cb(int fd, short ev, void *arg)
{
	struct inst *in = arg;

	/*
	 * Adverts already in the socket count before a backup's timer: after
	 * a stop (SIGSTOP, a paused VM) epoll_wait fails with EINTR and
	 * libevent runs the expired timer without polling, so the backup
	 * took over with its master's adverts waiting to be read.
	 */
	if (in->in_fsm.fs_state == FSM_BACKUP)
		inst_read_cb(in->in_net.nt_fd, EV_READ, in);
	fsm_tick(&in->in_fsm, mono_usec());
	inst_arm(in);
}

/* The unicast_peer p comes from, or -1. */
static int
inst_peer_of(const struct inst *in, const struct vrrp_pkt *p)
{
	size_t alen = p->vp_family == AF_INET ? 4 : 16;
	int i;

	for (i = 0; i < in->in_cfg.ci_npeers; i++)
		if (memcmp(&in->in_cfg.ci_peers[i], &p->vp_src, alen) == 0)
			return i;
	return -1;
}

/*
 * keepalived 2.2.7 checks the addresses of every advert (and with
 * check_unicast_src, its source), except that with skip_check_adv_addr
 * a backup leaves out the adverts of the master it follows: it checked
 * that master's first one.
 */
static int
inst_checks_addrs(const struct inst *in, const struct vrrp_pkt *p)
{
	size_t alen = p->vp_family == AF_INET ? 4 : 16;

	return !in->in_cfg.ci_skip_adv_check ||
	    in->in_fsm.fs_state != FSM_BACKUP || !in->in_has_master ||
	    memcmp(&p->vp_src, &in->in_master, alen) != 0;
}

/* What the packet's sender gets checked against, beyond parsing. */
static enum vrrp_drop
inst_check(struct inst *in, const struct vrrp_pkt *p, char *err, size_t len)
{
	const struct cfg_instance *c = &in->in_cfg;
	struct vrrp_expect e = {
		.ve_version = (uint8_t)c->ci_version,
		.ve_vrid = (uint8_t)c->ci_vrid,
		.ve_auth_type = (uint8_t)c->ci_auth_type,
		.ve_auth = c->ci_auth_pass,
		.ve_adver_int = (uint16_t)(c->ci_version == 2 ?
		    c->ci_adver / 1000000 : c->ci_adver / 10000),
	};
	size_t alen = p->vp_family == AF_INET ? 4 : 16;
	struct vrrp_pkt ours;
	enum vrrp_drop d;
	int i = -1;

	if (p->vp_family != c->ci_family)
		return VRRP_DROP_FAMILY;
	if ((d = vrrp_pkt_check(p, &e, err, len)) != VRRP_OK)
		return d;
	if (in->in_net.nt_has_src &&
	    memcmp(&p->vp_src, &in->in_net.nt_src, alen) == 0)
		return VRRP_DROP_OWN;
	if (inst_checks_addrs(in, p)) {
		inst_fill_pkt(in, &ours, 0);
		if ((d = vrrp_pkt_addrs(p, &ours, err, len)) != VRRP_OK)
			return d;
		/* without check_unicast_src keepalived hears anyone */
		if (c->ci_npeers > 0 && (c->ci_check_src ||
		    in->in_d->d_cf->cf_check_src) &&
		    (i = inst_peer_of(in, p)) < 0) {
			snprintf(err, len, "source: not a unicast_peer "
			    "(check_unicast_src)");
			return VRRP_DROP_PEER;
		}
		if (c->ci_npeers > 0 && i >= 0 && c->ci_peer_ttl_set[i] &&
		    (p->vp_ttl < c->ci_peer_min_ttl[i] ||
		    p->vp_ttl > c->ci_peer_max_ttl[i])) {
			snprintf(err, len, "ttl: is %u; unicast_peer's range "
			    "%d-%d", p->vp_ttl, c->ci_peer_min_ttl[i],
			    c->ci_peer_max_ttl[i]);
			return VRRP_DROP_TTL;
		}
	}
	/* RFC 5798 5.1.2.1: a multicast advert comes from link-local */
	if (p->vp_family == AF_INET6 && c->ci_npeers == 0 &&
	    !IN6_IS_ADDR_LINKLOCAL(&p->vp_src.v6)) {
		snprintf(err, len, "source: not link-local");
		return VRRP_DROP_SOURCE;
	}
	return VRRP_OK;
}

/*
 * Two address owners: RFC 5798 7.1 would have each discard the other's
 * adverts and both stay master.  keepalived 2.2.7 calls it a
 * configuration error and gives up ownership for good (base priority
 * 254, until a restart or reload) whatever the addresses, so the advert
 * that told it makes it backup: one master on the LAN, not two.
 */
static void
inst_owner_conflict(struct inst *in)
{
	log_warnx("%s: CONFIGURATION ERROR: local instance and a remote "
	    "instance are both configured as address owner, please fix - "
	    "reducing local priority", in->in_cfg.ci_name);
	in->in_cfg.ci_priority = 254;
	in->in_fsm.fs_base_prio = 254;
	in->in_demoted = 1;
	/* keepalived settled accept mode at start: the owner's stays */
	in->in_cfg.ci_accept = CFG_ACCEPT_YES;
	/*
	 * Straight to backup, where the advert is heard as any higher
	 * master's: keepalived sends nothing, neither the new priority
	 * (fsm_set_prio()) nor a parting advert (fsm_recv_master()).
	 */
	in->in_fsm.fs_prio = 254;
	fsm_sync_backup(&in->in_fsm, mono_usec(), "higher-priority");
}

/*
 * A master heard a lower priority master (keepalived's
 * MASTER_RX_LOWER_PRI event, for a split that healed: the script can
 * take back cloud addresses the other one grabbed).  As keepalived: on
 * every such advert, the script with no arguments, and a FIFO line.
 */
static void
inst_rx_lower(struct inst *in)
{
	struct runner_req rq;
	int i;

	fifo_line(in->in_d, "INSTANCE", in->in_cfg.ci_name,
	    "MASTER_RX_LOWER_PRI", in->in_fsm.fs_prio);
	if (in->in_cfg.ci_notify_rx_lower.cn_cmd[0] == '\0' ||
	    (i = inst_cf_index(in)) == -1)
		return;
	runner_req_init(&rq, RUNNER_RXLOWER, i, INST_NOTIFY_TIMEOUT / 1000);
	if (runner_run(&in->in_d->d_runner, in->in_d->d_cf, &rq) == -1)
		log_warnx("%s: cannot pass notify_master_rx_lower_pri to the "
		    "runner: %s", in->in_cfg.ci_name, strerror(errno));
}

/*
 * Master for less than an advertisement interval, a second at least: the
 * parting advert follows a preemption within a packet time, and a loaded
 * host may take that long to pass it on.  The winner of a split was
 * master before the split began, so it is not "just master" at the heal.
 */
static int
inst_just_master(const struct inst *in)
{
	uint64_t win = in->in_fsm.fs_adver_int;

	if (win < 1000000)
		win = 1000000;
	return mono_usec() - in->in_since < win;
}

static void
inst_read_cb(int fd, short ev, void *arg)
{
	struct inst *in = arg;
	struct vrrp_pkt *p;
	char err[256], a[INET6_ADDRSTRLEN];
	size_t alen = in->in_cfg.ci_family == AF_INET ? 4 : 16;
	uint64_t ival, answered;
	int r, n, higher, lower;

	if ((p = malloc(sizeof(*p))) == NULL)
		return;
	for (n = 0; n < 64; n++) {
		err[0] = '\0';
		if ((r = net_recv(&in->in_net, p, err, sizeof(err))) == -2)
			break;
		if (r == VRRP_OK)
			r = inst_check(in, p, err, sizeof(err));
		if (r != VRRP_OK) {
			in->in_drops[r]++;
			if (r != VRRP_DROP_VRID && r != VRRP_DROP_OWN)
				log_debug_rl("%s: dropped packet from %s: %s",
				    in->in_cfg.ci_name, vip_ntop(p->vp_family,
				    &p->vp_src, a, sizeof(a)), err);
			continue;
		}
		in->in_rx++;
		if (p->vp_priority == 0)
			in->in_pri0_rx++;
		if (p->vp_priority == 255 && in->in_fsm.fs_prio == 255 &&
		    in->in_fsm.fs_state == FSM_MASTER)
			inst_owner_conflict(in);
		ival = p->vp_version == 2 ? (uint64_t)p->vp_adver_int * 1000000 :
		    (uint64_t)p->vp_adver_int * 10000;
		higher = in->in_net.nt_has_src &&
		    memcmp(&p->vp_src, &in->in_net.nt_src, alen) > 0;
		lower = in->in_fsm.fs_state == FSM_MASTER &&
		    p->vp_priority > 0 &&
		    (p->vp_priority < in->in_fsm.fs_prio ||
		    (p->vp_priority == in->in_fsm.fs_prio && !higher));
		if (lower)
			inst_rx_lower(in);
		answered = in->in_fsm.fs_answer_at;
		fsm_recv_src(&in->in_fsm, p->vp_priority, ival, higher,
		    &p->vp_src, alen, mono_usec());
		/*
		 * The other master drops the VIPs when it hears our answer,
		 * but the LAN's ARP caches still name its MAC until they
		 * expire (30 s and more): tell them, as keepalived does
		 * (garp_lower_prio_repeat, garp.c), with each answer, so at
		 * most once per advertisement interval.  Not soon after becoming
		 * master: that was a preemption, the advert is the parting
		 * one of the master we replaced (fsm.c), and our gratuitous
		 * ARPs of the change went out a moment ago.
		 */
		if (lower && in->in_fsm.fs_state == FSM_MASTER &&
		    in->in_fsm.fs_answer_at != answered &&
		    !inst_just_master(in))
			garp_lower(in);
		if (in->in_fsm.fs_state == FSM_BACKUP && p->vp_priority > 0) {
			in->in_master = p->vp_src;
			in->in_has_master = 1;
		}
	}
	free(p);
	inst_arm(in);
}

/* --- priority from tracks ------------------------------------------------ */

/*
 * keepalived: weight > 0 adds when up, < 0 subtracts when down, 0 is a
 * fault while down.  "reverse" turns the sign (weight_multiplier -1): a
 * negative weight adds while down, a positive one subtracts while up, 0
 * is a fault while up.
 */
int
inst_weigh(int up, int weight, int reverse, int *fault)
{
	int w;

	if (weight == 0) {
		if (!up == !reverse)
			*fault = 1;
		return 0;
	}
	w = weight > 0 ? (up ? weight : 0) : (up ? 0 : weight);
	return reverse ? -w : w;
}

/*
 * notify_priority_changes: each change of the effective priority on the
 * notify FIFOs, as keepalived's MASTER_PRIORITY line for a master and
 * BACKUP_PRIORITY in every other state.
 */
static void
inst_prio_line(struct inst *in, uint8_t prio)
{
	int own = in->in_cfg.ci_notify_prio;

	if (own == 2 || (own == 0 && in->in_d->d_cf->cf_notify_prio != 1))
		return;
	fifo_line(in->in_d, "INSTANCE", in->in_cfg.ci_name,
	    in->in_fsm.fs_state == FSM_MASTER ? "MASTER_PRIORITY" :
	    "BACKUP_PRIORITY", prio);
}

/*
 * keepalived's INIT hold: an instance that tracks a script with weight 0
 * (without init_fail) stays in INIT, silent, until that script's first
 * result, so a node never advertises before it knows it is healthy.
 * The first such script still unanswered, or NULL.
 */
static struct track *
inst_hold_for(struct inst *in)
{
	const struct cfg_instance *c = &in->in_cfg;
	struct track *t;
	int i, w;

	for (i = 0; i < c->ci_nscripts; i++) {
		if ((t = track_find(in->in_d, c->ci_scripts[i].ct_name)) == NULL)
			continue;
		w = cfg_track_weight(&c->ci_scripts[i], t->tr_cfg.cs_weight);
		if (w == 0 && !t->tr_answered && !t->tr_cfg.cs_init_fail)
			return t;
	}
	return NULL;
}

void
inst_tracker_changed(struct vrrpd *d, enum track_list l, const char *name)
{
	const struct cfg_instance *c;
	const struct cfg_track *t;
	int i, j, n;

	for (i = 0; i < d->d_ninst; i++) {
		c = &d->d_inst[i]->in_cfg;
		t = l == TRACK_SCRIPTS ? c->ci_scripts :
		    l == TRACK_FILES ? c->ci_tfiles : c->ci_tprocs;
		n = l == TRACK_SCRIPTS ? c->ci_nscripts :
		    l == TRACK_FILES ? c->ci_ntfiles : c->ci_ntprocs;
		for (j = 0; j < n; j++)
			if (strcmp(t[j].ct_name, name) == 0) {
				inst_track_changed(d->d_inst[i]);
				break;
			}
	}
}

void
inst_track_changed(struct inst *in)
{
	const struct cfg_instance *c = &in->in_cfg;
	int prio = c->ci_priority, fault = 0, i, w, before, own_changed;
	int released = 0;
	char why[CFG_NAME_LEN + 16] = "";
	struct track *t;
	uint64_t now = mono_usec();

	for (i = 0; i < c->ci_nscripts; i++) {
		if ((t = track_find(in->in_d, c->ci_scripts[i].ct_name)) == NULL)
			continue;
		w = cfg_track_weight(&c->ci_scripts[i], t->tr_cfg.cs_weight);
		before = fault;
		/* init_fail, no result yet: a weight counts neither way */
		if (!t->tr_pending || w == 0)
			prio += inst_weigh(t->tr_up, w,
			    cfg_track_reverse(&c->ci_scripts[i],
			    t->tr_cfg.cs_weight_reverse), &fault);
		prio += t->tr_dynweight;
		if (fault && !before)
			snprintf(why, sizeof(why), "track-%s", t->tr_cfg.cs_name);
	}
	prio += trackfile_weigh(in, &fault, why, sizeof(why));
	prio += trackproc_weigh(in, &fault, why, sizeof(why));
	for (i = 0; i < c->ci_nifaces; i++) {
		unsigned idx = if_nametoindex(c->ci_ifaces[i].ct_name);
		int up = idx && nl_link_up(&in->in_d->d_nl, (int)idx) == 1;

		before = fault;
		prio += inst_weigh(up, c->ci_ifaces[i].ct_weight,
		    c->ci_ifaces[i].ct_reverse == CFG_REV_YES, &fault);
		if (fault && !before)
			snprintf(why, sizeof(why), "link-%s",
			    c->ci_ifaces[i].ct_name);
	}
	if (!fault && (vip_dev_down(in, why, sizeof(why)) ||
	    route_dev_down(in, why, sizeof(why))))
		fault = 1;
	if (!in->in_link_up && !c->ci_dont_track_primary) {
		fault = 1;
		snprintf(why, sizeof(why), "link-%s", c->ci_iface);
	} else if (c->ci_fault_no_peer && c->ci_npeers == 0) {
		/* unicast_fault_no_peer: never multicast instead */
		fault = 1;
		snprintf(why, sizeof(why), "no-unicast-peer");
	} else if (!in->in_net.nt_has_src) {
		/* nothing to speak from (IPv6 link-local still in DAD) */
		fault = 1;
		snprintf(why, sizeof(why), "no-source-address");
	}
	/* a sync group member's fault is every member's */
	own_changed = fault != in->in_own_fault;
	in->in_own_fault = fault;
	if (!fault && sync_fault(in, why, sizeof(why)))
		fault = 1;
	if (c->ci_priority == 255)
		prio = 255;	/* the owner stays the owner */
	else if (in->in_demoted)
		prio = 254;	/* keepalived dropped an owner's weights at start */
	else if (prio < 1)
		prio = 1;
	else if (prio > 254)
		prio = 254;
	if (in->in_fsm.fs_prio != prio)
		inst_prio_line(in, (uint8_t)prio);
	fsm_set_prio(&in->in_fsm, (uint8_t)prio, now);
	if (in->in_held) {
		if (inst_hold_for(in) != NULL)
			return;
		/* out of INIT: to FAULT at once, or as at start-up */
		in->in_held = 0;
		log_info("%s: tracked scripts answered, leaving INIT",
		    c->ci_name);
		if (!fault)
			fsm_start(&in->in_fsm, now);
		else
			released = 1;
	}
	if (fault && in->in_fsm.fs_state != FSM_FAULT &&
	    (in->in_fsm.fs_state != FSM_INIT || released)) {
		snprintf(in->in_fault_why, sizeof(in->in_fault_why), "%s", why);
		fsm_fault(&in->in_fsm, now, in->in_fault_why);
	} else if (!fault && in->in_fsm.fs_state == FSM_FAULT) {
		in->in_fault_why[0] = '\0';
		fsm_fault_clear(&in->in_fsm, now);
	}
	inst_arm(in);
	if (own_changed)
		sync_refault(in);
}

void
inst_link_event(struct inst *in, int ifindex, int up)
{
	int i, mine = ifindex == in->in_ifindex;

	if (up < 0 && in->in_cfg.ci_track_src_ip) {
		/* track_src_ip: unicast_src_ip on any interface, or FAULT */
		vip_find_src(in);
		inst_track_changed(in);
		return;
	}
	for (i = 0; i < in->in_cfg.ci_nifaces; i++)
		mine |= (int)if_nametoindex(in->in_cfg.ci_ifaces[i].ct_name) ==
		    ifindex;
	mine |= vip_uses_dev(in, ifindex) || route_uses_dev(in, ifindex);
	if (!mine)
		return;
	if (up < 0) {
		/* an address came or went: maybe the source we lacked */
		if (ifindex == in->in_ifindex && !in->in_net.nt_has_src) {
			vip_find_src(in);
			if (in->in_net.nt_has_src)
				inst_track_changed(in);
		}
		return;
	}
	if (ifindex == in->in_ifindex) {
		if (up == in->in_link_up)
			return;
		in->in_link_up = up;
		if (up)
			vip_find_src(in);
		log_info("%s: link %s %s", in->in_cfg.ci_name,
		    in->in_cfg.ci_iface, up ? "up" : "down");
	}
	inst_track_changed(in);
}

/* --- life cycle ---------------------------------------------------------- */

/* unicast_src_ip, checked at start only (vip_check_src): kept if it goes */
static int
inst_anysrc(const struct cfg_instance *c)
{
	return c->ci_has_src && !c->ci_track_src_ip;
}

static void
inst_fsm_config(struct inst *in)
{
	const struct cfg_instance *c = &in->in_cfg;
	struct fsm *f = &in->in_fsm;

	f->fs_version = c->ci_version;
	f->fs_base_prio = (uint8_t)c->ci_priority;
	f->fs_preempt = !c->ci_nopreempt;
	f->fs_preempt_delay = c->ci_preempt_delay;
	f->fs_lower_no_advert = c->ci_lower_no_advert;
	f->fs_adver_int = c->ci_adver;
	f->fs_down_adverts = c->ci_down_adverts ? c->ci_down_adverts :
	    in->in_d->d_cf->cf_down_adverts;
}

struct inst *
inst_new(struct vrrpd *d, const struct cfg_instance *c, char *err,
    size_t errlen)
{
	struct inst *in;

	if ((in = calloc(1, sizeof(*in))) == NULL) {
		snprintf(err, errlen, "%s: out of memory", c->ci_name);
		return NULL;
	}
	in->in_cfg = *c;
	in->in_d = d;
	in->in_net.nt_fd = -1;
	if ((in->in_ifindex = (int)if_nametoindex(c->ci_iface)) == 0) {
		snprintf(err, errlen, "%s: interface %s: %s", c->ci_name,
		    c->ci_iface, strerror(errno));
		free(in);
		return NULL;
	}
	if (vmac_setup(in, err, errlen) == -1) {
		free(in);
		return NULL;
	}
	if (net_open(&in->in_net, c->ci_family, vmac_xmit(in) ?
	    in->in_vip_iface : c->ci_iface, vmac_xmit(in) ?
	    in->in_vip_ifindex : in->in_ifindex, c->ci_npeers == 0,
	    c->ci_has_mgroup ? &c->ci_mgroup : NULL, err, errlen) == -1) {
		vmac_teardown(in);
		free(in);
		return NULL;
	}
	if (c->ci_unicast_ttl && net_set_ttl(&in->in_net, c->ci_unicast_ttl))
		log_warn("%s: unicast_ttl %d", c->ci_name, c->ci_unicast_ttl);
	if (inst_anysrc(c) && net_set_anysrc(&in->in_net, 1) == -1)
		log_warn("%s: unicast_src_ip", c->ci_name);
	in->in_net.nt_old_csum = c->ci_old_csum && c->ci_npeers;
	vmac_promote(in);
	vip_fit(in);
	in->in_ev_read = event_new(d->d_base, in->in_net.nt_fd,
	    EV_READ | EV_PERSIST, inst_read_cb, in);
	in->in_ev_timer = evtimer_new(d->d_base, inst_timer_cb, in);
	in->in_ev_garp = evtimer_new(d->d_base, garp_delay_cb, in);
	in->in_ev_lower = evtimer_new(d->d_base, garp_lower_cb, in);
	in->in_ev_refresh = event_new(d->d_base, -1, EV_PERSIST,
	    garp_refresh_cb, in);
	in->in_ev_extra = event_new(d->d_base, -1, EV_PERSIST, vip_extra_cb,
	    in);
	if (!in->in_ev_read || !in->in_ev_timer || !in->in_ev_garp ||
	    !in->in_ev_lower || !in->in_ev_refresh || !in->in_ev_extra) {
		snprintf(err, errlen, "%s: out of memory", c->ci_name);
		inst_free(in);
		return NULL;
	}
	inst_fsm_config(in);
	in->in_fsm.fs_prio = (uint8_t)c->ci_priority;
	fsm_init(&in->in_fsm, &inst_hooks, in);
	return in;
}

void
inst_start(struct inst *in)
{
	struct track *t;
	int n, failed = 0;

	/* leftovers of a vrrpd killed with -9: ours by their IFA_PROTO */
	if ((n = vip_cleanup(&in->in_d->d_nl, &in->in_cfg, &failed)) > 0)
		log_notice("%s: removed %d address%s left by an earlier vrrpd",
		    in->in_cfg.ci_name, n, n == 1 ? "" : "es");
	in->in_link_up = nl_link_up(&in->in_d->d_nl, in->in_ifindex) == 1;
	vip_check_src(in);
	vip_find_src(in);
	event_add(in->in_ev_read, NULL);
	if ((t = inst_hold_for(in)) != NULL) {
		in->in_held = 1;
		log_info("%s: in INIT until track %s gives its first result",
		    in->in_cfg.ci_name, t->tr_cfg.cs_name);
	} else if (in->in_src_missing) {
		/* keepalived's instance goes from INIT to FAULT, never BACKUP */
		snprintf(in->in_fault_why, sizeof(in->in_fault_why),
		    "no-source-address");
		fsm_fault(&in->in_fsm, mono_usec(), in->in_fault_why);
	} else
		fsm_start(&in->in_fsm, mono_usec());
	inst_track_changed(in);
	inst_arm(in);
}

void
inst_stop(struct inst *in, const char *why)
{
	in->in_held = 0;	/* a late first result must not start it */
	fsm_shutdown(&in->in_fsm, mono_usec(), why);
	if (in->in_vips_on)
		vip_del_all(in);
	vip_accept(in, 0);
	inst_arm(in);
}

void
inst_free(struct inst *in)
{
	if (in == NULL)
		return;
	if (in->in_ev_read)
		event_free(in->in_ev_read);
	if (in->in_ev_timer)
		event_free(in->in_ev_timer);
	if (in->in_ev_garp)
		event_free(in->in_ev_garp);
	if (in->in_ev_lower)
		event_free(in->in_ev_lower);
	if (in->in_ev_refresh)
		event_free(in->in_ev_refresh);
	if (in->in_ev_extra)
		event_free(in->in_ev_extra);
	vmac_leave(in);
	net_close(&in->in_net);
	vmac_promote_end(in);
	vmac_teardown(in);
	free(in);
}

void
inst_reconfigure(struct inst *in, const struct cfg_instance *c)
{
	struct cfg_instance old = in->in_cfg;

	/* VIPs no longer configured go now; new ones come if master. */
	in->in_cfg = *c;
	in->in_demoted = 0;	/* the file's priority again */
	vmac_addr_fit(in);
	if (c->ci_unicast_ttl != in->in_net.nt_ttl &&
	    net_set_ttl(&in->in_net, c->ci_unicast_ttl) == -1)
		log_warn("%s: unicast_ttl %d", c->ci_name, c->ci_unicast_ttl);
	if (inst_anysrc(c) != inst_anysrc(&old) &&
	    net_set_anysrc(&in->in_net, inst_anysrc(c)) == -1)
		log_warn("%s: unicast_src_ip", c->ci_name);
	in->in_net.nt_old_csum = c->ci_old_csum && c->ci_npeers;
	vip_fit(in);
	if (in->in_vips_on) {
		route_del_gone(in, &old);
		vip_del_gone(in, &old);
	}
	inst_fsm_config(in);
	/* accept mode or the VIPs may have changed: rules first */
	vip_accept(in, in->in_vips_on);
	if (in->in_vips_on)
		vip_add_all(in);
	if (old.ci_garp_refresh != c->ci_garp_refresh ||
	    old.ci_garp_extra != c->ci_garp_extra)
		inst_refresh_arm(in);
	if (c->ci_promote)
		vmac_promote(in);
	else
		vmac_promote_end(in);
	vip_check_src(in);
	vip_find_src(in);
	inst_track_changed(in);
}

void
inst_format(const struct inst *in, struct evline *el)
{
	const struct cfg_instance *c = &in->in_cfg;
	char m[INET6_ADDRSTRLEN], key[48];
	int i;

	evline_begin(el, "instance", c->ci_name);
	evline_str(el, "state", fsm_state_name(in->in_fsm.fs_state));
	evline_int(el, "vrid", c->ci_vrid);
	evline_uint(el, "prio", in->in_fsm.fs_prio);
	evline_int(el, "base_prio", c->ci_priority);
	evline_str(el, "iface", c->ci_iface);
	evline_int(el, "version", c->ci_version);
	if (in->in_has_master)
		evline_str(el, "master", vip_ntop(c->ci_family,
		    &in->in_master, m, sizeof(m)));
	else
		evline_null(el, "master", "none");
	evline_uint(el, "rx", in->in_rx);
	evline_uint(el, "tx", in->in_tx);
	evline_uint(el, "transitions", in->in_transitions);
	evline_uint(el, "became_master", in->in_to_master);
	evline_str(el, "accept", config_no_accept(c) ? "no" : "yes");
	for (i = 1; i < VRRP_DROP_MAX; i++) {
		snprintf(key, sizeof(key), "drop_%s",
		    vrrp_drop_name((enum vrrp_drop)i));
		evline_uint(el, key, in->in_drops[i]);
	}
	if (in->in_group)
		evline_str(el, "group", in->in_group->sg_cfg.cg_name);
	if (in->in_fault_why[0])
		evline_str(el, "fault", in->in_fault_why);
}
