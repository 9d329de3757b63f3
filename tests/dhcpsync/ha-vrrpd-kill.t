#!/bin/bash
# SPDX-License-Identifier: ISC
# contrib/dhcpsync, issue #15 (4): a vrrpd killed with -9 takes its
# dhcpd with it.  dhcp-serve, started by dhcp-master, watches the process
# that ran the notify (vrrpd's script runner, which dies with vrrpd) and
# stops dhcpd once it is gone, so that the new master's dhcpd does not
# answer beside it for as long as the old host's supervisor takes to
# restart vrrpd.  Restarted, vrrpd takes back and serves again.
. "$(dirname "$0")/../lib/tap.sh"
. "$T_TOP/tests/dhcpsync/ha.sh"
needs_root

ha_topo
ha_rack rack1 150
ha_rack rack2 100
ha_pair
ok "rack1's dhcpd serves" wait_for 20 ha_serves rack1
ok "rack2 BACKUP, no dhcpd" ha_idle rack2
D1=$(ha_dhcpd rack1)
is "$(ps -o sid= -p "$D1" | tr -d ' ')" "$D1" "dhcpd is a session of its own"

t0=$(ha_now)
kill -9 "$(ha_vrrpd_pid rack1)"
ok "kill -9 of rack1's vrrpd: its dhcpd is gone within 3 s" wait_gone 3 "$D1"
diag "rack1's dhcpd gone $(ha_ms "$t0") ms after the kill"
ok "rack2 MASTER" wait_for 10 ha_is rack2 MASTER
ok "rack2's dhcpd serves" wait_for 15 ha_serves rack2
diag "rack2's dhcpd up $(ha_ms "$t0") ms after the kill"
like "$(dhcp_client c1)" '^192\.0\.2\.1[0-2][0-9]$' "c1 leases an address"
like "$(grep dhcp-server-identifier "$T_TMP/c1.leases" | tail -1)" ' 192\.0\.2\.2;' \
    "... from rack2"
ok "rack1 serves nothing" ha_idle rack1

# its supervisor restarts vrrpd: BACKUP, then it takes back
ha_vrrpd rack1 || bail "vrrpd does not start again"
ok "rack1 MASTER again" wait_for 20 ha_is rack1 MASTER
ok "rack2 BACKUP" wait_for 20 ha_is rack2 BACKUP
ok "rack2's dhcpd stopped" wait_for 15 ha_idle rack2
ok "rack1's dhcpd serves" wait_for 15 ha_serves rack1
done_testing
