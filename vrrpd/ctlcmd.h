/* SPDX-License-Identifier: ISC */
/*
 * The control socket's command language, parsed without I/O so it can be
 * fuzzed: one line in, a verb (and later its arguments) or an error that
 * names the problem.
 */
#ifndef VRRPD_CTLCMD_H
#define VRRPD_CTLCMD_H

#include <stddef.h>

#define CTL_LINE_MAX	1024	/* longest command line accepted */

enum ctl_verb {
	CTL_STATUS,
	CTL_SHOW_INSTANCES,
	CTL_SHOW_TRACKS,
	CTL_RELOAD,
	CTL_HELP,
	CTL_SHOW_METRICS,	/* the last: tests/fuzz/vrrpd-control.c */
};

struct ctl_cmd {
	enum ctl_verb	cc_verb;
};

/*
 * Parses one line (without its end of line; a trailing '\r' is allowed).
 * Words are separated by blanks.  Returns 0, or -1 with a one-line
 * message in err (printable ASCII only, whatever the input was).
 */
int	ctl_parse(const char *buf, size_t len, struct ctl_cmd *out,
	    char *err, size_t errlen);

#endif
