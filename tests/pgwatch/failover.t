#!/bin/bash
# SPDX-License-Identifier: ISC
# --watch and --http through a failure: every HTTP endpoint with curl while
# healthy; the primary stopped (down line at once, 503s); both stopped; the
# standby promoted (new timeline at once) and the old primary restarted:
# two primaries, exit 2.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/pair.sh"
HP=$(free_port)
HS=$(free_port)
while [ "$HS" = "$HP" ]; do HS=$(free_port); done

# One watcher answers for the primary, one for the standby (first host).
mkfifo "$T_TMP/ready"
pgwatch --http "$HP" --interval 100ms --ready-fd 3 "$P" "$S" \
    >"$T_TMP/wp" 2>"$T_TMP/wp.err" 3>"$T_TMP/ready" &
wp=$!
cleanup_push "kill $wp"
read -r -t 10 _ <"$T_TMP/ready"
is "$?" 0 "--ready-fd: ready after the first round"
pgwatch --http "127.0.0.1:$HS" --interval 100ms "$S" "$P" >"$T_TMP/ws" 2>&1 &
cleanup_push "kill $!"
wait_file_line 10 "$T_TMP/ws" "^up $PN" || diag "second watcher not up"
wait_for 10 curl -sf "http://127.0.0.1:$HS/liveness" || diag "http not up"

# The reader goes away (vrrpd --track-fd died): pgwatch must not linger.
timeout 10 bash -c "pgwatch --watch '$P' '$S' 2>/dev/null | head -1 >/dev/null"
is "$?" 0 "--watch stops when its reader closes the pipe"

code() { curl -s -o /dev/null -w '%{http_code}' "$@"; }
codes() {	# port: status of each path, in one line
	local p out=
	out="/=$(code "http://127.0.0.1:$1/") "
	for p in primary master leader read-write replica read-only health liveness readiness; do
		out+="$p=$(code "http://127.0.0.1:$1/$p") "
	done
	echo "$out"
}
is "$(codes "$HP")" "/=200 primary=200 master=200 leader=200 read-write=200 replica=503 read-only=200 health=200 liveness=200 readiness=200 " \
    "healthy primary: every endpoint"
is "$(codes "$HS")" "/=503 primary=503 master=503 leader=503 read-write=503 replica=200 read-only=200 health=200 liveness=200 readiness=200 " \
    "healthy standby: every endpoint"
body=$(curl -s "http://127.0.0.1:$HP/primary")
like "$body" "^\{\"host\":\"$PN\",\"state\":\"running\",\"role\":\"primary\",\"timeline\":1," "JSON body"
is "$(code -I "http://127.0.0.1:$HP/primary")" 200 "HEAD /primary"
is "$(code -I "http://127.0.0.1:$HS/primary")" 503 "HEAD /primary on the standby"
is "$(code -X OPTIONS "http://127.0.0.1:$HP/primary")" 200 "OPTIONS /primary (haproxy httpchk)"
is "$(code -X OPTIONS "http://127.0.0.1:$HS/replica")" 200 "OPTIONS /replica"
is "$(code "http://127.0.0.1:$HS/replica?lag=1MB")" 200 "/replica?lag=1MB"
is "$(code "http://127.0.0.1:$HS/replica?lag=zz")" 200 "/replica?lag=zz: no limit, as Patroni"
is "$(code "http://127.0.0.1:$HP/nothing")" 503 "unknown path: 503, as Patroni"
is "$(code -X POST "http://127.0.0.1:$HP/primary")" 501 "POST refused (501 from evhttp)"

# --- primary stopped: the watcher notices the dropped connection at once.
t0=$(date +%s%N)
pg_primary_stop fast
ok "down line for the primary" wait_file_line 10 "$T_TMP/wp" "^down $PN reason=closed"
ms=$(( ($(date +%s%N) - t0) / 1000000 ))
diag "down line ${ms} ms after pg_ctl stop began (pg_ctl itself waits for the shutdown)"
ok "standby: streaming lost" wait_file_line 10 "$T_TMP/wp" "^streaming $SN state=lost"
wait_file_line 10 "$T_TMP/ws" "^streaming $SN state=lost" || diag "second watcher: no streaming lost"
is "$(codes "$HP")" "/=503 primary=503 master=503 leader=503 read-write=503 replica=503 read-only=503 health=503 liveness=200 readiness=503 " \
    "primary down: every endpoint 503 but /liveness"
is "$(codes "$HS")" "/=503 primary=503 master=503 leader=503 read-write=503 replica=200 read-only=200 health=200 liveness=200 readiness=503 " \
    "standby not streaming: /replica still 200, /readiness 503"
