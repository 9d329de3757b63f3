/* SPDX-License-Identifier: ISC */
/*
 * The exposition writer against text written by hand from the format's
 * description (prometheus.io, "Exposition formats", text format 0.0.4):
 * HELP and TYPE once per family, escapes, integers exact, NaN and Inf
 * spelled as the format wants, and misuse refused without output.
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <event2/buffer.h>

#include "prom.h"
#include "tap.h"

static struct evbuffer *buf;
static struct prom p;

static void
reset(void)
{
	evbuffer_drain(buf, evbuffer_get_length(buf));
	prom_init(&p, buf);
}

static const char *
text(void)
{
	static char s[4096];
	size_t n = evbuffer_get_length(buf);

	if (n >= sizeof(s))
		n = sizeof(s) - 1;
	evbuffer_copyout(buf, s, n);
	s[n] = '\0';
	return s;
}

int
main(void)
{
	const char *why;

	buf = evbuffer_new();

	reset();
	prom_family(&p, "hatools_build_info", PROM_GAUGE, "Build version.");
	prom_u64(&p, 1, "version", "0.2.0", NULL);
	is_str(text(), "# HELP hatools_build_info Build version.\n"
	    "# TYPE hatools_build_info gauge\n"
	    "hatools_build_info{version=\"0.2.0\"} 1\n", "one gauge");
	is_int(prom_error(&p, NULL), 0, "no error");

	reset();
	prom_build_info(&p, "x");
	is_str(text(), "# HELP hatools_build_info Always 1: the program and "
	    "its version.\n# TYPE hatools_build_info gauge\n"
	    "hatools_build_info{program=\"x\",version=\"" HATOOLS_VERSION
	    "\"} 1\n", "build info: the program and its version");

	reset();
	prom_family(&p, "x_total", PROM_COUNTER, "Two.");
	prom_u64(&p, 3, "a", "1", "b", "2", NULL);
	prom_u64(&p, 4, "a", "3", "b", "4", NULL);
	prom_family(&p, "y", PROM_UNTYPED, NULL);
	prom_i64(&p, -7, NULL);
	is_str(text(), "# HELP x_total Two.\n# TYPE x_total counter\n"
	    "x_total{a=\"1\",b=\"2\"} 3\nx_total{a=\"3\",b=\"4\"} 4\n"
	    "# TYPE y untyped\ny -7\n",
	    "a family's samples together, no labels without braces");

	reset();
	prom_family(&p, "esc", PROM_GAUGE, "back\\slash and\nnewline \"q\"");
	prom_u64(&p, 0, "v", "a\\b\"c\nd", NULL);
	is_str(text(), "# HELP esc back\\\\slash and\\nnewline \"q\"\n"
	    "# TYPE esc gauge\nesc{v=\"a\\\\b\\\"c\\nd\"} 0\n",
	    "HELP escapes \\ and newline; label values \\, \" and newline");

	reset();
	prom_family(&p, "big", PROM_COUNTER, NULL);
	prom_u64(&p, UINT64_MAX, NULL);
	prom_i64(&p, INT64_MIN, NULL);
	prom_u64(&p, 9007199254740993ULL, NULL);
	is_str(text(), "# TYPE big counter\nbig 18446744073709551615\n"
	    "big -9223372036854775808\nbig 9007199254740993\n",
	    "integers exact, past 2^53 too");

	reset();
	prom_family(&p, "f", PROM_GAUGE, NULL);
	prom_dbl(&p, 0.1, NULL);
	prom_dbl(&p, 2.5, NULL);
	prom_dbl(&p, 3, NULL);
	prom_dbl(&p, NAN, NULL);
	prom_dbl(&p, INFINITY, NULL);
	prom_dbl(&p, -INFINITY, NULL);
	prom_dbl(&p, 1e300, NULL);
	is_str(text(), "# TYPE f gauge\nf 0.1\nf 2.5\nf 3\nf NaN\nf +Inf\n"
	    "f -Inf\nf 1e+300\n", "doubles: shortest exact, NaN, +Inf, -Inf");

	reset();
	prom_family(&p, "ns:sub_total", PROM_COUNTER, NULL);
	prom_u64(&p, 1, "_ok", "", NULL);
	is_str(text(), "# TYPE ns:sub_total counter\nns:sub_total{_ok=\"\"} 1\n",
	    "colon in a metric name, empty label value");

	reset();
	prom_family(&p, "a", PROM_GAUGE, NULL);
	prom_u64(&p, 1, NULL);
	prom_family(&p, "b", PROM_GAUGE, NULL);
	prom_family(&p, "a", PROM_GAUGE, NULL);
	prom_u64(&p, 2, NULL);
	is_str(text(), "# TYPE a gauge\na 1\n# TYPE b gauge\n",
	    "a family opened twice: refused, its samples too");
	ok(prom_error(&p, &why) == 2 && strstr(why, "opened twice"),
	    "counted: %s", why);

	reset();
	prom_u64(&p, 1, NULL);
	prom_family(&p, "9lives", PROM_GAUGE, NULL);
	prom_family(&p, "bad-name", PROM_GAUGE, NULL);
	prom_family(&p, "", PROM_GAUGE, NULL);
	prom_family(&p, "ok", PROM_GAUGE, NULL);
	prom_u64(&p, 1, "bad:label", "x", NULL);
	prom_u64(&p, 1, "__reserved", "x", NULL);
	prom_u64(&p, 1, "a", "x", "b-c", "y", NULL);
	prom_u64(&p, 5, "a", "x", NULL);
	is_str(text(), "# TYPE ok gauge\nok{a=\"x\"} 5\n",
	    "bad names and labels write nothing, not even half a line");
	ok(prom_error(&p, &why) == 7 && strstr(why, "outside any family"),
	    "the first misuse named: %s", why);

	reset();
	{
		static char names[PROM_MAXFAMILIES + 1][16];
		int i;

		for (i = 0; i <= PROM_MAXFAMILIES; i++) {
			snprintf(names[i], sizeof(names[i]), "m%d", i);
			prom_family(&p, names[i], PROM_GAUGE, NULL);
		}
		ok(prom_error(&p, &why) == 1 && strstr(why, "more than"),
		    "families bounded: %s", why);
	}

	evbuffer_free(buf);
	done_testing();
}
