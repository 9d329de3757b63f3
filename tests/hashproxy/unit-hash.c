/* SPDX-License-Identifier: ISC */
/*
 * hash.c: haproxy 2.6 compatibility (vectors recorded from a real
 * haproxy 2.6.12 with the seed's three servers, ids 1..3, weight 1),
 * minimal movement when a server leaves, spread.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>

#include "tap.h"
#include "hash.h"

static struct sockaddr_in
sin4(const char *a)
{
	struct sockaddr_in s;

	memset(&s, 0, sizeof(s));
	s.sin_family = AF_INET;
	inet_pton(AF_INET, a, &s.sin_addr);
	return s;
}

static int
ring_pick(const struct hash_ring *r, const char *addr)
{
	struct sockaddr_in s = sin4(addr);

	return hash_ring_lookup(r, hash_source((struct sockaddr *)&s, 1), -1,
	    NULL, NULL);
}

static void
test_haproxy_vectors(void)
{
	/* source -> server index (0 = id 1), seen on haproxy 2.6.12 */
	static const struct { const char *a; int idx; } v[] = {
		{ "127.0.0.1", 1 }, { "127.1.2.3", 2 }, { "127.9.8.7", 2 },
		{ "127.200.1.1", 1 }, { "127.55.4.3", 1 }, { "127.3.3.3", 0 },
		{ "127.100.100.100", 2 }, { "127.0.5.9", 1 },
		{ "127.0.0.2", 0 }, { "127.0.0.3", 2 }, { "127.0.0.4", 0 },
	};
	struct hash_cand c[3] = { { 0, 1, 1, 0 }, { 1, 2, 1, 0 },
	    { 2, 3, 1, 0 } };
	struct hash_ring r;
	size_t i;

	ok(hash_ring_build(&r, c, 3) == 0, "ring built");
	is_int(r.hr_npts, 48, "16 points per unit of weight");
	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++)
		is_int(ring_pick(&r, v[i].a), v[i].idx, "%s as haproxy",
		    v[i].a);
	hash_ring_free(&r);
}

static void
test_source(void)
{
	struct sockaddr_in s = sin4("10.1.2.3");
	struct sockaddr_in6 s6;

	is_int(hash_source((struct sockaddr *)&s, 0), 0x0a010203,
	    "the raw key is the address, host order");
	ok(hash_source((struct sockaddr *)&s, 1) ==
	    hash_full(0x0a010203), "avalanche = full_hash(key)");
	memset(&s6, 0, sizeof(s6));
	s6.sin6_family = AF_INET6;
	inet_pton(AF_INET6, "2001:db8::1", &s6.sin6_addr);
	is_int(hash_source((struct sockaddr *)&s6, 0),
	    0x20010db8 ^ 0x00000001, "IPv6: its four words XORed");
}

/* Counts how many of n sources change server when idx 1 leaves. */
static void
test_movement(void)
{
	struct hash_cand all[3] = { { 0, 1, 1, 0 }, { 1, 2, 1, 0 },
	    { 2, 3, 1, 0 } };
	struct hash_cand two[2] = { { 0, 1, 1, 0 }, { 2, 3, 1, 0 } };
	struct hash_ring r3, r2;
	int i, moved_other = 0, moved_dead = 0, cnt[3] = { 0, 0, 0 };
	int h3, h2, hm = 0;

	hash_ring_build(&r3, all, 3);
	hash_ring_build(&r2, two, 2);
	for (i = 0; i < 30000; i++) {
		uint32_t h = hash_full((uint32_t)i * 2654435761U);
		int a = hash_ring_lookup(&r3, h, -1, NULL, NULL);
		int b = hash_ring_lookup(&r2, h, -1, NULL, NULL);

		if (a != 1 && a != b)
			moved_other++;
		if (a == 1)
			moved_dead++;
		/* rendezvous must keep the same property */
		h3 = hash_hrw_lookup(all, 3, h, -1);
		h2 = hash_hrw_lookup(two, 2, h, -1);
		if (h3 != 1 && h3 != h2)
			hm++;
		cnt[h3]++;
	}
	is_int(moved_other, 0, "consistent: no client of a survivor moves");
	ok(moved_dead > 0, "the dead server's clients moved");
	is_int(hm, 0, "rendezvous: no client of a survivor moves");
	for (i = 0; i < 3; i++)
		ok(cnt[i] > 9000 && cnt[i] < 11000, "rendezvous share %d of "
		    "30000 near a third", cnt[i]);
	is_int(hash_ring_lookup(&r3, 12345, 1, NULL, NULL) != 1, 1,
	    "avoid skips a server");
	hash_ring_free(&r3);
	hash_ring_free(&r2);
}

