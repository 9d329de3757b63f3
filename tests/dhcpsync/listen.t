#!/bin/bash
# SPDX-License-Identifier: ISC
# --listen with a live session: a second peer (another stream id) is
# refused and the live session goes on replicating; the live peer itself
# coming back while its old connection hangs half-dead (a relay stopped)
# takes the link over.  Oracle: awk on the listener's lease file.
. "$(dirname "$0")/../lib/tap.sh"
. "$T_TOP/tests/dhcpsync/dhcp.sh"

gen() { awk -v n="$1" -v off="${2:-0}" -f "$T_TOP/tests/dhcpsync/gen-leases.awk"; }
# The pool is the first peer's eight addresses (10.64.0.1-10.64.0.8),
# the file dhcpd -T reads, not the subnet's 62,500.
# dhcpd -T makes a lease for each address of its pools before it reads
# the file, and a lease read costs in proportion to the free ones (150
# leases in 62,500: 0.11 s of CPU, 4,000: 2.3 s; in their own pool:
# 0.00 and 0.03 s); a lease outside the pools reads "no subnet" and
# fails.
printf 'authoritative;\nsubnet 10.64.0.0 netmask 255.255.0.0 {\n  range 10.64.0.1 10.64.0.8;\n}\n' \
    > "$T_TMP/dhcpd.conf"
mkdir -p "$T_TMP/s" "$T_TMP/p1" "$T_TMP/p2"
lfs=$T_TMP/s/dhcpd.leases lf1=$T_TMP/p1/dhcpd.leases lf2=$T_TMP/p2/dhcpd.leases
sock=$T_TMP/sync.sock relay=$T_TMP/relay.sock
: > "$lfs"
gen 5 > "$lf1"			# 10.64.0.1 .. 10.64.0.5
gen 1 1000 > "$lf2"		# 10.64.4.1: the intruder's
has_block() { grep -q "^lease $2 " "$1"; }
status() { printf 'status\n' | socat - "UNIX-CONNECT:$T_TMP/s.ctl" | sed -n "s/^$1=//p"; }

dhcpsync --leases "$lfs" --listen "$sock" --control "$T_TMP/s.ctl" \
    > "$T_TMP/s.out" 2> "$T_TMP/s.err" &
S=$!
cleanup_push "kill $S 2>/dev/null"
wait_for 10 test -S "$sock"

# the first peer goes through a relay we can freeze later
socat "UNIX-LISTEN:$relay" "UNIX-CONNECT:$sock" &
R=$!
cleanup_push "kill -9 $R 2>/dev/null"
wait_for 10 test -S "$relay"
start_p1() {
	dhcpsync --leases "$lf1" --connect "$1" --retry 100ms \
	    >> "$T_TMP/p1.out" 2>> "$T_TMP/p1.err" &
	P1=$!
	cleanup_push "kill -9 $P1 2>/dev/null"
}
start_p1 "$relay"
ok "the first peer syncs" wait_file_line 20 "$T_TMP/s.out" '^synced n=5 '
id1=$(sed -n 's/^peer-up id=\([0-9a-f]*\) .*/\1/p' "$T_TMP/s.out" | head -1)

# a second peer, another stream id, connects while the first is live
dhcpsync --leases "$lf2" --connect "$sock" --retry 100ms \
    > "$T_TMP/p2.out" 2> "$T_TMP/p2.err" &
P2=$!
cleanup_push "kill $P2 2>/dev/null"
ok "the second peer is refused: a peer-refused line" \
    wait_file_line 20 "$T_TMP/s.out" "^peer-refused id=[0-9a-f]{16} live=$id1\$"
ok "the log says so" grep -q 'refused a second peer .* the live link goes on' "$T_TMP/s.err"
ok "status: peers_refused counts it" test "$(status peers_refused)" -ge 1

gen 1 5 >> "$lf1"		# 10.64.0.6, on the first peer
ok "the first session keeps replicating: a lease added afterwards arrives" \
    wait_for 20 leases_has "$lfs" 10.64.0.6
ok "the second peer's lease never arrived" eval "! has_block '$lfs' 10.64.4.1"
is "$(grep -c '^peer-down' "$T_TMP/s.out")" 0 "the listener never dropped the live session"
is "$(grep -c '^peer-down' "$T_TMP/p1.out")" 0 "the first peer never lost its link"
is "$(status peer)" up "status: peer=up"
kill "$P2"; wait "$P2" 2>/dev/null

# a newcomer that does not speak the protocol: closed, the live link stays
printf 'GET / HTTP/1.0\n' | socat -t 5 - "UNIX-CONNECT:$sock" > /dev/null
ok "a newcomer whose first line is not HELLO is closed, with a log line" \
    wait_file_line 10 "$T_TMP/s.err" "a second connection's first line: .*: closed"
gen 1 7 >> "$lf1"		# 10.64.0.8
ok "and the live session goes on" wait_for 20 leases_has "$lfs" 10.64.0.8
is "$(grep -c '^peer-down' "$T_TMP/s.out")" 0 "still no peer-down"

# the first peer's link hangs half-dead (relay frozen), its host restarts
# with its state file (same stream id) and connects again: it takes over
kill -STOP "$R"
kill -9 "$P1"; wait "$P1" 2>/dev/null
start_p1 "$sock"
ok "the same peer coming back replaces its half-dead link" \
    wait_file_line 20 "$T_TMP/s.out" '^peer-down reason=replaced'
ok "and is up again" wait_for 20 eval "[ \$(grep -c '^peer-up id=$id1 ' '$T_TMP/s.out') = 2 ]"
gen 1 6 >> "$lf1"		# 10.64.0.7
ok "leases flow on the new link" wait_for 20 leases_has "$lfs" 10.64.0.7
ok "dhcpd -T reads the file" dhcpd_accepts "$lfs"
kill -9 "$R"; wait "$R" 2>/dev/null
done_testing
