/* SPDX-License-Identifier: ISC */
/*
 * The global section: what it sets (maxconn, nbthread, user, the stats
 * socket, environment variables) and, in one sorted table, what the
 * rest of haproxy's global keywords mean to a L4 proxy.
 */
#include <grp.h>
#include <limits.h>
#include <pwd.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "config-parser.h"
#include "strnum.h"

#define PROCESS	"process management belongs to the supervisor"
#define LOGGING	"hashproxy logs to stderr or with --syslog"
#define NOTLSTERM	"no TLS termination at L4"

static void
global_maxconn(struct cf_parser *p, int argc, char **argv)
{
	(void)config_arg_int(p, argc, argv, 1, 1000000, &p->p_cf->cf_maxconn,
	    "is not a number; ");
}

/*
 * strict-limits, haproxy 2.6's default: a maxconn the file limit cannot
 * hold stops the start; "no strict-limits" makes it a warning.
 */
static void
global_strict(struct cf_parser *p, int argc, char **argv)
{
	p->p_cf->cf_nostrict = 0;
}

/* maxconnrate, maxsessrate: 0 is haproxy's none */
static void
global_rate(struct cf_parser *p, int argc, char **argv)
{
	(void)config_arg_int(p, argc, argv, 0, INT_MAX,
	    strcmp(argv[0], "maxconnrate") == 0 ? &p->p_cf->cf_maxconnrate :
	    &p->p_cf->cf_maxsessrate, "accepts per second ");
}

/* what option external-check needs, as haproxy (which takes no argument) */
static void
global_extcheck(struct cf_parser *p, int argc, char **argv)
{
	if (argc != 1)
		config_msg(p, CF_ERROR, "external-check: no argument expected");
	else
		p->p_cf->cf_extcheck = 1;
}

static void
global_nbthread(struct cf_parser *p, int argc, char **argv)
{
	(void)config_arg_int(p, argc, argv, 1, HP_MAXTHREADS,
	    &p->p_cf->cf_nbthread, "is not a number; ");
}

/* the bound of the first checks' spread at start (check.c) */
static void
global_maxspread(struct cf_parser *p, int argc, char **argv)
{
	uint64_t usec;

	if (argv[1][0] == '\0' || config_duration(argv[1], &usec) == -1 ||
	    usec / 1000 > INT_MAX) {
		config_msg(p, CF_ERROR, "%s \"%s\": not a delay (0 ms, or "
		    "with a unit: us, ms, s, m, h, d; at most %d ms)", argv[0],
		    argv[1], INT_MAX);
		return;
	}
	p->p_cf->cf_maxspread = usec;
}

static void
global_user(struct cf_parser *p, int argc, char **argv)
{
	if (argc != 2 || config_copy(p->p_cf->cf_user,
	    sizeof(p->p_cf->cf_user), argv[1]) == -1)
		config_msg(p, CF_ERROR, "user: one name expected");
}

/* a user or group by name or number; -1 if unknown */
static long
global_id(const char *kw, const char *v)
{
	struct passwd *pw;
	struct group *gr;
	int n;

	if (strcmp(kw, "uid") == 0 || strcmp(kw, "gid") == 0)
		return config_int(v, 0, INT32_MAX, &n) == -1 ? -1 : n;
	if (strcmp(kw, "user") == 0)
		return (pw = getpwnam(v)) == NULL ? -1 : (long)pw->pw_uid;
	return (gr = getgrnam(v)) == NULL ? -1 : (long)gr->gr_gid;
}

/*
 * One "stats socket" option and its value; 0, or -1 reported.  Those
 * that shape who may do what are honoured; the ones that change
 * nothing here are warned about; the rest would change behaviour.
 */
