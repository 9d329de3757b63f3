#!/bin/bash
# SPDX-License-Identifier: ISC
# Scene: rack controller DHCP HA.  The primary dhcpd leases addresses to
# three clients, dhcpsync replicates its lease file to the secondary, the
# primary dies, the secondary's dhcpd starts from the replicated file and
# every client keeps its address.
. "$(dirname "$0")/../lib/tap.sh"
. "$T_TOP/tests/lib/netns.sh"
. "$T_TOP/tests/dhcpsync/dhcp.sh"
say() { printf '\n>>> %s\n' "$*"; }

dhcp_conf "$T_TMP/dhcpd.conf"
ns_switch lan
ns_host lan rack1 192.0.2.1/24
ns_host lan rack2 192.0.2.2/24
for c in node1 node2 node3; do
	ns_host lan "$c" 198.51.100.$((10 + ${c#node}))/24
	dhcp_client_setup "$c"
done
mkdir -p "$T_TMP/rack1" "$T_TMP/rack2"
lf1=$T_TMP/rack1/dhcpd.leases lf2=$T_TMP/rack2/dhcpd.leases
: > "$lf1"; : > "$lf2"

say "rack1: dhcpd serves the VLAN; dhcpsync replicates to rack2"
echo "\$ dhcpsync --leases rack1/dhcpd.leases --peer 'ssh rack2 dhcpsync --leases rack2/dhcpd.leases'"
dhcpd_start rack1 "$lf1" D1
dhcpsync --leases "$lf1" --peer "exec dhcpsync --leases '$lf2'" 2>/dev/null &
SYNC=$!
cleanup_push "kill $SYNC"

declare -A addr
for c in node1 node2 node3; do
	addr[$c]=$(dhcp_client "$c")
	echo "$c got ${addr[$c]} from rack1"
done
for c in node1 node2 node3; do
	wait_for 20 leases_has "$lf2" "${addr[$c]}" || { echo "not replicated"; exit 1; }
done
say "rack2's lease file, written by dhcpsync:"
dhcpsync check "$lf2"
dhcpd_accepts "$lf2" && echo "dhcpd -T accepts it"

say "rack1 dies (kill -9); vrrpd's notify_master starts rack2's dhcpd"
kill -9 "$D1" "$SYNC"; wait "$D1" "$SYNC" 2>/dev/null
dhcpd_start rack2 "$lf2" D2
rc=0
for c in node1 node2 node3; do
	now=$(dhcp_client "$c")
	if [ "$now" = "${addr[$c]}" ]; then
		echo "$c rebooted and kept ${addr[$c]} (acknowledged by rack2)"
	else
		echo "$c LOST ${addr[$c]} (now '$now')"; rc=1
	fi
done
kill -9 "$D2"; wait "$D2" 2>/dev/null
exit $rc
