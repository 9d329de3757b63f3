/* SPDX-License-Identifier: ISC */
/*
 * RFC 5798 section 6.4, read as a switch over the state per event.  Times
 * are microseconds; v2 intervals are whole seconds, v3 centiseconds, both
 * converted by the caller.
 */
#include <string.h>

#include "fsm.h"

static const char *const fsm_names[] = {
	[FSM_INIT]	= "INIT",
	[FSM_BACKUP]	= "BACKUP",
	[FSM_MASTER]	= "MASTER",
	[FSM_FAULT]	= "FAULT",
};

const char *
fsm_state_name(enum fsm_state s)
{
	if ((unsigned)s > FSM_FAULT)
		return "UNKNOWN";
	return fsm_names[s];
}

void
fsm_init(struct fsm *f, const struct fsm_hooks *h, void *arg)
{
	f->fs_state = FSM_INIT;
	f->fs_hooks = h;
	f->fs_arg = arg;
	f->fs_adver_at = f->fs_down_at = f->fs_preempt_at = 0;
	f->fs_want_master = 0;
	f->fs_answer_at = 0;
	f->fs_better_at = 0;
	f->fs_master_adver_int = f->fs_adver_int;
}

/* Skew_Time: lower priorities wait longer, so the best backup wins. */
uint64_t
fsm_skew(const struct fsm *f)
{
	return ((256 - (uint64_t)f->fs_prio) * f->fs_master_adver_int) / 256;
}

uint64_t
fsm_master_down(const struct fsm *f)
{
	/* RFC 5798's 3 intervals, or keepalived's down_timer_adverts */
	uint64_t n = f->fs_down_adverts > 0 ? (uint64_t)f->fs_down_adverts : 3;

	return n * f->fs_master_adver_int + fsm_skew(f);
}

/* The one writer of fs_state. */
static void
fsm_change(struct fsm *f, enum fsm_state to, const char *why)
{
	enum fsm_state from = f->fs_state;

	if (from == to)
		return;
	f->fs_state = to;
	if (f->fs_hooks && f->fs_hooks->fh_change)
		f->fs_hooks->fh_change(f, from, to, why);
}

static void
fsm_send(struct fsm *f, uint8_t prio)
{
	if (f->fs_hooks && f->fs_hooks->fh_send)
		f->fs_hooks->fh_send(f, prio);
}

static void
fsm_timers_off(struct fsm *f)
{
	f->fs_adver_at = f->fs_down_at = f->fs_preempt_at = 0;
	f->fs_want_master = 0;
}

static void
fsm_become_master(struct fsm *f, uint64_t now, const char *why)
{
	fsm_timers_off(f);
	fsm_send(f, f->fs_prio);
	f->fs_adver_at = now + f->fs_adver_int;
	fsm_change(f, FSM_MASTER, why);
}

static void
fsm_become_backup(struct fsm *f, uint64_t now, const char *why)
{
	fsm_timers_off(f);
	f->fs_down_at = now + fsm_master_down(f);
	fsm_change(f, FSM_BACKUP, why);
}

/*
 * A backup's way to master, through the hook: held back, it stays backup
 * wanting master; on a timer it listens one more Master_Down_Interval
 * (keepalived's vrrp_sync_can_goto_master()).
 */
static void
fsm_try_master(struct fsm *f, uint64_t now, const char *why, int timer)
{
	if (f->fs_hooks && f->fs_hooks->fh_may_master &&
	    !f->fs_hooks->fh_may_master(f)) {
		f->fs_want_master = 1;
		if (timer) {
			f->fs_down_at = now + fsm_master_down(f);
			f->fs_preempt_at = 0;
		}
		return;
	}
	fsm_become_master(f, now, why);
}

/*
 * RFC 5798 6.4.1's Startup: only the address owner starts as master;
 * anyone else, "state MASTER" or not, listens for one Master_Down_Interval
 * first so that a restart never knocks out a live master.
 */
static void
fsm_startup(struct fsm *f, uint64_t now, const char *owner_why,
    const char *why)
{
	f->fs_master_adver_int = f->fs_adver_int;
	if (f->fs_prio == 255)
		fsm_become_master(f, now, owner_why);
	else
		fsm_become_backup(f, now, why);
}

void
fsm_start(struct fsm *f, uint64_t now)
{
	if (f->fs_state != FSM_INIT)
		return;
	fsm_startup(f, now, "owner", "start");
}

