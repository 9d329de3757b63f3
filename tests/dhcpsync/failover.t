#!/bin/bash
# SPDX-License-Identifier: ISC
# The seed's DHCP HA: clients lease from the primary dhcpd, dhcpsync
# replicates, the primary dies, the secondary's dhcpd starts from the
# replicated file and every client keeps exactly its address; a new
# client asking for a taken address does not get it.  Then the negative
# control: the same without dhcpsync hands an address to two clients.
. "$(dirname "$0")/../lib/tap.sh"
. "$T_TOP/tests/lib/netns.sh"
. "$T_TOP/tests/dhcpsync/dhcp.sh"
needs_root

dhcp_conf "$T_TMP/dhcpd.conf"
ns_switch sw
ns_host sw dhcp1 192.0.2.1/24
ns_host sw dhcp2 192.0.2.2/24
clients="c1 c2 c3"
for c in $clients cx cy; do
	ns_host sw "$c" 198.51.100.$((10 + ${#c}))/24
	dhcp_client_setup "$c"
done
mkdir -p "$T_TMP/p" "$T_TMP/s"
lf1=$T_TMP/p/dhcpd.leases lf2=$T_TMP/s/dhcpd.leases
: > "$lf1"; : > "$lf2"

dhcpd_start dhcp1 "$lf1" D1
dhcpsync --leases "$lf1" --peer "exec dhcpsync --leases '$lf2'" \
    --control "$T_TMP/p.ctl" > "$T_TMP/sync.out" 2> "$T_TMP/sync.err" &
SYNC=$!
cleanup_push "kill $SYNC"

declare -A addr
for c in $clients; do
	addr[$c]=$(dhcp_client "$c")
	like "${addr[$c]}" '^192\.0\.2\.1[0-2][0-9]$' "$c leases ${addr[$c]} from the primary"
done
is "$(printf '%s\n' "${addr[@]}" | sort -u | wc -l)" 3 "three distinct addresses"

for c in $clients; do
	ok "${addr[$c]} replicated to the secondary's file" \
	    wait_for 20 leases_has "$lf2" "${addr[$c]}"
done
ok "the replicated file passes dhcpd -T" dhcpd_accepts "$lf2"
like "$(printf 'status\n' | socat - "UNIX-CONNECT:$T_TMP/p.ctl")" \
    'peer=up' "control socket: status shows the peer up"

# the primary host dies
kill -9 "$D1" "$SYNC"
wait "$D1" "$SYNC" 2>/dev/null
dhcpd_start dhcp2 "$lf2" D2

# a newcomer: the secondary knows which addresses are taken
got=$(dhcp_client cx)
like "$got" '^192\.0\.2\.' "newcomer gets an address ($got)"
ok "newcomer is given none of the clients' addresses" \
    eval "! printf '%s\n' ${addr[*]} | grep -qx '$got'"

for c in $clients; do
	got=$(dhcp_client "$c")
	is "$got" "${addr[$c]}" "$c keeps ${addr[$c]} on the secondary"
	ok "$c was acknowledged, not moved" grep -q "^REBOOT ${addr[$c]}" "$T_TMP/$c.events" ||
	    diag "$c's events: $(tr '\n' ' ' < "$T_TMP/$c.events"); dhcpd: $(grep -F "${addr[$c]}" "$T_TMP/dhcpd-dhcp2.log" | tail -4 | tr '\n' '|')"
done
cxaddr=$(dhcp_client cx)

# the primary returns: before its dhcpd serves, it takes what the
# secondary gave out (ExecStartPre=dhcpsync wait-synced ...)
wait_synced() {
	dhcpsync wait-synced --timeout 20 --leases "$lf1" \
	    --peer "exec dhcpsync --leases '$lf2'" > "$T_TMP/ws.out" \
	    2>> "$T_TMP/sync.err"
}
ok "wait-synced exits 0 once the primary's file has caught up" wait_synced
like "$(grep ^synced "$T_TMP/ws.out")" '^synced n=[0-9]+' "wait-synced prints synced"
ok "the lease the secondary granted ($cxaddr) is in the primary's file" \
    leases_has "$lf1" "$cxaddr"
ok "the primary's file passes dhcpd -T" dhcpd_accepts "$lf1"
kill -9 "$D2"; wait "$D2" 2>/dev/null
dhcpd_start dhcp1 "$lf1" D1
for c in cx c1; do
	want=$cxaddr; [ "$c" = c1 ] && want=${addr[c1]}
	is "$(dhcp_client "$c")" "$want" "$c keeps $want back on the primary"
	ok "$c was acknowledged there, not moved" grep -q "^REBOOT $want" "$T_TMP/$c.events" ||
	    diag "$c's events: $(tr '\n' ' ' < "$T_TMP/$c.events")"
done
kill -9 "$D1"; wait "$D1" 2>/dev/null

# negative control: a secondary without the replicated file
lf3=$T_TMP/s/empty.leases
: > "$lf3"
dhcpd_start dhcp2 "$lf3" D3
got=$(dhcp_client cy)
owner=
for c in $clients; do [ "${addr[$c]}" = "$got" ] && owner=$c; done
ok "control: without dhcpsync a newcomer is given a client's address ($got)" \
    test -n "$owner"
if [ -n "$owner" ]; then
	now=$(dhcp_client "$owner")
	ok "control: without dhcpsync $owner loses $got (now '$now')" \
	    test "$now" != "$got"
fi
kill -9 "$D3"; wait "$D3" 2>/dev/null
done_testing
