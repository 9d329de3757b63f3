#!/bin/bash
# SPDX-License-Identifier: ISC
# nbthread: with two threads both accept and proxy, the global maxconn
# and a server's maxconn hold exactly across them, a queued client is
# woken by a slot freed in the other thread, and reloads under load
# refuse nothing.  (The whole suite also runs with HP_THREADS=2.)
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/hp.sh"

sp=$(free_port); php=$(free_port); qp=$(free_port)
hp_backend localhost 127.0.0.11 "$sp"
hp_backend maas-api-1 127.0.0.12 "$sp"
hp_backend maas-api-2 127.0.0.13 "$sp"
hp_seed "$T_TMP/hp.cfg" "$php" "$sp" "default-server inter 300ms"
cat >>"$T_TMP/hp.cfg" <<EOC

frontend q
    bind 127.0.0.1:$qp
    default_backend q
backend q
    timeout queue 10s
    server one 127.0.0.11:$sp maxconn 1
EOC
sed -i "1i global\n    nbthread 2\n" "$T_TMP/hp.cfg"
# the frontend's maxconn: the queue test below needs the other one free
sed -i "s/^    default_backend maas/    maxconn 4\n&/" "$T_TMP/hp.cfg"
S=$T_TMP/hp.sock

# the config's nbthread, and --threads over it
exit_is 0 "nbthread is a known keyword" "$HP_BIN" -c -f "$T_TMP/hp.cfg"
exit_is 2 "--threads 0 is a usage error" "$HP_BIN" --threads 0 -c -f "$T_TMP/hp.cfg"
hp_start "$T_TMP/hp.cfg" --threads 1
nbt() { ctl "$S" "show info" | sed -n 's/^Nbthread: //p'; }
is "$(nbt)" 1 "--threads 1 wins over nbthread 2"
workers() { cat /proc/"$HP_PID"/task/*/comm | grep -c '^hashproxy:w'; }
is "$(workers)" 0 "one thread: the main loop proxies, no worker thread"
kill "$HP_PID"; wait_gone 10 "$HP_PID"
: >"$T_TMP/hp.ev"
HP_THREADARGS=()
hp_start "$T_TMP/hp.cfg"
is "$(nbt)" 2 "show info: Nbthread 2 from the config"
is "$(workers)" 2 "two worker threads (hashproxy:w1, hashproxy:w2)"

# both threads serve (the kernel spreads connections over their sockets)
mapfile -t src < <(hp_sources 40)
load "$php" "$T_TMP/l0" 80 "${src[@]}"
is "$(grep -vc '^fail' "$T_TMP/l0")" 80 "80 requests answered"
t1() { ctl "$S" "show info" | sed -n 's/^CumConns_thread1: //p'; }
t2() { ctl "$S" "show info" | sed -n 's/^CumConns_thread2: //p'; }
diag "thread 1 accepted $(t1), thread 2 $(t2)"
ok "thread 1 accepted some" test "$(t1)" -gt 0
ok "thread 2 accepted some" test "$(t2)" -gt 0
is "$(( $(t1) + $(t2) ))" "$(ctl "$S" "show info" | sed -n 's/^CumConns: //p')" \
    "the threads' counts add up to CumConns"

# maxconn 4 with 12 clients at once: never a fifth
# (descriptors bash picks: a number of our own could be one a helper holds)
conns=()
for i in $(seq 12); do exec {c}<>"/dev/tcp/127.0.0.1/$php"; conns+=("$c"); done
fe_smax() { ctl "$S" "show stat" | awk -F, '$1 == "maas" && $2 == "FRONTEND" { print $6 }'; }
ok "four connections proxied" wait_for 10 sh -c \
    "echo 'show info' | socat -t 5 stdio unix-connect:$S | grep -q '^CurrConns: 4$'"
is "$(fe_smax)" 4 "and never more at a time (smax 4)"
for c in "${conns[@]}"; do exec {c}>&-; done
tot() { [ "$(ctl "$S" "show info" | sed -n 's/^CumConns: //p')" -ge "$1" ]; }
ok "the eight waiting in the kernel were taken once slots freed" \
    wait_for 10 tot 92
is "$(fe_smax)" 4 "still never more than four"

# server maxconn 1: clients of both threads queue, each is woken in its
# own thread when the slot frees in whichever thread held it
exec 8<>"/dev/tcp/127.0.0.1/$qp"
ok "the server's slot is taken" wait_for 5 stat_has "$S" "^q,one,0,0,1,"
qpids=()
for i in 1 2 3 4 5 6; do
	( exec 8>&-; req 127.0.0.1 "$qp" >"$T_TMP/q$i" ) & qpids+=($!)
done
# (roundrobin: the backend's queue, as haproxy's; its scur counts them)
ok "six clients wait in the backend's queue" \
    wait_for 10 stat_has "$S" "^q,BACKEND,6,6,7,"
exec 8>&-
wait "${qpids[@]}"
is "$(cat "$T_TMP"/q[1-6] | grep -c '^localhost$')" 6 "all six served one after the other"
like "$(ctl "$S" "show stat")" "^q,one,0,0,0,1," "the server never had two (smax 1)"

# reloads under load across threads: nothing refused
sed 's/maas-api-2 \(.*\) check/maas-api-2 \1 check weight 2/' "$T_TMP/hp.cfg" >"$T_TMP/b.cfg"
cp "$T_TMP/hp.cfg" "$T_TMP/a.cfg"
# the load runs until stopped, however fast this machine is
pids=()
for i in 1 2; do load "$php" "$T_TMP/l$i" 20000 "${src[@]}" & pids+=($!); done
reloads() { [ "$(grep -c '^reload result=ok' "$T_TMP/hp.ev")" -ge "$1" ]; }
for i in 1 2 3 4; do
	wait_for 20 lines "$T_TMP/l1" $((i * 60))
	if [ $((i % 2)) = 0 ]; then cp "$T_TMP/a.cfg" "$T_TMP/hp.cfg"; else cp "$T_TMP/b.cfg" "$T_TMP/hp.cfg"; fi
	kill -HUP "$HP_PID"
	wait_for 5 reloads "$i"
done
ok "four reloads under load" test "$(grep -c '^reload result=ok' "$T_TMP/hp.ev")" = 4
n=$(wc -l <"$T_TMP/l1")
ok "requests go on after them" wait_for 20 lines "$T_TMP/l1" $((n + 60))
pkill -f -- "$T_TMP/l[12].src"
wait "${pids[@]}"
is "$(cat "$T_TMP"/l[12] | grep -c '^fail')" 0 \
    "no request refused or failed ($(cat "$T_TMP"/l[12] | wc -l) requests)"

kill -TERM "$HP_PID"
ok "SIGTERM: every thread stops" wait_gone 10 "$HP_PID"
wait "$HP_PID"; is "$?" 0 "exit status 0"
done_testing
