/* SPDX-License-Identifier: ISC */
/*
 * usage_optname: the long name a usage error gives an option;
 * usage_standard: -h, -V and an unknown option.
 */
#include <getopt.h>
#include <stddef.h>
#include <string.h>

#include "child.h"
#include "hatools.h"
#include "tap.h"
#include "usage.h"

enum { OPT_WATCH = 256 };
static int flag;

static const struct option opts[] = {
	{ "critical",	required_argument, NULL, 'c' },
	{ "max-lag",	required_argument, NULL, 'l' },
	{ "lag",	required_argument, NULL, 'l' },
	{ "quiet",	no_argument,	   &flag, 'q' },
	{ "watch",	no_argument,	   NULL, OPT_WATCH },
	{ NULL, 0, NULL, 0 }
};

static void
usage(FILE *f)
{
	fprintf(f, "usage: prog [-hV]\n");
}

static int
run_standard(const void *arg)
{
	return usage_standard(*(const int *)arg, "prog", usage);
}

/* What -h, -V and an unknown option print and exit with. */
static void
standard(void)
{
	static const int h = 'h', v = 'V', unknown = '?';
	struct child_out co;

	is_int(child_run(run_standard, &h, &co), EXIT_CLEAN, "-h: 0");
	is_str(co.out, "usage: prog [-hV]\n", "-h: the usage on stdout");
	is_str(co.err, "", "-h: nothing on stderr");
	is_int(child_run(run_standard, &v, &co), EXIT_CLEAN, "-V: 0");
	is_str(co.out, "prog (hatools) " HATOOLS_VERSION "\n",
	    "-V: the version line");
	is_int(child_run(run_standard, &unknown, &co), EXIT_USAGE,
	    "an unknown option: the usage status");
	is_str(co.out, "", "an unknown option: nothing on stdout");
	is_str(co.err, "usage: prog [-hV]\n", "and the usage on stderr");
	usage_setup(64, NULL);
	is_int(child_run(run_standard, &unknown, &co), 64,
	    "the status usage_setup set (pgwatch's 64)");
}

int
main(void)
{
	standard();
	is_str(usage_optname(opts, 'c'), "critical", "a short letter's name");
	is_str(usage_optname(opts, 'l'), "max-lag",
	    "two spellings of one option: the first");
	is_str(usage_optname(opts, OPT_WATCH), "watch", "a long-only option");
	is_str(usage_optname(opts, 'q'), "?",
	    "one that sets a flag returns 0 to getopt, not its val: none");
	is_str(usage_optname(opts, 'x'), "?", "an unknown one: \"?\"");
	return done_testing();
}
