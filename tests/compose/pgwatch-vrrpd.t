#!/bin/bash
# SPDX-License-Identifier: ISC
# pgwatch --watch | vrrpd --track-fd 0: the VIP follows a healthy primary.
# A PostgreSQL primary + standby on 127.0.0.1; two vrrpd hosts (a, priority
# 150, fed by pgwatch; b, priority 100) in namespaces on one bridge.  The
# primary stopped: pgwatch prints "down", a goes FAULT (reason=track-fd),
# b takes the VIP; the primary back: "up", a preempts.  vrrpd gone:
# pgwatch notices its reader left and exits 1.
. "$(dirname "$0")/../vrrpd/lib.sh"
needs_root
. "$T_TOP/tests/lib/pg.sh"
pg_pair_start || bail "could not start a PostgreSQL pair"
topo a b
host_init a && host_init b || bail "hosts"

PN="127\.0\.0\.1:$PG_PRIMARY_PORT"
args=(-i eth0 --vrid 61 --vip $VIP/24 --advert 100ms --vrrp-version 3)
vr_in b "${args[@]}" --priority 100 || bail "vrrpd b"

# a: pgwatch (out here, where PostgreSQL listens) piped into vrrpd in a;
# tee keeps a copy of exactly what pgwatch printed.
: > "$T_TMP/a.out"
(
	echo "$BASHPID" > "$T_TMP/pgw.pid"
	exec pgwatch --watch --interval 200ms --expect primary \
	    "host=127.0.0.1 port=$PG_PRIMARY_PORT user=postgres" \
	    2>"$T_TMP/pgw.err"
) | tee "$T_TMP/pgw.out" |
    nsenter -t "$P1_a" -a vrrpd --control "$T_TMP/a.sock" "${args[@]}" \
    --priority 150 --track-fd 0 >>"$T_TMP/a.out" 2>>"$T_TMP/a.err" &
NSE=$!
disown
wait_for 5 test -s "$T_TMP/pgw.pid" || bail "pgwatch did not start"
PGW=$(cat "$T_TMP/pgw.pid")
cleanup_push "kill -9 $PGW"
wait_for 5 test -S "$T_TMP/a.sock" || bail "vrrpd a did not start"
VR_a=$(pgrep -P "$NSE")
ok "vrrpd a runs, fed by pgwatch" test -n "$VR_a" -a "$(wc -w <<<"$VR_a")" = 1

ok "pgwatch prints the primary up" \
    wait_file_line 10 "$T_TMP/pgw.out" "^up $PN role=primary .*check=ok"
ok "a becomes master" wait_file_line 10 "$T_TMP/a.out" '^MASTER VI_61 vrid=61 prio=150'
ok "a alone holds the VIP" wait_for 5 only a a b
is "$(state b)" BACKUP "b is backup"

pg_primary_stop immediate
ok "pgwatch prints the primary down" \
    wait_file_line 10 "$T_TMP/pgw.out" "^down $PN reason="
ok "a goes FAULT because of the track fd" \
    wait_file_line 5 "$T_TMP/a.out" '^FAULT VI_61 .*from=MASTER reason=track-fd'
ok "b takes the VIP" wait_for 5 only b a b
is "$(grep -c '^up ' "$T_TMP/pgw.out")" 1 "no second up line before the restart"
like "$(grep '^FAULT' "$T_TMP/a.out" | wc -l)" '^1$' "one FAULT line"

n=$(file_lines "$T_TMP/a.out")	# a's MASTER line from the start is older
pg_primary_start || bail "primary restart"
ok "pgwatch prints the primary up again" \
    wait_for 40 lines_ge "$T_TMP/pgw.out" "^up $PN role=primary" 2
ok "a preempts: MASTER again" \
    wait_file_line_after 5 "$T_TMP/a.out" "$n" '^MASTER VI_61 .*from=(BACKUP|FAULT)'
ok "a alone holds the VIP again" wait_for 5 only a a b
is "$(grep -v '^\(up\|down\) ' "$T_TMP/pgw.out")" "" "pgwatch printed only up/down lines"
is "$(grep -ci 'not understood\|error' "$T_TMP/a.err")" 0 "vrrpd understood every line"

# Once more without tee, the way a user writes it, for the end of the pipe:
# vrrpd gone, pgwatch notices its reader left and exits 1 at once.
kill -TERM "$VR_a"
ok "vrrpd a stops" wait_gone 5 "$VR_a"
ok "b takes the VIP" wait_for 5 only b a b
kill -TERM "$PGW"
ok "the first pgwatch stops" wait_gone 5 "$PGW"
(
	pgwatch --watch --interval 200ms --expect primary \
	    "host=127.0.0.1 port=$PG_PRIMARY_PORT user=postgres" \
	    2>>"$T_TMP/pgw.err" &
	echo "$!" > "$T_TMP/pgw2.pid"
	wait "$!"
	echo "$?" > "$T_TMP/pgw2.rc"
) | nsenter -t "$P1_a" -a vrrpd --control "$T_TMP/a.sock" "${args[@]}" \
    --priority 150 --track-fd 0 >>"$T_TMP/a.out" 2>>"$T_TMP/a.err" &
NSE=$!
disown
wait_for 5 test -s "$T_TMP/pgw2.pid" || bail "pgwatch did not start"
PGW=$(cat "$T_TMP/pgw2.pid")
cleanup_push "kill -9 $PGW"
ns_child VR_a "$NSE" || bail "vrrpd a did not start"
ok "a, fed by pgwatch directly, takes the VIP back" wait_for 10 only a a b
kill -TERM "$VR_a"
ok "vrrpd a stops" wait_gone 5 "$VR_a"
ok "pgwatch exits by itself once its reader is gone" wait_gone 5 "$PGW"
ok "... with status 1" wait_for 5 file_is "$T_TMP/pgw2.rc" 1
ok "b holds the VIP" wait_for 5 only b a b
done_testing
