#!/bin/bash
# SPDX-License-Identifier: ISC
# server-template (haproxy 2.6) beside the real haproxy on the same
# config: "server-template web 4 NAME:PORT resolvers lab" makes web1 ..
# web4; the name server's A answers fill them, one address a server, in
# order; a server left without one is MAINT (resolution).  A server keeps
# its address while the answer has it; a removed address empties its
# server only.  Plain server lines asking one name share it alike.  The made servers answer show stat, show servers state,
# disable server and set server as any server; balance source spreads
# the clients over them as haproxy does.  Before, hashproxy refused the
# keyword ("no servers from DNS").
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/hp.sh"
command -v haproxy >/dev/null || cannot_run "haproxy is not installed"

zone=$T_TMP/zone
name=web.hp-template.example
dp=$(free_port); bp=$(free_port)
python3 "$T_TOP/tests/hashproxy/dnsserver.py" 127.0.0.81 "$dp" "$zone" \
    >"$T_TMP/dns.log" 2>&1 &
cleanup_push "kill $!"
declare -A ip_of=([one]=127.0.0.82 [two]=127.0.0.83 [three]=127.0.0.84)
for b in one two three; do
	hp_backend "$b" "${ip_of[$b]}" "$bp"
	echo "$name ${ip_of[$b]}" >>"$zone"
