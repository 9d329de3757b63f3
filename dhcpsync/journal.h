/* SPDX-License-Identifier: ISC */
/*
 * The hold: the peer's records that changed the table while the local
 * dhcpd runs, kept in our own journal (STATE.journal) instead of the
 * lease file dhcpd has open, until dhcpd stops and they can go in.  Part
 * of the store: its state file names the journal, its table the records.
 */
#ifndef DS_JOURNAL_H
#define DS_JOURNAL_H

#include <stddef.h>
#include <stdint.h>

struct store;

/* At start, after the lease file was read: held records into the table. */
int	journal_load(struct store *);
/*
 * Appends the current records of addr[0..n-1] (addr NULL: of every
 * peer record not held yet) and makes them durable; marks them held.
 */
int	journal_hold(struct store *, const uint32_t *addr, size_t n);
/* Every held address goes to store_changed(), to be written now. */
void	journal_release(struct store *);
/* They are in the lease file: the journal is empty again. */
void	journal_clear(struct store *);
/* How many records are held (recounted: a newer one replaces a held one). */
size_t	journal_count(const struct store *);

#endif
