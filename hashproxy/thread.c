/* SPDX-License-Identifier: ISC */
/*
 * nbthread: worker threads, each running its own event_base with its
 * own listening sockets and the connections it accepted.  The main
 * thread keeps signals, reloads, checks and the stats socket.  Shared
 * state (frontends, backends, servers, queues, counters) is under one
 * mutex, taken around bookkeeping only: the system calls that move
 * bytes and open and close sockets, where a proxy spends its time, run
 * outside it.  With one thread nothing here runs: no lock, no thread,
 * the main loop proxies as before.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <event2/thread.h>

#include "log.h"
#include "hashproxy.h"

static __thread struct hp_worker *thread_cur;

struct hp_worker *
thread_self(void)
{
	return thread_cur;
}

void
thread_lock(struct hp_ctx *ctx)
{
	if (ctx->c_threaded)
		pthread_mutex_lock(&ctx->c_lock);
}

void
thread_unlock(struct hp_ctx *ctx)
{
	if (ctx->c_threaded)
		pthread_mutex_unlock(&ctx->c_lock);
}

/* Runs in w's thread: what other threads asked of its listeners. */
static void
thread_kicked(evutil_socket_t fd, short what, void *arg)
{
	struct hp_worker *w = arg;

	thread_lock(w->w_ctx);
	w->w_kicked = 0;
	w->w_on_kick(w);
	thread_unlock(w->w_ctx);
}

/* Caller holds the lock.  event_active() never blocks: no deadlock. */
void
thread_kick(struct hp_worker *w)
{
	if (w == thread_cur) {
		w->w_on_kick(w);
		return;
	}
	if (w->w_kicked)
		return;
	w->w_kicked = 1;
	event_active(w->w_kick, EV_READ, 0);
}

static struct event_base *
thread_base(void)
{
	struct event_config *ec;
	struct event_base *b;

	/* epoll with a change list: one epoll_ctl per fd per loop */
	if ((ec = event_config_new()) == NULL)
		return NULL;
	event_config_set_flag(ec, EVENT_BASE_FLAG_EPOLL_USE_CHANGELIST);
	b = event_base_new_with_config(ec);
	event_config_free(ec);
	return b;
}

/*
 * Makes n workers (c_base must not exist yet: libevent's locking is set
 * up before the first base).  With n == 1 the worker is the main loop.
 */
int
thread_init(struct hp_ctx *ctx, int n, void (*on_kick)(struct hp_worker *))
{
	int i;

	ctx->c_threaded = n > 1;
	if (ctx->c_threaded) {
		if (evthread_use_pthreads() == -1) {
			log_warnx("libevent: no thread support");
			return -1;
		}
		if ((errno = pthread_mutex_init(&ctx->c_lock, NULL)) != 0) {
			log_warn("pthread_mutex_init");
			return -1;
		}
	}
	if ((ctx->c_base = thread_base()) == NULL ||
	    (ctx->c_w = calloc((size_t)n, sizeof(*ctx->c_w))) == NULL)
		return -1;
	ctx->c_nw = n;
	for (i = 0; i < n; i++) {
		struct hp_worker *w = &ctx->c_w[i];

		w->w_ctx = ctx;
		w->w_idx = i;
		w->w_on_kick = on_kick;
		LIST_INIT(&w->w_dead);
		w->w_base = ctx->c_threaded ? thread_base() : ctx->c_base;
		if (w->w_base == NULL || (w->w_kick = event_new(w->w_base, -1,
		    0, thread_kicked, w)) == NULL)
			return -1;
	}
	if (!ctx->c_threaded)
		thread_cur = &ctx->c_w[0];
	return 0;
}

static void *
thread_main(void *arg)
{
	struct hp_worker *w = arg;
	char name[16];

	thread_cur = w;
	/* for top -H and ps -L: "hashproxy:w1", "hashproxy:w2" ... */
	snprintf(name, sizeof(name), "hashproxy:w%d", (w->w_idx + 1) % 100);
	pthread_setname_np(pthread_self(), name);
	/* no events is not the end: listeners come with reloads */
	if (event_base_loop(w->w_base, EVLOOP_NO_EXIT_ON_EMPTY) == -1)
		log_warnx("thread %d: event loop failed", w->w_idx + 1);
	return NULL;
}

int
thread_start(struct hp_ctx *ctx)
{
	int i;

	for (i = 0; ctx->c_threaded && i < ctx->c_nw; i++) {
		struct hp_worker *w = &ctx->c_w[i];

		if ((errno = pthread_create(&w->w_tid, NULL, thread_main,
		    w)) != 0) {
			log_warn("pthread_create");
			return -1;
		}
		w->w_started = 1;
	}
	return 0;
}

/* Ends every loop; from any thread, lock held or not. */
void
thread_loopexit(struct hp_ctx *ctx)
{
	int i;

	event_base_loopexit(ctx->c_base, NULL);
	for (i = 0; ctx->c_threaded && i < ctx->c_nw; i++)
		event_base_loopexit(ctx->c_w[i].w_base, NULL);
}

/* The main loop ended: the workers' end too, and are waited for. */
void
thread_stop(struct hp_ctx *ctx)
{
	int i;

	for (i = 0; ctx->c_threaded && i < ctx->c_nw; i++) {
		struct hp_worker *w = &ctx->c_w[i];

		if (!w->w_started)
			continue;
		event_base_loopexit(w->w_base, NULL);
		pthread_join(w->w_tid, NULL);
		w->w_started = 0;
	}
}
