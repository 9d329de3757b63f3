/* SPDX-License-Identifier: ISC */
/* Kea's kea-leases4.csv: columns by the header's names, both ways. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dhcpsync.h"
#include "kea-csv.h"
#include "kea-userctx.h"
#include "record.h"
#include "tap.h"

struct got {
	struct lease l[8];
	int	 n;
};

static int
collect(const struct lease *l, size_t end, void *arg)
{
	struct got *g = arg;

	if (g->n < 8)
		g->l[g->n++] = *l;
	return 0;
}

/* The rows read (first: collect takes it) and those stepped over. */
struct skips {
	struct got g;
	int	 n, line[4], have[4];
	uint32_t addr[4];
	char	 why[4][128];
};

static int
skipped(const struct leases_skip *sk, size_t end, void *arg)
{
	struct skips *s = arg;

	if (s->n < 4) {
		s->line[s->n] = sk->ls_line;
		s->have[s->n] = sk->ls_have_addr;
		s->addr[s->n] = sk->ls_addr;
		snprintf(s->why[s->n], sizeof(s->why[0]), "%s", sk->ls_why);
		s->n++;
	}
	return 0;
}

static int
parse(const char *s, struct got *g, char *err, size_t errlen)
{
	memset(g, 0, sizeof(*g));
	err[0] = '\0';
	return csv_parse(s, strlen(s), "kea-leases4.csv", collect, g, err,
	    errlen);
}

