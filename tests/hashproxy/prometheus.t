#!/bin/bash
# SPDX-License-Identifier: ISC
# A real Prometheus (Debian's) scrapes hashproxy (--metrics) and haproxy
# 2.6's own exporter, on the same config and backends, every second.  A
# backend dies; PromQL through Prometheus's HTTP API then says the same
# of both jobs: the server DOWN, its status series changed, one UP to DOWN
# transition, two active servers left; and when it comes back, UP again.
# The dashboards and alerts an operator has for haproxy read hashproxy's
# series the same way.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/hp.sh"
for c in prometheus promtool curl jq; do
	command -v "$c" >/dev/null ||
	    cannot_run "$c missing (Debian packages prometheus, curl, jq)"
done
haproxy -vv 2>/dev/null | grep -q 'prometheus-exporter' ||
    cannot_run "haproxy built without its Prometheus exporter"

sp=$(free_port); php=$(free_port); pha=$(free_port); mp=$(free_port)
pp=$(free_port); pq=$(free_port)
hp_backend localhost 127.0.0.11 "$sp"
hp_backend maas-api-1 127.0.0.12 "$sp"
hp_backend maas-api-2 127.0.0.13 "$sp"
hp_seed "$T_TMP/hp.cfg" "$php" "$sp" "default-server inter 200ms"
hp_start "$T_TMP/hp.cfg" --metrics "127.0.0.1:$mp" || bail "hashproxy did not start"
hp_seed "$T_TMP/ha.cfg" "$pha" "$sp" "timeout connect 5s" "timeout client 1m" \
    "timeout server 1m" "default-server inter 200ms"
cat >> "$T_TMP/ha.cfg" <<EOC

frontend prom
    mode http
    bind 127.0.0.1:$pp
    http-request use-service prometheus-exporter if { path /metrics }
EOC
ha_start "$T_TMP/ha.cfg" || bail "haproxy did not start"

cat > "$T_TMP/prom.yml" <<EOC
global:
  scrape_interval: 1s
  scrape_timeout: 900ms
  evaluation_interval: 1s
scrape_configs:
  - job_name: hashproxy
    static_configs:
      - targets: ['127.0.0.1:$mp']
  - job_name: haproxy
    static_configs:
      - targets: ['127.0.0.1:$pp']
EOC
promtool check config "$T_TMP/prom.yml" >/dev/null 2>&1 || bail "promtool check config"
prometheus --config.file="$T_TMP/prom.yml" --storage.tsdb.path="$T_TMP/tsdb" \
    --web.listen-address="127.0.0.1:$pq" --log.level=warn >"$T_TMP/prom.log" 2>&1 &
PROM=$!
cleanup_push "kill $PROM"

# q PROMQL: the query's result vector, one "job server value" per line
q() {
	curl -sf --max-time 5 -G "http://127.0.0.1:$pq/api/v1/query" \
	    --data-urlencode "query=$1" |
	    jq -r 'select(.status == "success") | .data.result[] |
	        "\(.metric.job // "-") \(.metric.server // "-") \(.value[1])"' | sort
}
is_q() { Q_LAST=$(q "$1"); [ "$Q_LAST" = "$2" ]; }
# okq DESC SECONDS PROMQL WANT: the query's answer becomes WANT in time
okq() {
	ok "$1" wait_for "$2" is_q "$3" "$4" ||
	    diag "last answer: $(printf '%s' "$Q_LAST" | tr '\n' '|')"
}
# both VALUE [SERVER]: the answer WANT for the two jobs
both() { printf '%s %s %s\n' haproxy "${2:--}" "$1" hashproxy "${2:--}" "$1"; }

okq "Prometheus scrapes both (up == 1)" 30 'up' "$(both 1)"
okq "PromQL: three active servers in both" 15 \
    'haproxy_backend_active_servers{proxy="maas"}' "$(both 3)"
okq "PromQL: maas-api-1 UP in both" 15 \
    'haproxy_server_status{proxy="maas",server="maas-api-1",state="UP"} == 1' "$(both 1 maas-api-1)"

hp_backend_kill maas-api-1
okq "PromQL: maas-api-1 DOWN in both" 20 \
    'haproxy_server_status{proxy="maas",server="maas-api-1",state="DOWN"} == 1' "$(both 1 maas-api-1)"
okq "PromQL: its UP series changed within the minute, in both" 15 \
    'changes(haproxy_server_status{proxy="maas",server="maas-api-1",state="UP"}[1m]) >= bool 1' \
    "$(both 1 maas-api-1)"
okq "PromQL: one up/down transition counted, in both" 15 \
    'haproxy_server_check_up_down_total{proxy="maas",server="maas-api-1"}' "$(both 1 maas-api-1)"
okq "PromQL: two active servers left, in both" 15 \
    'haproxy_backend_active_servers{proxy="maas"}' "$(both 2)"
okq "PromQL: the others stay UP, in both" 10 \
    'count by (job) (haproxy_server_status{proxy="maas",state="UP"} == 1)' "$(both 2)"

hp_backend maas-api-1 127.0.0.12 "$sp"
okq "PromQL: maas-api-1 UP again in both" 20 \
    'haproxy_server_status{proxy="maas",server="maas-api-1",state="UP"} == 1' "$(both 1 maas-api-1)"
okq "PromQL: still one transition (UP to DOWN ones are counted), in both" 15 \
    'haproxy_server_check_up_down_total{proxy="maas",server="maas-api-1"}' "$(both 1 maas-api-1)"
ok "Prometheus logged no error" test -z "$(grep 'level=error' "$T_TMP/prom.log")"
ok "hashproxy still running" kill -0 "$HP_PID"
done_testing
