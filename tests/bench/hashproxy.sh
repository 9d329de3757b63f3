#!/bin/bash
# SPDX-License-Identifier: ISC
# hashproxy against haproxy 2.6, same run, same config and backends:
# keep-alive requests/s, new connections/s, p99 latency, bulk transfer
# MB/s, RSS per 10,000 idle connections, and the hash spread / moved
# fraction when one of three servers dies (haproxy's ring = hashproxy's
# consistent, checked by tests/hashproxy/compat.t).
#
# The machine is shared: every figure is the median of BENCH_REPS runs
# (default 7; idle memory BENCH_IDLE_REPS, 3), hashproxy and haproxy
# taking turns within each run, the first side alternating between runs,
# so that a busy moment hits both.  Idle memory is measured on a fresh
# process each time: one that has just moved 2 GB keeps its heap.
# HASHPROXY=path compares another build (e.g. the previous one);
# BENCH_ONLY=idle measures idle memory alone, BENCH_ONLY=bulk the bulk
# transfer alone.
. "$(dirname "$0")/../lib/tap.sh" >/dev/null
. "$T_TOP/tests/hashproxy/hp.sh"
command -v wrk >/dev/null || { echo "wrk missing"; exit 0; }
HP=${HASHPROXY:-hashproxy}
# 10,000 idle connections through a proxy take 20,000 descriptors in the
# proxy alone: raise the limit (root may raise the hard one), else make do
ulimit -Hn 65536 2>/dev/null; ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"

# many short runs rather than a few long ones: a neighbour's load that
# comes and goes within seconds then spoils few pairs, and the median
# of the pairs' ratios passes over them
DUR=${BENCH_SECONDS:-2}
REPS=${BENCH_REPS:-7}
IREPS=${BENCH_IDLE_REPS:-3}
IDLE=${BENCH_IDLE:-10000}
# haproxy sizes its maxconn from the limit, keeping some for itself
[ "$(ulimit -n)" -ge $((IDLE * 2 + 1000)) ] || IDLE=$(( ($(ulimit -n) - 1000) / 2 ))
BULK_MB=${BENCH_BULK_MB:-2000}
cc -O2 -o "$T_TMP/idle" "$T_TOP/tests/bench/hashproxy-idle.c" || exit 1
cc -O2 -o "$T_TMP/bulk" "$T_TOP/tests/bench/hashproxy-bulk.c" || exit 1

sp=$(free_port); php=$(free_port); pha=$(free_port)
hp_backend localhost 127.0.0.11 "$sp"
hp_backend maas-api-1 127.0.0.12 "$sp"
hp_backend maas-api-2 127.0.0.13 "$sp"
hp_seed "$T_TMP/hp.cfg" "$php" "$sp" "timeout connect 5s" "timeout client 1m"
hp_seed "$T_TMP/ha.cfg" "$pha" "$sp" "timeout connect 5s" "timeout client 1m"
# bulk: a server that sends BULK_MB to each connection, behind both, and
# a client that reads it, both in 256 kB calls: with socat's 8 kB reads
# and the test backend's 16 kB writes the ends took three times the
# proxy's CPU per byte, and the figure was theirs
"$T_TMP/bulk" serve 127.0.0.21 "$sp" "$((BULK_MB * 1000000))" >/dev/null 2>&1 &
cleanup_push "kill $!"
wait_for 5 _hp_port_open 127.0.0.21 "$sp"
bh=$(free_port); ba=$(free_port)
for f in hp ha; do
	p=$bh; [ $f = ha ] && p=$ba
	printf 'frontend bulk\n    bind 127.0.0.1:%s\n    default_backend bulk\n%s\n%s\n' \
	    "$p" "backend bulk" "    server big 127.0.0.21:$sp" >>"$T_TMP/$f.cfg"
done

