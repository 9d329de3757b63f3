#!/bin/bash
# SPDX-License-Identifier: ISC
# hashproxy's metrics beside haproxy 2.6's own Prometheus exporter
# (http-request use-service prometheus-exporter) on the same config and
# backends: every series hashproxy gives under a haproxy_* name exists in
# haproxy's with the same labels and type, the core families a haproxy
# dashboard reads are there, the same clients give the same per-server
# session counts, and after a backend dies both say the same about it.
# promtool accepts the output; "show metrics" and --metrics agree.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/hp.sh"
command -v promtool >/dev/null || cannot_run "promtool (Debian package prometheus) missing"

hp_metrics_pair

ours() { curl -sf --max-time 5 "http://127.0.0.1:$HP_METRICS/metrics"; }
theirs() { curl -sf --max-time 5 "http://127.0.0.1:$HA_METRICS/metrics"; }
# series FILE: "name{labels}" of the samples about proxy maas, and the
# process's, sorted
series() { grep -v '^#' "$1" | sed 's/ [^ ]*$//' | grep -E '^haproxy_process_[a-z_]+$|proxy="maas"' | sort; }
# v FILE SERIES: one sample's value
v() { awk -v k="$2" '$1 == k { print $2 }' "$1"; }
up3() { [ "$(v "$1" 'haproxy_backend_active_servers{proxy="maas"}')" = 3 ]; }
both_up() { ours >"$T_TMP/o" && theirs >"$T_TMP/t" && up3 "$T_TMP/o" && up3 "$T_TMP/t"; }
ok "both see the three servers up" wait_for 15 both_up

# the same clients through both: source hashing puts them on the same servers
srcs=$(hp_sources 12)
for s in $srcs; do req "$s" "$HP_FRONT" >/dev/null; req "$s" "$HA_FRONT" >/dev/null; done
# sessions_total per server, once both have closed every session
sess() { grep '^haproxy_server_sessions_total{proxy="maas"' "$1" | sort; }
cur0() { [ "$(v "$1" 'haproxy_backend_current_sessions{proxy="maas"}')" = 0 ]; }
settled() { ours >"$T_TMP/o" && theirs >"$T_TMP/t" && cur0 "$T_TMP/o" && cur0 "$T_TMP/t"; }
ok "both closed their sessions" wait_for 10 settled
is "$(sess "$T_TMP/o" | wc -l)" 3 "sessions_total for each of the 3 servers"
is "$(sess "$T_TMP/o")" "$(sess "$T_TMP/t")" "the same sessions per server as haproxy"
is "$(v "$T_TMP/o" 'haproxy_backend_sessions_total{proxy="maas"}')" 12 "12 sessions in the backend"
is "$(v "$T_TMP/o" 'haproxy_frontend_sessions_total{proxy="maas"}')" \
    "$(v "$T_TMP/t" 'haproxy_frontend_sessions_total{proxy="maas"}')" "frontend sessions as haproxy"
# the backend's families from show stat's BACKEND row: haproxy's values
bk() { grep -E '^haproxy_backend_(max_sessions|retry_warnings_total|redispatch_warnings_total|check_up_down_total|downtime_seconds_total|uweight)\{proxy="maas"\}' "$1"; }
is "$(bk "$T_TMP/o")" "$(bk "$T_TMP/t")" "backend max_sessions, retries, redispatches, up/down, downtime, uweight as haproxy's"

series "$T_TMP/o" >"$T_TMP/o.series"
series "$T_TMP/t" >"$T_TMP/t.series"
ok "over 100 series compared" test "$(wc -l <"$T_TMP/o.series")" -gt 100
is "$(comm -23 "$T_TMP/o.series" "$T_TMP/t.series")" "" \
    "every haproxy_* series of hashproxy's is in haproxy's exporter, same labels"
types() { grep '^# TYPE haproxy_' "$1" | sort; }
is "$(comm -23 <(types "$T_TMP/o") <(types "$T_TMP/t"))" "" "and of the same type"
for f in haproxy_server_status haproxy_server_current_sessions \
    haproxy_server_sessions_total haproxy_server_bytes_in_total \
    haproxy_server_bytes_out_total haproxy_server_check_failures_total \
    haproxy_server_check_status haproxy_server_weight \
    haproxy_backend_status haproxy_backend_active_servers \
    haproxy_backend_current_sessions haproxy_backend_sessions_total \
    haproxy_frontend_current_sessions haproxy_frontend_sessions_total \
    haproxy_frontend_bytes_in_total haproxy_frontend_status; do
	ok "$f present" grep -q "^$f{" "$T_TMP/o"
done
is "$(grep -c '^haproxy_server_status{proxy="maas",server="maas-api-1",state="[A-Z]*"}' "$T_TMP/o")" 5 \
    "one status series per haproxy state (DOWN UP MAINT DRAIN NOLB)"
out=$(promtool check metrics < "$T_TMP/o" 2>&1)
ok "promtool check metrics: clean" test $? = 0 -a -z "$out"
[ -n "$out" ] && diag "$out"
ctl "$T_TMP/hp.sock" "show metrics" >"$T_TMP/s"
is "$(grep '^# TYPE' "$T_TMP/s")" "$(grep '^# TYPE' "$T_TMP/o")" \
    "show metrics on the stats socket: the same families"

# a backend dies: both exporters say the same about it
hp_backend_kill maas-api-1
down() { [ "$(v "$1" 'haproxy_server_status{proxy="maas",server="maas-api-1",state="DOWN"}')" = 1 ]; }
both_down() { ours >"$T_TMP/o" && theirs >"$T_TMP/t" && down "$T_TMP/o" && down "$T_TMP/t"; }
ok "both say maas-api-1 is DOWN" wait_for 15 both_down
st() { grep -E "^haproxy_server_(status|check_status)\{" "$1" | grep -v ' 0$' | sort; }
is "$(st "$T_TMP/o")" "$(st "$T_TMP/t")" "every server's status and check result as haproxy's"
is "$(v "$T_TMP/o" 'haproxy_backend_active_servers{proxy="maas"}')" 2 "2 active servers left"
is "$(v "$T_TMP/o" 'haproxy_server_check_up_down_total{proxy="maas",server="maas-api-1"}')" \
    "$(v "$T_TMP/t" 'haproxy_server_check_up_down_total{proxy="maas",server="maas-api-1"}')" \
    "check_up_down_total as haproxy's"
ok "check failures counted" test "$(v "$T_TMP/o" 'haproxy_server_check_failures_total{proxy="maas",server="maas-api-1"}')" -ge 1
ctl "$T_TMP/hp.sock" "disable server maas/maas-api-2" >/dev/null
ok "a server put in maintenance: MAINT" wait_for 5 eval \
    "ours | grep -q '^haproxy_server_status{proxy=\"maas\",server=\"maas-api-2\",state=\"MAINT\"} 1$'"
ok "hashproxy still running" kill -0 "$HP_PID"
hashproxy --metrics nowhere -f "$T_TMP/hp.cfg" 2>"$T_TMP/usage"
is "$?" 2 "--metrics without ADDR:PORT: exit 2"
like "$(cat "$T_TMP/usage")" '--metrics "nowhere": should be ADDR:PORT' "and says why"
done_testing
