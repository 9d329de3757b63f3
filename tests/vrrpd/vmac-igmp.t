#!/bin/bash
# SPDX-License-Identifier: ISC
# use_vmac's IGMP and MLD reports on the wire, keepalived 2.2.7 then vrrpd
# with the same files: a (150) master, b (100) backup, each with an IPv4
# instance (VMAC vrrp.51, adverts from it, so it joins 224.0.0.18) and an
# IPv6 one (vrrp6.52).  keepalived's tables "ip keepalived" and "ip6
# keepalived" (vrrpd's: "ip vrrpd", "ip6 vrrpd") send a report leaving a
# macvlan out of its parent instead: a switch never learns the virtual
# MAC from a backup's report.  The client asks (an IGMPv3 general query)
# and both hosts answer for 224.0.0.18 from their eth0's MAC, the
# master's from the VIP, the backup's from 0.0.0.0; the master's MLD
# reports for the IPv6 VIP's solicited-node group too; no report ever
# leaves from a virtual MAC, from the start to after the stop; adverts
# still do (RFC 5798 7.3); the tables are there while the daemon runs, on
# the backup as on the master; a reload that deletes the IPv6 instance
# takes its VMAC out of them and keeps "ip6 keepalived" / "ip6 vrrpd",
# emptied: its map and set with no element, its chain and rules, the same
# for both daemons, until the stop; they are gone after the stop.  At the stop
# each host leaves 224.0.0.18 from its eth0 (an IGMPv3 change-to-include
# report, as the VMAC's leave goes out of the parent before the VMAC is
# removed), and b leaves ff02::12 (a's VI_6 went at the reload).
. "$(dirname "$0")/lib.sh"
needs_root
command -v keepalived >/dev/null || cannot_run "keepalived not installed"
command -v tcpdump >/dev/null || cannot_run "tcpdump not installed"
command -v nft >/dev/null || cannot_run "nft not installed"
topo a b
host_init a || bail "host a"
host_init b || bail "host b"
VMAC=00:00:5e:00:01:33
VMAC6=00:00:5e:00:02:34
VIP6=2001:db8::100

conf() {	# PRIO [v4: without VI_6]
	cat <<EOC
vrrp_instance VI_1 {
    state BACKUP
    interface eth0
    use_vmac
    virtual_router_id 51
    priority $1
    version 3
    advert_int 0.3
    virtual_ipaddress {
        $VIP/24
    }
}
EOC
	[ "${2:-}" = v4 ] || cat <<EOC
vrrp_instance VI_6 {
    state BACKUP
    interface eth0
    use_vmac vrrp6.52
    virtual_router_id 52
    priority $1
    version 3
    advert_int 0.3
    virtual_ipaddress {
        $VIP6/64
    }
}
EOC
}
conf 150 > "$T_TMP/a.conf"
conf 100 > "$T_TMP/b.conf"
MAC_a=$(mac a)
MAC_b=$(mac b)

# An IGMPv3 general query (RFC 3376 4.1) from the client to 224.0.0.1:
# max response time 1 s, QRV 2, QQIC 1 s.
igmp_query() {
	ns_run cl python3 -c '
import socket, struct
def csum(b):
    s = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return ~s & 0xffff
q = struct.pack("!BBH4sBBH", 0x11, 10, 0, bytes(4), 2, 10, 0)
q = q[:2] + struct.pack("!H", csum(q)) + q[4:]
s = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_IGMP)
s.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_TTL, 1)
s.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_IF,
             socket.inet_aton("192.0.2.50"))
s.sendto(q, ("224.0.0.1", 0))'
}
# IGMP reports in the capture after line N from MAC with IP source SRC
_reports() {	# FILE N MAC SRC
	awk -v n="$2" -v mac="$3" -v src="$4" 'NR > n && $2 == mac &&
	    / igmp v3 report/ && $0 ~ (": " src " > ") { c++ }
	    END { print c + 0 }' "$1"
}
reported() { [ "$(_reports "$@")" -ge 1 ]; }
# reports (IGMP, or MLD in cap6) from a virtual MAC
vmac_reports() { grep -c "^[0-9.]* \($VMAC\|$VMAC6\) > .*\(igmp\|listener report\)" "$1"; }
# MLD reports from MAC for the IPv6 VIP's solicited-node group
mld_vip() { grep "^[0-9.]* $2 > " "$1" | grep -c 'listener report.*gaddr ff02::1:ff00:100 '; }
mld_reported() { [ "$(mld_vip "$@")" -ge 1 ]; }
# IGMP leaves (v3 change-to-include, v2 leave) for 224.0.0.18 from MAC in
# a "tcpdump -e -v" capture, where the records follow the MAC's line
igmp_left() {	# FILE MAC
	awk -v mac="$2" '/^[0-9]/ { m = $2 }
	    m == mac && /gaddr 224\.0\.0\.18 to_in|igmp leave 224\.0\.0\.18/ {
		c++ }
	    END { exit !c }' "$1"
}
# MLDv2 leaves (change-to-include) of GROUP from MAC
mld_left() { grep "^[0-9.]* $2 > " "$1" | grep -q "gaddr $3 to_in"; }
adverts() { grep -c "^[0-9.]* $2 > 01:00:5e:00:00:12, .*VRRPv3" "$1"; }
adverts_ge() { [ "$(adverts "$1" "$2")" -ge "$3" ]; }
holds() { ip -n "$(_ns_name "$1")" addr show dev vrrp.51 2>/dev/null |
    grep -q "inet $VIP/"; }
