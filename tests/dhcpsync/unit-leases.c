/* SPDX-License-Identifier: ISC */
/* dhcpd.leases reader and writer: dhcpd's own text in, the same out. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "record.h"
#include "dhcpd-file.h"
#include "proto.h"
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
	    NULL, g, used, &lines, err, errlen);
}

struct skips {
	int	 n;
	uint32_t addr[8];
	int	 have[8], line[8];
	char	 why[8][256];
};

static int
skipped(const struct leases_skip *sk, size_t end, void *arg)
{
	struct skips *k = arg;

	if (k->n < 8) {
		k->addr[k->n] = sk->ls_addr;
		k->have[k->n] = sk->ls_have_addr;
		k->line[k->n] = sk->ls_line;
		snprintf(k->why[k->n], sizeof(k->why[0]), "%s", sk->ls_why);
	}
	k->n++;
	return 0;
}

/* Both callbacks: leases into g, skips into k. */
struct both {
	struct got g;
	struct skips k;
};

static int
both_lease(const struct lease *l, size_t end, void *arg)
{
	return collect(l, end, &((struct both *)arg)->g);
}

static int
both_skip(const struct leases_skip *sk, size_t end, void *arg)
{
	return skipped(sk, end, &((struct both *)arg)->k);
}

static int
parse_skip(const char *s, int final, struct both *b, size_t *used,
    char *err, size_t errlen)
{
	int lines;

	memset(b, 0, sizeof(*b));
	err[0] = '\0';
	return leases_parse(s, strlen(s), "dhcpd.leases", 1, final, both_lease,
	    both_skip, b, used, &lines, err, errlen);
}

/* n bytes, every one non-printable, as dhcpd's quotify_buf() writes them */
static size_t
octal(char *o, int n, int seed)
{
	size_t k = 0;
	int j;

	o[k++] = '"';
	for (j = 0; j < n; j++)
		k += (size_t)sprintf(o + k, "\\%03o", (j * 13 + seed) % 32 +
		    (j % 2 ? 0 : 0x80));
	o[k++] = '"';
	o[k] = '\0';
	return k;
}

/*
 * Every statement dhcpd 4.4's write_lease() writes in a lease block,
 * at the lengths it writes them: parse, record, format, parse again and
 * the record is the same; the record passes the stream's check.
 */
