/* SPDX-License-Identifier: ISC */
/*
 * The monitoring plugins let -t name the state a timeout answers
 * ("10:critical"); their own default is CRITICAL, ours UNKNOWN: the
 * check could not tell.
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "duration.h"
#include "plugin.h"

const char *const plugin_state[4] = { "OK", "WARNING", "CRITICAL",
    "UNKNOWN" };

int
plugin_timeout(const char *s, uint64_t *usec, int *state, char *err,
    size_t errlen)
{
	const char *colon = strchr(s, ':');
	char buf[32];
	size_t n = colon ? (size_t)(colon - s) : strlen(s), i;

	*state = PLUGIN_UNKNOWN;
	if (colon) {
		for (i = 0; i < 4; i++)
			if (strcasecmp(colon + 1, plugin_state[i]) == 0)
				break;
		if (i == 4) {
			snprintf(err, errlen, "\"%.40s\": the state after ':'"
			    " should be ok, warning, critical or unknown", s);
			return -1;
		}
		*state = (int)i;
	}
	if (n == 0 || n >= sizeof(buf))
		goto bad;
	memcpy(buf, s, n);
	buf[n] = '\0';
	if (duration_parse(buf, usec) == -1 || *usec == 0)
		goto bad;
	return 0;
bad:
	snprintf(err, errlen, "\"%.40s\": not a duration", s);
	return -1;
}
