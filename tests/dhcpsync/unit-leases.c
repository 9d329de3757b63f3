/* dhcpd.leases reader and writer: dhcpd's own text in, the same out. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lease.h"
#include "leases.h"
#include "tap.h"

struct got {
	struct lease l[16];
	size_t	 end[16];
	int	 n;
};

static int
collect(const struct lease *l, size_t end, void *arg)
{
	struct got *g = arg;

	if (g->n < 16) {
		g->end[g->n] = end;
		g->l[g->n++] = *l;
	}
	return 0;
}

static int
parse(const char *s, int final, struct got *g, size_t *used, char *err,
    size_t errlen)
{
	int lines;

	memset(g, 0, sizeof(*g));
	err[0] = '\0';
	return leases_parse(s, strlen(s), "dhcpd.leases", 1, final, collect,
	    g, used, &lines, err, errlen);
}

static const char sample[] =
"# The format of this file is documented in the dhcpd.leases(5) manual page.\n"
"# This lease file was written by isc-dhcp-4.4.3-P1\n"
"\n"
"# authoring-byte-order entry is generated, DO NOT DELETE\n"
"authoring-byte-order little-endian;\n"
"\n"
"server-duid \"\\000\\001\\000\\001-\\272\\331\\037\";\n"
"\n"
"failover peer \"dhcp-failover\" state {\n"
"  my state normal at 1 2024/01/08 10:00:00;\n"
"  partner state normal at 1 2024/01/08 10:00:00;\n"
"}\n"
"lease 192.0.2.10 {\n"
"  starts 3 2024/01/10 12:00:00;\n"
"  ends 3 2024/01/10 12:10:00;\n"
"  tstp 3 2024/01/10 12:10:00;\n"
"  tsfp 3 2024/01/10 12:10:00;\n"
"  atsfp 3 2024/01/10 12:10:00;\n"
"  cltt 3 2024/01/10 12:00:00;\n"
"  binding state active;\n"
"  next binding state free;\n"
"  rewind binding state free;\n"
"  hardware ethernet 52:54:00:12:34:56;\n"
"  uid \"\\001RT\\000\\0224V\";\n"
"  set vendor-class-identifier = \"MSFT 5.0\";\n"
"  client-hostname \"host-1\";\n"
"}\n"
"lease 192.0.2.11 {\n"
"  starts epoch 1704888000; # Wed Jan 10 12:00:00 2024\n"
"  ends never;\n"
"  binding state free;\n"
"  uid 01:52:54:0:12:34:57;\n"
"}\n";

int
main(void)
{
	struct got g;
	char err[256], buf[8192], rec[LEASE_REC_MAX], rec2[LEASE_REC_MAX];
	size_t used;
	int n, i, y, mo, d, wd, h, mi, s;

	ok(parse(sample, 1, &g, &used, err, sizeof(err)) == 0,
	    "sample parses (%s)", err);
	is_int(g.n, 2, "two lease blocks; server-duid, failover and "
	    "authoring-byte-order skipped");
	is_int(used, strlen(sample), "all consumed");
	is_int(g.l[0].l_addr, 0xc000020a, "address");
	is_int(g.l[0].l_starts, 1704888000, "starts: 2024/01/10 12:00:00 UTC");
	is_int(g.l[0].l_ends, 1704888600, "ends");
	is_int(g.l[0].l_tstp, 1704888600, "tstp");
	is_int(g.l[0].l_tsfp, 1704888600, "tsfp");
	is_int(g.l[0].l_atsfp, 1704888600, "atsfp");
	is_int(g.l[0].l_cltt, 1704888000, "cltt");
	is_int(g.l[0].l_state, LS_ACTIVE, "binding state");
	is_int(g.l[0].l_next, LS_FREE, "next binding state");
	is_int(g.l[0].l_rewind, LS_FREE, "rewind binding state");
	is_int(g.l[0].l_hwlen, 6, "hardware ethernet: 6 bytes");
	is_int(g.l[0].l_hw[5], 0x56, "hardware ethernet: last byte");
	is_int(g.l[0].l_uidlen, 7, "uid: octal escapes");
	ok(memcmp(g.l[0].l_uid, "\001RT\000\0224V", 7) == 0, "uid bytes");
	ok(g.l[0].l_hostlen == 6 && memcmp(g.l[0].l_host, "host-1", 6) == 0,
	    "client-hostname");
	is_str(g.l[0].l_extra, "set vendor-class-identifier = \"MSFT 5.0\";",
	    "set statement kept verbatim");
	is_int(g.l[1].l_starts, 1704888000, "epoch dates (db-time-format local)");
	ok(g.l[1].l_ends == LEASE_T_NEVER, "ends never");
	is_int(g.l[1].l_uidlen, 7, "uid in colon hex (lease-id-format hex)");
	ok(g.l[1].l_cltt == LEASE_T_NONE, "absent cltt stays absent");

	/* writer: dhcpd's format, read back to the same record */
	for (i = 0; i < 2; i++) {
		n = leases_format(&g.l[i], buf, sizeof(buf));
		ok(n > 0, "lease %d formats", i);
		lease_encode(&g.l[i], rec, sizeof(rec));
		{
			struct got g2;
			ok(parse(buf, 1, &g2, &used, err, sizeof(err)) == 0 &&
			    g2.n == 1, "formatted lease %d parses", i);
			lease_encode(&g2.l[0], rec2, sizeof(rec2));
			is_str(rec2, rec, "lease %d round-trips", i);
		}
	}
	n = leases_format(&g.l[0], buf, sizeof(buf));
	ok(strstr(buf, "  starts 3 2024/01/10 12:00:00;\n") != NULL,
	    "dates written as dhcpd does (weekday, UTC)");
	ok(strstr(buf, "  uid \"\\001RT\\000\\0224V\";\n") != NULL,
	    "uid written with octal escapes");
	lease_civil_from_time(0, &y, &mo, &d, &wd, &h, &mi, &s);
	ok(y == 1970 && mo == 1 && d == 1 && wd == 4, "epoch 0 is a Thursday");

	/* supersede: the caller sees every block in file order */
	{
		const char *two = "lease 192.0.2.1 { cltt 1 2024/01/01 00:00:00; "
		    "binding state active; }\nlease 192.0.2.1 { cltt 1 "
		    "2024/01/01 00:10:00; binding state free; }\n";
		ok(parse(two, 1, &g, &used, err, sizeof(err)) == 0 && g.n == 2,
		    "two blocks for one address both delivered in order");
		is_int(g.l[1].l_state, LS_FREE, "later block last");
		ok(g.end[0] < g.end[1] && g.end[1] == strlen(two) - 1,
		    "block end offsets increase");
	}

	/* a file still being appended to */
	{
		const char *cut = "lease 192.0.2.1 { binding state active; }\n"
		    "lease 192.0.2.2 { binding sta";
		ok(parse(cut, 0, &g, &used, err, sizeof(err)) == 0,
		    "cut statement is not an error while following");
		is_int(g.n, 1, "only the complete block delivered");
		is_int(used, strlen("lease 192.0.2.1 { binding state active; }"),
		    "used stops before the cut block");
		ok(parse(cut, 1, &g, &used, err, sizeof(err)) == -1,
		    "cut statement is an error at the end of a file");
		ok(parse("lease 192.0.2.1 { client-hostname \"ab", 0, &g, &used,
		    err, sizeof(err)) == 0 && used == 0,
		    "cut inside a string waits too");
		ok(parse("lease 192.0.2.1 { binding state active; }\nlea", 0,
		    &g, &used, err, sizeof(err)) == 0 && g.n == 1,
		    "cut inside a keyword waits");
	}

	/* errors name file:line and the field */
	{
		static const struct { const char *in, *want; } bad[] = {
		    { "lease 192.0.2.300 {\n}\n",
		      "dhcpd.leases:1: lease: bad IPv4 address \"192.0.2.300\"" },
		    { "lease 192.0.2.1 {\n  starts 3 2024/13/10 12:00:00;\n}\n",
		      "dhcpd.leases:2: starts: bad date \"2024/13/10 12:00:00\"" },
		    { "lease 192.0.2.1 {\n  tstp 3 -024/01/10 12:00:00;\n}\n",
		      "dhcpd.leases:2: tstp: bad date \"-024/01/10 12:00:00\"" },
		    { "lease 192.0.2.1 {\n  cltt 3 +2024/01/10 12:00:00;\n}\n",
		      "dhcpd.leases:2: cltt: bad date" },
		    { "lease 192.0.2.1 {\n\n  binding state sleepy;\n}\n",
		      "dhcpd.leases:3: binding state: unknown state \"sleepy\"" },
		    { "lease 192.0.2.1 {\n  hardware ethernet 52:54:zz;\n}\n",
		      "dhcpd.leases:2: hardware: bad address \"52:54:zz\"" },
		    { "lease 192.0.2.1 {\n  frobnicate 1;\n}\n",
		      "dhcpd.leases:2: lease: unknown statement \"frobnicate\"" },
		    { "host foo { }\n",
		      "dhcpd.leases:1: unknown statement \"host\"" },
		    { "lease 192.0.2.1 {\n  ends 3 2024/01/10 12:00:00\n}\n",
		      "dhcpd.leases:3: ends: expected \";\", got \"}\"" },
		    { "lease 192.0.2.1 {\n  client-hostname \"a\nb\";\n}\n",
		      "dhcpd.leases:2: newline in string" },
		    { "lease 192.0.2.1 {\n  set x = $(reboot);\n}\n",
		      "dhcpd.leases:2: set: unsupported value \"$(reboot)\"" },
		    { "lease 192.0.2.1 {\n  on commit { }\n}\n",
		      "dhcpd.leases:2: lease: unknown statement \"on\"" },
		    { "lease 192.0.2.1 {\n  cltt 3 2024/01/10 12:00:00;\n",
		      "dhcpd.leases:3: lease: unexpected end of file" },
		};
		for (i = 0; i < (int)(sizeof(bad) / sizeof(bad[0])); i++) {
			ok(parse(bad[i].in, 1, &g, &used, err, sizeof(err)) == -1,
			    "bad input %d rejected", i);
			is_str(err, bad[i].want, "error %d names line and field", i);
		}
	}

	/* bounds: a long line and a long block */
	{
		size_t big = 3 * LEASES_STMT_MAX;
		char *p = malloc(big + 64);
		strcpy(p, "lease 192.0.2.1 {\n");
		for (n = (int)strlen(p); (size_t)n < big; n += 2)
			memcpy(p + n, "\n\n", 2);
		strcpy(p + n, "}\n");
		ok(parse(p, 1, &g, &used, err, sizeof(err)) == -1 &&
		    strstr(err, "too long") != NULL, "block bounded (%s)", err);
		memset(p, 'a', big);
		p[big] = '\0';
		ok(parse(p, 1, &g, &used, err, sizeof(err)) == -1 &&
		    strstr(err, "too long") != NULL, "word bounded (%s)", err);
		free(p);
	}
	return done_testing();
}
