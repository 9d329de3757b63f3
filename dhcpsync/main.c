/* SPDX-License-Identifier: ISC */
/*
 * dhcpsync: replicate DHCP leases between two servers over any byte
 * stream.  Options, then the one-shot commands (check, convert), else the
 * daemon: state, lease file, peer link, control socket, ready, loop.
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <event2/event.h>
#include <getopt.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "atomicfile.h"
#include "kea-csv.h"
#include "duration.h"
#include "event.h"
#include "hatools.h"
#include "dhcpd-file.h"
#include "ctlsock.h"
#include "log.h"
#include "notify.h"
#include "dhcpsync.h"
#include "journal.h"
#include "promhttp.h"

#define FILE_MAX	(1024ull * 1024 * 1024)

static void
usage(FILE *f)
{
	fprintf(f,
"usage: dhcpsync [options] --leases FILE [--peer CMD | --listen PATH |\n"
"                --connect PATH]\n"
"       dhcpsync wait-synced [options] --leases FILE ...\n"
"       dhcpsync send [options] FILE    (the stream on stdout, one way)\n"
"       dhcpsync recv [options] FILE    (the stream from stdin, one way)\n"
"       dhcpsync convert [--to dhcpd|kea] [--subnet-id N] IN [OUT]\n"
"       dhcpsync check FILE\n"
"  -l, --leases FILE     the local server's lease file (dhcpd.leases, or\n"
"                        Kea's kea-leases4.csv: then --kea-socket too)\n"
"  -s, --state PATH      resume points (default FILE.dhcpsync)\n"
"  -p, --peer CMD        run CMD (sh -c) and speak over its stdin/stdout\n"
"      --listen PATH     accept the peer on a Unix socket\n"
"      --connect PATH    connect to the peer's Unix socket\n"
"                        (none of the three: speak on stdin/stdout)\n"
"  -r, --retry DUR       wait before reconnecting, or writing again after\n"
"                        the disk refused (default 1s)\n"
"  -t, --timeout DUR     wait-synced: give up after DUR (exit 1)\n"
"      --hello-timeout DUR  wait-synced: give up (exit 1) when the peer\n"
"                        has not answered within DUR\n"
"  -c, --control PATH    control socket (status, show metrics)\n"
"      --metrics ADDR:PORT  Prometheus metrics over HTTP (/metrics)\n"
"      --kea-socket PATH also apply the peer's leases to a running Kea\n"
"                        (lease_cmds hook); Kea picks each lease's subnet\n"
"      --subnet-id N     Kea: put every lease in subnet N (convert: the\n"
"                        subnet_id column, default 1)\n"
"      --max-skew DUR    a peer's cltt beyond now + DUR is clamped\n"
"                        (default 60s)\n"
"      --max-leases N    hold at most N addresses (default 1000000)\n"
"      --subnet CIDR     accept the peer's leases only in CIDR\n"
"                        (repeatable)\n"
"      --subnets-from FILE  ... only in FILE's (dhcpd.conf) subnets\n"
"  -j, --json            event lines as JSON\n"
"      --ready-fd N      write a newline to fd N when ready\n"
"      --pidfile PATH    write our pid to PATH\n"
"  -u, --user USER       run as USER (the lease file's owner) after set-up\n"
"      --syslog          log to syslog instead of stderr\n"
"  -v, --verbose         more log lines\n"
"  -h, --help            this text\n"
"  -V, --version         print the version\n");
}

/* Reads a whole file (bounded) for the one-shot commands. */
static char *
slurp(const char *path, size_t *len)
{
	FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "re");
	char *buf = NULL, *nb;
	size_t cap = 0, n;

	*len = 0;
	if (f == NULL)
		return NULL;
	for (;;) {
		if (cap - *len < 65536) {
			if (cap > FILE_MAX || (nb = realloc(buf, cap * 2 +
			    65536)) == NULL) {
				free(buf);
				buf = NULL;
				errno = EFBIG;
				break;
			}
			buf = nb;
			cap = cap * 2 + 65536;
		}
		if ((n = fread(buf + *len, 1, cap - *len, f)) == 0)
			break;
		*len += n;
	}
	if (buf && ferror(f)) {
		free(buf);
		buf = NULL;
	}
	if (f != stdin)
		fclose(f);
	return buf;
}