"$HP" -f "$T_TMP/hp.cfg" --maxconn 40000 --control "$T_TMP/hp.sock" >/dev/null 2>&1 &
HP_PID=$!
cleanup_push "kill $HP_PID"
ha_start "$T_TMP/ha.cfg" || { cat "$T_TMP/ha.log"; exit 1; }
# both use one thread per CPU by default: also measure each on one thread
ph1=$(free_port)
hp_seed "$T_TMP/ha1.cfg" "$ph1" "$sp" "timeout connect 5s" "timeout client 1m"
sed -i '1i global\n    nbthread 1\n' "$T_TMP/ha1.cfg"
haproxy -f "$T_TMP/ha1.cfg" -db >>"$T_TMP/ha1.log" 2>&1 &
HA1_PID=$!
cleanup_push "kill $HA1_PID"
# and hashproxy on one thread (its default, as haproxy's, is one per CPU)
ph2=$(free_port)
hp_seed "$T_TMP/hp2.cfg" "$ph2" "$sp" "timeout connect 5s" "timeout client 1m"
"$HP" -f "$T_TMP/hp2.cfg" --maxconn 40000 --threads 1 >/dev/null 2>&1 &
HP2_PID=$!
cleanup_push "kill $HP2_PID"
for p in "$php" "$ph1" "$ph2"; do wait_for 10 _hp_port_open 127.0.0.1 "$p"; done

# wrk: requests/s, p99 latency (ms), and the proxy's CPU time (user +
# system, all threads) per request in us: on a shared machine the rates
# move with the neighbours, CPU per request much less
cputicks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
# TCP segments sent in this network namespace (client, proxy and server
# sides alike: all on loopback): the packets a request costs the kernel
tcpsegs() { awk '/^Tcp:/ { if (h) { for (i = 1; i <= NF; i++)
	if (k[i] == "OutSegs") print $i } else { for (i = 1; i <= NF; i++)
	k[i] = $i; h = 1 } }' /proc/net/snmp; }
