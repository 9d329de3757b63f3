/* SPDX-License-Identifier: ISC */
#include <sys/socket.h>

#include "duration.h"
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
