#!/bin/bash
# SPDX-License-Identifier: ISC
# pgwatch --nagios as a monitoring plugin, against the plugins themselves
# on a real primary + standby: -w/-c ranges on the standby lag judged as
# check_pgsql judges the same lag with the same ranges, check_postgres's
# hot_standby_delay thresholds ('1048576 and 2min') as check_postgres
# judges them, -t as check_pgsql's -t, -H/-p as check_postgres reads
# them, perfdata with units and thresholds, and the exit codes.
. "$(dirname "$0")/../lib/tap.sh"
needs_root
CHECK_PGSQL=/usr/lib/nagios/plugins/check_pgsql
[ -x "$CHECK_PGSQL" ] || cannot_run "no $CHECK_PGSQL (monitoring-plugins-standard)"
command -v check_postgres >/dev/null || cannot_run "no check_postgres"
. "$T_TOP/tests/lib/pg.sh"
pg_pair_start || bail "could not start a PostgreSQL pair"

P="host=127.0.0.1 port=$PG_PRIMARY_PORT user=postgres dbname=postgres"
S="host=127.0.0.1 port=$PG_STANDBY_PORT user=postgres dbname=postgres"
hsd() {	# check_postgres hot_standby_delay, the primary first
	check_postgres --dbhost=127.0.0.1,127.0.0.1 \
	    --dbport="$PG_PRIMARY_PORT,$PG_STANDBY_PORT" --dbuser=postgres \
	    --action=hot_standby_delay "$@" >"$T_TMP/hsd" 2>&1
}
# The lag pgwatch measures (primary's LSN minus the standby's replay
# LSN), as a query check_pgsql runs on the primary.
LAGQ="select pg_wal_lsn_diff(pg_current_wal_lsn(), replay_lsn)::bigint from pg_stat_replication"
pgsql_lag() {	# WARN CRIT: check_pgsql's exit code
	local rc=0
	"$CHECK_PGSQL" -H 127.0.0.1 -P "$PG_PRIMARY_PORT" -l postgres \
	    -d postgres -q "$LAGQ" -W "$1" -C "$2" >"$T_TMP/pgsql" 2>&1 || rc=$?
	echo "$rc"
}
pgw() {	# pgwatch --nagios ARGS... P S: its exit code
	local rc=0
	pgwatch --nagios "$@" "$P" "$S" >"$T_TMP/pgw" 2>"$T_TMP/pgw.err" || rc=$?
	echo "$rc"
}

# --- a healthy pair: lag 0
is "$(pgw -w 1MB -c 16MB)" 0 "-w 1MB -c 16MB on a pair in step: OK (exit 0)"
like "$(cat "$T_TMP/pgw")" "^PGWATCH OK: .*'127\.0\.0\.1:$PG_STANDBY_PORT lag_bytes'=0B;1048576;16777216;0" \
    "perfdata: lag in B, -w and -c as its thresholds in bytes"
hsd --warning=1048576 --critical=16777216; rc=$?
is "$rc" 0 "check_postgres hot_standby_delay agrees: OK"
is "$(pgw -w 1MB -c 10:)" 2 "-c 10: (alert below 10 bytes) on lag 0: CRITICAL"
is "$(pgsql_lag 1048576 10:)" 2 "check_pgsql -C 10: on the same lag: CRITICAL"

# --- a standby 2-8 MB behind: replay paused, WAL still received
pg_psql "$PG_PRIMARY_PORT" "create table t0 (i int); insert into t0 values (1)" >/dev/null
replayed() { [ "$(pg_psql "$PG_STANDBY_PORT" "select count(*) from t0")" = 1 ] 2>/dev/null; }
wait_for 30 replayed || diag "the first row did not reach the standby"
pg_psql "$PG_STANDBY_PORT" "select pg_wal_replay_pause()" >/dev/null
pg_psql "$PG_PRIMARY_PORT" "create table t1 as select i, repeat('x', 40) x from generate_series(1, 50000) i" >/dev/null
# received all, replay stays, the primary's view of replay agrees
settled() {
	local cur rep rcv
	cur=$(pg_psql "$PG_PRIMARY_PORT" "select pg_current_wal_lsn()")
	rcv=$(pg_psql "$PG_STANDBY_PORT" "select pg_last_wal_receive_lsn() >= '$cur'")
	rep=$(pg_psql "$PG_PRIMARY_PORT" "select replay_lsn = (select '$(pg_psql "$PG_STANDBY_PORT" "select pg_last_wal_replay_lsn()")'::pg_lsn) from pg_stat_replication")
	[ "$rcv" = t ] && [ "$rep" = t ]
}
wait_for 30 settled || diag "the standby did not settle"
lag=$(pg_psql "$PG_PRIMARY_PORT" "$LAGQ")
diag "lag: $lag bytes"
ok "the lag is between 2 MB and 8 MB ($lag)" test "$lag" -gt 2097152 -a "$lag" -lt 8388608

