#!/bin/bash
# SPDX-License-Identifier: ISC
# A real Prometheus (Debian's) scrapes the two ends of a lease link
# through --metrics every second: the primary's dhcpsync follows a real
# dhcpd's lease file, the secondary's writes its own.  promtool accepts
# both expositions ("show metrics" and HTTP).  A client then leases an
# address from the primary's dhcpd; Prometheus's HTTP API answers PromQL
# queries about it: the secondary's applied counter and the primary's
# local-change and sent counters grew, both ends say synced.  The
# secondary killed: the primary's link is down in PromQL, its disconnect
# counter grew, the secondary's target is down.
. "$(dirname "$0")/../lib/tap.sh"
. "$T_TOP/tests/lib/netns.sh"
. "$T_TOP/tests/dhcpsync/dhcp.sh"
. "$T_TOP/tests/lib/prom.sh"
needs_root
prom_needs

dhcp_conf "$T_TMP/dhcpd.conf"
ns_switch sw
ns_host sw dhcp1 192.0.2.1/24
ns_host sw dhcp2 192.0.2.2/24
ns_host sw mon 192.0.2.9/24
ns_host sw c1 198.51.100.11/24
dhcp_client_setup c1
mkdir -p "$T_TMP/p" "$T_TMP/s"
lf1=$T_TMP/p/dhcpd.leases lf2=$T_TMP/s/dhcpd.leases sock=$T_TMP/sync.sock
: > "$lf1"; : > "$lf2"
MP=$(free_port)
P="192.0.2.1:$MP" S="192.0.2.2:$MP"

dhcpd_start dhcp1 "$lf1" D1
cleanup_push "kill $D1"
ns_spawn dhcp1 SP dhcpsync --leases "$lf1" --listen "$sock" \
    --control "$T_TMP/p.ctl" --metrics "$P" >"$T_TMP/p.out" 2>"$T_TMP/p.err"
cleanup_push "kill $SP"
wait_for 10 test -S "$sock" || bail "primary dhcpsync: $(cat "$T_TMP/p.err")"
ns_spawn dhcp2 SS dhcpsync --leases "$lf2" --connect "$sock" --retry 100ms \
    --control "$T_TMP/s.ctl" --metrics "$S" >"$T_TMP/s.out" 2>"$T_TMP/s.err"
cleanup_push "kill $SS 2>/dev/null"
ok "the secondary syncs" wait_file_line 20 "$T_TMP/s.out" '^synced n=0 '

# the two expositions, as promtool (Prometheus's own checker) reads them
# (which takes an empty one too: ours must hold dhcpsync's families)
m() { printf 'show metrics\n' | socat - "UNIX-CONNECT:$T_TMP/$1.ctl"; }
prom_ok() {
	grep -q '^hatools_dhcpsync_peer_state{state="synced"} 1$' "$1" &&
	    promtool check metrics <"$1"
}
m p > "$T_TMP/p.prom"
ok "show metrics: promtool check metrics" prom_ok "$T_TMP/p.prom"
ns_run mon curl -sf --max-time 5 "http://$S/metrics" >"$T_TMP/s.prom"
ok "--metrics over HTTP: promtool check metrics" prom_ok "$T_TMP/s.prom"
like "$(grep '^hatools_build_info' "$T_TMP/s.prom")" \
    '^hatools_build_info\{program="dhcpsync",version="[0-9.]+"\} 1$' "build info"
is "$(grep -c '^# TYPE hatools_dhcpsync_' "$T_TMP/p.prom")" \
    "$(grep -c '^# TYPE hatools_dhcpsync_' "$T_TMP/s.prom")" \
    "the control socket and HTTP give the same families"

prom_start -n mon dhcpsync="$P,$S"
okq "Prometheus scrapes both ends (up == 1)" \
    30 'up{job="dhcpsync"}' "$P 1"$'\n'"$S 1"
okq "PromQL: both ends synced" \
    10 'hatools_dhcpsync_peer_state{state="synced"} == 1' "$P 1"$'\n'"$S 1"
is "$(q instance "hatools_dhcpsync_records_applied_total{instance=\"$S\"}")" "$S 0" \
    "PromQL: nothing applied on the secondary yet"

# a client leases from the primary's dhcpd; the lease goes across
a=$(dhcp_client c1)
like "$a" '^192\.0\.2\.1[0-2][0-9]$' "c1 leases $a from the primary"
ok "$a replicated to the secondary's file" wait_for 20 leases_has "$lf2" "$a"
okq "PromQL: the secondary's applied counter grew" \
    15 "hatools_dhcpsync_records_applied_total{instance=\"$S\"} >= bool 1" "$S 1"
okq "PromQL: ... within the last minute" \
    15 "increase(hatools_dhcpsync_records_applied_total{instance=\"$S\"}[1m]) > bool 0" "$S 1"
okq "PromQL: the primary read the change from dhcpd's file and sent it" \
    15 "hatools_dhcpsync_local_changes_total{instance=\"$P\"} >= bool 1 and hatools_dhcpsync_records_sent_total{instance=\"$P\"} >= 1" "$P 1"
okq "PromQL: nothing left unacknowledged" \
    10 "hatools_dhcpsync_unacked_records{instance=\"$P\"}" "$P 0"
okq "PromQL: the secondary applied it within the minute" \
    15 "hatools_dhcpsync_last_applied_age_seconds{instance=\"$S\"} < bool 60" "$S 1"
okq "PromQL: protocol bytes went both ways" \
    15 "count(hatools_dhcpsync_received_bytes_total > 0)" "- 2"

# the secondary host dies
kill -9 "$SS"; wait "$SS" 2>/dev/null	# unshare ignores SIGTERM
okq "PromQL: the primary's link is down" \
    15 "hatools_dhcpsync_peer_state{state=\"down\",instance=\"$P\"}" "$P 1"
okq "PromQL: its disconnect counter grew" \
    15 "hatools_dhcpsync_peer_disconnects_total{instance=\"$P\"}" "$P 1"
okq "PromQL: the secondary's target is down" 15 "up{instance=\"$S\"}" "$S 0"
ok "Prometheus logged no error" prom_log_clean
m p > "$T_TMP/p2.prom"
ok "promtool still accepts the primary's exposition" promtool check metrics <"$T_TMP/p2.prom"
like "$(grep '^hatools_dhcpsync_peer_state{state="down"}' "$T_TMP/p2.prom")" ' 1$' \
    "... which says the link is down"

# a bad address is a usage error (2) before anything starts; a port in
# use a runtime one (1)
exit_is 2 "--metrics without a port: exit 2" dhcpsync -l "$T_TMP/x.leases" --metrics 127.0.0.1
like "$(dhcpsync -l "$T_TMP/x.leases" --metrics nowhere:1 2>&1)" \
    '--metrics "nowhere:1": should be ADDR:PORT' "... the error names the option"
: > "$T_TMP/y.leases"
ns_run dhcp1 timeout 20 dhcpsync -l "$T_TMP/y.leases" --listen "$T_TMP/y.sock" \
    --metrics "$P" >/dev/null 2>"$T_TMP/y.err"
is "$?" 1 "--metrics on a port in use: exit 1"
like "$(cat "$T_TMP/y.err")" "--metrics $P: Address already in use" "... saying so"
done_testing
