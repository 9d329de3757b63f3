/* SPDX-License-Identifier: ISC */
/*
 * The VRRP state machine of RFC 5798 section 6.4, with keepalived's FAULT
 * state for tracked failures.  Time is passed in (microseconds, monotonic),
 * timers are deadlines the caller polls: unit tests drive it with a fake
 * clock.  Side effects go through the hooks; fsm_change() is the only
 * writer of fs_state.
 */
#ifndef VRRPD_FSM_H
#define VRRPD_FSM_H

#include <stdint.h>

enum fsm_state {
	FSM_INIT = 0,
	FSM_BACKUP,
	FSM_MASTER,
	FSM_FAULT,
};

struct fsm;

struct fsm_hooks {
	/* Send an advertisement with this priority (0 = resign). */
	void	(*fh_send)(struct fsm *, uint8_t prio);
	/* After a state change: VIPs, ARP, state line, notify. */
	void	(*fh_change)(struct fsm *, enum fsm_state from,
		    enum fsm_state to, const char *why);
	/*
	 * May a backup become master now?  NULL = yes.  A sync group says
	 * no until every member wants to (fsm_wants_master()).
	 */
	int	(*fh_may_master)(struct fsm *);
};

struct fsm {
	enum fsm_state	fs_state;
	int		fs_version;	/* 2 or 3 */
	uint8_t		fs_base_prio;	/* configured */
	uint8_t		fs_prio;	/* effective, after track weights */
	int		fs_preempt;
	uint64_t	fs_preempt_delay;	/* usec */
	int		fs_lower_no_advert;	/* no answer to a lower master */
	uint64_t	fs_adver_int;	/* ours, usec */
	uint64_t	fs_master_adver_int;	/* learnt from the master, usec */
	int		fs_down_adverts;	/* down_timer_adverts, 0 = 3 */
	/* deadlines in usec, 0 = not armed */
	uint64_t	fs_adver_at;
	uint64_t	fs_down_at;
	uint64_t	fs_preempt_at;
	int		fs_want_master;	/* backup held back by fh_may_master */
	uint64_t	fs_answer_at;	/* no early answer before this */
	/* a backup last heard a master at least as good as itself */
	uint64_t	fs_better_at;	/* when, 0 never */
	unsigned char	fs_better_src[16];	/* its address */
	size_t		fs_better_srclen;
	const struct fsm_hooks *fs_hooks;
	void		*fs_arg;
};

const char	*fsm_state_name(enum fsm_state);
void		 fsm_init(struct fsm *, const struct fsm_hooks *, void *arg);
uint64_t	 fsm_skew(const struct fsm *);
uint64_t	 fsm_master_down(const struct fsm *);
/* Startup event: master if owner (255), else backup (RFC 5798 6.4.1). */
void		 fsm_start(struct fsm *, uint64_t now);
/* Shutdown event: a master resigns with priority 0. */
void		 fsm_shutdown(struct fsm *, uint64_t now, const char *why);
/* An advertisement that passed every check. */
void		 fsm_recv(struct fsm *, uint8_t prio, uint64_t adver_int,
		     int src_higher, uint64_t now);
/*
 * The same with its source address (4 or 16 bytes): a lower advertisement
 * from another router than a better master heard within the master down
 * interval is discarded, not preempted (AFTER A SPLIT in vrrpd.8).
 * fsm_recv() is this with the source unknown: never discarded.
 */
void		 fsm_recv_src(struct fsm *, uint8_t prio, uint64_t adver_int,
		     int src_higher, const void *src, size_t srclen,
		     uint64_t now);
/* Runs the timers that are due. */
void		 fsm_tick(struct fsm *, uint64_t now);
/* Earliest armed deadline, 0 if none. */
uint64_t	 fsm_next(const struct fsm *);
/* A tracked interface or script with weight 0 failed / recovered. */
void		 fsm_fault(struct fsm *, uint64_t now, const char *why);
void		 fsm_fault_clear(struct fsm *, uint64_t now);
/* Effective priority changed (track weights); a master says so at once. */
void		 fsm_set_prio(struct fsm *, uint8_t prio, uint64_t now);
/* Master, or a backup that would be master but for fh_may_master. */
int		 fsm_wants_master(const struct fsm *);
/*
 * A sync group moves a member with the others (keepalived): a backup to
 * master, a master to backup (no priority 0: it has not failed).
 */
void		 fsm_sync_master(struct fsm *, uint64_t now, const char *why);
void		 fsm_sync_backup(struct fsm *, uint64_t now, const char *why);

#endif
