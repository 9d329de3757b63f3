/* SPDX-License-Identifier: ISC */
/* usage_optname: the long name a usage error gives an option. */
#include <getopt.h>
#include <stddef.h>

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

int
main(void)
{
	is_str(usage_optname(opts, 'c'), "critical", "a short letter's name");
	is_str(usage_optname(opts, 'l'), "max-lag",
	    "two spellings of one option: the first");
	is_str(usage_optname(opts, OPT_WATCH), "watch", "a long-only option");
	is_str(usage_optname(opts, 'q'), "?",
	    "one that sets a flag returns 0 to getopt, not its val: none");
	is_str(usage_optname(opts, 'x'), "?", "an unknown one: \"?\"");
	return done_testing();
}
