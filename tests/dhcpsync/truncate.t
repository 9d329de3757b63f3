#!/bin/bash
# SPDX-License-Identifier: ISC
# A lease file that loses its content while dhcpsync's state file stays
# (emptied or cut short in place, removed, replaced by an empty file; the
# daemon stopped or running) is refilled from the peer: the resume point
# in the state file must not make the peer skip records that are no
# longer in the file.  Both sides hold leases of their own.
. "$(dirname "$0")/../lib/tap.sh"
. "$T_TOP/tests/dhcpsync/dhcp.sh"

N=3000 M=1000 ALL=4000
gen() { awk -v n="$1" -v off="${2:-0}" -f "$T_TOP/tests/dhcpsync/gen-leases.awk"; }
# The pool is the ALL addresses gen writes (10.64.0.1-10.64.15.250), not
# the subnet's 62,500: dhcpd -T makes a lease for each address of its
# pools before it reads the file (2 s of CPU a run for 62,500, 0.02 s for
# 4,000), and a lease outside them reads as "no subnet", which fails.
printf 'authoritative;\nsubnet 10.64.0.0 netmask 255.255.0.0 {\n  range 10.64.0.1 10.64.15.250;\n}\n' \
    > "$T_TMP/dhcpd.conf"
mkdir -p "$T_TMP/p" "$T_TMP/s"
lf1=$T_TMP/p/dhcpd.leases lf2=$T_TMP/s/dhcpd.leases sock=$T_TMP/sync.sock
gen "$N" > "$lf1"
gen "$M" "$N" > "$lf2"

# Counted by an awk reader of the file (last block per address), not by
# dhcpsync: the program under test does not vouch for itself.
states() { awk -f "$T_TOP/tests/dhcpsync/last-state.awk" "$1" | sort; }
count() { states "$1" | wc -l; }
has_all() { [ "$(count "$1")" = "$ALL" ]; }
start_p() {
	rm -f "$sock"
	dhcpsync --leases "$lf1" --listen "$sock" >> "$T_TMP/p.out" 2>> "$T_TMP/p.err" &
	P=$!
	cleanup_push "kill -9 $P 2>/dev/null"
	wait_for 10 test -S "$sock"
}
start_s() {
	dhcpsync --leases "$lf2" --connect "$sock" --retry 100ms \
	    >> "$T_TMP/s.out" 2>> "$T_TMP/s.err" &
	S=$!
	cleanup_push "kill -9 $S 2>/dev/null"
}
stop() { kill -TERM "$1"; wait "$1" 2>/dev/null; }
# the first half of a file's lease blocks, written over it in place
first_half() {
	awk -v n="$2" '$1 == "lease" { k++ } k <= n' "$1" > "$T_TMP/half"
	cat "$T_TMP/half" > "$1"
}

start_p
start_s
ok "both files hold both sides' $ALL leases" \
    wait_for 30 eval 'has_all "$lf1" && has_all "$lf2"'
ok "the secondary kept a state file" test -s "$lf2.dhcpsync"

# scenario NAME ACTION: stop the secondary, ACTION on its lease file,
# start it again; its file must hold every lease again.
scenario() {
	stop "$S"
	eval "$2"
	: > "$T_TMP/s.err"
	start_s
	ok "$1: the secondary says why it starts afresh" \
	    wait_file_line 10 "$T_TMP/s.err" "$3 since dhcpsync last wrote it.*; starting with a new stream id"
	ok "$1: the secondary's file is refilled ($ALL leases)" wait_for 30 has_all "$lf2"
	is "$(states "$lf2")" "$(states "$lf1")" "$1: each address's last state is the same on both"
	ok "$1: the primary still holds every lease" has_all "$lf1"
}
scenario "emptied in place while stopped" ': > "$lf2"' "dhcpd.leases: empty"
scenario "cut to half in place while stopped" 'first_half "$lf2" $((ALL / 2))' \
    "dhcpd.leases: [0-9]* bytes, cut short"
scenario "removed while stopped" 'rm -f "$lf2"' "dhcpd.leases: gone"
scenario "replaced by an empty file while stopped" ': > "$lf2.new"; mv "$lf2.new" "$lf2"' \
    "dhcpd.leases: empty"
ok "the primary gave the secondary's own $M leases back" \
    grep -q "sending it back the $M lease(s) it had sent us" "$T_TMP/p.err"

: > "$lf2"
ok "emptied in place while running: refilled" wait_for 30 has_all "$lf2"

# the primary's side: its own leases come back from the secondary
stop "$P"
: > "$lf1"
start_p
ok "the primary's file emptied while stopped: refilled from the secondary" \
    wait_for 30 has_all "$lf1"
is "$(states "$lf1")" "$(states "$lf2")" "and each address's last state is the same on both"
ok "dhcpd -T reads the refilled files" eval 'dhcpd_accepts "$lf1" && dhcpd_accepts "$lf2"'
stop "$S"; stop "$P"
done_testing