int
main(void)
{
	struct got g, g2;
	char err[256], row[1024], rec[LEASE_REC_MAX], rec2[LEASE_REC_MAX];
	const char *kea =
	    "address,hwaddr,client_id,valid_lifetime,expire,subnet_id,"
	    "fqdn_fwd,fqdn_rev,hostname,state,user_context,pool_id\n"
	    "192.0.2.10,52:54:00:12:34:56,01:52:54:00:12:34:56,3600,"
	    "1704891600,1,0,0,pc&#x2c1,0,{ \"a\": 1 },0\n"
	    "192.0.2.11,52:54:00:12:34:57,,3600,1704891600,1,0,0,,2,,0\n";
	/* an older Kea: fewer columns, in another order */
	const char *old =
	    "hwaddr,address,valid_lifetime,expire,subnet_id,fqdn_fwd,"
	    "fqdn_rev,hostname\n"
	    "52:54:00:12:34:58,192.0.2.12,600,1704888600,1,0,0,old\n";
	int n;

	ok(parse(kea, &g, err, sizeof(err)) == 0 && g.n == 2, "Kea 2.x file "
	    "(%s)", err);
	is_int(g.l[0].l_addr, 0xc000020a, "address");
	is_int(g.l[0].l_ends, 1704891600, "expire is ends");
	is_int(g.l[0].l_cltt, 1704888000, "cltt = expire - valid_lifetime");
	is_int(g.l[0].l_uidlen, 7, "client_id is uid");
	ok(g.l[0].l_hostlen == 4 && memcmp(g.l[0].l_host, "pc,1", 4) == 0,
	    "hostname with Kea's escaped comma");
	is_int(g.l[0].l_state, LS_ACTIVE, "state 0 is active");
	is_int(g.l[1].l_state, LS_EXPIRED, "state 2 (expired-reclaimed) is "
	    "expired: Kea keeps it, unlike a deleted row");
	ok(parse(old, &g2, err, sizeof(err)) == 0 && g2.n == 1 &&
	    g2.l[0].l_addr == 0xc000020c && g2.l[0].l_hwlen == 6,
	    "columns found by name in another order");

	n = csv_format(&g.l[0], 1, row, sizeof(row));
	is_str(row, "192.0.2.10,52:54:00:12:34:56,01:52:54:00:12:34:56,3600,"
	    "1704891600,1,0,0,pc&#x2c1,0,{ \"a\": 1 },0\n",
	    "row written as Kea does, its user context kept");
	{
		char file[2048];
		snprintf(file, sizeof(file), "%s%s", csv_header(), row);
		ok(parse(file, &g2, err, sizeof(err)) == 0 && g2.n == 1,
		    "written row reads back");
		lease_encode(&g.l[0], rec, sizeof(rec));
		lease_encode(&g2.l[0], rec2, sizeof(rec2));
		is_str(rec2, rec, "round trip");
	}
	(void)n;

	/* Kea's DNS update flags go along, with the hostname they are for */
	ok(parse("address,valid_lifetime,expire,fqdn_fwd,fqdn_rev,hostname\n"
	    "192.0.2.20,60,120,1,1,a.example\n192.0.2.21,60,120,0,1,b\n"
	    "192.0.2.22,60,120,1,1,\n", &g, err, sizeof(err)) == 0 &&
	    g.n == 3, "rows with fqdn flags read (%s)", err);
	is_int(kfqdn_get(&g.l[0]), KFQDN_FWD | KFQDN_REV, "fqdn_fwd and "
	    "fqdn_rev 1 are kept");
	is_int(kfqdn_get(&g.l[1]), KFQDN_REV, "fqdn_rev alone");
	is_int(kfqdn_get(&g.l[2]), 0, "no hostname: no flags (Kea's "
	    "lease4-update refuses them alone)");
	csv_format(&g.l[0], 1, row, sizeof(row));
	is_str(row, "192.0.2.20,,,60,120,1,1,1,a.example,0,,0\n",
	    "and written back");
	csv_format(&g.l[1], 1, row, sizeof(row));
	is_str(row, "192.0.2.21,,,60,120,1,0,1,b,0,,0\n", "one of them");

	ok(parse("address,hwaddr\n", &g, err, sizeof(err)) == -1, "missing "
	    "columns refused");
	is_str(err, "kea-leases4.csv:1: header: no column \"valid_lifetime\"",
	    "names the column");
	ok(parse("address,valid_lifetime,expire\n192.0.2.1,60\n", &g, err,
	    sizeof(err)) == -1, "short row refused");
	is_str(err, "kea-leases4.csv:2: 2 columns; should be 3 as in the "
	    "header", "names the line");
	ok(parse("address,valid_lifetime,expire\n192.0.2.1,60,x\n", &g, err,
	    sizeof(err)) == -1, "bad expire refused");
	is_str(err, "kea-leases4.csv:2: expire: bad value", "names the field");
	ok(parse("address,valid_lifetime,expire\n192.0.2.1,600,60\n", &g, err,
	    sizeof(err)) == -1, "lifetime longer than expire refused");
	ok(parse("", &g, err, sizeof(err)) == -1, "empty file refused");

	/* memfile's record of a deleted lease: valid_lifetime 0 */
	ok(parse("address,hwaddr,valid_lifetime,expire,state\n"
	    "192.0.2.9,52:54:00:00:00:09,0,1704888000,0\n", &g, err,
	    sizeof(err)) == 0 && g.n == 1, "a deleted lease's row reads");
	is_int(g.l[0].l_state, LS_FREE, "valid_lifetime 0 is not bound");
	is_int(g.l[0].l_cltt, 1704888000, "at its last transaction time");
	ok(parse("address,valid_lifetime,expire,state\n192.0.2.9,60,120,3\n",
	    &g, err, sizeof(err)) == 0 && g.l[0].l_state == LS_RELEASED,
	    "state 3 (newer Kea's released) is released");

	/* following a file Kea appends to: in pieces, header kept */
	{
		const char *f = "address,valid_lifetime,expire\n"
		    "192.0.2.1,60,120\n192.0.2.2,60,1";
		struct csv_hdr h = { .ch_ncol = 0 };
		size_t used;
		int lines;

		memset(&g, 0, sizeof(g));
		ok(csv_parse_more(f, strlen(f), "k", 1, 0, &h, collect, &g,
		    &used, &lines, err, sizeof(err)) == 0 && g.n == 1,
		    "a row cut short is left for later");
		is_int(used, strlen("address,valid_lifetime,expire\n"
		    "192.0.2.1,60,120\n"), "used stops before it");
		is_int(lines, 3, "at line 3");
		ok(csv_parse_more("192.0.2.2,60,130\n", 17, "k", lines, 0, &h,
		    collect, &g, &used, &lines, err, sizeof(err)) == 0 &&
		    g.n == 2 && g.l[1].l_ends == 130 && used == 17,
		    "the rest reads with the header seen before");
		ok(csv_parse_more("192.0.2.3,x,1\n", 14, "k", lines, 0, &h,
		    collect, &g, &used, &lines, err, sizeof(err)) == -1,
		    "a bad row later on is refused");
		is_str(err, "k:4: valid_lifetime: bad value", "with its line");
	}

	/*
	 * A user context that is not a JSON object: Kea skips the row
	 * (kea-lfc 2.2 drops it), so it is a bad value, not a lease without
	 * its context.
	 */
	ok(parse("address,valid_lifetime,expire,user_context\n"
	    "192.0.2.1,60,120,{\"a\": 1&#x2c; \"b\": 2}\n", &g, err,
	    sizeof(err)) == -1, "a user context that is not JSON: refused");
	is_str(err, "kea-leases4.csv:2: user_context: bad value",
	    "naming the column");

	/* a follower steps over the rows Kea skips and reads on, as Kea */
	{
		const char *f = "address,hwaddr,valid_lifetime,expire,"
		    "user_context\n"
		    "192.0.2.5,zz:01,60,120,\n"
		    "192.0.2.6,52:54:00:00:00:06,60,120,\n"
		    "192.0.2.7,52:54:00:00:00:07,60,120\n"
		    "192.0.2.8,,60,120,{\"a\": 1&#x2c; \"b\": 2}\n"
		    "192.0.2.9,,60,120,{ \"a\": 1 }\n";
		struct csv_hdr h = { .ch_ncol = 0 };
		struct skips sk;
		size_t used;
		int lines;

		memset(&sk, 0, sizeof(sk));
		ok(csv_parse_skip(f, strlen(f), "k", 1, 0, &h, collect,
		    skipped, &sk, &used, &lines, err, sizeof(err)) == 0 &&
		    used == strlen(f) && lines == 7, "bad rows do not stop "
		    "the parse (%s)", err);
		ok(sk.g.n == 2 && sk.g.l[0].l_addr == 0xc0000206 &&
		    sk.g.l[1].l_addr == 0xc0000209, "the good rows are read");
		is_int(sk.n, 3, "three rows stepped over");
		ok(sk.line[0] == 2 && sk.have[0] && sk.addr[0] == 0xc0000205,
		    "a bad hwaddr, at its line, with its address");
		is_str(sk.why[0], "k:2: hwaddr: bad value", "and why");
		is_str(sk.why[1], "k:4: 4 columns; should be 5 as in the "
		    "header", "a row short of a column");
		ok(sk.line[2] == 5 && sk.addr[2] == 0xc0000208,
		    "a user context that is not JSON");
		memset(&g, 0, sizeof(g));
		h.ch_ncol = 0;
		ok(csv_parse_more(f, strlen(f), "k", 1, 0, &h, collect, &g,
		    &used, &lines, err, sizeof(err)) == -1 && g.n == 0,
		    "without a skip callback (check, convert) the first is "
		    "the error");
		h.ch_ncol = 0;
		ok(csv_parse_more("address,valid_l", 15, "k", 1, 0, &h,
		    collect, &g, &used, &lines, err, sizeof(err)) == 0 &&
		    used == 0 && h.ch_ncol == 0, "a header cut short waits");
	}

	/*
	 * Kea's older files, read at start as Kea reads them: a row Kea
	 * skips does not cost the rows after it.
	 */
	{
		char dir[] = "/tmp/unit-csv.XXXXXX", path[64], old2[80];
		struct counters cn;
		struct table t;
		FILE *fp;

		ok(mkdtemp(dir) != NULL, "a directory");
		snprintf(path, sizeof(path), "%s/kea-leases4.csv", dir);
		snprintf(old2, sizeof(old2), "%s.2", path);
		fp = fopen(old2, "w");
		fputs("address,hwaddr,valid_lifetime,expire,user_context\n"
		    "192.0.2.30,52:54:00:00:00:30,60,120,\n"
		    "192.0.2.31,52:54:00:00:00:31,60,120,{ x }\n"
		    "192.0.2.32,52:54:00:00:00:32,60,120,\n", fp);
		fclose(fp);
		memset(&cn, 0, sizeof(cn));
		table_init(&t);
		ok(history_load(path, &t, 1, &cn) == 0, "history loads");
		ok(table_get(&t, 0xc000021e) != NULL && table_get(&t,
		    0xc0000220) != NULL, "the rows around a bad one are read");
		ok(table_get(&t, 0xc000021f) == NULL, "the bad one is not");
		table_free(&t);
		unlink(old2);
		rmdir(dir);
	}
	return done_testing();
}