done
wait_for 30 eval 'python3 -c "
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.settimeout(0.5)
s.sendto(bytes.fromhex(\"12340000000100000000000001610000010001\"), (\"127.0.0.81\", $dp))
sys.exit(0 if s.recv(512)[:2] == b\"\\x12\\x34\" else 1)" 2>/dev/null' ||
    bail "the test name server does not answer"

cfg() {
	cat <<EOC
defaults
    mode tcp
    timeout connect 1s
    timeout client 5s
    timeout server 5s
resolvers lab
    nameserver ns1 127.0.0.81:$dp
    resolve_retries 2
    timeout resolve 200ms
    timeout retry 300ms
    hold valid 1s
    hold nx 1s
    hold obsolete 0s
listen app
    bind 127.0.0.1:$1
    balance source
    server-template web 4 $name:$bp resolvers lab init-addr none check inter 300ms
backend ids
    server-template s 2-3 127.0.0.82:$bp id 7
backend lines
    server p1 $name:$bp resolvers lab init-addr none
    server p2 $name:$bp resolvers lab init-addr none
    server p3 $name:$bp resolvers lab init-addr none
    server p4 $name:$bp resolvers lab init-addr none
listen dup
    bind 127.0.0.1:$2
    server-template d 4 $name:$bp resolvers lab init-addr none resolve-opts allow-dup-ip
EOC
}
hp_cfgs 2
hport=${HP_PORTS[0]} aport=${HA_PORTS[0]}
hp_both_start

# "NAME|STATUS|ADDR" of app's servers, in show stat's order
rows() { ctl "$1" "show stat" | awk -F, '$1 == "app" && $2 != "FRONTEND" && $2 != "BACKEND" { print $2 "|" $18 "|" $74 }'; }
statuses() { rows "$1" | awk -F'|' '{ print $1, $2 }'; }
both_statuses() {
	[ "$(statuses "$T_TMP/hp.sock")" = "$1" ] && [ "$(statuses "$T_TMP/ha.sock")" = "$1" ]
}
three_up="web1 UP
web2 UP
web3 UP
web4 MAINT (resolution)"
ok "both: three answers fill web1..web3, web4 is MAINT (resolution)" \
    wait_for 20 both_statuses "$three_up"
is "$(statuses "$T_TMP/hp.sock")" "$three_up" "hashproxy's servers"
addrs() { rows "$1" | awk -F'|' '$3 != "" { print $3 }' | sort; }
is "$(addrs "$T_TMP/hp.sock")" "$(printf '%s\n' 127.0.0.8{2,3,4}:$bp)" \
    "hashproxy: one answer a server, each once"
is "$(addrs "$T_TMP/ha.sock")" "$(addrs "$T_TMP/hp.sock")" "as haproxy's"

# resolve-opts allow-dup-ip: every server takes an address, shared
dupst() { ctl "$1" "show stat" | awk -F, '$1 == "dup" && $2 ~ /^d/ { print $2, $18, ($74 != "") }'; }
dup_up="d1 no check 1
d2 no check 1
d3 no check 1
d4 no check 1"
both_dup() { [ "$(dupst "$T_TMP/hp.sock")" = "$dup_up" ] && [ "$(dupst "$T_TMP/ha.sock")" = "$dup_up" ]; }
ok "allow-dup-ip: the four servers of dup all have an address in both" wait_for 20 both_dup

# server lines asking one name share its answer alike
linest() { ctl "$1" "show stat" | awk -F, '$1 == "lines" && $2 ~ /^p/ { print $2, $18, ($74 != "") }'; }
lines_up="p1 no check 1
p2 no check 1
p3 no check 1
p4 MAINT (resolution) 0"
both_lines() { [ "$(linest "$T_TMP/hp.sock")" = "$lines_up" ] && [ "$(linest "$T_TMP/ha.sock")" = "$lines_up" ]; }
ok "four server lines, three answers: the fourth MAINT (resolution) in both" wait_for 20 both_lines

# show servers state: name, fqdn and port of each, and web4's admin
# state (32: maintenance for resolution)
sstate() { ctl "$1" "show servers state app" | awk 'NR > 2 && NF { print $4, $7, $18, $19 }'; }
is "$(sstate "$T_TMP/hp.sock")" "$(sstate "$T_TMP/ha.sock")" \
    "show servers state: names, admin states, fqdn and port as haproxy's"
like "$(sstate "$T_TMP/hp.sock")" "web4 32 $name $bp" "web4: in maintenance for resolution"
is "$(ctl "$T_TMP/hp.sock" "show stat" | awk -F, '$1 == "ids" && $2 ~ /^s/ { print $2, $29 }')" \
    "$(ctl "$T_TMP/ha.sock" "show stat" | awk -F, '$1 == "ids" && $2 ~ /^s/ { print $2, $29 }')" \
    "a range (s2, s3), and an id is the first server's only, as haproxy's"

# balance source: each client's server, by name (the address each
# server took from the same answer may differ between the two)
mapfile -t srcs < <(hp_sources 40)
slot_of() {	# SOCK PORT: "SRC SERVER" per client
	local -A srv
	local n st a s b
	while IFS='|' read -r n st a; do [ -z "$a" ] || srv[${a%:*}]=$n; done < <(rows "$1")
	map_of "$2" "${srcs[@]}" | while read -r s b; do echo "$s ${srv[${ip_of[$b]:-none}]:-none}"; done
}
slot_of "$T_TMP/hp.sock" "$hport" >"$T_TMP/hp.map"
slot_of "$T_TMP/ha.sock" "$aport" >"$T_TMP/ha.map"
is "$(grep -c ' web[123]$' "$T_TMP/hp.map")" 40 "balance source: every client served by web1..web3"
is "$(cut -d' ' -f2 "$T_TMP/hp.map" | sort -u | wc -l)" 3 "spread over the three"
is "$(cat "$T_TMP/hp.map")" "$(cat "$T_TMP/ha.map")" "each client on the server haproxy gives it"

# the runtime API on a made server
for s in hp ha; do ctl "$T_TMP/$s.sock" "disable server app/web1" >/dev/null; done
st1() { rows "$1" | awk -F'|' '$1 == "web1" { print $2 }'; }
is "$(st1 "$T_TMP/hp.sock")/$(st1 "$T_TMP/ha.sock")" "MAINT/MAINT" "disable server app/web1: MAINT in both"
slot_of "$T_TMP/hp.sock" "$hport" >"$T_TMP/hp.map2"
is "$(grep -c ' web1$' "$T_TMP/hp.map2")" 0 "no client goes to web1 then"
for s in hp ha; do ctl "$T_TMP/$s.sock" "set server app/web1 state ready" >/dev/null; done
ok "set server app/web1 state ready: UP again in both" \
    wait_for 10 both_statuses "$three_up"
for s in hp ha; do ctl "$T_TMP/$s.sock" "set server app/web2 weight 0" >/dev/null; done
w2() { ctl "$1" "show stat" | awk -F, '$1 == "app" && $2 == "web2" { print $19 }'; }
is "$(w2 "$T_TMP/hp.sock")/$(w2 "$T_TMP/ha.sock")" "0/0" "set server app/web2 weight 0 in both"

# an address leaves the answer: only the server that held it goes, in
# each (haproxy's web2 may have held another address of the same answer)
addr_of() { rows "$1" | awk -F'|' -v s="$2" '$1 == s { print $3 }'; }
held_by() { rows "$1" | awk -F'|' -v a="$2" '$3 == a { print $1 }'; }
gone=$(addr_of "$T_TMP/hp.sock" web2)
ha_slot=$(held_by "$T_TMP/ha.sock" "$gone")
hp_before=$(rows "$T_TMP/hp.sock") ha_before=$(rows "$T_TMP/ha.sock")
grep -v " ${gone%:*}\$" "$zone" >"$zone.new"; mv "$zone.new" "$zone"
two_up() {	# SERVER: the statuses once SERVER's address left
	printf '%s\n' "$three_up" | awk -v s="$1" '$1 == s { $0 = s " MAINT (resolution)" } 1'
}
ok "hashproxy: web2's address removed, web2 MAINT (resolution)" \
    wait_for 20 eval '[ "$(statuses "$T_TMP/hp.sock")" = "$(two_up web2)" ]'
ok "haproxy: $ha_slot, which held it, likewise" \
    wait_for 20 eval '[ "$(statuses "$T_TMP/ha.sock")" = "$(two_up "$ha_slot")" ]'
others() { echo "$1" | awk -F'|' -v s="$2" '$1 != s && $1 != "web4"'; }
is "$(others "$(rows "$T_TMP/hp.sock")" web2)" "$(others "$hp_before" web2)" \
    "hashproxy: the other servers kept their addresses"
is "$(others "$(rows "$T_TMP/ha.sock")" "$ha_slot")" "$(others "$ha_before" "$ha_slot")" \
    "as in haproxy"
echo "$name ${gone%:*}" >>"$zone"
ok "the address back: both fill the server again" wait_for 20 both_statuses "$three_up"
is "$(addr_of "$T_TMP/hp.sock" web2)" "$gone" "hashproxy's web2 has it again"

# hashproxy's SIGHUP keeps each server's resolved address and state
before=$(rows "$T_TMP/hp.sock")
kill -HUP "$HP_PID"
ok "reload: done" wait_for 10 grep -q '^reload result=ok' "$T_TMP/hp.ev"
is "$(rows "$T_TMP/hp.sock")" "$before" "reload: every server keeps its address and state"

bad() { printf 'listen x\n bind 127.0.0.1:1\n server-template %s\n' "$1" >"$T_TMP/bad.cfg"; }
for t in "web 0 a.example:80" "web 3-1 a.example:80" "web x a.example:80" "web 3"; do
	bad "$t"
	nok "haproxy -c refuses server-template $t" haproxy -c -q -f "$T_TMP/bad.cfg"
	like "$(hashproxy -c -f "$T_TMP/bad.cfg" 2>&1)" 'bad.cfg:3: .*server-template' \
	    "so does hashproxy, with file:line"
done
printf 'resolvers r\n nameserver n 127.0.0.1:53\nlisten x\n bind 127.0.0.1:1\n server-template s 2 _http._tcp.hp.example resolvers r init-addr none\n' >"$T_TMP/srv.cfg"
ok "haproxy -c takes an SRV name" haproxy -c -q -f "$T_TMP/srv.cfg"
like "$(hashproxy -c -f "$T_TMP/srv.cfg" 2>&1)" 'srv.cfg:5: .*SRV records are not supported' \
    "hashproxy refuses it, with file:line"
printf 'frontend x\n bind 127.0.0.1:1\n server-template web 2 127.0.0.1:80\n' >"$T_TMP/fe.cfg"
like "$(hashproxy -c -f "$T_TMP/fe.cfg" 2>&1)" 'fe.cfg:3: .*server-template' "not in a frontend"
done_testing
