/* SPDX-License-Identifier: ISC */
#include <errno.h>
#include <stdint.h>

#include "duration.h"
#include "tap.h"

static uint64_t
parse(const char *s)
{
	uint64_t v = 0;

	return duration_parse(s, &v) == 0 ? v : UINT64_MAX;
}

int
main(void)
{
	char buf[32];
	uint64_t v;

	is_int(parse("2"), 2000000, "bare number means seconds");
	is_int(parse("500ms"), 500000, "500ms");
	is_int(parse("2s"), 2000000, "2s");
	is_int(parse("1m"), 60000000, "1m");
	is_int(parse("1h"), 3600000000ULL, "1h");
	is_int(parse("1.5"), 1500000, "fraction of a second (keepalived advert_int)");
	is_int(parse("0.01"), 10000, "0.01 s = 10 ms (VRRPv3 centiseconds)");
	is_int(parse("250us"), 250, "microseconds");
	is_int(parse("0"), 0, "zero");
	ok(duration_parse("", &v) == -1 && errno == EINVAL, "empty is invalid");
	ok(duration_parse("x", &v) == -1 && errno == EINVAL, "letters are invalid");
	ok(duration_parse("-1s", &v) == -1, "negative is invalid");
	ok(duration_parse("1.", &v) == -1, "dangling dot is invalid");
	ok(duration_parse("2 s", &v) == -1, "inner space is invalid");
	ok(duration_parse("5fortnights", &v) == -1, "unknown unit is invalid");
	ok(duration_parse("99999999999999999999", &v) == -1 && errno == ERANGE,
	    "overflow is a range error");
	ok(duration_parse("999999999999999h", &v) == -1 && errno == ERANGE,
	    "overflow by unit is a range error");
	is_str(duration_format(2000000, buf, sizeof(buf)), "2s", "format 2s");
	is_str(duration_format(20000, buf, sizeof(buf)), "20ms", "format 20ms");
	is_str(duration_format(1500000, buf, sizeof(buf)), "1.500s", "format 1.5s");
	is_int(parse(duration_format(1500000, buf, sizeof(buf))), 1500000,
	    "format reads back");
	ok(mono_usec() <= mono_usec(), "monotonic clock does not go back");
	return done_testing();
}