wrkrun() {	# PORT PID [HEADER] -> req/s, p99 ms, CPU us/req, segments/req
	local t0 t1 s0 s1
	t0=$(cputicks "$2"); s0=$(tcpsegs)
	wrk -t2 -c50 -d"${DUR}s" --latency ${3:+-H "$3"} "http://127.0.0.1:$1/" 2>/dev/null >"$T_TMP/wrk.out"
	t1=$(cputicks "$2"); s1=$(tcpsegs)
	awk -v ticks=$((t1 - t0)) -v hz="$(getconf CLK_TCK)" -v segs=$((s1 - s0)) '
		/requests in/ { n = $1 } /Requests\/sec/ { r = $2 } / 99%/ { l = $2 }
		END { if (l ~ /us$/) { sub(/us/, "", l); l /= 1000 }
		      else if (l ~ /ms$/) sub(/ms/, "", l)
		      else if (l ~ /s$/) { sub(/s/, "", l); l *= 1000 }
		      printf "%d %.2f %.1f %.2f\n", r, l, n ? ticks * 1e6 / hz / n : 0,
		          n ? segs / n : 0 }' "$T_TMP/wrk.out"
}
rss() { awk '/^VmRSS/ { print $2 }' "/proc/$1/status"; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "-" }'; }
median() { tr ' ' '\n' | grep -v '^$' | sort -g | awk '{ v[NR] = $1 }
	END { if (NR == 0) print "-"; else if (NR % 2) print v[(NR + 1) / 2];
	      else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

# bulk: one connection, BULK_MB read to the end: MB/s, and the proxy's
# CPU ms (user + system, all threads) per GB, steadier than the rate on a
# shared machine
bulkrun() {	# PORT PID -> MB/s, CPU ms/GB
	local t0 t1 r
	t0=$(cputicks "$2")
	r=$("$T_TMP/bulk" get 127.0.0.1 "$1" | awk '{ print $2 }')
	t1=$(cputicks "$2")
	awk -v r="$r" -v mb="$BULK_MB" -v ticks=$((t1 - t0)) \
	    -v hz="$(getconf CLK_TCK)" 'BEGIN { printf "%d %d\n", r,
	    ticks * 1e3 / hz / (mb / 1000) }'
}

declare -A F	# figure name -> values of the runs, space separated
add() { F[$1]="${F[$1]} $2"; }
# BENCH_ONLY=idle: the memory figure alone
WREPS=$REPS; [ "${BENCH_ONLY:-}" = idle ] && WREPS=0
# one run of each side; which side goes first alternates from run to run,
# so neither always meets the machine warmer (or busier) than the other
hp_run() {
	[ "${BENCH_ONLY:-}" = bulk ] || hp_wrk
	read -r a u < <(bulkrun "$bh" "$HP_PID"); add bmh "$a"; add buh "$u"
}
ha_run() {
	[ "${BENCH_ONLY:-}" = bulk ] || ha_wrk
	read -r a u < <(bulkrun "$ba" "$HA_PID"); add bma "$a"; add bua "$u"
}
hp_wrk() {
	read -r a b u g < <(wrkrun "$php" "$HP_PID")
	add kh "$a"; add lh "$b"; add uh "$u"; add gh "$g"
	read -r a b u g < <(wrkrun "$php" "$HP_PID" "Connection: close")
	add ch "$a"; add lch "$b"; add uch "$u"; add gch "$g"
	read -r a b u _ < <(wrkrun "$ph2" "$HP2_PID"); add k2 "$a"; add u2 "$u"
	read -r a b u _ < <(wrkrun "$ph2" "$HP2_PID" "Connection: close"); add c2 "$a"; add uc2 "$u"
}
ha_wrk() {
	read -r a b u g < <(wrkrun "$pha" "$HA_PID")
	add ka "$a"; add la "$b"; add ua "$u"; add ga "$g"
	read -r a b u g < <(wrkrun "$pha" "$HA_PID" "Connection: close")
	add ca "$a"; add lca "$b"; add uca "$u"; add gca "$g"
	read -r a b u _ < <(wrkrun "$ph1" "$HA1_PID"); add k1 "$a"; add u1 "$u"
	read -r a b u _ < <(wrkrun "$ph1" "$HA1_PID" "Connection: close"); add c1 "$a"; add uc1 "$u"
}
for ((r = 0; r < WREPS; r++)); do
	if ((r % 2 == 0)); then hp_run; ha_run; else ha_run; hp_run; fi
done

# Idle memory: a fresh process per run, RSS once all IDLE client
# connections and their server connections are established, minus RSS
# before.  Only the seed's frontend, so both hold the same objects.
_established() { ss -Htn state established "( dport = :$sp )" | wc -l; }
idle_rss() {	# PORT PID -> kB per 10,000 connections
	local before after n
	# no connection of the previous run left, health checks done
	wait_for 30 sh -c "[ \$(ss -Htn state established '( dport = :$sp )' | wc -l) -lt 10 ]" >&2
	before=$(rss "$2")
	coproc IDLEC { "$T_TMP/idle" 127.0.0.1 "$1" "$IDLE"; }
	read -r _ _ <&"${IDLEC[0]}"
	wait_for 30 sh -c "[ \$(ss -Htn state established '( dport = :$sp )' | wc -l) -ge $IDLE ]" >&2
	after=$(rss "$2")
	# scale by the connections really open, should fewer have made it
	n=$(_established)
	eval "exec ${IDLEC[1]}>&-"
	wait "$IDLEC_PID" 2>/dev/null
	if [ "$n" -gt 0 ]; then echo $(( (after - before) * 10000 / n )); else echo -; fi
}
ip=$(free_port)
hp_seed "$T_TMP/idle.cfg" "$ip" "$sp" "timeout connect 5s" "timeout client 1m"
fresh() {	# hp|ha -> kB per 10,000 idle connections in a new process
	local pid m
	if [ "$1" = hp ]; then
		"$HP" -f "$T_TMP/idle.cfg" --maxconn 40000 >/dev/null 2>&1 &
	else
		# its maxconn follows the descriptor limit, as before
		haproxy -f "$T_TMP/idle.cfg" -db >/dev/null 2>&1 &
	fi
	pid=$!
	# (wait_for's diagnostics to stderr: stdout is the figure)
	wait_for 10 _hp_port_open 127.0.0.1 "$ip" >&2
	m=$(idle_rss "$ip" "$pid")
	kill "$pid"; wait "$pid" 2>/dev/null
	echo "$m"
}
[ "${BENCH_ONLY:-}" = bulk ] && IREPS=0
for ((r = 0; r < IREPS; r++)); do
	add mh "$(fresh hp)"
	add ma "$(fresh ha)"
done

# spread and moved fraction over 100,000 random sources, by hashproxy's
# lookup model (both of its hash types)
awk 'BEGIN { srand(7); for (i = 0; i < 100000; i++)
	printf "%d.%d.%d.%d\n", 1 + int(rand() * 223), int(rand() * 256),
	    int(rand() * 256), 1 + int(rand() * 254) }' >"$T_TMP/src"
