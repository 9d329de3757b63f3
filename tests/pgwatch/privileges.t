#!/bin/bash
# SPDX-License-Identifier: ISC
# pgwatch started as root keeps no privilege once its --http port is bound:
# no capability (effective, permitted, bounding or ambient) and
# no_new_privs, as /proc/PID/status shows, and with --user it runs as that
# user.  A port below 1024 is still bound, and the endpoints still answer
# (the watched host is down: /liveness 200, /health 503).
. "$(dirname "$0")/../lib/tap.sh"
needs_root

DB=$(free_port)
low_port() {
	local p
	p=$(( 600 + RANDOM % 400 ))
	while ss -Htln "sport = :$p" | grep -q .; do p=$(( 600 + RANDOM % 400 )); done
	echo "$p"
}
st() { awk -v k="$2:" '$1 == k { print $2 }' "/proc/$1/status"; }
ids() { awk -v k="$2:" '$1 == k { print $2 "/" $3 "/" $4 "/" $5 }' "/proc/$1/status"; }
code() { curl -s -m 5 -o /dev/null -w '%{http_code}' "http://127.0.0.1:$HP/$1"; }
PIDS=()
cleanup_push 'kill "${PIDS[@]}" 2>/dev/null'

# check: every capability gone, none to regain, uid $2
check() {	# pid uid what
	is "$(st "$1" CapEff)/$(st "$1" CapPrm)/$(st "$1" CapAmb)" \
	    0000000000000000/0000000000000000/0000000000000000 \
	    "$3: no effective, permitted or ambient capability"
	is "$(st "$1" CapBnd)" 0000000000000000 "$3: bounding set empty"
	is "$(st "$1" NoNewPrivs)" 1 "$3: no_new_privs"
	is "$(ids "$1" Uid)" "$2/$2/$2/$2" "$3: uid $2 (real, effective, saved, fs)"
}

# --http on a port below 1024, as root
HP=$(low_port)
pgwatch --http "127.0.0.1:$HP" "host=127.0.0.1 port=$DB connect_timeout=1" \
    >"$T_TMP/a.out" 2>"$T_TMP/a.err" &
W=$!; PIDS+=("$W")
ok "--http :$HP (below 1024) as root: /liveness 200" \
    wait_for 10 eval '[ "$(code liveness)" = 200 ]'
is "$(code health)" 503 "/health 503 (the database is down)"
check "$W" 0 "--http as root"
kill "$W"; wait "$W"
is "$?" 0 "SIGTERM: exit 0"

# --user: the same, as nobody
nob=$(id -u nobody)
HP=$(low_port)
pgwatch --user nobody --http "127.0.0.1:$HP" \
    "host=127.0.0.1 port=$DB connect_timeout=1" >"$T_TMP/b.out" \
    2>"$T_TMP/b.err" &
W=$!; PIDS+=("$W")
ok "--user nobody --http :$HP: /liveness 200" \
    wait_for 10 eval '[ "$(code liveness)" = 200 ]'
check "$W" "$nob" "--user nobody"
g=$(id -g nobody)
is "$(ids "$W" Gid)" "$g/$g/$g/$g" "--user nobody: nobody's gid"
is "$(awk '$1 == "Groups:" { print $2 $3 }' "/proc/$W/status")" "$g" \
    "--user nobody: no other group"
kill "$W"; wait "$W"
is "$?" 0 "SIGTERM: exit 0"

# --watch alone, as root
pgwatch --watch "host=127.0.0.1 port=$DB connect_timeout=1" \
    >"$T_TMP/c.out" 2>"$T_TMP/c.err" &
W=$!; PIDS+=("$W")
ok "--watch: its first line" wait_for 10 test -s "$T_TMP/c.out"
check "$W" 0 "--watch as root"
kill "$W"; wait "$W"

is "$(pgwatch --user no-such-user-$T_ID --watch "port=$DB" 2>&1 >/dev/null; echo "rc=$?")" \
    "pgwatch: user \"no-such-user-$T_ID\": no such user
rc=1" "--user of no one: said, exit 1"
done_testing
