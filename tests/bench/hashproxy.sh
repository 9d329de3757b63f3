#!/bin/bash
# hashproxy against haproxy 2.6, same run, same config and backends:
# keep-alive requests/s, new connections/s, p99 latency, bulk transfer
# MB/s, RSS per 10,000 idle connections, and the hash spread / moved fraction when one of three
# servers dies (haproxy's ring = hashproxy's consistent, checked by
# tests/hashproxy/compat.t).
. "$(dirname "$0")/../lib/tap.sh" >/dev/null
. "$T_TOP/tests/hashproxy/hp.sh"
command -v wrk >/dev/null || { echo "wrk missing"; exit 0; }
# 10,000 idle connections through a proxy take 20,000 descriptors in the
# proxy alone: raise the limit (root may raise the hard one), else make do
ulimit -Hn 65536 2>/dev/null; ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"

DUR=${BENCH_SECONDS:-5}
IDLE=${BENCH_IDLE:-10000}
[ "$(ulimit -n)" -ge $((IDLE * 2 + 100)) ] || IDLE=$(( ($(ulimit -n) - 100) / 2 ))
BULK_MB=${BENCH_BULK_MB:-2000}
cc -O2 -o "$T_TMP/idle" "$T_TOP/tests/bench/hashproxy-idle.c" || exit 1

sp=$(free_port); php=$(free_port); pha=$(free_port)
hp_backend localhost 127.0.0.11 "$sp"
hp_backend maas-api-1 127.0.0.12 "$sp"
hp_backend maas-api-2 127.0.0.13 "$sp"
hp_seed "$T_TMP/hp.cfg" "$php" "$sp" "timeout connect 5s" "timeout client 1m"
hp_seed "$T_TMP/ha.cfg" "$pha" "$sp" "timeout connect 5s" "timeout client 1m"
# bulk: a server that sends BULK_MB to each connection, behind both
"$HP_BACKEND" "bulk:$((BULK_MB * 1000000))" 127.0.0.21 "$sp" >/dev/null 2>&1 &
cleanup_push "kill $!"
wait_for 5 _hp_port_open 127.0.0.21 "$sp"
bh=$(free_port); ba=$(free_port)
for f in hp ha; do
	p=$bh; [ $f = ha ] && p=$ba
	printf 'frontend bulk\n    bind 127.0.0.1:%s\n    default_backend bulk\n%s\n%s\n' \
	    "$p" "backend bulk" "    server big 127.0.0.21:$sp" >>"$T_TMP/$f.cfg"
done

hp_start "$T_TMP/hp.cfg" --maxconn 40000
ha_start "$T_TMP/ha.cfg" || { cat "$T_TMP/ha.log"; exit 1; }
# haproxy uses both cores by default; hashproxy is one thread: also
# measure haproxy on one thread
ph1=$(free_port)
hp_seed "$T_TMP/ha1.cfg" "$ph1" "$sp" "timeout connect 5s" "timeout client 1m"
sed -i '1i global\n    nbthread 1\n' "$T_TMP/ha1.cfg"
haproxy -f "$T_TMP/ha1.cfg" -db >>"$T_TMP/ha1.log" 2>&1 &
cleanup_push "kill $!"
wait_for 10 _hp_port_open 127.0.0.1 "$ph1"

# wrk: requests/s and p99 latency (ms)
wrkrun() {	# PORT [HEADER]
	wrk -t2 -c50 -d"${DUR}s" --latency ${2:+-H "$2"} "http://127.0.0.1:$1/" 2>/dev/null |
	    awk '/Requests\/sec/ { r = $2 } / 99%/ { l = $2 }
		END { if (l ~ /us$/) { sub(/us/, "", l); l /= 1000 }
		      else if (l ~ /ms$/) sub(/ms/, "", l)
		      else if (l ~ /s$/) { sub(/s/, "", l); l *= 1000 }
		      printf "%d %.2f\n", r, l }'
}
rss() { awk '/^VmRSS/ { print $2 }' "/proc/$1/status"; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "-" }'; }

read -r kh lh < <(wrkrun "$php")
read -r ka la < <(wrkrun "$pha")
read -r ch lch < <(wrkrun "$php" "Connection: close")
read -r ca lca < <(wrkrun "$pha" "Connection: close")
read -r k1 l1 < <(wrkrun "$ph1")
read -r c1 lc1 < <(wrkrun "$ph1" "Connection: close")