spread() {	# HASH -> "max/mean moved-fraction moved-of-survivors"
	"$HP" -f "$T_TMP/hp.cfg" --hash "$1" --lookup - <"$T_TMP/src" 2>/dev/null >"$T_TMP/a.$1"
	"$HP" -f "$T_TMP/hp.cfg" --hash "$1" --lookup - --down maas-api-1 <"$T_TMP/src" 2>/dev/null >"$T_TMP/b.$1"
	paste "$T_TMP/a.$1" "$T_TMP/b.$1" | awk '
		{ n[$2]++; t++ } $2 != $4 { moved++; if ($2 != "maas-api-1") bad++ }
		END { for (s in n) if (n[s] > max) max = n[s];
		      printf "%.3f %.3f %d\n", max / (t / 3), moved / t, bad }'
}
read -r sc mc bc < <(spread consistent)
read -r sr mr br < <(spread rendezvous)

# and measured on the real proxies: BENCH_SPREAD_N client addresses in
# 127/8 connect through each; the sessions per server come from each
# proxy's own stats socket ("show stat" stot, before and after), the
# moved clients from the backend that answered, before and after
# "disable server maas/maas-api-1" on that socket.
SN=${BENCH_SPREAD_N:-3000}
mapfile -t SRCS < <(hp_sources "$SN")
stot() {	# SOCKET -> "server stot" for backend maas
	ctl "$1" "show stat" | awk -F, '$1 == "maas" && $2 != "BACKEND" &&
	    $2 != "FRONTEND" { print $2, $8 }' | sort
}
real_spread() {	# SOCKET PORT -> "max/mean moved-fraction moved-of-survivors"
	stot "$1" >"$T_TMP/st0"
	map_of "$2" "${SRCS[@]}" >"$T_TMP/m0"
	stot "$1" >"$T_TMP/st1"
	ctl "$1" "disable server maas/maas-api-1" >/dev/null
	map_of "$2" "${SRCS[@]}" >"$T_TMP/m1"
	ctl "$1" "enable server maas/maas-api-1" >/dev/null
	join "$T_TMP/st0" "$T_TMP/st1" | awk '{ d = $3 - $2; t += d;
	    if (d > max) max = d; n++ } END { printf "%.3f ", n && t ? max / (t / n) : 0 }'
	paste -d' ' "$T_TMP/m0" "$T_TMP/m1" | awk '$2 != "" && $4 != "" {
	    t++; if ($2 != $4) { moved++; if ($2 != "maas-api-1") bad++ } }
	    END { printf "%.3f %d\n", t ? moved / t : 0, bad }'
}
read -r rsa rma rba < <(real_spread "$T_TMP/ha.sock" "$pha")
read -r rsh rmh rbh < <(real_spread "$T_TMP/hp.sock" "$php")

