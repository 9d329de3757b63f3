/* SPDX-License-Identifier: ISC */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "duration.h"

static const struct {
	const char	*unit;
	uint64_t	 usec;
} units[] = {
	{ "us", 1 },
	{ "ms", 1000 },
	{ "s", 1000000 },
	{ "m", 60 * 1000000ULL },
	{ "h", 3600 * 1000000ULL },
	{ "d", 86400 * 1000000ULL },
};

int
duration_parse(const char *s, uint64_t *usec)
{
	uint64_t whole = 0, frac = 0, fracdiv = 1, mult = 1000000;
	const char *p = s;
	size_t i;

	if (s == NULL || !isdigit((unsigned char)*p))
		goto invalid;
	for (; isdigit((unsigned char)*p); p++) {
		if (whole > (UINT64_MAX - 9) / 10)
			goto range;
		whole = whole * 10 + (uint64_t)(*p - '0');
	}
	if (*p == '.') {
		p++;
		if (!isdigit((unsigned char)*p))
			goto invalid;
		for (; isdigit((unsigned char)*p); p++) {
			if (fracdiv < 1000000000000ULL) {
				frac = frac * 10 + (uint64_t)(*p - '0');
				fracdiv *= 10;
			}
		}
	}
	if (*p != '\0') {
		for (i = 0; i < sizeof(units) / sizeof(units[0]); i++)
			if (strcmp(p, units[i].unit) == 0)
				break;
		if (i == sizeof(units) / sizeof(units[0]))
			goto invalid;
		mult = units[i].usec;
	}
	if (whole > UINT64_MAX / mult)
		goto range;
	*usec = whole * mult + frac * mult / fracdiv;
	return 0;
invalid:
	errno = EINVAL;
	return -1;
range:
	errno = ERANGE;
	return -1;
}

char *
duration_format(uint64_t usec, char *buf, size_t len)
{
	if (usec % 1000000 == 0)
		snprintf(buf, len, "%llus", (unsigned long long)(usec / 1000000));
	else if (usec % 1000 == 0 && usec < 1000000)
		snprintf(buf, len, "%llums", (unsigned long long)(usec / 1000));
	else if (usec % 1000 == 0)
		snprintf(buf, len, "%llu.%03llus",
		    (unsigned long long)(usec / 1000000),
		    (unsigned long long)(usec % 1000000 / 1000));
	else
		snprintf(buf, len, "%lluus", (unsigned long long)usec);
	return buf;
}

struct timeval
duration_tv(uint64_t usec)
{
	struct timeval tv;

	tv.tv_sec = (time_t)(usec / 1000000);
	tv.tv_usec = (suseconds_t)(usec % 1000000);
	return tv;
}

uint64_t
mono_usec(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000 + (uint64_t)ts.tv_nsec / 1000;
}
