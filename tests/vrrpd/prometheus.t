#!/bin/bash
# SPDX-License-Identifier: ISC
# A real Prometheus (Debian's) scrapes two vrrpd hosts through
# --metrics every second; the master is killed (SIGKILL: no parting
# advert); Prometheus's own HTTP API, on 127.0.0.1 of the client host,
# then answers PromQL queries about the failover: the backup's MASTER
# series changed, its transitions counter grew, it alone is MASTER now,
# and the dead master's target is down.
. "$(dirname "$0")/lib.sh"
. "$T_TOP/tests/lib/prom.sh"
needs_root
prom_needs
topo a b
MP=$(free_port)

for h in a b; do
	ip=192.0.2.1 prio=150
	[ "$h" = b ] && ip=192.0.2.2 prio=100
	vr_start "$h" -i eth0 --vrid 51 --priority "$prio" --vip "$VIP/24" \
	    --advert 500ms --name VI_1 --metrics "$ip:$MP" || bail "vrrpd $h"
done
ok "a is master" wait_for 10 state_is a MASTER
ok "b is backup" wait_for 10 state_is b BACKUP

A="192.0.2.1:$MP" B="192.0.2.2:$MP"
prom_start -n cl vrrpd="$A,$B"
okq "Prometheus scrapes both vrrpd (up == 1)" \
    30 'up{job="vrrpd"}' "$A 1"$'\n'"$B 1"
okq "PromQL: a is the master" \
    10 'hatools_vrrp_state{state="MASTER"} == 1' "$A 1"
b0=$(q instance "hatools_vrrp_transitions_total{instance=\"$B\"}" | awk '{print $2}')
like "$b0" '^[0-9]+$' "b's transitions counter read: $b0"

kill -9 "$VR_a"
ok "b takes over" wait_for 10 state_is b MASTER
okq "PromQL: b alone is MASTER" \
    15 'hatools_vrrp_state{state="MASTER"} == 1' "$B 1"
okq "PromQL: b's MASTER series changed within the minute" \
    5 "changes(hatools_vrrp_state{instance=\"$B\",state=\"MASTER\"}[1m]) >= 1" "$B 1"
okq "PromQL: b's transitions counter grew" \
    5 "hatools_vrrp_transitions_total{instance=\"$B\"} - $b0 >= 1" "$B 1"
okq "PromQL: b became master once" \
    5 "hatools_vrrp_became_master_total{instance=\"$B\"}" "$B 1"
okq "PromQL: a's target is down" 15 "up{instance=\"$A\"}" "$A 0"
ok "Prometheus logged no error" prom_log_clean
done_testing
