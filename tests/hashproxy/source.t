#!/bin/bash
# SPDX-License-Identifier: ISC
# "source": connections to the servers leave from the address (and port
# range) it names, in a backend and on a server line, the server's
# winning; the server sees that peer address through both hashproxy and
# a real haproxy 2.6.  usesrc and interface are refused with file:line.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/hp.sh"

LB=$T_TOP/tests/hashproxy/lbclients.py
sp=$(free_port)
python3 "$LB" serve 127.0.0.21 "$sp" peer & cleanup_push "kill $!"
wait_for 10 _hp_port_open 127.0.0.21 "$sp"
lo=$(free_port 6)	# and the 5 above it
declare -A P
for f in hp ha; do
	for x in be srv rng; do P[$f.$x]=$(free_port); done
	cat >"$T_TMP/$f.cfg" <<EOC
defaults
    mode tcp
    timeout connect 5s
    timeout client 10s
    timeout server 10s
    source 127.0.0.$([ $f = hp ] && echo 41 || echo 51)

listen be
    bind 127.0.0.1:${P[$f.be]}
    server peer 127.0.0.21:$sp

listen srv
    bind 127.0.0.1:${P[$f.srv]}
    source 127.0.0.$([ $f = hp ] && echo 42 || echo 52)
    server peer 127.0.0.21:$sp source 127.0.0.$([ $f = hp ] && echo 43 || echo 53)

listen rng
    bind 127.0.0.1:${P[$f.rng]}
    server peer 127.0.0.21:$sp source 127.0.0.$([ $f = hp ] && echo 44 || echo 54):$lo-$((lo + 2))
EOC
done
# haproxy and hashproxy bind the same range: one each
sed -i "s/:$lo-$((lo + 2))/:$((lo + 3))-$((lo + 5))/" "$T_TMP/ha.cfg"
ok "hashproxy accepts source in defaults, listen and on a server" hp_start "$T_TMP/hp.cfg"
ok "haproxy runs the same config" ha_start "$T_TMP/ha.cfg"

# peer PORT: the address the server saw
peer() { python3 "$LB" "$1" raw:1 line:1:5 | awk '$2 == "line" { print $3 }'; }
is "$(peer "${P[ha.be]}") $(peer "${P[hp.be]}")" "127.0.0.51 127.0.0.41" \
    "defaults' source: the server sees it (haproxy .51, hashproxy .41)"
is "$(peer "${P[ha.srv]}") $(peer "${P[hp.srv]}")" "127.0.0.53 127.0.0.43" \
    "a server's source wins over its backend's"
# a server's source with a port range: its address and each port in
# turn (three connections, three ports: a port just used is in TIME_WAIT
# towards the same server)
python3 "$LB" "${P[hp.rng]}" raw:1 line:1:5 raw:2 line:2:5 raw:3 line:3:5 >"$T_TMP/rng"
python3 "$LB" "${P[ha.rng]}" raw:1 line:1:5 >"$T_TMP/ha.rng"
is "$(awk '$2 == "line" { print $3 }' "$T_TMP/ha.rng")" 127.0.0.54 "haproxy: a server's source with a port range: its address"
is "$(awk '$2 == "line" { print $3 }' "$T_TMP/rng" | sort -u)" 127.0.0.44 "hashproxy: the same"
is "$(awk '$2 == "line" { print $4 }' "$T_TMP/rng" | sort -n | tr '\n' ' ')" \
    "$lo $((lo + 1)) $((lo + 2)) " "hashproxy: connections leave from ports $lo-$((lo + 2)), one after the other"
printf 'listen l\n    bind 127.0.0.1:1\n    source 127.0.0.1:1-2\n    server s 127.0.0.1:2\n' >"$T_TMP/bad.cfg"
like "$(hashproxy -c -f "$T_TMP/bad.cfg" 2>&1)" "bad.cfg:3: .*port range only on a server line" \
    "a backend's source with a port range: refused, as by haproxy"

printf 'listen l\n    bind 127.0.0.1:1\n    source 127.0.0.1 usesrc clientip\n    server s 127.0.0.1:2\n' >"$T_TMP/bad.cfg"
like "$(hashproxy -c -f "$T_TMP/bad.cfg" 2>&1)" "bad.cfg:3: .*source: \"usesrc\" not supported" \
    "source ... usesrc: refused with file:line"
printf 'listen l\n    bind 127.0.0.1:1\n    server s 127.0.0.1:2 source 127.0.0.1 usesrc clientip\n' >"$T_TMP/bad.cfg"
like "$(hashproxy -c -f "$T_TMP/bad.cfg" 2>&1)" "bad.cfg:3: .*\"usesrc\" not supported" \
    "on a server line too"
printf 'backend b\n    source 127.0.0.1 interface lo\n    server s 127.0.0.1:2\n' >"$T_TMP/bad.cfg"
like "$(hashproxy -c -f "$T_TMP/bad.cfg" 2>&1)" "bad.cfg:2: .*source: \"interface\" not supported" \
    "source ... interface: refused with file:line"
done_testing
