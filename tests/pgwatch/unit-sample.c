/* SPDX-License-Identifier: ISC */
/* The answer to the sample query, LSNs and libpq error classing. */
#include <string.h>

#include "sample.h"
#include "tap.h"

int
main(void)
{
	const char *primary[SAMPLE_NCOLS] = { "f", "1", "00000002", NULL,
	    "0/3000060", NULL, NULL, "0", "5", "100", "3", NULL,
	    "db2=sync\nwalreceiver=async" };
	const char *standby[SAMPLE_NCOLS] = { "t", "1", NULL, "2",
	    "0/3000000", "0/3000060", "streaming", "1.5", "2", "100", "3",
	    "f", "db2" };
	struct sample s;
	uint64_t lsn = 0;
	char err[128], buf[32];

	ok(sample_lsn("16/B374D848", &lsn) == 0 && lsn == 0x16B374D848ULL,
	    "LSN 16/B374D848");
	is_str(sample_lsn_fmt(lsn, buf, sizeof(buf)), "16/B374D848",
	    "LSN formats back");
	ok(sample_lsn("0/0", &lsn) == 0 && lsn == 0, "LSN 0/0");
	ok(sample_lsn("123456789/0", &lsn) == -1, "9 hex digits rejected");
	ok(sample_lsn("0/", &lsn) == -1, "0/ rejected");
	ok(sample_lsn("0/1x", &lsn) == -1, "trailing junk rejected");

	ok(sample_parse(primary, SAMPLE_NCOLS, &s, err, sizeof(err)) == 0,
	    "primary row parses");
	is_int(s.s_role, ROLE_PRIMARY, "role primary");
	is_int(s.s_tli, 2, "promoted: WAL file timeline beats checkpoint's");
	is_int(s.s_lsn, 0x3000060, "current LSN");
	is_str(s.s_wal, "-", "no WAL receiver on a primary");
	is_int(s.s_conns, 5, "conns");
	is_int(s.s_maxconns, 100, "max_connections");
	ok(s.s_senders_known && strcmp(s.s_senders,
	    "db2=sync\nwalreceiver=async") == 0, "WAL senders' sync states");

	ok(sample_parse(standby, SAMPLE_NCOLS, &s, err, sizeof(err)) == 0,
	    "standby row parses");
	is_int(s.s_role, ROLE_STANDBY, "role standby");
	is_int(s.s_tli, 2, "received_tli beats the checkpoint's");
	is_int(s.s_recv_lsn, 0x3000060, "receive LSN");
	is_str(s.s_wal, "streaming", "WAL receiver status");
	ok(s.s_lag_s > 1.49 && s.s_lag_s < 1.51, "lag seconds");
	is_str(s.s_appname, "db2", "the name its WAL receiver gives");
	ok(!s.s_senders_known, "a standby's senders are not read");

	standby[7] = NULL;
	standby[6] = NULL;
	ok(sample_parse(standby, SAMPLE_NCOLS, &s, err, sizeof(err)) == 0 &&
	    s.s_lag_s < 0 && strcmp(s.s_wal, "none") == 0,
	    "NULL lag is unknown, no receiver is none");
	primary[12] = NULL;
	ok(sample_parse(primary, SAMPLE_NCOLS, &s, err, sizeof(err)) == 0 &&
	    !s.s_senders_known, "senders hidden (no pg_read_all_stats)");
	standby[0] = "x";
	ok(sample_parse(standby, SAMPLE_NCOLS, &s, err, sizeof(err)) == -1,
	    "bad boolean: %s", err);
	ok(sample_parse(primary, 3, &s, err, sizeof(err)) == -1 &&
	    strstr(err, "columns"), "wrong column count: %s", err);
	primary[8] = "many";
	ok(sample_parse(primary, SAMPLE_NCOLS, &s, err, sizeof(err)) == -1,
	    "non-numeric count rejected");

	is_str(sample_reason("connection to server at \"x\", port 1 failed: "
	    "Connection refused\n"), "refused", "refused");
	is_str(sample_reason("FATAL:  password authentication failed for "
	    "user \"u\""), "auth", "auth");
	is_str(sample_reason("FATAL:  sorry, too many clients already"),
	    "full", "all slots taken");
	is_str(sample_reason("FATAL:  the database system is not yet accepting"
	    " connections"), "starting", "recovering, not consistent yet");
	is_str(sample_reason("something new"), "error", "unknown -> error");
	sample_down(&s, "auth", "line \"one\"\nline two");
	is_str(s.s_msg, "line 'one'", "message: first line, quotes made safe");
	return done_testing();
}
