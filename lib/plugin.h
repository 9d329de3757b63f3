/* SPDX-License-Identifier: ISC */
/*
 * Monitoring-plugin conventions both checks share (pgwatch and svccheck
 * --nagios): the states and the -t value.
 */
#ifndef HT_PLUGIN_H
#define HT_PLUGIN_H

#include <stddef.h>
#include <stdint.h>

/* The Monitoring Plugins' exit codes, the one definition of them. */
enum {
	PLUGIN_OK = 0,
	PLUGIN_WARNING = 1,
	PLUGIN_CRITICAL = 2,
	PLUGIN_UNKNOWN = 3
};

/* "OK", "WARNING", "CRITICAL", "UNKNOWN" */
extern const char *const plugin_state[4];

/*
 * -t/--timeout: "DUR" (a bare number is seconds) or, as the monitoring
 * plugins write it, "DUR:STATE" (ok, warning, critical, unknown; any
 * case): the state to answer on expiry, UNKNOWN if none is given.
 */
int	plugin_timeout(const char *s, uint64_t *usec, int *state, char *err,
	    size_t errlen);

#endif
