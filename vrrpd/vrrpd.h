/* SPDX-License-Identifier: ISC */
/*
 * The daemon's context, passed down instead of globals: configuration,
 * instances, track scripts, sockets and the event base.
 */
#ifndef VRRPD_VRRPD_H
#define VRRPD_VRRPD_H

#include <net/if.h>
#include <stdint.h>

#include <event2/event_struct.h>

#include "config.h"
#include "evline.h"
#include "fsm.h"
#include "net.h"
#include "nft.h"
#include "nl.h"
#include "packet.h"
#include "runner.h"
#include "sync.h"

/* use_vmac_addr's VMACs per instance: one per VIP dev and family */
#define VMAC_MAX_ADDR	8

struct event;
struct event_base;
struct ctlsock;
struct promhttp;
struct trackfiles;
struct trackprocs;

struct track {
	struct cfg_script tr_cfg;
	struct vrrpd	*tr_d;
	int		 tr_up;		/* current verdict */
	int		 tr_count;	/* consecutive results against it */
	int		 tr_pending;	/* init_fail: no result yet */
	int		 tr_answered;	/* a first result came (INIT hold) */
	int		 tr_dynweight;	/* --track-fd "weight N" */
	int		 tr_running;
	uint32_t	 tr_id;		/* runner request id, 1-based index */
	uint64_t	 tr_runs, tr_fails;	/* metrics: ended, of which failed */
	struct event	*tr_timer;
	struct event	*tr_read;	/* --track-fd */
	char		 tr_line[512];
	size_t		 tr_linelen;
};

struct inst {
	struct cfg_instance in_cfg;
	struct vrrpd	*in_d;
	struct fsm	 in_fsm;
	struct net	 in_net;
	int		 in_ifindex;
	int		 in_link_up;
	int		 in_vips_on;
	int		 in_nft_on;	/* its VIPs in the no_accept table */
	struct event	*in_ev_read;
	struct event	*in_ev_timer;
	struct event	*in_ev_garp;
	struct event	*in_ev_lower;	/* garp_lower_prio_delay */
	struct event	*in_ev_refresh;	/* garp_master_refresh */
	struct event	*in_ev_extra;	/* garp_extra_if */
	union vrrp_addr	 in_master;	/* last master heard, or us */
	int		 in_has_master;
	uint64_t	 in_rx, in_tx, in_transitions, in_to_master;
	uint64_t	 in_drops[VRRP_DROP_MAX];
	uint64_t	 in_notify_runs, in_notify_fails;	/* metrics.c */
	/* keepalived's stats (kadump.c): MASTER left, priority 0 adverts */
	uint64_t	 in_released, in_pri0_rx, in_pri0_tx;
	uint64_t	 in_since;	/* mono usec of the last change */
	char		 in_fault_why[CFG_NAME_LEN + 16];
	struct sync_group *in_group;	/* vrrp_sync_group, or NULL */
	int		 in_own_fault;	/* from its own tracks and links */
	int		 in_held;	/* in INIT for a first result (inst.c) */
	int		 in_demoted;	/* an owner that heard another (inst.c) */
	int		 in_deleted;	/* stopping: a reload dropped it */
	int		 in_src_missing;	/* unicast_src_ip not ours (vip.c) */
	/* vmac.c: where the VIPs go, the base interface unless use_vmac */
	int		 in_vip_ifindex;
	char		 in_vip_iface[IF_NAMESIZE];
	int		 in_vmac_made;
	int		 in_base_arp_ignore;	/* to restore, -1 = untouched */
	int		 in_base_arp_announce;
	int		 in_promote_old;	/* promote_secondaries', or -1 */
	/* vmac.c: use_vmac_addr's VMACs, each for a VIP dev and family */
	struct vmac_addr {
		char	 va_name[IF_NAMESIZE];
		char	 va_dev[IF_NAMESIZE];	/* the VIPs' own dev */
		int	 va_family, va_ifindex, va_parent;
		int	 va_arp_ignore;	/* the parent's, or -1 */
	}		 in_vaddr[VMAC_MAX_ADDR];
	int		 in_nvaddr;
	/* garp.c: VIPs (0) and excluded VIPs (1) waiting for their slot */
	uint8_t		 in_garp_wait[2][CFG_MAX_EVIPS];
};

/* garp.c: a garp_group's two queues, gratuitous ARPs (0) and NAs (1) */
struct garp_slot {
	struct vrrpd	*gs_d;
	int		 gs_group, gs_v6;
	int		 gs_init, gs_armed;
	uint64_t	 gs_next;	/* mono usec the next one may leave */
	struct event	 gs_ev;
};

