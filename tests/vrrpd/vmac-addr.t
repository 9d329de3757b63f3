#!/bin/bash
# SPDX-License-Identifier: ISC
# use_vmac_addr (vrrp_instance) and vmac_addr_prefix (global_defs) beside
# keepalived 2.2.7, the same files, on a host with two more links (eth1,
# eth2, veth pairs in its namespace).  A VIP on another interface, or of
# the other family, goes on a VMAC of its own on that interface with the
# virtual MAC of its family: named PREFIX.VRID (PREFIX6.VRID for IPv6),
# or PREFIX1.VRID, PREFIX2.VRID ... when the name is taken; PREFIX is
# vmac_addr_prefix, else vmac_prefix.  The VMACs, their addresses, the
# nftables maps (only with use_vmac) and eth1's arp_ignore (1; its
# arp_announce stays) are keepalived's; a reload keeps them and their
# VIPs; a stop removes them, and vrrpd puts eth1's arp_ignore back
# (keepalived leaves it at 1).
. "$(dirname "$0")/lib.sh"
needs_root
command -v keepalived >/dev/null || cannot_run "keepalived not installed"
command -v nft >/dev/null || cannot_run "nft not installed"
topo a
host_init a || bail "host a"
NS=$(_ns_name a)
for i in 1 2; do
	ip -n "$NS" link add eth$i type veth peer name eth${i}p &&
	    ip -n "$NS" link set eth$i up && ip -n "$NS" link set eth${i}p up ||
	    bail "eth$i"
done

conf() {	# GLOBAL USE_VMAC
	cat <<EOC
global_defs {
    $1
}
vrrp_instance VI_1 {
    state BACKUP
    interface eth0
    $2
    use_vmac_addr
    virtual_router_id 51
    priority 150
    version 3
    advert_int 0.3
    virtual_ipaddress {
        $VIP/24
        198.51.100.100/24 dev eth1
        198.51.100.101/24 dev eth1
        203.0.113.1/24 dev eth2
    }
    virtual_ipaddress_excluded {
        2001:db8:1::100/64 dev eth1
        2001:db8::100/64
    }
}
EOC
}
conf "vmac_addr_prefix va" use_vmac > "$T_TMP/va.conf"
conf "vmac_prefix vm" use_vmac > "$T_TMP/vm.conf"
conf "" "" > "$T_TMP/plain.conf"

# each macvlan: "NAME@PARENT MAC ADDRESSES" (no link-local: keepalived
# gives an IPv6 VMAC its parent's, vrrpd none), sorted
vmacs() {
	ip -n "$NS" -br link show type macvlan | awk '{ print $1, $3 }' |
	    while read -r l m; do
		echo "$l $m $(ip -n "$NS" -br addr show dev "${l%@*}" |
		    awk '{ for (i = 3; i <= NF; i++) if ($i !~ /^fe80/)
			printf "%s ", $i }')"
	    done | sort
}
# the VIPs are all up (the master's), on N VMACs
all_up() { [ "$(vmacs | grep -c '[0-9]/[0-9]')" = "$1" ]; }
none() { [ -z "$(ip -n "$NS" -br link show type macvlan)" ]; }
elements() { ns_run a nft list ruleset 2>/dev/null | grep elements | sort; }
sysctls() { ns_run a sysctl -n net.ipv4.conf.eth1.arp_ignore \
    net.ipv4.conf.eth1.arp_announce | tr '\n' ' '; }
reloaded() {
	if [ "$1" = vrrpd ]; then
		grep -q 'reloaded: 1 instance' "$T_TMP/a.err"
	else
		grep -q 'Reload complete' "$T_TMP/a.out"
	fi
}
same() { [ "$(vmacs)" = "$(cat "$1")" ]; }

for f in va vm plain; do
	for d in keepalived vrrpd; do
		: > "$T_TMP/a.out"
		: > "$T_TMP/a.err"
		# keepalived leaves eth1's arp_ignore at 1 (it puts back only
		# the instance's interface's): each run starts from 0 0
		ns_run a sysctl -qw net.ipv4.conf.eth1.arp_ignore=0 \
		    net.ipv4.conf.eth1.arp_announce=0
		daemon_in $d a "$T_TMP/$f.conf"
		# without use_vmac the instance's VIP is on eth0
		ok "$d ($f): master, every VIP on its VMAC" \
		    wait_for 8 all_up $([ $f = plain ] && echo 4 || echo 5)
		vmacs > "$T_TMP/$f.$d"
		elements > "$T_TMP/$f.$d.nft"
		sysctls > "$T_TMP/$f.$d.sysctl"
		kill -HUP "$PID"
		# a reload that kept them all: the same once it is done
		ok "$d ($f): reloaded" wait_for 5 reloaded $d
		ok "$d ($f): ... keeping the VMACs and their VIPs" \
		    same "$T_TMP/$f.$d"
		kill -TERM "$PID"
		wait_gone 15 "$PID"
		ok "$d ($f): gone at the stop" wait_for 5 none
	done
	is "$(sysctls)" "0 0 " "vrrpd ($f): eth1's sysctls back at the stop"
	is "$(cat "$T_TMP/$f.vrrpd")" "$(cat "$T_TMP/$f.keepalived")" \
	    "$f: vrrpd's VMACs and addresses are keepalived's"
	is "$(cat "$T_TMP/$f.vrrpd.nft")" "$(cat "$T_TMP/$f.keepalived.nft")" \
	    "$f: the nftables maps and set too"
	is "$(cat "$T_TMP/$f.vrrpd.sysctl")" \
	    "$(cat "$T_TMP/$f.keepalived.sysctl")" \
	    "$f: eth1's arp_ignore and arp_announce too"
done
is "$(cut -d' ' -f1-2 "$T_TMP/va.vrrpd")" "va.51@eth1 00:00:5e:00:01:33
va1.51@eth2 00:00:5e:00:01:33
va2.51@eth0 00:00:5e:00:02:33
va6.51@eth1 00:00:5e:00:02:33
vrrp.51@eth0 00:00:5e:00:01:33" "vmac_addr_prefix va: va[6].51, then va1, va2"
is "$(cut -d' ' -f1 "$T_TMP/vm.vrrpd" | tr '\n' ' ')" \
    "vm.51@eth0 vm1.51@eth1 vm2.51@eth2 vm3.51@eth0 vm6.51@eth1 " \
    "no vmac_addr_prefix: vmac_prefix's, vm.51 the instance's"
is "$(cat "$T_TMP/plain.vrrpd.nft")" "" "no use_vmac: no table"
done_testing
