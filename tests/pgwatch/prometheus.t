#!/bin/bash
# SPDX-License-Identifier: ISC
# A real Prometheus (Debian's) scrapes a pgwatch watching a PostgreSQL
# primary and its streaming standby, every second, through both ways in:
# GET /metrics on --http and --metrics ADDR:PORT, which promtool accepts.
# The primary is stopped and the standby promoted; Prometheus's HTTP API
# then answers PromQL queries about it: the promoted host's primary role
# series changed and is 1, its role-change counter is 1, its timeline 2,
# the old primary is not up and its "down" checks count.
. "$(dirname "$0")/../lib/tap.sh"
. "$T_TOP/tests/lib/prom.sh"
prom_needs
. "$(dirname "$0")/pair.sh"
HP=$(free_port) MP=$(free_port)
while [ "$MP" = "$HP" ]; do MP=$(free_port); done
HN="127.0.0.1:$PG_PRIMARY_PORT" SN_="127.0.0.1:$PG_STANDBY_PORT"

pgwatch --http "127.0.0.1:$HP" --metrics "127.0.0.1:$MP" --interval 100ms \
    "$P" "$S" >"$T_TMP/w" 2>"$T_TMP/w.err" &
W=$!
cleanup_push "kill $W"
wait_file_line 20 "$T_TMP/w" "^up $SN " ||
    bail "the watcher: $(cat "$T_TMP/w.err")"

# promtool takes an empty exposition too: ours must hold pgwatch's families
prom_ok() {
	grep -q '^hatools_pgwatch_up{host="[^"]*"} 1$' "$1" &&
	    promtool check metrics <"$1"
}
curl -sf --max-time 5 "http://127.0.0.1:$HP/metrics" >"$T_TMP/http.prom"
ok "--http /metrics: promtool check metrics" prom_ok "$T_TMP/http.prom"
curl -sf --max-time 5 "http://127.0.0.1:$MP/metrics" >"$T_TMP/m.prom"
ok "--metrics: promtool check metrics" prom_ok "$T_TMP/m.prom"
is "$(grep -c '^# TYPE' "$T_TMP/http.prom")" "$(grep -c '^# TYPE' "$T_TMP/m.prom")" \
    "both give the same families"
like "$(grep '^hatools_build_info' "$T_TMP/m.prom")" \
    '^hatools_build_info\{program="pgwatch",version="[0-9.]+"\} 1$' "build info"
ok "the text: the primary's role" \
    grep -qx "hatools_pgwatch_role{host=\"$HN\",role=\"primary\"} 1" "$T_TMP/m.prom"
ok "the text: the standby's lag in bytes" \
    grep -Eq "^hatools_pgwatch_replication_lag_bytes\{host=\"$SN_\"\} [0-9]+$" "$T_TMP/m.prom"
is "$(grep -c "^hatools_pgwatch_replication_lag_bytes{host=\"$HN\"}" "$T_TMP/m.prom")" 0 \
    "no lag series for the primary"
like "$(curl -s -o /dev/null -w '%{content_type}' "http://127.0.0.1:$HP/metrics")" \
    '^text/plain; version=0\.0\.4' "--http /metrics: Prometheus's content type"

# (both listen by now: prom_start's port is another)
prom_start -l job,host pgwatch="127.0.0.1:$MP" pgwatch-http="127.0.0.1:$HP"
okq "Prometheus scrapes both endpoints (up == 1)" \
    30 'up' "pgwatch - 1"$'\n'"pgwatch-http - 1"
okq "PromQL: the first host is the primary" \
    10 'hatools_pgwatch_role{job="pgwatch",role="primary"} == 1' "pgwatch $HN 1"
okq "PromQL: the standby streams" \
    10 'hatools_pgwatch_streaming{job="pgwatch"} == 1' "pgwatch $SN_ 1"
okq "PromQL: its checks come out ok" \
    10 "hatools_pgwatch_checks_total{job=\"pgwatch\",host=\"$SN_\",outcome=\"ok\"} > bool 0" "pgwatch $SN_ 1"

# the standby promoted, the primary gone
pg_primary_stop fast
_pg_as "$PG_BIN/pg_ctl" -D "$PG_STANDBY" -w promote >/dev/null
ok "the watcher's role line" wait_file_line 20 "$T_TMP/w" "^role $SN role=primary was=standby"
okq "PromQL: the promoted host alone is primary" \
    15 'hatools_pgwatch_role{job="pgwatch",role="primary"} == 1' "pgwatch $SN_ 1"
okq "PromQL: its primary series changed within the minute" \
    15 "changes(hatools_pgwatch_role{job=\"pgwatch\",host=\"$SN_\",role=\"primary\"}[1m]) >= bool 1" "pgwatch $SN_ 1"
okq "PromQL: one role change counted" \
    15 "hatools_pgwatch_role_changes_total{job=\"pgwatch\"}" "$(printf 'pgwatch %s\n' "$HN 0" "$SN_ 1" | sort)"
okq "PromQL: timeline 2" \
    15 "hatools_pgwatch_timeline{job=\"pgwatch\"}" "pgwatch $SN_ 2"
okq "PromQL: the old primary is not up, its role unknown" \
    15 "(hatools_pgwatch_up{job=\"pgwatch\",host=\"$HN\"} == 0) and on(host) (hatools_pgwatch_role{job=\"pgwatch\",role=\"unknown\"} == 1)" "pgwatch $HN 0"
okq "PromQL: its down checks count" \
    15 "increase(hatools_pgwatch_checks_total{job=\"pgwatch\",host=\"$HN\",outcome=\"down\"}[1m]) > bool 0" "pgwatch $HN 1"
okq "PromQL: --http's /metrics says the same" \
    10 'hatools_pgwatch_role{job="pgwatch-http",role="primary"} == 1' "pgwatch-http $SN_ 1"
ok "Prometheus logged no error" prom_log_clean
curl -sf --max-time 5 "http://127.0.0.1:$MP/metrics" >"$T_TMP/m2.prom"
ok "promtool accepts the exposition after the failover" promtool check metrics <"$T_TMP/m2.prom"
kill -TERM "$W"
wait "$W"
is "$?" 0 "SIGTERM: clean stop, exit 0"

# a bad address is a usage error (64) before anything starts; a port in
# use a runtime one (1)
exit_is 64 "--metrics without a port: exit 64" pgwatch --metrics 127.0.0.1 "$P"
like "$(pgwatch --metrics nowhere:1 "$P" 2>&1)" \
    '--metrics "nowhere:1": should be ADDR:PORT' "... the error names the option"
BP=$(free_port)	# not MP: Prometheus's closed scrapes linger there
socat "TCP-LISTEN:$BP,bind=127.0.0.1" /dev/null &
cleanup_push "kill $! 2>/dev/null"
listening() { [ -n "$(ss -Hltn "sport = :$BP")" ]; }
wait_for 10 listening || diag "socat is not listening on $BP"
timeout 20 pgwatch --metrics "127.0.0.1:$BP" "$S" >/dev/null 2>"$T_TMP/busy.err"
is "$?" 1 "--metrics on a port in use: exit 1"
like "$(cat "$T_TMP/busy.err")" "--metrics 127.0.0.1:$BP: Address already in use" "... saying so"
done_testing
