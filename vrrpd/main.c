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

#include "atomicfile.h"
#include "duration.h"
#include "evline.h"
#include "hatools.h"
#include "load.h"
#include "log.h"
#include "metrics.h"
#include "notify.h"
#include "priv.h"
#include "promhttp.h"
#include "vrrpd.h"

#define ERR_MAX	16384

enum {
	OPT_VRID = 256, OPT_PRIORITY, OPT_VIP, OPT_AUTH_PASS, OPT_ADVERT,
	OPT_VRRP_VERSION, OPT_PEER, OPT_SRC, OPT_NAME, OPT_NOPREEMPT,
	OPT_PREEMPT_DELAY, OPT_TRACK, OPT_TRACK_INTERVAL, OPT_TRACK_TIMEOUT,
	OPT_TRACK_WEIGHT, OPT_TRACK_FD, OPT_NOTIFY, OPT_CONTROL, OPT_JSON,
	OPT_PIDFILE, OPT_READY_FD, OPT_CLEANUP, OPT_SYSLOG, OPT_USER,
	OPT_ACCEPT, OPT_NO_ACCEPT, OPT_GARP_REFRESH, OPT_GARP_REFRESH_REPEAT,
	OPT_CONFIG_ID,
	OPT_METRICS,
};

static const struct option main_opts[] = {
	{ "config",		required_argument, NULL, 'f' },
	{ "config-test",	no_argument,	   NULL, 't' },
	{ "interface",		required_argument, NULL, 'i' },
	{ "config-id",		required_argument, NULL, OPT_CONFIG_ID },
	{ "vrid",		required_argument, NULL, OPT_VRID },
	{ "priority",		required_argument, NULL, OPT_PRIORITY },
	{ "vip",		required_argument, NULL, OPT_VIP },
	{ "auth-pass",		required_argument, NULL, OPT_AUTH_PASS },
	{ "advert",		required_argument, NULL, OPT_ADVERT },
	{ "vrrp-version",	required_argument, NULL, OPT_VRRP_VERSION },
	{ "unicast-peer",	required_argument, NULL, OPT_PEER },
	{ "unicast-src",	required_argument, NULL, OPT_SRC },
	{ "name",		required_argument, NULL, OPT_NAME },
	{ "nopreempt",		no_argument,	   NULL, OPT_NOPREEMPT },
	{ "accept",		no_argument,	   NULL, OPT_ACCEPT },
	{ "no-accept",		no_argument,	   NULL, OPT_NO_ACCEPT },
	{ "garp-refresh",	required_argument, NULL, OPT_GARP_REFRESH },
	{ "garp-refresh-repeat", required_argument, NULL,
	    OPT_GARP_REFRESH_REPEAT },
	{ "preempt-delay",	required_argument, NULL, OPT_PREEMPT_DELAY },
	{ "track",		required_argument, NULL, OPT_TRACK },
	{ "track-interval",	required_argument, NULL, OPT_TRACK_INTERVAL },
	{ "track-timeout",	required_argument, NULL, OPT_TRACK_TIMEOUT },
	{ "track-weight",	required_argument, NULL, OPT_TRACK_WEIGHT },
	{ "track-fd",		required_argument, NULL, OPT_TRACK_FD },
	{ "notify",		required_argument, NULL, OPT_NOTIFY },
	{ "control",		required_argument, NULL, OPT_CONTROL },
	{ "metrics",		required_argument, NULL, OPT_METRICS },
	{ "json",		no_argument,	   NULL, OPT_JSON },
	{ "pidfile",		required_argument, NULL, OPT_PIDFILE },
	{ "ready-fd",		required_argument, NULL, OPT_READY_FD },
	{ "cleanup",		no_argument,	   NULL, OPT_CLEANUP },
	{ "syslog",		no_argument,	   NULL, OPT_SYSLOG },
	{ "user",		required_argument, NULL, OPT_USER },
	{ "verbose",		no_argument,	   NULL, 'v' },
	{ "help",		no_argument,	   NULL, 'h' },
	{ "version",		no_argument,	   NULL, 'V' },
	{ NULL, 0, NULL, 0 }
};

