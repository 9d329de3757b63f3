#!/bin/bash
# SPDX-License-Identifier: ISC
# "observe layer4" with "check": every proxied connect to a server that
# fails counts as an error, one that goes through clears the count; at
# "error-limit" errors in a row the server is treated per "on-error"
# (fail-check: a failed check of status HANA; sudden-death: one failure
# from down, then that; mark-down: DOWN at once; fastinter: the next
# check sooner) and the next check comes at fastinter.  A passing check
# clears the count too.  haproxy 2.6 and hashproxy run the same config:
# servers whose service port refuses while their check port answers.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/hp.sh"
command -v haproxy >/dev/null || cannot_run "haproxy is not installed"

dead=$(free_port) chk=$(free_port) svc=$(free_port) full=$(free_port)
hp_backend chk1 127.0.0.41 "$chk"	# the checks of everyone but rs, to
hp_backend chk2 127.0.0.42 "$chk"	# rs's checks; its service on svc
hp_backend chk3 127.0.0.43 "$chk"	# to's checks
# to's service: a listener whose accept queue one connection fills, so
# that the kernel drops the SYNs that follow: connects time out
python3 -c '
import socket, sys, time
a = (sys.argv[1], int(sys.argv[2]))
s = socket.socket()
s.bind(a)
s.listen(0)
c = socket.create_connection(a)
print("ready", flush=True)
time.sleep(3600)' 127.0.0.43 "$full" >"$T_TMP/full" 2>&1 &
cleanup_push "kill $!"
wait_for 5 grep -q ready "$T_TMP/full"

# First checks come within fastinter (the health starts below its top),
# the next ones after inter: a minute, so no check lands among the
# failures but the one on-error's fastinter brings.
cfg() {	# FIRST-FRONT-PORT
	local f=$1
	cat <<EOC
defaults
    mode tcp
    retries 0
    timeout connect 1s
    timeout client 5s
    timeout server 5s
    default-server check port $chk inter 60s fastinter 6s rise 1 fall 3
listen fc
    bind 127.0.0.1:$f
    server s 127.0.0.41:$dead observe layer4 error-limit 3
listen sd
    bind 127.0.0.1:$((f + 1))
    server s 127.0.0.41:$dead observe layer4 error-limit 3 on-error sudden-death
listen md
    bind 127.0.0.1:$((f + 2))
    server s 127.0.0.41:$dead observe layer4 error-limit 3 on-error mark-down
listen rs
    bind 127.0.0.1:$((f + 3))
    server s 127.0.0.42:$svc observe layer4 error-limit 3
listen rt
    bind 127.0.0.1:$((f + 4))
    retries 2
    timeout connect 100ms
    server s 127.0.0.41:$dead observe layer4 error-limit 3 on-error mark-down
listen no
    bind 127.0.0.1:$((f + 5))
    server s 127.0.0.41:$dead error-limit 1 on-error mark-down
listen fi
    bind 127.0.0.1:$((f + 6))
    server s 127.0.0.41:$dead observe layer4 error-limit 3 on-error fastinter
listen to
    bind 127.0.0.1:$((f + 7))
    timeout connect 200ms
    server s 127.0.0.43:$full observe layer4 error-limit 2 on-error mark-down
EOC
}
hf=$(free_port 8) xf=$(free_port 8)
cfg "$hf" >"$T_TMP/ha.cfg"
cfg "$xf" >"$T_TMP/hp.cfg"
hp_both_start

