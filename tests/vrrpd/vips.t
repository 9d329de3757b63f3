#!/bin/bash
# SPDX-License-Identifier: ISC
# The VIP forms of keepalived.conf against keepalived on the same file:
# VIPs on another interface than the instance's (kolla-ansible's external
# VIP) with label, scope and brd; virtual_ipaddress_excluded (IPv4 and
# IPv6, never advertised); IPv6 VIPs on another dev (a /128 deprecated as
# keepalived does); an instance with no VIP at all whose notify_master
# moves the address (the cloud pattern); more VIPs than fit in an advert
# (the rest are added, not advertised).  What "ip addr" shows on the
# master is the same for vrrpd and keepalived, and both remove it all on
# BACKUP and on stop.  vrrpd (a) and keepalived (b) take turns.  Last,
# vrrpd --cleanup removes what a killed vrrpd left on every interface.
. "$(dirname "$0")/lib.sh"
needs_root
command -v tcpdump >/dev/null || cannot_run "needs tcpdump"
topo a b
ns_switch sw1 || bail "second LAN"
ns_host sw1 a 198.51.100.1/24 2001:db8:1::1/64 || bail "a eth1"
ns_host sw1 b 198.51.100.2/24 2001:db8:1::2/64 || bail "b eth1"
ns_switch sw2 || bail "third LAN"
ns_host sw2 a 203.0.113.1/24 || bail "a eth2"
ns_host sw2 b 203.0.113.2/24 || bail "b eth2"
# a small MTU: keepalived fits (100 - 14 - 20 - 8 - 8) / 4 = 12 IPv4
# addresses in a VRRPv2 advert, and so must vrrpd
for h in a b; do ip -n "$(_ns_name $h)" link set eth2 mtu 100 || bail mtu; done

printf '#!/bin/sh\necho "$*" >> "%s/$1.cloud"\n' "$T_TMP" > "$T_TMP/cloud.sh"
chmod 755 "$T_TMP/cloud.sh"
many() { local i; for i in $(seq 10 23); do echo "        203.0.113.$i/24"; done; }
conf() {	# H PRIO
	cat <<C
global_defs {
    router_id $1
}
vrrp_instance VI_1 {
    interface eth0
    virtual_router_id 81
    priority $2
    advert_int 1
    virtual_ipaddress {
        192.0.2.100/24 brd +
        198.51.100.100/24 dev eth1 label eth1:ext scope global brd 198.51.100.255
        192.0.2.101/32 scope link label eth0:lnk
    }
    virtual_ipaddress_excluded {
        198.51.100.102/24 dev eth1
        2001:db8:1::102/64 dev eth1
        192.0.2.102/24 brd 192.0.2.255
    }
}
vrrp_instance VI_2 {
    interface eth0
    virtual_router_id 82
    priority $2
    advert_int 1
    notify_master "$T_TMP/cloud.sh $1 master"
    notify_backup "$T_TMP/cloud.sh $1 backup"
}
vrrp_instance VI_3 {
    interface eth0
    virtual_router_id 83
    version 3
    priority $2
    advert_int 1
    virtual_ipaddress {
        2001:db8:1::200/64 dev eth1
        2001:db8::200
    }
}
vrrp_instance VI_4 {
    interface eth2
    virtual_router_id 84
    priority $2
    advert_int 1
    virtual_ipaddress {
$(many)
    }
}
C
}
# vips H: every address H has beyond its own, as "ip -o -d addr" shows it
vips() {
	ip -n "$(_ns_name "$1")" -o -d addr show | awk '{ $1 = ""; print }' |
	    grep -v -e 'inet 192\.0\.2\.[12]/' -e 'inet 198\.51\.100\.[12]/' \
	    -e 'inet 203\.0\.113\.[12]/' -e 'inet6 2001:db8:\(1:\)\?:[12]/' \
	    -e 'inet6 fe80' -e '^ lo ' | sed -e 's/  */ /g' -e 's/^ //' | sort
}
none() { [ -z "$(vips "$1")" ]; }
nvips() { vips "$1" | wc -l; }
# wait_for runs a command on each try: these re-read the addresses each time
nvips_is() { [ "$(nvips "$1")" = "$2" ]; }
vips_are() { [ "$(vips "$1")" = "$2" ]; }
backups() { [ "$(ctl "$1" 'show instances' | grep -c 'state=BACKUP')" = 4 ]; }
# the addresses in H's next VI_4 advert on eth2, as tcpdump counts them
adv_addrs() {
	ns_run "$1" timeout 5 tcpdump -l -n -v -c 1 -i eth2 "ip proto 112 and src $2" \
	    2>/dev/null | sed -n 's/.*addrs(\([0-9]*\)).*/\1/p' | head -1
}
# all H STATE: H's four instances in STATE (vrrpd: its state lines)
masters() { [ "$(ctl "$1" 'show instances' | grep -c 'state=MASTER')" = 4 ]; }
# ka_masters H N [LINE]: keepalived on H entered MASTER N times past LINE
ka_masters() {
	[ "$(tail -n "+$((${3:-0} + 1))" "$T_TMP/$1.out" |
	    grep -c 'Entering MASTER')" -ge "$2" ]
}
host_init a || bail "host a"
host_init b || bail "host b"
conf a 150 > "$T_TMP/a.conf"
conf b 100 > "$T_TMP/b.conf"
conf b 200 > "$T_TMP/b200.conf"
exit_is 3 "vrrpd -t: the forms are accepted (3: keepalived -t flags the VIP-less one)" \
    sh -c 'vrrpd -t -f "$1" >/dev/null 2>&1' _ "$T_TMP/a.conf"
