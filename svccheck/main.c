/* SPDX-License-Identifier: ISC */
/*
 * svccheck: is a service running?  The drop-in for "killall -0 NAME" in a
 * keepalived vrrp_script, with exact names, zombies counted as dead, and
 * the stronger checks (--exe, --pidfile, --user, --listen); --watch prints
 * every change as it happens, from the kernel's process events.
 */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <pwd.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <unistd.h>

#include "duration.h"
#include "evline.h"
#include "hatools.h"
#include "log.h"
#include "notify.h"
#include "plugin.h"
#include "svccheck.h"

#define MAIN_MAXCOND	256	/* scan.c's bound */

enum {
	OPT_READYFD = 256,
	OPT_SYSLOG,
	OPT_WATCH,
	OPT_PIDFILE,
};

static const struct option main_opts[] = {
	{ "any",	no_argument,		NULL, 'a' },
	{ "critical",	required_argument,	NULL, 'c' },
	{ "exe",	required_argument,	NULL, 'e' },
	{ "help",	no_argument,		NULL, 'h' },
	{ "json",	no_argument,		NULL, 'j' },
	{ "listen",	required_argument,	NULL, 'l' },
	{ "nagios",	no_argument,		NULL, 'n' },
	{ "own",	no_argument,		NULL, 'o' },
	{ "pidfile",	required_argument,	NULL, OPT_PIDFILE },
	{ "quiet",	no_argument,		NULL, 'q' },
	{ "ready-fd",	required_argument,	NULL, OPT_READYFD },
	{ "syslog",	no_argument,		NULL, OPT_SYSLOG },
	{ "rescan",	required_argument,	NULL, 'r' },
	{ "timeout",	required_argument,	NULL, 't' },
	{ "user",	required_argument,	NULL, 'u' },
	{ "verbose",	no_argument,		NULL, 'v' },
	{ "version",	no_argument,		NULL, 'V' },
	{ "warning",	required_argument,	NULL, 'w' },
	{ "watch",	no_argument,		NULL, OPT_WATCH },
	{ NULL,		0,			NULL, 0 }
};

static void
main_usage(FILE *f)
{
	fprintf(f,
"usage: svccheck [-aqjnv] [-e PATH] [--pidfile FILE] [-u USER]\n"
"                [-l [ADDR:]PORT[/udp]] [-w RANGE] [-c RANGE] [-t DUR] NAME...\n"
"       svccheck --watch [-qjv] [-e PATH] [-u USER] [-r DURATION]\n"
"                [--ready-fd N] NAME...\n"
"Exit 0 when a live process of every NAME runs, 1 when one does not,\n"
"2 on a usage or system error (as killall -0).\n"
"  -a, --any            one of the conditions is enough\n"
"  -e, --exe PATH       the process runs the file PATH (/proc/PID/exe)\n"
"      --pidfile FILE   the process is the one FILE names\n"
"  -u, --user USER      the process belongs to USER\n"
"  -l, --listen SPEC    a socket listens on [ADDR:]PORT[/tcp|/udp]\n"
"  -o, --own            --listen: a matched process holds the socket\n"
"  -q, --quiet          no event lines\n"
"  -j, --json           event lines as JSON\n"
"  -n, --nagios         monitoring-plugin line and exit codes (0-3)\n"
"  -c, --critical RANGE each count must be in RANGE (default 1:)\n"
"  -w, --warning RANGE  --nagios: WARNING when a count is outside RANGE\n"
"  -t, --timeout DUR[:STATE]  give up after DUR (UNKNOWN, or STATE)\n"
"      --watch          print up/down lines on every change until killed\n"
"  -r, --rescan DUR     --watch: full rescan period (default 30s, 0: off)\n"
"      --ready-fd N     --watch: write a newline to fd N once ready\n"
"      --syslog         diagnostics to syslog instead of stderr\n"
"  -v, --verbose        debug messages on stderr\n"
"  -h, --help           this help\n"
"  -V, --version        the version\n");
}