struct loadctx {
	struct table *t;
	uint64_t seq;
	size_t	 blocks;
};

/* A journal: a later block for an address replaces the earlier one. */
static int
load_one(const struct lease *l, size_t end, void *arg)
{
	struct loadctx *c = arg;
	char rec[LEASE_REC_MAX];
	int n;

	c->blocks++;
	if ((n = lease_encode(l, rec, sizeof(rec))) < 0)
		return -1;
	return table_merge(c->t, l, rec, (size_t)n, ++c->seq) == -1 ? -1 : 0;
}

static int
is_csv(const char *buf, size_t len)
{
	return len >= 8 && memcmp(buf, "address,", 8) == 0;
}

/*
 * The local server's format: Kea's by a ".csv" name or a Kea header in
 * the file, dhcpd's otherwise (an empty or missing dhcpd.leases).
 */
static int
leases_format_of(const char *path)
{
	size_t n = strlen(path);
	char head[8];
	FILE *f;

	if (n > 4 && strcmp(path + n - 4, ".csv") == 0)
		return DS_FMT_KEA;
	if ((f = fopen(path, "re")) == NULL)
		return DS_FMT_DHCPD;
	n = fread(head, 1, sizeof(head), f);
	fclose(f);
	return is_csv(head, n) ? DS_FMT_KEA : DS_FMT_DHCPD;
}

static int
load_file(const char *path, struct table *t, int *csv, size_t *blocks)
{
	struct loadctx c = { t, 0, 0 };
	char err[512];
	size_t len, used;
	char *buf;
	int rc, lines;

	if ((buf = slurp(path, &len)) == NULL) {
		log_warn("%s", path);
		return -1;
	}
	*csv = is_csv(buf, len);
	if (*csv)
		rc = csv_parse(buf, len, path, load_one, &c, err, sizeof(err));
	else
		rc = leases_parse(buf, len, path, 1, 1, load_one, NULL, &c, &used,
		    &lines, err, sizeof(err));
	free(buf);
	if (rc == -1)
		log_warnx("%s", err);
	*blocks = c.blocks;
	return rc;
}

static int
cmd_check(int argc, char **argv)
{
	struct table t;
	size_t blocks;
	int csv;

	if (argc != 1) {
		usage(stderr);
		return EXIT_USAGE;
	}
	if (table_init(&t) == -1 || load_file(argv[0], &t, &csv, &blocks))
		return 1;
	printf("ok format=%s leases=%zu blocks=%zu\n", csv ? "kea" : "dhcpd",
	    t.t_n, blocks);
	table_free(&t);
	return 0;
}

struct convctx {
	int	 kea;
	uint32_t subnet;
	FILE	*out;
	int	 failed;
};

static int
conv_one(const struct entry *e, void *arg)
{
	struct convctx *c = arg;
	char text[LEASES_TEXT_MAX], err[128];
	struct lease l;
	int n;

	if (lease_decode(e->e_rec, e->e_len, &l, err, sizeof(err)) == -1)
		return -1;
	n = c->kea ? csv_format(&l, c->subnet, text, sizeof(text)) :
	    leases_format(&l, text, sizeof(text));
	if (n < 0)
		return -1;
	if (n > 0 && fwrite(text, 1, (size_t)n, c->out) != (size_t)n)
		return -1;
	return 0;
}

