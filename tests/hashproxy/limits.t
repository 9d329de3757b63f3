#!/bin/bash
# SPDX-License-Identifier: ISC
# Limits that keep hashproxy alive: a slow reader does not grow memory,
# maxconn holds extra clients in the kernel queue until a slot frees,
# a server with maxconn 1 queues, and fd exhaustion pauses accepting
# instead of spinning or dying.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/hp.sh"

sp=$(free_port); php=$(free_port); bp=$(free_port); qp=$(free_port)
hp_backend localhost 127.0.0.11 "$sp"
hp_backend maas-api-1 127.0.0.12 "$sp"
hp_backend maas-api-2 127.0.0.13 "$sp"
hp_seed "$T_TMP/hp.cfg" "$php" "$sp"
cat >>"$T_TMP/hp.cfg" <<EOC

frontend bulk
    bind 127.0.0.1:$bp
    default_backend bulk
backend bulk
    server big 127.0.0.21:$sp

frontend q
    bind 127.0.0.1:$qp
    default_backend q
backend q
    timeout queue 500ms
    server one 127.0.0.11:$sp maxconn 1
EOC
# a server that pushes 512 MB at whoever connects
socat "TCP-LISTEN:$sp,bind=127.0.0.21,reuseaddr,fork" \
    SYSTEM:"head -c 536870912 /dev/zero" 2>/dev/null &
cleanup_push "kill $!"
wait_for 5 _hp_port_open 127.0.0.21 "$sp"
hp_start "$T_TMP/hp.cfg" --maxconn 4

rss() { awk '/^VmRSS/ { print $2 }' "/proc/$HP_PID/status"; }
rss0=$(rss)
exec 3<>"/dev/tcp/127.0.0.1/$bp"	# connect, never read
sendq() { ss -Htn state established "( sport = :$sp and src 127.0.0.21 )" | awk '$2 > 0 { f = 1 } END { exit !f }'; }
ok "the server is blocked: hashproxy stopped reading" wait_for 10 sendq
rss1=$(rss)
ok "memory stays bounded with a slow reader (RSS ${rss0} -> ${rss1} kB)" \
    test $((rss1 - rss0)) -lt 4096
exec 3>&-
curconns() { ctl "$T_TMP/hp.sock" "show info" | grep -q "^CurrConns: $1$"; }
ok "the slow reader's connection is gone once it closed" wait_for 5 curconns 0

# maxconn 4: four idle clients fill it, a fifth waits, then is served
for fd in 4 5 6 7; do eval "exec $fd<>/dev/tcp/127.0.0.1/$php"; done
ok "four connections open" wait_for 5 curconns 4
( exec 4>&- 5>&- 6>&- 7>&-; req 127.0.0.1 "$php" >"$T_TMP/fifth" ) &
waiter=$!
nok "a fifth client is not served while 4 are open" \
    wait_for 1 test -s "$T_TMP/fifth"
ok "the fifth client waits (maxconn 4): connected, neither served nor refused" \
    kill -0 "$waiter"
exec 4>&-
wait "$waiter"
like "$(cat "$T_TMP/fifth")" "^(localhost|maas-api-[12])$" "served once a slot frees"
for fd in 5 6 7; do eval "exec $fd>&-"; done

# server maxconn 1: a second client queues until the slot frees, and a
# third gives up after "timeout queue".  With roundrobin (the default) it
# waits in the backend's queue, as haproxy's: any server may take it.
exec 8<>"/dev/tcp/127.0.0.1/$qp"
ok "the server's slot is taken" wait_for 5 stat_has "$T_TMP/hp.sock" "^q,one,0,0,1,"
( exec 8>&-; req 127.0.0.1 "$qp" >"$T_TMP/queued" ) &
qpid=$!
ok "a second client waits in the backend queue (qcur 1; scur counts it, as haproxy's)" \
    wait_for 5 stat_has "$T_TMP/hp.sock" "^q,BACKEND,1,1,2,"
exec 8>&-
wait "$qpid"
is "$(cat "$T_TMP/queued")" localhost "served when the slot frees"
# qtime_max: the longest wait in the queue, in ms, once it has closed
qmax() { ctl "$T_TMP/hp.sock" "show stat" | awk -F, '
	NR == 1 { sub(/^# /, ""); for (i = 1; i <= NF; i++) if ($i == "qtime_max") n = i; next }
	$1 == "q" && $2 == "one" { print $n }'; }
qwaited() { [ "$(qmax)" -ge 1 ] 2>/dev/null; }
ok "show stat: its wait shows in qtime_max" wait_for 5 qwaited
exec 8<>"/dev/tcp/127.0.0.1/$qp"
wait_for 5 stat_has "$T_TMP/hp.sock" "^q,BACKEND,0,1,1,"
# No other timer in this config closes a queued client (no timeout
# connect, client or server): without timeout queue it would wait until
# curl's own 20 s (exit 28).  The closing is curl's "empty reply" or
# "recv failure", and not before the timer, however loaded the machine.
t0=$(date +%s%N)
rc=0
sh -c "exec 8>&-; curl -sf --max-time 20 http://127.0.0.1:$qp/ >/dev/null" || rc=$?
dt=$(( ($(date +%s%N) - t0) / 1000000 ))
ok "with the slot held, timeout queue closes the waiting client (curl exit $rc, after ${dt}ms)" \
    test "$rc" = 52 -o "$rc" = 56
ok "not before the 500ms timer (${dt}ms)" test "$dt" -ge 400
exec 8>&-

# fd exhaustion: a low RLIMIT_NOFILE, more clients than descriptors
# two descriptors above what it holds now (14 with one thread; each
# more thread has its own listeners, epoll and wake-up descriptors)
nfd=$(ls "/proc/$HP_PID/fd" | wc -l)
diag "hashproxy holds $nfd descriptors"
prlimit --pid "$HP_PID" --nofile=$((nfd + 2)):$((nfd + 2))
ctl "$T_TMP/hp.sock" "show info" >/dev/null
# (descriptors bash picks: a number of our own could be one a helper holds)
conns=()
for i in $(seq 20); do exec {c}<>"/dev/tcp/127.0.0.1/$php" && conns+=("$c"); done 2>/dev/null
sleep_cpu=$(awk '{ print $14 + $15 }' "/proc/$HP_PID/stat")
ok "accepting paused with a log line" wait_file_line 5 "$T_TMP/hp.err" "(accept|connect): Too many open files; pausing"
for c in "${conns[@]}"; do exec {c}>&-; done

ok "serves again once descriptors are free" wait_for 20 sh -c "curl -sf --max-time 2 http://127.0.0.1:$php/ >/dev/null"
cpu=$(( $(awk '{ print $14 + $15 }' "/proc/$HP_PID/stat") - sleep_cpu ))
ok "no busy loop while paused (${cpu} ticks)" test "$cpu" -lt 100
done_testing