static void
statements(void)
{
	static char text[4 * LEASES_TEXT_MAX], v1[1100], v2[1100], v3[1100];
	static char v4[1100], rec[LEASE_REC_MAX], rec2[LEASE_REC_MAX];
	static char out[LEASES_TEXT_MAX];
	static struct got g, g2;
	struct lease chk;
	char err[256];
	size_t used;
	int i, n;

	octal(v1, 255, 1);
	octal(v2, 255, 2);
	octal(v3, 255, 3);
	octal(v4, 255, 4);
	snprintf(text, sizeof(text),
	    "lease 10.0.0.1 {\n"
	    "  starts 0 2026/12/06 04:00:00;\n"
	    "  ends never;\n"
	    "  tstp epoch 1796000000; # local time format\n"
	    "  cltt 0 2026/12/06 04:00:00;\n"
	    "  binding state active;\n"
	    "  next binding state free;\n"
	    "  rewind binding state free;\n"
	    "  reserved;\n"
	    "  dynamic-bootp;\n"
	    "  billing class \"vendor-x\";\n"
	    "  hardware ethernet 52:54:00:aa:bb:cc;\n"
	    "  uid %s;\n"
	    "  set vendor-class-identifier = %s;\n"
	    "  set ddns-txt = \"a\\\"b\\\\c $`'\";\n"
	    "  set counter = %%42;\n"
	    "  set offset = %%-7;\n"
	    "  set flag = true;\n"
	    "  set other = false;\n"
	    "  set raw = 01:02:ff;\n"
	    "  ddns-fwd-name \"pc1.example.org\";\n"
	    "  option agent.circuit-id %s;\n"
	    "  option agent.remote-id %s;\n"
	    "  option agent.link-selection 10.0.0.0;\n"
	    "  option agent.unknown-99 0:1:2:3;\n"
	    "  client-hostname \"pc\\\"1\\\\ \\001\";\n"
	    "  on expiry or release {\n"
	    "    set ddns-fwd-name = \"x\";\n"
	    "    if (exists agent.circuit-id) {\n"
	    "      log(info, concat(\"gone \", binary-to-ascii(16, 8, \":\", "
	    "hardware)));\n"
	    "    }\n"
	    "  }\n"
	    "  on commit { }\n"
	    "}\n"
	    "lease 10.0.0.2 {\n"
	    "  hardware infiniband 80:00:02:08:fe:80:00:00:00:00:00:00:00:02:"
	    "c9:03:00:0f:1e:2d;\n"
	    "  uid 01:02:03;\n"
	    "  client-hostname bare-name.example;\n"
	    "  billing subclass \"relay\" 0:1:2;\n"
	    "  set user-class = %s;\n"
	    "}\n"
	    "lease 10.0.0.3 {\n"
	    "  hardware unknown-7 01:02;\n"
	    "  abandoned;\n"
	    "}\n"
	    "lease 10.0.0.4 {\n"
	    "  hardware token-ring ;\n"
	    "}\n", v1, v1, v2, v3, v4);
	ok(parse(text, 1, &g, &used, err, sizeof(err)) == 0 && g.n == 4,
	    "every statement form parses (%s)", err);
	ok(g.l[0].l_uidlen == 255, "255-byte uid in \\ooo");
	ok(g.l[0].l_extralen > 3 * 1020, "three 255-byte values kept (%d "
	    "bytes of statements)", g.l[0].l_extralen);
	ok(g.l[0].l_hostlen == 7 && memcmp(g.l[0].l_host, "pc\"1\\ \001", 7)
	    == 0, "client-hostname with \\\" \\\\ and \\001");
	ok(g.l[1].l_hostlen == 17 && memcmp(g.l[1].l_host,
	    "bare-name.example", 17) == 0, "bare client-hostname is a name");
	ok(g.l[1].l_hwlen == 20, "20-byte infiniband address");
	ok(g.l[2].l_hwtype == LEASE_HW_UNKNOWN && g.l[2].l_hwraw == 7,
	    "hardware unknown-7");
	ok(g.l[3].l_hwtype != 0 && g.l[3].l_hwlen == 0,
	    "hardware type without address");
	for (i = 0; i < g.n; i++) {
		n = lease_encode(&g.l[i], rec, sizeof(rec));
		ok(n > 0, "lease %d encodes (%d bytes)", i, n);
		ok(proto_record_check(rec, (size_t)n, &chk, err, sizeof(err))
		    == 0, "lease %d passes the stream's check (%s)", i, err);
		ok(leases_format(&g.l[i], out, sizeof(out)) > 0 &&
		    parse(out, 1, &g2, &used, err, sizeof(err)) == 0 &&
		    g2.n == 1, "lease %d formats and parses back (%s)", i, err);
		lease_encode(&g2.l[0], rec2, sizeof(rec2));
		is_str(rec2, rec, "lease %d round-trips", i);
	}
	leases_format(&g.l[0], out, sizeof(out));
	ok(strstr(out, "  on expiry or release { set ddns-fwd-name = \"x\"; "
	    "if (exists agent.circuit-id) { log(info , concat( \"gone \" , "
	    "binary-to-ascii(16 , 8 , \":\" , hardware))); } }\n") != NULL,
	    "on block written on one line, tokens kept");
	ok(strstr(out, "  hardware ethernet 52:54:00:aa:bb:cc;\n") != NULL &&
	    strstr(out, "  set counter = %42;\n") != NULL,
	    "written as dhcpd writes them");
	leases_format(&g.l[2], out, sizeof(out));
	ok(strstr(out, "  hardware unknown-7 01:02;\n") != NULL,
	    "unknown-7 written back");
	leases_format(&g.l[3], out, sizeof(out));
	ok(strstr(out, "  hardware token-ring ;\n") != NULL,
	    "type without address written back");

	/* what dhcpd itself would not read stays out */
	{
		static const char *bad[] = {
		    "lease 10.0.0.9 { hardware unknown-1 01:02; }\n",
		    "lease 10.0.0.9 { hardware unknown-256 01:02; }\n",
		    "lease 10.0.0.9 { set x = %%; }\n",
		    "lease 10.0.0.9 { set x = \"a\" \"b\"; }\n",
		    "lease 10.0.0.9 { set x \"a\"; }\n",
		    "lease 10.0.0.9 { option agent.circuit-id; }\n",
		    "lease 10.0.0.9 { on commit { set x = 1; }\n",
		    "lease 10.0.0.9 { vendor-class-identifier \"x\"; }\n",
		    "lease 10.0.0.9 { on commit { `reboot`; } }\n",
		    "lease 10.0.0.9 { on commit { } } }\n",
		};
		for (i = 0; i < (int)(sizeof(bad) / sizeof(bad[0])); i++)
			ok(parse(bad[i], 1, &g, &used, err, sizeof(err)) == -1,
			    "refused: %s", err);
	}
	/* a 1,499-byte value is dhcpd's most; one more is not carried */
	{
		static char big[LEASES_STRING_MAX + 64];
		char *p;
		p = big + sprintf(big, "lease 10.0.0.8 { set x = ");
		p += octal(p, LEASES_TOKEN_MAX, 5);
		strcpy(p, "; }\n");
		ok(parse(big, 1, &g, &used, err, sizeof(err)) == 0 && g.n == 1,
		    "a 1,499-byte value, every byte \\ooo (%s)", err);
		p = big + sprintf(big, "lease 10.0.0.8 { set x = ");
		p += octal(p, LEASES_TOKEN_MAX + 1, 5);
		strcpy(p, "; }\n");
		ok(parse(big, 1, &g, &used, err, sizeof(err)) == -1,
		    "1,500 bytes refused (%s)", err);
	}
}