static int
cmd_convert(int argc, char **argv, const char *to, uint32_t subnet)
{
	struct convctx c = { 0, subnet, stdout, 0 };
	struct atomicfile af;
	struct table t;
	size_t blocks;
	int csv, fd = -1;

	if (argc < 1 || argc > 2) {
		usage(stderr);
		return EXIT_USAGE;
	}
	if (table_init(&t) == -1 || load_file(argv[0], &t, &csv, &blocks))
		return 1;
	c.kea = to ? strcmp(to, "kea") == 0 : !csv;
	if (argc == 2 && strcmp(argv[1], "-") != 0) {
		if ((fd = atomicfile_open(&af, argv[1], 0644)) == -1 ||
		    (c.out = fdopen(dup(fd), "w")) == NULL) {
			log_warn("%s", argv[1]);
			return 1;
		}
	}
	fputs(c.kea ? csv_header() : leases_header(), c.out);
	if (table_walk(&t, conv_one, &c) != 0 || fflush(c.out) == EOF ||
	    (fd != -1 && fclose(c.out) == EOF)) {
		log_warnx("convert: write failed");
		if (fd != -1)
			atomicfile_abort(&af);
		return 1;
	}
	if (fd != -1 && atomicfile_commit(&af) == -1) {
		log_warn("%s", argv[1]);
		return 1;
	}
	log_info("converted %zu leases to %s", t.t_n, c.kea ? "kea" : "dhcpd");
	table_free(&t);
	return 0;
}

static void
signal_cb(evutil_socket_t sig, short what, void *arg)
{
	struct ds *ds = arg;

	switch (sig) {
	case SIGTERM:
	case SIGINT:
		log_info("stopping");
		notify_stopping();
		ds->ds_exit = ds->ds_once ? 1 : 0;
		event_base_loopexit(ds->ds_base, NULL);
		break;
	case SIGHUP:
		log_info("SIGHUP: nothing to reload");
		break;
	case SIGUSR1:
		log_info("leases=%zu peer=%s sent=%" PRIu64 " acked=%" PRIu64
		    " received=%" PRIu64, ds->ds_tab.t_n, ds->ds_hello ? "up" :
		    "down", ds->ds_sent, ds->ds_peer_acked, ds->ds_ack);
		break;
	}
}

static void
tick_cb(evutil_socket_t fd, short what, void *arg)
{
	session_tick(arg);
}

static void
timeout_cb(evutil_socket_t fd, short what, void *arg)
{
	struct ds *ds = arg;

	log_warnx("wait-synced: not synced within the timeout");
	ds->ds_exit = 1;
	event_base_loopexit(ds->ds_base, NULL);
}

/*
 * --hello-timeout: a peer that takes the connection and says nothing is
 * frozen or gone; waiting out --timeout for it only keeps dhcpd down.
 */
static void
hello_timeout_cb(evutil_socket_t fd, short what, void *arg)
{
	struct ds *ds = arg;

	if (ds->ds_hello)
		return;
	log_warnx("wait-synced: the peer did not answer within the hello "
	    "timeout");
	ds->ds_exit = 1;
	event_base_loopexit(ds->ds_base, NULL);
}

#define MAX_LEASES_DEFAULT	1000000
#define MAX_LEASES_MAX		100000000

static void
subnets_warn(void *arg, const char *msg)
{
	log_warnx("%s", msg);
}

/* --subnets-from FILE: every subnet declaration of a dhcpd.conf. */
static int
subnets_from(struct ds *ds, const char *path)
{
	char err[512], *buf;
	size_t len;
	int n;

	if ((buf = slurp(path, &len)) == NULL) {
		log_warn("--subnets-from %s", path);
		return -1;
	}
	n = subnets_parse_conf(&ds->ds_subnets, buf, len, path, subnets_warn,
	    NULL, err, sizeof(err));
	free(buf);
	if (n == -1)
		log_warnx("%s", err);
	else if (n == 0)
		log_warnx("%s: no subnet declarations: every peer lease "
		    "would be refused", path);
	else
		log_info("%s: %d subnet(s) accepted from the peer", path, n);
	return n > 0 ? 0 : -1;
}

/*
 * The lease file is ours alone, or another dhcpsync keeps it: then
 * wait-synced waits for that one to be synced, anything else refuses.
 * -1 to go on; otherwise the exit status.
 */