/* A usage error: exit 2, or UNKNOWN (3) for a monitoring plugin. */
static void __attribute__((noreturn, format(printf, 2, 3)))
main_badusage(const struct svc *sv, const char *fmt, ...)
{
	va_list ap;
	char msg[512];

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (sv->sv_nagios) {
		printf("SVCCHECK UNKNOWN - %s\n", msg);
		fflush(stdout);
	}
	log_warnx("%s", msg);
	if (!sv->sv_nagios)
		fprintf(stderr, "Try 'svccheck --help'.\n");
	exit(sv->sv_nagios ? PLUGIN_UNKNOWN : SVC_ERROR);
}

/* Written before the alarm is set: a signal handler only writes it. */
static char main_expired_line[128];
static size_t main_expired_len;
static int main_expired_code;
static int main_expired_fd;

static void
main_expired(int sig)
{
	ssize_t r;

	(void)sig;
	r = write(main_expired_fd, main_expired_line, main_expired_len);
	(void)r;
	_exit(main_expired_code);
}

/*
 * -t: the whole check's deadline.  /proc reads do not hang, but a
 * --pidfile on a dead NFS mount or a FIFO does; the plugin then answers
 * as the monitoring plugins do, with the state -t names.
 */
static void
main_deadline(const struct svc *sv)
{
	struct itimerval it;
	char d[32];
	int n;

	if (sv->sv_timeout == 0)
		return;
	duration_format(sv->sv_timeout, d, sizeof(d));
	if (sv->sv_nagios)
		n = snprintf(main_expired_line, sizeof(main_expired_line),
		    "SVCCHECK %s - timed out after %s (-t)\n",
		    plugin_state[sv->sv_timeout_state], d);
	else
		n = snprintf(main_expired_line, sizeof(main_expired_line),
		    "svccheck: timed out after %s (-t)\n", d);
	main_expired_fd = sv->sv_nagios ? STDOUT_FILENO : STDERR_FILENO;
	main_expired_len = n > 0 ? (size_t)n : 0;
	main_expired_code = sv->sv_nagios ? sv->sv_timeout_state : SVC_ERROR;
	memset(&it, 0, sizeof(it));
	it.it_value = duration_tv(sv->sv_timeout);
	signal(SIGALRM, main_expired);
	setitimer(ITIMER_REAL, &it, NULL);
}

static struct cond *
main_addcond(struct svc *sv, enum cond_kind kind, const char *label)
{
	struct cond *c;

	if (sv->sv_nconds >= MAIN_MAXCOND)
		main_badusage(sv, "too many conditions (at most %d)",
		    MAIN_MAXCOND);
	c = &sv->sv_conds[sv->sv_nconds++];
	memset(c, 0, sizeof(*c));
	c->c_kind = kind;
	c->c_label = label;
	return c;
}

static void
main_user(struct svc *sv, const char *user)
{
	struct passwd *pw;
	char *end;
	unsigned long v;

	sv->sv_user = user;
	if ((pw = getpwnam(user)) != NULL) {
		sv->sv_uid = pw->pw_uid;
		return;
	}
	errno = 0;
	v = strtoul(user, &end, 10);
	if (*user == '\0' || *end != '\0' || errno || v >= (uid_t)-1)
		main_badusage(sv, "--user \"%s\": no such user", user);
	sv->sv_uid = (uid_t)v;
}