# -w/-c: the issue's example, then each range form, against check_pgsql
is "$(pgw -w 1MB -c 16MB)" 1 "-w 1MB -c 16MB with a lag in between: WARNING (main: exit 3)"
like "$(cat "$T_TMP/pgw")" "^PGWATCH WARNING: .*'127\.0\.0\.1:$PG_STANDBY_PORT lag_bytes'=[0-9]+B;1048576;16777216;0" \
    "WARNING line with perfdata thresholds"
is "$(pgsql_lag 1048576 16777216)" 1 "check_pgsql -W 1048576 -C 16777216: WARNING too"
while read -r w c pw pc; do
	want=$(pgsql_lag "$w" "$c")
	is "$(pgw -w "$pw" -c "$pc")" "$want" "-w $pw -c $pc: as check_pgsql -W $w -C $c"
done <<'EOF'
1048576 16777216 1048576 16777216
1048576 2097152 1MB 2MB
1048576: 16777216: 1MB: 16MB:
~:1048576 ~:104857600 ~:1MB ~:100MB
1048576:33554432 0:67108864 1MB:32MB 0:64MB
@1048576:33554432 @0:1 @1MB:32MB @0:1
@0:1 @1048576:33554432 @0:1 @1MB:32MB
10 33554432: 10B 32MB:
EOF

# check_postgres's hot_standby_delay forms, as written in Icinga configs
has_ts() { [ "$(pg_psql "$PG_STANDBY_PORT" "select extract(epoch from now() - pg_last_xact_replay_timestamp()) > 3")" = t ]; }
wait_for 30 has_ts || diag "the standby's last replayed commit is not 3s old"
while read -r args; do
	eval "set -- $args"
	hsd "$@"; want=$?
	is "$(pgw "$@")" "$want" "$args: as check_postgres hot_standby_delay ($(head -c 40 "$T_TMP/hsd"))"
done <<'EOF'
--warning='1048576 and 2min' --critical='16777216 and 10min'
--warning='1048576 and 1s' --critical='16777216 and 1s'
--warning='1048576 and 1s' --critical='2097152 and 2 seconds'
--critical='1048576 and 1 min'
--warning=1048576 --critical=1073741824
--critical='2 s'
EOF

# -H/-p as check_postgres takes them (a comma list, the primary first)
rc=0; pgwatch --nagios -H 127.0.0.1,127.0.0.1 -p "$PG_PRIMARY_PORT,$PG_STANDBY_PORT" \
    --dbuser postgres --dbname postgres -w 1MB -c 16MB >"$T_TMP/h" 2>&1 || rc=$?
is "$rc" 1 "-H h1,h2 -p p1,p2 --dbuser --dbname: the same WARNING"
like "$(cat "$T_TMP/h")" "^PGWATCH WARNING: primary 127\.0\.0\.1:$PG_PRIMARY_PORT, standby 127\.0\.0\.1:$PG_STANDBY_PORT " "hosts named from -H/-p"
check_postgres -H 127.0.0.1,127.0.0.1 -p "$PG_PRIMARY_PORT,$PG_STANDBY_PORT" --dbuser=postgres \
    --action=hot_standby_delay --warning=1048576 --critical=16777216 >/dev/null 2>&1; rc=$?
is "$rc" 1 "check_postgres with the same -H/-p: WARNING"
exit_is 0 "-H once, -p for the standby, settings in CONNINFO: standby alone" \
    pgwatch -q -H 127.0.0.1 -p "$PG_STANDBY_PORT" --expect standby "user=postgres dbname=postgres"
