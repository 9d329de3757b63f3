#!/bin/bash
# SPDX-License-Identifier: ISC
# static_ipaddress against keepalived 2.2.7 on the same file: both add
# the addresses at start whatever the VRRP state (the instance is in
# FAULT throughout: its track script fails), with the options of
# virtual_ipaddress (label, scope, brd, IPv6; with no dev on eth0, or on
# global_defs' default_interface); a reload (SIGHUP) with a changed block
# removes the addresses it lost, adds the new ones and leaves the kept
# one; a stop removes them all.
# keepalived runs first and its "ip addr" at each step is what vrrpd
# must show.
. "$(dirname "$0")/lib.sh"
needs_root
topo a
host_init a || bail "host a"
ip -n "$(_ns_name a)" link add st0 type veth peer name st1 &&
    ip -n "$(_ns_name a)" link set st0 up || bail "a's st0"

conf() {	# the static_ipaddress lines [global_defs lines]
	cat <<C
global_defs {
$2
}
static_ipaddress {
$1
}
vrrp_script chk_down {
    script "/bin/false"
    interval 1
}
vrrp_instance VI_1 {
    interface eth0
    virtual_router_id 51
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
conf "    10.9.0.1/24 dev eth0
    10.9.1.1/24 dev eth0 label eth0:st scope link brd +
    10.9.4.1/24
    2001:db8:9::1/64 dev eth0" > "$T_TMP/one.conf"
conf "    10.9.0.1/24 dev eth0
    10.9.2.1/24 dev eth0 scope host
    10.9.6.1/24" "    default_interface st0" > "$T_TMP/two.conf"

# addrs: the static addresses on a, as "ip -o addr" shows them
addrs() {
	ip -n "$(_ns_name a)" -o addr show |
	    awk '$4 ~ /^(10\.9\.|2001:db8:9:)/ { $1 = ""; sub(/ *\\.*/, ""); print }' |
	    sort
}
naddrs_is() { [ "$(addrs | wc -l)" = "$1" ]; }
# addrs_are SNAPSHOT: a shows what keepalived showed
addrs_are() { [ "$(addrs)" = "$1" ]; }

ok "vrrpd -t takes static_ipaddress" vrrpd -t -f "$T_TMP/one.conf"

# --- keepalived: what the file does ---------------------------------------
cp "$T_TMP/one.conf" "$T_TMP/run.conf"
ka_in a "$T_TMP/run.conf" "VRRP_Script(chk_down) failed" || bail "keepalived"
ok "keepalived: its 4 static addresses up (the instance down)" \
    wait_for 5 naddrs_is 4
KA1=$(addrs)
like "$KA1" 'eth0 inet 10\.9\.1\.1/24 brd 10\.9\.1\.255 scope link eth0:st' \
    "keepalived: label, scope and brd +"
like "$KA1" 'eth0 inet 10\.9\.4\.1/24 scope global eth0' \
    "keepalived: no dev is eth0"
nok "keepalived in FAULT holds no VIP" has_vip a
n=$(file_lines "$T_TMP/a.out")
cp "$T_TMP/two.conf" "$T_TMP/run.conf"
kill -HUP "$KA_a"
ok "keepalived reloads" wait_file_line_after 10 "$T_TMP/a.out" "$n" 'Reload complete'
ok "... and has 3 static addresses" wait_for 5 naddrs_is 3
KA2=$(addrs)
like "$KA2" '10\.9\.2\.1/24 scope host' "keepalived: the new one added"
like "$KA2" '10\.9\.0\.1/24' "keepalived: the kept one stays"
like "$KA2" 'st0 inet 10\.9\.6\.1/24' "keepalived: no dev is default_interface"
kill -TERM "$KA_a"
wait_gone 15 "$KA_a"
is "$(addrs)" "" "keepalived's stop removes them all"

# --- vrrpd on the same file -------------------------------------------------
cp "$T_TMP/one.conf" "$T_TMP/run.conf"
vr_in a -f "$T_TMP/run.conf" || bail "vrrpd"
ok "vrrpd: the instance in FAULT" wait_for 5 state_is a FAULT
ok "... its static addresses are keepalived's" wait_for 5 addrs_are "$KA1" ||
    diag "$(addrs)"
nok "vrrpd in FAULT holds no VIP" has_vip a
n=$(file_lines "$T_TMP/a.err")
cp "$T_TMP/two.conf" "$T_TMP/run.conf"
kill -HUP "$VR_a"
ok "vrrpd reloads" wait_file_line_after 5 "$T_TMP/a.err" "$n" 'reloaded'
ok "... its static addresses are keepalived's after its reload" \
    wait_for 5 addrs_are "$KA2" || diag "$(addrs)"
kill -TERM "$VR_a"
wait_gone 10 "$VR_a"
is "$(addrs)" "" "vrrpd's stop removes them all"

done_testing