/* Every option's value checked here: all errors before any work. */
static void
main_options(struct svc *sv, int argc, char **argv)
{
	static struct cond conds[MAIN_MAXCOND];
	const char *listens[MAIN_MAXCOND];
	struct cond *c;
	char err[256];
	size_t nlisten = 0, i;
	int ch, rescan_set = 0;

	sv->sv_conds = conds;
	sv->sv_readyfd = -1;
	sv->sv_rescan = 30 * 1000000ULL;
	/* --nagios first, so that usage errors already answer UNKNOWN */
	for (i = 1; i < (size_t)argc && strcmp(argv[i], "--") != 0; i++)
		if (strcmp(argv[i], "--nagios") == 0 ||
		    strcmp(argv[i], "-n") == 0)
			sv->sv_nagios = 1;
	sv->sv_crit.r_lo = 1;		/* "1:", killall -0's question */
	sv->sv_crit.r_hi = INFINITY;
	while ((ch = getopt_long(argc, argv, "ac:e:hjl:not:qr:u:vVw:", main_opts,
	    NULL)) != -1) {
		switch (ch) {
		case 'c':
			if (range_parse(optarg, range_number, NULL,
			    &sv->sv_crit, err, sizeof(err)) == -1)
				main_badusage(sv, "--critical %s", err);
			sv->sv_crit_set = 1;
			break;
		case 'w':
			if (range_parse(optarg, range_number, NULL,
			    &sv->sv_warn, err, sizeof(err)) == -1)
				main_badusage(sv, "--warning %s", err);
			sv->sv_warn_set = 1;
			break;
		case 't':
			if (plugin_timeout(optarg, &sv->sv_timeout,
			    &sv->sv_timeout_state, err, sizeof(err)) == -1)
				main_badusage(sv, "--timeout %s", err);
			break;
		case 'a':
			sv->sv_any = 1;
			break;
		case 'e':
			if (optarg[0] != '/')
				main_badusage(sv, "--exe \"%s\": not an absolute "
				    "path", optarg);
			sv->sv_exe = optarg;
			break;
		case 'h':
			main_usage(stdout);
			exit(SVC_OK);
		case 'j':
			sv->sv_json = 1;
			break;
		case 'l':
			if (nlisten >= MAIN_MAXCOND)
				main_badusage(sv, "too many --listen");
			listens[nlisten++] = optarg;
			break;
		case 'n':
			sv->sv_nagios = 1;
			break;
		case 'o':
			sv->sv_own = 1;
			break;
		case OPT_PIDFILE:
			sv->sv_pidfile = optarg;
			break;
		case 'q':
			sv->sv_quiet = 1;
			break;
		case 'r':
			if (duration_parse(optarg, &sv->sv_rescan) == -1)
				main_badusage(sv, "--rescan \"%s\": not a "
				    "duration (500ms, 2s, 1m)", optarg);
			rescan_set = 1;
			break;
		case 'u':
			main_user(sv, optarg);
			break;
		case 'v':
			log_setverbose(log_getverbose() + 1);
			break;
		case 'V':
			ht_version("svccheck");
			exit(SVC_OK);
		case OPT_WATCH:
			sv->sv_watch = 1;
			break;
		case OPT_READYFD:
			if ((sv->sv_readyfd = notify_readyfd_parse(optarg)) == -1)
				main_badusage(sv, "--ready-fd \"%s\": not an "
				    "open file descriptor >= 3", optarg);
			break;
		case OPT_SYSLOG:
			log_init("svccheck", 1);
			break;
		default:
			main_badusage(sv, "bad option");
		}
	}
	for (i = (size_t)optind; i < (size_t)argc; i++) {
		if (argv[i][0] == '\0')
			main_badusage(sv, "an empty NAME");
		c = main_addcond(sv, COND_PROC, argv[i]);
		if (strchr(argv[i], '/')) {
			if (argv[i][0] != '/')
				main_badusage(sv, "NAME \"%s\": a path must be "
				    "absolute", argv[i]);
			c->c_exe = argv[i];
		} else
			c->c_name = argv[i];
		if (sv->sv_exe && c->c_exe == NULL)
			c->c_exe = sv->sv_exe;
	}
	if (sv->sv_exe && sv->sv_nconds == 0)
		main_addcond(sv, COND_PROC, sv->sv_exe)->c_exe = sv->sv_exe;
	if (sv->sv_pidfile && sv->sv_nconds == 0)
		main_badusage(sv, "--pidfile needs a NAME or --exe to match: "
		    "a bare pid may belong to another process by now");
	for (i = 0; i < nlisten; i++) {
		c = main_addcond(sv, COND_LISTEN, listens[i]);
		if (listen_parse(listens[i], strlen(listens[i]), &c->c_listen,
		    err, sizeof(err)) == -1)
			main_badusage(sv, "--listen \"%s\": %s", listens[i],
			    err);
	}
	if (sv->sv_nconds == 0)
		main_badusage(sv, "nothing to check: give a NAME, --exe PATH "
		    "or --listen PORT");
	if (sv->sv_own && (nlisten == 0 || sv->sv_nconds == nlisten))
		main_badusage(sv, "--own needs --listen and a NAME or --exe "
		    "whose processes hold the sockets");
	if (sv->sv_warn_set && !sv->sv_nagios)
		main_badusage(sv, "-w/--warning goes with --nagios (a check has"
		    " no warning state; -c/--critical decides it)");
	if (sv->sv_watch && (sv->sv_warn_set || sv->sv_crit_set ||
	    sv->sv_timeout))
		main_badusage(sv, "-w, -c and -t go with a one-shot check, not"
		    " --watch");
	if (!sv->sv_watch && (rescan_set || sv->sv_readyfd != -1))
		main_badusage(sv, "--rescan and --ready-fd go with --watch");
	if (sv->sv_watch && (nlisten || sv->sv_pidfile || sv->sv_nagios ||
	    sv->sv_any))
		main_badusage(sv, "--watch takes NAMEs, --exe and --user only "
		    "(not --listen, --pidfile, --nagios or --any)");
}

