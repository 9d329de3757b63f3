#!/bin/bash
# SPDX-License-Identifier: ISC
# A proxy's "id N" is its iid, as haproxy 2.6 gives it, beside haproxy on
# one config: show stat's iid and sid, show servers state's be_id,
# srv_id and the two "forced id" columns, the "#ID" filter.  Proxies
# without an id are numbered as haproxy does (a counter that moves on
# with every proxy, explicit ids too, each taking the first free id at
# or past it), and the stats socket's own proxy (GLOBAL) takes its id
# where the global section comes, here after a frontend.  hashproxy
# -c refuses the ids haproxy -c refuses.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/hp.sh"
command -v haproxy >/dev/null || cannot_run "haproxy 2.6 is the reference"

deadp=$(free_port)
# without "id": fa 1; GLOBAL moves the counter on (to 3); lc 4 (3 is
# bb's), bd 5, be 7 (6 is bx's), bg 10.  GLOBAL before every proxy
# would make fa 2, GLOBAL holding an id lc 5, no GLOBAL lc 3.
cfg() {
	cat <<EOC
defaults
    mode tcp
    timeout connect 1s
    timeout client 10s
    timeout server 10s
frontend fa
    bind 127.0.0.1:$1
    default_backend bb
global
    stats socket $T_TMP/cfg-$1.sock mode 600 level admin
backend bb
    id 3
    server s1 127.0.0.1:$deadp id 7
    server s2 127.0.0.1:$deadp
listen lc
    bind 127.0.0.1:$2
    server s1 127.0.0.1:$deadp
backend bd
    server s1 127.0.0.1:$deadp
frontend ff
    id 9
    bind 127.0.0.1:$3
    default_backend bd
backend be
    server s1 127.0.0.1:$deadp id 2
    server s2 127.0.0.1:$deadp
backend bx
    id 6
    server s1 127.0.0.1:$deadp
backend bg
    server s1 127.0.0.1:$deadp
EOC
}
hp_cfgs 3
H=$T_TMP/hp.sock A=$T_TMP/cfg-${HA_PORTS[0]}.sock
ok "haproxy -c accepts the config" haproxy -c -q -f "$T_TMP/ha.cfg"
ok "hashproxy -c accepts it" hashproxy -c -f "$T_TMP/hp.cfg"
ok "hashproxy starts" hp_start "$T_TMP/hp.cfg"
# not ha_start: its stats socket would come first, before every proxy
haproxy -f "$T_TMP/ha.cfg" -db >>"$T_TMP/ha.log" 2>&1 &
cleanup_push "kill $!"
ok "haproxy starts" wait_for 10 ha_answers "$A"

ids() { ctl "$1" "show stat${2:+ $2}" | awk -F, '!/^#/ && NF > 2 { print $1, $2, $28, $29 }'; }
theirs=$(ids "$A")
diag "haproxy: $(echo $theirs)"
is "$(ids "$H")" "$theirs" "show stat: haproxy's iid and sid for every row"
is "$(ids "$H" "#9 -1 -1")" "$(ids "$A" "#9 -1 -1")" "show stat #9: the proxy of id 9"
is "$(ids "$H" "9 -1 -1")" "$(ids "$A" "9 -1 -1")" "show stat 9: the same"

# be_id, srv_id, bk_f_forced_id, srv_f_forced_id
st() { ctl "$1" "show servers state" | awk '!/^#/ && NF > 20 { print $1, $2, $3, $4, $16, $17 }'; }
is "$(st "$H")" "$(st "$A")" "show servers state: haproxy's ids and forced-id flags"

# --- what haproxy -c refuses, hashproxy -c refuses
bad() {
	cat <<EOC
defaults
    mode tcp
    timeout connect 1s
    timeout client 1s
    timeout server 1s
$1
listen a
    bind 127.0.0.1:$deadp
    $2
    server s 127.0.0.1:$deadp
backend b
    $3
    server s 127.0.0.1:$deadp
EOC
}
while IFS='|' read -r d l b what; do
	# ";" parts a section's lines
	bad "$d" "${l//;/$'\n    '}" "$b" >"$T_TMP/bad.cfg"
	nok "haproxy -c refuses $what" haproxy -c -q -f "$T_TMP/bad.cfg"
	nok "hashproxy -c too" hashproxy -c -f "$T_TMP/bad.cfg"
done <<'EOL'
|id 3|id 3|the same id twice
|id 3;id 4||two ids in one proxy
|id 0||id 0
|id -1||a negative id
|id x||a word
|id 2147483648||an id past INT_MAX
    id 4|||an id in defaults
EOL
bad "" "id 3" "id 4" >"$T_TMP/good.cfg"
ok "haproxy -c accepts two ids" haproxy -c -q -f "$T_TMP/good.cfg"
ok "hashproxy -c too" hashproxy -c -f "$T_TMP/good.cfg"

done_testing
