/* SPDX-License-Identifier: ISC */
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "hatools.h"
#include "log.h"
#include "usage.h"

static int usage_status = EXIT_USAGE;
static const char *usage_plugin;

void
usage_setup(int status, const char *plugin)
{
	usage_status = status;
	usage_plugin = plugin;
}

void
usage_error(const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (usage_plugin != NULL) {
		printf("%s%s\n", usage_plugin, msg);
		fflush(stdout);
	}
	log_warnx("%s", msg);
	if (usage_plugin == NULL)
		fprintf(stderr, "Try '%s --help'.\n", log_progname());
	exit(usage_status);
}

int
usage_standard(int ch, const char *prog, void (*usage)(FILE *))
{
	switch (ch) {
	case 'h':
		usage(stdout);
		return EXIT_CLEAN;
	case 'V':
		ht_version(prog);
		return EXIT_CLEAN;
	default:
		usage(stderr);
		return usage_status;
	}
}

const char *
usage_optname(const struct option *opts, int val)
{
	for (; opts->name != NULL; opts++)
		if (opts->flag == NULL && opts->val == val)
			return opts->name;
	return "?";
}