static int
global_stats_opt(struct cf_parser *p, struct cf_statsock *ss,
    const char *kw, const char *v)
{
	static const char *harmless[] = { "expose-fd", "name", "nice",
	    "process", "thread" };
	const char *errstr;
	long long l;
	size_t i;

	if (v == NULL) {
		config_msg(p, CF_ERROR, "stats socket: '%s' expects a value",
		    kw);
		return -1;
	}
	if (strcmp(kw, "level") == 0) {
		ss->ss_level = strcmp(v, "user") == 0 ? CF_STATS_USER :
		    strcmp(v, "operator") == 0 ? CF_STATS_OPER :
		    strcmp(v, "admin") == 0 ? CF_STATS_ADMIN : 0;
		if (ss->ss_level == 0)
			config_msg(p, CF_ERROR, "stats socket: 'level' only "
			    "supports 'user', 'operator', and 'admin'");
		return ss->ss_level == 0 ? -1 : 0;
	}
	if (strcmp(kw, "mode") == 0) {
		l = strnum_base(v, 8, 0, 0777, &errstr);
		if (errstr != NULL) {
			config_msg(p, CF_ERROR, "stats socket: mode '%s': an "
			    "octal mode expected", v);
			return -1;
		}
		/* 0 asks for ctlsock's default: no mode 000 socket */
		ss->ss_mode = l == 0 ? 0 : (int)l;
		return 0;
	}
	if (strcmp(kw, "maxconn") == 0) {
		if (config_int(v, 1, 1000000, &ss->ss_maxconn) == 0)
			return 0;
		config_msg(p, CF_ERROR, "stats socket: maxconn '%s': a number "
		    "expected", v);
		return -1;
	}
	if (strcmp(kw, "uid") == 0 || strcmp(kw, "user") == 0 ||
	    strcmp(kw, "gid") == 0 || strcmp(kw, "group") == 0) {
		if ((l = global_id(kw, v)) == -1) {
			config_msg(p, CF_ERROR, "stats socket: unknown %s '%s'",
			    kw, v);
			return -1;
		}
		if (kw[0] == 'u')
			ss->ss_uid = l;
		else
			ss->ss_gid = l;
		return 0;
	}
	for (i = 0; i < sizeof(harmless) / sizeof(*harmless); i++)
		if (strcmp(kw, harmless[i]) == 0) {
			config_msg(p, CF_WARNING, "stats socket: '%s' ignored "
			    "(one process, one socket)", kw);
			return 0;
		}
	config_msg(p, CF_ERROR, "stats socket: '%s' is not supported by "
	    "hashproxy", kw);
	return -1;
}

/* "stats socket PATH [level L] [mode M] [uid|user U] [gid|group G] ..." */
static void
global_stats_socket(struct cf_parser *p, int argc, char **argv)
{
	struct cf_config *cf = p->p_cf;
	struct cf_statsock ss;
	int i;

	memset(&ss, 0, sizeof(ss));
	ss.ss_level = CF_STATS_OPER;	/* haproxy's default */
	ss.ss_uid = ss.ss_gid = -1;
	if (argc < 3 || strchr(argv[2], '@') != NULL || argv[2][0] != '/' ||
	    config_copy(ss.ss_path, sizeof(ss.ss_path), argv[2]) == -1) {
		config_msg(p, CF_ERROR, "stats socket: an absolute path of at "
		    "most %d bytes expected", CF_PATHLEN - 1);
		return;
	}
	for (i = 3; i < argc; i += 2)
		if (global_stats_opt(p, &ss, argv[i], i + 1 < argc ?
		    argv[i + 1] : NULL) == -1)
			return;
	for (i = 0; i < cf->cf_nstats; i++)
		if (strcmp(cf->cf_stats[i].ss_path, ss.ss_path) == 0) {
			config_msg(p, CF_ERROR, "stats socket: %s given twice",
			    ss.ss_path);
			return;
		}
	if (cf->cf_nstats == CF_MAXSTATS) {
		config_msg(p, CF_ERROR, "stats socket: at most %d sockets",
		    CF_MAXSTATS);
		return;
	}
	cf->cf_stats[cf->cf_nstats++] = ss;
	if (cf->cf_stats_socket[0] == '\0')
		memcpy(cf->cf_stats_socket, ss.ss_path, sizeof(ss.ss_path));
}

static void
global_stats(struct cf_parser *p, int argc, char **argv)
{
	struct cf_config *cf = p->p_cf;
	uint64_t usec;

	if (argc >= 2 && strcmp(argv[1], "socket") == 0)
		global_stats_socket(p, argc, argv);
	else if (argc >= 2 && strcmp(argv[1], "timeout") == 0) {
		if (argc != 3 || config_duration(argv[2], &usec) == -1 ||
		    usec < 1000 || usec / 1000 > 2147483647)
			/* haproxy's limit: its timers are int milliseconds */
			config_msg(p, CF_ERROR, "stats timeout: a duration "
			    "from 1ms to 2147483647ms (~24.8 days) expected");
		else
			cf->cf_stats_timeout = (int)(usec / 1000);
	} else if (argc >= 2 && strcmp(argv[1], "maxconn") == 0) {
		if (argc != 3 || config_int(argv[2], 1, 1000000,
		    &cf->cf_stats_maxconn) == -1)
			config_msg(p, CF_ERROR, "stats maxconn: a number "
			    "from 1 to 1000000 expected");
	} else
		config_msg(p, CF_NOTICE, "stats %s: ignored (%s)",
		    argc > 1 ? argv[1] : "", TUNING);
}