struct vrrpd {
	struct event_base *d_base;
	struct config	*d_cf;
	struct inst	*d_inst[CFG_MAX_INSTANCES];
	int		 d_ninst;
	struct track	*d_tracks[CFG_MAX_SCRIPTS + 2];
	int		 d_ntracks;
	struct nl	 d_nl;
	struct nft	 d_nft;
	struct mnl_socket *d_linksock;
	struct event	*d_ev_link;
	struct runner	 d_runner;
	struct event	*d_ev_runner;
	struct ctlsock	*d_control;
	struct promhttp	*d_metrics;	/* --metrics, or NULL */
	struct sync_group *d_groups[CFG_MAX_GROUPS];
	int		 d_ngroups;
	struct trackfiles *d_tfiles;	/* trackfile.c */
	struct trackprocs *d_tprocs;	/* trackproc.c */
	struct fifo	*d_fifo;	/* fifo.c: notify_fifo */
	struct smtp	*d_smtp;	/* smtp.c: smtp_alert mail */
	int		 d_stopping;
	struct garp_slot d_garp[CFG_MAX_GARP_GROUPS][2];	/* garp.c */
	struct event	*d_ev_hook;	/* hook.c: waiting for startup_script */
	int		 d_tracks_held;	/* track scripts wait for it too */
	/* how the config was given, for reload */
	const char	*d_cfg_path;
	struct config	*(*d_load)(struct vrrpd *, char *err, size_t errlen);
	void		*d_opts;
};

/* fifo.c: keepalived's notify FIFOs; before the privilege drop */
int		 fifo_open(struct vrrpd *, char *err, size_t errlen);
/* "TYPE \"NAME\" STATE PRIO": never blocks, a line is dropped instead */
void		 fifo_line(struct vrrpd *, const char *type, const char *name,
		    const char *state, unsigned prio);
void		 fifo_close(struct vrrpd *);

/*
 * smtp.c: queues a mail for a state change of the instance or group
 * ("Instance", "Group") NAME whose own smtp_alert is own (0, 1, 2).
 */
void		 smtp_alert(struct vrrpd *, const char *kind, const char *name,
		    int own, const char *state);
void		 smtp_open(void);	/* before the privilege drop */
void		 smtp_close(struct vrrpd *);

/* inst.c */
struct inst	*inst_new(struct vrrpd *, const struct cfg_instance *,
		    char *err, size_t errlen);
void		 inst_start(struct inst *);
void		 inst_stop(struct inst *, const char *why);
void		 inst_free(struct inst *);
/* Recomputes priority and fault from tracks and links. */
void		 inst_track_changed(struct inst *);
/* An instance's lists of what it tracks by name. */
enum track_list { TRACK_SCRIPTS, TRACK_FILES, TRACK_PROCS };
/* inst_track_changed() for each instance whose list names name. */
void		 inst_tracker_changed(struct vrrpd *, enum track_list,
		    const char *name);
/* Re-arms its timer after the fsm was moved from outside (sync.c). */
void		 inst_rearm(struct inst *);
void		 inst_link_event(struct inst *, int ifindex, int up);
/* Takes a new config for a running instance (same iface/vrid/family). */
void		 inst_reconfigure(struct inst *, const struct cfg_instance *);
/* Its "instance" line (show instances, the SIGUSR1 dump). */
void		 inst_format(const struct inst *, struct evline *);
/* The notify_* run on entering state to (notify_stop for INIT). */
enum cfg_notify_kind inst_notify_kind(enum fsm_state to);
/* State to as notifies, FIFOs and event lines tell it: INIT is "STOP". */
const char	*inst_notify_state(enum fsm_state to);
/* A tracker's share of the priority; weight 0 and down sets *fault. */
int		 inst_weigh(int up, int weight, int reverse, int *fault);

/* vip.c */
const char	*vip_ntop(int family, const union vrrp_addr *, char *, size_t);
int		 vip_member(const struct cfg_instance *, int family,
		    const union vrrp_addr *);
/* Our advertisement source: unicast_src_ip or the interface's own. */
void		 vip_find_src(struct inst *);
void		 vip_check_src(struct inst *);
int		 vip_on_vmac(const struct inst *, const struct cfg_vip *);
/* Adds / removes the VIPs and the excluded ones, each on its dev. */
void		 vip_add_all(struct inst *);
void		 vip_del_all(struct inst *);
void		 vip_del_gone(struct inst *, const struct cfg_instance *old);
const char	*vip_dev(const struct cfg_instance *, const struct cfg_vip *);
/* Moves VIPs that do not fit in an advert to the excluded ones. */
void		 vip_fit(struct inst *);
/* A tracked VIP interface is down: 1 and why ("link-DEV"). */
int		 vip_dev_down(struct inst *, char *why, size_t len);
int		 vip_uses_dev(struct inst *, int ifindex);
void		 vip_announce(struct inst *, int times);
void		 vip_extra_cb(int fd, short ev, void *arg);
/*
 * Accept mode: sets in_nft_on and rebuilds the nftables table from every
 * instance's flag.  Called before VIPs come, after they went.
 */
