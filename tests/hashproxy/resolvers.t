#!/bin/bash
# SPDX-License-Identifier: ISC
# resolvers, init-addr none (haproxy 2.6): a server named by a name that
# does not resolve yet starts in MAINT (resolution) instead of failing
# the start; the resolvers section's name server is asked again and the
# server follows its answers: published, it takes traffic; moved, the
# traffic follows; removed (NXDOMAIN), the last address is kept for
# "hold nx" after the last valid answer, then MAINT (resolution) again;
# a name server that stops answering likewise after "hold timeout".
# hashproxy and haproxy side by side, the same config, the same name
# server (tests/hashproxy/dnsserver.py, answering from a file the test
# rewrites; IPv6 is asked first, as haproxy does, then IPv4).  Before,
# hashproxy refused to start: the name did not resolve at start and
# "resolvers" was ignored.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/hp.sh"
command -v haproxy >/dev/null || cannot_run "haproxy is not installed"

zone=$T_TMP/zone
name=api.hp-resolvers.example
dp=$(free_port); bp=$(free_port)
: >"$zone"
python3 "$T_TOP/tests/hashproxy/dnsserver.py" 127.0.0.71 "$dp" "$zone" \
    >"$T_TMP/dns.log" 2>&1 &
cleanup_push "kill $!"
hp_backend one 127.0.0.72 "$bp"
hp_backend two 127.0.0.73 "$bp"
# the name server answers (NXDOMAIN for now) before the proxies start
wait_for 30 eval 'python3 -c "
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.settimeout(0.5)
s.sendto(bytes.fromhex(\"12340000000100000000000001610000010001\"), (\"127.0.0.71\", $dp))
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
    nameserver ns1 127.0.0.71:$dp
    resolve_retries 2
    timeout resolve 200ms
    timeout retry 300ms
    hold valid 1s
    hold nx 3s
    hold other 3s
    hold refused 3s
    hold timeout 3s
    hold obsolete 0s
    accepted_payload_size 8192
listen app
    bind 127.0.0.1:$1
    balance source
    server api $name:$bp resolvers lab init-addr none check inter 300ms
EOC
}
hp_cfgs 1
hport=${HP_PORTS[0]} aport=${HA_PORTS[0]}
hp_both_start "hashproxy starts with the name unresolvable" "haproxy starts too"

status() { ctl "$1" "show stat" | awk -F, '$1 == "app" && $2 == "api" { print $18 }'; }
both_status() {
	[ "$(status "$T_TMP/hp.sock")" = "$1" ] && [ "$(status "$T_TMP/ha.sock")" = "$1" ]
}
routes() { [ "$(req 127.0.0.1 "$hport")" = "$1" ] && [ "$(req 127.0.0.1 "$aport")" = "$1" ]; }

wait_for 10 both_status "MAINT (resolution)"
is "$(status "$T_TMP/hp.sock")/$(status "$T_TMP/ha.sock")" \
    "MAINT (resolution)/MAINT (resolution)" "unresolved: both have the server in MAINT (resolution)"
nok "unresolved: hashproxy routes nowhere" req 127.0.0.1 "$hport"

echo "$name 127.0.0.72" >"$zone"
ok "published: both route to it" wait_for 15 routes one
is "$(status "$T_TMP/hp.sock")" UP "published: hashproxy's server is UP"
like "$(cat "$T_TMP/hp.ev")" "addr backend=app server=api addr=127.0.0.72 port=$bp reason=\"resolvers lab\"" \
    "an addr event line"
like "$(cat "$T_TMP/hp.ev")" 'ready backend=app server=api active=1 reason="valid DNS answer"' \
    "a ready event line"

echo "$name 127.0.0.73" >"$zone"
ok "moved: both follow" wait_for 15 routes two
like "$(cat "$T_TMP/hp.ev")" "addr backend=app server=api addr=127.0.0.73 port=$bp" \
    "moved: an addr event line"

# hashproxy's SIGHUP keeps a server's state: the resolved address too
kill -HUP "$HP_PID"
ok "reload: done" wait_for 10 grep -q '^reload result=ok' "$T_TMP/hp.ev"
is "$(status "$T_TMP/hp.sock")/$(req 127.0.0.1 "$hport")" "UP/two" \
    "reload: the server keeps its resolved address, UP"
is "$(grep -c '^ready backend=app server=api' "$T_TMP/hp.ev")" 1 \
    "reload: no pass through MAINT (resolution)"

ms() { local t=${EPOCHREALTIME//[!0-9]/}; echo $((t / 1000)); }
in_maint() { [ "$(status "$1")" = "MAINT (resolution)" ]; }
# when each proxy is first seen with the server in MAINT again
thp= tha=
both_maint() {
	[ -n "$thp" ] || ! in_maint "$T_TMP/hp.sock" || thp=$(($(ms) - t0))
	[ -n "$tha" ] || ! in_maint "$T_TMP/ha.sock" || tha=$(($(ms) - t0))
	[ -n "$thp" ] && [ -n "$tha" ]
}
: >"$zone"
t0=$(ms)
ok "removed: both put it back in MAINT (resolution)" wait_for 20 both_maint
# the hold counts from the last valid answer, at most hold valid (1s) ago
ok "hashproxy kept the last address for hold nx (3s) less at most hold valid (1s): ${thp}ms" \
    test "${thp:-0}" -ge 1500
ok "as haproxy did: ${tha}ms" test "${tha:-0}" -ge 1500
like "$(cat "$T_TMP/hp.ev")" 'maint backend=app server=api active=0 reason="DNS NX status"' \
    "removed: a maint event line with haproxy's reason"
nok "removed: hashproxy routes nowhere" req 127.0.0.1 "$hport"

# the name server stops answering: the last address is kept for hold
# timeout, then MAINT (resolution) with haproxy's reason
echo "$name 127.0.0.72" >"$zone"
ok "published again: both route to it" wait_for 15 routes one
echo mute >"$zone"
ok "name server mute: both end in MAINT (resolution)" wait_for 30 both_status "MAINT (resolution)"
like "$(cat "$T_TMP/hp.ev")" 'maint backend=app server=api active=0 reason="DNS timeout status"' \
    "a maint event line with haproxy's reason"

bad() { printf 'resolvers r\n %s\nlisten x\n bind 127.0.0.1:1\n server s 127.0.0.1:2 %s\n' "$1" "$2" >"$T_TMP/bad.cfg"
	hashproxy -c -f "$T_TMP/bad.cfg" 2>&1; }
like "$(bad 'nameserver n 127.0.0.1:99999')" 'bad.cfg:2: resolvers r: nameserver n "127.0.0.1:99999": a port' \
    "a bad name server port: file:line"
like "$(bad 'hold forever 1s')" 'bad.cfg:2: resolvers r: hold: nx' "a bad hold status"
like "$(bad 'timeout resolve 1s' 'resolvers nope')" 'server s: no resolvers section "nope"' \
    "a server's unknown resolvers section"
like "$(bad 'timeout resolve 1s' 'init-addr libc,bogus')" 'init-addr "bogus": last, libc, none' \
    "a bad init-addr method"
printf 'resolvers r\n hold valid 1s\nlisten x\n bind 127.0.0.1:1\n server s a.example:2 resolvers r init-addr none\n' >"$T_TMP/nons.cfg"
like "$(haproxy -c -f "$T_TMP/nons.cfg" 2>&1)" "resolvers 'r' .* has no nameservers configured" \
    "no nameserver: haproxy warns"
like "$(hashproxy -c -f "$T_TMP/nons.cfg" 2>&1)" 'warning: .*nons.cfg:1: resolvers r: no nameserver' \
    "no nameserver: so does hashproxy, with file:line"
done_testing
