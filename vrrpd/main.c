/* SPDX-License-Identifier: ISC */
/*
 * vrrpd: a VRRP daemon that runs the vrrp part of keepalived.conf.
 * Options -> config (all errors, then exit) -> privileged set-up (raw and
 * netlink sockets, the command runner) -> drop to CAP_NET_RAW and
 * CAP_NET_ADMIN -> signals -> ready -> loop.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <event2/event.h>
#include <libmnl/libmnl.h>

#include "args.h"
#include "atomicfile.h"
#include "duration.h"
#include "evline.h"
#include "hatools.h"
#include "kadump.h"
#include "load.h"
#include "log.h"
#include "metrics.h"
#include "notify.h"
#include "priv.h"
#include "promhttp.h"
#include "signals.h"
#include "vrrpd.h"

#define ERR_MAX	16384

/* -t: the file runs, with warnings keepalived -t reports as errors */
#define EXIT_FLAGGED	3

static struct config *
main_load(struct vrrpd *d, char *err, size_t errlen)
{
	struct main_opts *o = d->d_opts;

	return load_config(&o->mo_load, err, errlen);
}

/* The runner's own reading of the configuration, for its reloads. */
static struct config *
main_runner_load(void *arg)
{
	struct vrrpd *d = arg;
	struct config *cf;
	char *err;

	if ((err = malloc(ERR_MAX)) == NULL)
		return NULL;
	err[0] = '\0';
	cf = d->d_load(d, err, ERR_MAX);
	free(err);
	return cf;
}

static void
main_stop(struct vrrpd *d)
{
	int i;

	if (d->d_stopping)
		return;
	d->d_stopping = 1;
	notify_stopping();
	/* priority 0 first, so backups take over after skew time */
	for (i = 0; i < d->d_ninst; i++)
		inst_stop(d->d_inst[i], "shutdown");
	event_base_loopexit(d->d_base, NULL);
}

static void
main_signal_cb(evutil_socket_t sig, short ev, void *arg)
{
	struct vrrpd *d = arg;
	char *err;

	/* keepalived's JSON signal: SIGRTMIN is no constant for a case */
	if (sig == kadump_signum("JSON")) {
		kadump_json(d);
		return;
	}
	switch (sig) {
	case SIGTERM:
	case SIGINT:
		log_info("signal %d: stopping", (int)sig);
		main_stop(d);
		break;
	case SIGHUP:
		if ((err = malloc(ERR_MAX)) == NULL)
			break;
		err[0] = '\0';
		vrrpd_reload(d, err, ERR_MAX);
		free(err);
		break;
	case SIGUSR1:	/* keepalived's DATA; the log lines are vrrpd's */
		vrrpd_dump(d);
		kadump_data(d);
		break;
	case SIGUSR2:	/* keepalived's STATS */
		kadump_stats(d);
		break;
	case SIGCHLD:
		/*
		 * Run as PID 1 of a namespace, orphans of track commands
		 * become ours; the runner is reaped here too if it dies.
		 */
		while (waitpid(-1, NULL, WNOHANG) > 0)
			;
		break;
	}
}

static void
main_watchdog_cb(evutil_socket_t fd, short ev, void *arg)
{
	notify_watchdog();
}

static void
main_link_cb(void *arg, int ifindex, int up)
{
	struct vrrpd *d = arg;
	int i;

	for (i = 0; i < d->d_ninst; i++)
		inst_link_event(d->d_inst[i], ifindex, up);
}

static void
main_link_read_cb(evutil_socket_t fd, short ev, void *arg)
{
	struct vrrpd *d = arg;
	int i;

	if (nl_link_read(d->d_linksock, main_link_cb, d) == -1)
		/* lost events (ENOBUFS): ask for the truth */
		for (i = 0; i < d->d_ninst; i++)
			inst_link_event(d->d_inst[i], d->d_inst[i]->in_ifindex,
			    nl_link_up(&d->d_nl, d->d_inst[i]->in_ifindex) == 1);
}

