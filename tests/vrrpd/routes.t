#!/bin/bash
# SPDX-License-Identifier: ISC
# virtual_routes and virtual_rules against keepalived on the same file:
# on MASTER both daemons install the same routes (every type, table,
# metric, scope, src, onlink, protocol, IPv6) and rules (from, to, iif, oif, not,
# fwmark, blackhole, IPv6): "ip route show table all" and "ip rule" are
# byte-identical; both remove them on BACKUP and on stop; --cleanup after
# a kill -9 removes vrrpd's and only those.  A route's dev
# is tracked as a VIP's: eth1 down faults the instance (both daemons).
# vrrpd (a) and keepalived (b) take turns as master.  VRRPv3 at 0.3 s
# (routes and rules are alike in v2 and v3): a take-over waits ~1 s for
# the master down interval, not 3.6 s.
. "$(dirname "$0")/lib.sh"
needs_root
topo a b
ns_switch sw1 || bail "second LAN"
ns_host sw1 a 198.51.100.1/24 || bail "a eth1"
ns_host sw1 b 198.51.100.2/24 || bail "b eth1"

conf() {	# H PRIO
	cat <<C
global_defs {
    router_id $1
}
vrrp_instance VI_1 {
    interface eth0
    virtual_router_id 91
    priority $2
    version 3
    advert_int 0.3
    virtual_ipaddress {
        192.0.2.100/24
    }
    virtual_routes {
        0.0.0.0/0 via 192.0.2.254 dev eth0 table 100
        default via 192.0.2.253 dev eth0 table 70000
        10.1.0.0/16 via 198.51.100.254
        10.2.0.0/16 dev eth1 scope link metric 50
        src 192.0.2.100 to 10.3.0.0/16 via 192.0.2.254 dev eth0
        blackhole 10.4.0.0/16
        unreachable 10.5.0.0/16 table 101
        prohibit 10.6.0.0/16
        throw 10.7.0.0/16 table 100
        10.10.0.0/16 via 192.0.2.254 onlink dev eth0 no_track
        10.11.0.1 gw 192.0.2.254 dev eth0 metric 7
        2001:db8:5::/48 via 2001:db8::fe dev eth0
        2001:db8:6::/48 dev eth1 metric 300
        10.13.0.0/16 via 192.0.2.254 dev eth0 no_track protocol static
    }
    virtual_rules {
        from 192.0.2.100 table 100 priority 100
        from all to 10.9.0.0/16 table 101 preference 200
        iif eth1 table 102 priority 300
        not from 10.0.0.0/8 table main priority 400
        from 10.0.0.0/8 blackhole priority 500
        fwmark 0x10/0xff table 100 priority 600
        to 10.12.0.0/16 oif eth1 lookup 100 priority 700
        from 2001:db8::/64 table 100 priority 800
        from 192.0.2.0/24 table 70000 priority 900
    }
}
C
}
# routes H / rules H: what the daemons added, as ip(8) prints it
routes() {
	ip -n "$(_ns_name "$1")" route show table all |
	    grep -e 'proto keepalived' -e 'proto static'
}
rules() {
	{ ip -n "$(_ns_name "$1")" rule; ip -n "$(_ns_name "$1")" -6 rule; } |
	    grep 'proto keepalived'
}
# same_routes H: H's routes are those vrrpd first showed (R_vr)
same_routes() { [ "$(routes "$1")" = "$R_vr" ]; }
none() { [ -z "$(routes "$1")$(rules "$1")" ]; }
nroutes() { routes "$1" | wc -l; }
nrules() { rules "$1" | wc -l; }
full() { [ "$(nroutes "$1")" = 14 ] && [ "$(nrules "$1")" = 9 ]; }
ka_state() { grep 'VI_1.*Entering' "$T_TMP/$1.out" | tail -1 | sed 's/.*Entering \([A-Z]*\).*/\1/'; }
ka_is() { [ "$(ka_state "$1")" = "$2" ]; }
host_init a || bail "host a"
host_init b || bail "host b"
conf a 150 > "$T_TMP/a.conf"
conf b 100 > "$T_TMP/b.conf"
conf b 200 > "$T_TMP/b200.conf"
exit_is 3 "vrrpd -t: the routes and rules are accepted, the route without dev flagged as keepalived -t flags it" \
    vrrpd -t -f "$T_TMP/a.conf"
like "$(vrrpd -t -f "$T_TMP/a.conf" 2>&1)" \
    ':16: warning: .*virtual_routes: no dev: its interface is not tracked' \
    "... a route without dev with a warning, as keepalived"
printf 'vrrp_instance V {\n interface eth0\n virtual_router_id 1\n virtual_ipaddress {\n 192.0.2.9\n }\n virtual_routes {\n 10.8.0.1/16 dev eth0\n }\n}\n' > "$T_TMP/host.conf"
like "$(vrrpd -t -f "$T_TMP/host.conf" 2>&1)" \
    ':8: warning: .*10\.8\.0\.1/16: host bits set: added as 10\.8\.0\.0/16 \(keepalived fails to add it\)' \
    "a route with host bits set: a warning, the network added"
ok "IPv6 ready" wait_for 10 ll_ready a b