m() { echo "${F[$1]}" | median; }
# the median of each run's own ratio: the two sides of a run are measured
# one after the other, so a neighbour's load that comes and goes between
# runs (here: +-20%) moves both alike and cancels out
pairs() {	# HP-KEY HA-KEY
	local -a a=(${F[$1]}) b=(${F[$2]})
	local i
	[ "${#a[@]}" = "${#b[@]}" ] || return 1
	for ((i = 0; i < ${#a[@]}; i++)); do ratio "${a[i]}" "${b[i]}"; echo; done | median
}
row() {	# LABEL HP-KEY HA-KEY
	local a b r
	a=$(m "$2"); b=$(m "$3")
	r=$(pairs "$2" "$3") || r=$(ratio "$a" "$b")
	printf '%-40s %10s %10s %6s   %s | %s\n' "$1" "$a" "$b" "$r" \
	    "${F[$2]# }" "${F[$3]# }"
}
printf '%s runs of %ss each: medians, and the median of the runs'"'"' ratios; the last\ncolumn lists every run (hashproxy | haproxy)\n' "$REPS" "$DUR"
printf '%-40s %10s %10s %6s   %s\n' "figure" "hashproxy" "haproxy" "ratio" "runs"
row "keep-alive requests/s (wrk -c50)" kh ka
row "keep-alive p99 latency ms" lh la
row "new connections/s (Connection: close)" ch ca
row "new-connection p99 latency ms" lch lca
row "keep-alive CPU us per request" uh ua
row "new-connection CPU us per request" uch uca
row "TCP segments per keep-alive request" gh ga
row "TCP segments per new connection" gch gca
printf '%s\n' "-- like for like, one thread each (hashproxy --threads 1, haproxy nbthread 1):"
row "keep-alive requests/s, 1 thread each" k2 k1
row "new connections/s, 1 thread each" c2 c1
row "keep-alive CPU us/req, 1 thread each" u2 u1
row "new-conn CPU us/req, 1 thread each" uc2 uc1
printf '%s\n' "-- mixed thread counts (for scale only, not a like-for-like ratio):"
row "keep-alive req/s, hp per-CPU vs ha 1" kh k1
row "new conn/s, hp per-CPU vs ha 1" ch c1
row "keep-alive req/s, hp 1 vs ha per-CPU" k2 ka
row "new conn/s, hp 1 vs ha per-CPU" c2 ca
printf '%s\n' "-- other figures, both sides on their defaults (one thread per CPU):"
row "bulk MB/s (one connection, ${BULK_MB} MB)" bmh bma
row "bulk CPU ms per GB" buh bua
row "RSS kB per 10,000 idle (fresh process)" mh ma
printf '%s\n' "-- hash spread, measured through each proxy ($SN clients; sessions per server from its stats socket):"
printf '%-40s %10s %10s %6s\n' "max/mean sessions per server (3)" "$rsh" "$rsa" "$(ratio "$rsh" "$rsa")"
printf '%-40s %10s %10s %6s\n' "moved fraction, maas-api-1 disabled" "$rmh" "$rma" "-"
printf '%-40s %10s %10s %6s\n' "survivors' clients moved" "$rbh" "$rba" "-"
printf '%s\n' "-- hashproxy's lookup model alone, 100,000 sources (no haproxy figure):"
printf '%-40s %10s %10s\n' "max/mean share (3 servers)" "$sc (ring)" "$sr (hrw)"
printf '%-40s %10s %10s\n' "moved fraction, 1 of 3 dies" "$mc (ring)" "$mr (hrw)"
printf '%-40s %10s %10s\n' "survivors' clients moved" "$bc (ring)" "$br (hrw)"
