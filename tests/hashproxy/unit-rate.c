/* SPDX-License-Identifier: ISC */
/*
 * limits.c's accept rate (maxconnrate, maxsessrate, rate-limit
 * sessions) on a clock the test moves: a backlog taken as fast as
 * rate_wait allows comes in N a second, as haproxy 2.6 lets it in
 * (ratelimit.t measures both from the client side); rate_wait names the
 * first millisecond one more may come, not a later one, not an earlier.
 */
#include <stdio.h>
#include <string.h>

#include "tap.h"
#include "hashproxy.h"

#define T0	1000345		/* ms: any time after boot, off the second */

/*
 * n clients waiting from t, each accepted as soon as rate_wait allows;
 * per[i] counts those accepted in the i-th second after t.  0, or the
 * first time rate_wait answered wrong: early (one more would pass its
 * limit) or late (one could have come a millisecond before).
 */
static uint64_t
drain(struct hp_rate *r, uint64_t t, int n, int limit, int *per, int nper)
{
	uint64_t start = t;
	unsigned w;

	while (n > 0) {
		if ((w = rate_wait(r, t, limit)) > 0) {
			if (w > 1 && rate_wait(r, t + w - 1, limit) == 0)
				return t;	/* late */
			t += w;
			if (rate_wait(r, t, limit) != 0)
				return t;	/* early */
			continue;
		}
		rate_add(r, t, 1);
		if ((t - start) / 1000 < (uint64_t)nper)
			per[(t - start) / 1000]++;
		n--;
	}
	return 0;
}

static void
per_second(const char *what, int *per, int nper, int want, int nwant)
{
	char got[256] = "", exp[256] = "";
	size_t gl = 0, el = 0;
	int i;

	for (i = 0; i < nper; i++) {
		gl += (size_t)snprintf(got + gl, sizeof(got) - gl, "%d ", per[i]);
		el += (size_t)snprintf(exp + el, sizeof(exp) - el, "%d ",
		    i < nwant ? want : 0);
	}
	is_str(got, exp, "%s", what);
}

int
main(void)
{
	struct hp_rate r;
	int per[12];

	memset(&r, 0, sizeof(r));
	memset(per, 0, sizeof(per));
	is_int(drain(&r, T0, 200, 20, per, 12), 0,
	    "200 waiting, limit 20: rate_wait is never early nor late");
	per_second("they come 20 a second for 10 s, as haproxy's", per, 12,
	    20, 10);

	memset(&r, 0, sizeof(r));
	memset(per, 0, sizeof(per));
	is_int(drain(&r, T0, 10, 1, per, 12), 0,
	    "limit 1: never early nor late");
	per_second("one a second", per, 12, 1, 10);

	/* a quiet while: a burst of the limit at once, no more */
	memset(&r, 0, sizeof(r));
	rate_add(&r, T0, 20);
	is_int(rate_wait(&r, T0 + 5000, 20), 0, "5 s later: room again");
	rate_add(&r, T0 + 5000, 19);
	is_int(rate_wait(&r, T0 + 5000, 20), 0, "19 at once: one more fits");
	rate_add(&r, T0 + 5000, 1);
	ok(rate_wait(&r, T0 + 5000, 20) > 0, "20 at once: the 21st waits");
	/* an accept that failed gives its place back */
	rate_add(&r, T0 + 5000, -1);
	is_int(rate_wait(&r, T0 + 5000, 20), 0, "one taken back: it fits");

	/* the last second weighs by what of it is still within a second */
	memset(&r, 0, sizeof(r));
	rate_add(&r, T0, 20);
	ok(rate_wait(&r, T0 + 999, 20) > 0, "20 in the first second: full "
	    "to its end");
	is_int(rate_wait(&r, T0 + 1500, 20), 0, "half a second into the "
	    "next: half of them weigh, room");
	rate_add(&r, T0 + 1500, 9);
	is_int(rate_wait(&r, T0 + 1500, 20), 0, "10 + 9: one more");
	rate_add(&r, T0 + 1500, 1);
	ok(rate_wait(&r, T0 + 1500, 20) > 0, "10 + 10: full");

	is_int(rate_wait(&r, T0 + 1500, 0), 0, "limit 0: none");

	/* what show stat reads: haproxy's read_freq_ctr and its maximum */
	memset(&r, 0, sizeof(r));
	is_int(rate_read(&r, T0), 0, "read: nothing yet, 0");
	rate_add(&r, T0, 40);
	rate_keep_max(&r);
	is_int(rate_read(&r, T0 + 999), 40, "read: 40 within their second");
	is_int(rate_read(&r, T0 + 1250), 30, "read: a quarter second on, "
	    "three quarters of them");
	is_int(rate_read(&r, T0 + 1999), 0, "read: rounded down");
	is_int(rate_read(&r, T0 + 2000), 0, "read: two seconds on, none");
	rate_add(&r, T0 + 5000, 3);
	rate_keep_max(&r);
	rate_add(&r, T0 + 5000, 1);
	rate_add(&r, T0 + 5000, -1);
	is_int(r.r_max, 40, "max: the most one second had, kept; one taken "
	    "back not counted");
	memset(&r, 0, sizeof(r));
	rate_add(&r, T0, 1);
	is_int(rate_read(&r, T0 + 1900), 1, "read: one last second and none "
	    "since reads 1, as haproxy's (no flapping)");
	return done_testing();
}