pg_psql "$PG_STANDBY_PORT" "select pg_wal_replay_resume()" >/dev/null
# replay catching up may cancel a standby query (a recovery conflict)
caught_up() { [ "$(pg_psql "$PG_STANDBY_PORT" "select pg_last_wal_replay_lsn() >= '$(pg_psql "$PG_PRIMARY_PORT" "select pg_current_wal_lsn()")'")" = t ]; }
wait_for 30 caught_up || diag "the standby did not catch up"

# -c outside --nagios: the lag limit of a check (exit 1), -w only there
rc=0; out=$(pgwatch -c 1GB "$P" "$S" 2>&1) || rc=$?
is "$rc" 0 "check mode -c 1GB: holds" || diag "$out"
rc=0; out=$(pgwatch -c '@0:1GB' "$P" "$S" 2>&1) || rc=$?
is "$rc" 1 "check mode -c @0:1GB: the standby's lag is inside, fails (exit 1)"
like "$out" "check=lag$" "check=lag named"

# --- -t: the whole run's deadline, against a server that never answers
SILENT=$(free_port)
# its own session, so cleanup ends the forked children too
setsid socat "TCP-LISTEN:$SILENT,bind=127.0.0.1,reuseaddr,fork" \
    SYSTEM:'exec sleep 30' >/dev/null 2>&1 &
SOCAT=$!
cleanup_push "kill -- -$SOCAT 2>/dev/null"
listening() { ss -Hltn "( sport = :$SILENT )" | grep -q .; }
wait_for 10 listening || diag "socat did not listen"
Q="host=127.0.0.1 port=$SILENT user=postgres connect_timeout=30"
t0=$EPOCHREALTIME
rc=0; out=$(pgwatch --nagios -t 1 --connect-timeout 20s "$Q") || rc=$?
t1=$EPOCHREALTIME
is "$rc" 3 "-t 1 against a silent server: UNKNOWN (exit 3)"
like "$out" "^PGWATCH UNKNOWN: no answer within 1s" "the UNKNOWN line says why"
ok "-t 1 bounds the run, not --connect-timeout 20s ($(( (${t1/./} - ${t0/./}) / 1000 )) ms)" \
    test $(( (${t1/./} - ${t0/./}) / 1000 )) -lt 10000
rc=0; "$CHECK_PGSQL" -H 127.0.0.1 -P "$SILENT" -t 1 >/dev/null 2>&1 || rc=$?
is "$rc" 2 "check_pgsql -t 1 there: CRITICAL"
rc=0; pgwatch --nagios -t 1:critical "$Q" >/dev/null 2>&1 || rc=$?
is "$rc" 2 "-t 1:critical: the same as check_pgsql"
rc=0; out=$(pgwatch -t 1 "$Q" 2>/dev/null) || rc=$?
is "$rc" 1 "check mode -t 1: the host is down (exit 1)"
like "$out" "^down 127\.0\.0\.1:$SILENT reason=timeout" "down reason=timeout"

# --- exit codes: a usage error is not a split brain (2)
exit_is 64 "check mode: unknown option: exit 64 (EX_USAGE)" pgwatch --frobnicate "$P" 2>/dev/null
exit_is 64 "check mode: -w without --nagios: exit 64" pgwatch -w 1MB "$P"
exit_is 64 "--watch: a usage error is 64 too" pgwatch --watch --interval x "$P"
rc=0; err=$(pgwatch -c 1MB:30s "$P" 2>&1 >/dev/null) || rc=$?
is "$rc" 64 "a size and a duration in one range: exit 64"
like "$err" "--critical .*a size and a duration in one range" "the error names the option"
exit_is 3 "--nagios: a bad range: UNKNOWN" pgwatch --nagios -c 16MB:1MB "$P"
like "$(pgwatch --nagios -c 16MB:1MB "$P" 2>/dev/null)" '^PGWATCH UNKNOWN: --critical "16MB:1MB": the start is past the end$' \
    "the UNKNOWN line on stdout names the option"
exit_is 3 "--nagios: -t with a bad state: UNKNOWN" pgwatch --nagios -t 5:maybe "$P"
exit_is 3 "--nagios: -p count not matching -H: UNKNOWN" pgwatch --nagios -H a,b,c -p 1,2

done_testing