# row SOCK PROXY: the server's columns a user reads about it; a check's
# duration in ms as N (it varies), haproxy's -1 (none) as printed.  One
# statrow.py answers every poll, through two FIFOs: a socat and a python3
# a row were most of the test's ~190 process starts
COLS=status,check_status,check_desc,check_duration,check_health,chkfail,chkdown,hanafail,econ,wretr
mkfifo "$T_TMP/row.in" "$T_TMP/row.out"
python3 "$T_TOP/tests/hashproxy/statrow.py" <"$T_TMP/row.in" >"$T_TMP/row.out" &
cleanup_push "kill $! 2>/dev/null"
exec {ROW_IN}>"$T_TMP/row.in" {ROW_OUT}<"$T_TMP/row.out"
row() {
	local r
	printf '%s %s %s\n' "$1" "$2" "$COLS" >&"$ROW_IN" &&
	    read -r -t 30 -u "$ROW_OUT" r && printf '%s\n' "$r"
}
rows_same() {	# PROXY WORD: both rows alike, haproxy's with WORD
	HA_ROW=$(row "$T_TMP/ha.sock" "$1") HP_ROW=$(row "$T_TMP/hp.sock" "$1")
	[[ $HA_ROW == *"$2"* && $HP_ROW == "$HA_ROW" ]]
}
same() {	# SECS PROXY WORD DESC
	wait_for "$1" rows_same "$2" "$3" ||
	    [[ $HA_ROW == *"$3"* ]] || HA_ROW="(never with $3) $HA_ROW"
	is "$HP_ROW" "$HA_ROW" "$2: $4"
}
clients() {	# PROXY-INDEX N: N clients, one after the other, through each
	local i
	# one testclient a proxy (the N from a file of N sources) instead of
	# a curl a client
	: >"$T_TMP/clients.src"
	for ((i = 0; i < $2; i++)); do echo 127.0.0.1 >>"$T_TMP/clients.src"; done
	"$HP_CLIENT" 127.0.0.1 $((hf + $1)) "$T_TMP/clients.src" >/dev/null
	"$HP_CLIENT" 127.0.0.1 $((xf + $1)) "$T_TMP/clients.src" >/dev/null
}

for px in fc sd md rt no fi to; do
	same 20 "$px" "status=UP check_status=L4OK" "UP, its first check passed"
done
ok "rs: no service yet, checks pass" wait_for 20 rows_same rs "status=UP check_status=L4OK"

# two failures are not three
clients 0 2; clients 1 2; clients 2 2
for px in fc sd md; do
	same 5 "$px" "econ=2" "two failed connects: nothing yet"
done
like "$HA_ROW" "status=UP check_status=L4OK .*hanafail=0 " "haproxy: still UP, hanafail 0"

# the third: fail-check is one failed check (UP 2/3), sudden-death
# leaves it at the last step before down (UP 1/3), mark-down takes it
# down; check status HANA, no duration (haproxy prints its -1)
clients 0 1; clients 1 1; clients 2 1
same 3 fc "HANA" "fail-check: one failed check, HANA, hanafail 1"
like "$HP_ROW" "status=UP 2/3 check_status=HANA check_desc=Health analyze check_duration=18446744073709551615 .*chkfail=1 chkdown=0 hanafail=1 " \
    "fail-check: UP 2/3, the check columns haproxy shows"
# haproxy's exporter gives that duration as -0.001 s
like "$(ctl "$T_TMP/hp.sock" "show metrics" | grep 'check_duration_seconds{proxy="fc"')" \
    ' -0\.001$' "metrics: the HANA check's duration -0.001 s, as haproxy's"
same 3 sd "HANA" "sudden-death: one step from down"
like "$HP_ROW" "status=UP 1/3 .*chkfail=1 chkdown=0 hanafail=1 " "sudden-death: UP 1/3"
same 5 md "status=DOWN" "mark-down: DOWN at once"
like "$HP_ROW" "status=DOWN check_status=HANA .*chkdown=1 hanafail=1 " "mark-down: DOWN, HANA"

# why, in the logs: haproxy's 'info: "..."', hashproxy's 'info: ...'
info() {	# WHAT FILE: the first info of a HANA line about WHAT
	grep -F "$1" "$2" | grep -o 'Health analyze, info: "\{0,1\}Detected [^"(]*' |
	    head -1 | sed 's/.*info: "\{0,1\}//; s/ *$//'
}
is "$(info "md/s is DOWN" "$T_TMP/hp.err")" "$(info "md/s is DOWN" "$T_TMP/ha.log")" \
    "the log says why as haproxy does"
like "$(info "md/s is DOWN" "$T_TMP/hp.err")" "^Detected 3 consecutive errors, last one was: L4 unsuccessful connection$" \
    "the count and the last error in the reason"

# the next check comes at fastinter (6s), not inter (a minute): up again
for px in fc sd md; do
	same 10 "$px" "status=UP check_status=L4OK" "the next check at fastinter passes: UP"
done

