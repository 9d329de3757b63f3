/* SPDX-License-Identifier: ISC */
/* Option value parsers: sizes, lag, --expect, counts, --http, ?lag=. */
#include <string.h>

#include "args.h"
#include "plugin.h"
#include "tap.h"

int
main(void)
{
	struct cond c;
	uint64_t b = 0;
	char err[128], addr[64];
	uint16_t port = 0;
	long n = 0;
	int set = 0;

	ok(args_size("16MB", &b, err, sizeof(err)) == 0 && b == 16 << 20,
	    "16MB is 16 MiB");
	ok(args_size("512kB", &b, err, sizeof(err)) == 0 && b == 512 << 10,
	    "512kB");
	ok(args_size("100", &b, err, sizeof(err)) == 0 && b == 100,
	    "bare number is bytes");
	ok(args_size("1GiB", &b, err, sizeof(err)) == 0 && b == 1ULL << 30,
	    "1GiB");
	ok(args_size("16XB", &b, err, sizeof(err)) == -1 &&
	    strstr(err, "unknown unit \"XB\"") != NULL, "bad unit named: %s",
	    err);
	ok(args_size("", &b, err, sizeof(err)) == -1, "empty is not a size");
	ok(args_size("99999999999999999999", &b, err, sizeof(err)) == -1 &&
	    strstr(err, "too large"), "overflow caught");
	ok(args_size("20000000TB", &b, err, sizeof(err)) == -1,
	    "overflow with unit caught");

	memset(&c, 0, sizeof(c));
	ok(args_lag("30s", &c.c_lag, err, sizeof(err)) == 0 && c.c_lag.l_secs_set &&
	    c.c_lag.l_secs.r_hi == 30 && !c.c_lag.l_bytes_set, "30s is time");
	ok(args_lag("1m", &c.c_lag, err, sizeof(err)) == 0 &&
	    c.c_lag.l_secs.r_hi == 60, "1m is a minute");
	ok(args_lag("1M", &c.c_lag, err, sizeof(err)) == 0 && c.c_lag.l_bytes_set &&
	    c.c_lag.l_bytes.r_hi == 1 << 20, "1M is a mebibyte");
	ok(args_lag("500ms", &c.c_lag, err, sizeof(err)) == 0 &&
	    c.c_lag.l_secs.r_hi == 0.5, "500ms");
	memset(&c, 0, sizeof(c));
	ok(args_lag("1048576 and 2min", &c.c_warn, err, sizeof(err)) == 0 &&
	    c.c_warn.l_both && c.c_warn.l_bytes.r_hi == 1048576 &&
	    c.c_warn.l_secs.r_hi == 120, "check_postgres '1048576 and 2min'");
	ok(args_lag("16777216 and 10 min", &c.c_warn, err, sizeof(err)) == 0 &&
	    c.c_warn.l_secs.r_hi == 600, "'16777216 and 10 min'");
	ok(args_lag("1048576 and 120", &c.c_warn, err, sizeof(err)) == 0 &&
	    c.c_warn.l_secs.r_hi == 120 && c.c_warn.l_bytes.r_hi == 1048576,
	    "a bare number after and is seconds");
	ok(args_lag("2min and 1MB", &c.c_warn, err, sizeof(err)) == 0 &&
	    c.c_warn.l_secs.r_hi == 120 && c.c_warn.l_bytes.r_hi == 1 << 20,
	    "either order with units");
	ok(args_lag("1MB and 2MB", &c.c_warn, err, sizeof(err)) == -1 &&
	    strstr(err, "joins a size and a duration"), "two sizes: %s", err);
	ok(args_lag("1MB:30s", &c.c_warn, err, sizeof(err)) == -1 &&
	    strstr(err, "a size and a duration in one range"), "mixed: %s",
	    err);
	ok(args_lag("16MB:1MB", &c.c_warn, err, sizeof(err)) == -1 &&
	    strstr(err, "past the end"), "reversed: %s", err);
	ok(args_lag("~:", &c.c_warn, err, sizeof(err)) == -1, "~: refused");
	ok(args_lag("@1MB:16MB", &c.c_warn, err, sizeof(err)) == 0 &&
	    c.c_warn.l_bytes.r_inside && c.c_warn.l_bytes.r_lo == 1 << 20,
	    "@1MB:16MB");
	{
		uint64_t us = 0;
		int st = -1;
		const char *kv[] = { "host", "db'1", "port", "5433", "user",
		    NULL, NULL };

		ok(plugin_timeout("10", &us, &st, err, sizeof(err)) == 0 &&
		    us == 10000000 && st == 3, "-t 10: UNKNOWN on expiry");
		ok(plugin_timeout("500ms:critical", &us, &st, err,
		    sizeof(err)) == 0 && us == 500000 && st == 2,
		    "-t 500ms:critical");
		ok(plugin_timeout("5:bogus", &us, &st, err, sizeof(err)) == -1,
		    "bad state refused");
		ok(plugin_timeout("0", &us, &st, err, sizeof(err)) == -1 &&
		    plugin_timeout(":ok", &us, &st, err, sizeof(err)) == -1,
		    "0 and no duration refused");
		ok(args_conninfo("dbname=x", kv, addr, sizeof(addr), err,
		    sizeof(err)) == 0 && strcmp(addr,
		    "dbname=x host='db\\'1' port='5433'") == 0,
		    "conninfo with -H/-p quoted: %s", addr);
		ok(args_conninfo("postgres://a/b", kv, addr, sizeof(addr), err,
		    sizeof(err)) == -1, "a URI base refused");
		ok(args_conninfo("dbname=xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
		    "xxxxxxxxxxxxxxxxxxxxxxxxxxx", kv, addr, sizeof(addr), err,
		    sizeof(err)) == -1, "too long for the buffer refused");
	}
	memset(&c, 0, sizeof(c));
	ok(args_lag("5x", &c.c_lag, err, sizeof(err)) == -1, "5x rejected");
	ok(args_lag("1.5.s", &c.c_lag, err, sizeof(err)) == -1, "1.5.s rejected");

	memset(&c, 0, sizeof(c));
	ok(args_expect("primary", &c, err, sizeof(err)) == 0 &&
	    c.c_nexpect == 1 && c.c_expect[0] == EXPECT_PRIMARY, "primary");
	ok(args_expect("standby,any", &c, err, sizeof(err)) == 0 &&
	    c.c_nexpect == 3 && c.c_expect[1] == EXPECT_STANDBY &&
	    c.c_expect[2] == EXPECT_ANY, "comma list appends");
	ok(args_expect("master", &c, err, sizeof(err)) == -1 &&
	    strstr(err, "\"master\""), "unknown role named: %s", err);
	ok(args_expect("primary,", &c, err, sizeof(err)) == -1,
	    "empty item rejected");

	ok(args_count("40", &n, err, sizeof(err)) == 0 && n == 40, "count 40");
	ok(args_count("-1", &n, err, sizeof(err)) == -1, "negative count");
	ok(args_count("4x", &n, err, sizeof(err)) == -1, "4x not a count");

	ok(args_listen("8008", addr, sizeof(addr), &port, err,
	    sizeof(err)) == 0 && port == 8008 &&
	    strcmp(addr, "127.0.0.1") == 0, "bare port binds loopback");
	ok(args_listen("0.0.0.0:8008", addr, sizeof(addr), &port, err,
	    sizeof(err)) == 0 && strcmp(addr, "0.0.0.0") == 0, "addr:port");
	ok(args_listen("[::1]:9", addr, sizeof(addr), &port, err,
	    sizeof(err)) == 0 && strcmp(addr, "::1") == 0 && port == 9,
	    "[v6]:port");
	ok(args_listen("::1:9", addr, sizeof(addr), &port, err,
	    sizeof(err)) == -1, "bare v6 needs brackets");
	ok(args_listen("x:70000", addr, sizeof(addr), &port, err,
	    sizeof(err)) == -1, "port out of range");
	ok(args_listen(":", addr, sizeof(addr), &port, err,
	    sizeof(err)) == -1, "empty port");

	ok(args_query_lag("lag=16MB", &b, &set) == 0 && set && b == 16 << 20,
	    "?lag=16MB");
	ok(args_query_lag("x=1&lag=100", &b, &set) == 0 && set && b == 100,
	    "?x=1&lag=100");
	ok(args_query_lag(NULL, &b, &set) == 0 && !set, "no query");
	{
		/* what Patroni 3.0.2's parse_int(value, 'B') returns */
		static const struct {
			const char *s;
			int ok;
			double v;
		} sz[] = {
			{ "1048576", 1, 1048576 }, { "1024kB", 1, 1 << 20 },
			{ " 10 MB ", 1, 10 << 20 }, { "1.5GB", 1, 3ULL << 29 },
			{ "0x400", 1, 1024 }, { "16M", 0, 0 }, { "1KB", 0, 0 },
			{ "10mb", 0, 0 }, { "", 0, 0 }, { ".", 0, 0 },
			{ "-1", 1, -1 }, { "16777216TB", 1, 18446744073709551616.0 },
			{ "010", 1, 8 }, { "09", 0, 0 }, { "0.5MB", 1, 524288 },
			{ ".5MB", 1, 524288 }, { "1e3", 1, 1000 },
			{ "1e3kB", 1, 1024000 }, { "1.", 0, 0 }, { "1e", 0, 0 },
			{ "+5", 1, 5 }, { "-0x10", 1, -16 },
			{ "1.0001MB", 1, 1048576 }, { "4097.5kB", 1, 4195840 },
			{ "2.5", 1, 2 }, { "3.5", 1, 4 }, { "0X10", 0, 0 },
			{ "- 1", 0, 0 }, { "1.5e2kB", 1, 153600 }, { "\t7\t", 1, 7 },
		};
		double d;
		size_t i;
		int r;

		for (i = 0; i < sizeof(sz) / sizeof(sz[0]); i++) {
			d = 0;
			r = args_query_size(sz[i].s, &d);
			ok(sz[i].ok ? r == 0 && d == sz[i].v : r == -1,
			    "lag '%s': %s", sz[i].s, sz[i].ok ? "as Patroni" :
			    "None to Patroni");
		}
	}
	ok(args_query_lag("lag=1%20GB", &b, &set) == 0 && set && b == 1 << 30,
	    "?lag=1%%20GB decoded");
	ok(args_query_lag("lag=1kB&lag=zz", &b, &set) == 0 && set && b == 1024,
	    "the first lag= counts");
	ok(args_query_lag("lag=zz&lag=1kB", &b, &set) == 0 && !set,
	    "?lag=zz&lag=1kB: no limit, as Patroni, even with a second");
	ok(args_query_lag("lag=-1MB", &b, &set) == -1 && set,
	    "?lag=-1MB: below 0");
	ok(args_query_lag("lag=16777216TB", &b, &set) == 0 && !set,
	    "?lag=16777216TB: past 2^64, no limit");
	return done_testing();
}
