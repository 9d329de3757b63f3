/* SPDX-License-Identifier: ISC */
/*
 * The live lease table: one entry per address (so memory follows the
 * pool, not the history), each holding its canonical record.  Entries the
 * peer has not acknowledged yet sit on a list in the order of the local
 * sequence number they got when they changed.
 */
#ifndef DS_TABLE_H
#define DS_TABLE_H

#include <stddef.h>
#include <stdint.h>

#include "record.h"

struct entry {
	struct entry *e_prev, *e_next;	/* send order, by e_seq */
	uint64_t e_seq;			/* 0: not ours to send */
	uint32_t e_addr;
	uint32_t e_gen;			/* file generation last seen holding it */
	int64_t	 e_cltt;
	uint8_t	 e_rank;
	uint8_t	 e_held;		/* peer's, in the journal, not the file */
	uint16_t e_len;
	char	 e_rec[];		/* canonical record, NUL-terminated */
};

struct table {
	struct entry **t_slots;
	size_t	 t_cap, t_n;
	struct entry *t_head, *t_tail;
	uint64_t t_seq;			/* largest local sequence number */
	size_t	 t_max;			/* addresses held at most; 0: no cap */
};

int	table_init(struct table *);
void	table_free(struct table *);
struct entry *table_get(const struct table *, uint32_t addr);
/* Would addr be a new address beyond t_max? */
int	table_full_for(const struct table *, uint32_t addr);

enum { MERGE_KEPT = 0, MERGE_CHANGED = 1 };
/*
 * Merges one lease (its canonical record) by the failover rule.  A seq
 * above 0 means it comes from our own server: a change then takes that
 * sequence number (larger than any before) and goes on the send list;
 * seq 0 is the peer's, never sent back.  Returns MERGE_KEPT,
 * MERGE_CHANGED or -1 (table unchanged): errno ENOSPC for a new address
 * beyond t_max, ERANGE for seq going back, else out of memory.
 */
int	table_merge(struct table *, const struct lease *, const char *rec,
	    size_t len, uint64_t seq);
/*
 * The peer's records (seq 0) become ours to send, numbered first,
 * first + 1, ... in slot order (first must be above t_seq); how many.
 */
size_t	table_reown(struct table *, uint64_t first);
size_t	table_peer_count(const struct table *);
/* First entry to send with a sequence number above seq. */
struct entry *table_after(const struct table *, uint64_t seq);
/* Visits every entry in address order is not promised; in slot order. */
typedef int (*table_cb)(const struct entry *, void *);
int	table_walk(const struct table *, table_cb, void *);

#endif
