#!/bin/bash
# SPDX-License-Identifier: ISC
# A real Prometheus (Debian's) scrapes hashproxy (--metrics) and haproxy
# 2.6's own exporter, on the same config and backends, every second.  A
# backend dies; PromQL through Prometheus's HTTP API then says the same
# of both jobs: the server DOWN, its status series changed, one UP to DOWN
# transition, two active servers left; and when it comes back, UP again.
# Both have the series of show stat's cli_abrt, srv_abrt, eresp, connect,
# reuse, FRONTEND ereq and BACKEND slim, under the same names.
# The dashboards and alerts an operator has for haproxy read hashproxy's
# series the same way.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/hp.sh"
. "$T_TOP/tests/lib/prom.sh"
prom_needs
hp_metrics_pair
prom_start -l job,server hashproxy="127.0.0.1:$HP_METRICS" \
    haproxy="127.0.0.1:$HA_METRICS"

# both VALUE [SERVER]: the answer WANT for the two jobs
both() { printf '%s %s %s\n' haproxy "${2:--}" "$1" hashproxy "${2:--}" "$1"; }

okq "Prometheus scrapes both (up == 1)" 30 'up' "$(both 1)"
okq "PromQL: three active servers in both" 15 \
    'haproxy_backend_active_servers{proxy="maas"}' "$(both 3)"
# the families of how sessions ended and of connects, show stat's
# cli_abrt, srv_abrt, eresp, connect, reuse, FRONTEND ereq and BACKEND
# slim: 5 per server and the backend, 1 the backend's limit, 1 the
# frontend's errors
okq "PromQL: the same 22 series of aborts, errors, attempts, reuses and limits in both" 15 \
    'count by (job) ({__name__=~"haproxy_(backend|server)_(client_aborts|server_aborts|response_errors|connection_attempts|connection_reuses)_total|haproxy_frontend_request_errors_total|haproxy_backend_limit_sessions",proxy="maas"})' \
    "$(both 22)"
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

hp_backend maas-api-1 127.0.0.12 "$HP_SRV"
okq "PromQL: maas-api-1 UP again in both" 20 \
    'haproxy_server_status{proxy="maas",server="maas-api-1",state="UP"} == 1' "$(both 1 maas-api-1)"
okq "PromQL: still one transition (UP to DOWN ones are counted), in both" 15 \
    'haproxy_server_check_up_down_total{proxy="maas",server="maas-api-1"}' "$(both 1 maas-api-1)"
ok "Prometheus logged no error" prom_log_clean
ok "hashproxy still running" kill -0 "$HP_PID"
done_testing
