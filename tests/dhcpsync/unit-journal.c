/* SPDX-License-Identifier: ISC */
/*
 * The journal of held records: what journal_hold() writes reads back
 * held; a record the lease file already holds is not held; a last line
 * cut short by a crash is dropped; any other bad line is refused.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dhcpsync.h"
#include "journal.h"
#include "record.h"
#include "log.h"
#include "proto.h"
#include "tap.h"

static char dir[] = "/tmp/unit-journal.XXXXXX";

static void
mk(struct lease *l, char *rec, int *n, uint32_t addr, int64_t cltt)
{
	lease_init(l, addr);
	l->l_cltt = l->l_starts = cltt;
	l->l_ends = cltt + 600;
	l->l_state = LS_ACTIVE;
	l->l_hwtype = 1;
	l->l_hwlen = 6;
	l->l_hw[5] = (uint8_t)addr;
	*n = lease_encode(l, rec, LEASE_REC_MAX);
}

static void
ds_new(struct ds *ds)
{
	if (ds->ds_tab.t_slots != NULL)
		table_free(&ds->ds_tab);
	memset(ds, 0, sizeof(*ds));
	snprintf(ds->ds_state, sizeof(ds->ds_state), "%s/state", dir);
	table_init(&ds->ds_tab);
	ds->ds_store.so_state = ds->ds_state;
	ds->ds_store.so_tab = &ds->ds_tab;
}

static void
put(const char *text)
{
	char path[4200];
	FILE *f;

	snprintf(path, sizeof(path), "%s/state.journal", dir);
	f = fopen(path, "w");
	fputs(text, f);
	fclose(f);
}

int
main(void)
{
	static struct ds a, b;
	static struct lease l[3];
	uint32_t addrs[2];
	char rec[3][LEASE_REC_MAX], line[LEASE_REC_MAX + 64], text[3 * (LEASE_REC_MAX + 64)];
	int n[3], i;

	log_init("unit-journal", 0);
	if (mkdtemp(dir) == NULL)
		return 1;
	ds_new(&a);
	for (i = 0; i < 3; i++) {
		mk(&l[i], rec[i], &n[i], 0xc0000264u + (uint32_t)i,
		    1700000000 + i);
		table_merge(&a.ds_tab, &l[i], rec[i], (size_t)n[i], 0);
	}
	/* two of the peer's records held: the file is written */
	addrs[0] = l[0].l_addr;
	addrs[1] = l[1].l_addr;
	is_int(journal_hold(&a.ds_store, addrs, 2), 0, "journal_hold writes");
	is_int(a.ds_store.so_nheld, 2, "two held");
	is_int(journal_hold(&a.ds_store, addrs, 2), 0, "holding them again");
	is_int(a.ds_store.so_nheld, 2, "... adds nothing");

	/* a restart: the lease file holds the third and an older first */
	ds_new(&b);
	table_merge(&b.ds_tab, &l[2], rec[2], (size_t)n[2], 1);
	is_int(journal_load(&b.ds_store), 0, "journal_load reads it");
	is_int(b.ds_store.so_nheld, 2, "the two are held again");
	ok(table_get(&b.ds_tab, l[1].l_addr) != NULL &&
	    table_get(&b.ds_tab, l[1].l_addr)->e_held, "... by address");

	/* the file has the first already (applied, then a crash) */
	ds_new(&b);
	table_merge(&b.ds_tab, &l[0], rec[0], (size_t)n[0], 1);
	is_int(journal_load(&b.ds_store), 0, "a journal partly applied reads");
	is_int(b.ds_store.so_nheld, 1, "what the file holds is not held");

	/* a crash inside an append: the cut line was never acknowledged */
	snprintf(line, sizeof(line), "%08x %s\n", proto_crc32(0, rec[0],
	    (size_t)n[0]), rec[0]);
	snprintf(text, sizeof(text), "dhcpsync-journal 1\n%s%.*s", line,
	    (int)strlen(line) / 2, line);
	put(text);
	ds_new(&b);
	is_int(journal_load(&b.ds_store), 0, "a cut last line is dropped");
	is_int(b.ds_store.so_nheld, 1, "... the whole one is held");

	/* a bad checksum in a whole line is refused */
	snprintf(text, sizeof(text), "dhcpsync-journal 1\n0000000%c %s\n",
	    line[7] == '0' ? '1' : '0', rec[0]);
	put(text);
	ds_new(&b);
	is_int(journal_load(&b.ds_store), -1, "a bad checksum is refused");
	put("something else\n");
	ds_new(&b);
	is_int(journal_load(&b.ds_store), -1,
	    "a file that is no journal is refused");

	journal_clear(&a.ds_store);
	is_int(a.ds_store.so_nheld, 0, "journal_clear: nothing held");
	snprintf(text, sizeof(text), "%s/state.journal", dir);
	ok(access(text, F_OK) == -1 && errno == ENOENT, "... and no file");
	ds_new(&b);
	is_int(journal_load(&b.ds_store), 0, "no journal: nothing to load");
	rmdir(dir);
	table_free(&a.ds_tab);
	table_free(&b.ds_tab);
	return done_testing();
}
