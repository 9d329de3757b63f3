/* SPDX-License-Identifier: ISC */
/*
 * svccheck: is a service running?  The drop-in for "killall -0 NAME" in a
 * keepalived vrrp_script, with exact names, zombies counted as dead, and
 * the stronger checks (--exe, --pidfile, --user, --listen); --watch prints
 * every change as it happens, from the kernel's process events.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <unistd.h>

#include "args.h"
#include "duration.h"
#include "evline.h"
#include "hatools.h"
#include "log.h"
#include "plugin.h"
#include "svccheck.h"

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
	args_parse(&sv, argc, argv);
	evline_init(sv.sv_json);
	sv.sv_self = getpid();
	if (sv.sv_watch) {
		args_resolve_exes(&sv);
		return watch_run(&sv);
	}
	main_deadline(&sv);
	/* under -t: a path on a dead NFS mount hangs realpath(3) */
	args_resolve_exes(&sv);
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
