#!/bin/bash
# SPDX-License-Identifier: ISC
# The README's keepalived -> vrrpd migration, run as written on a pair of
# real keepalived hosts serving the seed's VIP (master 150, backup 100,
# advert_int 1, "killall -0 named"), a client pinging the VIP every
# 100 ms all along.  The backup is swapped first: the VIP must not
# move (no ping gap over 1.5 s: 15 pings, more than a loaded machine
# delays one ping by).  Then the master: its keepalived's
# priority 0 hands the VIP to the backup's vrrpd, and its own vrrpd takes
# it back by preemption; the VIP answers throughout but for at most one
# master-down interval (3 x 1 s + (256 - 100) / 256 s = 3.61 s, +1 s for
# a loaded machine).  At the end vrrpd on the master holds it alone.
. "$(dirname "$0")/../vrrpd/lib.sh"
. "$T_TOP/tests/doc/migrate.sh"
needs_root
command -v keepalived >/dev/null || cannot_run "keepalived missing"

topo master backup
for h in master backup; do
	host_init "$h" || bail "host $h"
	mhost "$h" keepalived default || bail "machine $h"
	# keepalived's log on its stdout (the stand-in's log), not syslog
	echo 'DAEMON_ARGS="--log-console --log-detail"' \
	    >"$T_TMP/$h/etc/default/keepalived"
	named_start "$h" || bail "named on $h"
done
# the seed's keepalived.conf, filled in, as each host has it
seed_conf 150 " router_id master" >"$T_TMP/master/etc/keepalived/keepalived.conf"
seed_conf 100 " router_id backup" >"$T_TMP/backup/etc/keepalived/keepalived.conf"

# before: keepalived on both, started as the distribution starts it
on master systemctl start keepalived || bail "keepalived on master"
ok "keepalived master holds the VIP" wait_for 15 only master master backup
on backup systemctl start keepalived || bail "keepalived on backup"
ok "keepalived backup is up" \
    wait_file_line 15 "$T_TMP/backup/log/keepalived.log" 'Entering BACKUP'
ok "client reaches the VIP" wait_for 8 reach

# the client pings all along; a reply's time is its [epoch] stamp
ns_run cl ping -D -n -i 0.1 -W 1 "$VIP" >"$T_TMP/ping" 2>&1 &
PING=$!
cleanup_push "kill $PING 2>/dev/null"
ok "pings answered" wait_for 5 lines_ge "$T_TMP/ping" 'bytes from' 5

mark() {
	[ "$1" = master ] && [ -z "${MASTER_T:-}" ] && MASTER_T=$(ms)
	return 0
}
run_session vrrpd mark
ok "vrrpd on the master holds the VIP, alone" wait_for 10 only master master backup
ok "no keepalived left on either host" \
    test -z "$({ ip netns pids "$NS_master"; ip netns pids "$NS_backup"; } |
	xargs -r ps -o comm= -p | grep keepalived)"
ok "client reaches the VIP" wait_for 8 reach
n=$(grep -c 'bytes from' "$T_TMP/ping")
ok "pings answered after the migration" \
    wait_for 5 lines_ge "$T_TMP/ping" 'bytes from' $((n + 5))
kill "$PING"
wait "$PING" 2>/dev/null

# gaps between answered pings: "END_MS GAP_MS" for each over 300 ms
gaps() {
	sed -n 's/^\[\([0-9]*\)\.\([0-9]\{3\}\)[0-9]*\] .*bytes from.*/\1\2/p' "$T_TMP/ping" |
	    awk 'NR > 1 && $1 - p > 300 { print $1, $1 - p } { p = $1 }'
}
gaps >"$T_TMP/gaps"
sed 's/^/# gap (end ms, length ms): /' "$T_TMP/gaps"
ok "the master's swap was reached" test -n "${MASTER_T:-}"
before=$(awk -v t="$MASTER_T" '$1 < t && $2 > 1500' "$T_TMP/gaps" | wc -l)
is "$before" 0 "backup swapped: the VIP never stopped answering (no gap over 1.5 s)"
worst=$(awk 'BEGIN { m = 0 } $2 > m { m = $2 } END { print m }' "$T_TMP/gaps")
ok "master swapped: the longest gap ($worst ms) is within a master-down interval (3610 ms + 1000)" \
    test "$worst" -le 4610
long=$(awk '$2 > 1500' "$T_TMP/gaps" | wc -l)
ok "at most one gap over 1.5 s ($long)" test "$long" -le 1
done_testing