static int
main_uses_no_accept(const struct config *cf)
{
	int i;

	for (i = 0; i < cf->cf_ninst; i++)
		if (config_no_accept(&cf->cf_inst[i]))
			return 1;
	return 0;
}

/*
 * Removes the tables a killed vrrpd left (no_accept's, use_vmac's).
 * Without CAP_NET_ADMIN nf_tables answers EPERM even when there is no
 * table (and a kernel without it, EOPNOTSUPP): a failure only where this
 * config could have made one.  1 removed (no_accept's), 0 none, -1 failed.
 */
static int
main_nft_leftover(struct nft *f, const struct config *cf)
{
	int r = nft_remove(f);

	if (r == -1 && (main_uses_no_accept(cf) || (errno != EPERM &&
	    errno != EPROTONOSUPPORT && errno != EOPNOTSUPP))) {
		log_warn("nftables: cannot remove table inet %s", NFT_TABLE);
		return -1;
	}
	if (r == 1)
		log_notice("removed nftables table inet %s left by an earlier "
		    "vrrpd", NFT_TABLE);
	/* use_vmac's; a kernel that refused the one above refuses these */
	if (r != -1 && nft_vmac_remove(f) > 0)
		log_notice("removed nftables tables ip/ip6 %s left by an "
		    "earlier vrrpd", NFT_TABLE);
	return r == 1;
}

static int
main_cleanup(struct config *cf)
{
	struct nl nl;
	struct nft f;
	int i, n = 0, nr = 0, failed = 0, rfailed = 0;

	if (nl_open(&nl) == -1) {
		log_warn("netlink");
		return EXIT_RUNTIME;
	}
	for (i = 0; i < cf->cf_ninst; i++) {
		/* rules and routes before the VIPs, as at a stop */
		nr += route_cleanup(&nl, &cf->cf_inst[i], &rfailed);
		n += vip_cleanup(&nl, &cf->cf_inst[i], &failed);
		vmac_cleanup(&nl, &cf->cf_inst[i], &failed);
	}
	nl_close(&nl);
	if (nft_open(&f) == -1) {
		if (main_uses_no_accept(cf)) {
			log_warn("nftables netlink");
			failed++;
		}
	} else {
		if (main_nft_leftover(&f, cf) == -1)
			failed++;
		nft_close(&f);
	}
	log_info("cleanup: removed %d address%s", n, n == 1 ? "" : "es");
	if (nr > 0)
		log_info("cleanup: removed %d of the virtual routes and "
		    "rules", nr);
	if (rfailed > 0) {
		log_warnx("cleanup: %d of the virtual routes and rules not "
		    "removed", rfailed);
		if (failed == 0)
			return EXIT_RUNTIME;
	}
	if (failed > 0) {
		/* ExecStopPost= must see that a VIP may still be up here */
		log_warnx("cleanup: %d address%s not removed", failed,
		    failed == 1 ? "" : "es");
		return EXIT_RUNTIME;
	}
	return EXIT_CLEAN;
}

/*
 * disable_local_igmp's value found at the start, put back at any exit,
 * a fatal error's too (atexit); the pid keeps a forked child from it.
 */
static int main_igmp_old = -1;
static pid_t main_igmp_pid;

static void
main_igmp_restore(void)
{
	if (main_igmp_old > 0 && getpid() == main_igmp_pid)
		vmac_local_igmp(main_igmp_old);
	main_igmp_old = -1;
}

