#!/bin/bash
# SPDX-License-Identifier: ISC
# contrib/dhcpsync, issue #15 (1): the later VRRP state wins.  rack2 goes
# MASTER while rack1 is frozen, so dhcp-master's wait-synced blocks on a
# peer that takes the connection and never answers; rack1 thaws and
# rack2 goes BACKUP while that wait still runs.  rack2 must never start
# dhcpd: vrrpd runs an instance's notifies one at a time, and a
# dhcp-master that waits inside the notify held the BACKUP back until
# its wait ended, then started dhcpd beside rack1's anyway.
. "$(dirname "$0")/../lib/tap.sh"
. "$T_TOP/tests/dhcpsync/ha.sh"
needs_root

ha_topo
# rack1 serves first; its "sshd" takes the connection and never answers
# (as a frozen host's does, and here goes on doing once thawed: the wait
# lasts its whole WAIT_TIMEOUT, well past the BACKUP)
ha_rack rack1 150
ha_listener rack1 7002 'sleep 60'
# no --hello-timeout: the wait lasts WAIT_TIMEOUT
ha_rack rack2 100 "WAIT_PEER='$(ha_peer 192.0.2.1 7002)'
WAIT_TIMEOUT=6s
WAIT_ANSWER="
ha_pair
ok "rack2 BACKUP" wait_for 20 ha_is rack2 BACKUP

ha_freeze rack1
ok "rack1 frozen: rack2 MASTER" wait_for 10 ha_is rack2 MASTER
ok "rack2's wait-synced waits for the frozen peer" \
    wait_for 10 grep -q ' start wait-synced' "$T_TMP/rack2/waits"
ha_thaw rack1
ok "rack1 thawed: rack2 BACKUP" wait_for 10 ha_is rack2 BACKUP
t_backup=$(ha_now)

# every notify of rack2 done: the wait over (timed out or ended) and
# whatever dhcp-master was to do after it done
ok "rack2's notifies are done within WAIT_TIMEOUT" wait_for 15 ha_quiet rack2
diag "rack2 quiet $(ha_ms "$t_backup") ms after BACKUP"
is "$(ha_starts rack2)" 0 "rack2 never started dhcpd (it was BACKUP by then)"
ok "no dhcpd runs on rack2" ha_idle rack2
is "$(ha_state rack2)" BACKUP "rack2 still BACKUP"
done_testing