struct main_opts {
	struct load_opts mo_load;
	int		 mo_test;
	int		 mo_cleanup;
	int		 mo_json;
	int		 mo_syslog;
	int		 mo_verbose;
	int		 mo_readyfd;
	const char	*mo_control;
	const char	*mo_metrics;	/* ADDR:PORT, or NULL: no HTTP */
	const char	*mo_pidfile;
	const char	*mo_user;
};

static void
main_usage(FILE *f)
{
	fprintf(f,
"usage: vrrpd -f keepalived.conf [options]\n"
"       vrrpd -i IFACE --vrid N --vip ADDR[/PLEN] [--priority N]\n"
"             [--auth-pass PASS] [--advert DUR] [--vrrp-version 2|3]\n"
"             [--unicast-peer ADDR]... [--unicast-src ADDR] [options]\n"
"       vrrpd -t -f keepalived.conf [-i CONFIG_ID]  check the config\n"
"       vrrpd --cleanup -f keepalived.conf | -i IFACE --vrid N --vip ...\n"
"options: --config-id ID --name NAME --nopreempt --preempt-delay DUR\n"
"         --notify CMD --accept --no-accept --garp-refresh DUR\n"
"         --garp-refresh-repeat N --track CMD --track-interval DUR\n"
"         --track-timeout DUR --track-weight N --track-fd N\n"
"         --control PATH --metrics ADDR:PORT --json --pidfile PATH\n"
"         --ready-fd N --user USER --syslog -v -h -V\n"
"See vrrpd(8).\n");
}

static int
main_int(const char *opt, const char *s, int min, int max)
{
	char *end;
	long n;

	errno = 0;
	n = strtol(s, &end, 10);
	if (errno || end == s || *end || n < min || n > max) {
		fprintf(stderr, "vrrpd: %s \"%s\": should be a number "
		    "%d..%d\n", opt, s, min, max);
		exit(EXIT_USAGE);
	}
	return (int)n;
}

/* --metrics: checked now, opened with the other sockets */
static void
main_metrics_opt(struct main_opts *o, const char *arg)
{
	struct sockaddr_storage ss;
	socklen_t len;
	char err[256];

	if (promhttp_addr(arg, &ss, &len, err, sizeof(err)) == -1) {
		fprintf(stderr, "vrrpd: --metrics %s\n", err);
		exit(EXIT_USAGE);
	}
	o->mo_metrics = arg;
}