static int
main_lock(struct ds *ds)
{
	long pid;

	switch (lock_take(ds, &pid)) {
	case 0:
		return -1;
	case 1:
		break;
	default:
		return EXIT_RUNTIME;
	}
	if (!ds->ds_once) {
		log_warnx("%s: dhcpsync (pid %ld) keeps it already: two would "
		    "undo each other's writes", ds->ds_leases, pid);
		return EXIT_RUNTIME;
	}
	switch (lock_wait_holder(ds, pid)) {
	case 0:
		return EXIT_CLEAN;
	case 1:
		return -1;
	default:
		return EXIT_RUNTIME;
	}
}

static int
run(struct ds *ds, const char *pidfile)
{
	static const int sigs[] = { SIGTERM, SIGINT, SIGHUP, SIGUSR1 };
	struct timeval one = { 1, 0 }, tv;
	struct event_config *cfg;
	struct event *ev;
	size_t i;
	int rc;

	signal(SIGPIPE, SIG_IGN);
	/* a lease break while we probe (follow_server_running) is no news */
	signal(SIGIO, SIG_IGN);
	if (ds->ds_mode != DS_SEND && (rc = main_lock(ds)) != -1)
		return rc;
	if (store_state_load(ds) == -1)
		return EXIT_RUNTIME;
	ds->ds_rx = ds->ds_ack;		/* a commit before any HELLO keeps it */
	if (table_init(&ds->ds_tab) == -1 || (cfg = event_config_new()) == NULL)
		fatal(EXIT_RUNTIME, "init");
	ds->ds_tab.t_max = ds->ds_max_leases;
	/* stdin/stdout may be plain files, which epoll refuses; poll takes them */
	if (ds->ds_stdio)
		event_config_avoid_method(cfg, "epoll");
	if ((ds->ds_base = event_base_new_with_config(cfg)) == NULL)
		fatal(EXIT_RUNTIME, "event base");
	event_config_free(cfg);
	/*
	 * The protocol keeps stdout and event lines move to stderr before
	 * the first lease is read: reading may report (skipped ...).
	 */
	ds->ds_ofd = -1;
	if (ds->ds_stdio && ds->ds_mode != DS_RECV &&
	    ((ds->ds_ofd = fcntl(1, F_DUPFD_CLOEXEC, 3)) == -1 ||
	    dup2(2, 1) == -1))
		fatal(EXIT_RUNTIME, "stdout");
	if (store_init(ds) == -1 || follow_init(ds) == -1)
		return EXIT_RUNTIME;
	/* records held by an earlier run: in now, unless dhcpd runs */
	if (ds->ds_fmt == DS_FMT_DHCPD && ds->ds_mode != DS_SEND) {
		if (journal_load(ds) == -1)
			return EXIT_RUNTIME;
		store_server_closed(ds);
	}
	log_info("%s: %zu leases", ds->ds_leases, ds->ds_tab.t_n);
	if (control_init(ds) == -1 || metrics_init(ds) == -1 ||
	    user_drop(ds) == -1 || transport_start(ds) == -1)
		return EXIT_RUNTIME;
	for (i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++) {
		ev = evsignal_new(ds->ds_base, sigs[i], signal_cb, ds);
		if (ev == NULL || event_add(ev, NULL) == -1)
			fatal(EXIT_RUNTIME, "signal");
	}
	ds->ds_tick_ev = event_new(ds->ds_base, -1, EV_PERSIST, tick_cb, ds);
	event_add(ds->ds_tick_ev, &one);
	if (ds->ds_once && ds->ds_timeout_usec) {
		tv = duration_tv(ds->ds_timeout_usec);
		ds->ds_timeout_ev = evtimer_new(ds->ds_base, timeout_cb, ds);
		evtimer_add(ds->ds_timeout_ev, &tv);
	}
	if (ds->ds_once && ds->ds_hello_usec) {
		tv = duration_tv(ds->ds_hello_usec);
		ds->ds_hello_ev = evtimer_new(ds->ds_base, hello_timeout_cb,
		    ds);
		evtimer_add(ds->ds_hello_ev, &tv);
	}
	if (pidfile && pidfile_write(pidfile) == -1)
		fatal(EXIT_RUNTIME, "%s", pidfile);
	notify_ready(ds->ds_readyfd);
	notify_status("%zu leases", ds->ds_tab.t_n);
	ds->ds_exit = ds->ds_once ? 1 : 0;
	event_base_dispatch(ds->ds_base);
	ctlsock_close(ds->ds_ctl);
	metrics_close(ds);
	if (ds->ds_lst != NULL)
		(void)unlink(ds->ds_listen);	/* nobody answers there now */
	/* a stop between a merge and its commit: commit now, not half */
	if (ds->ds_dirty && ds->ds_fmt == DS_FMT_KEA)
		ds->ds_dirty = 0;	/* Kea has it: applied before merged */
	if (ds->ds_dirty && store_flush(ds) == 0)
		ds->ds_dirty = 0;
	/* not on disk, so not acknowledged: the peer sends them again */
	if (ds->ds_dirty) {
		log_warnx("%s: stopping with the peer's last records not "
		    "written", ds->ds_leases);
		ds->ds_exit = EXIT_RUNTIME;
	}
	if (!ds->ds_dirty && ds->ds_rx != ds->ds_ack) {
		ds->ds_ack = ds->ds_rx;
		store_state_save(ds);
	}
	if (ds->ds_child > 0)
		transport_down(ds);
	return ds->ds_exit;
}

