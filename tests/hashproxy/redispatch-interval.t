#!/bin/bash
# SPDX-License-Identifier: ISC
# Which server each retry goes to, as haproxy 2.6's "option redispatch
# <interval>" says (stream_choose_redispatch): every Pth retry, -N the
# Nth before the last, 0 none, and whatever the interval a retry away
# from a stopped server, or under any balance but a hash of the client
# (round robin, random, first, leastconn) any retry;
# "no option redispatch" and "default option redispatch" turn off what
# the defaults turned on, as "no option persist" does.  Three servers
# that refuse, one client: the retries (wretr) and redispatches (wredis)
# each server counts in show stat, and the one that gave up (econ), tell
# where every attempt went, here as in a real haproxy on the same config.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/hp.sh"

dead=$(free_port)	# nothing listens there, on any of the three
# the cases: NAME, then its lines
cases=(
	"every2|option redispatch 2"
	"last|option redispatch"
	"beforelast2|option redispatch -2"
	"past|option redispatch -5"
	"none|option redispatch 0"
	"no|no option redispatch"
	"default|default option redispatch"
	"stopped|option redispatch 0|use-server a if TRUE"
	"nopersist|option redispatch 0|no option persist|use-server a if TRUE"
	"rr|option redispatch 0|balance roundrobin"
	"rrno|no option redispatch|balance roundrobin"
	"random|option redispatch 0|balance random"
	"first|option redispatch 0|balance first"
	"lc|option redispatch 0|balance leastconn"
)
cfg() {	# PORT... (one a case)
	printf 'defaults\n    timeout connect 100ms\n    timeout client 5s\n'
	printf '    timeout server 5s\n    retries 3\n    option redispatch 1\n'
	printf '    balance source\n    hash-type consistent\n    option persist\n'
	local c i=0 l
	for c in "${cases[@]}"; do
		IFS='|' read -ra l <<<"$c"
		printf 'listen %s\n    bind 127.0.0.1:%s\n' "${l[0]}" "$1"
		printf '    %s\n' "${l[@]:1}"
		# a is stopped: only "option persist" lets use-server send a
		# client there
		printf '    server a 127.0.0.41:%s disabled\n' "$dead"
		printf '    server b 127.0.0.42:%s\n    server c 127.0.0.43:%s\n' "$dead" "$dead"
		shift
	done
}
hp_cfgs ${#cases[@]}
hp_both_start

# one client of each case, at once, through both
echo 127.0.0.5 >"$T_TMP/src"
pids=()
for ((i = 0; i < ${#cases[@]}; i++)); do
	"$HP_CLIENT" 127.0.0.1 "${HP_PORTS[i]}" "$T_TMP/src" >"$T_TMP/hp.$i" & pids+=($!)
	"$HP_CLIENT" 127.0.0.1 "${HA_PORTS[i]}" "$T_TMP/src" >"$T_TMP/ha.$i" & pids+=($!)
done
wait "${pids[@]}"
# rows SOCKET PROXY [BACKEND]: "SERVER econ wretr wredis;" per server
# (show stat's 14th, 16th and 17th columns), or the backend's alone
rows() {
	ctl "$1" "show stat" | awk -F, -v p="$2" -v b="${3:-}" '
	    $1 == p && $2 != "FRONTEND" && (b == "" || $2 == "BACKEND") {
		print $2, $14, $16, $17 }' | sort | tr '\n' ';'
}
for ((i = 0; i < ${#cases[@]}; i++)); do
	name=${cases[i]%%|*}
	is "$(cat "$T_TMP/hp.$i") $(cat "$T_TMP/ha.$i")" "127.0.0.5 - 127.0.0.5 -" \
	    "$name: every attempt refused, through both"
	# round robin's order of servers is its own: the counts, not where
	case $name in rr*|random|lc) b=BACKEND ;; *) b= ;; esac
	ha=$(rows "$T_TMP/ha.sock" "$name" $b)
	is "$(rows "$T_TMP/hp.sock" "$name" $b)" "$ha" "$name: retried and redispatched as haproxy ($ha)"
done
done_testing