/* setenv/presetenv/resetenv/unsetenv: they feed later "${VAR}"s. */
static void
global_env(struct cf_parser *p, int argc, char **argv)
{
	int i;

	if (strcmp(argv[0], "unsetenv") == 0) {
		for (i = 1; i < argc; i++)
			unsetenv(argv[i]);
		return;
	}
	if (argc != 3 || argv[1][0] == '\0' || strchr(argv[1], '=')) {
		config_msg(p, CF_ERROR, "%s: NAME VALUE expected", argv[0]);
		return;
	}
	if (setenv(argv[1], argv[2], strcmp(argv[0], "setenv") == 0) == -1)
		config_msg(p, CF_ERROR, "%s: cannot set %s", argv[0], argv[1]);
}

/*
 * A flag takes no value, a setting one or two: haproxy 2.6 refuses the
 * others, so hashproxy does too, even for a word it ignores.
 */
static const struct cf_arity global_arities[] = {
	{ "busy-polling", 0, 0 },
	{ "ca-base", 1, 1 },
	{ "chroot", 1, 1 },
	{ "close-spread-time", 1, -1 },
	{ "cluster-secret", 1, 1 },
	{ "cpu-map", 2, -1 },
	{ "crt-base", 1, 1 },
	{ "daemon", 0, 0 },
	{ "default-path", 1, -1 },
	{ "description", 1, -1 },
	{ "fd-hard-limit", 1, 1 },
	{ "gid", 1, 1 },
	{ "grace", 1, -1 },
	{ "group", 1, 1 },
	{ "h1-accept-payload-with-any-method", 0, 0 },
	{ "h1-case-adjust", 2, -1 },
	{ "h1-case-adjust-file", 1, 1 },
	{ "h2-workaround-bogus-websocket-clients", 0, 0 },
	{ "insecure-fork-wanted", 0, 0 },
	{ "insecure-setuid-wanted", 0, 0 },
	{ "issuers-chain-path", 1, 1 },
	{ "localpeer", 1, 1 },
	{ "log", 2, -1 },
	{ "log-tag", 1, 1 },
	{ "lua-prepend-path", 1, -1 },
	{ "master-worker", 0, 1 },
	{ "max-spread-checks", 1, 1 },
	{ "maxcompcpuusage", 1, 1 },
	{ "maxcomprate", 1, 1 },
	{ "maxpipes", 1, 1 },
	{ "maxsslconn", 1, 1 },
	{ "maxsslrate", 1, 1 },
	{ "maxzlibmem", 1, 1 },
	{ "no-memory-trimming", 0, 0 },
	{ "node", 1, 1 },
	{ "noepoll", 0, 0 },
	{ "noevports", 0, 0 },
	{ "nogetaddrinfo", 0, 0 },
	{ "nokqueue", 0, 0 },
	{ "nopoll", 0, 0 },
	{ "noreuseport", 0, 0 },
	{ "nosplice", 0, 0 },
	{ "pidfile", 1, 1 },
	{ "pp2-never-send-local", 0, 0 },
	{ "quiet", 0, 0 },
	{ "server-state-base", 1, -1 },
	{ "server-state-file", 1, -1 },
	{ "set-dumpable", 0, 0 },
	{ "set-var", 2, -1 },
	{ "set-var-fmt", 2, -1 },
	{ "spread-checks", 1, 1 },
	{ "strict-limits", 0, 0 },
	{ "thread-group", 1, -1 },
	{ "thread-groups", 1, 1 },
	{ "uid", 1, 1 },
	{ "ulimit-n", 1, 1 },
	{ "unsetenv", 1, -1 },
	{ "zero-warning", 0, 0 },
};

