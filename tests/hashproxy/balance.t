#!/bin/bash
# SPDX-License-Identifier: ISC
# hash-balance-factor (bounded loads): clients that all hash to one server
# are spread so that, at every new connection, no server holds more than
# factor% of its share of the live connections; hashproxy places each of
# them exactly where a real haproxy 2.6 with the same config does.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/hp.sh"

F=150	# the factor, in percent
sp=$(free_port); php=$(free_port); pha=$(free_port); plain=$(free_port)
hp_backend localhost 127.0.0.11 "$sp"
hp_backend maas-api-1 127.0.0.12 "$sp"
hp_backend maas-api-2 127.0.0.13 "$sp"
for f in hp ha; do
	p=$php; [ $f = ha ] && p=$pha
	hp_seed "$T_TMP/$f.cfg" "$p" "$sp" "timeout connect 5s" "timeout client 1m"
	sed -i "s/hash-type consistent/&\n    hash-balance-factor $F/" "$T_TMP/$f.cfg"
done
# the same servers without the factor, for contrast
cat >>"$T_TMP/hp.cfg" <<EOC

frontend plain
    bind 127.0.0.1:$plain
    default_backend plain
backend plain
    balance source
    hash-type consistent
    server localhost 127.0.0.11:$sp
    server maas-api-1 127.0.0.12:$sp
    server maas-api-2 127.0.0.13:$sp
EOC
ok "hashproxy accepts hash-balance-factor $F" hp_start "$T_TMP/hp.cfg"
ok "haproxy runs the same config" ha_start "$T_TMP/ha.cfg"

# 24 sources that all hash to maas-api-1 when nothing is connected
hp_sources 400 | hashproxy -f "$T_TMP/hp.cfg" --lookup - 2>/dev/null |
    awk '$2 == "maas-api-1" { print $1 }' | head -24 >"$T_TMP/src"
is "$(wc -l <"$T_TMP/src")" 24 "24 sources hash to maas-api-1"

# hold: PORT OUT -- connections from every source, held until the fifo
# HOLD_FD writes to is closed (by release, or when the test exits)
hold() {
	mkfifo "$T_TMP/hold.$1"
	"$HP_CLIENT" -H 127.0.0.1 "$1" "$T_TMP/src" >"$2" <"$T_TMP/hold.$1" &
	exec {HOLD_FD}>"$T_TMP/hold.$1"
	wait_file_line 30 "$2" '^done$'
}
release() { exec {HOLD_FD}>&-; }
ok "without the factor: 24 held connections" hold "$plain" "$T_TMP/plain"
is "$(grep -c ' maas-api-1$' "$T_TMP/plain")" 24 \
    "without the factor all 24 land on maas-api-1"
release

ok "with factor $F: 24 held connections" hold "$php" "$T_TMP/hp"
is "$(grep -c ' \(localhost\|maas-api-[12]\)$' "$T_TMP/hp")" 24 \
    "every connection answered"
# After the k-th connection each of the 3 servers holds at most
# ceil(ceil(k * F / 100) / 3): F% of the mean, rounded up.
over=$(awk -v f=$F '$0 != "done" { k++; n[$2]++
	lim = int((int((k * f + 99) / 100) + 2) / 3)
	for (s in n) if (n[s] > lim) { printf "%d:%s=%d>%d ", k, s, n[s], lim } }' "$T_TMP/hp")
is "$over" "" "at every step no server above $F% of the mean"
max=$(cut -d' ' -f2 "$T_TMP/hp" | grep -v done | sort | uniq -c | sort -rn | awk 'NR == 1 { print $1 }')
ok "maas-api-1 keeps its first clients, the rest spill over (max $max of 24)" \
    test "$max" -le 12 -a "$(cut -d' ' -f2 "$T_TMP/hp" | sort -u | grep -vc done)" = 3
is "$(head -1 "$T_TMP/hp")" "$(head -1 "$T_TMP/src") maas-api-1" \
    "the first client goes where its hash says"
like "$(ctl "$T_TMP/hp.sock" "show stat")" '^maas,BACKEND,0,0,24,' \
    "show stat: 24 live connections in the backend"

ok "haproxy: 24 held connections" hold "$pha" "$T_TMP/ha"
is "$(diff "$T_TMP/ha" "$T_TMP/hp")" "" \
    "every connection on the same server as haproxy 2.6"
done_testing