# a connect that goes through clears the count: 2 failures, 1 success,
# 2 failures do nothing; a third failure in a row acts
clients 3 2
hp_backend svc 127.0.0.42 "$svc"
ok "haproxy: its service answers" req 127.0.0.1 $((hf + 3))
ok "hashproxy: its service answers" req 127.0.0.1 $((xf + 3))
hp_backend_kill svc
clients 3 2
same 5 rs "econ=4" "2 failures, a success, 2 failures: nothing"
like "$HP_ROW" "status=UP check_status=L4OK .*hanafail=0 " "rs: UP, L4OK, hanafail 0"
clients 3 1
same 3 rs "HANA" "a third failure in a row: a failed check"
like "$HP_ROW" "status=UP 2/3 .*hanafail=1 " "rs: UP 2/3, hanafail 1"

# every attempt counts: one client, retries 2, three failed connects
# (econ: the connection given up, once, as haproxy counts it)
clients 4 1
same 5 rt "status=DOWN" "a retry's failure counts: 3 attempts, DOWN"
like "$HP_ROW" "hanafail=1 econ=1 wretr=2" "rt: two retries, the third attempt acted, one connection error"

# without observe: failures are only failures, hanafail not shown
clients 5 2
same 5 no "econ=2" "no observe: error-limit and on-error do nothing"
like "$HP_ROW" "status=UP check_status=L4OK .*hanafail= econ" "no: UP, no hanafail"

# on-error fastinter: the next check only, no failed check
clients 6 3
same 5 fi "hanafail=1" "on-error fastinter: counted, no failed check"
like "$HP_ROW" "status=UP check_status=L4OK .*chkfail=0 chkdown=0 hanafail=1 " \
    "fi: UP, L4OK, no failed check, hanafail 1"

# a connect that times out is an error too
clients 7 2
same 5 to "status=DOWN" "two connect timeouts: DOWN (mark-down)"
like "$HP_ROW" "status=DOWN check_status=HANA .*hanafail=1 econ=2 " \
    "to: DOWN, HANA, two connection errors"

# -c: what haproxy takes and refuses
verdict() {	# SERVER-PARAMS: "haproxy's/hashproxy's" (ok, no)
	printf 'defaults\n    mode tcp\n    timeout client 1s\n    timeout server 1s\n    timeout connect 1s\nlisten l\n    bind 127.0.0.1:%s\n    server s1 127.0.0.2:80 %s\n' \
	    "$hf" "$1" >"$T_TMP/v.cfg"
	local h x
	haproxy -c -f "$T_TMP/v.cfg" >/dev/null 2>&1 && h=ok || h=no
	hashproxy -c -f "$T_TMP/v.cfg" >"$T_TMP/v.out" 2>&1 && x=ok || x=no
	echo "$h/$x"
}
for v in "check observe layer4 on-error mark-down error-limit 1|ok" \
    "check observe none on-error fastinter|ok" \
    "check on-error sudden-death error-limit 5x|ok" \
    "observe layer4|ok" \
    "check observe layer7|ok" \
    "check observe layer3|no" \
    "check observe|no" \
    "check on-error mark-up|no" \
    "check on-error|no" \
    "check error-limit 0|no" \
    "check error-limit -1|no" \
    "check error-limit x|no" \
    "check error-limit|no"; do
	is "$(verdict "${v%|*}")" "${v#*|}/${v#*|}" "-c: server s1 ${v%|*}: as haproxy"
done
verdict "check on-error mark-up" >/dev/null
like "$(cat "$T_TMP/v.out")" "v.cfg:8: .*on-error \"mark-up\": should be fastinter, fail-check, sudden-death or mark-down" \
    "a refused on-error: file:line and the words it takes"
verdict "check observe layer7" >/dev/null
like "$(cat "$T_TMP/v.out")" "warning: .*v.cfg:8: .*observe layer7: ignored" \
    "observe layer7 in mode tcp: a warning, as haproxy's alert that does not stop it"
verdict "observe layer4" >/dev/null
like "$(cat "$T_TMP/v.out")" "notice: .*v.cfg:8: server s1: observe layer4 without check: nothing is counted" \
    "observe without check: said to do nothing, as it does in haproxy"
verdict "check error-limit 5x" >/dev/null
like "$(cat "$T_TMP/v.out")" "v.cfg:8: .*error-limit \"5x\" read as 5" \
    "error-limit 5x: read as haproxy reads it, and said"
done_testing
