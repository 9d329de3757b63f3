/* SPDX-License-Identifier: ISC */
#include "event.h"
#include "tap.h"

int
main(void)
{
	char buf[256];

	event_init(0);
	event_format(buf, sizeof(buf), "up", "named", "pid=42");
	is_str(buf, "up named pid=42", "text line: word subject key=value");
	event_format(buf, sizeof(buf), "down", "named", "");
	is_str(buf, "down named", "text line without keys");
	event_format(buf, sizeof(buf), "MASTER", NULL, "vrid=51");
	is_str(buf, "MASTER vrid=51", "text line without subject");

	event_init(1);
	ok(event_json(), "json mode is on");
	event_format(buf, sizeof(buf), "up", "named", "pid=42");
	is_str(buf, "{\"event\":\"up\",\"name\":\"named\",\"pid\":42}",
	    "json: numbers bare");
	event_format(buf, sizeof(buf), "lag", "db1:5432",
	    "bytes=1024 state=streaming reason=\"slot \\\"full\\\"\"");
	is_str(buf, "{\"event\":\"lag\",\"name\":\"db1:5432\",\"bytes\":1024,"
	    "\"state\":\"streaming\",\"reason\":\"slot \\\"full\\\"\"}",
	    "json: quoted value with escapes");
	event_format(buf, sizeof(buf), "x", NULL, "a=007 b=1.5 c=-3 d=1.");
	is_str(buf, "{\"event\":\"x\",\"a\":\"007\",\"b\":1.5,\"c\":-3,\"d\":\"1.\"}",
	    "json: only valid JSON numbers are bare");
	event_format(buf, sizeof(buf), "x", "a\tb", NULL);
	is_str(buf, "{\"event\":\"x\",\"name\":\"a\\u0009b\"}",
	    "json: control characters escaped");
	ok(event_format(buf, 16, "up", "a-very-long-subject", "k=v") == -1,
	    "truncation is reported");
	is_int((long long)strlen(buf), 15, "truncated output stays terminated");
	return done_testing();
}
