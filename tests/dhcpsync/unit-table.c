/* SPDX-License-Identifier: ISC */
/*
 * The merge rule: most recent cltt wins, ties broken deterministically;
 * applying a set of records in any order, any number of times, gives the
 * same table.  And the table holds one entry per address, whatever the
 * history.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "record.h"
#include "table.h"
#include "tap.h"

#define NREC 5

static struct lease recs[NREC];
static char enc[NREC][LEASE_REC_MAX];
static int enclen[NREC];

static void
mk(int i, uint32_t addr, int64_t cltt, int state, uint8_t mac)
{
	lease_init(&recs[i], addr);
	recs[i].l_cltt = cltt;
	recs[i].l_state = (uint8_t)state;
	recs[i].l_hwtype = 1;
	recs[i].l_hwlen = 6;
	recs[i].l_hw[5] = mac;
	enclen[i] = lease_encode(&recs[i], enc[i], sizeof(enc[i]));
}

/* The table after merging records in order perm[0..n), as one string. */
static void
result(const int *perm, int n, int twice, char *out, size_t outlen)
{
	struct table t;
	struct entry *e;
	uint32_t a;
	int i, r;

	table_init(&t);
	for (r = 0; r <= twice; r++)
		for (i = 0; i < n; i++)
			table_merge(&t, &recs[perm[i]], enc[perm[i]],
			    (size_t)enclen[perm[i]], 0);
	out[0] = '\0';
	for (a = 0xc0000201; a <= 0xc0000203; a++)
		if ((e = table_get(&t, a)) != NULL) {
			strncat(out, e->e_rec, outlen - strlen(out) - 2);
			strcat(out, "|");
		}
	table_free(&t);
}

static int
next_perm(int *p, int n)
{
	int i = n - 2, j, tmp;

	while (i >= 0 && p[i] >= p[i + 1])
		i--;
	if (i < 0)
		return 0;
	for (j = n - 1; p[j] <= p[i]; j--)
		;
	tmp = p[i]; p[i] = p[j]; p[j] = tmp;
	for (i++, j = n - 1; i < j; i++, j--) {
		tmp = p[i]; p[i] = p[j]; p[j] = tmp;
	}
	return 1;
}