static void
main_setup(struct vrrpd *d, struct main_opts *o)
{
	static const cap_value_t keep[] = { CAP_NET_RAW, CAP_NET_ADMIN };
	struct event_config *ec;
	char err[1024];
	int i;

	if (runner_start(&d->d_runner, d->d_cf, main_runner_load, d) == -1)
		fatal(EXIT_RUNTIME, "command runner");
	if (fifo_open(d, err, sizeof(err)) == -1)
		fatalx(EXIT_RUNTIME, "%s", err);
	smtp_open();
	/*
	 * Timers to the microsecond (timerfd), not the coarse clock's tick
	 * (4 ms at HZ=250): skew time and the master down interval are the
	 * failover, and a late timer is a late failover.
	 */
	if ((ec = event_config_new()) == NULL ||
	    event_config_set_flag(ec, EVENT_BASE_FLAG_PRECISE_TIMER) == -1 ||
	    (d->d_base = event_base_new_with_config(ec)) == NULL)
		fatalx(EXIT_RUNTIME, "event base failed");
	event_config_free(ec);
	if (nl_open(&d->d_nl) == -1)
		fatal(EXIT_RUNTIME, "netlink");
	if ((d->d_linksock = nl_link_events()) == NULL)
		fatal(EXIT_RUNTIME, "netlink link events");
	/* keepalived's static_*: before any instance, whatever its state */
	vip_static(&d->d_nl, &d->d_cf->cf_static, 1);
	route_static(&d->d_nl, &d->d_cf->cf_static, 1);
	if (nft_open(&d->d_nft) == 0)
		main_nft_leftover(&d->d_nft, d->d_cf);
	else if (main_uses_no_accept(d->d_cf))
		fatal(EXIT_RUNTIME, "nftables netlink (no_accept needs it)");
	d->d_ev_link = event_new(d->d_base, mnl_socket_get_fd(d->d_linksock),
	    EV_READ | EV_PERSIST, main_link_read_cb, d);
	d->d_ev_runner = event_new(d->d_base, d->d_runner.rn_fd,
	    EV_READ | EV_PERSIST, track_runner_cb, d);
	if (!d->d_ev_link || !d->d_ev_runner)
		fatalx(EXIT_RUNTIME, "out of memory");
	event_add(d->d_ev_link, NULL);
	event_add(d->d_ev_runner, NULL);
	/* before any instance joins its group */
	if (d->d_cf->cf_no_local_igmp) {
		if ((main_igmp_old = vmac_local_igmp(0)) == -1)
			log_warn("disable_local_igmp: cannot set "
			    "igmp_link_local_mcast_reports");
		main_igmp_pid = getpid();
		atexit(main_igmp_restore);
	}
	for (i = 0; i < d->d_cf->cf_ninst; i++) {
		if ((d->d_inst[i] = inst_new(d, &d->d_cf->cf_inst[i], err,
		    sizeof(err))) == NULL)
			fatalx(EXIT_RUNTIME, "%s", err);
		d->d_ninst = i + 1;
	}
	if (o->mo_control && control_open(d, o->mo_control, err,
	    sizeof(err)) == -1)
		fatalx(EXIT_RUNTIME, "%s", err);
	if (o->mo_d.od_metrics && (d->d_metrics = promhttp_open(d->d_base,
	    o->mo_d.od_metrics, metrics_http, d, err, sizeof(err))) == NULL)
		fatalx(EXIT_RUNTIME, "--metrics %s", err);
	if (geteuid() == 0 || o->mo_d.od_user) {
		if (priv_drop(o->mo_d.od_user, keep, 2) == -1)
			fatalx(EXIT_RUNTIME, "cannot drop privileges");
	}
}

