/* SPDX-License-Identifier: ISC */
/*
 * vrrpd's command line: every option checked here, before the config is
 * read; a bad one is a usage error (exit 2) naming it.
 */
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "args.h"
#include "hatools.h"
#include "kadump.h"
#include "notify.h"
#include "opt.h"
#include "strnum.h"
#include "usage.h"
#include "vrrpd.h"

enum {
	OPT_VRID = OPT_OWN, OPT_PRIORITY, OPT_VIP, OPT_AUTH_PASS, OPT_ADVERT,
	OPT_VRRP_VERSION, OPT_PEER, OPT_SRC, OPT_NAME, OPT_NOPREEMPT,
	OPT_PREEMPT_DELAY, OPT_TRACK, OPT_TRACK_INTERVAL, OPT_TRACK_TIMEOUT,
	OPT_TRACK_WEIGHT, OPT_TRACK_FD, OPT_NOTIFY, OPT_CONTROL, OPT_CLEANUP,
	OPT_ACCEPT, OPT_NO_ACCEPT, OPT_GARP_REFRESH, OPT_GARP_REFRESH_REPEAT,
	OPT_CONFIG_ID, OPT_SIGNUM,
};

static const struct option args_opts[] = {
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
	{ "cleanup",		no_argument,	   NULL, OPT_CLEANUP },
	{ "signum",		required_argument, NULL, OPT_SIGNUM },
	OPT_DAEMON_LONGOPTS,
	{ NULL, 0, NULL, 0 }
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
"       vrrpd --signum=STOP|RELOAD|DATA|STATS|JSON  keepalived's numbers\n"
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
	const char *errstr;
	int n;

	n = (int)strnum(s, min, max, &errstr);
	if (errstr != NULL)
		usage_error("%s \"%s\": should be a number %d..%d", opt, s,
		    min, max);
	return n;
}

/*
 * keepalived --signum: the number, so that "kill -s $(vrrpd --signum=X)"
 * scripts written for keepalived work; nothing else runs.
 */
static void __attribute__((noreturn))
args_signum(const char *name)
{
	int n;

	if ((n = kadump_signum(name)) == -1)
		usage_error("--signum \"%s\": should be STOP, RELOAD, DATA, "
		    "STATS or JSON", name);
	printf("%d\n", n);
	exit(EXIT_CLEAN);
}

void
args_parse(int argc, char **argv, struct main_opts *o)
{
	struct load_opts *l = &o->mo_load;
	int c;

	memset(o, 0, sizeof(*o));
	opt_daemon_init(&o->mo_d);
	l->lo_track_fd = -1;
	/* no "j": --json is long only */
	while ((c = getopt_long(argc, argv, "f:ti:vhV", args_opts, NULL)) !=
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
			if (l->lo_nvips >= CFG_MAX_VIPS)
				usage_error("--vip: at most %d",
				    CFG_MAX_VIPS);
			l->lo_vips[l->lo_nvips++] = optarg;
			break;
		case OPT_AUTH_PASS: l->lo_auth_pass = optarg; break;
		case OPT_ADVERT: l->lo_advert = optarg; break;
		case OPT_VRRP_VERSION:
			l->lo_version = main_int("--vrrp-version", optarg, 2, 3);
			break;
		case OPT_PEER:
			if (l->lo_npeers >= CFG_MAX_PEERS)
				usage_error("--unicast-peer: at "
				    "most %d", CFG_MAX_PEERS);
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
			if (fcntl(l->lo_track_fd, F_GETFD) == -1)
				usage_error("--track-fd %d: not "
				    "open", l->lo_track_fd);
			break;
		case OPT_NOTIFY: l->lo_notify = optarg; break;
		case OPT_CONTROL: o->mo_control = optarg; break;
		case OPT_READYFD:	/* not opt_daemon's: our words */
			if ((o->mo_d.od_readyfd = notify_readyfd_parse(optarg))
			    == -1)
				usage_error("--ready-fd %s: should "
				    "be an open fd >= 3", optarg);
			break;
		case OPT_CLEANUP: o->mo_cleanup = 1; break;
		case OPT_SIGNUM: args_signum(optarg); break;
		default:	/* --metrics, --user, ...; -h, -V, a bad one */
			if (!opt_daemon(c, optarg, &o->mo_d))
				exit(usage_standard(c, "vrrpd", main_usage));
		}
	}
	if (optind < argc)
		usage_error("unexpected argument \"%s\"",
		    argv[optind]);
	/* with -f, -i is keepalived's -i: the config id for "@id" lines */
	if (l->lo_file && l->lo_iface && !l->lo_config_id) {
		l->lo_config_id = l->lo_iface;
		l->lo_iface = NULL;
	}
	if (l->lo_config_id && strlen(l->lo_config_id) >= CFG_NAME_LEN)
		usage_error("--config-id: longer than %d bytes",
		    CFG_NAME_LEN - 1);
	if (l->lo_file && (l->lo_iface || l->lo_vrid || l->lo_nvips ||
	    l->lo_name || l->lo_npeers || l->lo_src))
		usage_error("-f and -i/--vrid/--vip/--name/"
		    "--unicast-peer/--unicast-src are exclusive: one "
		    "instance source");
}
