/* SPDX-License-Identifier: ISC */
/* vrrpd/fsm.c driven by a fake clock: RFC 5798 6.4 timings and events. */
#include <string.h>

#include "fsm.h"
#include "tap.h"

#define MS	1000ULL
#define SEC	1000000ULL

static int nsent, last_prio, nchanges;
static enum fsm_state last_to;
static const char *last_why;

static void
h_send(struct fsm *f, uint8_t prio)
{
	nsent++;
	last_prio = prio;
}

static void
h_change(struct fsm *f, enum fsm_state from, enum fsm_state to,
    const char *why)
{
	nchanges++;
	last_to = to;
	last_why = why;
}

static int may_master = 1;

static int
h_may_master(struct fsm *f)
{
	return may_master;
}

static const struct fsm_hooks hooks = { h_send, h_change, h_may_master };

static void
mk(struct fsm *f, int version, int prio, uint64_t adver)
{
	memset(f, 0, sizeof(*f));
	f->fs_version = version;
	f->fs_base_prio = f->fs_prio = (uint8_t)prio;
	f->fs_preempt = 1;
	f->fs_adver_int = adver;
	fsm_init(f, &hooks, NULL);
	nsent = nchanges = 0;
	last_prio = -1;
}

/* Runs the clock until t, firing every due timer in order. */
static uint64_t
run_until(struct fsm *f, uint64_t now, uint64_t t)
{
	uint64_t next;

	while ((next = fsm_next(f)) != 0 && next <= t) {
		now = next;
		fsm_tick(f, now);
	}
	return t;
}

static void
test_timers(void)
{
	struct fsm f;

	mk(&f, 3, 100, 1 * SEC);
	is_int(fsm_skew(&f), (156 * SEC) / 256, "skew = (256-prio)*MAI/256");
	is_int(fsm_master_down(&f), 3 * SEC + (156 * SEC) / 256,
	    "master down = 3*MAI + skew");
	mk(&f, 2, 255, 1 * SEC);
	is_int(fsm_skew(&f), 1 * SEC / 256, "owner skew is 1/256 s");
}

static void
test_startup(void)
{
	struct fsm f;
	uint64_t now = 1000 * SEC;

	mk(&f, 2, 150, 1 * SEC);
	fsm_start(&f, now);
	is_int(f.fs_state, FSM_BACKUP, "non-owner starts as backup");
	is_int(nsent, 0, "and says nothing");
	is_int(f.fs_down_at, now + fsm_master_down(&f),
	    "master down timer armed");
	run_until(&f, now, f.fs_down_at - 1);
	is_int(f.fs_state, FSM_BACKUP, "still backup 1us before the timer");
	fsm_tick(&f, f.fs_down_at);
	is_int(f.fs_state, FSM_MASTER, "master when the timer fires");
	is_str(last_why, "master-down", "reason master-down");
	is_int(nsent, 1, "one advert on becoming master");
	is_int(last_prio, 150, "with our priority");

	mk(&f, 2, 255, 1 * SEC);
	fsm_start(&f, now);
	is_int(f.fs_state, FSM_MASTER, "owner (255) starts as master at once");
	is_int(nsent, 1, "and advertises");
}

static void
test_backup_events(void)
{
	struct fsm f;
	uint64_t now = 5 * SEC;
	int i;

	mk(&f, 3, 100, 100 * MS);
	fsm_start(&f, now);
	now += 2 * SEC;
	fsm_recv(&f, 150, 10 * MS, 0, now);	/* forged: 10ms */
	is_int(f.fs_master_adver_int, 100 * MS,
	    "a tiny forged interval is floored at our own advert_int");
	is_int(f.fs_down_at, now + 3 * 100 * MS + fsm_skew(&f),
	    "so master down is no shorter than our config allows");
	fsm_recv(&f, 150, 20 * MS * 10, 0, now);	/* 200ms interval */
	is_int(f.fs_master_adver_int, 200 * MS,
	    "v3 backup learns the master's interval");
	is_int(f.fs_down_at, now + fsm_master_down(&f),
	    "higher advert resets master down");
	now += 100 * MS;
	fsm_recv(&f, 0, 200 * MS, 0, now);
	is_int(f.fs_down_at, now + fsm_skew(&f),
	    "priority 0: take over after skew time");
	fsm_tick(&f, now + fsm_skew(&f));
	is_int(f.fs_state, FSM_MASTER, "master after skew time");

	mk(&f, 3, 150, 1 * SEC);
	fsm_start(&f, now);
	fsm_recv(&f, 100, 1 * SEC, 0, now + MS);
	is_int(f.fs_state, FSM_MASTER, "preempt: lower master loses at once");
	is_str(last_why, "preempt", "reason preempt");

	mk(&f, 3, 150, 1 * SEC);
	f.fs_preempt = 0;
	fsm_start(&f, now);
	fsm_recv(&f, 100, 1 * SEC, 0, now + MS);
	is_int(f.fs_state, FSM_BACKUP, "nopreempt: lower master kept");
	is_int(f.fs_down_at, now + MS + fsm_master_down(&f),
	    "nopreempt: its adverts keep us backup");

	mk(&f, 3, 150, 1 * SEC);
	f.fs_preempt_delay = 5 * SEC;
	fsm_start(&f, now);
	fsm_recv(&f, 100, 1 * SEC, 0, now + MS);
	is_int(f.fs_state, FSM_BACKUP, "preempt_delay: not yet");
	for (i = 1; i <= 5; i++)	/* the lower master's adverts */
		fsm_recv(&f, 100, 1 * SEC, 0, now + (uint64_t)i * SEC);
	fsm_tick(&f, now + MS + 5 * SEC - 1);
	is_int(f.fs_state, FSM_BACKUP, "preempt_delay: still not 1us before");
	fsm_tick(&f, now + MS + 5 * SEC);
	is_int(f.fs_state, FSM_MASTER, "preempt_delay: master after it");
}

