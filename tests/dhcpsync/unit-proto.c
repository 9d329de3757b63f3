/* SPDX-License-Identifier: ISC */
/* The stream's lines: formats parse back; damage and lies are refused. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "record.h"
#include "proto.h"
#include "tap.h"

static int
parse(const char *s, struct proto_msg *m, char *err, size_t errlen)
{
	size_t n = strlen(s);

	err[0] = '\0';
	if (n && s[n - 1] == '\n')
		n--;
	return proto_parse(s, n, m, err, errlen);
}

int
main(void)
{
	struct proto_msg m;
	struct lease l;
	char line[PROTO_LINE_MAX], rec[LEASE_REC_MAX], err[256], bad[8192];
	int n, rl;

	n = proto_hello(line, sizeof(line), 0xabcdef, 0x1234, 77);
	is_str(line, "HELLO 1 id=0000000000abcdef peer=0000000000001234 "
	    "ack=77\n", "HELLO format");
	ok(parse(line, &m, err, sizeof(err)) == 0 && m.pm_type == PM_HELLO &&
	    m.pm_id == 0xabcdef && m.pm_peer == 0x1234 && m.pm_seq == 77,
	    "HELLO parses back");
	ok(parse("HELLO 2 id=1 peer=0 ack=0", &m, err, sizeof(err)) == -1,
	    "another version is refused");
	is_str(err, "HELLO: version is 2; should be 1", "and says why");

	lease_init(&l, 0xc0000205);
	l.l_cltt = 1704888000;
	l.l_ends = 1704888600;
	l.l_state = LS_ACTIVE;
	l.l_hwtype = 1;
	l.l_hwlen = 6;
	memcpy(l.l_hw, "\x52\x54\x00\x01\x02\x03", 6);
	memcpy(l.l_host, "pc,1 \"x\"", 8);
	l.l_hostlen = 8;
	rl = lease_encode(&l, rec, sizeof(rec));
	is_str(rec, "ip=192.0.2.5 cltt=1704888000 ends=1704888600 bs=active "
	    "hw=ethernet,525400010203 host=70632c312022782"
	    "2", "canonical record");
	n = proto_record(line, sizeof(line), 42, rec, (size_t)rl);
	ok(parse(line, &m, err, sizeof(err)) == 0 && m.pm_type == PM_RECORD &&
	    m.pm_seq == 42 && m.pm_lease.l_addr == 0xc0000205 &&
	    m.pm_reclen == (size_t)rl, "R parses back (%s)", err);
	line[n - 3] ^= 1;	/* one bit of the record */
	ok(parse(line, &m, err, sizeof(err)) == -1 &&
	    strstr(err, "R 42: checksum is") != NULL, "a flipped bit fails "
	    "the checksum (%s)", err);

	/* a record that is not canonical: uppercase hex */
	snprintf(bad, sizeof(bad), "ip=192.0.2.5 hw=ethernet,52540001020A");
	n = proto_record(line, sizeof(line), 1, bad, strlen(bad));
	ok(parse(line, &m, err, sizeof(err)) == -1, "non-canonical record "
	    "refused");
	is_str(err, "record: not canonical", "and says so");
	/* an attempt to smuggle text into the lease file */
	{
		const char *x = "}\nlease 192.0.2.9 { binding state active; }";
		char hex[1024];
		size_t i;
		for (i = 0; x[i]; i++)
			snprintf(hex + 2 * i, 3, "%02x", (unsigned char)x[i]);
		snprintf(bad, sizeof(bad), "ip=192.0.2.5 x=%s", hex);
		n = proto_record(line, sizeof(line), 1, bad, strlen(bad));
		ok(parse(line, &m, err, sizeof(err)) == -1, "a record carrying "
		    "lease-file syntax is refused (%s)", err);
	}
	/* braces of an "on" block must not close the lease either */
	{
		const char *x = "on commit { }\n}\nlease 192.0.2.9 { binding "
		    "state active; }\non commit {";
		char hex[1024];
		size_t i;
		for (i = 0; x[i]; i++)
			snprintf(hex + 2 * i, 3, "%02x", (unsigned char)x[i]);
		snprintf(bad, sizeof(bad), "ip=192.0.2.5 x=%s", hex);
		n = proto_record(line, sizeof(line), 1, bad, strlen(bad));
		ok(parse(line, &m, err, sizeof(err)) == -1, "an on-block "
		    "closing the lease is refused (%s)", err);
	}
	/* the longest values dhcpd writes, several in one lease */
	{
		static char big[LEASE_REC_MAX], bline[PROTO_LINE_MAX + 1];
		struct lease b;
		size_t o = 0;
		int k, j;

		lease_init(&b, 0xc0000206);
		b.l_cltt = 1704888000;
		b.l_state = LS_ACTIVE;
		for (k = 0; k < 4; k++) {
			o += (size_t)snprintf(b.l_extra + o, sizeof(b.l_extra) -
			    o, "%s%s \"", k ? "\n" : "", k == 0 ?
			    "set vendor-class-identifier =" : k == 1 ?
			    "option agent.circuit-id" : k == 2 ?
			    "option agent.remote-id" : "set user-class =");
			for (j = 0; j < 255; j++)
				o += (size_t)snprintf(b.l_extra + o,
				    sizeof(b.l_extra) - o, "\\%03o",
				    (unsigned)(j * 7 + k) & 0xff);
			o += (size_t)snprintf(b.l_extra + o, sizeof(b.l_extra) -
			    o, "\";");
		}
		b.l_extralen = (uint16_t)o;
		rl = lease_encode(&b, big, sizeof(big));
		n = proto_record(bline, sizeof(bline), 9, big, (size_t)rl);
		ok(n > 8000 && parse(bline, &m, err, sizeof(err)) == 0 &&
		    m.pm_lease.l_extralen == o, "a %d-byte line with four "
		    "255-byte escaped values is taken (%s)", n, err);
	}
	/* SKIPPED: the sender's file holds leases it could not send */
	n = proto_skipped(line, sizeof(line), 3, 1);
	is_str(line, "SKIPPED 3 1\n", "SKIPPED format");
	ok(parse(line, &m, err, sizeof(err)) == 0 && m.pm_type == PM_SKIPPED &&
	    m.pm_skipped == 3 && m.pm_broken == 1, "SKIPPED parses back");
	ok(parse("SKIPPED 0 0", &m, err, sizeof(err)) == 0 &&
	    m.pm_skipped == 0 && m.pm_broken == 0, "SKIPPED 0 0");
	ok(parse("SKIPPED 1 2", &m, err, sizeof(err)) == -1 &&
	    parse("SKIPPED 1", &m, err, sizeof(err)) == -1 &&
	    parse("SKIPPED x 0", &m, err, sizeof(err)) == -1 &&
	    parse("SKIPPED 1 0 junk", &m, err, sizeof(err)) == -1,
	    "bad SKIPPED refused (%s)", err);
	ok(parse("R 0 00000000 ip=192.0.2.5", &m, err, sizeof(err)) == -1,
	    "sequence 0 refused");
	ok(parse("R 5 0000000 ip=192.0.2.5", &m, err, sizeof(err)) == -1,
	    "short checksum refused");
	ok(parse("R 5 00000000 ip=192.0.2.5 zz=1", &m, err, sizeof(err)) == -1,
	    "bad checksum or unknown field refused");
	ok(parse("ACK 99", &m, err, sizeof(err)) == 0 && m.pm_type == PM_ACK &&
	    m.pm_seq == 99, "ACK");
	ok(parse("SYNCED 7", &m, err, sizeof(err)) == 0 &&
	    m.pm_type == PM_SYNCED && m.pm_seq == 7, "SYNCED");
	ok(parse("ACK 99 junk", &m, err, sizeof(err)) == -1, "trailing junk");
	ok(parse("ACK 99999999999999999999", &m, err, sizeof(err)) == -1,
	    "overflowing number");
	ok(parse("NOPE", &m, err, sizeof(err)) == -1, "unknown message");
	is_str(err, "unknown message \"NOPE\"", "named");
	{
		char *big = malloc(PROTO_LINE_MAX + 1);
		memset(big, 'a', PROTO_LINE_MAX);
		ok(big && proto_parse(big, PROTO_LINE_MAX, &m, err,
		    sizeof(err)) == -1 && strstr(err, "too long") != NULL,
		    "line length bounded");
		free(big);
	}
	{
		struct lease d;
		const char *r = "ip=192.0.2.5 cltt=5 ends=never bs=free nbs=free "
		    "rbs=free uid=01aa x=736574206120";
		ok(lease_decode(r, strlen(r), &d, err, sizeof(err)) == 0 &&
		    d.l_ends == LEASE_T_NEVER && d.l_uidlen == 2,
		    "decode every field (%s)", err);
		r = "ip=192.0.2.5 bs=free cltt=5";
		ok(lease_decode(r, strlen(r), &d, err, sizeof(err)) == -1,
		    "fields out of order refused");
		r = "ip=192.0.2.5 ip=192.0.2.6";
		ok(lease_decode(r, strlen(r), &d, err, sizeof(err)) == -1,
		    "repeated field refused");
	}
	return done_testing();
}
