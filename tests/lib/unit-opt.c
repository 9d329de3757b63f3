/* SPDX-License-Identifier: ISC */
/* opt_metrics, opt_duration: a good value, or a usage error naming it. */
#include <stdint.h>
#include <string.h>

#include "child.h"
#include "hatools.h"
#include "log.h"
#include "opt.h"
#include "tap.h"

struct dur {
	const char	*arg;
	uint64_t	 min;
};

static int
run_duration(const void *arg)
{
	const struct dur *d = arg;

	return (int)(opt_duration("drain-timeout", d->arg, d->min) / 1000);
}

static int
run_metrics(const void *arg)
{
	opt_metrics(arg);
	return 0;
}

int
main(void)
{
	static const struct dur zero = { "0", 0 }, zero1 = { "0", 1 },
	    junk = { "2x", 0 };
	struct child_out co;

	unsetenv("JOURNAL_STREAM");	/* "opt: ", not a journald level */
	log_init("opt", 0);
	is_int(opt_duration("interval", "500ms", 1), 500000, "500ms");
	is_int(opt_duration("interval", "2", 1), 2000000,
	    "a bare number is seconds");
	is_int(child_run(run_duration, &zero, &co), 0, "0 where 0 may be");
	is_int(child_run(run_duration, &zero1, &co), EXIT_USAGE,
	    "0 where the least is 1: a usage error");
	is_str(co.err, "opt: --drain-timeout \"0\": not a duration\n"
	    "Try 'opt --help'.\n", "naming the option and the value");
	is_int(child_run(run_duration, &junk, &co), EXIT_USAGE,
	    "trailing garbage: a usage error");
	is_str(co.out, "", "nothing on stdout");

	is_int(child_run(run_metrics, "127.0.0.1:9100", &co), 0,
	    "--metrics ADDR:PORT passes");
	is_int(child_run(run_metrics, "nowhere", &co), EXIT_USAGE,
	    "--metrics without a port: a usage error");
	ok(strncmp(co.err, "opt: --metrics ", 15) == 0 &&
	    strstr(co.err, "Try 'opt --help'.") != NULL,
	    "naming --metrics, then the pointer to --help");
	return done_testing();
}