int
main(void)
{
	char want[8192], got[8192];
	int perm[NREC] = { 0, 1, 2, 3, 4 }, same = 1, count = 0;
	struct table t;
	struct entry *e;
	int i, rc;

	/* .1: three versions; .2: a cltt tie broken by state then bytes */
	mk(0, 0xc0000201, 100, LS_ACTIVE, 1);
	mk(1, 0xc0000201, 300, LS_ACTIVE, 2);	/* newest: wins */
	mk(2, 0xc0000201, 200, LS_FREE, 1);
	mk(3, 0xc0000202, 500, LS_ACTIVE, 3);
	mk(4, 0xc0000202, 500, LS_ACTIVE, 4);	/* same cltt, greater bytes */

	result(perm, NREC, 0, want, sizeof(want));
	ok(strstr(want, enc[1]) != NULL, "most recent cltt wins");
	ok(strstr(want, enc[4]) != NULL && strstr(want, enc[3]) == NULL,
	    "a cltt tie goes to the greater record, whichever came first");
	do {
		result(perm, NREC, 0, got, sizeof(got));
		if (strcmp(got, want) != 0)
			same = 0;
		result(perm, NREC, 1, got, sizeof(got));
		if (strcmp(got, want) != 0)
			same = 0;
		count++;
	} while (next_perm(perm, NREC));
	is_int(count, 120, "all orders tried");
	ok(same, "every order, applied once or twice, gives the same table");

	mk(0, 0xc0000201, 100, LS_ACTIVE, 1);
	mk(1, 0xc0000201, 100, LS_FREE, 1);
	ok(lease_cmp(100, lease_state_rank(LS_ACTIVE), enc[0], (size_t)enclen[0],
	    100, lease_state_rank(LS_FREE), enc[1], (size_t)enclen[1]) < 0,
	    "on a cltt tie, free (end of a binding) beats active");

	/* history does not grow the table */
	table_init(&t);
	for (i = 1; i <= 5000; i++) {
		mk(0, 0xc0000201 + (uint32_t)(i % 3), i, LS_ACTIVE, (uint8_t)i);
		if (table_merge(&t, &recs[0], enc[0], (size_t)enclen[0],
		    (uint64_t)i) != MERGE_CHANGED)
			break;
	}
	is_int(i, 5001, "5000 superseding blocks all merge");
	is_int(t.t_n, 3, "table holds 3 entries for 3 addresses");
	e = table_after(&t, 0);
	ok(e && e->e_seq == 4998 && e->e_next && e->e_next->e_seq == 4999 &&
	    e->e_next->e_next && e->e_next->e_next->e_seq == 5000 &&
	    !e->e_next->e_next->e_next, "send list: one entry per address, "
	    "in sequence order");
	ok(table_after(&t, 4999) && table_after(&t, 4999)->e_seq == 5000,
	    "resume after 4999 starts at 5000");
	ok(table_after(&t, 5000) == NULL, "nothing after the last");
	mk(0, 0xc0000201, 1, LS_ACTIVE, 9);
	rc = table_merge(&t, &recs[0], enc[0], (size_t)enclen[0], 6000);
	is_int(rc, MERGE_CHANGED, "a later block of our own file replaces "
	    "our earlier one even with an earlier cltt (dhcpd's journal)");
	rc = table_merge(&t, &recs[0], enc[0], (size_t)enclen[0], 6001);
	is_int(rc, MERGE_KEPT, "the same block read again changes nothing");
	mk(0, 0xc0000201, 0, LS_ACTIVE, 9);
	rc = table_merge(&t, &recs[0], enc[0], (size_t)enclen[0], 0);
	is_int(rc, MERGE_KEPT, "the peer's older record is kept out");
	mk(0, 0xc0000201, 9000, LS_ACTIVE, 9);
	rc = table_merge(&t, &recs[0], enc[0], (size_t)enclen[0], 0);
	is_int(rc, MERGE_CHANGED, "the peer's newer record wins");
	ok(table_after(&t, 0)->e_seq == 4999, "the peer's record is not "
	    "on our send list");
	mk(0, 0xc0000209, 9000, LS_ACTIVE, 9);
	rc = table_merge(&t, &recs[0], enc[0], (size_t)enclen[0], 10);
	is_int(rc, -1, "a local sequence number going back is refused");
	table_free(&t);

	/* the cap: new addresses beyond it are refused, known ones merge */
	table_init(&t);
	t.t_max = 2;
	mk(0, 0xc0000201, 1, LS_ACTIVE, 1);
	mk(1, 0xc0000202, 1, LS_ACTIVE, 1);
	mk(2, 0xc0000203, 1, LS_ACTIVE, 1);
	mk(3, 0xc0000201, 2, LS_ACTIVE, 1);
	table_merge(&t, &recs[0], enc[0], (size_t)enclen[0], 0);
	table_merge(&t, &recs[1], enc[1], (size_t)enclen[1], 0);
	ok(table_full_for(&t, 0xc0000203) && !table_full_for(&t, 0xc0000201),
	    "full: for a new address only");
	errno = 0;
	rc = table_merge(&t, &recs[2], enc[2], (size_t)enclen[2], 0);
	ok(rc == -1 && errno == ENOSPC, "a third address: ENOSPC");
	is_int(t.t_n, 2, "the table still holds 2");
	rc = table_merge(&t, &recs[3], enc[3], (size_t)enclen[3], 0);
	is_int(rc, MERGE_CHANGED, "a known address still merges at the cap");
	table_free(&t);
	return done_testing();
}
