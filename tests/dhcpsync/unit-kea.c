/* SPDX-License-Identifier: ISC */
/* Kea commands: a bound lease becomes lease4-update, anything else
 * lease4-del; Kea's answer is read by its "result". */
#include <stdio.h>
#include <string.h>

#include "kea-userctx.h"
#include "kea-ctl.h"
#include "record.h"
#include "tap.h"

int
main(void)
{
	struct lease l;
	char buf[8192];
	int n;

	lease_init(&l, 0x0a400003);	/* 10.64.0.3 */
	l.l_state = LS_ACTIVE;
	l.l_starts = 1704888000;
	l.l_ends = 1704891600;
	l.l_hwtype = 1;
	l.l_hwlen = 6;
	memcpy(l.l_hw, "\x52\x54\x00\x00\x02\x01", 6);
	n = kea_command(&l, 7, buf, sizeof(buf));
	ok(n > 0, "a bound lease makes a command");
	is_str(buf, "{ \"command\": \"lease4-update\", \"service\": "
	    "[ \"dhcp4\" ], \"arguments\": { \"ip-address\": \"10.64.0.3\", "
	    "\"hw-address\": \"52:54:00:00:02:01\", \"subnet-id\": 7, "
	    "\"valid-lft\": 3600, \"expire\": 1704891600, "
	    "\"force-create\": true } }", "lease4-update with force-create");
	ok(kea_command(&l, 7, buf, 40) == -1, "a short buffer is refused");
	kea_command(&l, 0, buf, sizeof(buf));
	ok(strstr(buf, "subnet-id") == NULL &&
	    strstr(buf, "\"hw-address\": \"52:54:00:00:02:01\", "
	    "\"valid-lft\": 3600") != NULL,
	    "subnet 0: no subnet-id, Kea picks it (%s)", buf);

	/* what Kea's row keeps goes along, so the row reads back the same */
	l.l_uidlen = 7;
	memcpy(l.l_uid, "\x01\x52\x54\x00\x00\x02\x01", 7);
	l.l_hostlen = 6;
	memcpy(l.l_host, "a\"b\\c\n", 6);
	kea_command(&l, 7, buf, sizeof(buf));
	ok(strstr(buf, "\"client-id\": \"01:52:54:00:00:02:01\", ") != NULL,
	    "client-id as hex (%s)", buf);
	ok(strstr(buf, "\"hostname\": \"a\\\"b\\\\c\\u000a\", ") != NULL,
	    "hostname escaped for JSON");
	l.l_uidlen = 1;
	l.l_hostlen = 0;
	kea_command(&l, 7, buf, sizeof(buf));
	ok(strstr(buf, "client-id") == NULL && strstr(buf, "hostname") == NULL,
	    "a 1-byte client id (Kea refuses it) and no hostname: left out");

	l.l_state = LS_FREE;
	kea_command(&l, 7, buf, sizeof(buf));
	ok(strstr(buf, "\"lease4-del\"") && strstr(buf, "\"10.64.0.3\""),
	    "a free lease is a lease4-del");
	l.l_state = LS_ABANDONED;
	kea_command(&l, 7, buf, sizeof(buf));
	ok(strstr(buf, "\"lease4-update\"") && strstr(buf, "\"state\": 1, "),
	    "an abandoned lease is Kea's declined (state 1)");
	l.l_state = LS_EXPIRED;
	kea_command(&l, 7, buf, sizeof(buf));
	ok(strstr(buf, "\"lease4-update\"") && strstr(buf, "\"state\": 2, "),
	    "an expired lease is Kea's expired-reclaimed (state 2), which "
	    "Kea keeps for its client (%s)", buf);
	l.l_state = LS_ACTIVE;
	kea_command(&l, 7, buf, sizeof(buf));
	ok(strstr(buf, "\"state\"") == NULL, "a bound one has no state");
	ok(kctx_put(&l, "{ \"a\": [ 1, \"x,y\" ] }", 21) == 0,
	    "a user context goes into the lease");
	kea_command(&l, 7, buf, sizeof(buf));
	ok(strstr(buf, "\"user-context\": { \"a\": [ 1, \"x,y\" ] }, ") !=
	    NULL, "and to Kea as user-context (%s)", buf);
	l.l_extralen = 0;
	ok(kfqdn_put(&l, KFQDN_FWD | KFQDN_REV) == 0 && kfqdn_get(&l) ==
	    (KFQDN_FWD | KFQDN_REV), "fqdn flags go into the lease");
	l.l_hostlen = 4;
	memcpy(l.l_host, "host", 4);
	kea_command(&l, 7, buf, sizeof(buf));
	ok(strstr(buf, "\"hostname\": \"host\", \"fqdn-fwd\": true, "
	    "\"fqdn-rev\": true, ") != NULL, "and to Kea with the hostname "
	    "(%s)", buf);
	l.l_hostlen = 0;
	kea_command(&l, 7, buf, sizeof(buf));
	ok(strstr(buf, "fqdn") == NULL && strstr(buf, "\"lease4-update\""),
	    "without a hostname (Kea refuses the flags alone): the lease "
	    "without them");
	l.l_extralen = 0;
	ok(kctx_put(&l, "{ \"a\": 1 }, \"subnet-id\": 9", 26) == -1,
	    "not one JSON object: refused");
	l.l_extralen = (uint16_t)snprintf(l.l_extra, sizeof(l.l_extra),
	    "set kea-user-context = \"{}, \\\"subnet-id\\\": 9, "
	    "\\\"x\\\": {}\";");
	kea_command(&l, 0, buf, sizeof(buf));
	ok(strstr(buf, "subnet-id") == NULL && strstr(buf, "user-context") ==
	    NULL, "a peer's variable that would add members is left out");
	l.l_extralen = 0;
	l.l_hwlen = 0;
	l.l_uidlen = 0;
	l.l_state = LS_ABANDONED;
	kea_command(&l, 7, buf, sizeof(buf));
	ok(strstr(buf, "\"lease4-update\"") && strstr(buf,
	    "\"hw-address\": \"\", ") && strstr(buf, "\"state\": 1, "),
	    "declined with no hardware address (the row Kea writes on a "
	    "decline): still declined on the peer (%s)", buf);
	l.l_state = LS_ACTIVE;
	kea_command(&l, 7, buf, sizeof(buf));
	ok(strstr(buf, "\"lease4-update\"") && strstr(buf,
	    "\"hw-address\": \"\", "),
	    "bound with no hardware address: still bound on the peer");
	l.l_starts = LEASE_T_NEVER;
	kea_command(&l, 7, buf, sizeof(buf));
	ok(strstr(buf, "\"lease4-del\"") != NULL,
	    "starts never (a peer's record): no time Kea holds, lease4-del");
	l.l_starts = 1704888000;
	l.l_ends = (int64_t)1 << 50;
	kea_command(&l, 7, buf, sizeof(buf));
	ok(strstr(buf, "\"lease4-del\"") != NULL,
	    "ends past what Kea reads back: lease4-del");

	ok(kea_result("{ \"result\": 0, \"text\": \"ok\" }", 0) == 0,
	    "result 0 is done");
	ok(kea_result("{\"result\":1,\"text\":\"no\"}", 0) == KEA_REFUSED,
	    "result 1 is a refusal of this lease");
	ok(kea_result("{\"result\":1,\"text\":\"no\"}", 1) == KEA_REFUSED,
	    "also for a delete");
	ok(kea_result("{ \"result\": 2, \"text\": \"'lease4-update' "
	    "command not supported.\" }", 0) == -1,
	    "result 2 (no lease_cmds hook) is Kea not working");
	ok(kea_result("{ \"result\": 3 }", 0) == -1,
	    "result 3 (empty) fails an update");
	ok(kea_result("{ \"result\": 3 }", 1) == 0,
	    "result 3 (empty) is fine for a delete");
	ok(kea_result("garbage", 0) == -1, "no result: refused");
	ok(kea_result("{ \"result\": }", 0) == -1, "no number: refused");

	kea_reason("{ \"result\": 1, \"text\": \"subnet-id not specified "
	    "and failed to find a subnet for address 192.0.2.9\" }", buf,
	    sizeof(buf));
	is_str(buf, "subnet-id not specified and failed to find a subnet for "
	    "address 192.0.2.9", "Kea's reason, as Kea 2.2 words it");
	kea_reason("{\"text\":\"a \\\"q\\\"\\nb\\\\c\001\"}", buf,
	    sizeof(buf));
	is_str(buf, "a 'q' b c ", "quotes, escapes, control bytes: one line");
	kea_reason("{\"text\":\"abcdef\"}", buf, 4);
	is_str(buf, "abc", "cut to the buffer");
	kea_reason("{\"result\":1}", buf, sizeof(buf));
	is_str(buf, "", "no text: empty");
	kea_reason("{\"text\": 5}", buf, sizeof(buf));
	is_str(buf, "", "text not a string: empty");
	done_testing();
}
