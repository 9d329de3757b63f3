/* SPDX-License-Identifier: ISC */
/* Threshold ranges: each form of the plugin API, its ends, bad input. */
#include <math.h>
#include <string.h>

#include "range.h"
#include "tap.h"

static struct range r;
static char err[128], buf[64];

static int
parse(const char *s)
{
	err[0] = '\0';
	return range_parse(s, range_number, NULL, &r, err, sizeof(err));
}

/* Which of the probes alert, as a string of 0s and 1s. */
static const char *
alerts(const char *s)
{
	static const double probe[] = { -1, 0, 9, 10, 10.5, 11, 19, 20, 21 };
	static char out[16];
	size_t i;

	if (parse(s) == -1)
		return err;
	for (i = 0; i < sizeof(probe) / sizeof(probe[0]); i++)
		out[i] = range_alert(&r, probe[i]) ? '1' : '0';
	out[i] = '\0';
	return out;
}

int
main(void)
{
	/*                    -1 0 9 10 10.5 11 19 20 21 */
	is_str(alerts("10"), "100011111", "10: outside 0..10");
	is_str(alerts("10:"), "111000000", "10: below 10");
	is_str(alerts("~:10"), "000011111", "~:10: above 10");
	is_str(alerts("10:20"), "111000001", "10:20: outside 10..20");
	is_str(alerts("@10:20"), "000111110", "@10:20: inside, ends too");
	is_str(alerts(":10"), "100011111", ":10 is 0:10");
	is_str(alerts("~:"), "000000000", "~: never alerts");
	is_str(alerts("@10"), "011100000", "@10: inside 0..10");
	is_str(alerts("10.5"), "100001111", "a decimal end");
	is_str(alerts("-5:5"), "001111111", "a negative start");
	ok(parse("") == -1 && strstr(err, "empty"), "empty refused: %s", err);
	ok(parse("@") == -1, "@ alone refused");
	ok(parse("20:10") == -1 && strstr(err, "start is past the end"),
	    "start past end refused: %s", err);
	ok(parse("1:2:3") == -1, "two colons refused");
	ok(parse("abc") == -1 && strstr(err, "not a number"),
	    "a word refused: %s", err);
	ok(parse("1e3") == -1, "exponent refused");
	ok(parse("nan") == -1 && parse("inf") == -1, "nan, inf refused");
	ok(parse("0x10") == -1, "hex refused");
	ok(parse("10~") == -1, "~ only as a start");
	ok(parse("~") == -1, "~ without a colon refused");
	ok(parse(".") == -1 && parse("-") == -1 && parse("1..2") == -1,
	    "lone dot, lone minus, two dots refused");
	ok(parse("123456789012345678901234567890123") == -1,
	    "overlong number refused");
	parse("10");
	is_str(range_format(&r, buf, sizeof(buf)), "10", "format 10");
	parse("10:");
	is_str(range_format(&r, buf, sizeof(buf)), "10:", "format 10:");
	parse("~:10");
	is_str(range_format(&r, buf, sizeof(buf)), "~:10", "format ~:10");
	parse("@10:20");
	is_str(range_format(&r, buf, sizeof(buf)), "@10:20", "format @10:20");
	parse("2.5:7");
	is_str(range_format(&r, buf, sizeof(buf)), "2.500:7", "format 2.5:7");
	parse("0:10");
	is_str(range_format(&r, buf, sizeof(buf)), "10", "0:10 formats as 10");
	done_testing();
}
