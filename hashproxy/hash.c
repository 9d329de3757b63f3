/* SPDX-License-Identifier: ISC */
/*
 * The hash functions behind "balance source".  The ring and the map
 * reproduce haproxy 2.6 (src/lb_chash.c, src/lb_map.c, src/backend.c
 * get_server_sh()) so that a source lands on the same server; the
 * rendezvous variant is ours.
 */
#include <arpa/inet.h>
#include <math.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>

#include "hash.h"

uint32_t
hash_full(uint32_t a)
{
	a = (a + 0x7ed55d16) + (a << 12);
	a = (a ^ 0xc761c23c) ^ (a >> 19);
	a = (a + 0x165667b1) + (a << 5);
	a = (a + 0xd3a2646c) ^ (a << 9);
	a = (a + 0xfd7046c5) + (a << 3);
	a = (a ^ 0xb55a4f09) ^ (a >> 16);
	/* spread over the whole 32-bit ring: a large prime near 3/4 of it */
	return a * 3221225473U;
}

uint32_t
hash_source(const struct sockaddr *sa, int avalanche)
{
	const uint8_t *b;
	uint32_t h = 0, w;
	size_t len, i;

	if (sa->sa_family == AF_INET) {
		b = (const uint8_t *)&((const struct sockaddr_in *)sa)->sin_addr;
		len = 4;
	} else if (sa->sa_family == AF_INET6) {
		b = ((const struct sockaddr_in6 *)sa)->sin6_addr.s6_addr;
		len = 16;
	} else
		return 0;
	for (i = 0; i + 4 <= len; i += 4) {
		memcpy(&w, b + i, 4);
		h ^= ntohl(w);
	}
	return avalanche ? hash_full(h) : h;
}

static int
hash_point_cmp(const void *a, const void *b)
{
	const struct hash_point *x = a, *y = b;

	if (x->hp_key != y->hp_key)
		return x->hp_key < y->hp_key ? -1 : 1;
	/* equal keys: haproxy's tree keeps insertion order */
	return x->hp_idx < y->hp_idx ? -1 : x->hp_idx > y->hp_idx;
}

int
hash_ring_build(struct hash_ring *r, const struct hash_cand *c, int n)
{
	int i, k, total = 0, o = 0;

	r->hr_pts = NULL;
	r->hr_npts = 0;
	/* a server in slowstart has the first eweight of its points, as
	 * haproxy's chash queues next_eweight nodes */
	for (i = 0; i < n; i++)
		total += HASH_EWEIGHT(&c[i]);
	if (total == 0)
		return 0;
	if ((r->hr_pts = calloc((size_t)total, sizeof(*r->hr_pts))) == NULL)
		return -1;
	for (i = 0; i < n; i++)
		for (k = 0; k < HASH_EWEIGHT(&c[i]); k++) {
			r->hr_pts[o].hp_key = hash_full(c[i].hc_id *
			    HASH_EWGHT_RANGE + (uint32_t)k);
			r->hr_pts[o].hp_idx = c[i].hc_idx;
			o++;
		}
	qsort(r->hr_pts, (size_t)total, sizeof(*r->hr_pts), hash_point_cmp);
	r->hr_npts = total;
	return 0;
}

void
hash_ring_free(struct hash_ring *r)
{
	free(r->hr_pts);
	r->hr_pts = NULL;
	r->hr_npts = 0;
}

/* i's neighbour in direction dir (+1, -1) not held by avoid; -1 if none. */
static int
hash_ring_step(const struct hash_ring *r, int i, int dir, int avoid)
{
	int k;

	for (k = 0; k < r->hr_npts; k++) {
		i = (i + dir + r->hr_npts) % r->hr_npts;
		if (r->hr_pts[i].hp_idx != avoid)
			return i;
	}
	return -1;
}

/*
 * With avoid, the ring is searched as if avoid's points were gone: the
 * answer is the one the ring gives once avoid is marked down, so a
 * redispatched client lands where it will stay (haproxy's own redispatch
 * walks on from avoid's point instead, which may be another server).
 */