void		 vip_accept(struct inst *, int on);
/*
 * Removes addresses vrrpd marked for this instance's VIPs; returns how
 * many, adds to *failed those it could not remove (each logged).
 */
int		 vip_cleanup(struct nl *, const struct cfg_instance *,
		    int *failed);
/* static_ipaddress: adds (add) or removes them all, each on its dev. */
void		 vip_static(struct nl *, const struct cfg_static *, int add);
/* Reload: removes those old had and the new st has no more. */
void		 vip_static_gone(struct nl *, const struct cfg_static *st,
		    const struct cfg_static *old);

/* route.c: virtual_routes and virtual_rules, with the VIPs */
void		 route_add_all(struct inst *);
void		 route_del_all(struct inst *);
void		 route_del_gone(struct inst *, const struct cfg_instance *old);
int		 route_dev_down(struct inst *, char *why, size_t len);
int		 route_uses_dev(struct inst *, int ifindex);
int		 route_cleanup(struct nl *, const struct cfg_instance *, int *failed);
/* static_routes and static_rules: adds (add) or removes them all. */
void		 route_static(struct nl *, const struct cfg_static *, int add);
/* Reload: removes those old had and the new st has no more. */
void		 route_static_gone(struct nl *, const struct cfg_static *st,
		    const struct cfg_static *old);

/* track.c */
int		 track_setup(struct vrrpd *, char *err, size_t errlen);
void		 track_teardown(struct vrrpd *);
struct track	*track_find(const struct vrrpd *, const char *name);
void		 track_runner_cb(int fd, short ev, void *arg);
/* Runs the track scripts d_tracks_held kept waiting (hook.c). */
void		 track_release(struct vrrpd *);
/* hook.c: startup_script, then vrrp_startup_delay, then the instances */
struct runner_reply;
void		 hook_begin(struct vrrpd *);
int		 hook_reply(struct vrrpd *, const struct runner_reply *);
/* Applies one --track-fd line; returns 0 or -1 if not understood. */
int		 track_line(struct track *, const char *line);

/* vmac.c: use_vmac's macvlan, made by inst_new(), gone in inst_free() */
int		 vmac_setup(struct inst *, char *err, size_t errlen);
void		 vmac_teardown(struct inst *);
/* closes the socket, waits for the VMAC's IGMP leave out of the parent */
void		 vmac_leave(struct inst *);
/* use_vmac_addr: a reload's VIPs onto the VMACs made at the start */
void		 vmac_addr_fit(struct inst *);
/* use_vmac_addr's VMAC name: the interface it stands for, else name */
const char	*vmac_addr_dev(const struct inst *, const char *name);

/*
 * garp.c: vip_announce() spaced as garp_group says: times rounds, the
 * VIPs on a group's interfaces one per interval, the others at once.
 */
void		 garp_announce(struct inst *, int times);
/* the timers' callbacks: garp_master_delay's round, garp_master_refresh's */
void		 garp_delay_cb(int fd, short ev, void *arg);
void		 garp_refresh_cb(int fd, short ev, void *arg);
/* a master heard a lower one: garp_lower_prio_repeat's rounds */
void		 garp_lower(struct inst *);
void		 garp_lower_cb(int fd, short ev, void *arg);
/* promote_secondaries on the VIPs' interface, and its old value back */
void		 vmac_promote(struct inst *);
void		 vmac_promote_end(struct inst *);
/* Do adverts leave from the VMAC (else from the base)? */
int		 vmac_xmit(const struct inst *);
/* disable_local_igmp: igmp_link_local_mcast_reports to val; the old, or -1 */
int		 vmac_local_igmp(int val);
/* --cleanup: removes a VMAC left by a killed vrrpd (failures counted). */
void		 vmac_cleanup(struct nl *, const struct cfg_instance *,
		    int *failed);

/* trackfile.c, trackproc.c: set up by track_setup() */
int		 trackfile_setup(struct vrrpd *, char *err, size_t errlen);
void		 trackfile_teardown(struct vrrpd *);
int		 trackproc_setup(struct vrrpd *, char *err, size_t errlen);
void		 trackproc_teardown(struct vrrpd *);
/* The priority they add; *fault set (and why) when one means FAULT. */
int		 trackfile_weigh(const struct inst *, int *fault, char *why,
		    size_t len);
int		 trackproc_weigh(const struct inst *, int *fault, char *why,
		    size_t len);

/* control.c */
int		 control_open(struct vrrpd *, const char *path, char *err,
		    size_t errlen);
void		 control_close(struct vrrpd *);

/* main.c */
int		 vrrpd_reload(struct vrrpd *, char *err, size_t errlen);
void		 vrrpd_dump(struct vrrpd *);

#endif