# --- vrrpd master, keepalived backup -------------------------------------
ka_in b "$T_TMP/b.conf" || bail "keepalived"
vr_in a -f "$T_TMP/a.conf" || bail "vrrpd"
ok "vrrpd master" wait_for 10 state_is a MASTER
ok "... its 14 routes and 9 rules up" wait_for 5 full a ||
    diag "$(routes a; rules a)"
R_vr=$(routes a) U_vr=$(rules a)
like "$R_vr" '^default via 192\.0\.2\.253 dev eth0 table 70000 proto keepalived' \
    "a table above 255"
like "$R_vr" '10\.3\.0\.0/16 via 192\.0\.2\.254 dev eth0 proto keepalived src 192\.0\.2\.100' \
    "src (the VIP, added before the route)"
like "$R_vr" '^10\.13\.0\.0/16 via 192\.0\.2\.254 dev eth0 proto static' \
    "protocol static with no_track (neutron's routes)"
like "$U_vr" '^500:	from 10\.0\.0\.0/8 blackhole proto keepalived' "a blackhole rule"
ok "keepalived backup holds none" none b

# a route's dev is tracked: eth1 down faults VI_1, keepalived takes over
n=$(file_lines "$T_TMP/b.out")
ns_link a eth1 down
ok "eth1 down (a route's dev): vrrpd FAULT" \
    wait_file_line 5 "$T_TMP/a.out" '^FAULT VI_1 .*reason=link-eth1'
ok "... keepalived takes over" wait_for 10 ka_is b MASTER
ok "... vrrpd's routes and rules gone" wait_for 5 none a
ns_link a eth1 up
ok "eth1 up: vrrpd master again" wait_for 15 state_is a MASTER
ok "... keepalived back to BACKUP" wait_for 5 ka_is b BACKUP
ok "... vrrpd's routes as before" wait_for 5 same_routes a
ok "... keepalived's gone" wait_for 5 none b

# vrrpd stops: keepalived takes over with the same routes and rules
kill -TERM "$VR_a"
ok "SIGTERM: vrrpd removes every route and rule" wait_for 5 none a
ok "keepalived master" wait_for 10 ka_is b MASTER
ok "... its routes and rules up" wait_for 5 full b || diag "$(routes b; rules b)"
is "$(routes b)" "$R_vr" "keepalived's routes are vrrpd's, byte for byte"
is "$(rules b)" "$U_vr" "keepalived's rules are vrrpd's, byte for byte"
wait_gone 5 "$VR_a"

# vrrpd back (150) preempts: keepalived removes on BACKUP
vr_in a -f "$T_TMP/a.conf" || bail "vrrpd again"
ok "vrrpd preempts" wait_for 15 state_is a MASTER
ok "keepalived removed its routes and rules on BACKUP" wait_for 5 none b
ok "vrrpd's as before" wait_for 5 same_routes a
is "$(rules a)" "$U_vr" "... rules too"

# keepalived at 200 preempts: vrrpd removes on BACKUP
kill -TERM "$KA_b"
wait_gone 10 "$KA_b"
: > "$T_TMP/b.out"
ka_in b "$T_TMP/b200.conf" || bail "keepalived (200)"
ok "keepalived (200) master" wait_for 15 ka_is b MASTER
ok "vrrpd removed every route and rule on BACKUP" wait_for 5 none a
ok "vrrpd backup" wait_for 5 state_is a BACKUP
ok "keepalived's as before" wait_for 5 same_routes b

# the same cut on keepalived's side
ns_link b eth1 down
ok "keepalived: eth1 down faults VI_1 as well" wait_for 5 ka_is b FAULT
ok "vrrpd takes over" wait_for 10 state_is a MASTER
ns_link b eth1 up
ok "eth1 up: keepalived master again" wait_for 15 ka_is b MASTER
ok "... vrrpd backup with none" wait_for 5 none a

kill -TERM "$KA_b"
ok "keepalived's SIGTERM: vrrpd master" wait_for 10 state_is a MASTER
ok "keepalived removed everything on stop" wait_for 5 none b
kill -TERM "$VR_a"
ok "vrrpd's stop: none left" wait_for 5 none a
wait_gone 5 "$VR_a"

# kill -9 leaves them; --cleanup removes vrrpd's, never the operator's
# own route with the same destination (protocol 250)
vr_in a -f "$T_TMP/a.conf" || bail "vrrpd, third start"
ok "vrrpd master again" wait_for 15 state_is a MASTER
ok "... all its routes and rules" wait_for 5 full a
kill -9 "$VR_a"
wait_gone 5 "$VR_a"
is "$(nroutes a) $(nrules a)" "14 9" "kill -9: 14 routes and 9 rules left"
ip -n "$(_ns_name a)" route replace 10.1.0.0/16 via 198.51.100.254 proto 250
ns_run a vrrpd --cleanup -f "$T_TMP/a.conf" 2>"$T_TMP/c.err"
is "$?" 0 "--cleanup exits 0"
ok "--cleanup removed every route and rule vrrpd left" none a ||
    diag "$(routes a; rules a)"
like "$(cat "$T_TMP/c.err")" "cleanup: removed 22 of the virtual routes and rules" \
    "... and says how many (22: the operator's route is not one)"
like "$(ip -n "$(_ns_name a)" route show 10.1.0.0/16)" "proto 250" \
    "the operator's own 10.1.0.0/16 (proto 250) stays"

done_testing
