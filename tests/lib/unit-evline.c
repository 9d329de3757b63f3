/* SPDX-License-Identifier: ISC */
/*
 * evline: the text form byte for byte, each JSON type as stated, nothing
 * cut.  With an argument it prints JSON lines instead, for t/evline.t to
 * parse with a JSON reader that is not this one.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "evline.h"
#include "tap.h"

static char big[10 * 1024 + 1];

static const char *
line(struct evline *el)
{
	static char *last;
	const char *s;

	free(last);
	s = evline_end(el);
	last = s ? strdup(s) : NULL;
	evline_free(el);
	return last;
}

/* Every type, odd strings and a 10 kB value: one line each. */
static void
lines(void)
{
	struct evline el;

	evline_begin(&el, "types", "db1:5432");
	evline_str(&el, "s", "007");
	evline_quoted(&el, "q", "say \"hi\"\\ \x01\x1f\n\t\r\x7f");
	evline_strf(&el, "id", "%016llx", 0x1234ULL);
	evline_quotedf(&el, "qf", "%s:%d: x", "f", 7);
	evline_int(&el, "i", -42);
	evline_uint(&el, "u", 18446744073709551615ULL);
	evline_dec(&el, "d", 0.25, 3);
	evline_dec(&el, "z", -0.0001, 3);
	evline_dec(&el, "nan", 0.0 / 0.0, 3);
	evline_bool(&el, "t", 1);
	evline_bool(&el, "f", 0);
	evline_null(&el, "lag_s", "unknown");
	evline_str(&el, "empty", NULL);
	evline_open(&el, "list");
	evline_more(&el, "a\"");
	evline_more(&el, ",b");
	evline_close(&el);
	evline_emit(&el);

	evline_begin(&el, "utf8", "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80");
	evline_str(&el, "bad", "a\xff" "b\xc3" "c\xed\xa0\x80" "d\xc0\xaf");
	evline_emit(&el);

	evline_begin(&el, "big", NULL);
	evline_quoted(&el, "v", big);
	evline_emit(&el);

	evline_begin_object(&el);
	evline_str(&el, "host", "/tmp/a\"b\\c\td:5432");
	evline_int(&el, "n", 1);
	evline_emit(&el);
}

int
main(int argc, char **argv)
{
	struct evline el;
	const char *s;

	(void)argv;
	memset(big, 'x', sizeof(big) - 1);
	big[5000] = '"';
	if (argc > 1) {
		evline_init(1);
		lines();
		return 0;
	}

	evline_init(0);
	evline_begin(&el, "up", "named");
	evline_int(&el, "pid", 42);
	is_str(line(&el), "up named pid=42", "text: word subject key=value");
	evline_begin(&el, "down", "named");
	is_str(line(&el), "down named", "text line without keys");
	evline_begin(&el, "MASTER", NULL);
	evline_int(&el, "vrid", 51);
	evline_str(&el, "vip", "");
	is_str(line(&el), "MASTER vrid=51 vip=", "text without subject");
	evline_begin(&el, "x", NULL);
	evline_quoted(&el, "reason", "slot \"full\"");
	evline_str(&el, "a", "007");
	evline_dec(&el, "lag_s", 1.5, 3);
	evline_null(&el, "lag2", "unknown");
	evline_quotedf(&el, "r", "%s:%d: long", "f \"x\"", 3);
	evline_bool(&el, "paused", 0);
	evline_uint(&el, "n", 7);
	evline_open(&el, "vip");
	evline_more(&el, "10.0.0.1");
	evline_more(&el, ",10.0.0.2");
	evline_close(&el);
	is_str(line(&el), "x reason=\"slot \\\"full\\\"\" a=007 lag_s=1.500 "
	    "lag2=unknown r=\"f \\\"x\\\":3: long\" paused=0 n=7 "
	    "vip=10.0.0.1,10.0.0.2",
	    "text: each type's form");
	evline_begin(&el, "x", "a\tb");
	evline_str(&el, "k", "l1\nl2");
	is_str(line(&el), "x a\\tb k=l1\\nl2", "text: a line stays one line");
	evline_begin(&el, "x", NULL);
	evline_quoted(&el, "v", big);
	s = line(&el);
	is_int(s ? (long long)strlen(s) : -1, 4 + 2 + 10 * 1024 + 1,
	    "text: a 10 kB value whole (one quote escaped)");

	evline_init(1);
	ok(evline_json(), "json mode is on");
	evline_begin_text(&el, "up", "named");
	evline_null(&el, "lag_s", "unknown");
	is_str(line(&el), "up named lag_s=unknown",
	    "json mode: a text line still, for a log");
	evline_begin(&el, "up", "named");
	evline_int(&el, "pid", 42);
	is_str(line(&el), "{\"event\":\"up\",\"name\":\"named\",\"pid\":42}",
	    "json: an integer bare");
	evline_begin(&el, "x", NULL);
	evline_str(&el, "a", "007");
	evline_str(&el, "b", "1.5");
	evline_dec(&el, "c", 1.5, 3);
	evline_dec(&el, "d", 0, 0);
	evline_null(&el, "e", "unknown");
	evline_bool(&el, "f", 1);
	evline_uint(&el, "g", 18446744073709551615ULL);
	is_str(line(&el), "{\"event\":\"x\",\"a\":\"007\",\"b\":\"1.5\","
	    "\"c\":1.500,\"d\":0,\"e\":null,\"f\":true,"
	    "\"g\":18446744073709551615}",
	    "json: strings stay strings, numbers, null, booleans");
	evline_begin(&el, "x", "a\tb\"");
	evline_quoted(&el, "r", "\\\x01");
	is_str(line(&el), "{\"event\":\"x\",\"name\":\"a\\tb\\\"\","
	    "\"r\":\"\\\\\\u0001\"}", "json: quotes and controls escaped");
	evline_begin(&el, "x", NULL);
	evline_str(&el, "v", "\xc3\xa9\xff");
	is_str(line(&el), "{\"event\":\"x\",\"v\":\"\xc3\xa9\\ufffd\"}",
	    "json: UTF-8 kept, a stray byte U+FFFD");
	evline_begin(&el, "x", NULL);
	evline_quoted(&el, "v", big);
	s = line(&el);
	is_int(s ? (long long)strlen(s) : -1, 17 + 2 + 10 * 1024 + 1 + 1,
	    "json: a 10 kB value whole");
	evline_begin_object(&el);
	evline_str(&el, "host", "a\"b");
	evline_int(&el, "n", 1);
	is_str(line(&el), "{\"host\":\"a\\\"b\",\"n\":1}",
	    "object: no event, no comma after the brace, escaped");
	evline_init(0);
	evline_begin_object(&el);
	evline_null(&el, "lag_s", "unknown");
	is_str(line(&el), "{\"lag_s\":null}", "object: JSON in text mode too");
	return done_testing();
}