like "$(vrrpd -t -f "$T_TMP/a.conf" 2>&1)" \
    'vrrp_instance VI_2: virtual_ipaddress: none configured' \
    "... an instance without VIP with a warning, as keepalived"
ok "IPv6 ready" wait_for 5 ll_ready a b

# --- vrrpd master, keepalived backup -------------------------------------
ka_in b "$T_TMP/b.conf" || bail "keepalived"
vr_in a -f "$T_TMP/a.conf" || bail "vrrpd"
ok "vrrpd master of all four" wait_for 10 masters a
ok "... all its addresses up (3 + 3 + 2 + 14)" wait_for 5 nvips_is a 22
S_vr=$(vips a)
like "$S_vr" '^eth1 inet 198\.51\.100\.100/24 brd 198\.51\.100\.255 scope global secondary eth1:ext' \
    "VIP on eth1 (instance on eth0) with its label and broadcast"
like "$S_vr" '^eth0 inet 192\.0\.2\.101/32 scope link eth0:lnk' "scope link, label"
like "$S_vr" '^eth0 inet 192\.0\.2\.100/24 brd 192\.0\.2\.255 scope global secondary eth0' \
    "brd +, no label: the interface's"
like "$S_vr" '^eth0 inet6 2001:db8::200/128 scope global nodad deprecated .*preferred_lft 0sec' \
    "an IPv6 /128: deprecated, as keepalived"
like "$S_vr" '^eth1 inet6 2001:db8:1::102/64 scope global nodad' \
    "an excluded IPv6 address on eth1 of an IPv4 instance"
is "$(adv_addrs b 203.0.113.1)" 12 "VI_4 advertises 12 of its 14 VIPs (MTU 100)"
ok "the cloud instance's notify_master ran" wait_file_line 5 "$T_TMP/a.cloud" '^a master$'
# keepalived may have gone master before vrrpd spoke: its last word counts
last_vi2() { grep 'VI_2.*Entering' "$T_TMP/b.out" | tail -1; }
like "$(last_vi2)" 'Entering BACKUP' \
    "keepalived backup of the VIP-less instance: it takes vrrpd's empty adverts"
none b && n=0 || n=1
is "$n" 0 "keepalived (backup) holds none"

# a VIP's own interface is tracked (keepalived): eth1 down faults VI_1
# and VI_3 (instances on eth0, VIPs on eth1), not VI_2 or VI_4
n=$(file_lines "$T_TMP/b.out")
ns_link a eth1 down
ok "eth1 down: VI_1 (on eth0) FAULT for its VIP's interface" \
    wait_file_line 5 "$T_TMP/a.out" '^FAULT VI_1 .*reason=link-eth1'
ok "... VI_3 too" wait_file_line 5 "$T_TMP/a.out" '^FAULT VI_3 .*reason=link-eth1'
is "$(ctl a 'show instances' | grep -c 'state=MASTER')" 2 "VI_2 and VI_4 stay master"
ok "keepalived takes VI_1 over (priority 0 on eth0)" \
    wait_file_line_after 5 "$T_TMP/b.out" "$n" 'VI_1.*Entering MASTER'
