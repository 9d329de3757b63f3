#!/bin/bash
# SPDX-License-Identifier: ISC
# Lag made on purpose (replay paused on the standby, writes on the primary)
# crossing and falling back under byte and time thresholds, one-shot and
# --watch; then the WAL receiver stopped: 0 bytes behind by the standby's
# own numbers, not by the primary's.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/pair.sh"
cp_delay() { check_postgres --dbhost=127.0.0.1,127.0.0.1 --dbuser=postgres \
    --dbport="$PG_PRIMARY_PORT,$PG_STANDBY_PORT" --action=hot_standby_delay "$@" 2>&1; }
write() { pg_psql "$PG_PRIMARY_PORT" "insert into t select repeat('x', 1000) from generate_series(1, $1)" >/dev/null; }
replayed() { [ "$(pg_psql "$PG_STANDBY_PORT" "select count(*) from t")" = "$1" ]; }

pg_psql "$PG_PRIMARY_PORT" "create table t (x text)" >/dev/null
write 10
wait_for 20 replayed 10 || diag "standby did not replay"
exit_is 0 "caught up: under 1MB and 1s" pgwatch -q --max-lag 1MB --max-lag 1s "$P" "$S"

# The standby first: --http answers for it.
HS=$(free_port)
code() { curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$HS/$1"; }
pgwatch --http "$HS" --interval 100ms --max-lag 1MB "$S" "$P" >"$T_TMP/watch" 2>"$T_TMP/watch.err" &
wp=$!
cleanup_push "kill $wp"
wait_file_line 10 "$T_TMP/watch" "^up $SN role=standby" || diag "no up line"

pg_psql "$PG_STANDBY_PORT" "select pg_wal_replay_pause()" >/dev/null
write 3000
behind() { pgwatch "$P" "$S" | grep -Eq "lag_bytes=[1-9][0-9]{6,}"; }
ok "replay paused + 3000 rows: over 1MB behind" wait_for 20 behind
out=$(pgwatch --max-lag 1MB "$P" "$S"); rc=$?
is "$rc" 1 "--max-lag 1MB: exit 1"
like "$(sed -n 2p <<<"$out")" "wal=streaming .* paused=1 .*check=lag$" "standby line says paused, lag"
exit_is 0 "--max-lag 64MB still holds" pgwatch -q --max-lag 64MB "$P" "$S"
like "$(cp_delay --critical=1048576)" "^POSTGRES_HOT_STANDBY_DELAY CRITICAL" "check_postgres agrees: over 1MB"
nag=$(pgwatch --nagios --warning-lag 1MB --max-lag 64MB "$P" "$S"); rc=$?
is "$rc" 1 "--nagios: over --warning-lag, under --max-lag: WARNING"
like "$nag" "^PGWATCH WARNING: .* \(lag\) \| .*lag_bytes'=[0-9]+B;1048576;67108864;0" "WARNING line, perfdata warn;crit"
like "$(cp_delay --warning=1048576 --critical=67108864)" "^POSTGRES_HOT_STANDBY_DELAY WARNING" "check_postgres agrees: WARNING"
ok "--watch: lag over line" wait_file_line 10 "$T_TMP/watch" "^lag $SN state=over lag_bytes=[0-9]+"
ok "--watch: down line naming lag" wait_file_line 10 "$T_TMP/watch" "^down $SN reason=lag role=standby"
is "$(code 'replica?lag=1MB') $(code 'replica?lag=64MB') $(code replica) $(code read-only) $(code readiness)" \
    "503 200 200 200 200" "--http behind: /replica?lag=1MB 503, ?lag=64MB 200, /replica /read-only /readiness 200"
# Time: now() - the last replayed commit, once something is waiting.
slow() { ! pgwatch -q --max-lag 1s "$P" "$S"; }
ok "time lag crosses 1s while paused" wait_for 10 slow
out=$(pgwatch "$S")
like "$out" "lag_s=[1-9][0-9]*\.[0-9]+ " "lag_s counts seconds ($(grep -o 'lag_s=[^ ]*' <<<"$out"))"
cp_slow() { cp_delay --critical='1 and 1 second' | grep -q CRITICAL; }
ok "check_postgres agrees on bytes and time (it counts whole seconds)" wait_for 10 cp_slow

pg_psql "$PG_STANDBY_PORT" "select pg_wal_replay_resume()" >/dev/null
wait_for 20 replayed 3010 || diag "standby did not catch up"
caught() { pgwatch -q --max-lag 1MB --max-lag 1s "$P" "$S"; }
ok "resumed: back under both thresholds" wait_for 10 caught
like "$(pgwatch "$S")" "lag_s=0 " "everything received is replayed: lag_s=0"
like "$(cp_delay --critical=1048576)" "^POSTGRES_HOT_STANDBY_DELAY OK" "check_postgres agrees: OK"
ok "--watch: lag under line" wait_file_line 10 "$T_TMP/watch" "^lag $SN state=under"
like "$(grep -B1 "^lag $SN state=under" "$T_TMP/watch" | head -1)" "^up $SN role=standby .*check=ok$" "--watch: up again, with the lag line"

# --- WAL receiver stopped: primary_conninfo emptied and reloaded.
conninfo=$(pg_psql "$PG_STANDBY_PORT" "show primary_conninfo")
pg_psql "$PG_STANDBY_PORT" "alter system set primary_conninfo = ''" >/dev/null
pg_psql "$PG_STANDBY_PORT" "select pg_reload_conf()" >/dev/null
stopped() { pgwatch "$S" | grep -q "wal=none"; }
ok "WAL receiver gone: wal=none" wait_for 20 stopped
ok "--watch: streaming lost line" wait_file_line 10 "$T_TMP/watch" "^streaming $SN state=lost wal="
write 2000
out=$(pgwatch --max-lag 1MB "$S"); rc=$?
is "$rc" 0 "standby alone: 0 bytes behind by its own numbers (the trap)"
like "$out" "lag_bytes=0 " "own numbers: lag_bytes=0"
exit_is 1 "standby alone with --require-streaming: exit 1" pgwatch -q --require-streaming "$S"
out=$(pgwatch --max-lag 1MB "$P" "$S"); rc=$?
is "$rc" 1 "with the primary: over 1MB behind, exit 1"
behind_http() { [ "$(code 'replica?lag=1MB')" = 503 ]; }
ok "--http: /replica?lag=1MB 503, measured against the primary" wait_for 10 behind_http
is "$(code readiness) $(code replica)" "503 200" "--http receiver stopped: /readiness 503, /replica 200"
like "$(sed -n 2p <<<"$out")" "lag_bytes=[1-9][0-9]{6,} " "lag measured against the primary's LSN"
like "$(cp_delay --critical=1048576)" "CRITICAL" "check_postgres agrees (it also compares with the primary)"

pg_psql "$PG_STANDBY_PORT" "alter system set primary_conninfo = '${conninfo//\'/\'\'}'" >/dev/null
pg_psql "$PG_STANDBY_PORT" "select pg_reload_conf()" >/dev/null
ok "WAL receiver back: streaming regained" wait_file_line 20 "$T_TMP/watch" "^streaming $SN state=regained wal=streaming"
ok "and caught up" wait_for 20 caught
nok "no stray stderr from --watch" grep -q . "$T_TMP/watch.err"
watch_fmt "$T_TMP/watch" up down lag streaming
watch_fmt_all "$T_TMP/watch"
[ "$T_FAILED" = 0 ] || sed 's/^/#   watch: /' "$T_TMP/watch"
done_testing
