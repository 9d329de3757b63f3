/* SPDX-License-Identifier: ISC */
/*
 * Open addressing on the IPv4 address, linear probing, deletion never
 * needed (an address, once seen, keeps its latest record).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "table.h"

_Static_assert(LEASE_REC_MAX <= UINT16_MAX, "e_len is 16 bits");

int
table_init(struct table *t)
{
	memset(t, 0, sizeof(*t));
	t->t_cap = 1024;
	if ((t->t_slots = calloc(t->t_cap, sizeof(*t->t_slots))) == NULL)
		return -1;
	return 0;
}

void
table_free(struct table *t)
{
	size_t i;

	for (i = 0; i < t->t_cap; i++)
		free(t->t_slots[i]);
	free(t->t_slots);
	memset(t, 0, sizeof(*t));
}

static size_t
table_hash(uint32_t a, size_t cap)
{
	return (size_t)((a * 2654435761u) & (cap - 1));
}

static size_t
table_slot(struct entry **slots, size_t cap, uint32_t a)
{
	size_t i = table_hash(a, cap);

	while (slots[i] != NULL && slots[i]->e_addr != a)
		i = (i + 1) & (cap - 1);
	return i;
}

struct entry *
table_get(const struct table *t, uint32_t addr)
{
	return t->t_slots[table_slot(t->t_slots, t->t_cap, addr)];
}

int
table_full_for(const struct table *t, uint32_t addr)
{
	return t->t_max > 0 && t->t_n >= t->t_max && table_get(t, addr) == NULL;
}

static int
table_grow(struct table *t)
{
	struct entry **ns;
	size_t i, cap = t->t_cap * 2;

	if ((ns = calloc(cap, sizeof(*ns))) == NULL)
		return -1;
	for (i = 0; i < t->t_cap; i++)
		if (t->t_slots[i])
			ns[table_slot(ns, cap, t->t_slots[i]->e_addr)] =
			    t->t_slots[i];
	free(t->t_slots);
	t->t_slots = ns;
	t->t_cap = cap;
	return 0;
}

static void
list_unlink(struct table *t, struct entry *e)
{
	if (e->e_seq == 0)
		return;
	if (e->e_prev)
		e->e_prev->e_next = e->e_next;
	else
		t->t_head = e->e_next;
	if (e->e_next)
		e->e_next->e_prev = e->e_prev;
	else
		t->t_tail = e->e_prev;
	e->e_prev = e->e_next = NULL;
}

static void
list_append(struct table *t, struct entry *e)
{
	e->e_next = NULL;
	e->e_prev = t->t_tail;
	if (t->t_tail)
		t->t_tail->e_next = e;
	else
		t->t_head = e;
	t->t_tail = e;
}

/*
 * Our own server's file is a journal: its later block for an address is
 * the one dhcpd itself uses (dhcpd.leases(5)), even when its cltt is
 * earlier (a clock set right after writing a future time).  Only a record
 * against one of the peer's is ordered by the failover rule; else a
 * future cltt in our own file would hide every renewal after it.
 */
static int
table_keeps(const struct entry *old, int64_t cltt, int rank, const char *rec,
    size_t len, uint64_t seq)
{
	int cmp = lease_cmp(old->e_cltt, old->e_rank, old->e_rec, old->e_len,
	    cltt, rank, rec, len);

	if (seq != 0 && old->e_seq != 0)
		return cmp == 0;
	return cmp >= 0;
}

int
table_merge(struct table *t, const struct lease *l, const char *rec,
    size_t len, uint64_t seq)
{
	struct entry *old, *e;
	size_t slot;
	int rank = lease_state_rank(l->l_state);

	if (len >= LEASE_REC_MAX)
		return errno = EMSGSIZE, -1;
	/* a peer, or a runaway file, must not take all our memory */
	if (table_full_for(t, l->l_addr))
		return errno = ENOSPC, -1;
	if ((t->t_n + 1) * 4 > t->t_cap * 3 && table_grow(t) == -1)
		return -1;
	slot = table_slot(t->t_slots, t->t_cap, l->l_addr);
	old = t->t_slots[slot];
	if (old && table_keeps(old, l->l_cltt, rank, rec, len, seq))
		return MERGE_KEPT;
	if (seq != 0 && seq <= t->t_seq)
		return errno = ERANGE, -1;
	if ((e = malloc(sizeof(*e) + len + 1)) == NULL)
		return -1;
	e->e_prev = e->e_next = NULL;
	e->e_addr = l->l_addr;
	e->e_gen = 0;
	e->e_held = 0;
	e->e_cltt = l->l_cltt;
	e->e_rank = (uint8_t)rank;
	e->e_len = (uint16_t)len;
	memcpy(e->e_rec, rec, len);
	e->e_rec[len] = '\0';
	e->e_seq = 0;
	if (old) {
		list_unlink(t, old);
		free(old);
	} else
		t->t_n++;
	t->t_slots[slot] = e;
	if (seq) {
		e->e_seq = t->t_seq = seq;
		list_append(t, e);
	}
	return MERGE_CHANGED;
}

size_t
table_reown(struct table *t, uint64_t first)
{
	struct entry *e;
	size_t i, n = 0;

	for (i = 0; i < t->t_cap; i++) {
		e = t->t_slots[i];
		if (e == NULL || e->e_seq != 0)
			continue;
		e->e_seq = t->t_seq = first + n++;
		list_append(t, e);
	}
	return n;
}

size_t
table_peer_count(const struct table *t)
{
	size_t i, n = 0;

	for (i = 0; i < t->t_cap; i++)
		if (t->t_slots[i] && t->t_slots[i]->e_seq == 0)
			n++;
	return n;
}

struct entry *
table_after(const struct table *t, uint64_t seq)
{
	struct entry *e;

	/* Walk back from the tail: a resume point is usually recent. */
	for (e = t->t_tail; e && e->e_prev && e->e_prev->e_seq > seq;
	    e = e->e_prev)
		;
	return e && e->e_seq > seq ? e : NULL;
}

int
table_walk(const struct table *t, table_cb cb, void *arg)
{
	size_t i;
	int rc;

	for (i = 0; i < t->t_cap; i++)
		if (t->t_slots[i] && (rc = cb(t->t_slots[i], arg)) != 0)
			return rc;
	return 0;
}