static void
main_parse(int argc, char **argv, struct main_opts *o)
{
	struct load_opts *l = &o->mo_load;
	int c;

	memset(o, 0, sizeof(*o));
	o->mo_readyfd = -1;
	l->lo_track_fd = -1;
	while ((c = getopt_long(argc, argv, "f:ti:vhV", main_opts, NULL)) !=
	    -1) {
		switch (c) {
		case 'f': l->lo_file = optarg; break;
		case 't': o->mo_test = 1; break;
		case 'i': l->lo_iface = optarg; break;
		case OPT_CONFIG_ID: l->lo_config_id = optarg; break;
		case OPT_VRID:
			l->lo_vrid = main_int("--vrid", optarg, 1, 255);
			break;
		case OPT_PRIORITY:
			l->lo_priority = main_int("--priority", optarg, 1, 255);
			break;
		case OPT_VIP:
			if (l->lo_nvips >= CFG_MAX_VIPS) {
				fprintf(stderr, "vrrpd: --vip: at most %d\n",
				    CFG_MAX_VIPS);
				exit(EXIT_USAGE);
			}
			l->lo_vips[l->lo_nvips++] = optarg;
			break;
		case OPT_AUTH_PASS: l->lo_auth_pass = optarg; break;
		case OPT_ADVERT: l->lo_advert = optarg; break;
		case OPT_VRRP_VERSION:
			l->lo_version = main_int("--vrrp-version", optarg, 2, 3);
			break;
		case OPT_PEER:
			if (l->lo_npeers >= CFG_MAX_PEERS) {
				fprintf(stderr, "vrrpd: --unicast-peer: at "
				    "most %d\n", CFG_MAX_PEERS);
				exit(EXIT_USAGE);
			}
			l->lo_peers[l->lo_npeers++] = optarg;
			break;
		case OPT_SRC: l->lo_src = optarg; break;
		case OPT_NAME: l->lo_name = optarg; break;
		case OPT_NOPREEMPT: l->lo_nopreempt = 1; break;
		case OPT_ACCEPT: l->lo_accept = CFG_ACCEPT_YES; break;
		case OPT_NO_ACCEPT: l->lo_accept = CFG_ACCEPT_NO; break;
		case OPT_GARP_REFRESH: l->lo_garp_refresh = optarg; break;
		case OPT_GARP_REFRESH_REPEAT:
			l->lo_garp_refresh_repeat = main_int(
			    "--garp-refresh-repeat", optarg, 1, 255);
			break;
		case OPT_PREEMPT_DELAY: l->lo_preempt_delay = optarg; break;
		case OPT_TRACK: l->lo_track = optarg; break;
		case OPT_TRACK_INTERVAL: l->lo_track_interval = optarg; break;
		case OPT_TRACK_TIMEOUT: l->lo_track_timeout = optarg; break;
		case OPT_TRACK_WEIGHT:
			l->lo_track_weight = main_int("--track-weight", optarg,
			    -254, 254);
			break;
		case OPT_TRACK_FD:
			l->lo_track_fd = main_int("--track-fd", optarg, 0,
			    65535);
			if (fcntl(l->lo_track_fd, F_GETFD) == -1) {
				fprintf(stderr, "vrrpd: --track-fd %d: not "
				    "open\n", l->lo_track_fd);
				exit(EXIT_USAGE);
			}
			break;
		case OPT_NOTIFY: l->lo_notify = optarg; break;
		case OPT_CONTROL: o->mo_control = optarg; break;
		case OPT_METRICS: main_metrics_opt(o, optarg); break;
		case OPT_JSON: o->mo_json = 1; break;
		case OPT_PIDFILE: o->mo_pidfile = optarg; break;
		case OPT_READY_FD:
			if ((o->mo_readyfd = notify_readyfd_parse(optarg)) ==
			    -1) {
				fprintf(stderr, "vrrpd: --ready-fd %s: should "
				    "be an open fd >= 3\n", optarg);
				exit(EXIT_USAGE);
			}
			break;
		case OPT_CLEANUP: o->mo_cleanup = 1; break;
		case OPT_SYSLOG: o->mo_syslog = 1; break;
		case OPT_USER: o->mo_user = optarg; break;
		case 'v': o->mo_verbose++; break;
		case 'h': main_usage(stdout); exit(EXIT_CLEAN);
		case 'V': ht_version("vrrpd"); exit(EXIT_CLEAN);
		default: main_usage(stderr); exit(EXIT_USAGE);
		}
	}
	if (optind < argc) {
		fprintf(stderr, "vrrpd: unexpected argument \"%s\"\n",
		    argv[optind]);
		exit(EXIT_USAGE);
	}
	/* with -f, -i is keepalived's -i: the config id for "@id" lines */
	if (l->lo_file && l->lo_iface && !l->lo_config_id) {
		l->lo_config_id = l->lo_iface;
		l->lo_iface = NULL;
	}
	if (l->lo_config_id && strlen(l->lo_config_id) >= CFG_NAME_LEN) {
		fprintf(stderr, "vrrpd: --config-id: longer than %d bytes\n",
		    CFG_NAME_LEN - 1);
		exit(EXIT_USAGE);
	}
	if (l->lo_file && (l->lo_iface || l->lo_vrid || l->lo_nvips ||
	    l->lo_name || l->lo_npeers || l->lo_src)) {
		fprintf(stderr, "vrrpd: -f and -i/--vrid/--vip/--name/"
		    "--unicast-peer/--unicast-src are exclusive: one "
		    "instance source\n");
		exit(EXIT_USAGE);
	}
}

/* -t: the file runs, with warnings keepalived -t reports as errors */
#define EXIT_FLAGGED	3

