/* SPDX-License-Identifier: ISC */
/*
 * svccheck's command line: every option's value checked here, all errors
 * before any work.  A usage error exits 2, or answers UNKNOWN (3) as a
 * monitoring plugin does once --nagios is given.
 */
#include <getopt.h>
#include <math.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "args.h"
#include "duration.h"
#include "hatools.h"
#include "log.h"
#include "notify.h"
#include "opt.h"
#include "plugin.h"
#include "strnum.h"
#include "svccheck.h"
#include "usage.h"

#define ARGS_MAXCOND	256	/* scan.c's bound */
#define ARGS_PLUGIN	"SVCCHECK UNKNOWN - "

enum {
	OPT_WATCH = OPT_OWN,
};

/* --pidfile and --user (-u) pick the processes to check. */
static const struct option args_opts[] = {
	{ "any",	no_argument,		NULL, 'a' },
	{ "critical",	required_argument,	NULL, 'c' },
	{ "exe",	required_argument,	NULL, 'e' },
	{ "listen",	required_argument,	NULL, 'l' },
	{ "nagios",	no_argument,		NULL, 'n' },
	{ "own",	no_argument,		NULL, 'o' },
	{ "quiet",	no_argument,		NULL, 'q' },
	{ "rescan",	required_argument,	NULL, 'r' },
	{ "timeout",	required_argument,	NULL, 't' },
	{ "warning",	required_argument,	NULL, 'w' },
	{ "watch",	no_argument,		NULL, OPT_WATCH },
	OPT_DAEMON_LONGOPTS,
	{ NULL,		0,			NULL, 0 }
};

/* What the options say that the checks after the loop need. */
struct args_seen {
	const char	*as_listens[ARGS_MAXCOND];
	size_t		 as_nlisten;
	int		 as_rescan_set;
};

static void
args_usage(FILE *f)
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

static void
args_nagios(struct svc *sv)
{
	sv->sv_nagios = 1;
	usage_setup(PLUGIN_UNKNOWN, ARGS_PLUGIN);
}

static struct cond *
args_addcond(struct svc *sv, enum cond_kind kind, const char *label)
{
	struct cond *c;

	if (sv->sv_nconds >= ARGS_MAXCOND)
		usage_error("too many conditions (at most %d)", ARGS_MAXCOND);
	c = &sv->sv_conds[sv->sv_nconds++];
	memset(c, 0, sizeof(*c));
	c->c_kind = kind;
	c->c_label = label;
	return c;
}

/* A name, else a number below (uid_t)-1, which means "no uid". */
static void
args_user(struct svc *sv, const char *user)
{
	struct passwd *pw;
	const char *errstr;
	long long v;

	sv->sv_user = user;
	if ((pw = getpwnam(user)) != NULL) {
		sv->sv_uid = pw->pw_uid;
		return;
	}
	v = strnum(user, 0, (long long)(uid_t)-1 - 1, &errstr);
	if (errstr != NULL)
		usage_error("--user \"%s\": no such user", user);
	sv->sv_uid = (uid_t)v;
}

/* -c or -w: a count's RANGE, remembered as given. */
static void
args_range(const char *opt, const char *arg, struct range *r, int *set)
{
	char err[256];

	if (range_parse(arg, range_number, NULL, r, err, sizeof(err)) == -1)
		usage_error("--%s %s", opt, err);
	*set = 1;
}

/* The plugin's options: -c, -w, -t. */
static void
args_plugin(struct svc *sv, int ch, const char *arg)
{
	char err[256];

	switch (ch) {
	case 'c':
		args_range("critical", arg, &sv->sv_crit, &sv->sv_crit_set);
		break;
	case 'w':
		args_range("warning", arg, &sv->sv_warn, &sv->sv_warn_set);
		break;
	case 't':
		if (plugin_timeout(arg, &sv->sv_timeout,
		    &sv->sv_timeout_state, err, sizeof(err)) == -1)
			usage_error("--timeout %s", err);
		break;
	}
}

static void
args_one(struct svc *sv, struct args_seen *as, int ch, char *arg)
{
	switch (ch) {
	case 'c':
	case 'w':
	case 't':
		args_plugin(sv, ch, arg);
		break;
	case 'a':
		sv->sv_any = 1;
		break;
	case 'e':
		if (arg[0] != '/')
			usage_error("--exe \"%s\": not an absolute path", arg);
		sv->sv_exe = arg;
		break;
	case 'h':
	case 'V':
		exit(usage_standard(ch, "svccheck", args_usage));
	case 'j':
		sv->sv_json = 1;
		break;
	case 'l':
		if (as->as_nlisten >= ARGS_MAXCOND)
			usage_error("too many --listen");
		as->as_listens[as->as_nlisten++] = arg;
		break;
	case 'n':
		args_nagios(sv);
		break;
	case 'o':
		sv->sv_own = 1;
		break;
	case OPT_PIDFILE:
		sv->sv_pidfile = arg;
		break;
	case 'q':
		sv->sv_quiet = 1;
		break;
	case 'r':
		if (duration_parse(arg, &sv->sv_rescan) == -1)
			usage_error("--rescan \"%s\": not a duration (500ms, "
			    "2s, 1m)", arg);
		as->as_rescan_set = 1;
		break;
	case 'u':
	case OPT_USER:
		args_user(sv, arg);
		break;
	case 'v':
		log_setverbose(log_getverbose() + 1);
		break;
	case OPT_WATCH:
		sv->sv_watch = 1;
		break;
	case OPT_READYFD:
		if ((sv->sv_readyfd = notify_readyfd_parse(arg)) == -1)
			usage_error("--ready-fd \"%s\": not an open file "
			    "descriptor >= 3", arg);
		break;
	case OPT_SYSLOG:
		log_init("svccheck", 1);
		break;
	default:
		usage_error("bad option");
	}
}

