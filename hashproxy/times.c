/* SPDX-License-Identifier: ISC */
/*
 * The connection times "show stat" reports as haproxy does: qtime (in a
 * server's queue), ctime (connecting), ttime (the whole connection), each
 * averaged over the last HP_TIME_SAMPLES connections with haproxy's
 * sliding sum (swrate_add_dynamic), which needs no ring of samples.
 */
#include <stdint.h>

#include "hashproxy.h"

static uint64_t
times_window(const struct hp_times *t)
{
	return t->t_n < HP_TIME_SAMPLES ? t->t_n : HP_TIME_SAMPLES;
}

/* One finished connection's times (usec), v[HT_QUEUE..HT_TOTAL]. */
void
times_add(struct hp_times *t, const uint64_t v[HT_N])
{
	uint64_t n;
	int i;

	t->t_n++;
	n = times_window(t);
	for (i = 0; i < HT_N; i++) {
		t->t_sum[i] = t->t_sum[i] - (t->t_sum[i] + n - 1) / n + v[i];
		if (v[i] > t->t_max[i])
			t->t_max[i] = v[i];
	}
}

uint64_t
times_avg(const struct hp_times *t, enum hp_time which)
{
	uint64_t n = times_window(t);

	return n == 0 ? 0 : (t->t_sum[which] + n - 1) / n;
}
