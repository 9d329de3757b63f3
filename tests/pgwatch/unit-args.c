/* Option value parsers: sizes, lag, --expect, counts, --http, ?lag=. */
#include <string.h>

#include "args.h"
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
	ok(args_lag("30s", &c.c_lag, err, sizeof(err)) == 0 && c.c_lag.l_usec_set &&
	    c.c_lag.l_usec == 30000000 && !c.c_lag.l_bytes_set, "30s is time");
	ok(args_lag("1m", &c.c_lag, err, sizeof(err)) == 0 &&
	    c.c_lag.l_usec == 60000000, "1m is a minute");
	ok(args_lag("1M", &c.c_lag, err, sizeof(err)) == 0 && c.c_lag.l_bytes_set &&
	    c.c_lag.l_bytes == 1 << 20, "1M is a mebibyte");
	ok(args_lag("500ms", &c.c_lag, err, sizeof(err)) == 0 &&
	    c.c_lag.l_usec == 500000, "500ms");
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
	ok(args_query_lag("lag=zz", &b, &set) == -1, "?lag=zz rejected");
	return done_testing();
}