out=$(pgwatch "$P" "$S"); rc=$?
is "$rc" 1 "one-shot with the primary down: exit 1"
like "$out" "^down $PN reason=refused" "down line, reason=refused"
# check_postgres cannot measure a delay without the primary: it says
# UNKNOWN (exit 3) naming the refused port.  Exit 127 (not installed) or
# a Perl error no longer pass.
check_postgres --dbhost=127.0.0.1,127.0.0.1 --dbport="$PG_PRIMARY_PORT,$PG_STANDBY_PORT" \
    --dbuser=postgres --action=hot_standby_delay --critical=1048576 >"$T_TMP/cp" 2>&1; rc=$?
is "$rc" 3 "check_postgres agrees it cannot be OK: UNKNOWN (exit 3)"
like "$(head -1 "$T_TMP/cp")" "^ERROR: .*port $PG_PRIMARY_PORT failed: Connection refused" \
    "... because the primary refuses, as pgwatch says"

# --- both stopped.
pg_standby_stop fast
out=$(pgwatch "$P" "$S"); rc=$?
is "$rc" 1 "both stopped: exit 1"
is "$(grep -c '^down ' <<<"$out")" 2 "both down lines"
ok "watcher: standby down too" wait_file_line 10 "$T_TMP/wp" "^down $SN reason="
wait_file_line 10 "$T_TMP/ws" "^down $SN reason=" || diag "second watcher: standby not down"
is "$(codes "$HS")" "/=503 primary=503 master=503 leader=503 read-write=503 replica=503 read-only=503 health=503 liveness=200 readiness=503 " \
    "both stopped: every endpoint 503 but /liveness"

# --- standby promoted: a new timeline at once.
pg_standby_start
_pg_as "$PG_BIN/pg_ctl" -D "$PG_STANDBY" -w promote >/dev/null
out=$(pgwatch --expect primary "$S"); rc=$?
is "$rc" 0 "promoted standby is a primary"
like "$out" "^primary $SN tli=2 " "timeline 2 right after promotion"
diag "pg_control_checkpoint() says timeline $(pg_psql "$PG_STANDBY_PORT" 'select timeline_id from pg_control_checkpoint()')"
ok "watcher: role change line" wait_file_line 10 "$T_TMP/wp" "^role $SN role=primary was=standby tli=2"
# The second watcher retries the restarted host with its backoff.
promoted() { [ "$(code "http://127.0.0.1:$HS/primary")" = 200 ]; }
ok "/primary on the promoted host: 200" wait_for 10 promoted
is "$(codes "$HS")" "/=200 primary=200 master=200 leader=200 read-write=200 replica=503 read-only=200 health=200 liveness=200 readiness=200 " \
    "promoted host: every endpoint"

# --- the old primary restarted: two primaries.
pg_primary_start
out=$(pgwatch "$P" "$S" 2>"$T_TMP/err"); rc=$?
is "$rc" 2 "two primaries: exit 2 (critical)"
like "$out" "check=split-brain" "split brain named on the lines"
like "$(cat "$T_TMP/err")" "split brain" "and on stderr"
exit_is 2 "two primaries: exit 2 even with --expect any" pgwatch -q --expect any "$P" "$S"
nag=$(pgwatch --nagios "$P" "$S"); rc=$?
is "$rc" 2 "--nagios: CRITICAL"
like "$nag" "^PGWATCH CRITICAL: primary $PN \(split-brain\), primary $SN \(split-brain\)" "nagios names it"
ok "watcher: down split-brain" wait_file_line 10 "$T_TMP/wp" "^down $PN reason=split-brain"
is "$(codes "$HP")" "/=503 primary=503 master=503 leader=503 read-write=503 replica=503 read-only=503 health=200 liveness=200 readiness=503 " \
    "split brain: no endpoint routes to either primary"
split() { [ "$(code "http://127.0.0.1:$HS/primary")" = 503 ]; }
# the second watcher sees the old primary back at its next retry: the
# backoff of a host down this long is up to 30s (man page), longer than
# 10s once a loaded machine has made the outage long
ok "/primary on the other primary: 503 too" wait_for 40 split

kill -USR1 "$wp"
ok "SIGUSR1 logs every host's state" wait_file_line 10 "$T_TMP/wp.err" "primary $SN tli=2 .*check=split-brain"
kill -TERM "$wp"
wait "$wp"
is "$?" 0 "SIGTERM: clean stop, exit 0"
watch_fmt "$T_TMP/wp" up down role streaming
watch_fmt_all "$T_TMP/wp"
[ "$T_FAILED" = 0 ] || sed 's/^/#   watch: /' "$T_TMP/wp"
done_testing
