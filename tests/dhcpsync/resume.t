#!/bin/bash
# SPDX-License-Identifier: ISC
# Resuming: kill -9 of either side in the middle of a large sync, then a
# restart, continues from the last acknowledged record (not from zero),
# loses nothing acknowledged, and the lease file is whole at every point.
# Also: the server rewriting its file (temp + rename) mid-stream, and a
# file with thousands of superseded blocks.
. "$(dirname "$0")/../lib/tap.sh"
. "$T_TOP/tests/dhcpsync/dhcp.sh"

N=40000
gen() { awk -v n="$1" -v off="${2:-0}" -f "$T_TOP/tests/dhcpsync/gen-leases.awk"; }
# dhcpd -T reads the secondary's file while it holds the first N leases
# (10.64.0.1-10.64.159.250): its pool is those, not the subnet's 62,500.
# dhcpd makes a lease for each address of its pools before it reads the
# file, the free ones costing the most (4,000 leases in 62,500: 1.9 s of
# CPU, in 4,000: 0.02 s); a lease outside the pool reads "no subnet" and
# fails.
printf 'authoritative;\nsubnet 10.64.0.0 netmask 255.255.0.0 {\n  range 10.64.0.1 10.64.159.250;\n}\n' \
    > "$T_TMP/dhcpd.conf"
mkdir -p "$T_TMP/p" "$T_TMP/s"
lf1=$T_TMP/p/dhcpd.leases lf2=$T_TMP/s/dhcpd.leases sock=$T_TMP/sync.sock
gen "$N" > "$lf1"
: > "$lf2"

# Counted by an awk reader of the file (last block per address), not by
# dhcpsync check: the program under test does not vouch for itself.
states() { awk -f "$T_TOP/tests/dhcpsync/last-state.awk" "$1" | sort; }
count() { states "$1" | wc -l; }
start_p() {
	rm -f "$sock" "$T_TMP/p.ctl"	# a killed primary leaves them behind
	dhcpsync --leases "$lf1" --listen "$sock" --control "$T_TMP/p.ctl" \
	    >> "$T_TMP/p.out" 2>> "$T_TMP/p.err" &
	P=$!
	cleanup_push "kill -9 $P 2>/dev/null"
	wait_for 10 test -S "$sock" && wait_for 10 test -S "$T_TMP/p.ctl"
}
start_s() {
	dhcpsync --leases "$lf2" --connect "$sock" --retry 100ms \
	    >> "$T_TMP/s.out" 2>> "$T_TMP/s.err" &
	S=$!
	cleanup_push "kill -9 $S 2>/dev/null"
}
status() { printf 'status\n' | socat - "UNIX-CONNECT:$T_TMP/p.ctl" | sed -n "s/^$1=//p"; }
lines() { grep -c "$1" "$2"; }

start_p
start_s
ok "the secondary applies a first batch" wait_file_line 20 "$T_TMP/s.out" '^applied'
# The primary stops sending at once: what the secondary can still get is
# what the link's buffers hold (a few thousand records), however fast the
# machine, so the kill lands mid-sync.
kill -STOP "$P"
kill -9 "$S"; wait "$S" 2>/dev/null
kill -CONT "$P"
n1=$(count "$lf2")
ok "killed mid-sync: the file is whole ($n1 of $N leases)" test -n "$n1"
ok "killed mid-sync: dhcpd -T reads it" dhcpd_accepts "$lf2"
ok "killed mid-sync: part, not all, had arrived" test "$n1" -lt "$N"

start_s
ok "restarted secondary syncs" wait_file_line 30 "$T_TMP/s.out" "^synced n=$N "
resume=$(grep '^peer-up' "$T_TMP/p.out" | tail -1 | sed 's/.*resume=//')
ok "the primary resumed from the acknowledged record, not zero (resume=$resume)" \
    test "${resume:-0}" -gt 0
is "$(count "$lf2")" "$N" "all $N leases on the secondary"
ok "dhcpd -T reads the result" dhcpd_accepts "$lf2"

# kill -9 the primary while it streams new leases
sent0=$(status records_sent)
gen 20000 "$N" >> "$lf1"
M=$((N + 20000))
past_n() { awk -v n="$N" '/^applied n=/ { sub(/n=/, "", $2); if ($2 + 0 > n) f = 1 } END { exit !f }' "$T_TMP/s.out"; }
ok "new leases flow" wait_for 20 past_n
kill -9 "$P"; wait "$P" 2>/dev/null
start_p
ok "after the primary's restart the secondary catches up" \
    wait_file_line 30 "$T_TMP/s.out" "^synced n=$M "
resume=$(grep '^peer-up' "$T_TMP/p.out" | tail -1 | sed 's/.*resume=//')
ok "the restarted primary resumed where the secondary stood (resume=$resume)" \
    test "${resume:-0}" -gt 0
sent=$(status records_sent)
ok "and sent only what was not acknowledged ($sent records, fewer than $M)" \
    test "$sent" -lt "$M"
is "$(count "$lf2")" "$M" "all $M leases on the secondary"
is "$(states "$lf2")" "$(states "$lf1")" "each address's last state is the primary's"

# the server rewrites its file (dhcpd: new file, then rename) with one
# lease changed: only that one goes out
sent0=$(status records_sent)
{ cat "$lf1"; gen 1 5 | sed 's/12:00:05/12:59:59/; s/binding state active/binding state free/'; } \
    > "$lf1.new"
mv "$lf1.new" "$lf1"
ok "a file rewritten and renamed is followed by name: the change arrives" \
    wait_for 20 state_is "$lf2" 10.64.0.6 free
is "$(( $(status records_sent) - sent0 ))" 1 "only the changed lease was sent"

kill -TERM "$P"; wait "$P"
is "$?" 0 "SIGTERM: the primary stops cleanly (exit 0)"
ok "and removes its --listen and --control sockets" \
    test ! -e "$sock" -a ! -e "$T_TMP/p.ctl"

# thousands of superseded blocks for a few addresses
for i in $(seq 1 30); do gen 200 0; done > "$T_TMP/history.leases"
is "$(dhcpsync check "$T_TMP/history.leases")" "ok format=dhcpd leases=200 blocks=6000" \
    "6000 blocks for 200 addresses: 200 leases kept"
is "$(count "$T_TMP/history.leases")" 200 "... as the awk reader counts them"
done_testing