/* Sorted by name (strcmp): unit-config.c checks it. */
const struct cf_kw cf_global_kws[] = {
	CF_HARMLESS("busy-polling", SECM_GLOBAL, TUNING),
	CF_HARMLESS("ca-base", SECM_GLOBAL, NOTLSTERM),
	CF_HARMLESS("chroot", SECM_GLOBAL,
	    "use --user and the supervisor's sandbox"),
	CF_HARMLESS("close-spread-time", SECM_GLOBAL, "use --drain-timeout"),
	CF_HARMLESS("cluster-secret", SECM_GLOBAL, "no QUIC"),
	CF_HARMLESS("cpu-map", SECM_GLOBAL, TUNING),
	CF_HARMLESS("crt-base", SECM_GLOBAL, NOTLSTERM),
	CF_HARMLESS("daemon", SECM_GLOBAL, PROCESS),
	CF_HARMLESS("default-path", SECM_GLOBAL, "no relative paths are read"),
	CF_HARMLESS("description", SECM_GLOBAL, "stats page text"),
	CF_HARMLESS("expose-experimental-directives", SECM_GLOBAL,
	    "none is used"),
	CF_IMPL("external-check", SECM_GLOBAL, global_extcheck),
	CF_HARMLESS("fd-hard-limit", SECM_GLOBAL, "the supervisor sets limits"),
	CF_HARMLESS("gid", SECM_GLOBAL, "the user's group is used"),
	CF_HARMLESS("grace", SECM_GLOBAL, "use --drain-timeout"),
	CF_HARMLESS("group", SECM_GLOBAL, "the user's group is used"),
	CF_HARMLESS("h1-accept-payload-with-any-method", SECM_GLOBAL,
	    "HTTP only"),
	CF_HARMLESS("h1-case-adjust", SECM_GLOBAL, "HTTP only"),
	CF_HARMLESS("h1-case-adjust-file", SECM_GLOBAL, "HTTP only"),
	CF_HARMLESS("h2-workaround-bogus-websocket-clients", SECM_GLOBAL,
	    "HTTP only"),
	CF_HARMLESS("hard-stop-after", SECM_GLOBAL, "use --drain-timeout"),
	CF_HARMLESS("httpclient.*", SECM_GLOBAL, "no HTTP client: no Lua"),
	CF_HARMLESS("insecure-fork-wanted", SECM_GLOBAL, PROCESS),
	CF_HARMLESS("insecure-setuid-wanted", SECM_GLOBAL, PROCESS),
	CF_HARMLESS("issuers-chain-path", SECM_GLOBAL, NOTLSTERM),
	CF_HARMLESS("localpeer", SECM_GLOBAL, "no peers"),
	CF_HARMLESS("log", SECM_GLOBAL, LOGGING),
	CF_HARMLESS("log-send-hostname", SECM_GLOBAL, LOGGING),
	CF_HARMLESS("log-tag", SECM_GLOBAL, LOGGING),
	CF_REFUSED("lua-load", SECM_GLOBAL, "no Lua: the script would not run"),
	CF_REFUSED("lua-load-per-thread", SECM_GLOBAL,
	    "no Lua: the script would not run"),
	CF_HARMLESS("lua-prepend-path", SECM_GLOBAL,
	    "no Lua: lua-load is refused"),
	CF_HARMLESS("master-worker", SECM_GLOBAL, PROCESS),
	CF_IMPL("max-spread-checks", SECM_GLOBAL, global_maxspread),
	CF_HARMLESS("maxcompcpuusage", SECM_GLOBAL, "no compression"),
	CF_HARMLESS("maxcomprate", SECM_GLOBAL, "no compression"),
	CF_IMPL("maxconn", SECM_GLOBAL, global_maxconn),
	CF_IMPL("maxconnrate", SECM_GLOBAL, global_rate),
	CF_HARMLESS("maxpipes", SECM_GLOBAL, TUNING),
	CF_IMPL("maxsessrate", SECM_GLOBAL, global_rate),
	CF_HARMLESS("maxsslconn", SECM_GLOBAL, NOTLSTERM),
	CF_HARMLESS("maxsslrate", SECM_GLOBAL, NOTLSTERM),
	CF_HARMLESS("maxzlibmem", SECM_GLOBAL, "no compression"),
	CF_HARMLESS("mworker-max-reloads", SECM_GLOBAL, PROCESS),
	CF_REFUSED("nbproc", SECM_GLOBAL,
	    "removed in haproxy 2.5; threads are used: see nbthread"),
	CF_IMPL("nbthread", SECM_GLOBAL, global_nbthread),
	CF_HARMLESS("no-memory-trimming", SECM_GLOBAL, TUNING),
	CF_HARMLESS("node", SECM_GLOBAL, "stats page text"),
	CF_HARMLESS("noepoll", SECM_GLOBAL, TUNING),
	CF_HARMLESS("noevports", SECM_GLOBAL, TUNING),
	CF_HARMLESS("nogetaddrinfo", SECM_GLOBAL, TUNING),
	CF_HARMLESS("nokqueue", SECM_GLOBAL, TUNING),
	CF_HARMLESS("nopoll", SECM_GLOBAL, TUNING),
	CF_HARMLESS("noreuseport", SECM_GLOBAL, TUNING),
	CF_HARMLESS("nosplice", SECM_GLOBAL, TUNING),
	CF_HARMLESS("numa-cpu-mapping", SECM_GLOBAL, TUNING),
	CF_HARMLESS("pidfile", SECM_GLOBAL, "use --pidfile"),
	CF_HARMLESS("pp2-never-send-local", SECM_GLOBAL,
	    "no PROXY protocol: \"send-proxy\" is refused"),
	CF_IMPL("presetenv", SECM_GLOBAL, global_env),
	CF_HARMLESS("profiling.*", SECM_GLOBAL, TUNING),
	CF_HARMLESS("quiet", SECM_GLOBAL, LOGGING),
	CF_REFUSED("resetenv", SECM_GLOBAL,
	    "it would empty hashproxy's own environment"),
	CF_HARMLESS("server-state-base", SECM_GLOBAL,
	    "state is kept across reloads in memory"),
	CF_HARMLESS("server-state-file", SECM_GLOBAL,
	    "state is kept across reloads in memory"),
	CF_HARMLESS("set-dumpable", SECM_GLOBAL, PROCESS),
	CF_HARMLESS("set-var", SECM_GLOBAL,
	    "no sample expression reads variables"),
	CF_HARMLESS("set-var-fmt", SECM_GLOBAL,
	    "no sample expression reads variables"),
	CF_IMPL("setenv", SECM_GLOBAL, global_env),
	CF_HARMLESS("spread-checks", SECM_GLOBAL, TUNING),
	CF_HARMLESS("ssl-*", SECM_GLOBAL, NOTLSTERM),
	CF_IMPL("stats", SECM_GLOBAL, global_stats),
	CF_IMPL("strict-limits", SECM_GLOBAL, global_strict),
	CF_HARMLESS("thread-group", SECM_GLOBAL, TUNING),
	CF_HARMLESS("thread-groups", SECM_GLOBAL, TUNING),
	CF_HARMLESS("tune.*", SECM_GLOBAL, TUNING),
	CF_HARMLESS("uid", SECM_GLOBAL, "use user or --user"),
	CF_HARMLESS("ulimit-n", SECM_GLOBAL, "the supervisor sets limits"),
	CF_HARMLESS("unix-bind", SECM_GLOBAL,
	    "no unix sockets are bound but the stats socket"),
	CF_IMPL("unsetenv", SECM_GLOBAL, global_env),
	CF_IMPL("user", SECM_GLOBAL, global_user),
	CF_HARMLESS("zero-warning", SECM_GLOBAL,
	    "hashproxy's warnings are not haproxy's"),
};
const size_t cf_nglobal_kws = sizeof(cf_global_kws) / sizeof(cf_global_kws[0]);

void
config_global(struct cf_parser *p, int argc, char **argv)
{
	const struct cf_kw *k;

	/* haproxy 2.6's one global keyword that takes "no" here */
	if (strcmp(argv[0], "no") == 0 && argc == 2 &&
	    strcmp(argv[1], "strict-limits") == 0) {
		p->p_cf->cf_nostrict = 1;
		return;
	}
	k = config_kw_find(cf_global_kws, cf_nglobal_kws, argv[0]);
	if (k == NULL)
		config_msg(p, CF_ERROR, "global \"%s\": unknown keyword",
		    argv[0]);
	else if (!config_arity_ok(p, global_arities,
	    sizeof(global_arities) / sizeof(global_arities[0]), argc, argv))
		return;
	else if (k->kw_kind == KW_IMPL)
		k->kw_fn(p, argc, argv);
	else if (config_kw_check(p, k, argc, argv) == 0)
		config_kw_other(p, k, argv[0]);
}