static void
test_master_events(void)
{
	struct fsm f;
	uint64_t now = 9 * SEC;
	int n, i;

	mk(&f, 2, 255, 1 * SEC);
	fsm_start(&f, now);
	f.fs_prio = 100;	/* not an owner any more, for the test */
	n = nsent;
	run_until(&f, now, now + 3 * SEC + 1);
	is_int(nsent - n, 3, "master sends once per interval");
	n = nsent;
	fsm_recv(&f, 50, 1 * SEC, 1, now + 3500 * MS);
	is_int(f.fs_state, FSM_MASTER, "lower advert: still master");
	is_int(nsent - n, 1, "and answers it at once");
	for (i = 0; i < 100; i++)	/* a flood within the interval */
		fsm_recv(&f, 50, 1 * SEC, 1, now + 3501 * MS + (uint64_t)i);
	is_int(nsent - n, 1, "a flood of lower adverts: no more answers "
	    "within the interval");
	fsm_recv(&f, 0, 1 * SEC, 1, now + 4500 * MS);
	is_int(nsent - n, 2, "priority 0 answered at once (RFC), an "
	    "interval later");
	fsm_recv(&f, 100, 1 * SEC, 0, now + 4600 * MS);
	is_int(f.fs_state, FSM_MASTER, "same priority, lower address: stay");
	n = nsent;
	fsm_recv(&f, 100, 1 * SEC, 1, now + 4700 * MS);
	is_int(f.fs_state, FSM_BACKUP, "same priority, higher address: yield");
	is_int(nsent - n, 1, "yielding, one parting advert");
	is_int(last_prio, 100, "at our own priority (the winner re-announces)");
	fsm_start(&f, now);	/* ignored: not in INIT */
	is_int(f.fs_state, FSM_BACKUP, "start outside INIT is a no-op");
}

/*
 * After a split: the master that yields sends a parting advert, and a
 * third node, backup under the winner, must not take it for a lower
 * master to preempt (it would be a third master for a moment).
 */
static const unsigned char A[4] = { 192, 0, 2, 1 }, B[4] = { 192, 0, 2, 2 };

static void
test_split_heal(void)
{
	struct fsm f;
	uint64_t now = 50 * SEC, t;

	mk(&f, 2, 100, 1 * SEC);		/* the loser, master in the split */
	fsm_start(&f, now);
	fsm_tick(&f, f.fs_down_at);
	is_int(f.fs_state, FSM_MASTER, "split: master on its side");
	nsent = 0;
	fsm_recv_src(&f, 150, 1 * SEC, 0, A, 4, now + 10 * SEC);
	is_int(f.fs_state, FSM_BACKUP, "healed: yields to the better master");
	is_int(nsent, 1, "with one parting advert");
	is_int(last_prio, 100, "at its own priority");
	nsent = 0;
	run_until(&f, now + 10 * SEC, now + 11 * SEC);
	is_int(nsent, 0, "and nothing more once backup");

	mk(&f, 2, 120, 1 * SEC);		/* the third node */
	fsm_start(&f, now);
	t = now + SEC;
	fsm_recv_src(&f, 150, 1 * SEC, 0, A, 4, t);
	nchanges = 0;
	fsm_recv_src(&f, 100, 1 * SEC, 0, B, 4, t + 10 * MS);
	is_int(f.fs_state, FSM_BACKUP, "third node: a lower advert right "
	    "after the better master's is discarded");
	is_int(nchanges, 0, "no transition");
	is_int(f.fs_down_at, t + fsm_master_down(&f),
	    "the better master's timer runs on");
	fsm_recv_src(&f, 100, 1 * SEC, 0, B, 4, t + 3 * SEC);
	is_int(f.fs_state, FSM_BACKUP, "... within its Master_Down_Interval");
	fsm_recv_src(&f, 100, 1 * SEC, 0, B, 4, t + fsm_master_down(&f));
	is_int(f.fs_state, FSM_MASTER, "past it, a lower master is preempted");

	mk(&f, 2, 120, 1 * SEC);
	fsm_start(&f, now);
	fsm_recv_src(&f, 150, 1 * SEC, 0, A, 4, now + SEC);
	fsm_recv_src(&f, 90, 1 * SEC, 0, A, 4, now + SEC + 10 * MS);
	is_int(f.fs_state, FSM_MASTER, "the better master itself dropped to "
	    "90 (a track weight): preempted at once");

	mk(&f, 2, 120, 1 * SEC);
	fsm_start(&f, now);
	fsm_recv_src(&f, 150, 1 * SEC, 0, A, 4, now + SEC);
	fsm_recv_src(&f, 0, 1 * SEC, 0, A, 4, now + 2 * SEC);
	fsm_recv_src(&f, 100, 1 * SEC, 0, B, 4, now + 2 * SEC + MS);
	is_int(f.fs_state, FSM_MASTER, "the better master resigned (priority "
	    "0): a lower one is preempted at once");
}