/* Shutdown (RFC 5798 6.4.2, 6.4.3), into INIT or FAULT: a master resigns. */
static void
fsm_leave(struct fsm *f, enum fsm_state to, const char *why)
{
	if (f->fs_state == FSM_MASTER)
		fsm_send(f, 0);	/* the backup takes over after skew time */
	fsm_timers_off(f);
	fsm_change(f, to, why);
}

void
fsm_shutdown(struct fsm *f, uint64_t now, const char *why)
{
	(void)now;
	fsm_leave(f, FSM_INIT, why);
}

/*
 * Master_Adver_Interval from a v3 advert, floored at our own advert_int:
 * one forged advert with a tiny interval must not shrink
 * Master_Down_Interval below what our configuration allows, or a backup
 * would take over between two adverts of a live master.
 */
static void
fsm_learn_interval(struct fsm *f, uint64_t adver_int)
{
	if (f->fs_version != 3 || adver_int == 0)
		return;
	f->fs_master_adver_int = adver_int < f->fs_adver_int ?
	    f->fs_adver_int : adver_int;
}

/* A master at least as good as us, heard from SRC (NULL: unknown). */
static void
fsm_better(struct fsm *f, const void *src, size_t srclen, uint64_t now)
{
	if (src == NULL || srclen > sizeof(f->fs_better_src)) {
		f->fs_better_at = 0;
		return;
	}
	memcpy(f->fs_better_src, src, srclen);
	f->fs_better_srclen = srclen;
	f->fs_better_at = now;
}

/*
 * A lower advert from another router than the better master heard within
 * Master_Down_Interval.  From the same one it is that master's priority
 * that dropped (a track weight): preempt as on any lower master.
 */
static int
fsm_better_heard(const struct fsm *f, const void *src, size_t srclen,
    uint64_t now)
{
	if (src == NULL || f->fs_better_at == 0 ||
	    now - f->fs_better_at >= fsm_master_down(f))
		return 0;
	return srclen != f->fs_better_srclen ||
	    memcmp(src, f->fs_better_src, srclen) != 0;
}

static void
fsm_recv_backup(struct fsm *f, uint8_t prio, uint64_t adver_int,
    const void *src, size_t srclen, uint64_t now)
{
	if (prio == 0) {
		f->fs_down_at = now + fsm_skew(f);
		f->fs_preempt_at = 0;
		f->fs_better_at = 0;
		return;
	}
	if (!f->fs_preempt || prio >= f->fs_prio) {
		fsm_learn_interval(f, adver_int);
		f->fs_down_at = now + fsm_master_down(f);
		f->fs_preempt_at = 0;
		f->fs_want_master = 0;	/* a master is there after all */
		if (prio >= f->fs_prio)
			fsm_better(f, src, srclen, now);
		return;
	}
	/*
	 * A lower priority advert from another router while a master at
	 * least as good as us was heard within Master_Down_Interval: that
	 * master is still there, and this one is on its way out (the parting
	 * advert of a master that yielded to it, see fsm_recv_master()) or
	 * will be soon.  Taking over would make a third master for a moment:
	 * discard, as RFC 5798.
	 */
	if (fsm_better_heard(f, src, srclen, now))
		return;
	/*
	 * A lower priority master and preemption allowed.  RFC 5798 (and
	 * keepalived) discard the packet and let Master_Down_Timer run out;
	 * we take over at once (or after preempt_delay): the outcome is the
	 * same, a Master_Down_Interval sooner.  Our advert makes the old
	 * master step down.
	 */
	if (f->fs_preempt_delay == 0) {
		fsm_try_master(f, now, "preempt", 0);
		return;
	}
	f->fs_down_at = now + fsm_master_down(f);
	if (f->fs_preempt_at == 0)
		f->fs_preempt_at = now + f->fs_preempt_delay;
}

