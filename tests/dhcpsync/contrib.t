#!/bin/bash
# SPDX-License-Identifier: ISC
# The contrib recipe (contrib/dhcpsync): dhcp-master and dhcp-backup run
# as vrrpd's notify_master / notify_backup would run them, on the
# secondary, with their settings (DHCP_HA_CONF) pointing into the test's
# directory and no systemd.  The secondary's dhcpd starts from the file
# dhcpsync replicated, serves the primary's clients their own addresses,
# and stops again.
. "$(dirname "$0")/../lib/tap.sh"
. "$T_TOP/tests/lib/netns.sh"
. "$T_TOP/tests/dhcpsync/dhcp.sh"
needs_root

dhcp_conf "$T_TMP/dhcpd.conf"
ns_switch sw
ns_host sw dhcp1 192.0.2.1/24
ns_host sw dhcp2 192.0.2.2/24
for c in c1 c2; do
	ns_host sw "$c" 198.51.100.$((10 + ${c#c}))/24
	dhcp_client_setup "$c"
done
mkdir -p "$T_TMP/p" "$T_TMP/s"
lf1=$T_TMP/p/dhcpd.leases lf2=$T_TMP/s/dhcpd.leases
: > "$lf1"; : > "$lf2"
pid2=$T_TMP/run/dhcpd.pid
cat > "$T_TMP/dhcp-ha" <<CONF
DHCPD_UNIT=
LEASES=$lf2
DHCPD_CONF=$T_TMP/dhcpd.conf
DHCPD_PID=$pid2
DHCPD_IFACES=eth0
WAIT_PEER='exec false'
WAIT_TIMEOUT=1s
CONF
notify() {
	ns_run dhcp2 env DHCP_HA_CONF="$T_TMP/dhcp-ha" PATH="$PATH" \
	    "$T_TOP/contrib/dhcpsync/$1" 2>> "$T_TMP/notify.err"
}

dhcpd_start dhcp1 "$lf1" D1
dhcpsync --leases "$lf1" --peer "exec dhcpsync --leases '$lf2'" \
    > "$T_TMP/sync.out" 2> "$T_TMP/sync.err" &
SYNC=$!
cleanup_push "kill $SYNC 2>/dev/null"
declare -A addr
for c in c1 c2; do
	addr[$c]=$(dhcp_client "$c")
	like "${addr[$c]}" '^192\.0\.2\.1[0-2][0-9]$' "$c leases ${addr[$c]} from the primary"
	ok "replicated to the secondary's file" wait_for 20 leases_has "$lf2" "${addr[$c]}"
done

# the primary dies; vrrpd on the secondary goes MASTER and notifies
kill -9 "$D1" "$SYNC"; wait "$D1" "$SYNC" 2>/dev/null
ok "notify_master: dhcp-master exits 0" notify dhcp-master
running() { [ -s "$pid2" ] && kill -0 "$(cat "$pid2")"; }
ok "the secondary's dhcpd runs" wait_for 10 running
D2=$(cat "$pid2")
cleanup_push "kill -9 $D2 2>/dev/null"
like "$(tr '\0' ' ' < "/proc/$D2/cmdline")" "-lf $lf2 " \
    "from the replicated lease file"
like "$(cat "$T_TMP/notify.err")" 'peer not reached; serving from' \
    "the peer being down did not keep it from serving"
for c in c1 c2; do
	is "$(dhcp_client "$c")" "${addr[$c]}" "$c keeps ${addr[$c]} from the secondary"
done

# the primary is back and preempts: notify_backup
ok "notify_backup: dhcp-backup exits 0" notify dhcp-backup
ok "the secondary's dhcpd is gone" wait_gone 10 "$D2"
nok "its pid file too" test -e "$pid2"
ok "the file it leaves passes dhcpd -T" dhcpd_accepts "$lf2"
ok "dhcp-backup again (notify_fault after backup): nothing to stop, exit 0" \
    notify dhcp-backup
done_testing
