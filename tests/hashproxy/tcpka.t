#!/bin/bash
# SPDX-License-Identifier: ISC
# option tcpka, clitcpka, srvtcpka and clitcpka-cnt/-idle/-intvl,
# srvtcpka-*: beside haproxy 2.6 with the same config, the client's and
# the server's sockets of a session have the same SO_KEEPALIVE and
# TCP_KEEPCNT/IDLE/INTVL (read from the sockets), and ss shows their
# keepalive timer.  hashproxy ignored the options before ("tuning
# only"): a long idle database session through a NAT lost its state.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/hp.sh"
needs_root

CHK="$T_TOP/tests/hashproxy/chkserver.py"
OPTS="$T_TOP/tests/hashproxy/sockopts.py"
bp=$(free_port)
for i in 1 2 3 4; do
	python3 "$CHK" "127.0.0.10$i" "$bp" mute >/dev/null 2>&1 &
	cleanup_push "kill $!"
	wait_for 30 _hp_port_open "127.0.0.10$i" "$bp"
done

cfg() {
	cat <<EOC
defaults
    mode tcp
    timeout connect 2s
    timeout client 1m
    timeout server 1m
listen both
    bind 127.0.0.1:$1
    option tcpka
    server s 127.0.0.101:$bp
frontend fe_cli
    bind 127.0.0.1:$2
    option clitcpka
    clitcpka-cnt 4
    clitcpka-idle 30
    clitcpka-intvl 5s
    default_backend be_srv
backend be_srv
    option srvtcpka
    srvtcpka-cnt 3
    srvtcpka-idle 1m
    srvtcpka-intvl 7
    server s 127.0.0.102:$bp
listen none
    bind 127.0.0.1:$3
    server s 127.0.0.103:$bp
defaults
    mode tcp
    timeout connect 2s
    timeout client 1m
    timeout server 1m
    option tcpka
listen fromdefaults
    bind 127.0.0.1:$4
    server s 127.0.0.104:$bp
EOC
}
hp_cfgs 4
hp_both_start

# a session through each proxy's each frontend, held open
fd=10
for p in "${HP_PORTS[@]}" "${HA_PORTS[@]}"; do
	eval "exec $fd<>/dev/tcp/127.0.0.1/$p" || bail "no session on $p"
	fd=$((fd + 1))
done
# established on the server side too: each proxy has its 4 sessions
sessions() { [ "$(ss -tnH state established "dport = :$bp" | wc -l)" -ge 8 ]; }
wait_for 10 sessions || bail "the proxies did not connect to the servers"

# opts PID PROXY-PORT SERVER-IP: "CLIENT-SOCKET / SERVER-SOCKET" options
opts() {
	echo "$(python3 "$OPTS" "$1" local "127.0.0.1:$2") /" \
	    "$(python3 "$OPTS" "$1" peer "$3:$bp")"
}
names=(both fe_cli none fromdefaults)
for i in 0 1 2 3; do
	ours=$(opts "$HP_PID" "${HP_PORTS[i]}" "127.0.0.10$((i + 1))")
	theirs=$(opts "$HA_PID" "${HA_PORTS[i]}" "127.0.0.10$((i + 1))")
	is "$ours" "$theirs" "${names[i]}: the client's and the server's socket options are haproxy's"
	got[i]=$ours
done
# the kernel's defaults when a side is not asked: 9 probes, 7200s, 75s
is "${got[0]}" "1 9 7200 75 / 1 9 7200 75" "option tcpka in a listen: both sides"
is "${got[1]}" "1 4 30 5 / 1 3 60 7" \
    "clitcpka and srvtcpka with their -cnt, -idle (seconds, or 1m) and -intvl"
is "${got[2]}" "0 9 7200 75 / 0 9 7200 75" "no option: no keepalive"
is "${got[3]}" "1 9 7200 75 / 1 9 7200 75" "option tcpka from a defaults section"

# what an operator sees: ss's keepalive timer on hashproxy's sockets
timers() { ss -tnoepH state established "( sport = :$1 or dst $2:$bp )" |
	grep "pid=$HP_PID," | grep -c 'timer:(keepalive'; }
is "$(timers "${HP_PORTS[1]}" 127.0.0.102)" 2 \
    "ss -tnoe: a keepalive timer on fe_cli's client and server sockets"
is "$(timers "${HP_PORTS[2]}" 127.0.0.103)" 0 "and none on the other proxy's"

bad() { printf 'listen x\n bind 127.0.0.1:1\n %s\n server s 127.0.0.1:2\n' "$1" >"$T_TMP/bad.cfg"
	hashproxy -c -f "$T_TMP/bad.cfg" 2>&1; }
like "$(bad 'clitcpka-idle soon')" 'bad.cfg:3: .*clitcpka-idle "soon": not a time' \
    "clitcpka-idle needs a time"
like "$(bad 'option srvtcpka x')" 'bad.cfg:3: .*option srvtcpka: takes no value' \
    "option srvtcpka takes no argument"
done_testing
