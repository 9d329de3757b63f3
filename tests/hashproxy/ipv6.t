#!/bin/bash
# SPDX-License-Identifier: ISC
# IPv6 end to end, in a network namespace of its own (2001:db8::/32 on
# its lo): clients from 48 IPv6 source addresses, an IPv6 bind, IPv6
# servers.  hashproxy sends every source to the same server as a real
# haproxy 2.6 (the address's four 32-bit words XORed, then the ring),
# before and after a server dies, and shows IPv6 addresses in its stats.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/hp.sh"
. "$T_TOP/tests/lib/netns.sh"
needs_root

ns_switch v6 || skip_all "cannot make a network namespace"
N=48
# sources spread over all four words of the address
awk -v n=$N 'BEGIN { for (i = 1; i <= n; i++)
	printf "2001:db8:%x:%x:%x:%x:%x:%x\n", (i * 7919) % 65536,
	    (i * 104729) % 65536, (i * 1299709) % 65536, (i * 15485863) % 65536,
	    (i * 32452843) % 65536, i + 256 }' >"$T_TMP/src"
{
	for a in 2001:db8::1/64 2001:db8::11/128 2001:db8::12/128 2001:db8::13/128; do
		echo "addr add $a dev lo nodad"
	done
	sed 's|.*|addr add &/128 dev lo nodad|' "$T_TMP/src"
} >"$T_TMP/addrs"
ok "$N IPv6 client addresses on the namespace's lo" ns_run v6 ip -batch "$T_TMP/addrs"

sp=$(free_port); php=$(free_port); pha=$(free_port)
declare -A B6
for s in 1 2 3; do
	# not through ns_run (a function): $! must be the backend itself
	ip netns exec "$NS_v6" "$HP_BACKEND" "api-$s" "2001:db8::1$s" "$sp" >/dev/null 2>&1 &
	B6[$s]=$!
done
_up6() { ns_run v6 "$HP_CLIENT" 2001:db8::1$1 "$sp" <(echo 2001:db8::1) | grep -q " api-$1$"; }
_up6all() { _up6 1 && _up6 2 && _up6 3; }
ok "three IPv6 backends answer" wait_for 5 _up6all

cfg() {	# FILE PORT
	cat >"$1" <<EOC
defaults
    timeout connect 2s
    timeout client 1m
    timeout server 1m
    default-server inter 300ms
frontend api
    bind [2001:db8::1]:$2
    default_backend api
backend api
    balance source
    hash-type consistent
    server api-1 [2001:db8::11]:$sp check
    server api-2 [2001:db8::12]:$sp check
    server api-3 2001:db8::13:$sp check
EOC
}
cfg "$T_TMP/hp.cfg" "$php"
cfg "$T_TMP/ha.cfg" "$pha"
sed -i "1i global\n    stats socket $T_TMP/ha.sock mode 600 level admin\n" "$T_TMP/ha.cfg"
ns_run v6 "$HP_BIN" -f "$T_TMP/hp.cfg" --control "$T_TMP/hp.sock" --ready-fd 3 \
    "${HP_THREADARGS[@]}" 3>"$T_TMP/hp.ready" >"$T_TMP/hp.ev" 2>"$T_TMP/hp.err" &
ok "hashproxy runs in the namespace" wait_for 10 test -s "$T_TMP/hp.ready"
ns_run v6 haproxy -f "$T_TMP/ha.cfg" -db >"$T_TMP/ha.log" 2>&1 &
ok "haproxy runs in the namespace" wait_for 10 ha_answers "$T_TMP/ha.sock"

through() { ns_run v6 "$HP_CLIENT" 2001:db8::1 "$1" "$T_TMP/src"; }
through "$php" >"$T_TMP/hp.1"
through "$pha" >"$T_TMP/ha.1"
is "$(grep -c ' api-[123]$' "$T_TMP/hp.1")" $N "every IPv6 client answered through hashproxy"
is "$(cut -d' ' -f2 "$T_TMP/hp.1" | sort -u | wc -l)" 3 "all three servers used"
is "$(diff "$T_TMP/ha.1" "$T_TMP/hp.1")" "" "$N IPv6 sources land on the same server as haproxy"
hashproxy -f "$T_TMP/hp.cfg" --lookup - <"$T_TMP/src" 2>/dev/null | sed 's/ / api-/; s/api-api/api/' >"$T_TMP/lk"
is "$(diff "$T_TMP/ha.1" "$T_TMP/lk")" "" "--lookup agrees for IPv6 addresses"
stat=$(ctl "$T_TMP/hp.sock" "show stat")
like "$stat" "^api,api-2,.*,\[2001:db8::12\]:$sp," "show stat: an IPv6 server's addr"
like "$stat" "^api,api-3,.*,\[2001:db8::13\]:$sp," "an unbracketed IPv6 server address parsed as haproxy does"

kill "${B6[2]}"
ok "the dead IPv6 server is marked down" \
    wait_file_line 5 "$T_TMP/hp.ev" '^down backend=api server=api-2 '
ok "haproxy agrees" wait_for 10 stat_has "$T_TMP/ha.sock" "^api,api-2,.*,DOWN,"
through "$php" >"$T_TMP/hp.2"
through "$pha" >"$T_TMP/ha.2"
is "$(grep -c ' api-[13]$' "$T_TMP/hp.2")" $N "every client answered by a survivor"
is "$(join "$T_TMP/hp.1" "$T_TMP/hp.2" | awk '$2 == "api-2" || $2 == $3' | wc -l)" $N \
    "no client of a surviving server moved"
is "$(diff "$T_TMP/ha.2" "$T_TMP/hp.2")" "" "after the failure: the same servers as haproxy"
done_testing