/* One answer: 0 holds, 1 does not, 2 could not tell. */
static int
main_check(struct svc *sv)
{
	struct inoset own = { NULL, 0, 0 };
	struct cond *c;
	size_t i, nproc = 0;
	unsigned denied = 0;
	int n, holds, unsure = 0;

	for (i = 0; i < sv->sv_nconds; i++)
		nproc += sv->sv_conds[i].c_kind == COND_PROC;
	if (nproc > 0 && (scan_open(sv) == -1 || scan_all(sv) == -1))
		return -1;
	if (sv->sv_own && scan_sockets(sv, &own, &denied) == -1) {
		log_warn("--own: reading /proc/PID/fd");
		return -1;
	}
	for (i = 0; i < sv->sv_nconds; i++) {
		c = &sv->sv_conds[i];
		if (c->c_kind != COND_LISTEN)
			continue;
		if ((n = listen_query(&c->c_listen, sv->sv_own ? &own :
		    NULL)) == -1)
			return -1;
		c->c_count = (unsigned)n;
		c->c_denied = denied;
	}
	inoset_free(&own);
	holds = report_holds(sv);
	for (i = 0; i < sv->sv_nconds; i++) {
		c = &sv->sv_conds[i];
		report_cond(sv, c);
		unsure |= c->c_count == 0 && c->c_denied > 0;
	}
	if (!holds && unsure) {
		log_warnx("some processes could not be checked: the answer "
		    "is unknown");
		return -1;
	}
	if (sv->sv_nagios)
		return report_nagios(sv);
	return holds ? SVC_OK : SVC_DOWN;
}

int
main(int argc, char **argv)
{
	struct svc sv;
	int rc;

	memset(&sv, 0, sizeof(sv));
	log_init(argv[0], 0);
	main_options(&sv, argc, argv);
	evline_init(sv.sv_json);
	sv.sv_self = getpid();
	if (sv.sv_watch)
		return watch_run(&sv);
	main_deadline(&sv);
	if ((rc = main_check(&sv)) == -1) {
		if (sv.sv_nagios) {
			printf("SVCCHECK UNKNOWN - could not check (see "
			    "stderr)\n");
			return PLUGIN_UNKNOWN;
		}
		return SVC_ERROR;
	}
	return rc;
}
