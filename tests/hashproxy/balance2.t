#!/bin/bash
# SPDX-License-Identifier: ISC
# balance first and balance random, each beside a real haproxy 2.6 with
# the same config: first fills the servers in id order up to their
# maxconn, then the next client waits for any slot; random(2) spreads
# held connections over four servers as evenly as haproxy's does.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/hp.sh"

LB=$T_TOP/tests/hashproxy/lbclients.py
sp=$(free_port)
for n in 1 2 3 4; do hp_backend s$n 127.0.0.1$n "$sp"; done
declare -A P
for f in hp ha; do
	P[$f.first]=$(free_port); P[$f.rnd]=$(free_port)
	cat >"$T_TMP/$f.cfg" <<EOC
defaults
    mode tcp
    timeout connect 5s
    timeout client 1m
    timeout server 1m
    timeout queue 10s

listen first
    bind 127.0.0.1:${P[$f.first]}
    balance first
    server s3 127.0.0.13:$sp maxconn 2 id 3
    server s1 127.0.0.11:$sp maxconn 2 id 1
    server s2 127.0.0.12:$sp maxconn 2 id 2

listen rnd
    bind 127.0.0.1:${P[$f.rnd]}
    balance random
    server s1 127.0.0.11:$sp
    server s2 127.0.0.12:$sp
    server s3 127.0.0.13:$sp
    server s4 127.0.0.14:$sp
EOC
done
ok "hashproxy accepts balance first and random" hp_start "$T_TMP/hp.cfg"
ok "haproxy runs the same config" ha_start "$T_TMP/ha.cfg"

# first: six held clients fill s1, s2, s3 (by id, not by line) two each;
# the seventh waits without a byte until one leaves, then gets its slot
for f in hp ha; do
	python3 "$LB" "${P[$f.first]}" open:7 close:3 wait:7:5 >"$T_TMP/$f.first"
done
want=$'1 s1\n2 s1\n3 s2\n4 s2\n5 s3\n6 s3\n7 wait\n7 s2'
is "$(cat "$T_TMP/ha.first")" "$want" "haproxy: first fills s1, s2, s3 in id order; the 7th waits, then takes the freed slot"
is "$(cat "$T_TMP/hp.first")" "$want" "hashproxy: the same, client for client"

# random(2): 1000 held connections over 4 servers; each proxy's counts
N=1000
for f in hp ha; do
	python3 "$LB" "${P[$f.rnd]}" "open:$N" count | grep ^count >"$T_TMP/$f.rnd"
done
diag "haproxy: $(tr '\n' ' ' <"$T_TMP/ha.rnd")"
diag "hashproxy: $(tr '\n' ' ' <"$T_TMP/hp.rnd")"
spread() { awk '{ n++; s += $3; if (min == "" || $3 < min) min = $3; if ($3 > max) max = $3 }
	END { print (n == 4 && s == '$N') ? max - min : "bad" }' "$1"; }
ha=$(spread "$T_TMP/ha.rnd"); hp=$(spread "$T_TMP/hp.rnd")
ok "haproxy: all $N answered by the 4 servers, max-min $ha" test "$ha" != bad
ok "hashproxy: all $N answered by the 4 servers, max-min $hp" test "$hp" != bad
# two draws by load keep held connections within a few of the mean
ok "hashproxy spreads as evenly as haproxy (max-min $hp, haproxy $ha, bound max(2 x haproxy, 10))" \
    test "$hp" -le $(( 2 * ha > 10 ? 2 * ha : 10 ))
# haproxy names no random algorithm (its backend_lb_algo_str())
algo() {
	ctl "$1" "show stat" | awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == "algo") c = i }
	    $1 == "rnd" && $2 == "BACKEND" { print $c }'
}
is "$(algo "$T_TMP/hp.sock")" "$(algo "$T_TMP/ha.sock")" "show stat: algo of balance random, haproxy's"
is "$(algo "$T_TMP/ha.sock")" unknown "haproxy 2.6 says unknown"
done_testing
