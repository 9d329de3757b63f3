/* SPDX-License-Identifier: ISC */
/*
 * Server selection by hash, bit-compatible with haproxy 2.6 for
 * "balance source" with "hash-type consistent" and "map-based", plus
 * weighted rendezvous hashing (better spread, same minimal movement).
 * Pure functions over arrays; backend.c decides which servers are
 * candidates (usable actives, else backups).
 */
#ifndef HP_HASH_H
#define HP_HASH_H

#include <stdint.h>
#include <sys/socket.h>

/* haproxy's BE_WEIGHT_SCALE and SRV_EWGHT_RANGE (256 * 16). */
#define HASH_WEIGHT_SCALE	16
#define HASH_EWGHT_RANGE	(256 * HASH_WEIGHT_SCALE)

struct hash_cand {
	int		hc_idx;		/* caller's server index */
	uint32_t	hc_id;		/* server id (haproxy puid) */
	int		hc_weight;	/* user weight 0..256 */
	/* slowstart's weight in 1/HASH_WEIGHT_SCALE steps (haproxy's
	 * eweight); 0 = full, hc_weight * HASH_WEIGHT_SCALE */
	int		hc_eweight;
};
#define HASH_EWEIGHT(c)	((c)->hc_eweight ? (c)->hc_eweight : \
	    (c)->hc_weight * HASH_WEIGHT_SCALE)

struct hash_point {
	uint32_t	hp_key;
	int		hp_idx;
};

struct hash_ring {
	struct hash_point *hr_pts;
	int		hr_npts;
};

struct hash_map {
	int		*hm_idx;
	int		 hm_len;
};

/* Bob Jenkins' full avalanche integer hash, as haproxy's full_hash(). */
uint32_t hash_full(uint32_t);
/* The source key: big-endian 32-bit words of the address XORed. */
uint32_t hash_source(const struct sockaddr *, int avalanche);

/* Consistent ring: weight*16 points per candidate at full_hash(id*4096+n). */
int	hash_ring_build(struct hash_ring *, const struct hash_cand *, int n);
void	hash_ring_free(struct hash_ring *);
/*
 * Nearest point to h (ties to the one before) on the ring without avoid's
 * points (what the ring gives once avoid is down), then on past servers
 * eligible refuses, when set.  -1 if none.
 */
int	hash_ring_lookup(const struct hash_ring *, uint32_t h, int avoid,
	    int (*eligible)(void *, int), void *arg);

/* haproxy's weighted map (weights divided by their GCD); h % length. */
int	hash_map_build(struct hash_map *, const struct hash_cand *, int n);
void	hash_map_free(struct hash_map *);
int	hash_map_lookup(const struct hash_map *, uint32_t h, int avoid);

/* Weighted rendezvous (highest random weight); -1 if none. */
int	hash_hrw_lookup(const struct hash_cand *, int n, uint32_t h,
	    int avoid);

#endif