static void
fsm_recv_master(struct fsm *f, uint8_t prio, uint64_t adver_int,
    int src_higher, const void *src, size_t srclen, uint64_t now)
{
	if (prio == 0 || prio < f->fs_prio ||
	    (prio == f->fs_prio && !src_higher)) {
		/*
		 * A resigning master (RFC: answer at once), or a lower one
		 * that has not heard us yet: tell it now rather than at the
		 * next interval, so it steps down sooner.  At most once per
		 * advertisement interval: a flood of forged lower adverts
		 * gets no more than twice our configured rate out of us.
		 */
		if (now < f->fs_answer_at)
			return;
		f->fs_answer_at = now + f->fs_adver_int;
		/* lower_prio_no_advert: the next advert will tell it */
		if (prio > 0 && f->fs_lower_no_advert)
			return;
		fsm_send(f, f->fs_prio);
		f->fs_adver_at = now + f->fs_adver_int;
		return;
	}
	/*
	 * The parting advert.  After a split both sides were master and the
	 * LAN's ARP caches may name our MAC; if the other master's advert
	 * reached us first, nothing of ours ever reaches it and it never
	 * learns it should announce its VIPs again.  One last advert at our
	 * own priority is that signal: it answers a lower priority master
	 * with gratuitous ARPs (vrrpd and keepalived alike), backups that
	 * hear the better master discard it.  One per yield.
	 */
	fsm_send(f, f->fs_prio);
	fsm_learn_interval(f, adver_int);
	fsm_become_backup(f, now, "higher-priority");
	fsm_better(f, src, srclen, now);
}

void
fsm_recv(struct fsm *f, uint8_t prio, uint64_t adver_int, int src_higher,
    uint64_t now)
{
	fsm_recv_src(f, prio, adver_int, src_higher, NULL, 0, now);
}

void
fsm_recv_src(struct fsm *f, uint8_t prio, uint64_t adver_int, int src_higher,
    const void *src, size_t srclen, uint64_t now)
{
	switch (f->fs_state) {
	case FSM_BACKUP:
		fsm_recv_backup(f, prio, adver_int, src, srclen, now);
		break;
	case FSM_MASTER:
		fsm_recv_master(f, prio, adver_int, src_higher, src, srclen,
		    now);
		break;
	case FSM_INIT:
	case FSM_FAULT:
		break;		/* not running: nothing to answer */
	}
}

void
fsm_tick(struct fsm *f, uint64_t now)
{
	switch (f->fs_state) {
	case FSM_BACKUP:
		if (f->fs_down_at && now >= f->fs_down_at)
			fsm_try_master(f, now, "master-down", 1);
		else if (f->fs_preempt_at && now >= f->fs_preempt_at)
			fsm_try_master(f, now, "preempt", 1);
		break;
	case FSM_MASTER:
		if (f->fs_adver_at && now >= f->fs_adver_at) {
			fsm_send(f, f->fs_prio);
			f->fs_adver_at += f->fs_adver_int;
			if (f->fs_adver_at <= now)	/* we were stalled */
				f->fs_adver_at = now + f->fs_adver_int;
		}
		break;
	case FSM_INIT:
	case FSM_FAULT:
		break;
	}
}

uint64_t
fsm_next(const struct fsm *f)
{
	uint64_t t[3] = { f->fs_adver_at, f->fs_down_at, f->fs_preempt_at };
	uint64_t best = 0;
	int i;

	for (i = 0; i < 3; i++)
		if (t[i] && (best == 0 || t[i] < best))
			best = t[i];
	return best;
}

void
fsm_fault(struct fsm *f, uint64_t now, const char *why)
{
	(void)now;
	if (f->fs_state == FSM_FAULT)
		return;
	fsm_leave(f, FSM_FAULT, why);
}

void
fsm_fault_clear(struct fsm *f, uint64_t now)
{
	if (f->fs_state != FSM_FAULT)
		return;
	/* leaving FAULT is a Startup again */
	fsm_startup(f, now, "fault-cleared", "fault-cleared");
}

void
fsm_set_prio(struct fsm *f, uint8_t prio, uint64_t now)
{
	if (prio == f->fs_prio)
		return;
	f->fs_prio = prio;
	/* Say it now: a better backup preempts within one packet time. */
	if (f->fs_state == FSM_MASTER) {
		fsm_send(f, prio);
		f->fs_adver_at = now + f->fs_adver_int;
	}
}

int
fsm_wants_master(const struct fsm *f)
{
	return f->fs_state == FSM_MASTER ||
	    (f->fs_state == FSM_BACKUP && f->fs_want_master);
}

void
fsm_sync_master(struct fsm *f, uint64_t now, const char *why)
{
	if (f->fs_state == FSM_BACKUP)
		fsm_become_master(f, now, why);
}

void
fsm_sync_backup(struct fsm *f, uint64_t now, const char *why)
{
	if (f->fs_state == FSM_MASTER)
		fsm_become_backup(f, now, why);
}