ns_link a eth1 up
ok "eth1 up: vrrpd master of all four again" wait_for 15 masters a
ok "... its addresses as before" wait_for 5 vips_are a "$S_vr"

# vrrpd stops: keepalived takes over, vrrpd's addresses all go
n=$(file_lines "$T_TMP/b.out")
kill -TERM "$VR_a"
ok "SIGTERM: vrrpd removes every address" wait_for 5 none a
ok "keepalived master of all four" wait_for 10 ka_masters b 4 "$n"
ok "... its addresses up" wait_for 5 nvips_is b 22 ||
    diag "$(vips b; grep Entering "$T_TMP/b.out")"
S_ka=$(vips b)
is "$S_ka" "$S_vr" "keepalived's addresses are vrrpd's: label, scope, brd, flags"
is "$(adv_addrs a 203.0.113.2)" 12 "keepalived advertises 12 as well"
ok "keepalived ran the cloud notify_master" wait_file_line 5 "$T_TMP/b.cloud" '^b master$'
wait_gone 5 "$VR_a"

# vrrpd back (150) preempts: keepalived removes on BACKUP
vr_in a -f "$T_TMP/a.conf" || bail "vrrpd again"
ok "vrrpd preempts all four" wait_for 15 masters a
ok "keepalived removed its addresses on BACKUP" wait_for 5 none b
ok "vrrpd's addresses as before" wait_for 5 vips_are a "$S_vr"
ok "keepalived's cloud notify_backup ran" wait_file_line 5 "$T_TMP/b.cloud" '^b backup$'

# keepalived at 200 preempts: vrrpd removes on BACKUP
kill -TERM "$KA_b"
wait_gone 10 "$KA_b"
: > "$T_TMP/b.out"
ka_in b "$T_TMP/b200.conf" || bail "keepalived (200)"
ok "keepalived (200) master of all four" wait_for 15 ka_masters b 4
ok "vrrpd removed every address on BACKUP" wait_for 5 none a
ok "keepalived's addresses as before" wait_for 5 vips_are b "$S_ka"
ok "vrrpd's cloud notify_backup ran" wait_file_line 5 "$T_TMP/a.cloud" '^a backup$'
is "$(ctl a 'show instances' | grep -c 'state=BACKUP')" 4 "vrrpd backup of all four"
# the same cut on keepalived's side: it faults VI_1 and VI_3 as vrrpd did
n=$(file_lines "$T_TMP/b.out") m=$(file_lines "$T_TMP/a.out")
ns_link b eth1 down
ok "keepalived: eth1 down faults VI_1 (on eth0) as well" \
    wait_file_line_after 5 "$T_TMP/b.out" "$n" 'VI_1.*Entering FAULT'
ok "... and VI_3" wait_file_line_after 5 "$T_TMP/b.out" "$n" 'VI_3.*Entering FAULT'
ok "vrrpd takes VI_1 over" wait_file_line_after 5 "$T_TMP/a.out" "$m" '^MASTER VI_1 '
ns_link b eth1 up
ok "eth1 up: keepalived master of all four again" wait_for 15 ka_masters b 6
ok "vrrpd backup of all four again" \
    wait_for 5 backups a

# keepalived stops: it removes everything, vrrpd takes over
kill -TERM "$KA_b"
ok "keepalived's SIGTERM: vrrpd master of all four" wait_for 10 masters a
ok "keepalived removed every address on stop" wait_for 5 none b
ok "vrrpd's addresses as before" wait_for 5 vips_are a "$S_vr"
kill -TERM "$VR_a"
ok "vrrpd's stop: none left" wait_for 5 none a
wait_gone 5 "$VR_a"

# kill -9 leaves them all; --cleanup finds them on every interface
vr_in a -f "$T_TMP/a.conf" || bail "vrrpd once more"
ok "vrrpd master of all four" wait_for 10 masters a
ok "... all its addresses up" wait_for 5 nvips_is a 22
kill -9 "$VR_a"
wait_gone 5 "$VR_a"
is "$(nvips a)" 22 "kill -9 leaves them"
ok "vrrpd --cleanup" in_host a vrrpd --cleanup -f "$T_TMP/a.conf"
ok "... removes them from eth0, eth1 and eth2, excluded ones too" none a
done_testing