/* A block the parser cannot take is stepped over, reported, and the rest read. */
static void
skips(void)
{
	static char text[3 * LEASES_STMT_MAX];
	static struct both b;
	char err[256], *p;
	size_t used;

	p = text + sprintf(text,
	    "lease 10.0.1.1 { binding state active; }\n"
	    "lease 10.0.1.2 {\n  binding state active;\n  frob \"}\";\n"
	    "  on commit { set a = \"{\"; }\n}\n"
	    "lease 10.0.1.300 { binding state active; }\n"
	    "weird 1 { 2 } # }\n"
	    "lease 10.0.1.3 {\n  set x = \"");
	memset(p, 'a', LEASES_STRING_MAX + 10);
	p += LEASES_STRING_MAX + 10;
	strcpy(p, "\";\n}\n"
	    "lease 10.0.1.4 { binding state free; }\n");
	ok(parse_skip(text, 1, &b, &used, err, sizeof(err)) == 0,
	    "skipping parse reads to the end (%s)", err);
	is_int(used, strlen(text), "all consumed");
	is_int(b.g.n, 2, "the two good leases delivered");
	ok(b.g.l[0].l_addr == 0x0a000101 && b.g.l[1].l_addr == 0x0a000104,
	    "the first and the one after every bad block");
	is_int(b.k.n, 4, "four statements skipped");
	ok(b.k.have[0] && b.k.addr[0] == 0x0a000102 && b.k.line[0] == 2,
	    "skip 1: address and first line");
	is_str(b.k.why[0], "dhcpd.leases:4: lease: unknown statement \"frob\"",
	    "skip 1: file:line and why");
	ok(!b.k.have[1] && b.k.line[1] == 7, "skip 2: a bad address");
	ok(!b.k.have[2] && b.k.line[2] == 8, "skip 3: an unknown top-level "
	    "statement, to its block's end");
	ok(b.k.have[3] && b.k.addr[3] == 0x0a000103 &&
	    strstr(b.k.why[3], "longer than dhcpd reads") != NULL,
	    "skip 4: a value over dhcpd's limit (%s)", b.k.why[3]);

	/* while following: a bad block cut short waits for its end */
	ok(parse_skip("lease 10.0.1.1 { binding state active; }\n"
	    "lease 10.0.1.2 { frob; binding", 0, &b, &used, err,
	    sizeof(err)) == 0 && b.g.n == 1 && b.k.n == 0 &&
	    used == strlen("lease 10.0.1.1 { binding state active; }\n") - 1,
	    "cut bad block: not reported yet, used stops before it");
	/* what cannot be stepped over still stops */
	ok(parse_skip("lease 10.0.1.1 { binding state active; }\n}\n"
	    "lease 10.0.1.4 { binding state free; }\n", 1, &b, &used, err,
	    sizeof(err)) == -1 && strstr(err, "closes nothing") != NULL,
	    "a '}' closing nothing stops (%s)", err);
	ok(parse_skip("lease 10.0.1.1 { frob; \n", 1, &b, &used, err,
	    sizeof(err)) == -1 && strstr(err, "dhcpd.leases:1:") != NULL,
	    "a final block without its '}' stops (%s)", err);
}

