/* SPDX-License-Identifier: ISC */
#include <sys/socket.h>

#include <string.h>

#include "duration.h"
#include "evline.h"
#include "log.h"
#include "notify.h"
#include "opt.h"
#include "promhttp.h"
#include "usage.h"

void
opt_metrics(const char *arg)
{
	struct sockaddr_storage ss;
	socklen_t len;
	char err[256];

	if (promhttp_addr(arg, &ss, &len, err, sizeof(err)) == -1)
		usage_error("--metrics %s", err);
}

uint64_t
opt_duration(const char *name, const char *arg, uint64_t min)
{
	uint64_t usec;

	if (duration_parse(arg, &usec) == -1 || usec < min)
		usage_error("--%s \"%s\": not a duration", name, arg);
	return usec;
}

void
opt_daemon_init(struct opt_daemon *od)
{
	memset(od, 0, sizeof(*od));
	od->od_readyfd = -1;
}

int
opt_daemon(int ch, const char *arg, struct opt_daemon *od)
{
	switch (ch) {
	case OPT_PIDFILE:
		od->od_pidfile = arg;
		return 1;
	case OPT_USER:
		od->od_user = arg;
		return 1;
	case OPT_METRICS:
		opt_metrics(arg);
		od->od_metrics = arg;
		return 1;
	case OPT_READYFD:
		if ((od->od_readyfd = notify_readyfd_parse(arg)) == -1)
			usage_error("--ready-fd \"%s\": not an open fd >= 3",
			    arg);
		return 1;
	case OPT_SYSLOG:
		od->od_syslog = 1;
		return 1;
	case 'v':
		od->od_verbose++;
		return 1;
	case 'j':
		od->od_json = 1;
		return 1;
	}
	return 0;
}

void
opt_daemon_log(const struct opt_daemon *od, const char *prog)
{
	log_init(prog, od->od_syslog);
	log_setverbose(od->od_verbose);
	evline_init(od->od_json);
}
