#!/bin/bash
# SPDX-License-Identifier: ISC
# Retry timing, as haproxy 2.6 documents it for "retries": a retry on the
# same server after a refused connect waits min("timeout connect", 1s);
# a redispatch to another server (the last retry) goes at once.  The
# same clients through hashproxy and a real haproxy, timed side by side.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/hp.sh"

sp=$(free_port); dead=$(free_port)
hp_backend alive 127.0.0.31 "$sp"
# 127.0.0.32:$dead refuses: nothing listens there
cfg() {	# FILE PORT1 PORT2 PORT3
	cat >"$1" <<EOC
defaults
    timeout connect 500ms
    timeout client 10s
    timeout server 10s
frontend f2
    bind 127.0.0.1:$3
    default_backend redis
frontend f1
    bind 127.0.0.1:$2
    default_backend dead
backend dead
    retries 2
    server d 127.0.0.32:$dead
backend redis
    timeout connect 2s
    retries 3
    option redispatch
    balance source
    hash-type consistent
    server d 127.0.0.32:$dead
    server a 127.0.0.31:$sp
frontend f3
    bind 127.0.0.1:$4
    default_backend redis1
backend redis1
    timeout connect 2s
    retries 3
    option redispatch 1
    balance source
    hash-type consistent
    server d 127.0.0.32:$dead
    server a 127.0.0.31:$sp
EOC
}
h1=$(free_port); h2=$(free_port); a1=$(free_port); a2=$(free_port)
h3=$(free_port); a3=$(free_port)
cfg "$T_TMP/hp.cfg" "$h1" "$h2" "$h3"
cfg "$T_TMP/ha.cfg" "$a1" "$a2" "$a3"
hp_start "$T_TMP/hp.cfg"
ha_start "$T_TMP/ha.cfg"

# ms SRC PORT: "MS NAME" for one request (NAME "-" when it failed)
ms() {
	local t0 r
	echo "$1" >"$T_TMP/one.$2"
	t0=$(date +%s%N)
	r=$("$HP_CLIENT" 127.0.0.1 "$2" "$T_TMP/one.$2" | cut -d' ' -f2)
	echo "$(( ($(date +%s%N) - t0) / 1000000 )) $r"
}

# retries 2 on a refused server: 3 attempts, 2 pauses of 500ms
# both at once, to keep the test short
ms 127.0.0.1 "$h1" >"$T_TMP/th" & p=$!; ms 127.0.0.1 "$a1" >"$T_TMP/ta"; wait "$p"
read -r th rh <"$T_TMP/th"; read -r ta ra <"$T_TMP/ta"
is "$rh $ra" "- -" "retries exhausted: both close the client"
ok "hashproxy pauses 2 x 500ms between attempts (${th}ms)" test "$th" -ge 950 -a "$th" -lt 2000
ok "haproxy too (${ta}ms)" test "$ta" -ge 950 -a "$ta" -lt 2000
# errs SOCKET PROXY: econ eresp wretr wredis of its server and backend rows
errs() {
	ctl "$1" "show stat" | awk -F, -v p="$2" '$1 == p && $2 != "FRONTEND" {
	    print $2, $14, $15, $16, $17 }' | sort | tr '\n' ';'
}
is "$(errs "$T_TMP/ha.sock" dead)" "BACKEND 1 0 2 0;d 1 0 2 0;" \
    "haproxy's show stat: one connection error (econ 1, not one per attempt), 2 retries"
is "$(errs "$T_TMP/hp.sock" dead)" "$(errs "$T_TMP/ha.sock" dead)" \
    "hashproxy's: the same, server and backend rows"

# retries 3 + redispatch: two paused retries on the dead server, then
# the last one goes to the live server at once (--lookup answers for
# the first frontend, f2).  Here "timeout connect 2s": each pause is the
# 1 s cap, so 2 pauses (2000 ms) and 3 (3000 ms) lie 1 s apart; a timer
# never fires early, and the upper bound leaves 900 ms for a loaded
# machine.
src=$(hp_sources 200 | hashproxy -f "$T_TMP/hp.cfg" --lookup - 2>/dev/null |
    awk '$2 == "d" { print $1; exit }')
ok "a source that hashes to the dead server ($src)" test -n "$src"
ms "$src" "$h2" >"$T_TMP/th" & p=$!; ms "$src" "$a2" >"$T_TMP/ta"; wait "$p"
read -r th rh <"$T_TMP/th"; read -r ta ra <"$T_TMP/ta"
is "$rh $ra" "alive alive" "redispatched: both answer from the live server"
ok "hashproxy answers after 2 x 1 s, not 3 (${th}ms in [1950, 2900))" test "$th" -ge 1950 -a "$th" -lt 2900
ok "haproxy too (${ta}ms)" test "$ta" -ge 1950 -a "$ta" -lt 2900
is "$(errs "$T_TMP/ha.sock" redis)" "BACKEND 0 0 2 1;a 0 0 0 0;d 0 0 2 1;" \
    "haproxy's show stat: no connection error (the redispatch went through), 2 retries, 1 redispatch"
is "$(errs "$T_TMP/hp.sock" redis)" "$(errs "$T_TMP/ha.sock" redis)" \
    "hashproxy's: the same"

# "option redispatch 1": every retry redispatches, so the first one
# already goes to the live server, at once (same servers, same hash); one
# pause would be 1 s, the bound leaves 900 ms of it for a loaded machine
ms "$src" "$h3" >"$T_TMP/th" & p=$!; ms "$src" "$a3" >"$T_TMP/ta"; wait "$p"
read -r th rh <"$T_TMP/th"; read -r ta ra <"$T_TMP/ta"
is "$rh $ra" "alive alive" "redispatch 1: both answer from the live server"
ok "hashproxy answers without a pause (${th}ms < 900, a pause: 1000)" test "$th" -lt 900
ok "haproxy too (${ta}ms)" test "$ta" -lt 900
is "$(errs "$T_TMP/ha.sock" redis1)" "BACKEND 0 0 0 1;a 0 0 0 0;d 0 0 0 1;" \
    "haproxy's show stat: no connection error, no retry on d, 1 redispatch"
is "$(errs "$T_TMP/hp.sock" redis1)" "$(errs "$T_TMP/ha.sock" redis1)" \
    "hashproxy's: the same"
# the request's bytes count for the server that got them, none for the
# refused one, as haproxy counts them (bin is show stat's 9th column)
bins() { ctl "$1" "show stat" | awk -F, '$1 == "redis1" && ($2 == "d" || $2 == "a") { printf "%s=%s ", $2, $9 }'; }
like "$(bins "$T_TMP/hp.sock")" '^d=0 a=[1-9]' "bin: the refused server 0, the live one the request"
is "$(bins "$T_TMP/hp.sock")" "$(bins "$T_TMP/ha.sock")" "bin: as haproxy's"
done_testing
