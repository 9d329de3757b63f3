#!/bin/bash
# SPDX-License-Identifier: ISC
# Both directions with Kea: each side's dhcpsync follows its own Kea's
# kea-leases4.csv and applies the peer's changes to its Kea over the
# control socket, on one connection.  The primary dies; the secondary
# serves; what it grants reaches the primary when it returns, before
# the primary serves (wait-synced).  A lease applied over a socket that
# Kea then writes into its own file is not sent back: it is written once
# in each file, and nothing more flows.
. "$(dirname "$0")/../lib/tap.sh"
. "$T_TOP/tests/dhcpsync/kea.sh"
needs_root
kea_needed

kea_lan
declare -A mac addr
for c in c1 c2 c3; do
	ns_host sw "$c" 10.64.1.$((10 + ${c#c}))/16
	dhcp_client_setup "$c"
	mac[$c]=$(mac_of "$c")
done

ok "primary kea-dhcp4 serving" kea_start kp kp KP
ok "secondary kea-dhcp4 on standby (serving nobody)" kea_start ks ks KS 0 ""
primary() {
	dhcpsync --leases "$P" --kea-socket "$T_TMP/kp.sock" --listen "$link" \
	    --control "$T_TMP/p.ctl" >> "$T_TMP/p.out" 2>> "$T_TMP/p.err" &
	PS=$!
	cleanup_push "kill $PS 2>/dev/null"
}
primary
wait_for 10 test -S "$link"
dhcpsync --leases "$S" --kea-socket "$T_TMP/ks.sock" --connect "$link" \
    --retry 200ms --control "$T_TMP/s.ctl" > "$T_TMP/s.out" 2> "$T_TMP/s.err" &
SS=$!
cleanup_push "kill $SS 2>/dev/null"
ok "the two dhcpsync meet" wait_file_line 10 "$T_TMP/s.out" '^peer-up '

for c in c1 c2; do
	addr[$c]=$(dhcp_client "$c")
	like "${addr[$c]}" '^10\.64\.0\.' "$c leases ${addr[$c]} from the primary"
	ok "the secondary Kea holds it" wait_for 20 kea_has ks "${addr[$c]}" "${mac[$c]}"
done

# the primary host dies; the secondary's Kea takes over the segment
kill -9 "$KP" "$PS"; wait "$KP" "$PS" 2>/dev/null
kill -9 "$KS"; wait "$KS" 2>/dev/null
ok "secondary kea-dhcp4 now serving" kea_start ks ks KS
is "$(dhcp_client c1)" "${addr[c1]}" "c1 keeps ${addr[c1]} on the secondary"
ok "c1 was acknowledged, not moved" grep -q "^REBOOT ${addr[c1]}" "$T_TMP/c1.events" ||
    diag "c1's events: $(tr '\n' ' ' < "$T_TMP/c1.events")"
addr[c3]=$(dhcp_client c3)
like "${addr[c3]}" '^10\.64\.0\.' "c3 leases ${addr[c3]} from the secondary"
ok "none of the others' addresses" eval "[ '${addr[c3]}' != '${addr[c1]}' ] && [ '${addr[c3]}' != '${addr[c2]}' ]"

# the primary returns: its Kea up but not serving until it has caught up
kill -9 "$KS"; wait "$KS" 2>/dev/null
kea_start ks ks KS 0 ""
ok "primary kea-dhcp4 back, not serving yet" kea_start kp kp KP 0 ""
ws() {
	dhcpsync wait-synced --timeout 30 --leases "$P" \
	    --kea-socket "$T_TMP/kp.sock" --listen "$link" > "$T_TMP/ws.out" \
	    2>> "$T_TMP/p.err"
}
ok "wait-synced: the primary caught up with the secondary" ws
ok "the primary Kea holds c3's ${addr[c3]}, granted while it was down" \
    kea_has kp "${addr[c3]}" "${mac[c3]}"
ok "and c1's renewal from the secondary" kea_has kp "${addr[c1]}" "${mac[c1]}"
# st SIDE FIELD: one field of that dhcpsync's control socket status
st() { printf 'status\n' | socat - "UNIX-CONNECT:$T_TMP/$1.ctl" 2>/dev/null | sed -n "s/^$2=//p"; }
primary
pair_up() { [ "$(st p peer)" = up ] && [ "$(st s peer)" = up ]; }
ok "the pair meets again" wait_for 20 pair_up

# no echo: a lease granted on the primary is written once in each file,
# and nothing comes back
ssent=$(st s records_sent) precv=$(st p records_received)
add() {
	kea_cmd kp "{ \"command\": \"lease4-add\", \"arguments\": { \"ip-address\": \"$1\", \"hw-address\": \"$2\" } }"
}
like "$(add 10.64.0.50 52:54:00:aa:00:50)" '"result": 0' "the primary's Kea grants 10.64.0.50"
ok "it reaches the secondary" wait_for 20 kea_has ks 10.64.0.50 52:54:00:aa:00:50
add 10.64.0.51 52:54:00:aa:00:51 > /dev/null
ok "and a second one, after it" wait_for 20 kea_has ks 10.64.0.51
acked() { [ "$(st p peer_acked)" = "$(st p sent_seq)" ]; }
ok "the secondary acknowledged both" wait_for 20 acked
is "$(st s records_sent)" "$ssent" "the secondary sent nothing back"
is "$(st p records_received)" "$precv" "the primary received nothing back"
is "$(grep -c '^10\.64\.0\.50,' "$P")" 1 "10.64.0.50 written once in the primary's file"
is "$(grep -c '^10\.64\.0\.50,' "$S")" 1 "and once in the secondary's"
is "$(grep -c "^${addr[c3]}," "$P")" 1 "c3's lease written once in the primary's file"
same() { [ "$(kea_all kp)" = "$(kea_all ks)" ]; }
ok "both Keas hold the same leases" wait_for 10 same
diag "$(kea_all kp | tr '\n' ';')"
[ "$T_FAILED" = 0 ] || for f in p.err s.err s.out p.out ks.out kp.out; do diag "== $f"; diag "$(tail -15 "$T_TMP/$f")"; done
done_testing
