#!/bin/bash
# SPDX-License-Identifier: ISC
# slowstart, beside a real haproxy 2.6: a server that comes back UP after
# a check failure gets its weight step by step, from 1/16 to all of it
# over the slowstart time, so its share of new connections starts well
# below its fair share and reaches it once the time is over.  Both
# proxies run against the same servers, which fail and recover once.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/hp.sh"

SS=10	# slowstart, seconds
sp=$(free_port); php=$(free_port); pha=$(free_port)
hp_backend a 127.0.0.11 "$sp"
hp_backend b 127.0.0.12 "$sp"
for f in hp ha; do
	p=$php; [ $f = ha ] && p=$pha
	cat >"$T_TMP/$f.cfg" <<EOC
defaults
    mode tcp
    timeout connect 5s
    timeout client 10s
    timeout server 10s

listen rr
    bind 127.0.0.1:$p
    balance roundrobin
    default-server check inter 100ms rise 1 fall 1 weight 16 slowstart ${SS}s
    server a 127.0.0.11:$sp
    server b 127.0.0.12:$sp
EOC
done
ok "hashproxy accepts slowstart" hp_start "$T_TMP/hp.cfg"
ok "haproxy runs the same config" ha_start "$T_TMP/ha.cfg"

# srv SOCK FIELD: b's status or weight in show stat
srv() { ctl "$1" "show stat" | awk -F, -v f="$2" 'NR == 1 { sub(/^# /, ""); for (i = 1; i <= NF; i++) if ($i == f) n = i; next }
	$1 == "rr" && $2 == "b" { print $n }'; }
both_are() { [ "$(srv "$T_TMP/hp.sock" "$1")" = "$2" ] && [ "$(srv "$T_TMP/ha.sock" "$1")" = "$2" ]; }
ok "b is UP for both at start, weight 16 (no slowstart at start-up)" \
    wait_for 10 eval 'both_are status UP && both_are weight 16'

hp_backend_kill b
ok "b is DOWN for both" wait_for 10 both_are status DOWN
hp_backend b 127.0.0.12 "$sp"
ok "b is UP again for both" wait_for 10 both_are status UP
# at once: 60 connections each, one after the other
load "$php" "$T_TMP/hp.early" 60 127.0.0.1 & l1=$!
load "$pha" "$T_TMP/ha.early" 60 127.0.0.1 & l2=$!
w_hp=$(srv "$T_TMP/hp.sock" weight); w_ha=$(srv "$T_TMP/ha.sock" weight)
wait "$l1" "$l2"
ok "right after: b's weight in show stat is low (hashproxy $w_hp, haproxy $w_ha, of 16)" \
    test "$w_hp" -le 8 -a "$w_ha" -le 8
for f in ha hp; do
	n=$(grep -c '^b$' "$T_TMP/$f.early")
	ok "$f: b gets $n of the first 60 connections, well below half (at most 18)" \
	    test "$n" -le 18 -a "$(grep -c '^[ab]$' "$T_TMP/$f.early")" = 60
done
ok "after slowstart (${SS}s) b has its full weight again for both" \
    wait_for $((SS + 10)) both_are weight 16
load "$php" "$T_TMP/hp.late" 60 127.0.0.1
load "$pha" "$T_TMP/ha.late" 60 127.0.0.1
for f in ha hp; do
	n=$(grep -c '^b$' "$T_TMP/$f.late")
	ok "$f: then b gets its fair share: $n of 60 (24..36)" test "$n" -ge 24 -a "$n" -le 36
done
done_testing
