#!/bin/bash
# SPDX-License-Identifier: ISC
# A record of the peer's, merged while the local dhcpd runs but not yet in
# the journal (its file system is full), when the peer comes back with a
# new stream id (it lost its lease file and state): the record is sent
# back to the peer, and also stays ours, held in the journal and written
# into the lease file once dhcpd stops, surviving kill -9.  (The give-back
# makes the peer's records ours, and the journal takes only the peer's:
# dhcpsync now writes what is merged before it gives back.  Here the
# full disk also stops the give-back's state save, which guarded this
# case before too; the window left was a commit still batched when the
# peer's new HELLO came.)
. "$(dirname "$0")/../lib/tap.sh"
. "$T_TOP/tests/lib/netns.sh"
. "$T_TOP/tests/dhcpsync/dhcp.sh"
needs_root

gen() { awk -v n="$1" -v off="${2:-0}" -f "$T_TOP/tests/dhcpsync/gen-leases.awk"; }
addrs() { awk -f "$T_TOP/tests/dhcpsync/last-state.awk" "$1" | cut -d' ' -f1 | sort; }
count() { addrs "$1" | wc -l; }
dhcp_conf "$T_TMP/dhcpd.conf"
printf 'subnet 10.64.0.0 netmask 255.255.0.0 {\n  range 10.64.0.1 10.64.0.250;\n}\n' |
    cat "$T_TMP/dhcpd.conf" - > "$T_TMP/check.conf"	# for dhcpd -T
ns_switch sw
ns_host sw hs 192.0.2.2/24
mkdir -p "$T_TMP/p" "$T_TMP/s" "$T_TMP/full"
mount -t tmpfs -o size=64k tmpfs "$T_TMP/full" || cannot_run "tmpfs mount"
cleanup_push "umount -l '$T_TMP/full'"
lf1=$T_TMP/p/dhcpd.leases lf2=$T_TMP/s/dhcpd.leases sock=$T_TMP/sync.sock
gen 5 > "$lf1"
R=$(gen 1 5 | awk '$1 == "lease" { print $2 }')

start_p() {
	rm -f "$sock"
	dhcpsync --leases "$lf1" --listen "$sock" >> "$T_TMP/p.out" 2>> "$T_TMP/p.err" &
	P=$!
	cleanup_push "kill -9 $P 2>/dev/null"
	wait_for 10 test -S "$sock"
}
dhcpd_pid() { ps -o pid= --ppid "$1" | tr -d ' '; }
held_open() {
	local p; p=$(dhcpd_pid "$DS")
	[ -n "$p" ] && ls -l /proc/"$p"/fd 2>/dev/null | grep -qF "$lf2"
}

# S: its dhcpd runs; its state file and journal on the small file system
dhcpd_start hs "$lf2" DS
cleanup_push "kill -9 \$(dhcpd_pid $DS) 2>/dev/null"
ok "S's dhcpd has its lease file open" wait_for 20 held_open
start_p
dhcpsync --leases "$lf2" --state "$T_TMP/full/s.state" --connect "$sock" \
    --retry 100ms > "$T_TMP/s.out" 2> "$T_TMP/s.err" &
S=$!
cleanup_push "kill -9 $S 2>/dev/null"
ok "S holds P's 5 leases in its journal (dhcpd runs)" \
    wait_file_line 20 "$T_TMP/s.out" "^held n=5 .*reason=server-running"

# the journal's file system full; P's next lease merged, not held
dd if=/dev/zero of="$T_TMP/full/filler" bs=4k 2>/dev/null
gen 1 5 >> "$lf1"
ok "S cannot hold P's next lease ($R): write-failed" \
    wait_file_line 20 "$T_TMP/s.out" "^write-failed .*file=$lf2"

# P loses its lease file and its state, and comes back: a new stream id
kill -9 "$P"; wait "$P" 2>/dev/null
: > "$lf1"
rm -f "$lf1.dhcpsync"
: > "$T_TMP/p.out"
start_p
ok "P meets S again with a new stream id" \
    wait_file_line 20 "$T_TMP/p.out" "^peer-up "
rm -f "$T_TMP/full/filler"
ok "S sends P back all 6 leases" wait_for 30 eval '[ "$(count "$lf1")" = 6 ]'

# S's dhcpd stops: what S held goes into its file, the last lease too
kill -9 "$(dhcpd_pid "$DS")"; wait "$DS" 2>/dev/null
ok "S's file gets the held leases once its dhcpd stopped" \
    wait_for 20 eval '[ "$(count "$lf2")" -ge 5 ]'
ok "among them $R, merged while the journal was full (6 leases)" \
    wait_for 10 eval '[ "$(count "$lf2")" = 6 ]'
is "$(addrs "$lf2")" "$(addrs "$lf1")" "both files hold the same addresses"
ok "dhcpd -T reads S's file" dhcpd_accepts "$lf2" "$T_TMP/check.conf"
kill -9 "$S"; wait "$S" 2>/dev/null
is "$(count "$lf2")" 6 "and they stay there after kill -9 of S"
[ "$T_FAILED" = 0 ] || { sed 's/^/#   S: /' "$T_TMP/s.err" "$T_TMP/s.out"; sed 's/^/#   P: /' "$T_TMP/p.err"; }
done_testing
