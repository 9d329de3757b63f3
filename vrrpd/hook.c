/* SPDX-License-Identifier: ISC */
/*
 * How the instances start and what runs around them, as keepalived 2.2.7:
 * the startup_script first (the instances and the track scripts wait
 * for its end, or its timeout), then vrrp_startup_delay, then the
 * instances.  The
 * shutdown_script is the runner's: it runs it once every notify of the
 * stop has ended (runner.c), so after the VIPs went.
 */
#include <event2/event.h>

#include "duration.h"
#include "hatools.h"
#include "log.h"
#include "runner.h"
#include "vrrpd.h"

#define HOOK_ID_STARTUP		0xfffffff0u	/* no track has this id */
#define HOOK_TIMEOUT_DFL	10000000ULL	/* usec, keepalived's */
#define HOOK_GRACE		2000000ULL	/* usec, a runner that died */

static void
hook_start_cb(evutil_socket_t fd, short ev, void *arg)
{
	struct vrrpd *d = arg;
	int i;

	if (d->d_cf->cf_startup_delay > 0)
		log_info("vrrp_startup_delay over: starting the instances");
	for (i = 0; i < d->d_ninst; i++)
		inst_start(d->d_inst[i]);
}

/* The startup script is done: vrrp_startup_delay, then the instances. */
static void
hook_started(struct vrrpd *d)
{
	struct timeval tv;

	track_release(d);
	if (d->d_ev_hook) {
		event_free(d->d_ev_hook);
		d->d_ev_hook = NULL;
	}
	if (d->d_cf->cf_startup_delay == 0) {
		hook_start_cb(-1, 0, d);
		return;
	}
	tv = duration_tv(d->d_cf->cf_startup_delay);
	if (event_base_once(d->d_base, -1, EV_TIMEOUT, hook_start_cb, d,
	    &tv) == -1)
		fatalx(EXIT_RUNTIME, "startup delay timer");
	log_info("vrrp_startup_delay: instances start in %.3gs",
	    (double)d->d_cf->cf_startup_delay / 1e6);
}

/* The runner never answered (it died): start all the same. */
static void
hook_late_cb(evutil_socket_t fd, short ev, void *arg)
{
	log_warnx("startup_script: no answer from the runner; starting");
	hook_started(arg);
}

void
hook_begin(struct vrrpd *d)
{
	const struct cfg_hook *h = &d->d_cf->cf_hooks[CFG_HOOK_STARTUP];
	uint64_t timeout = h->ch_timeout ? h->ch_timeout : HOOK_TIMEOUT_DFL;
	struct runner_req rq = { .rq_id = HOOK_ID_STARTUP,
	    .rq_kind = RUNNER_STARTUP,
	    .rq_timeout_ms = (uint32_t)(timeout / 1000) };
	struct timeval tv = duration_tv(timeout + HOOK_GRACE);

	if (h->ch_cmd[0] == '\0') {
		hook_started(d);
		return;
	}
	if ((d->d_ev_hook = evtimer_new(d->d_base, hook_late_cb, d)) == NULL ||
	    evtimer_add(d->d_ev_hook, &tv) == -1)
		fatalx(EXIT_RUNTIME, "startup_script timer");
	if (runner_run(&d->d_runner, d->d_cf, &rq) == -1) {
		log_warnx("startup_script: cannot start it");
		hook_started(d);
		return;
	}
	log_info("startup_script: instances start when it ends");
}

int
hook_reply(struct vrrpd *d, const struct runner_reply *r)
{
	if (r->rr_id != HOOK_ID_STARTUP)
		return 0;
	if (d->d_ev_hook == NULL)
		return 1;	/* too late: started already */
	if (r->rr_status == RUNNER_TIMEOUT)
		log_warnx("startup_script: timed out, killed");
	else if (r->rr_status != 0)
		log_warnx("startup_script: exit %d", (int)r->rr_status);
	hook_started(d);
	return 1;
}
