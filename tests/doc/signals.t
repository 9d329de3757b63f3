#!/bin/bash
# SPDX-License-Identifier: ISC
# hatools(7)'s tables of signals and privileges, held against the
# programs: each long-running mode started as root (vrrpd in a network
# namespace of its own, the others on 127.0.0.1), then SIGHUP and SIGUSR1
# with what the table says each does (reload, a log line, a rescan, or the
# end of svccheck --watch), and the capabilities each keeps (CapEff).
. "$(dirname "$0")/../vrrpd/lib.sh"
. "$T_TOP/tests/vrrpd/privtmp.sh"
needs_root

# start NAME CMD...: CMD in the background, stderr in $T_TMP/NAME.err;
# PID_NAME is its pid
start() {
	local n=$1; shift
	"$@" >"$T_TMP/$n.out" 2>"$T_TMP/$n.err" &
	printf -v "PID_$n" '%s' "$!"
	cleanup_push "kill $! 2>/dev/null"
}
capeff() { awk '/^CapEff:/ { print $2 }' "/proc/$1/status"; }
# ready NAME: NAME's --ready-fd 3 file (3>"$T_TMP/NAME.ready") says so.
# vrrpd, hashproxy and dhcpsync open their control socket before they
# drop privileges and before they handle SIGHUP and SIGUSR1: the socket
# file is no sign of either, and a SIGHUP then ends the program.
ready() { test -s "$T_TMP/$1.ready"; }
alive() { kill -0 "$1" 2>/dev/null; }
# (a child of ours that died stays a zombie until waited for)
gone() { ! alive "$1" || grep -q '^[0-9]* ([^)]*) Z' "/proc/$1/stat" 2>/dev/null; }
# hup_usr1 NAME PID HUPRE USR1RE: after SIGHUP a line matching HUPRE, after
# SIGUSR1 one matching USR1RE, in NAME's log, and it still runs
hup_usr1() {
	local n=$1 p=$2 c
	c=$(file_lines "$T_TMP/$n.err")
	kill -HUP "$p"
	ok "$n: SIGHUP: $3" wait_file_line_after 10 "$T_TMP/$n.err" "$c" "$3"
	c=$(file_lines "$T_TMP/$n.err")
	kill -USR1 "$p"
	ok "$n: SIGUSR1: the state to the log" wait_file_line_after 10 "$T_TMP/$n.err" "$c" "$4"
	ok "$n: still runs" alive "$p"
}

# vrrpd: reloads keepalived.conf; keeps CAP_NET_RAW (13), CAP_NET_ADMIN (12)
topo a
cat >"$T_TMP/k.conf" <<EOF
vrrp_instance v {
    interface eth0
    virtual_router_id 51
    priority 100
    advert_int 1
    virtual_ipaddress {
        $VIP
    }
}
EOF
ns_spawn a outer vrrpd -f "$T_TMP/k.conf" --control "$T_TMP/vr.sock" \
    --ready-fd 3 >"$T_TMP/vrrpd.out" 2>"$T_TMP/vrrpd.err" 3>"$T_TMP/vrrpd.ready"
ok "vrrpd runs" wait_for 10 ready vrrpd
PID_vrrpd=$(pgrep -P "$outer" | head -1)
# its SIGUSR1 writes /tmp/keepalived.data: not the machine's
privtmp "$PID_vrrpd" || bail "private /tmp for vrrpd"
hup_usr1 vrrpd "$PID_vrrpd" 'reloaded: 1 instance' 'instance v state='
is "$(capeff "$PID_vrrpd")" 0000000000003000 "vrrpd keeps CAP_NET_RAW and CAP_NET_ADMIN only"

# hashproxy: reloads haproxy.cfg; keeps nothing once bound
port=$(free_port)
cat >"$T_TMP/h.cfg" <<EOF
frontend f
    bind 127.0.0.1:$port
    default_backend b
backend b
    timeout connect 1s
    server s1 127.0.0.1:1
EOF
start hashproxy hashproxy -f "$T_TMP/h.cfg" --control "$T_TMP/hp.sock" \
    --ready-fd 3 3>"$T_TMP/hashproxy.ready"
ok "hashproxy runs" wait_for 10 ready hashproxy
hup_usr1 hashproxy "$PID_hashproxy" "reloaded $T_TMP/h.cfg" 'server'
is "$(capeff "$PID_hashproxy")" 0000000000000000 "hashproxy keeps no capability"

# dhcpsync: SIGHUP logged, nothing to reload; root's file and no --user:
# uid 0 with no capability; with --user every capability too
: >"$T_TMP/dhcpd.leases"
start dhcpsync dhcpsync --leases "$T_TMP/dhcpd.leases" --listen "$T_TMP/link" \
    --control "$T_TMP/ds.sock" --ready-fd 3 3>"$T_TMP/dhcpsync.ready"
ok "dhcpsync runs" wait_for 10 ready dhcpsync
hup_usr1 dhcpsync "$PID_dhcpsync" 'SIGHUP: nothing to reload' 'leases=0 peer=down'
is "$(capeff "$PID_dhcpsync")" 0000000000000000 "dhcpsync without --user keeps no capability"
kill "$PID_dhcpsync"
mkdir "$T_TMP/ds" && : >"$T_TMP/ds/dhcpd.leases" && chown -R nobody "$T_TMP/ds"
start dhcpsync dhcpsync --leases "$T_TMP/ds/dhcpd.leases" --listen "$T_TMP/ds/link" \
    --control "$T_TMP/ds2.sock" --user nobody --ready-fd 3 3>"$T_TMP/dhcpsync2.ready"
ok "dhcpsync --user nobody runs" wait_for 10 ready dhcpsync2
is "$(capeff "$PID_dhcpsync")" 0000000000000000 "dhcpsync --user keeps no capability"

# pgwatch --watch: SIGHUP logged; it keeps no capability
start pgwatch pgwatch --watch 'host=127.0.0.1 port=1 dbname=x connect_timeout=1'
ok "pgwatch --watch runs" wait_file_line 10 "$T_TMP/pgwatch.out" '^down 127\.0\.0\.1:1 '
hup_usr1 pgwatch "$PID_pgwatch" 'SIGHUP: nothing to reload' 'down 127\.0\.0\.1:1 '
is "$(capeff "$PID_pgwatch")" 0000000000000000 "pgwatch keeps no capability"

# svccheck --watch: SIGHUP rescans /proc; SIGUSR1 is not handled: it stops
start svccheck svccheck --watch sleep
ok "svccheck --watch runs" wait_file_line 10 "$T_TMP/svccheck.out" '^(up|down) sleep'
is "$(capeff "$PID_svccheck")" 0000000000000000 "svccheck --watch keeps no capability (no --exe)"
kill -HUP "$PID_svccheck"
ok "svccheck --watch: SIGHUP rescans /proc" \
    wait_file_line 10 "$T_TMP/svccheck.err" 'SIGHUP: rescanning /proc'
ok "svccheck --watch: still runs" alive "$PID_svccheck"
# (its death by a signal is what is tested: not for bash to report)
disown "$PID_svccheck"
kill -USR1 "$PID_svccheck"
ok "svccheck --watch: SIGUSR1 ends it" wait_for 5 gone "$PID_svccheck"
done_testing
