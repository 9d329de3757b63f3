#!/bin/bash
# SPDX-License-Identifier: ISC
# Disabled proxies at run time, beside haproxy 2.6 on one config: a
# use_backend rule whose backend is "disabled" closes its client at
# once, as haproxy's (not sent to that backend's servers, not passed on
# to the next rule or the default backend); a frontend disabled or shut
# down on the stats socket listens again after a reload (SIGHUP here, a
# new haproxy -sf there: it reads the file anew).
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/hp.sh"
command -v haproxy >/dev/null || cannot_run "haproxy 2.6 is the reference"

sp=$(free_port)
hp_backend b1 127.0.0.11 "$sp" || bail "backend b1 did not start"
# the disabled backend's server answers: a client sent there would see it
hp_backend off 127.0.0.12 "$sp" || bail "backend off did not start"
# cfg FIRST SECOND NOMATCH WEB DOWN
cfg() {
	cat <<EOC
defaults
    mode tcp
    timeout connect 1s
    timeout client 10s
    timeout server 10s
frontend first
    bind 127.0.0.1:$1
    use_backend off if { always_true }
    use_backend b1
    default_backend b1
frontend second
    bind 127.0.0.1:$2
    use_backend b1 if { always_false }
    use_backend off
frontend nomatch
    bind 127.0.0.1:$3
    use_backend off if { always_false }
    default_backend b1
frontend web
    bind 127.0.0.1:$4
    default_backend b1
frontend down
    bind 127.0.0.1:$5
    default_backend b1
backend b1
    server s1 127.0.0.11:$sp
backend off
    disabled
    server s2 127.0.0.12:$sp
EOC
}
hp_cfgs 5
hp_both_start
H=$T_TMP/hp.sock A=$T_TMP/ha.sock

# answer PORT: what a client reads there, and curl's status (52: closed
# with no reply, 7: refused)
answer() { local r; r=$(curl -s --max-time 5 "http://127.0.0.1:$1/"); echo "$r rc=$?"; }
# fe SOCK: each frontend's FRONTEND row: name, stot, status
fe() { ctl "$1" "show stat" | awk -F, '$2 == "FRONTEND" { print $1, $8, $18 }'; }

# --- use_backend to a disabled backend
names=(first second nomatch)
for i in 0 1 2; do
	ours=$(answer "${HP_PORTS[i]}") theirs=$(answer "${HA_PORTS[i]}")
	is "$ours" "$theirs" "${names[i]}: the client sees what haproxy's does ($theirs)"
	[ "$i" = 0 ] && is "$theirs" " rc=52" \
	    "(haproxy closes a client its rule sends to a disabled backend)"
done
is "$(fe "$H")" "$(fe "$A")" "show stat: each frontend counts its clients as haproxy's"

# --- a frontend disabled or shut down on the stats socket, then a reload
for c in "disable frontend web" "shutdown frontend down"; do
	is "$(ctl "$H" "$c")" "$(ctl "$A" "$c")" "$c: as haproxy"
done
for side in HP HA; do
	eval "ports=(\"\${${side}_PORTS[@]}\")"
	is "$(answer "${ports[3]}") $(answer "${ports[4]}")" " rc=7  rc=7" \
	    "$side: both refuse new clients"
done

kill -HUP "$HP_PID"
ok "hashproxy reloads" wait_file_line 10 "$T_TMP/hp.ev" '^reload result=ok'
old=$HA_PID
haproxy -f "$T_TMP/ha.cfg" -db -sf "$old" >>"$T_TMP/ha.log" 2>&1 &
HA_PID=$!
cleanup_push "kill $HA_PID"
ok "haproxy reloads (-sf: the old process leaves)" wait_gone 10 "$old"
ok "the new haproxy answers" wait_for 10 ha_answers "$A"

for side in HP HA; do
	eval "ports=(\"\${${side}_PORTS[@]}\")"
	is "$(answer "${ports[3]}")" "b1 rc=0" "$side: web, disabled before the reload, takes clients again"
	is "$(answer "${ports[4]}")" "b1 rc=0" "$side: down, shut down before it, too"
done
st() { fe "$1" | awk '$1 == "web" || $1 == "down" { print $1, $3 }'; }
is "$(st "$H")" "$(st "$A")" "show stat: their status as haproxy's ($(st "$A" | tr '\n' ' '))"
is "$(ctl "$H" "disable frontend web")" "$(ctl "$A" "disable frontend web")" \
    "disable frontend web: as haproxy's answer once open again"
ok "and it stops listening again" eval '[ "$(answer "${HP_PORTS[3]}")" = " rc=7" ]'
ok "hashproxy still runs" kill -0 "$HP_PID"
done_testing
