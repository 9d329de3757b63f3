#!/bin/bash
# SPDX-License-Identifier: ISC
# vrrpd's counters in the Prometheus text format: "show metrics" on the
# control socket and --metrics over HTTP give the same families, which
# promtool (Prometheus's own checker) accepts; the values are what the
# daemon did: a master, a failing track script lowering the priority, a
# notify_master that fails, another virtual router's adverts dropped as
# "vrid".  The HTTP endpoint: GET and HEAD /metrics only, bounded head,
# at most 10 clients, idle ones closed.
. "$(dirname "$0")/lib.sh"
needs_root
command -v promtool >/dev/null || cannot_run "promtool (Debian package prometheus) missing"
topo a b
PORT=$(free_port)

cat > "$T_TMP/a.conf" <<EOC
vrrp_script good {
    script "/bin/true"
    interval 1
}
vrrp_script bad {
    script "/bin/false"
    interval 1
    weight -10
}
vrrp_instance VI_1 {
    interface eth0
    virtual_router_id 51
    priority 150
    advert_int 1
    virtual_ipaddress {
        $VIP/24
    }
    track_script {
        good
        bad
    }
    notify_master "/bin/false"
    notify "/bin/true"
}
EOC
vr_start a -f "$T_TMP/a.conf" --metrics "192.0.2.1:$PORT" || bail "vrrpd a"
# another virtual router on the LAN: its adverts are a's "vrid" drops
vr_start b -i eth0 --vrid 52 --priority 100 --vip 192.0.2.200/24 \
    --advert 100ms || bail "vrrpd b"
ok "a becomes master" wait_for 10 has_vip a

m() { ctl a "show metrics"; }
# val FAMILY{LABELS}: the value of one series (exact label text)
val() { m | awk -v k="$1" '$1 == k { print $2 }'; }
val_ge() { local v; v=$(val "$1"); [ -n "$v" ] && [ "$v" -ge "$2" ]; }

ok "the failing track lowers the priority" \
    wait_for 10 test "$(val 'hatools_vrrp_priority{vrrp_instance="VI_1"}')" = 140
ok "the failing notify_master counted" \
    wait_for 10 val_ge 'hatools_vrrp_notify_failures_total{vrrp_instance="VI_1"}' 1
ok "the notify runs counted (notify_master and notify)" \
    wait_for 10 val_ge 'hatools_vrrp_notify_runs_total{vrrp_instance="VI_1"}' 2
ok "b's adverts dropped as another virtual router's" \
    wait_for 10 val_ge 'hatools_vrrp_packets_dropped_total{vrrp_instance="VI_1",reason="vrid"}' 1
ok "the bad track's failures counted" \
    wait_for 10 val_ge 'hatools_vrrp_track_failures_total{track="bad"}' 2
m > "$T_TMP/show"
grep -v '^#' "$T_TMP/show" | sort > "$T_TMP/show.samples"
is "$(val 'hatools_vrrp_state{vrrp_instance="VI_1",state="MASTER"}')" 1 "state MASTER is 1"
is "$(grep -c '^hatools_vrrp_state{vrrp_instance="VI_1",state="[A-Z]*"} 0$' "$T_TMP/show")" 3 \
    "the three other states are 0"
is "$(val 'hatools_vrrp_base_priority{vrrp_instance="VI_1"}')" 150 "base priority"
is "$(val 'hatools_vrrp_track_up{track="good"}')" 1 "good track up"
is "$(val 'hatools_vrrp_track_up{track="bad"}')" 0 "bad track down"
is "$(val 'hatools_vrrp_track_failures_total{track="good"}')" 0 "good track never failed"
like "$(val 'hatools_vrrp_track_runs_total{track="good"}')" '^[1-9][0-9]*$' "good track runs counted"
like "$(val 'hatools_vrrp_transitions_total{vrrp_instance="VI_1"}')" '^[1-9]' "transitions counted"
is "$(val 'hatools_vrrp_became_master_total{vrrp_instance="VI_1"}')" 1 "became master once"
like "$(val 'hatools_vrrp_adverts_sent_total{vrrp_instance="VI_1"}')" '^[1-9]' "adverts sent"
is "$(val 'hatools_vrrp_adverts_received_total{vrrp_instance="VI_1"}')" 0 "no advert of its own router received"
like "$(grep '^hatools_build_info' "$T_TMP/show")" '^hatools_build_info\{program="vrrpd",version="[0-9.]+"\} 1$' \
    "build info"
