#!/bin/bash
# SPDX-License-Identifier: ISC
# "disabled" in a proxy section beside haproxy 2.6 on one config: a
# disabled frontend or listen section listens nowhere; a disabled
# proxy has no show stat row but keeps its id (the next proxies' ids are
# haproxy's); a disabled backend's servers are not checked and are
# listed by show servers state without an id, as haproxy lists them; a
# frontend whose default backend is disabled closes its clients;
# "enabled" after "disabled" undoes it; "disabled" in defaults disables
# every proxy after it, and a config with no frontend left is refused.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/hp.sh"
command -v haproxy >/dev/null || cannot_run "haproxy 2.6 is the reference"

sp=$(free_port) deadp=$(free_port)
hp_backend a 127.0.0.11 "$sp" || bail "the backend did not start"
cfg() {
	cat <<EOC
global
    stats socket $T_TMP/cfg-$1.sock mode 600 level admin
defaults
    mode tcp
    timeout connect 1s
    timeout client 10s
    timeout server 10s
frontend f1
    disabled
    bind 127.0.0.1:$1
    default_backend b1
frontend f2
    bind 127.0.0.1:$2
    default_backend b2
backend b1
    server s1 127.0.0.11:$sp
backend b2
    disabled
    server dead 127.0.0.11:$deadp check inter 100ms fall 1
    server s1 127.0.0.11:$sp
listen l3
    disabled
    bind 127.0.0.1:$3
    server s1 127.0.0.11:$sp
listen l4
    disabled
    enabled
    bind 127.0.0.1:$4
    server s1 127.0.0.11:$sp
frontend f5
    bind 127.0.0.1:$5
    default_backend b1
EOC
}
hp_cfgs 5
hp_both_start
H=$T_TMP/hp.sock A=$T_TMP/ha.sock

# the enabled frontends answer, the disabled ones are not bound
for side in HP HA; do
	eval "ports=(\"\${${side}_PORTS[@]}\")"
	ok "$side: f5 answers" req 127.0.0.1 "${ports[4]}"
	ok "$side: l4, enabled again, answers" req 127.0.0.1 "${ports[3]}"
	nok "$side: f1 is not bound" _hp_port_open 127.0.0.1 "${ports[0]}"
	nok "$side: l3 is not bound" _hp_port_open 127.0.0.1 "${ports[2]}"
	nok "$side: f2's client is closed (its backend is disabled)" \
	    req 127.0.0.1 "${ports[1]}"
done

rows() { ctl "$1" "show stat" | awk -F, '!/^#/ && NF > 2 { print $1, $2, $28, $29 }'; }
is "$(rows "$H")" "$(rows "$A")" "show stat: haproxy's rows and ids, none for a disabled proxy"
# every column but the seconds since the last change and the port
st() { ctl "$1" "show servers state" | awk '!/^#/ && NF > 20 { $10 = $19 = "-"; print }'; }
is "$(st "$H")" "$(st "$A")" "show servers state: haproxy's rows, disabled backends' too"
conn() { ctl "$1" "show servers conn" | awk '!/^#/ && NF > 2 { print $1, $2 }'; }
is "$(conn "$H")" "$(conn "$A")" "show servers conn: haproxy's rows and ids"
# b2's check would have found "dead" down by now (inter 100ms, fall 1)
is "$(grep -c 'dead' "$T_TMP/hp.ev")" 0 "no event of a disabled backend's server"

# "disabled" in defaults: every proxy after it; nothing left to start
cfg "$deadp" "$deadp" "$deadp" "$deadp" "$deadp" |
    sed -e '/^ *enabled$/d' -e '/^global/,/stats socket/d' \
    -e '/^defaults/a\    disabled' >"$T_TMP/none.cfg"
nok "haproxy -c: a config with every proxy disabled will not start" \
    haproxy -c -q -f "$T_TMP/none.cfg"
nok "hashproxy -c refuses it" hashproxy -c -f "$T_TMP/none.cfg"

done_testing
