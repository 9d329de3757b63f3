#!/bin/bash
# SPDX-License-Identifier: ISC
# contrib/dhcpsync, issue #15 (2): a frozen peer does not keep the new
# master's dhcpd down for all of WAIT_TIMEOUT.  rack1 freezes (its host
# takes TCP connections, its processes answer nothing); rack2 goes MASTER
# and its wait-synced gives up once the peer has not said HELLO within
# WAIT_ANSWER (dhcpsync wait-synced --hello-timeout), then serves.  And
# the option itself: a silent peer, a running dhcpsync whose peer is
# silent, and a live peer that answers in time.
. "$(dirname "$0")/../lib/tap.sh"
. "$T_TOP/tests/dhcpsync/ha.sh"
needs_root

ha_topo
ha_rack rack1 150
ha_listener rack1 7002 "dhcpsync -l $T_TMP/rack1/dhcpd.leases --state $T_TMP/rack1/dhcpd.leases.wait-synced"
# WAIT_ANSWER 1s (the default is 2s)
ha_rack rack2 100 "WAIT_PEER='$(ha_peer 192.0.2.1 7002)'
WAIT_TIMEOUT=15s
WAIT_ANSWER=1s"
ha_pair
ok "rack2 BACKUP" wait_for 20 ha_is rack2 BACKUP
# frozen while it serves: frozen as its dhcp-master script starts dhcpd,
# a dhcpd forked after the freeze's listing answered c1 (ha_freeze now
# lists again until nothing new runs)
ok "rack1's dhcpd serves" wait_for 20 ha_serves rack1

ha_freeze rack1
ok "rack1 frozen: rack2 MASTER" wait_for 10 ha_is rack2 MASTER
t_m=$(ha_since rack2 MASTER)
ok "rack2 starts dhcpd within WAIT_ANSWER + 5 s (WAIT_TIMEOUT is 15 s)" \
    wait_for 6 ha_running rack2
diag "rack2's dhcpd started $(ha_ms "$t_m") ms after MASTER"
ok "rack2's dhcpd serves" wait_for 15 ha_serves rack2
like "$(dhcp_client c1)" '^192\.0\.2\.1[0-2][0-9]$' "c1 leases an address"
like "$(grep dhcp-server-identifier "$T_TMP/c1.leases" | tail -1)" ' 192\.0\.2\.2;' \
    "... from rack2"
like "$(cat "$T_TMP/rack2/wait.err")" 'did not answer within the hello timeout' \
    "wait-synced said why it gave up"
ha_thaw rack1

# the option itself, on files of its own
lf=$T_TMP/x.leases lf2=$T_TMP/y.leases
: > "$lf"; : > "$lf2"
# a silent peer: takes the connection, never says HELLO
ha_listener rack1 7004 'sleep 60'
frozen=$(ha_peer 192.0.2.1 7004)
ws() { ns_run rack2 dhcpsync wait-synced --leases "$lf" --state "$lf.ws" "$@" > /dev/null; }
t=$(ha_now)
ws --timeout 20s --hello-timeout 1s --peer "$frozen" 2> "$T_TMP/ws.err"
is "$?" 1 "wait-synced --hello-timeout 1s, a silent peer: exit 1"
ok "... within 4 s, not the 20 s timeout" test "$(ha_ms "$t")" -lt 4000
like "$(cat "$T_TMP/ws.err")" 'did not answer within the hello timeout' "... saying so"

# a dhcpsync keeping the file, its peer silent: the same (once the
# wait-synced above has let go of the file's lock: its peer's socat may
# still be winding down)
ok "the lock is free" wait_for 10 flock -n "$lf.dhcpsync.lock" true
# shellcheck disable=SC2154 # NS_rack2: set by ns_host
ip netns exec "$NS_rack2" dhcpsync --leases "$lf" --peer "$frozen" 2> "$T_TMP/keeper.err" &
K=$!
cleanup_push "kill $K 2>/dev/null"
ok "a dhcpsync keeps the file" wait_for 10 grep -q "^pid=$K " "$lf.dhcpsync.lock"
t=$(ha_now)
ws --timeout 20s --hello-timeout 1s --peer "$frozen" 2> "$T_TMP/ws.err"
is "$?" 1 "beside it, its peer silent: exit 1"
ok "... within 4 s" test "$(ha_ms "$t")" -lt 4000
like "$(cat "$T_TMP/ws.err")" 'not up within the hello timeout' "... saying so"
kill "$K"; wait "$K" 2>/dev/null

# a live peer answers at once: the hello timeout does not cut the sync
ha_listener rack1 7003 "dhcpsync -l $lf2 --state $lf2.ws"
ws --timeout 20s --hello-timeout 1s --peer "$(ha_peer 192.0.2.1 7003)" 2> "$T_TMP/ws.err"
is "$?" 0 "a live peer: synced, exit 0"
done_testing
