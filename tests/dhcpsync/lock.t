#!/bin/bash
# SPDX-License-Identifier: ISC
# One dhcpsync per lease file: two would undo each other's writes (one's
# rewrite renamed over what the other appended).  A second daemon on the
# same file refuses, naming the first; so does the far end a wait-synced
# starts over its --peer command.  A wait-synced beside the running pair
# (dhcpd's ExecStartPre next to dhcpsync.service) writes nothing itself:
# it waits until the pair is synced with its peer, fails at its timeout
# while the peer is away, and syncs by itself once the daemon is gone.
. "$(dirname "$0")/../lib/tap.sh"
. "$T_TOP/tests/dhcpsync/lib.sh"

ino() { stat -c %i "$1"; }
A=$T_TMP/a/dhcpd.leases B=$T_TMP/b/dhcpd.leases sock=$T_TMP/sync.sock
lease_pair "$A" "$B"

start_a() {
	rm -f "$sock"
	dhcpsync -l "$A" --listen "$sock" >> "$T_TMP/a.out" 2>> "$T_TMP/a.err" &
	PA=$!
	cleanup_push "kill -9 $PA 2>/dev/null"
	wait_for 10 test -S "$sock"
}
start_b() {
	dhcpsync -l "$B" --connect "$sock" --retry 100ms >> "$T_TMP/b.out" 2>> "$T_TMP/b.err" &
	PB=$!
	cleanup_push "kill -9 $PB 2>/dev/null"
}
start_a
start_b
ok "the pair syncs: 30 leases on both sides" \
    wait_for 20 both_hold 30 "$A" "$B"

# a second daemon on A's file
rc=0; timeout 10 dhcpsync -l "$A" --connect "$T_TMP/none.sock" > /dev/null 2> "$T_TMP/2nd.err" || rc=$?
is "$rc" 1 "a second dhcpsync on the same lease file: exit 1"
like "$(cat "$T_TMP/2nd.err")" "$A: dhcpsync \(pid $PA\) keeps it already" \
    "... naming the file and the daemon that keeps it"
ok "the first one runs on" kill -0 "$PA"

# wait-synced beside the synced pair: it writes nothing, exits 0
i0=$(ino "$A") n0=$(count "$A")
rc=0; timeout 20 dhcpsync wait-synced -t 10s -l "$A" --state "$A.ws" \
    --peer "exec dhcpsync -l '$B' --state '$B.ws'" > "$T_TMP/ws.out" 2> "$T_TMP/ws.err" || rc=$?
is "$rc" 0 "wait-synced beside the synced pair: exit 0"
like "$(cat "$T_TMP/ws.err")" "dhcpsync \(pid $PA\) is synced with its peer" "... and says it relied on it"
is "$(ino "$A") $(count "$A")" "$i0 $n0" "... the file untouched"
nok "... no state of its own written" test -e "$A.ws"

# the far end a wait-synced starts where the pair runs refuses too
rc=0; timeout 10 dhcpsync -l "$B" < /dev/null > /dev/null 2> "$T_TMP/far.err" || rc=$?
is "$rc" 1 "a far end on B's file while B's daemon runs: exit 1"

# the peer away: the pair is not synced, wait-synced times out
kill "$PB"; wait "$PB" 2>/dev/null
ok "A sees its peer go" wait_file_line 10 "$T_TMP/a.out" "^peer-down "
rc=0; dhcpsync wait-synced -t 1s -l "$A" --state "$A.ws" \
    --connect "$T_TMP/none.sock" > /dev/null 2> "$T_TMP/ws2.err" || rc=$?
is "$rc" 1 "peer down: wait-synced exits 1 at its timeout"
like "$(cat "$T_TMP/ws2.err")" "not synced within the timeout \(dhcpsync pid $PA keeps" "... saying why"

# the daemon stops while wait-synced waits: it syncs by itself
gen 3 40 >> "$B"
dhcpsync wait-synced -t 20s -l "$A" --state "$A.ws" \
    --peer "exec dhcpsync -l '$B' --state '$B.ws'" > "$T_TMP/ws3.out" 2> "$T_TMP/ws3.err" &
W=$!
cleanup_push "kill -9 $W 2>/dev/null"
ok "wait-synced waits for the daemon" \
    wait_file_line 10 "$T_TMP/ws3.err" "waiting until it is synced with its peer"
kill "$PA"; wait "$PA" 2>/dev/null
wait "$W"; rc=$?
is "$rc" 0 "the daemon gone, wait-synced syncs by itself: exit 0"
like "$(cat "$T_TMP/ws3.err")" "stopped; syncing by itself" "... and says so"
is "$(count "$A")" 33 "A's file has B's 3 new leases"
done_testing
