#!/bin/bash
# SPDX-License-Identifier: ISC
# contrib/dhcpsync, issue #15 (3): the primary takes back with a short
# gap and without losing a lease.  rack1 and rack2 run the dhcpsync pair
# (rack1's long-running near end, rack2's far end started per connection
# as sshd would) and each other's wait-synced far end; rack1 fails (its
# tracked check), rack2 serves and grants a lease, rack1 recovers and
# preempts: rack2 stops its dhcpd at once, rack1 starts its own once
# wait-synced is satisfied, which beside the synced pair is at once.  The
# time from rack2's dhcpd gone to rack1's started must stay under
# HA_GAP_MS (1000).
. "$(dirname "$0")/../lib/tap.sh"
. "$T_TOP/tests/dhcpsync/ha.sh"
needs_root
GAP_MS=${HA_GAP_MS:-1000}

ha_topo
lf1=$T_TMP/rack1/dhcpd.leases lf2=$T_TMP/rack2/dhcpd.leases
ha_rack rack1 150 "WAIT_PEER='$(ha_peer 192.0.2.2 7002)'"
ha_rack rack2 100 "WAIT_PEER='$(ha_peer 192.0.2.1 7002)'"
for h in rack1 rack2; do
	ha_listener "$h" 7002 "dhcpsync -l $T_TMP/$h/dhcpd.leases --state $T_TMP/$h/dhcpd.leases.wait-synced"
done
ha_listener rack2 7001 "dhcpsync -l $lf2"
in_host rack1 dhcpsync -l "$lf1" -r 200ms --control "$T_TMP/sync.sock" \
    --peer "$(ha_peer 192.0.2.2 7001)" > "$T_TMP/sync.out" 2> "$T_TMP/sync.err" &
synced() {
	printf 'status\n' | socat -t 2 - "UNIX-CONNECT:$T_TMP/sync.sock" 2>/dev/null |
	    tr '\n' ' ' | grep -q 'peer=up.*synced=1\|synced=1.*peer=up'
}
ok "the dhcpsync pair is synced" wait_for 20 synced
ha_pair
ok "rack1's dhcpd serves" wait_for 20 ha_serves rack1

# rack1's check fails: FAULT, rack2 serves and grants c1 a lease
rm "$T_TMP/rack1/up"
ok "rack1 FAULT" wait_for 10 ha_is rack1 FAULT
ok "rack2 MASTER" wait_for 10 ha_is rack2 MASTER
ok "rack2's dhcpd serves" wait_for 15 ha_serves rack2
ok "rack1's dhcpd stopped" wait_for 15 ha_idle rack1
A=$(dhcp_client c1)
like "$A" '^192\.0\.2\.1[0-2][0-9]$' "c1 leases $A"
like "$(grep dhcp-server-identifier "$T_TMP/c1.leases" | tail -1)" ' 192\.0\.2\.2;' \
    "... from rack2"
ok "rack1's file has it (the pair replicated it)" wait_for 10 leases_has "$lf1" "$A"

# when rack2's dhcpd is gone, to 20 ms
D2=$(ha_dhcpd rack2)
(tail --pid="$D2" -s 0.02 -f /dev/null; echo "$EPOCHREALTIME" > "$T_TMP/gone") &
W=$!
cleanup_push "kill $W 2>/dev/null"

# rack1 recovers and takes back
t0=$(ha_now)
n0=$(ha_starts rack1)
: > "$T_TMP/rack1/up"
ok "rack1 MASTER again" wait_for 15 ha_is rack1 MASTER
ok "rack2 BACKUP" wait_for 15 ha_is rack2 BACKUP
ok "rack1's dhcpd serves" wait_for 15 ha_serves rack1
ok "rack2's dhcpd stopped" wait_for 15 ha_idle rack2
ok "... seen to go" wait_for 5 test -s "$T_TMP/gone"
# the gap: rack2's dhcpd gone to rack1's started (its exec: it reads its
# files and binds a few ms more)
up=$(awk -v n="$n0" 'NR == n + 1 { print $1 }' "$T_TMP/rack1/starts")
read -r gone < "$T_TMP/gone"
gap=$(ha_ms "$gone" "$up")
diag "handback: rack1's dhcpd started ${gap} ms after rack2's was gone"
diag "$(awk -v t="$t0" '$1 >= t { printf "%s +%.3f %s\n", FILENAME, $1 - t, $2 }' \
    "$T_TMP/rack2/vrrpd.out" "$T_TMP/rack1/vrrpd.out" "$T_TMP/rack1/starts" \
    "$T_TMP/rack1/waits" "$T_TMP/gone" | sed "s|$T_TMP/||" | sort -t+ -k2 -n | tr '\n' ';')"
ok "the gap is under ${GAP_MS} ms" test "$gap" -lt "$GAP_MS"
is "$(dhcp_client c1)" "$A" "c1 keeps $A from rack1"
like "$(grep dhcp-server-identifier "$T_TMP/c1.leases" | tail -1)" ' 192\.0\.2\.1;' \
    "... from rack1"
done_testing
