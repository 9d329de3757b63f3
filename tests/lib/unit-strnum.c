/* SPDX-License-Identifier: ISC */
/* strnum: OpenBSD strtonum's contract, its ends and what it refuses. */
#include <errno.h>
#include <limits.h>
#include <stddef.h>

#include "strnum.h"
#include "tap.h"

/* The error as text, or "ok=VALUE". */
static const char *
try(const char *s, long long min, long long max)
{
	static char out[64];
	const char *err = "unset";
	long long v;

	v = strnum(s, min, max, &err);
	if (err != NULL)
		return err;
	snprintf(out, sizeof(out), "ok=%lld", v);
	return out;
}

int
main(void)
{
	const char *err;

	is_str(try("12", 1, 100), "ok=12", "a number");
	is_str(try("12abc", 1, 100), "invalid", "trailing garbage");
	is_str(try("abc", 1, 100), "invalid", "no digits");
	is_str(try("", 1, 100), "invalid", "empty");
	is_str(try(NULL, 1, 100), "invalid", "NULL");
	is_str(try("12 ", 1, 100), "invalid", "a trailing blank");
	is_str(try("1.5", 1, 100), "invalid", "a fraction");
	is_str(try("0x10", 0, 100), "invalid", "hex is not decimal");
	is_str(try("010", 0, 100), "ok=10", "a leading 0 is decimal");
	is_str(try("-5", -10, 10), "ok=-5", "negative within range");
	is_str(try("+5", 0, 10), "ok=5", "a plus sign");
	is_str(try("1", 1, 1), "ok=1", "min == max");
	is_str(try("0", 1, 100), "too small", "below min");
	is_str(try("101", 1, 100), "too large", "above max");
	is_str(try("9223372036854775807", 0, LLONG_MAX),
	    "ok=9223372036854775807", "LLONG_MAX");
	is_str(try("9223372036854775808", 0, LLONG_MAX), "too large",
	    "past LLONG_MAX");
	is_str(try("-9223372036854775809", LLONG_MIN, 0), "too small",
	    "past LLONG_MIN");
	is_str(try("99999999999999999999abc", 0, 10), "invalid",
	    "garbage wins over range");
	is_str(try("5", 10, 1), "invalid", "min > max");
	ok(strnum_base("0600", 8, 0, 0777, NULL) == 0600, "octal 0600");
	ok(strnum_base("777", 8, 0, 0777, NULL) == 0777, "octal 777");
	is_str(strnum_base("8", 8, 0, 0777, &err) == 0 && err ? err : "ok",
	    "invalid", "8 is no octal digit");
	is_str(strnum_base("0x1", 8, 0, 0777, &err) == 0 && err ? err : "ok",
	    "invalid", "hex is not octal");
	is_str(strnum_base("1777", 8, 0, 0777, &err) == 0 && err ? err : "ok",
	    "too large", "octal above max");
	errno = 0;
	ok(strnum("7x", 0, 10, NULL) == 0 && errno == EINVAL,
	    "0 and EINVAL on invalid, errstr may be NULL");
	ok(strnum("70", 0, 10, NULL) == 0 && errno == ERANGE,
	    "0 and ERANGE out of range");
	done_testing();
}
