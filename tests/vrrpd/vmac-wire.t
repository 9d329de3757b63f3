#!/bin/bash
# SPDX-License-Identifier: ISC
# use_vmac and use_vmac + vmac_xmit_base against keepalived 2.2.7, the
# same config text on both hosts (priorities apart), both directions:
# vrrpd master with keepalived backup, keepalived takes over at vrrpd's
# stop; then keepalived master with vrrpd backup, vrrpd takes over at
# keepalived's stop.  The client's ARP entry for the VIP is the virtual
# MAC 00:00:5e:00:01:33 whenever vrrpd is master (no gratuitous ARP
# needed to move it; keepalived's master may teach it its eth0 MAC).
# The adverts are read from the client's pcap field by field
# (vmac-wire.py): source MAC (the VMAC, or with vmac_xmit_base the base
# interface's own MAC), destination MAC, IP header (TOS, TTL, DF, length,
# source = the host's own address), VRRP fields, checksum; vrrpd's must
# equal keepalived's but for the priority.
. "$(dirname "$0")/lib.sh"
needs_root
command -v keepalived >/dev/null || cannot_run "keepalived not installed"
command -v tcpdump >/dev/null || cannot_run "tcpdump not installed"
topo a b
host_init a || bail "host a"
host_init b || bail "host b"
VMAC=00:00:5e:00:01:33

conf() {	# conf PRIO ROUTER-ID EXTRA
	cat <<EOC
global_defs {
    router_id $2
}
vrrp_instance VI_1 {
    state BACKUP
    interface eth0
    use_vmac
$3
    virtual_router_id 51
    priority $1
    advert_int 1
    virtual_ipaddress {
        $VIP/24
    }
}
EOC
}

# fields V: the adverts in V's capture, one line each (vmac-wire.py)
fields() { python3 "$T_TOP/tests/vrrpd/vmac-wire.py" "$T_TMP/$1.pcap" 2>/dev/null; }
# adv V PRIO AFTER: an advert at PRIO after AFTER (epoch ms) was captured
_adv() { fields "$1" | awk -v p="$2" -v t="$3" '
    $1 * 1000 >= t && $16 == p { f = 1 } END { exit !f }'; }
adv() { wait_for 10 _adv "$@"; }
# norm V PRIO HOST: the first advert at PRIO, the time and the priority
# left out, the host's own MAC and address named as such
norm() {
	fields "$1" | awk -v p="$2" -v m="$(mac "$3")" -v vm="$VMAC" \
	    -v ip="$4" '$16 == p {
		$1 = ""; $16 = "PRIO"
		if ($2 == m) $2 = "OWN-MAC"; else if ($2 == vm) $2 = "VMAC"
		if ($11 == ip) $11 = "OWN-IP"
		print; exit }'
}
arp_vmac() { arp_is "$VIP" "$VMAC"; }
fresh() {
	ip -n "$(_ns_name cl)" neigh flush dev eth0 to "$VIP"
	wait_for 5 reach && arp_vmac
}

for v in vmac xmit; do
	x=; [ $v = xmit ] && x="    vmac_xmit_base"
	conf 150 a "$x" > "$T_TMP/$v-a.conf"
	conf 50 a "$x" > "$T_TMP/$v-a-low.conf"
	conf 100 b "$x" > "$T_TMP/$v-b.conf"
	ok "$v: vrrpd -t accepts it" vrrpd -t -f "$T_TMP/$v-a.conf"
	(ns_run cl tcpdump -U -n -i eth0 -w "$T_TMP/$v.pcap" 'ip proto 112' \
	    2>"$T_TMP/$v.cap.err" &)
	wait_for 5 grep -q listening "$T_TMP/$v.cap.err" || bail "tcpdump"

	# vrrpd master, keepalived backup; keepalived takes over
	: > "$T_TMP/b.out"
	ka_in b "$T_TMP/$v-b.conf" || bail "keepalived"
	vr_in a -f "$T_TMP/$v-a.conf" || bail "vrrpd"
	t0=$(ms)
	ok "$v: vrrpd master, adverts on the wire" adv $v 150 "$t0"
	ok "$v: the client reaches the VIP at $VMAC" fresh
	t0=$(ms)
	kill "$VR_a"; wait_gone 10 "$VR_a"
	ok "$v: vrrpd stopped, keepalived master" adv $v 100 "$t0"
	# (keepalived 2.2.7 leaves eth0's arp_announce at 0: its replies
	# may teach the client eth0's MAC for the VIP, see vmac.t; vrrpd's
	# take-over below must bring the VMAC back)
	ok "$v: the client reaches the VIP" wait_for 10 reach
	diag "$v: the client's entry, keepalived master: $(ip -n \
	    "$(_ns_name cl)" neigh show "$VIP")"

	# keepalived master, vrrpd backup; vrrpd takes over
	vr_in a -f "$T_TMP/$v-a-low.conf" || bail "vrrpd low"
	ok "$v: vrrpd backup" wait_for 10 state_is a BACKUP
	t0=$(ms)
	kill "$KA_b"; wait_gone 10 "$KA_b"
	ok "$v: keepalived stopped, vrrpd master" adv $v 50 "$t0"
	ok "$v: the client reaches the VIP, its entry still $VMAC" \
	    eval 'wait_for 10 reach && arp_vmac'
	kill "$VR_a"; wait_gone 10 "$VR_a"

	own=VMAC; [ $v = xmit ] && own=OWN-MAC
	ka=$(norm $v 100 b 192.0.2.2) vr=$(norm $v 150 a 192.0.2.1)
	diag "$v: keepalived:$ka"
	diag "$v: vrrpd:     $vr"
	is "$vr" "$ka" "$v: vrrpd's advert is keepalived's, field by field"
	like "$vr" "^ $own 01:00:5e:00:00:12 0800 " \
	    "$v: ... from the $own, to VRRP's multicast MAC"
	like "$(norm $v 50 a 192.0.2.1)" "^ $own " \
	    "$v: ... and so after vrrpd took over as backup"
	like "$vr" " OWN-IP 224.0.0.18 2 1 51 PRIO 1 0 1 ok $VIP\$" \
	    "$v: ... from the host's own address, VRRPv2, checksum good"
done
done_testing