static void
test_shutdown_fault_prio(void)
{
	struct fsm f;
	uint64_t now = 20 * SEC;

	mk(&f, 3, 255, 100 * MS);
	fsm_start(&f, now);
	nsent = 0;
	fsm_shutdown(&f, now + MS, "shutdown");
	is_int(f.fs_state, FSM_INIT, "shutdown: INIT");
	is_int(last_prio, 0, "shutdown: master sends priority 0");
	is_int(fsm_next(&f), 0, "shutdown: no timer left");

	mk(&f, 3, 255, 100 * MS);
	fsm_start(&f, now);
	fsm_fault(&f, now + MS, "fault");
	is_int(f.fs_state, FSM_FAULT, "fault from master");
	is_int(last_prio, 0, "fault: master resigns with priority 0");
	fsm_recv(&f, 100, 100 * MS, 0, now + 2 * MS);
	is_int(f.fs_state, FSM_FAULT, "adverts ignored in fault");
	fsm_fault_clear(&f, now + 3 * MS);
	is_int(f.fs_state, FSM_MASTER, "owner back to master on clear");

	mk(&f, 3, 150, 100 * MS);
	fsm_start(&f, now);
	fsm_tick(&f, f.fs_down_at);
	nsent = 0;
	fsm_set_prio(&f, 90, now + SEC);
	is_int(nsent, 1, "priority change: master tells at once");
	is_int(last_prio, 90, "with the new priority");
	nchanges = 0;
	fsm_set_prio(&f, 90, now + SEC);
	is_int(nsent, 1, "same priority: nothing sent");
}

/* The sync group's gate (sync.c): held back, a backup keeps wanting. */
static void
test_sync_gate(void)
{
	struct fsm f;
	uint64_t now = 1000 * SEC, down;

	mk(&f, 3, 100, 1 * SEC);
	fsm_start(&f, now);
	may_master = 0;
	down = f.fs_down_at;
	fsm_tick(&f, down);
	is_int(f.fs_state, FSM_BACKUP, "gate closed: master down leaves it "
	    "backup");
	ok(fsm_wants_master(&f), "... wanting master");
	is_int(f.fs_down_at, down + fsm_master_down(&f), "... listening one "
	    "more master down interval");
	fsm_recv(&f, 120, 1 * SEC, 0, down + SEC);
	ok(!fsm_wants_master(&f), "a better master heard: wants no more");
	fsm_recv(&f, 50, 1 * SEC, 0, down + 2 * SEC);
	is_int(f.fs_state, FSM_BACKUP, "gate closed: no preemption of a "
	    "lower master");
	ok(fsm_wants_master(&f), "... but wants it");
	may_master = 1;
	nsent = 0;
	fsm_sync_master(&f, down + 3 * SEC, "sync-G");
	is_int(f.fs_state, FSM_MASTER, "the group moves it to master");
	is_int(nsent, 1, "which advertises at once");
	nsent = 0;
	fsm_sync_backup(&f, down + 4 * SEC, "sync-G");
	is_int(f.fs_state, FSM_BACKUP, "and back to backup with the group");
	is_int(nsent, 0, "without a priority 0: it did not fail");
	fsm_sync_backup(&f, down + 5 * SEC, "sync-G");
	is_int(f.fs_state, FSM_BACKUP, "sync_backup of a backup: no-op");
	fsm_fault(&f, down + 6 * SEC, "link");
	fsm_sync_master(&f, down + 7 * SEC, "sync-G");
	is_int(f.fs_state, FSM_FAULT, "sync_master never lifts a fault");
}

int
main(void)
{
	test_timers();
	test_startup();
	test_backup_events();
	test_master_events();
	test_split_heal();
	test_shutdown_fault_prio();
	test_sync_gate();
	return done_testing();
}