int
main(int argc, char **argv)
{
	static struct vrrpd d;
	static struct main_opts o;
	int signums[] = { SIGTERM, SIGINT, SIGHUP, SIGUSR1, SIGUSR2,
	    SIGCHLD, kadump_signum("JSON"), 0 };
	struct signals sigs;
	struct event *wd = NULL;
	struct timeval tv;
	char *err;
	int i;

	log_init(argv[0], 0);
	args_parse(argc, argv, &o);
	opt_daemon_log(&o.mo_d, argv[0]);
	if ((err = malloc(ERR_MAX)) == NULL)
		fatalx(EXIT_RUNTIME, "out of memory");
	d.d_opts = &o;
	d.d_load = main_load;
	d.d_cfg_path = o.mo_load.lo_file;
	if ((d.d_cf = main_load(&d, err, ERR_MAX)) == NULL) {
		load_log(err);
		exit(EXIT_USAGE);
	}
	load_log(err);
	if (d.d_cf->cf_umask >= 0)	/* keepalived's umask: files, scripts */
		umask((mode_t)d.d_cf->cf_umask);
	if (o.mo_test) {
		printf("%s: ok, %d instance%s\n", o.mo_load.lo_file ?
		    o.mo_load.lo_file : "command line", d.d_cf->cf_ninst,
		    d.d_cf->cf_ninst == 1 ? "" : "s");
		if (o.mo_d.od_verbose)
			config_dump(stdout, d.d_cf);
		/* runs, but keepalived -t would not pass it: not a 0 */
		exit(d.d_cf->cf_nflagged ? EXIT_FLAGGED : EXIT_CLEAN);
	}
	if (o.mo_cleanup)
		exit(main_cleanup(d.d_cf));
	signals_ignore();	/* before the runner forks */
	main_setup(&d, &o);
	if (signals_set(&sigs, d.d_base, signums, main_signal_cb, &d) == -1)
		fatalx(EXIT_RUNTIME, "signal events");
	/* no track script runs before the startup_script ends (hook.c) */
	d.d_tracks_held = d.d_cf->cf_hooks[CFG_HOOK_STARTUP].ch_cmd[0] != '\0';
	if (track_setup(&d, err, ERR_MAX) == -1)
		fatalx(EXIT_RUNTIME, "%s", err);
	if (sync_setup(&d, err, ERR_MAX) == -1)
		fatalx(EXIT_RUNTIME, "%s", err);
	hook_begin(&d);
	if (o.mo_d.od_pidfile && pidfile_write(o.mo_d.od_pidfile) == -1)
		fatal(EXIT_RUNTIME, "pidfile %s", o.mo_d.od_pidfile);
	notify_status("%d instance%s", d.d_ninst, d.d_ninst == 1 ? "" : "s");
	notify_ready(o.mo_d.od_readyfd);
	if (notify_watchdog_usec() > 0) {
		/* systemd's watchdog: ping at half its period */
		tv = duration_tv(notify_watchdog_usec() / 2);
		if ((wd = event_new(d.d_base, -1, EV_PERSIST, main_watchdog_cb,
		    NULL)) == NULL || event_add(wd, &tv) == -1)
			fatalx(EXIT_RUNTIME, "watchdog timer");
	}
	log_info("started: %d instance%s", d.d_ninst,
	    d.d_ninst == 1 ? "" : "s");
	event_base_dispatch(d.d_base);

	control_close(&d);
	promhttp_close(d.d_metrics);
	if (d.d_ev_hook)
		event_free(d.d_ev_hook);
	track_teardown(&d);
	sync_teardown(&d);
	for (i = 0; i < d.d_ninst; i++)
		inst_free(d.d_inst[i]);
	route_static(&d.d_nl, &d.d_cf->cf_static, 0);
	vip_static(&d.d_nl, &d.d_cf->cf_static, 0);
	main_igmp_restore();
	/* each master's rules went with it; a table left means a failure */
	if (d.d_nft.nf_on)
		nft_remove(&d.d_nft);
	nft_close(&d.d_nft);
	fifo_close(&d);
	smtp_close(&d);
	runner_stop(&d.d_runner);
	if (o.mo_d.od_pidfile)
		unlink(o.mo_d.od_pidfile);
	signals_clear(&sigs);
	if (wd)
		event_free(wd);
	event_free(d.d_ev_link);
	event_free(d.d_ev_runner);
	mnl_socket_close(d.d_linksock);
	nl_close(&d.d_nl);
	event_base_free(d.d_base);
	free(d.d_cf);
	free(err);
	return EXIT_CLEAN;
}
