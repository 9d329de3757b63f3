#!/bin/bash
# SPDX-License-Identifier: ISC
# A real Prometheus (Debian's) scrapes two vrrpd hosts through
# --metrics every second; the master is killed (SIGKILL: no parting
# advert); Prometheus's own HTTP API, on 127.0.0.1 of the client host,
# then answers PromQL queries about the failover: the backup's MASTER
# series changed, its transitions counter grew, it alone is MASTER now,
# and the dead master's target is down.
. "$(dirname "$0")/lib.sh"
needs_root
command -v prometheus >/dev/null ||
    cannot_run "prometheus (Debian package prometheus) missing"
topo a b
MP=$(free_port) PP=$(free_port)

for h in a b; do
	ip=192.0.2.1 prio=150
	[ "$h" = b ] && ip=192.0.2.2 prio=100
	vr_start "$h" -i eth0 --vrid 51 --priority "$prio" --vip "$VIP/24" \
	    --advert 500ms --name VI_1 --metrics "$ip:$MP" || bail "vrrpd $h"
done
ok "a is master" wait_for 10 state_is a MASTER
ok "b is backup" wait_for 10 state_is b BACKUP

cat > "$T_TMP/prom.yml" <<EOC
global:
  scrape_interval: 1s
  scrape_timeout: 900ms
  evaluation_interval: 1s
scrape_configs:
  - job_name: vrrpd
    static_configs:
      - targets: ['192.0.2.1:$MP', '192.0.2.2:$MP']
EOC
promtool check config "$T_TMP/prom.yml" >/dev/null 2>&1 || bail "promtool check config"
ns_spawn cl PROM prometheus --config.file="$T_TMP/prom.yml" \
    --storage.tsdb.path="$T_TMP/tsdb" --web.listen-address="127.0.0.1:$PP" \
    --log.level=warn >"$T_TMP/prom.log" 2>&1
cleanup_push "kill $PROM"

# q PROMQL: the query's result vector, one "instance value" per line
q() {
	ns_run cl curl -sf --max-time 5 -G "http://127.0.0.1:$PP/api/v1/query" \
	    --data-urlencode "query=$1" |
	    jq -r 'select(.status == "success") | .data.result[] |
	        "\(.metric.instance // "-") \(.value[1])"' | sort
}
A="192.0.2.1:$MP" B="192.0.2.2:$MP"
is_q() { [ "$(q "$1")" = "$2" ]; }
ok "Prometheus scrapes both vrrpd (up == 1)" \
    wait_for 30 is_q 'up{job="vrrpd"}' "$A 1"$'\n'"$B 1"
ok "PromQL: a is the master" \
    wait_for 10 is_q 'hatools_vrrp_state{state="MASTER"} == 1' "$A 1"
b0=$(q "hatools_vrrp_transitions_total{instance=\"$B\"}" | awk '{print $2}')
like "$b0" '^[0-9]+$' "b's transitions counter read: $b0"

kill -9 "$VR_a"
ok "b takes over" wait_for 10 state_is b MASTER
ok "PromQL: b alone is MASTER" \
    wait_for 15 is_q 'hatools_vrrp_state{state="MASTER"} == 1' "$B 1"
ok "PromQL: b's MASTER series changed within the minute" \
    wait_for 5 is_q "changes(hatools_vrrp_state{instance=\"$B\",state=\"MASTER\"}[1m]) >= 1" "$B 1"
ok "PromQL: b's transitions counter grew" \
    wait_for 5 is_q "hatools_vrrp_transitions_total{instance=\"$B\"} - $b0 >= 1" "$B 1"
ok "PromQL: b became master once" \
    wait_for 5 is_q "hatools_vrrp_became_master_total{instance=\"$B\"}" "$B 1"
ok "PromQL: a's target is down" wait_for 15 is_q "up{instance=\"$A\"}" "$A 0"
ok "Prometheus logged no error" test -z "$(grep 'level=error' "$T_TMP/prom.log")"
done_testing
