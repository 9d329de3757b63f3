#!/bin/bash
# SPDX-License-Identifier: ISC
# Safe defaults for the seed's config, which sets neither maxconn nor
# timeout client/connect: hashproxy warns at start as haproxy 2.6 does,
# derives a global maxconn from its file limit as haproxy does, and with
# 10,000 idle clients (more than that limit allows) it stops accepting at
# maxconn (the rest wait in the kernel, as with haproxy) instead of
# running out of descriptors, and serves again as soon as they leave.
# haproxy 2.6 runs the same config under the same limit in the same test.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/hp.sh"

NOFILE=4096	# both proxies: 10,000 idle clients are more than it allows
IDLE=10000
IDLE_CLIENT="$T_TOP/tests/hashproxy/idle-clients.py"

# the idle clients, this shell's curl and the backends hold up to 10,000
# descriptors each
ulimit -n "$(ulimit -Hn)" 2>/dev/null
[ "$(ulimit -n)" -ge $((IDLE + 100)) ] ||
    cannot_run "RLIMIT_NOFILE hard limit $(ulimit -Hn) < $((IDLE + 100))"

sp=$(free_port); php=$(free_port); pha=$(free_port)
hp_backend localhost 127.0.0.11 "$sp"
hp_backend maas-api-1 127.0.0.12 "$sp"
hp_backend maas-api-2 127.0.0.13 "$sp"
hp_seed "$T_TMP/hp.cfg" "$php" "$sp"
hp_seed "$T_TMP/ha.cfg" "$pha" "$sp"
hp_sources 50 >"$T_TMP/src"

info() { ctl "$1" "show info" | awk -F': ' -v k="$2" '$1 == k { print $2 }'; }
curconns_is() { [ "$(info "$1" CurrConns)" = "$2" ]; }
curconns_below() { [ "$(info "$1" CurrConns)" -lt "$2" ] 2>/dev/null; }
cpu() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }

# hashproxy under the limit (as hp_start, with prlimit)
: >"$T_TMP/hp.ready"
prlimit --nofile=$NOFILE:$NOFILE "$HP_BIN" -f "$T_TMP/hp.cfg" \
    --control "$T_TMP/hp.sock" --ready-fd 3 "${HP_THREADARGS[@]}" \
    3>"$T_TMP/hp.ready" >>"$T_TMP/hp.ev" 2>>"$T_TMP/hp.err" &
HP_PID=$!
cleanup_push "kill $HP_PID"
wait_for 10 test -s "$T_TMP/hp.ready" || bail "hashproxy did not start"
sed -i "1i global\n    stats socket $T_TMP/ha.sock mode 600 level admin\n" "$T_TMP/ha.cfg"
prlimit --nofile=$NOFILE:$NOFILE haproxy -f "$T_TMP/ha.cfg" -db >>"$T_TMP/ha.log" 2>&1 &
HA_PID=$!
cleanup_push "kill $HA_PID"
wait_for 10 ha_answers "$T_TMP/ha.sock" || bail "haproxy did not start"

# --- warnings at start ------------------------------------------------------
like "$(cat "$T_TMP/hp.err")" "warning: $T_TMP/hp.cfg:1: frontend maas: missing timeout client" \
    "hashproxy warns: the frontend has no timeout client (file:line of the frontend)"
like "$(cat "$T_TMP/hp.err")" "warning: $T_TMP/hp.cfg:8: backend maas: missing timeout connect" \
    "hashproxy warns: the backend has no timeout connect"
nok "no warning for the timeout server it has" grep -q "missing timeout server" "$T_TMP/hp.err"
like "$(cat "$T_TMP/ha.log")" "missing timeouts for frontend 'maas'" "haproxy warns about the frontend too"
like "$(cat "$T_TMP/ha.log")" "missing timeouts for backend 'maas'" "haproxy warns about the backend too"

# --- maxconn from the file limit -------------------------------------------
hmax=$(info "$T_TMP/hp.sock" Maxconn); amax=$(info "$T_TMP/ha.sock" Maxconn)
diag "file limit $NOFILE: hashproxy maxconn $hmax, haproxy maxconn $amax"
ok "no maxconn set: hashproxy derives one from the file limit, as haproxy ($hmax, haproxy $amax)" \
    test "${hmax:-0}" -gt 1000 -a "${hmax:-0}" -lt $((NOFILE / 2)) \
    -a "$(( ${hmax:-0} - ${amax:-0} ))" -le 16 -a "$(( ${amax:-0} - ${hmax:-0} ))" -le 16

# flood PORT SOCKET NAME PID: 10,000 idle clients; at maxconn the proxy
# stops accepting without a busy loop, and once they leave it serves again.
flood() {
	local port=$1 sock=$2 name=$3 pid=$4 max c0 c1
	max=$(info "$sock" Maxconn)
	mkfifo "$T_TMP/idle.$name"
	python3 "$IDLE_CLIENT" 127.0.0.1 "$port" "$IDLE" "$T_TMP/src" \
	    <"$T_TMP/idle.$name" >"$T_TMP/idle.$name.out" 2>&1 &
	local ipid=$!
	cleanup_push "kill $ipid"
	exec 9>"$T_TMP/idle.$name"	# their stdin: they stay until it closes
	ok "$name: $IDLE idle clients connect" wait_for 60 grep -q "^opened $IDLE" "$T_TMP/idle.$name.out"
	ok "$name: it holds maxconn ($max) of them and stops accepting" \
	    wait_for 60 curconns_is "$sock" "$max"
	# room left for what it opens at any time: a socket per checked
	# server (3) and a stats client or two
	local fds
	fds=$(ls "/proc/$pid/fd" | wc -l)
	ok "$name: at maxconn, $((NOFILE - fds)) descriptors left for its 3 checks and the stats socket's clients" \
	    test "$fds" -le $((NOFILE - 5))
	# a new client waits in the kernel's queue, neither served nor reset
	curl -s --max-time 10 "http://127.0.0.1:$port/" >"$T_TMP/late.$name" 2>&1 &
	local lpid=$!
	c0=$(cpu "$pid")
	nok "$name: a new client is not served while maxconn are open" \
	    wait_for 2 test -s "$T_TMP/late.$name"
	c1=$(cpu "$pid")
	ok "$name: no busy loop at maxconn ($((c1 - c0)) ticks in 2s)" test $((c1 - c0)) -lt 50
	is "$(info "$sock" CurrConns)" "$max" "$name: still exactly maxconn"
	exec 9>&-
	wait "$ipid"
	ok "$name: the idle clients gone, their connections end" \
	    wait_for 60 curconns_below "$sock" 2 || {
		diag "CurrConns $(info "$sock" CurrConns)"
		ctl "$sock" "show info" | head -40 | sed 's/^/# /'
		ctl "$sock" "show stat" | cut -d, -f1-10 | sed 's/^/# /'
		ss -tn state all "( sport = :$port or dport = :$sp )" | awk '{print $1}' | sort | uniq -c | sed 's/^/# /'
		[ "$name" = hashproxy ] && ls /proc/$pid/fd | wc -l | sed 's/^/# fds /'
	}
	kill "$lpid" 2>/dev/null
	is "$(map_of "$port" $(head -20 "$T_TMP/src") | awk '$2 == "" { n++ } END { print n + 0 }')" 0 \
	    "$name: and new clients are served at once"
}

flood "$php" "$T_TMP/hp.sock" hashproxy "$HP_PID"
nok "hashproxy never ran out of descriptors" grep -q "Too many open files" "$T_TMP/hp.err"
flood "$pha" "$T_TMP/ha.sock" haproxy "$HA_PID"
done_testing