int
hash_ring_lookup(const struct hash_ring *r, uint32_t h, int avoid,
    int (*eligible)(void *, int), void *arg)
{
	int lo = 0, hi = r->hr_npts, next, prev, pick, loop;

	if (r->hr_npts == 0)
		return -1;
	/* first point >= h, wrapping to the first */
	while (lo < hi) {
		int mid = lo + (hi - lo) / 2;

		if (r->hr_pts[mid].hp_key < h)
			lo = mid + 1;
		else
			hi = mid;
	}
	/* the first kept point from there on, and the last kept before it
	 * (the last of a run of equal keys, like eb32_prev()) */
	if ((next = hash_ring_step(r, lo - 1, 1, avoid)) == -1)
		return -1;
	prev = hash_ring_step(r, next, -1, avoid);
	/* the closer of the two; a tie goes to the one before */
	if (h - r->hr_pts[prev].hp_key <= r->hr_pts[next].hp_key - h)
		pick = prev;
	else
		pick = next;
	for (loop = 0; loop < r->hr_npts; loop++) {
		int idx = r->hr_pts[pick].hp_idx;

		if (idx != avoid && (eligible == NULL || eligible(arg, idx)))
			return idx;
		pick = (pick + 1) % r->hr_npts;
	}
	/* everything refused: haproxy then keeps the last one seen */
	return r->hr_pts[pick].hp_idx == avoid ? -1 : r->hr_pts[pick].hp_idx;
}

static int
hash_gcd(int a, int b)
{
	while (b) {
		int t = a % b;

		a = b;
		b = t;
	}
	return a;
}

int
hash_map_build(struct hash_map *m, const struct hash_cand *c, int n)
{
	int i, o, g = 0, tot = 0, *score;

	m->hm_idx = NULL;
	m->hm_len = 0;
	/* weights in eweight steps: the gcd brings a map without slowstart
	 * back to the user weights */
	for (i = 0; i < n; i++)
		if (HASH_EWEIGHT(&c[i]) > 0)
			g = hash_gcd(g, HASH_EWEIGHT(&c[i]));
	if (g == 0)
		return 0;
	for (i = 0; i < n; i++)
		tot += HASH_EWEIGHT(&c[i]) / g;
	if ((m->hm_idx = calloc((size_t)tot, sizeof(int))) == NULL)
		return -1;
	if ((score = calloc((size_t)n, sizeof(int))) == NULL) {
		free(m->hm_idx);
		m->hm_idx = NULL;
		return -1;
	}
	/*
	 * haproxy's recalc_server_map(): each slot goes to the server whose
	 * accumulated score is highest, first declared winning ties.
	 */
	for (o = 0; o < tot; o++) {
		int best = -1, max = 0;

		for (i = 0; i < n; i++) {
			int v;

			if (HASH_EWEIGHT(&c[i]) == 0)
				continue;
			if (tot == 1) {
				best = i;
				break;
			}
			score[i] += HASH_EWEIGHT(&c[i]) / g;
			v = (score[i] + tot) / tot;
			if (best == -1 || v > max) {
				max = v;
				best = i;
			}
		}
		m->hm_idx[o] = c[best].hc_idx;
		score[best] -= tot;
	}
	free(score);
	m->hm_len = tot;
	return 0;
}

void
hash_map_free(struct hash_map *m)
{
	free(m->hm_idx);
	m->hm_idx = NULL;
	m->hm_len = 0;
}

int
hash_map_lookup(const struct hash_map *m, uint32_t h, int avoid)
{
	int i, idx;

	if (m->hm_len == 0)
		return -1;
	idx = m->hm_idx[h % (uint32_t)m->hm_len];
	if (idx != avoid)
		return idx;
	/* redispatch: the next slot held by another server */
	for (i = 1; i < m->hm_len; i++) {
		idx = m->hm_idx[(h + (uint32_t)i) % (uint32_t)m->hm_len];
		if (idx != avoid)
			return idx;
	}
	return -1;
}

/* splitmix64's finaliser: a well-mixed 64-bit value per (source, server). */
static uint64_t
hash_mix64(uint64_t x)
{
	x += 0x9e3779b97f4a7c15ULL;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
	return x ^ (x >> 31);
}

int
hash_hrw_lookup(const struct hash_cand *c, int n, uint32_t h, int avoid)
{
	double best = 0, score, u;
	int i, pick = -1;

	for (i = 0; i < n; i++) {
		if (c[i].hc_weight == 0 || c[i].hc_idx == avoid)
			continue;
		/* u in (0,1); -w/ln(u) makes shares proportional to weight */
		u = ((double)(hash_mix64(((uint64_t)h << 32) | c[i].hc_id) >>
		    11) + 0.5) / 9007199254740992.0;
		score = -(double)HASH_EWEIGHT(&c[i]) / log(u);
		if (pick == -1 || score > best) {
			best = score;
			pick = c[i].hc_idx;
		}
	}
	return pick;
}
