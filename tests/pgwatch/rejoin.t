#!/bin/bash
# SPDX-License-Identifier: ISC
# The old primary turned into a standby of the promoted one WITHOUT
# pg_rewind: it starts, answers queries, yet never streams, because its
# history went past the point where the new timeline forked off.  pgwatch
# must not call it healthy.  On the way: the down line on the primary's
# death with a 30 s --interval (noticed on the socket, not at a poll), the
# --watch line layouts, and --pidfile.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/pair.sh"
HP=$(free_port)
code() { curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$HP/$1"; }

pgwatch --http "$HP" --interval 100ms --pidfile "$T_TMP/w.pid" "$P" "$S" \
    >"$T_TMP/w" 2>"$T_TMP/w.err" &
wp=$!
cleanup_push "kill $wp 2>/dev/null"
pgwatch --watch --interval 30s "$P" "$S" >"$T_TMP/slow" 2>&1 &
cleanup_push "kill $! 2>/dev/null"
wait_file_line 10 "$T_TMP/w" "^up $SN" || diag "watcher not up"
wait_file_line 10 "$T_TMP/slow" "^up $SN" || diag "slow watcher not up"
is "$(cat "$T_TMP/w.pid" 2>/dev/null)" "$wp" "--pidfile holds the watcher's pid"
is "$(code primary)" 200 "/primary on the healthy primary: 200"

# --- the primary dies; the 30 s watcher says so at once.
t0=$(date +%s%N)
pg_primary_stop immediate
ok "--interval 30s: down line for the primary" \
    wait_fine 10 grep -Eq "^down $PN reason=[a-z]+ msg=" "$T_TMP/slow"
ms=$(( ($(date +%s%N) - t0) / 1000000 ))
ok "down line ${ms} ms after pg_ctl stop -m immediate began (< 3000, interval 30 s)" \
    test "$ms" -lt 3000
is "$(grep -c . "$T_TMP/slow")" 3 "and nothing else: up, up, down"

# --- the standby promoted, the old primary restarted and written to
# (split brain), stopped, then made a standby of the new primary by hand.
_pg_as "$PG_BIN/pg_ctl" -D "$PG_STANDBY" -w promote >/dev/null
pg_primary_start
pg_psql "$PG_PRIMARY_PORT" "create table lost as select 1 as x" >/dev/null
ok "watcher: split brain" wait_file_line 10 "$T_TMP/w" "^down $PN reason=split-brain role=primary "
pg_psql "$PG_STANDBY_PORT" "create table kept as select 2 as x" >/dev/null
pg_primary_stop fast
_pg_as touch "$PG_PRIMARY/standby.signal"
cat >>"$PG_PRIMARY/postgresql.conf" <<-CONF
	primary_conninfo = 'host=127.0.0.1 port=$PG_STANDBY_PORT user=postgres'
	wal_retrieve_retry_interval = 200ms
CONF
pg_primary_start
# A watcher of it alone, every 10 ms: PostgreSQL shows its WAL receiver
# "streaming" while it connects, before the primary refuses it.
pgwatch --watch --interval 10ms --require-streaming "$P" >"$T_TMP/alone" 2>&1 &
cleanup_push "kill $! 2>/dev/null"
forked() { [ "$(grep -c 'forked off current database system timeline 1 before current recovery point' "$PG_PRIMARY.log")" -ge "$1" ]; }
ok "its startup process refuses timeline 2, over and over (server log)" \
    wait_for 20 forked 3
is "$(pg_psql "$PG_PRIMARY_PORT" 'select pg_is_in_recovery()')" t "it runs as a standby"
is "$(pg_psql "$PG_PRIMARY_PORT" 'select count(*) from lost')" 1 \
    "and answers queries, with a row the new primary never had"

out=$(pgwatch "$S" "$P" 2>"$T_TMP/err"); rc=$?
is "$rc" 1 "no option given: exit 1, not healthy"
like "$(sed -n 1p <<<"$out")" "^primary $SN tli=2 .* check=ok$" "new primary on timeline 2"
like "$(sed -n 2p <<<"$out")" \
    "^standby $PN tli=1 lsn=[0-9A-F/]+ receive_lsn=[0-9A-F/]+ wal=[a-z]+ .* check=timeline$" \
    "rejoined standby: timeline 1, check=timeline"
nok "its WAL receiver does not stream" grep -q "wal=streaming" <<<"$out"
like "$(cat "$T_TMP/err")" \
    "$PN: standby on timeline 1, primary on 2, WAL receiver [a-z]+: it does not follow the primary \(rejoined without pg_rewind\?\)" \
    "stderr says what it means"
exit_is 1 "--expect primary,standby: exit 1" pgwatch -q --expect primary,standby "$S" "$P"
like "$(pgwatch --require-streaming "$S" "$P" 2>/dev/null | sed -n 2p)" \
    "check=timeline,streaming$" "--require-streaming fails too"
exit_is 1 "the standby alone, --require-streaming: exit 1" \
    pgwatch -q --require-streaming "$P"
nag=$(pgwatch --nagios "$S" "$P" 2>/dev/null); rc=$?
is "$rc" 2 "--nagios: CRITICAL"
like "$nag" "^PGWATCH CRITICAL: primary $SN, standby $PN [a-z]+ lag [0-9]+B [0-9.]+s \(timeline\) \|" "--nagios names it"
json=$(pgwatch --json "$S" "$P" 2>/dev/null | sed -n 2p)
like "$json" "\"tli\":1,.*\"check\":\"timeline\"\}$" "--json says it too"
cpout=$(check_postgres --dbhost=127.0.0.1,127.0.0.1 --dbuser=postgres \
    --dbport="$PG_STANDBY_PORT,$PG_PRIMARY_PORT" --action=hot_standby_delay \
    --critical=1048576 2>&1)
diag "check_postgres hot_standby_delay on it: ${cpout:0:60}"

# The watcher: a role change, then down for the timeline, never up.
ok "watcher: role line" wait_file_line 10 "$T_TMP/w" "^role $PN role=standby was=primary tli=1$"
ok "watcher: down reason=timeline" \
    wait_file_line 10 "$T_TMP/w" "^down $PN reason=timeline role=standby tli=1 .*check=timeline$"
forked 6 || wait_for 20 forked 6
after=$(sed -n "/^down $PN reason=timeline/,\$p" "$T_TMP/w" | grep -E "^(up|streaming) $PN ")
is "$after" "" "no up or streaming line after three more refusals: it never streams"
is "$(grep -E "^(up|streaming) " "$T_TMP/alone")" "" \
    "watched alone every 10 ms across six refusals: never up, never streaming"
is "$(code replica)" 503 "/replica: 503, its reads are stale"
is "$(code read-only)" 503 "/read-only: 503"
is "$(code health)" 200 "/health: 200, it answers"

watch_fmt "$T_TMP/w" up down role
watch_fmt "$T_TMP/slow" up down
watch_fmt_all "$T_TMP/w"

kill -TERM "$wp"
wait "$wp"
is "$?" 0 "SIGTERM: exit 0"
nok "--pidfile removed on a clean stop" test -e "$T_TMP/w.pid"
[ "$T_FAILED" = 0 ] || sed 's/^/#   watch: /' "$T_TMP/w"
done_testing