backup() { grep -q "Entering BACKUP\|^BACKUP VI_1 " "$T_TMP/$1.out"; }
# the tables map the VMACs to eth0
tables4() { ns_run "$1" nft list table ip "$2" 2>/dev/null |
    grep -q 'elements = { "vrrp.51" : "eth0" }'; }
tables() {	# H TABLE
	tables4 "$@" && ns_run "$1" nft list table ip6 "$2" 2>/dev/null |
	    grep -q 'elements = { "vrrp6.52" : "eth0" }'
}
# no IPv6 VMAC in them
no_vmac6() { ! ns_run "$1" nft list table ip6 "$2" 2>/dev/null |
    grep -q 'elements'; }
# table ip6 D, as nft lists it, the daemon's name taken out
table6() { ns_run "$1" nft list table ip6 "$2" 2>/dev/null | sed "s/ $2 / D /"; }
# the emptied table kept: its map, set, chain and both rules
kept6() {
	local t
	t=$(table6 "$@") && [ -n "$t" ] && ! grep -q elements <<<"$t" &&
	    grep -q 'map vmac_map' <<<"$t" && grep -q 'set vmac_set' <<<"$t" &&
	    grep -q 'mld2-listener-report .* map @vmac_map drop' <<<"$t" &&
	    grep -q 'nd-router-solicit .* oif @vmac_set drop' <<<"$t"
}
gone6() { ! ip -n "$(_ns_name "$1")" link show vrrp6.52 >/dev/null 2>&1; }
no_table() { ! ns_run "$1" nft list tables | grep -q " $2\$"; }

for d in keepalived vrrpd; do
	c4=$T_TMP/cap4.$d
	c6=$T_TMP/cap6.$d
	capture cl eth0 "$c4" -e 'igmp or ip proto 112' || bail "tcpdump"
	cap4=$CAP_PID
	capture cl eth0 "$c6" -e -v 'ip6' || bail "tcpdump"
	cap6=$CAP_PID
	cv=$T_TMP/capv.$d
	capture cl eth0 "$cv" -e -v igmp || bail "tcpdump"
	capv=$CAP_PID
	: > "$T_TMP/a.out"
	: > "$T_TMP/b.out"
	daemon_in $d a "$T_TMP/a.conf"
	pa=$PID
	ok "$d: a master" wait_for 8 holds a
	daemon_in $d b "$T_TMP/b.conf"
	pb=$PID
	ok "$d: b backup" wait_for 5 backup b
	ok "$d: a's tables: vrrp.51 and vrrp6.52 to eth0" wait_for 5 tables a $d
	ok "$d: b's too (backup)" wait_for 5 tables b $d

	n=$(file_lines "$c4")
	igmp_query
	ok "$d: the backup's reports for 224.0.0.18 leave from b's eth0" \
	    wait_for 5 reported "$c4" "$n" "$MAC_b" 0.0.0.0
	ok "$d: the master's answer from a's eth0 (from the VIP: its VMAC's)" \
	    wait_for 5 reported "$c4" "$n" "$MAC_a" "$VIP"
	ok "$d: the master's MLD reports for $VIP6 from a's eth0" \
	    wait_for 5 mld_reported "$c6" "$MAC_a"
	ok "$d: adverts still leave from $VMAC" wait_for 5 adverts_ge "$c4" $VMAC 3
	is "$(adverts "$c4" "$MAC_a")/$(adverts "$c4" "$MAC_b")" 0/0 \
	    "$d: none from the hosts' own MACs"

	# a reload that deletes VI_6 on a (the master)
	conf 150 v4 > "$T_TMP/a.conf"
	kill -HUP "$pa"
	ok "$d: a reload deletes VI_6" wait_for 5 gone6 a
	ok "$d: ... and takes vrrp6.52 out of a's tables" \
	    wait_for 5 no_vmac6 a $d
	ok "$d: ... vrrp.51 stays" tables4 a $d
	ok "$d: ... table ip6 $d stays, emptied" kept6 a $d
	table6 a $d > "$T_TMP/kept6.$d"
	conf 150 > "$T_TMP/a.conf"

	tables4 a $d && kept6 a $d && tables b $d && had=yes || had=no
	kill -TERM "$pb"
	wait_gone 15 "$pb"
	kill -TERM "$pa"
	wait_gone 15 "$pa"
	ok "$d: the tables (there until the stop) gone after it" \
	    eval '[ $had = yes ] && no_table a $d && no_table b $d'
	ok "$d: a left 224.0.0.18 from its eth0 at the stop" \
	    wait_for 5 igmp_left "$cv" "$MAC_a"
	ok "$d: b too (backup)" wait_for 5 igmp_left "$cv" "$MAC_b"
	ok "$d: b left ff02::12 from its eth0 (VI_6)" \
	    wait_for 5 mld_left "$c6" "$MAC_b" ff02::12
	kill "$cap4" "$cap6" "$capv"
	is "$(vmac_reports "$c4")" 0 \
	    "$d: no IGMP report from $VMAC, from the start to after the stop"
	is "$(vmac_reports "$c6")" 0 "$d: no MLD report from $VMAC6"
done
is "$(cat "$T_TMP/kept6.vrrpd")" "$(cat "$T_TMP/kept6.keepalived")" \
    "the emptied table ip6 vrrpd lists as keepalived's"
done_testing
