/* SPDX-License-Identifier: ISC */
/*
 * "show info": haproxy 2.6's lines in its order, for a monitoring script
 * or exporter that reads them (haproxy_exporter reads Version and
 * Idle_pct).  What hashproxy does not do (SSL, pipes, compression,
 * peers, memory pools) shows haproxy's idle 0; lines with no meaning
 * here (Release_date, Tasks, Run_queue, FailedResolutions,
 * BytesOutRate) are left out rather than made up.  hashproxy's own
 * lines (Reloads, each thread's CumConns) come last.
 */
#include <stdint.h>
#include <stdio.h>
#include <time.h>
#include <unistd.h>
#include <sys/resource.h>

#include <event2/buffer.h>

#include "duration.h"
#include "hashproxy.h"
#include "stats.h"

/* the descriptors the process may hold now: haproxy's Ulimit-n */
static unsigned long long
info_nofile(void)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) == -1 || rl.rlim_cur == RLIM_INFINITY)
		return 0;
	return (unsigned long long)rl.rlim_cur;
}

/*
 * haproxy's Idle_pct: the share of the event loops' time not spent
 * working, here the CPU time the process did not use over the last
 * second or more (all threads), updated when asked.
 */
static int
info_idle_pct(const struct hp_ctx *ctx)
{
	static uint64_t last_wall, last_cpu;
	static int idle = 100;
	struct rusage ru;
	uint64_t now = mono_usec(), cpu, wall;

	if (last_wall == 0)
		last_wall = ctx->c_start;
	if (now - last_wall < 1000000 ||
	    getrusage(RUSAGE_SELF, &ru) == -1)
		return idle;
	cpu = (uint64_t)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1000000 +
	    (uint64_t)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec);
	wall = (now - last_wall) * (uint64_t)(ctx->c_nw > 0 ? ctx->c_nw : 1);
	idle = cpu - last_cpu >= wall ? 0 :
	    (int)(100 - (cpu - last_cpu) * 100 / wall);
	last_wall = now;
	last_cpu = cpu;
	return idle;
}

/* haproxy's listeners: each bind address and stats socket, the metrics
 * listener as its exporter's frontend */
static int
info_listeners(const struct hp_ctx *ctx)
{
	const struct cf_config *cf = &ctx->c_cf;
	int i, n = ctx->c_control_opt != NULL ? 1 : cf->cf_nstats;

	for (i = 0; i < cf->cf_nfrontends; i++)
		n += cf->cf_frontends[i].fe_nbinds;
	return n + (ctx->c_metrics_opt != NULL);
}

/* haproxy's TotalBytesOut: every byte sent, to clients and to servers */
static unsigned long long
info_bytes_out(const struct hp_ctx *ctx)
{
	unsigned long long n = 0;
	int i;

	for (i = 0; i < ctx->c_nfe; i++)
		n += HP_READ(ctx->c_fe[i]->f_bout);
	for (i = 0; i < ctx->c_nbe; i++)
		n += HP_READ(ctx->c_be[i]->b_bin);
	return n;
}

void
stats_show_info(struct hp_ctx *ctx, struct evbuffer *out)
{
	uint64_t up = (mono_usec() - ctx->c_start) / 1000000;
	uint64_t now = mono_usec() / 1000;
	char node[256];
	int i, nl = info_listeners(ctx);

	if (gethostname(node, sizeof(node)) == -1)
		node[0] = '\0';
	node[sizeof(node) - 1] = '\0';
	evbuffer_add_printf(out, "Name: hashproxy\nVersion: %s\n"
	    "Nbthread: %d\nNbproc: 1\nProcess_num: 1\n"
	    "Pid: %d\nUptime: %llud %lluh%02llum%02llus\nUptime_sec: %llu\n"
	    "Memmax_MB: 0\nPoolAlloc_MB: 0\nPoolUsed_MB: 0\nPoolFailed: 0\n"
	    "Ulimit-n: %llu\nMaxsock: %ld\n"
	    "Maxconn: %d\nHard_maxconn: %d\nCurrConns: %d\nCumConns: %llu\n"
	    /* at L4 each session is haproxy's one request */
	    "CumReq: %llu\n"
	    "MaxSslConns: 0\nCurrSslConns: 0\nCumSslConns: 0\n"
	    "Maxpipes: 0\nPipesUsed: 0\nPipesFree: 0\n", HATOOLS_VERSION,
	    ctx->c_nw, (int)getpid(),
	    (unsigned long long)(up / 86400),
	    (unsigned long long)(up / 3600 % 24),
	    (unsigned long long)(up / 60 % 60), (unsigned long long)(up % 60),
	    (unsigned long long)up, info_nofile(), limits_maxsock(ctx),
	    ctx->c_maxconn, ctx->c_hardmaxconn, ctx->c_cur,
	    (unsigned long long)ctx->c_tot, (unsigned long long)ctx->c_tot);
	/* haproxy's: accepts, then sessions (past tcp-request connection) */
	evbuffer_add_printf(out, "ConnRate: %u\nConnRateLimit: %d\n"
	    "MaxConnRate: %u\nSessRate: %u\nSessRateLimit: %d\n"
	    "MaxSessRate: %u\n", rate_read(&ctx->c_rate, now),
	    ctx->c_cf.cf_maxconnrate, ctx->c_rate.r_max,
	    rate_read(&ctx->c_srate, now), ctx->c_cf.cf_maxsessrate,
	    ctx->c_srate.r_max);
	evbuffer_add_printf(out, "SslRate: 0\nSslRateLimit: 0\nMaxSslRate: 0\n"
	    "SslFrontendKeyRate: 0\nSslFrontendMaxKeyRate: 0\n"
	    "SslFrontendSessionReuse_pct: 0\nSslBackendKeyRate: 0\n"
	    "SslBackendMaxKeyRate: 0\nSslCacheLookups: 0\nSslCacheMisses: 0\n"
	    "CompressBpsIn: 0\nCompressBpsOut: 0\nCompressBpsRateLim: 0\n"
	    "Idle_pct: %d\nnode: %s\nStopping: %d\n"
	    /* the listeners, the connections and this stats client */
	    "Jobs: %d\nUnstoppable Jobs: 0\nListeners: %d\n"
	    "ActivePeers: 0\nConnectedPeers: 0\nDroppedLogs: 0\n"
	    "BusyPolling: 0\nTotalBytesOut: %llu\nTotalSplicdedBytesOut: 0\n"
	    "DebugCommandsIssued: 0\nCumRecvLogs: 0\nBuild info: %s\n"
	    "Memmax_bytes: 0\nPoolAlloc_bytes: 0\nPoolUsed_bytes: 0\n"
	    "Start_time_sec: %llu\nTainted: 0\n", info_idle_pct(ctx), node,
	    ctx->c_draining, nl + ctx->c_cur + 1, nl, info_bytes_out(ctx),
	    HATOOLS_VERSION, (unsigned long long)(time(NULL) - (time_t)up));
	evbuffer_add_printf(out, "Reloads: %d\n", ctx->c_nreloads);
	for (i = 0; i < ctx->c_nw; i++)
		evbuffer_add_printf(out, "CumConns_thread%d: %llu\n", i + 1,
		    (unsigned long long)ctx->c_w[i].w_tot);
}
