#!/bin/bash
# SPDX-License-Identifier: ISC
# Several subnets, as a MAAS rack serving several VLANs has: without
# --subnet-id each lease lands in the subnet of the secondary Kea its
# address is in.  A lease the secondary's Kea has no subnet for is
# reported (address and Kea's reason, one line), counted in status and
# skipped; the link stays up and the leases after it still apply.  With
# --subnet-id N every lease is forced into N, and Kea refuses the others.
. "$(dirname "$0")/../lib/tap.sh"
. "$T_TOP/tests/dhcpsync/kea.sh"
needs_root
kea_needed

kea_lan
two="$(kea_subnet 1 10.64.0.0/16 10.64.0.100 10.64.0.200),
    $(kea_subnet 2 10.65.0.0/16 10.65.0.100 10.65.0.200)"
# the primary also serves 192.0.2.0/24, which the secondary lacks
KEA_SUBNETS="$two, $(kea_subnet 3 192.0.2.0/24 192.0.2.100 192.0.2.200)" \
    kea_start kp kp KP 0 ""
ok "primary kea-dhcp4: three subnets" test -S "$T_TMP/kp.sock"
KEA_SUBNETS=$two kea_start ks ks KS 0 ""
ok "secondary kea-dhcp4: two of them" test -S "$T_TMP/ks.sock"

add() {
	kea_cmd kp "{ \"command\": \"lease4-add\", \"arguments\": { \"ip-address\": \"$1\", \"hw-address\": \"$2\" } }"
}
# subnet-id of ADDR in Kea NAME, as lease4-get tells it
subnet_of() { kea_get "$1" "$2" | jq -r '.arguments["subnet-id"] // "none"'; }
like "$(add 10.64.0.10 52:54:00:bb:00:10)" '"result": 0' "primary grants 10.64.0.10"
like "$(add 10.65.0.10 52:54:00:bb:01:10)" '"result": 0' "and 10.65.0.10"
add 192.0.2.10 52:54:00:bb:02:10 > /dev/null
add 10.65.0.11 52:54:00:bb:01:11 > /dev/null
is "$(subnet_of kp 192.0.2.10)" 3 "and 192.0.2.10 (subnet 3), then 10.65.0.11"

dhcpsync --leases "$P" --kea-socket "$T_TMP/kp.sock" --listen "$link" \
    > "$T_TMP/p.out" 2> "$T_TMP/p.err" &
cleanup_push "kill $! 2>/dev/null"
wait_for 10 test -S "$link"
dhcpsync --leases "$S" --kea-socket "$T_TMP/ks.sock" --connect "$link" \
    --control "$T_TMP/s.ctl" > "$T_TMP/s.out" 2> "$T_TMP/s.err" &
cleanup_push "kill $! 2>/dev/null"
ok "the secondary synced" wait_file_line 20 "$T_TMP/s.out" '^synced '
is "$(subnet_of ks 10.64.0.10)" 1 "secondary Kea: 10.64.0.10 in subnet 1"
is "$(subnet_of ks 10.65.0.10)" 2 "10.65.0.10 in subnet 2"
is "$(subnet_of ks 10.65.0.11)" 2 "10.65.0.11, after the refused one, in subnet 2"
ok "192.0.2.10 is not in the secondary Kea" kea_hasnt ks 192.0.2.10
is "$(grep -c '^kea-refused ' "$T_TMP/s.out")" 1 "one kea-refused line"
like "$(grep '^kea-refused ' "$T_TMP/s.out")" \
    '^kea-refused addr=192\.0\.2\.10 reason="subnet-id not specified and failed to find a subnet for address 192\.0\.2\.10"$' \
    "it names the address and Kea's reason"
like "$(cat "$T_TMP/s.err")" 'kea: 192\.0\.2\.10 refused, skipped: ' "and the log says so"
st() { printf 'status\n' | socat - "UNIX-CONNECT:$T_TMP/s.ctl" | sed -n "s/^$1=//p"; }
is "$(st kea_refused)" 1 "status: kea_refused=1"
is "$(st peer)" up "the link stayed up"
ok "no peer-down" eval "! grep -q '^peer-down' '$T_TMP/s.out'"

# --subnet-id 2 forces every lease into subnet 2: Kea refuses the others
: > "$T_TMP/b.leases"
{ dhcpsync send "$P" 2> "$T_TMP/send.err" & echo $! > "$T_TMP/send.pid"; wait; } |
	{ dhcpsync recv "$T_TMP/b.leases" --kea-socket "$T_TMP/ks.sock" \
	    --subnet-id 2 <&0 > "$T_TMP/r.out" 2> "$T_TMP/r.err" &
	  echo $! > "$T_TMP/recv.pid"; wait; } &
wait_for 10 test -s "$T_TMP/send.pid" -a -s "$T_TMP/recv.pid"
cleanup_push "kill $(cat "$T_TMP/send.pid") $(cat "$T_TMP/recv.pid") 2>/dev/null"
ok "--subnet-id 2: synced" wait_file_line 20 "$T_TMP/r.out" '^synced '
like "$(grep '^kea-refused addr=10\.64\.0\.10 ' "$T_TMP/r.out")" \
    'does not belong to subnet 10\.65\.0\.0/16, subnet-id=2' \
    "10.64.0.10 refused: not in the forced subnet"
is "$(grep -c '^kea-refused ' "$T_TMP/r.out")" 2 "so is 192.0.2.10, nothing else"
is "$(subnet_of ks 10.65.0.11)" 2 "10.65.0.11 still in subnet 2"
is "$(subnet_of ks 10.64.0.10)" 1 "10.64.0.10 untouched in subnet 1"
[ "$T_FAILED" = 0 ] || for f in s.err s.out p.err r.err ks.out; do diag "== $f"; diag "$(tail -15 "$T_TMP/$f")"; done
done_testing
