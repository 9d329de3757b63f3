#!/bin/bash
# SPDX-License-Identifier: ISC
# Kea's file as the source, without Kea: hand-written kea-leases4.csv and
# the older files kea-lfc leaves (FILE.2), streamed to a dhcpd.leases
# receiver.  A rotation while dhcpsync is stopped (SIGSTOP) loses no row
# appended to the old file; a restart with the older files unchanged
# resumes (sends nothing again); a restart after kea-lfc rewrote them
# starts a new generation and sends the live leases again, harmlessly.
. "$(dirname "$0")/../lib/tap.sh"
. "$T_TOP/tests/dhcpsync/dhcp.sh"

mkdir -p "$T_TMP/p" "$T_TMP/s"
K=$T_TMP/p/kea-leases4.csv lf2=$T_TMP/s/dhcpd.leases sock=$T_TMP/sync.sock
hdr=address,hwaddr,client_id,valid_lifetime,expire,subnet_id,fqdn_fwd,fqdn_rev,hostname,state,user_context
# row N [VALID]: a lease for 10.64.0.N, expiring in 2033
row() { printf '10.64.0.%d,52:54:00:00:00:%02x,,%d,2000000000,1,0,0,h%d,0,\n' "$1" "$1" "${2:-600}" "$1"; }
{ echo "$hdr"; row 1; row 2; row 3; } > "$K.2"
{ echo "$hdr"; row 4; row 5; } > "$K"
: > "$lf2"

start_p() {
	rm -f "$sock" "$T_TMP/p.ctl"
	dhcpsync --leases "$K" --kea-socket "$T_TMP/no-kea.sock" --listen "$sock" \
	    --control "$T_TMP/p.ctl" >> "$T_TMP/p.out" 2>> "$T_TMP/p.err" &
	P=$!
	cleanup_push "kill -9 $P 2>/dev/null"
	wait_for 10 test -S "$sock" && wait_for 10 test -S "$T_TMP/p.ctl"
}
status() { printf 'status\n' | socat - "UNIX-CONNECT:$T_TMP/p.ctl" | sed -n "s/^$1=//p"; }
synced() { [ "$(status peer)" = up ] && [ "$(status peer_acked)" = "$(status sent_seq)" ]; }
ok "the primary follows a Kea file" start_p
like "$(cat "$T_TMP/p.err")" 'kea-leases4.csv: 3 leases from 3 older rows' \
    "it read kea-leases4.csv.2 first"
dhcpsync --leases "$lf2" --connect "$sock" --retry 100ms \
    > "$T_TMP/s.out" 2> "$T_TMP/s.err" &
cleanup_push "kill -9 $! 2>/dev/null"
ok "the receiver has all 5 leases" wait_file_line 20 "$T_TMP/s.out" '^synced n=5 '
ok "from the older file and the followed one" \
    eval 'leases_has "$lf2" 10.64.0.1 && leases_has "$lf2" 10.64.0.5'

# Kea's rotation while we are stopped: a row appended to the old file
# just before it became FILE.1 is read from it, not lost
kill -STOP "$P"
row 6 >> "$K"
mv "$K" "$K.1"
{ echo "$hdr"; row 7; } > "$K"
kill -CONT "$P"
ok "the row appended just before the rotation arrives" \
    wait_for 20 leases_has "$lf2" 10.64.0.6
ok "and the new file's first row" wait_for 20 leases_has "$lf2" 10.64.0.7
# a release as Kea records it: valid_lifetime 0
row 4 0 | sed 's/,2000000000,/,1999999400,/' >> "$K"
ok "a deleted lease (valid_lifetime 0) is freed on the receiver" \
    wait_for 20 state_is "$lf2" 10.64.0.4 free
ok "acknowledged" wait_for 20 synced

# restart, older files unchanged: resume, nothing sent again
kill "$P"; wait "$P" 2>/dev/null
start_p
ok "restarted, the pair meets" wait_for 20 synced
is "$(status records_sent)" 0 "nothing sent again: resumed from the acknowledgement"

# kea-lfc ran while we were stopped: FILE.2 and FILE.1 merged into FILE.2
kill "$P"; wait "$P" 2>/dev/null
{ echo "$hdr"; row 1; row 2; row 3; row 5; row 6; } > "$K.2.new"
mv "$K.2.new" "$K.2"; rm "$K.1"
start_p
ok "after kea-lfc, the pair meets" wait_for 20 synced
is "$(status records_sent)" 7 "a new generation: the 7 live and freed leases go again"
is "$(dhcpsync check "$lf2" | sed 's/.* leases=\([0-9]*\).*/\1/')" 7 \
    "the receiver still has 7 addresses, none twice"
ok "10.64.0.4 stays free" state_is "$lf2" 10.64.0.4 free
if command -v dhcpd >/dev/null; then
	printf 'subnet 10.64.0.0 netmask 255.255.0.0 {\n  range 10.64.0.1 10.64.0.99;\n}\n' \
	    > "$T_TMP/dhcpd.conf"
	ok "the receiver's file passes dhcpd -T" dhcpd_accepts "$lf2"
fi
done_testing
