/* SPDX-License-Identifier: ISC */
/*
 * vrrp_sync_group at run time: members change state together, as
 * keepalived 2.2.7 does.
 *
 * Contract with inst.c (which calls in) and fsm.c (which stays pure):
 * - a member's own fault (its tracks, links) faults every member:
 *   inst_track_changed() asks sync_fault() and, when its own verdict
 *   changed, calls sync_refault() so the others weigh theirs again;
 * - a backup becomes master only when every member wants to
 *   (sync_may_master(), the fsm's fh_may_master hook);
 * - after a member's change (inst_change() calls sync_changed()) the
 *   others follow: to MASTER with it, from MASTER to BACKUP with it;
 *   then the group's state line and notify commands run once.
 */
#ifndef VRRPD_SYNC_H
#define VRRPD_SYNC_H

#include <stddef.h>

#include "config.h"
#include "fsm.h"

struct inst;
struct vrrpd;

struct sync_group {
	struct cfg_group sg_cfg;
	struct vrrpd	*sg_d;
	enum fsm_state	 sg_state;	/* FSM_INIT: stopped, or not yet */
	int		 sg_busy;	/* moving members: ignore theirs */
};

/* Builds d_groups from d_cf and links each member (start, reload). */
int	sync_setup(struct vrrpd *, char *err, size_t errlen);
void	sync_teardown(struct vrrpd *);
/* Links an instance made after sync_setup() to its group. */
void	sync_join(struct vrrpd *, struct inst *);
int	sync_may_master(struct inst *);
/* Another member has a fault of its own: why gets "sync-GROUP". */
int	sync_fault(struct inst *, char *why, size_t len);
void	sync_refault(struct inst *);
void	sync_changed(struct inst *, enum fsm_state from, enum fsm_state to,
	    const char *why);

#endif