like "$(grep '^hatools_vrrp_instance_info' "$T_TMP/show")" \
    '^hatools_vrrp_instance_info\{vrrp_instance="VI_1",interface="eth0",vrid="51",version="2"\} 1$' "instance info"
out=$(promtool check metrics < "$T_TMP/show" 2>&1)
ok "promtool check metrics: show metrics is clean" test $? = 0 -a -z "$out"
[ -n "$out" ] && diag "$out"
is "$(grep -c '^# TYPE ' "$T_TMP/show")" "$(grep '^# TYPE ' "$T_TMP/show" | sort -u | wc -l)" \
    "each family's TYPE once"

# --metrics: the same families over HTTP, from another host
url="http://192.0.2.1:$PORT/metrics"
ns_run cl curl -s -D "$T_TMP/h" -o "$T_TMP/http" "$url"
like "$(tr -d '\r' < "$T_TMP/h" | head -1)" '^HTTP/1.1 200' "GET /metrics: 200"
like "$(grep -i '^content-type' "$T_TMP/h" | tr -d '\r')" 'text/plain; version=0\.0\.4' \
    "the exposition format's content type"
is "$(grep '^# TYPE' "$T_TMP/http")" "$(grep '^# TYPE' "$T_TMP/show")" \
    "HTTP and the control socket give the same families"
out=$(promtool check metrics < "$T_TMP/http" 2>&1)
ok "promtool check metrics: HTTP is clean" test $? = 0 -a -z "$out"
code() { ns_run cl curl -s -o /dev/null -w '%{http_code}' "$@"; }
is "$(code -I "$url")" 200 "HEAD /metrics: 200"
is "$(code "$url?x=1")" 200 "query parameters allowed"
is "$(code "http://192.0.2.1:$PORT/")" 404 "another path: 404"
is "$(code "http://192.0.2.1:$PORT/metricsx")" 404 "a longer path: 404"
is "$(code -X POST -d x "$url")" 405 "POST: 405"
is "$(code -H "X-Big: $(head -c 9000 /dev/zero | tr '\0' x)" "$url")" 431 \
    "a head over 8 KiB: 431"
# ten idle clients fill the slots: the eleventh gets 503 at once, and
# after the idle ones are closed (10 s) the endpoint answers again
cat > "$T_TMP/idle.py" <<'EOP'
import socket, sys, time
host, port = sys.argv[1], int(sys.argv[2])
idle = [socket.create_connection((host, port)) for _ in range(10)]
time.sleep(0.5)
s = socket.create_connection((host, port))
s.settimeout(5)
print(s.recv(200).split(b"\r\n")[0].decode())
t0 = time.monotonic()
idle[0].settimeout(30)
print("closed" if idle[0].recv(10) == b"" else "data", round(time.monotonic() - t0))
EOP
out=$(ns_run cl python3 "$T_TMP/idle.py" 192.0.2.1 "$PORT")
like "$(sed -n 1p <<< "$out")" '^HTTP/1.1 503' "an eleventh client: 503"
like "$(sed -n 2p <<< "$out")" '^closed ([5-9]|1[0-9])$' "an idle client closed after about 10 s"
ok "the endpoint answers again" wait_for 10 test "$(code "$url")" = 200
ok "vrrpd still running" kill -0 "$VR_a"
is "$(grep -c 'ERROR\|AddressSanitizer' "$T_TMP/a.err")" 0 "nothing alarming on stderr"

# a bad address is a usage error, before anything starts
"$T_TOP/vrrpd/vrrpd" --metrics 127.0.0.1 -i lo --vrid 1 --vip 192.0.2.9 2>"$T_TMP/usage"
is "$?" 2 "--metrics without a port: exit 2"
like "$(cat "$T_TMP/usage")" '--metrics "127.0.0.1": should be ADDR:PORT' "and says why"
done_testing
