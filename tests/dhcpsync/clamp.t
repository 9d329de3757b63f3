#!/bin/bash
# SPDX-License-Identifier: ISC
# --max-skew: a peer's lease whose client-last-transaction time is a year
# ahead (the peer's clock was wrong when its dhcpd wrote it) is clamped
# to now + skew on the receiver, reported, and does not win for ever:
# the client's genuine renewal on the peer's real dhcpd, later, replaces
# it on both sides.  Oracles: awk on both lease files, date(1), dhcpd -T.
. "$(dirname "$0")/../lib/tap.sh"
. "$T_TOP/tests/lib/netns.sh"
. "$T_TOP/tests/dhcpsync/dhcp.sh"
needs_root

dhcp_conf "$T_TMP/dhcpd.conf"
# a renewal is written to the file even soon after the lease began
echo 'dhcp-cache-threshold 0;' >> "$T_TMP/dhcpd.conf"
ns_switch sw
ns_host sw dhcp1 192.0.2.1/24
ns_host sw c1 198.51.100.12/24
dhcp_client_setup c1
mkdir -p "$T_TMP/p" "$T_TMP/s"
lf1=$T_TMP/p/dhcpd.leases lf2=$T_TMP/s/dhcpd.leases sock=$T_TMP/sync.sock
: > "$lf1"; : > "$lf2"

# lease_cltt FILE ADDR: the cltt of ADDR's last block, in seconds
lease_cltt() {
	local t
	t=$(awk -v a="$2" '$1 == "lease" { cur = $2 }
	    cur == a && $1 == "cltt" { t = $3 " " $4 } END { sub(/;/, "", t); print t }' "$1")
	[ -n "$t" ] && date -u -d "${t//\//-}" +%s
}

dhcpd_start dhcp1 "$lf1" D1
a=$(dhcp_client c1)
like "$a" '^192\.0\.2\.1[0-2][0-9]$' "c1 leases $a from the peer's dhcpd"
kill -9 "$D1"; wait "$D1" 2>/dev/null

# the peer's clock ran a year ahead for one write: the same lease again,
# cltt a year on (dhcpd keeps the last block for an address)
future=$(date -u -d '+1 year' +%s)
awk -v a="$a" -v c="$(date -u -d "@$future" '+%w %Y/%m/%d %H:%M:%S')" '
    $1 == "lease" && $2 == a { b = "" ; on = 1 }
    on { if ($1 == "cltt") $0 = "  cltt " c ";"; b = b $0 "\n" }
    on && $1 == "}" { on = 0; last = b }
    END { printf "%s", last }' "$lf1" >> "$T_TMP/future.block"
cat "$T_TMP/future.block" >> "$lf1"
is "$(lease_cltt "$lf1" "$a")" "$future" "the peer's file holds $a with a cltt a year ahead"
dhcpd_start dhcp1 "$lf1" D1

dhcpsync --leases "$lf2" --listen "$sock" --max-skew 2s --control "$T_TMP/s.ctl" \
    > "$T_TMP/s.out" 2> "$T_TMP/s.err" &
S=$!
cleanup_push "kill $S 2>/dev/null"
wait_for 10 test -S "$sock"
dhcpsync --leases "$lf1" --connect "$sock" > "$T_TMP/p.out" 2> "$T_TMP/p.err" &
P=$!
cleanup_push "kill $P 2>/dev/null"

ok "the receiver reports the clamp" \
    wait_file_line 20 "$T_TMP/s.out" "^clamped addr=$a cltt=$future to=[0-9]+ by=[0-9]+\$"
ok "the log says it" grep -q "$a: cltt $future is [0-9]*s ahead of our clock; clamped to now + 2s" "$T_TMP/s.err"
# dhcpd rewriting its file at start may send the block once more: each
# time a future cltt comes it is clamped, and the last clamp is the one kept
last_to() { sed -n "s/^clamped addr=$a cltt=$future to=\([0-9]*\) .*/\1/p" "$T_TMP/s.out" | tail -1; }
clamped_in_file() { to=$(last_to); [ -n "$to" ] && [ "$(lease_cltt "$lf2" "$a")" = "$to" ]; }
ok "the receiver's file holds $a with the clamped cltt" wait_for 20 clamped_in_file
to=$(last_to)
got=$(lease_cltt "$lf2" "$a")
ok "... now + 2s at most ($got), not a year ahead" test "$got" -le $(( $(date +%s) + 2 ))
ok "and active" leases_has "$lf2" "$a"
ok "dhcpd -T reads the receiver's file" dhcpd_accepts "$lf2"
nclamped=$(printf 'status\n' | socat - "UNIX-CONNECT:$T_TMP/s.ctl" | sed -n 's/^clamped=//p')
ok "status: clamped counts it ($nclamped)" test "${nclamped:-0}" -ge 1

# the client renews on the peer after the clamped time has passed
after_to() { [ "$(date +%s)" -gt "$to" ]; }
wait_for 10 after_to
is "$(dhcp_client c1)" "$a" "c1 renews $a on the peer's dhcpd"
renewed=$(lease_cltt "$lf1" "$a")
ok "the peer's dhcpd wrote a genuine cltt ($renewed, now)" \
    test "$renewed" -gt "${to:-0}" -a "$renewed" -le "$(date +%s)"
same_cltt() { [ "$(lease_cltt "$lf2" "$a")" = "$renewed" ]; }
ok "the genuine renewal wins on the receiver" wait_for 20 same_cltt
ok "dhcpd -T reads the receiver's file" dhcpd_accepts "$lf2"
kill -9 "$D1"; wait "$D1" 2>/dev/null
done_testing