/* What lease files in the field hold that dhcpd 4.4 itself does not write. */
static void
field(void)
{
	static struct both b;
	char err[256], buf[1024];
	size_t used;

	/* isc-dhcp 4.2.5 (tests/dhcpsync/corpus/README): read as no uid */
	ok(parse_skip("lease 10.1.1.1 {\n  binding state free;\n"
	    "  hardware ethernet 11:11:1a:1a:bb:bb;\n  uid \"\";\n}\n", 1, &b,
	    &used, err, sizeof(err)) == 0 && b.g.n == 1 && b.k.n == 0,
	    "uid \"\" is read (%s)", b.k.n ? b.k.why[0] : err);
	is_int(b.g.l[0].l_uidlen, 0, "uid \"\": no uid, as dhcpd reads it");
	ok(leases_format(&b.g.l[0], buf, sizeof(buf)) > 0 &&
	    strstr(buf, "uid") == NULL, "and written as dhcpd does: no uid line");
	ok(parse_skip("lease 10.1.1.1 { uid 01:02; uid; }\n", 1, &b, &used,
	    err, sizeof(err)) == 0 && b.g.n == 0 && b.k.n == 1,
	    "a uid with no value at all is still refused");
	/* dhcpd 4.4 reads an empty client-hostname and writes it back */
	ok(parse_skip("lease 10.1.1.1 {\n  binding state free;\n"
	    "  client-hostname \"\";\n}\n", 1, &b, &used, err,
	    sizeof(err)) == 0 && b.g.n == 1 && b.k.n == 0,
	    "an empty client-hostname is read, the lease kept (%s)",
	    b.k.n ? b.k.why[0] : err);
	ok(leases_format(&b.g.l[0], buf, sizeof(buf)) > 0 &&
	    strstr(buf, "  client-hostname \"\";\n") != NULL &&
	    b.g.l[0].l_hostlen == 0,
	    "and written back as read, as dhcpd writes it");
	ok(parse_skip("lease 10.1.1.1 { client-hostname \"\" x; }\n", 1, &b,
	    &used, err, sizeof(err)) == 0 && b.k.n == 1,
	    "an empty client-hostname with more after it is refused");

	/* octal escapes as dhcpd's read_string() takes them */
	ok(parse_skip("lease 10.1.1.2 { uid \"\\001\\024\\108\\063\"; }\n",
	    1, &b, &used, err, sizeof(err)) == 0 && b.g.n == 0 &&
	    b.k.n == 1 && b.k.line[0] == 1 &&
	    strstr(b.k.why[0], "dhcpd.leases:1: uid: octal escape") != NULL,
	    "\\108 (dhcpd: \"invalid octal digit\") refused with file:line (%s)",
	    b.k.why[0]);
	ok(parse_skip("lease 10.1.1.2 { set x = \"a\\1\"; }\n", 1, &b, &used,
	    err, sizeof(err)) == 0 && b.k.n == 1,
	    "a one-digit octal escape at a string's end refused");
	ok(parse_skip("lease 10.1.1.2 { uid \"\\4\\9\\377\"; }\n", 1, &b,
	    &used, err, sizeof(err)) == 0 && b.g.n == 1 &&
	    b.g.l[0].l_uidlen == 3 && memcmp(b.g.l[0].l_uid, "49\377", 3) == 0,
	    "\\4 and \\9 are the digits, as dhcpd reads them; \\377 one byte");
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

	field();
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
		    { "frob foo { }\n",
		      "dhcpd.leases:1: unknown statement \"frob\"" },
		    { "lease 192.0.2.1 {\n  ends 3 2024/01/10 12:00:00\n}\n",
		      "dhcpd.leases:3: ends: expected \";\", got \"}\"" },
		    { "lease 192.0.2.1 {\n  client-hostname \"a\nb\";\n}\n",
		      "dhcpd.leases:2: newline in string" },
		    { "lease 192.0.2.1 {\n  set x = $(reboot);\n}\n",
		      "dhcpd.leases:2: set: bad value \"$(reboot)\"" },
		    { "lease 192.0.2.1 {\n  on reboot { }\n}\n",
		      "dhcpd.leases:2: on: unknown event \"reboot\"" },
		    { "lease 192.0.2.1 {\n  bootp;\n}\n",
		      "dhcpd.leases:2: lease: unknown statement \"bootp\"" },
		    { "lease 192.0.2.1 {\n  cltt 3 2024/01/10 12:00:00;\n",
		      "dhcpd.leases:3: lease: unexpected end of file" },
		};
		for (i = 0; i < (int)(sizeof(bad) / sizeof(bad[0])); i++) {
			ok(parse(bad[i].in, 1, &g, &used, err, sizeof(err)) == -1,
			    "bad input %d rejected", i);
			is_str(err, bad[i].want, "error %d names line and field", i);
		}
	}

	statements();
	skips();

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
		    strstr(err, "longer than dhcpd reads") != NULL,
		    "word bounded (%s)", err);
		free(p);
	}
	return done_testing();
}