/*
 * send FILE, recv FILE: the file is the argument (or --leases); the link
 * is the pipe we are in, so the other links and a state file make no
 * sense here.
 */
static int
oneway_args(struct ds *ds, const char *statep, int argc, char **argv)
{
	if (argc > 1 || (argc == 1) == (ds->ds_leases != NULL)) {
		fprintf(stderr, "dhcpsync: %s: one lease file, please\n",
		    ds->ds_mode == DS_SEND ? "send" : "recv");
		return -1;
	}
	if (argc == 1)
		ds->ds_leases = argv[0];
	if (ds->ds_peercmd || ds->ds_listen || ds->ds_connect || statep) {
		fprintf(stderr, "dhcpsync: %s runs in a pipe: no --peer, "
		    "--listen, --connect or --state\n", ds->ds_mode ==
		    DS_SEND ? "send" : "recv");
		return -1;
	}
	return 0;
}

int
main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "leases",	required_argument, NULL, 'l' },
		{ "state",	required_argument, NULL, 's' },
		{ "peer",	required_argument, NULL, 'p' },
		{ "listen",	required_argument, NULL, 'L' },
		{ "connect",	required_argument, NULL, 'C' },
		{ "retry",	required_argument, NULL, 'r' },
		{ "timeout",	required_argument, NULL, 't' },
		{ "hello-timeout", required_argument, NULL, 'H' },
		{ "control",	required_argument, NULL, 'c' },
		{ "metrics",	required_argument, NULL, 'O' },
		{ "json",	no_argument,	   NULL, 'j' },
		{ "ready-fd",	required_argument, NULL, 'R' },
		{ "pidfile",	required_argument, NULL, 'P' },
		{ "syslog",	no_argument,	   NULL, 'S' },
		{ "to",		required_argument, NULL, 'T' },
		{ "subnet-id",	required_argument, NULL, 'N' },
		{ "kea-socket",	required_argument, NULL, 'K' },
		{ "max-skew",	required_argument, NULL, 'W' },
		{ "max-leases",	required_argument, NULL, 'M' },
		{ "subnet",	required_argument, NULL, 'B' },
		{ "subnets-from", required_argument, NULL, 'F' },
		{ "user",	required_argument, NULL, 'u' },
		{ "verbose",	no_argument,	   NULL, 'v' },
		{ "help",	no_argument,	   NULL, 'h' },
		{ "version",	no_argument,	   NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	static struct ds ds;
	const char *pidfile = NULL, *to = NULL, *cmd = NULL, *statep = NULL;
	unsigned long subnet = 0;	/* 0: not given */
	const char *subnets_file = NULL;
	unsigned long ul;
	uint64_t usec;
	int ch, verbose = 0, json = 0, sys = 0, n;
	char *end, err[256];
	struct sockaddr_storage ss;	/* --metrics, checked */
	socklen_t sslen;

	ds.ds_retry_usec = 1000000;
	ds.ds_max_skew = 60;
	ds.ds_max_leases = MAX_LEASES_DEFAULT;
	ds.ds_readyfd = -1;
	ds.ds_lfd = ds.ds_ifd = -1;
	if (argc > 1 && argv[1][0] != '-') {
		cmd = argv[1];
		argv++;
		argc--;
	}
	while ((ch = getopt_long(argc, argv, "l:s:p:r:t:c:u:jvhV", opts, NULL))
	    != -1) {
		switch (ch) {
		case 'l': ds.ds_leases = optarg; break;
		case 's': statep = optarg; break;
		case 'p': ds.ds_peercmd = optarg; break;
		case 'L': ds.ds_listen = optarg; break;
		case 'C': ds.ds_connect = optarg; break;
		case 'c': ds.ds_control = optarg; break;
		case 'O':
			if (promhttp_addr(optarg, &ss, &sslen, err,
			    sizeof(err)) == -1) {
				fprintf(stderr, "dhcpsync: --metrics %s\n", err);
				return EXIT_USAGE;
			}
			ds.ds_metrics_addr = optarg;
			break;
		case 'j': json = 1; break;
		case 'P': pidfile = optarg; break;
		case 'S': sys = 1; break;
		case 'T': to = optarg; break;
		case 'K': ds.ds_kea = optarg; break;
		case 'u': ds.ds_user = optarg; break;
		case 'v': verbose++; break;
		case 'r':
		case 't':
			if (duration_parse(optarg, ch == 'r' ?
			    &ds.ds_retry_usec : &ds.ds_timeout_usec) == -1) {
				fprintf(stderr, "dhcpsync: --%s \"%s\": not a "
				    "duration\n", ch == 'r' ? "retry" :
				    "timeout", optarg);
				return EXIT_USAGE;
			}
			break;
		case 'H':
			if (duration_parse(optarg, &ds.ds_hello_usec) == -1 ||
			    ds.ds_hello_usec == 0) {
				fprintf(stderr, "dhcpsync: --hello-timeout "
				    "\"%s\": not a duration\n", optarg);
				return EXIT_USAGE;
			}
			break;
		case 'W':
			if (duration_parse(optarg, &usec) == -1) {
				fprintf(stderr, "dhcpsync: --max-skew \"%s\": "
				    "not a duration\n", optarg);
				return EXIT_USAGE;
			}
			ds.ds_max_skew = (int64_t)(usec / 1000000);
			break;
		case 'M':
			errno = 0;
			ul = strtoul(optarg, &end, 10);
			if (errno || *end || optarg[0] < '0' || optarg[0] > '9' ||
			    ul == 0 || ul > MAX_LEASES_MAX) {
				fprintf(stderr, "dhcpsync: --max-leases \"%s\": "
				    "not a number 1..%d\n", optarg,
				    MAX_LEASES_MAX);
				return EXIT_USAGE;
			}
			ds.ds_max_leases = ul;
			break;
		case 'B':
			if (subnets_add_cidr(&ds.ds_subnets, optarg, err,
			    sizeof(err)) == -1) {
				fprintf(stderr, "dhcpsync: --subnet %s\n", err);
				return EXIT_USAGE;
			}
			break;
		case 'F':
			subnets_file = optarg;
			break;
		case 'R':
			if ((ds.ds_readyfd = notify_readyfd_parse(optarg)) < 0) {
				fprintf(stderr, "dhcpsync: --ready-fd \"%s\": "
				    "not an open fd >= 3\n", optarg);
				return EXIT_USAGE;
			}
			break;
		case 'N':
			errno = 0;
			subnet = strtoul(optarg, &end, 10);
			if (errno || *end || subnet == 0 || subnet > 0xffffffffu) {
				fprintf(stderr, "dhcpsync: --subnet-id \"%s\": "
				    "not a number 1..4294967295\n", optarg);
				return EXIT_USAGE;
			}
			break;
		case 'h':
			usage(stdout);
			return 0;
		case 'V':
			ht_version("dhcpsync");
			return 0;
		default:
			usage(stderr);
			return EXIT_USAGE;
		}
	}
	argc -= optind;
	argv += optind;
	log_init("dhcpsync", sys);
	log_setverbose(verbose);
	event_init(json);
	if (to && strcmp(to, "kea") != 0 && strcmp(to, "dhcpd") != 0) {
		fprintf(stderr, "dhcpsync: --to \"%s\": should be dhcpd or "
		    "kea\n", to);
		return EXIT_USAGE;
	}
	if (cmd && strcmp(cmd, "check") == 0)
		return cmd_check(argc, argv);
	if (cmd && strcmp(cmd, "convert") == 0)
		return cmd_convert(argc, argv, to, subnet ? (uint32_t)subnet :
		    1);
	if (cmd && strcmp(cmd, "wait-synced") == 0)
		ds.ds_once = 1;
	else if (cmd && (strcmp(cmd, "send") == 0 || strcmp(cmd, "recv") == 0)) {
		ds.ds_mode = cmd[0] == 's' ? DS_SEND : DS_RECV;
		if (oneway_args(&ds, statep, argc, argv) == -1) {
			usage(stderr);
			return EXIT_USAGE;
		}
		argc = 0;
	}
	else if (cmd) {
		fprintf(stderr, "dhcpsync: unknown command \"%s\"\n", cmd);
		usage(stderr);
		return EXIT_USAGE;
	}
	if (argc != 0 || ds.ds_leases == NULL) {
		fprintf(stderr, "dhcpsync: %s\n", argc ? "unexpected argument"
		    : "--leases FILE is required");
		usage(stderr);
		return EXIT_USAGE;
	}
	if (!!ds.ds_peercmd + !!ds.ds_listen + !!ds.ds_connect > 1) {
		fprintf(stderr, "dhcpsync: --peer, --listen and --connect "
		    "exclude each other\n");
		return EXIT_USAGE;
	}
	if (ds.ds_kea && ds.ds_mode == DS_SEND) {
		fprintf(stderr, "dhcpsync: --kea-socket: send applies "
		    "nothing\n");
		return EXIT_USAGE;
	}
	ds.ds_fmt = leases_format_of(ds.ds_leases);
	if (ds.ds_fmt == DS_FMT_KEA && !ds.ds_kea && ds.ds_mode != DS_SEND) {
		fprintf(stderr, "dhcpsync: %s is Kea's: what the peer sends "
		    "goes to Kea with --kea-socket\n", ds.ds_leases);
		return EXIT_USAGE;
	}
	if (subnets_file && subnets_from(&ds, subnets_file) == -1)
		return EXIT_USAGE;
	if (ds.ds_subnets.ss_n > 0 && ds.ds_mode == DS_SEND) {
		fprintf(stderr, "dhcpsync: --subnet, --subnets-from: send "
		    "applies nothing\n");
		return EXIT_USAGE;
	}
	ds.ds_kea_subnet = (uint32_t)subnet;
	ds.ds_stdio = !ds.ds_peercmd && !ds.ds_listen && !ds.ds_connect;
	n = snprintf(ds.ds_state, sizeof(ds.ds_state), "%s",
	    statep ? statep : ds.ds_leases);
	if (!statep)
		n = snprintf(ds.ds_state, sizeof(ds.ds_state), "%s.dhcpsync",
		    ds.ds_leases);
	if (n < 0 || (size_t)n >= sizeof(ds.ds_state)) {
		fprintf(stderr, "dhcpsync: state path too long\n");
		return EXIT_USAGE;
	}
	return run(&ds, pidfile);
}
