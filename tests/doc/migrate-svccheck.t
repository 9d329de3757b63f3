#!/bin/bash
# SPDX-License-Identifier: ISC
# The README's "killall -0 named" -> svccheck migration, run as written
# on a host running the seed's keepalived.conf under keepalived (Debian's
# unit).  What changes for the user: named dies but leaves a zombie (its
# parent hangs and never reaps it).  killall -0 counts the zombie, so
# keepalived keeps the VIP for a dead named; after the README's lines
# svccheck counts it dead and keepalived gives the VIP up.
. "$(dirname "$0")/../vrrpd/lib.sh"
. "$T_TOP/tests/doc/migrate.sh"
needs_root
command -v keepalived >/dev/null || cannot_run "keepalived missing"

topo master
host_init master || bail "host"
mhost master keepalived default || bail "machine"
echo 'DAEMON_ARGS="--log-console --log-detail"' >"$T_TMP/master/etc/default/keepalived"
seed_conf 150 " router_id master" >"$T_TMP/master/etc/keepalived/keepalived.conf"
named_start master || bail "named"
on master systemctl start keepalived || bail "keepalived"
ok "keepalived holds the VIP" wait_for 15 has_vip master

# zombie_named: named dies, its parent never reaps it
ZPARENT=
zombie_named() {
	named_kill master
	in_host master bash -c "'$T_TMP/master/named' 0.2 & exec sleep 100000" &
	ZPARENT=$!
	wait_for 5 _is_zombie
}
_is_zombie() { on master 'ps -o stat=,comm= -C named' | grep -q '^Z'; }
# the script interval is 2 s: three rounds
kept_vip() { ! wait_for 6.5 no_vip master; }

ok "named is a zombie" zombie_named
ok "killall -0 counts it: keepalived keeps the VIP for a dead named" kept_vip
kill "$ZPARENT"; wait "$ZPARENT" 2>/dev/null
named_start master || bail "named again"

run_session svccheck
like "$(grep chk_named -A2 "$T_TMP/master/etc/keepalived/keepalived.conf")" \
    'script "/usr/local/bin/svccheck -q named"' "the track script is svccheck"
ok "keepalived still holds the VIP" wait_for 5 has_vip master
ok "named is a zombie again" zombie_named
ok "svccheck counts it dead: keepalived gives the VIP up" wait_for 8 no_vip master
kill "$ZPARENT"; wait "$ZPARENT" 2>/dev/null
named_start master || bail "named again"
ok "named back: keepalived takes the VIP again" wait_for 10 has_vip master
done_testing
