#!/bin/bash
# SPDX-License-Identifier: ISC
# "set server B/S fqdn NAME" beside haproxy 2.6 on the same config, with
# the same test name server (dnsserver.py): the same answers and errors
# (no resolvers, no name, a bad name, the same name), show servers
# state's srv_fqdn as haproxy's, and the effect: the resolvers ask the
# new name and the server moves to its address, where the traffic goes.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/hp.sh"
command -v haproxy >/dev/null || cannot_run "haproxy 2.6 is the reference"

zone=$T_TMP/zone
one=one.hp-fqdn.example two=two.hp-fqdn.example
dp=$(free_port); bp=$(free_port)
printf '%s 127.0.0.62\n%s 127.0.0.64\n' "$one" "$two" >"$zone"
python3 "$T_TOP/tests/hashproxy/dnsserver.py" 127.0.0.61 "$dp" "$zone" \
    >"$T_TMP/dns.log" 2>&1 &
cleanup_push "kill $!"
hp_backend one 127.0.0.62 "$bp" || bail "backend one did not start"
hp_backend plain 127.0.0.63 "$bp" || bail "backend plain did not start"
hp_backend two 127.0.0.64 "$bp" || bail "backend two did not start"
# the name server answers before the proxies start
dns_up() {
	python3 -c "
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.settimeout(0.5)
s.sendto(bytes.fromhex('12340000000100000000000001610000010001'), ('127.0.0.61', $dp))
sys.exit(0 if s.recv(512)[:2] == b'\x12\x34' else 1)" 2>/dev/null
}
wait_for 30 dns_up || bail "the test name server does not answer"

# cfg FILE FRONTPORT
cfg() {
	cat >"$1" <<EOC
defaults
    mode tcp
    timeout connect 1s
    timeout client 5s
    timeout server 5s
resolvers lab
    nameserver ns1 127.0.0.61:$dp
    timeout resolve 200ms
    timeout retry 300ms
    hold valid 1s
    accepted_payload_size 8192
frontend web
    bind 127.0.0.1:$2
    default_backend app
backend app
    server api $one:$bp resolvers lab init-addr none
    server plain 127.0.0.63:$bp disabled
EOC
}
hfp=$(free_port) afp=$(free_port)
cfg "$T_TMP/hp.cfg" "$hfp"
cfg "$T_TMP/ha.cfg" "$afp"
hp_start "$T_TMP/hp.cfg" || bail "hashproxy did not start"
ha_start "$T_TMP/ha.cfg" || bail "haproxy did not start"
H=$T_TMP/hp.sock A=$T_TMP/ha.sock
both() { ctl "$H" "$1" >"$T_TMP/ours"; ctl "$A" "$1" >"$T_TMP/theirs"; }
same() {
	both "$1"
	is "$(od -c "$T_TMP/ours")" "$(od -c "$T_TMP/theirs")" "$1: as haproxy ($(grep . "$T_TMP/theirs" | head -1))"
}
# api SOCK: api's srv_addr and srv_fqdn in show servers state
api() { ctl "$1" "show servers state app" | awk '$4 == "api" { print $5, $18 }'; }
at() { [ "$(api "$1")" = "$2" ]; }

ok "api resolves to one (hashproxy)" wait_for 10 at "$H" "127.0.0.62 $one"
ok "(haproxy)" wait_for 10 at "$A" "127.0.0.62 $one"
is "$(req 127.0.0.1 "$hfp")" one "the traffic goes to one"

for c in "set server app/api fqdn" "set server app/plain fqdn $two" \
    "set server app/api fqdn bad!name.example" "set server app/api fqdn $one" \
    "set server app/nope fqdn $two" "operator; set server app/api fqdn $two"; do
	same "$c"
done
is "$(api "$H")" "$(api "$A")" "nothing changed: srv_addr and srv_fqdn as haproxy's"

same "set server app/api fqdn $two"
is "$(api "$H" | cut -d' ' -f2)" "$two" "show servers state: the new name"
ok "the resolvers move api to two's address (hashproxy)" wait_for 10 at "$H" "127.0.0.64 $two"
ok "(haproxy)" wait_for 10 at "$A" "127.0.0.64 $two"
is "$(req 127.0.0.1 "$hfp")" two "hashproxy's traffic goes to two"
is "$(req 127.0.0.1 "$afp")" two "haproxy's too"
like "$(ctl "$H" help)" "set server <bk>/<srv> fqdn <name> +: " "help lists it"
ok "hashproxy still runs" kill -0 "$HP_PID"
done_testing