# bulk MB/s: one connection, BULK_MB read to the end
bulkrun() {	# PORT
	local t0 t1
	t0=$(date +%s%N)
	socat -u "TCP:127.0.0.1:$1" - >/dev/null
	t1=$(date +%s%N)
	awk -v mb="$BULK_MB" -v ns=$((t1 - t0)) 'BEGIN { printf "%d", mb / (ns / 1e9) }'
}
read -r bmh < <(bulkrun "$bh")
read -r bma < <(bulkrun "$ba")

idle_rss() {	# PORT PID -> kB per IDLE connections
	local before after
	before=$(rss "$2")
	coproc IDLEC { "$T_TMP/idle" 127.0.0.1 "$1" "$IDLE"; }
	read -r _ _ <&"${IDLEC[0]}"
	wait_for 30 sh -c "[ \$(ss -Htn state established '( dport = :$sp )' | wc -l) -ge $IDLE ]" >&2
	after=$(rss "$2")
	# scale by the connections really open, should fewer have made it
	n=$(ss -Htn state established "( dport = :$sp )" | wc -l)
	eval "exec ${IDLEC[1]}>&-"
	wait "$IDLEC_PID" 2>/dev/null
	if [ "$n" -gt 0 ]; then echo $(( (after - before) * 10000 / n )); else echo -; fi
}
mh=$(idle_rss "$php" "$HP_PID")
wait_for 30 sh -c "[ \$(ss -Htn state established '( dport = :$sp )' | wc -l) -lt 100 ]"
ma=$(idle_rss "$pha" "$HA_PID")

# spread and moved fraction over 100,000 random sources
awk 'BEGIN { srand(7); for (i = 0; i < 100000; i++)
	printf "%d.%d.%d.%d\n", 1 + int(rand() * 223), int(rand() * 256),
	    int(rand() * 256), 1 + int(rand() * 254) }' >"$T_TMP/src"
spread() {	# HASH -> "max/mean moved-fraction moved-of-survivors"
	hashproxy -f "$T_TMP/hp.cfg" --hash "$1" --lookup - <"$T_TMP/src" 2>/dev/null >"$T_TMP/a.$1"
	hashproxy -f "$T_TMP/hp.cfg" --hash "$1" --lookup - --down maas-api-1 <"$T_TMP/src" 2>/dev/null >"$T_TMP/b.$1"
	paste "$T_TMP/a.$1" "$T_TMP/b.$1" | awk '
		{ n[$2]++; t++ } $2 != $4 { moved++; if ($2 != "maas-api-1") bad++ }
		END { for (s in n) if (n[s] > max) max = n[s];
		      printf "%.3f %.3f %d\n", max / (t / 3), moved / t, bad }'
}
read -r sc mc bc < <(spread consistent)
read -r sr mr br < <(spread rendezvous)

printf '%-36s %12s %12s %8s\n' "figure" "hashproxy" "haproxy" "ratio"
printf '%-36s %12s %12s %8s\n' "keep-alive requests/s (wrk -c50)" "$kh" "$ka" "$(ratio "$kh" "$ka")"
printf '%-36s %12s %12s %8s\n' "keep-alive p99 latency ms" "$lh" "$la" "$(ratio "$lh" "$la")"
printf '%-36s %12s %12s %8s\n' "new connections/s (Connection: close)" "$ch" "$ca" "$(ratio "$ch" "$ca")"
printf '%-36s %12s %12s %8s\n' "new-connection p99 latency ms" "$lch" "$lca" "$(ratio "$lch" "$lca")"
printf '%-36s %12s %12s %8s\n' "keep-alive req/s, haproxy nbthread 1" "$kh" "$k1" "$(ratio "$kh" "$k1")"
printf '%-36s %12s %12s %8s\n' "new conn/s, haproxy nbthread 1" "$ch" "$c1" "$(ratio "$ch" "$c1")"
printf '%-36s %12s %12s %8s\n' "bulk MB/s (one connection, ${BULK_MB} MB)" "$bmh" "$bma" "$(ratio "$bmh" "$bma")"
printf '%-36s %12s %12s %8s\n' "RSS kB per 10,000 idle (from $IDLE)" "$mh" "$ma" "$(ratio "$mh" "$ma")"
printf '%-36s %12s %12s %8s\n' "hash max/mean share (3 servers)" "$sr (hrw)" "$sc" "$(ratio "$sr" "$sc")"
printf '%-36s %12s %12s %8s\n' "moved fraction, 1 of 3 dies" "$mr (hrw)" "$mc" "-"
printf '%-36s %12s %12s %8s\n' "survivors' clients moved" "$br (hrw)" "$bc" "-"
