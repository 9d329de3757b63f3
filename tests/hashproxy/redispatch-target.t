#!/bin/bash
# SPDX-License-Identifier: ISC
# Where a redispatch goes: when a server's connect fails (it died, its
# check has not noticed yet), "option redispatch" sends the client to the
# server it maps to once that server is marked down, so a client of a dead
# server moves once, not twice.  For every hash type, with weights: the
# redispatch pick == hashproxy's pick once the check marked the server
# down == haproxy 2.6's pick with that server down (same config, same
# moment; haproxy's own redispatch may differ, its DOWN mapping is the
# oracle).  The dead server's check has its own port, so it stays UP for
# as long as the redispatches are tested, then goes DOWN when that port
# closes too.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/hp.sh"

sp=$(free_port); cp=$(free_port)
mapfile -t src < <(hp_sources 240)

# status BACKEND SERVER SOCKET: the server's status column in show stat
status() {
	ctl "$3" "show stat" | awk -F, -v b="$1" -v s="$2" '
	    NR == 1 { sub(/^# /, ""); for (i = 1; i <= NF; i++) if ($i == "status") n = i; next }
	    $1 == b && $2 == s { print $n }'
}
is_down() { [ "$(status b "$1" "$2")" = DOWN ]; }

# case NAME HASHTYPE "WEIGHTS" VICTIM [haproxy]: servers s1..sN on
# 127.0.0.(20+i) with WEIGHTS; sVICTIM dies.
run_case() {
	local name=$1 ht=$2 victim=s$4 oracle=${5:-} i n=0 w line
	local php pha d="$T_TMP/$1"
	php=$(free_port); pha=$(free_port)
	mkdir -p "$d"
	{
		printf 'defaults\n    mode tcp\n    timeout connect 2s\n'
		printf '    timeout client 30s\n    timeout server 30s\n'
		printf 'frontend f\n    bind 127.0.0.1:@PORT@\n    default_backend b\n'
		printf 'backend b\n    balance source\n    hash-type %s\n' "$ht"
		printf '    retries 1\n    option redispatch\n'
		for w in $3; do
			n=$((n + 1))
			line="    server s$n 127.0.0.$((20 + n)):$sp weight $w check inter 300ms fall 3 rise 2"
			[ "s$n" = "$victim" ] && line="$line port $cp"
			echo "$line"
		done
	} >"$d/cfg"
	for ((i = 1; i <= n; i++)); do hp_backend "s$i" "127.0.0.$((20 + i))" "$sp"; done
	hp_backend check "127.0.0.$((20 + $4))" "$cp"	# the victim's check port
	sed "s/@PORT@/$php/" "$d/cfg" >"$d/hp.cfg"
	: >"$T_TMP/hp.ready"
	hp_start "$d/hp.cfg" --control "$d/hp.sock"
	if [ -n "$oracle" ]; then
		sed "s/@PORT@/$pha/; 1i global\n    stats socket $d/ha.sock mode 600 level admin\n" \
		    "$d/cfg" >"$d/ha.cfg"
		haproxy -f "$d/ha.cfg" -db >>"$d/ha.log" 2>&1 &
		cleanup_push "kill $!"
		local hapid=$!
		wait_for 10 ha_answers "$d/ha.sock" || bail "haproxy did not start"
	fi

	map_of "$php" "${src[@]}" >"$d/before"
	mapfile -t victims < <(awk -v v="$victim" '$2 == v { print $1 }' "$d/before")
	ok "$name: $victim has clients (${#victims[@]} of ${#src[@]})" test "${#victims[@]}" -gt 5
	[ -n "$oracle" ] && is "$(map_of "$pha" "${src[@]}")" "$(cat "$d/before")" \
	    "$name: every server up, haproxy maps every client the same"

	# the victim dies; its check port stays open, so it stays UP
	hp_backend_kill "$victim"
	map_of "$php" "${victims[@]}" >"$d/redispatched"
	is "$(awk '$2 == "" || $2 == v' v="$victim" "$d/redispatched")" "" \
	    "$name: every client of the dead $victim was redispatched to a live server"
	# UP, or UP and not yet at full health ("UP 1/3": the first checks
	# are spread over a second from the start, as haproxy spreads them)
	like "$(status b "$victim" "$d/hp.sock")" '^UP( [0-9]+/[0-9]+)?$' \
	    "$name: ... while its check still said UP (so they were redispatches)"

	# now the check fails too: marked down
	hp_backend_kill check
	ok "$name: the check marks $victim down" wait_for 10 is_down "$victim" "$d/hp.sock"
	map_of "$php" "${victims[@]}" >"$d/down"
	is "$(cat "$d/redispatched")" "$(cat "$d/down")" \
	    "$name: each client's redispatch went to the server it maps to once $victim is down"
	if [ -n "$oracle" ]; then
		ok "$name: haproxy marks $victim down" wait_for 10 is_down "$victim" "$d/ha.sock"
		is "$(map_of "$pha" "${victims[@]}")" "$(cat "$d/down")" \
		    "$name: haproxy 2.6 sends them to the same servers with $victim down"
		is "$(map_of "$pha" "${src[@]}")" "$(map_of "$php" "${src[@]}")" \
		    "$name: and every other client stays where haproxy keeps it"
		kill "$hapid"
	fi
	kill "$HP_PID"
	for ((i = 1; i <= n; i++)); do hp_backend_kill "s$i"; done
}

run_case seed consistent "1 1 1" 2 haproxy
run_case consistent-weighted consistent "2 4 6 3" 2 haproxy
run_case map-based-weighted map-based "2 4 6 3" 4 haproxy	# the rest: weights with a common factor
run_case map-based-heaviest map-based "2 4 6 3" 3 haproxy
run_case rendezvous-weighted rendezvous "2 4 6 3" 3
done_testing
