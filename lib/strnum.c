/* SPDX-License-Identifier: ISC */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>

#include "strnum.h"

long long
strnum(const char *s, long long min, long long max, const char **errstr)
{
	return strnum_base(s, 10, min, max, errstr);
}

long long
strnum_base(const char *s, int base, long long min, long long max,
    const char **errstr)
{
	const char *err = NULL;
	char *end;
	long long v = 0;

	errno = 0;
	if (s == NULL || min > max)
		err = "invalid";
	else {
		v = strtoll(s, &end, base);
		/* garbage is invalid whatever the digits before it say */
		if (end == s || *end != '\0')
			err = "invalid";
		else if ((v == LLONG_MIN && errno == ERANGE) || v < min)
			err = "too small";
		else if ((v == LLONG_MAX && errno == ERANGE) || v > max)
			err = "too large";
	}
	if (errstr != NULL)
		*errstr = err;
	if (err != NULL) {
		errno = *err == 'i' ? EINVAL : ERANGE;
		return 0;
	}
	return v;
}