/* Logs each line of a parser message buffer. */
static void
main_log_lines(char *msgs)
{
	char *line, *save = NULL;

	for (line = strtok_r(msgs, "\n", &save); line;
	    line = strtok_r(NULL, "\n", &save))
		log_warnx("%s", line);
}

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
	case SIGUSR1:
		vrrpd_dump(d);
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
 * Removes the no_accept table a killed vrrpd left.  Without CAP_NET_ADMIN
 * nf_tables answers EPERM even when there is no table (and a kernel
 * without it, EOPNOTSUPP): a failure only where this config could have
 * made one.  1 removed, 0 none, -1 failed.
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
	for (i = 0; i < d->d_cf->cf_ninst; i++) {
		if ((d->d_inst[i] = inst_new(d, &d->d_cf->cf_inst[i], err,
		    sizeof(err))) == NULL)
			fatalx(EXIT_RUNTIME, "%s", err);
		d->d_ninst = i + 1;
	}
	if (o->mo_control && control_open(d, o->mo_control, err,
	    sizeof(err)) == -1)
		fatalx(EXIT_RUNTIME, "%s", err);
	if (o->mo_metrics && (d->d_metrics = promhttp_open(d->d_base,
	    o->mo_metrics, metrics_http, d, err, sizeof(err))) == NULL)
		fatalx(EXIT_RUNTIME, "--metrics %s", err);
	if (geteuid() == 0 || o->mo_user) {
		if (priv_drop(o->mo_user, keep, 2) == -1)
			fatalx(EXIT_RUNTIME, "cannot drop privileges");
	}
}

int
main(int argc, char **argv)
{
	static struct vrrpd d;
	static struct main_opts o;
	struct event *sigs[5], *wd = NULL;
	static const int signums[5] = { SIGTERM, SIGINT, SIGHUP, SIGUSR1,
	    SIGCHLD };
	struct timeval tv;
	char *err;
	int i;

	main_parse(argc, argv, &o);
	log_init(argv[0], o.mo_syslog);
	log_setverbose(o.mo_verbose);
	evline_init(o.mo_json);
	if ((err = malloc(ERR_MAX)) == NULL)
		fatalx(EXIT_RUNTIME, "out of memory");
	d.d_opts = &o;
	d.d_load = main_load;
	d.d_cfg_path = o.mo_load.lo_file;
	if ((d.d_cf = main_load(&d, err, ERR_MAX)) == NULL) {
		main_log_lines(err);
		exit(EXIT_USAGE);
	}
	main_log_lines(err);
	if (d.d_cf->cf_umask >= 0)	/* keepalived's umask: files, scripts */
		umask((mode_t)d.d_cf->cf_umask);
	if (o.mo_test) {
		printf("%s: ok, %d instance%s\n", o.mo_load.lo_file ?
		    o.mo_load.lo_file : "command line", d.d_cf->cf_ninst,
		    d.d_cf->cf_ninst == 1 ? "" : "s");
		if (o.mo_verbose)
			config_dump(stdout, d.d_cf);
		/* runs, but keepalived -t would not pass it: not a 0 */
		exit(d.d_cf->cf_nflagged ? EXIT_FLAGGED : EXIT_CLEAN);
	}
	if (o.mo_cleanup)
		exit(main_cleanup(d.d_cf));
	signal(SIGPIPE, SIG_IGN);
	main_setup(&d, &o);
	for (i = 0; i < 5; i++) {
		sigs[i] = evsignal_new(d.d_base, signums[i], main_signal_cb, &d);
		if (sigs[i] == NULL || event_add(sigs[i], NULL) == -1)
			fatalx(EXIT_RUNTIME, "signal events");
	}
	/* no track script runs before the startup_script ends (hook.c) */
	d.d_tracks_held = d.d_cf->cf_hooks[CFG_HOOK_STARTUP].ch_cmd[0] != '\0';
	if (track_setup(&d, err, ERR_MAX) == -1)
		fatalx(EXIT_RUNTIME, "%s", err);
	if (sync_setup(&d, err, ERR_MAX) == -1)
		fatalx(EXIT_RUNTIME, "%s", err);
	hook_begin(&d);
	if (o.mo_pidfile && pidfile_write(o.mo_pidfile) == -1)
		fatal(EXIT_RUNTIME, "pidfile %s", o.mo_pidfile);
	notify_status("%d instance%s", d.d_ninst, d.d_ninst == 1 ? "" : "s");
	notify_ready(o.mo_readyfd);
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
	/* each master's rules went with it; a table left means a failure */
	if (d.d_nft.nf_on)
		nft_remove(&d.d_nft);
	nft_close(&d.d_nft);
	fifo_close(&d);
	smtp_close(&d);
	runner_stop(&d.d_runner);
	if (o.mo_pidfile)
		unlink(o.mo_pidfile);
	for (i = 0; i < 5; i++)
		event_free(sigs[i]);
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