/* NAMEs, then --exe alone, then the --listen specs: the conditions. */
static void
args_conds(struct svc *sv, const struct args_seen *as, int n, char **names)
{
	struct cond *c;
	char err[256];
	size_t i;
	int j;

	for (j = 0; j < n; j++) {
		if (names[j][0] == '\0')
			usage_error("an empty NAME");
		c = args_addcond(sv, COND_PROC, names[j]);
		/* relative to the current directory, as killall stats it */
		if (strchr(names[j], '/'))
			c->c_exe = names[j];
		else
			c->c_name = names[j];
		if (sv->sv_exe && c->c_exe == NULL)
			c->c_exe = sv->sv_exe;
	}
	if (sv->sv_exe && sv->sv_nconds == 0)
		args_addcond(sv, COND_PROC, sv->sv_exe)->c_exe = sv->sv_exe;
	if (sv->sv_pidfile && sv->sv_nconds == 0)
		usage_error("--pidfile needs a NAME or --exe to match: a bare "
		    "pid may belong to another process by now");
	for (i = 0; i < as->as_nlisten; i++) {
		c = args_addcond(sv, COND_LISTEN, as->as_listens[i]);
		if (listen_parse(as->as_listens[i], strlen(as->as_listens[i]),
		    &c->c_listen, err, sizeof(err)) == -1)
			usage_error("--listen \"%s\": %s", as->as_listens[i],
			    err);
	}
}

/* The options that go together, and those that do not. */
static void
args_check(const struct svc *sv, const struct args_seen *as)
{
	size_t nlisten = as->as_nlisten;

	if (sv->sv_nconds == 0)
		usage_error("nothing to check: give a NAME, --exe PATH or "
		    "--listen PORT");
	if (sv->sv_own && (nlisten == 0 || sv->sv_nconds == nlisten))
		usage_error("--own needs --listen and a NAME or --exe whose "
		    "processes hold the sockets");
	if (sv->sv_warn_set && !sv->sv_nagios)
		usage_error("-w/--warning goes with --nagios (a check has no "
		    "warning state; -c/--critical decides it)");
	if (sv->sv_watch && (sv->sv_warn_set || sv->sv_crit_set ||
	    sv->sv_timeout))
		usage_error("-w, -c and -t go with a one-shot check, not "
		    "--watch");
	if (!sv->sv_watch && (as->as_rescan_set || sv->sv_readyfd != -1))
		usage_error("--rescan and --ready-fd go with --watch");
	if (sv->sv_watch && (nlisten || sv->sv_pidfile || sv->sv_nagios ||
	    sv->sv_any))
		usage_error("--watch takes NAMEs, --exe and --user only (not "
		    "--listen, --pidfile, --nagios or --any)");
}

void
args_parse(struct svc *sv, int argc, char **argv)
{
	static struct cond conds[ARGS_MAXCOND];
	static struct args_seen as;
	int ch, i;

	sv->sv_conds = conds;
	sv->sv_readyfd = -1;
	sv->sv_rescan = 30 * 1000000ULL;
	usage_setup(SVC_ERROR, NULL);
	/* --nagios first, so that usage errors already answer UNKNOWN */
	for (i = 1; i < argc && strcmp(argv[i], "--") != 0; i++)
		if (strcmp(argv[i], "--nagios") == 0 ||
		    strcmp(argv[i], "-n") == 0)
			args_nagios(sv);
	sv->sv_crit.r_lo = 1;		/* "1:", killall -0's question */
	sv->sv_crit.r_hi = INFINITY;
	while ((ch = getopt_long(argc, argv, "ac:e:hjl:not:qr:u:vVw:",
	    args_opts, NULL)) != -1)
		args_one(sv, &as, ch, optarg);
	args_conds(sv, &as, argc - optind, argv + optind);
	args_check(sv, &as);
}

/*
 * Each path as /proc/PID/exe shows the file: /bin/sleep is /usr/bin/sleep
 * on a merged /usr, /usr/bin/java an alternatives link.  A path that no
 * longer resolves (removed by an upgrade) is kept as given; the event
 * lines keep naming it as given.  A relative one is resolved from the
 * current directory; if it does not resolve it matches nothing, as
 * killall's.
 */
void
args_resolve_exes(struct svc *sv)
{
	struct cond *c;
	char *real;
	size_t i;

	for (i = 0; i < sv->sv_nconds; i++) {
		c = &sv->sv_conds[i];
		if (c->c_exe && (real = realpath(c->c_exe, NULL)) != NULL)
			c->c_exe = real;
	}
}
