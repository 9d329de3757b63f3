#!/bin/bash
# SPDX-License-Identifier: ISC
# When each server's first check comes after a start: haproxy 2.6
# (start_checks) counts every check and agent of every backend in the
# order of the file, takes the shortest interval of 1 s or more among
# them, and starts the one at position i of n after that interval
# (never below its own, nor above max-spread-checks) * i / n: the first
# checks spread over a whole interval, not a burst, and a dead server (a server starts one failure
# from down) is marked down as late as in haproxy.  Check ports that
# note each connection's time, through hashproxy and a real haproxy.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/hp.sh"

# acclog.py IP PORT...: accepts on each, answers "x", notes "PORT MS";
# "ready" first, once it listens
cat >"$T_TMP/acclog.py" <<'EOP'
import selectors, socket, sys, time
sel = selectors.DefaultSelector()
for p in sys.argv[2:]:
    s = socket.socket()
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind((sys.argv[1], int(p)))
    s.listen(64)
    sel.register(s, selectors.EVENT_READ, p)
print("ready", flush=True)
while True:
    for k, _ in sel.select():
        c, _ = k.fileobj.accept()
        print(k.data, int(time.time() * 1000), flush=True)
        c.send(b"x\n")
        c.close()
EOP
# the 7 runs, in the order haproxy counts them, and their position's
# first run in ms: the shortest interval of 1 s or more is 1 s, s5's
# 400ms is below it, s6's 3 s above it and above max-spread-checks, so
# (n = 7): s1..s4 1000*i/7, s5 1000*4/7, s6 1500*5/7, s6's agent 1000*6/7
runs=(s1 s2 s3 s4 s5 s6 s6a)
want=(0 142 285 428 571 1071 857)
cfg() {	# FRONT CHECKPORT... (7, the last the agent's)
	cat <<EOC
global
    max-spread-checks 1500ms
defaults
    timeout connect 1s
    timeout client 5s
    timeout server 5s
    option tcp-check
    tcp-check expect string x
backend b1
    server s1 127.0.0.61:$2 check inter 1s
    server s2 127.0.0.61:$3 check inter 1s
    server s3 127.0.0.61:$4 check inter 1s
    server s4 127.0.0.61:$5 check inter 1s
listen b2
    bind 127.0.0.1:$1
    server s5 127.0.0.61:$6 check inter 400ms
    server s6 127.0.0.61:$7 check inter 3s agent-check agent-port $8 agent-inter 1s
EOC
}
hp_cfgs 8
python3 "$T_TMP/acclog.py" 127.0.0.61 "${HP_PORTS[@]:1}" "${HA_PORTS[@]:1}" \
    >"$T_TMP/acc" 2>"$T_TMP/acclog.err" &
cleanup_push "kill $!"
wait_file_line 5 "$T_TMP/acc" '^ready$' || bail "acclog.py does not listen"

ms() { echo $(( ${EPOCHREALTIME/./} / 1000 )); }
t0=$(ms); hp_start "$T_TMP/hp.cfg" || bail "hashproxy did not start"; t1=$(ms)
a0=$(ms); ha_start "$T_TMP/ha.cfg" || bail "haproxy did not start"; a1=$(ms)
firsts() { [ "$(awk '$1 != "ready" && !seen[$1]++' "$T_TMP/acc" | wc -l)" -ge 14 ]; }
ok "every check port saw a first run within 5 s" wait_for 5 firsts
kill "$HP_PID" "$HA_PID"

# check NAME PORTS START READY: each run's first connection came no
# sooner than START + its position's time (a timer is never early), and
# no later than READY + that + 400 ms (a loaded machine, a slow python)
check() {
	local -n ports=$2
	local i got bad=
	for ((i = 0; i < 7; i++)); do
		got=$(awk -v p="${ports[i + 1]}" '$1 == p { print $2; exit }' "$T_TMP/acc")
		got=${got:-0}
		if [ "$got" -lt $(($3 + want[i])) ] || [ "$got" -gt $(($4 + want[i] + 400)) ]; then
			bad+="${runs[i]}=$((got - $3))ms "
		fi
	done
	is "$bad" "" "$1: each first check at its position's time after the start (${want[*]} ms)"
}
check haproxy HA_PORTS "$a0" "$a1"
check hashproxy HP_PORTS "$t0" "$t1"
done_testing