/*
 * A redispatch away from a server lands where the ring without it puts
 * the client: the server it keeps once the check marks the other down.
 */
static void
test_avoid_is_down(void)
{
	struct hash_cand all[4] = { { 0, 1, 1, 0 }, { 1, 2, 3, 0 },
	    { 2, 3, 2, 0 }, { 3, 4, 1, 0 } };
	struct hash_cand less[3];
	struct hash_ring full, without;
	int i, k, n, bad = 0;

	hash_ring_build(&full, all, 4);
	for (k = 0; k < 4; k++) {
		for (i = 0, n = 0; i < 4; i++)
			if (i != k)
				less[n++] = all[i];
		hash_ring_build(&without, less, 3);
		for (i = 0; i < 20000; i++) {
			uint32_t h = hash_full((uint32_t)i * 2654435761U);

			if (hash_ring_lookup(&full, h, k, NULL, NULL) !=
			    hash_ring_lookup(&without, h, -1, NULL, NULL))
				bad++;
		}
		hash_ring_free(&without);
	}
	is_int(bad, 0, "ring: avoiding a server = the ring without it "
	    "(weights 1,3,2,1; each server avoided in turn)");
	hash_ring_free(&full);
}

static void
test_map(void)
{
	struct hash_cand c[3] = { { 0, 1, 1, 0 }, { 1, 2, 2, 0 },
	    { 2, 3, 1, 0 } };
	struct hash_map m;
	int n[3] = { 0, 0, 0 }, i;

	ok(hash_map_build(&m, c, 3) == 0, "map built");
	is_int(m.hm_len, 4, "map length = sum of weights / gcd");
	for (i = 0; i < m.hm_len; i++)
		n[m.hm_idx[i]]++;
	ok(n[0] == 1 && n[1] == 2 && n[2] == 1, "slots follow weights");
	is_int(hash_map_lookup(&m, 5, -1), m.hm_idx[1], "h %% length");
	ok(hash_map_lookup(&m, 5, m.hm_idx[1]) != m.hm_idx[1],
	    "avoid picks another");
	hash_map_free(&m);
	ok(hash_map_build(&m, c, 0) == 0 && hash_map_lookup(&m, 1, -1) == -1,
	    "empty map: no server");
}

static void
test_weights(void)
{
	struct hash_cand c[2] = { { 0, 1, 3, 0 }, { 1, 2, 1, 0 } };
	struct hash_cand z[1] = { { 0, 1, 0, 0 } };
	struct hash_ring r;
	int i, n0 = 0;

	hash_ring_build(&r, c, 2);
	is_int(r.hr_npts, 64, "weight 3 + 1: 64 points");
	hash_ring_free(&r);
	for (i = 0; i < 20000; i++)
		if (hash_hrw_lookup(c, 2, hash_full((uint32_t)i), -1) == 0)
			n0++;
	ok(n0 > 14000 && n0 < 16000, "rendezvous honours weight 3:1 (%d)", n0);
	ok(hash_ring_build(&r, z, 1) == 0 && hash_ring_lookup(&r, 1, -1,
	    NULL, NULL) == -1, "weight 0: no point");
	hash_ring_free(&r);
}

int
main(void)
{
	test_haproxy_vectors();
	test_source();
	test_movement();
	test_map();
	test_avoid_is_down();
	test_weights();
	return done_testing();
}
