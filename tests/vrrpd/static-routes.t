#!/bin/bash
# SPDX-License-Identifier: ISC
# static_routes and static_rules against keepalived 2.2.7 on the same
# file: both add them at start whatever the VRRP state (the instance is
# down throughout: its track script fails), with protocol keepalived as
# virtual_routes and virtual_rules have it (types, tables, metric, src on
# a static address, IPv6, blackhole, fwmark); a reload (SIGHUP) with
# changed blocks removes those it lost, adds the new ones and leaves the
# kept ones; a stop removes them all.  keepalived runs first and its "ip
# route" and "ip rule" at each step are what vrrpd must show.
. "$(dirname "$0")/lib.sh"
needs_root
topo a
ns_switch sw1 || bail "second LAN"
ns_host sw1 a 198.51.100.1/24 || bail "a eth1"
host_init a || bail "host a"

conf() {	# ROUTES RULES
	cat <<C
static_ipaddress {
    10.9.0.1/24 dev eth0
}
static_routes {
$1
}
static_rules {
$2
}
vrrp_script chk_down {
    script "/bin/false"
    interval 1
}
vrrp_instance VI_1 {
    interface eth0
    virtual_router_id 52
    priority 100
    advert_int 1
    virtual_ipaddress {
        192.0.2.100/24
    }
    track_script {
        chk_down
    }
}
C
}
conf "    10.20.0.0/16 via 192.0.2.254 dev eth0
    10.21.0.0/16 via 192.0.2.254 dev eth0 table 100 metric 20
    src 10.9.0.1 10.22.0.0/16 via 192.0.2.254 dev eth0
    10.23.0.0/16 dev eth1 scope link
    blackhole 10.24.0.0/16 table 101 no_track
    2001:db8:20::/48 via 2001:db8::fe dev eth0" \
"    from 10.9.0.0/24 table 100 priority 100
    to 10.25.0.0/16 table 101 priority 200
    fwmark 0x10/0xff table 100 priority 300
    from 2001:db8::/64 table 100 priority 400" > "$T_TMP/one.conf"
conf "    10.20.0.0/16 via 192.0.2.254 dev eth0
    10.26.0.0/16 via 198.51.100.254 dev eth1" \
"    from 10.9.0.0/24 table 100 priority 100
    iif eth1 table 102 priority 500" > "$T_TMP/two.conf"

# routes / rules: what a daemon added on a, as ip(8) prints it
routes() {
	ip -n "$(_ns_name a)" route show table all | grep 'proto keepalived'
}
rules() {
	{ ip -n "$(_ns_name a)" rule; ip -n "$(_ns_name a)" -6 rule; } |
	    grep 'proto keepalived'
}
both() { routes; rules; }
n_is() { [ "$(both | wc -l)" = "$1" ]; }
# both_are SNAPSHOT: a shows what keepalived showed
both_are() { [ "$(both)" = "$1" ]; }

exit_is 0 "vrrpd -t takes static_routes and static_rules" \
    vrrpd -t -f "$T_TMP/one.conf"
ok "IPv6 ready" wait_for 10 ll_ready a

# --- keepalived: what the file does ---------------------------------------
cp "$T_TMP/one.conf" "$T_TMP/run.conf"
ka_in a "$T_TMP/run.conf" "VRRP_Script(chk_down) failed" || bail "keepalived"
ok "keepalived: 6 static routes and 4 rules up (the instance down)" \
    wait_for 5 n_is 10 || diag "$(both)"
KA1=$(both)
like "$KA1" '^10\.21\.0\.0/16 via 192\.0\.2\.254 dev eth0 table 100 proto keepalived metric 20' \
    "keepalived: table and metric"
like "$KA1" '10\.22\.0\.0/16 via 192\.0\.2\.254 dev eth0 proto keepalived src 10\.9\.0\.1' \
    "keepalived: src on a static address"
like "$KA1" '^300:	from all fwmark 0x10/0xff lookup 100 proto keepalived' \
    "keepalived: a fwmark rule"
nok "keepalived down holds no VIP" has_vip a
n=$(file_lines "$T_TMP/a.out")
cp "$T_TMP/two.conf" "$T_TMP/run.conf"
kill -HUP "$KA_a"
ok "keepalived reloads" wait_file_line_after 10 "$T_TMP/a.out" "$n" 'Reload complete'
ok "... and has 2 static routes and 2 rules" wait_for 5 n_is 4 || diag "$(both)"
KA2=$(both)
like "$KA2" '^10\.26\.0\.0/16 via 198\.51\.100\.254 dev eth1 proto keepalived' \
    "keepalived: the new route added"
like "$KA2" '^500:	from all iif eth1 lookup 102 proto keepalived' \
    "keepalived: the new rule added"
like "$KA2" '^100:	from 10\.9\.0\.0/24 lookup 100 proto keepalived' \
    "keepalived: the kept rule stays"
kill -TERM "$KA_a"
wait_gone 15 "$KA_a"
is "$(both)" "" "keepalived's stop removes them all"

# --- vrrpd on the same file -------------------------------------------------
cp "$T_TMP/one.conf" "$T_TMP/run.conf"
vr_in a -f "$T_TMP/run.conf" || bail "vrrpd"
ok "vrrpd: the instance in FAULT" wait_for 5 state_is a FAULT
ok "... its static routes and rules are keepalived's" \
    wait_for 5 both_are "$KA1" || diag "$(both)"
nok "vrrpd in FAULT holds no VIP" has_vip a
n=$(file_lines "$T_TMP/a.err")
cp "$T_TMP/two.conf" "$T_TMP/run.conf"
kill -HUP "$VR_a"
ok "vrrpd reloads" wait_file_line_after 5 "$T_TMP/a.err" "$n" 'reloaded'
ok "... its static routes and rules are keepalived's after its reload" \
    wait_for 5 both_are "$KA2" || diag "$(both)"
kill -TERM "$VR_a"
wait_gone 10 "$VR_a"
is "$(both)" "" "vrrpd's stop removes them all"

done_testing
