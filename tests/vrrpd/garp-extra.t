#!/bin/bash
# SPDX-License-Identifier: ISC
# garp_extra_if / vrrp_garp_extra_if against keepalived 2.2.7, the same
# file on host a for each daemon in turn.  The instance runs on eth0 with
# a VIP there and kolla's external VIP on eth1 (dev eth1).  tcpdump on a
# counts the gratuitous ARPs each interface sends: with "garp_extra_if
# all 1" (or the global vrrp_garp_extra_if all 1) eth1 gets one every
# second while master, eth0 (where the adverts keep the MAC fresh) only
# the one of the change to master; without "all" only VMACs get them, so
# eth1 has just its first one (keepalived 2.2.7 sends them then only on
# the VMACs of VIPs with their own use_vmac, which vrrpd refuses).  Last,
# use_vmac with vmac_xmit_base (adverts from eth0's own MAC) and
# "garp_extra_if all 1": one a second from the VMAC too.
. "$(dirname "$0")/lib.sh"
needs_root
command -v keepalived >/dev/null || cannot_run "keepalived not installed"
command -v tcpdump >/dev/null || cannot_run "needs tcpdump"
topo a
ns_switch sw1 || bail "second LAN"
ns_host sw1 a 198.51.100.1/24 || bail "a eth1"
EXT=198.51.100.100

conf() { garp_conf 100 "$1" "$2" "$VIP/24" "$EXT/24 dev eth1"; }	# GLOBAL INSTANCE
# arps NAME IF: a's gratuitous ARPs on IF into NAME.IF
arps() { capture a "$2" "$T_TMP/$1.$2" -e arp && CAP="$CAP $CAP_PID"; }
garps() { grep -c "who-has $2 .*tell $2," "$T_TMP/$1" 2>/dev/null; }
garps_ge() { [ "$(garps "$1" "$2")" -ge "$3" ]; }

for d in keepalived vrrpd; do
	for c in inst global noall vmac; do
		n=$d-$c
		case $c in
		inst)	conf "" "    garp_extra_if all 1" ;;
		global)	conf "    vrrp_garp_extra_if all 1" "" ;;
		noall)	conf "" "    garp_extra_if 1" ;;
		vmac)	conf "" "    garp_extra_if all 1
    use_vmac
    vmac_xmit_base" ;;
		esac > "$T_TMP/$n.conf"
		CAP=
		arps $n eth0 && arps $n eth1 || bail "tcpdump"
		either_start $d a "$T_TMP/$n.conf"
		pid=$D_PID
		ok "$n: master, the first GARP on eth1" \
		    wait_for 10 garps_ge $n.eth1 $EXT 1
		if [ $c = noall ]; then
			nok "$n: no more on eth1 (2.5 s)" \
			    wait_for 2.5 garps_ge $n.eth1 $EXT 2
		else
			ok "$n: one a second on eth1" \
			    wait_for 8 garps_ge $n.eth1 $EXT 4
		fi
		if [ $c = vmac ]; then
			ok "$n: one a second from the VMAC" wait_for 3 eval \
			    "[ \$(grep -c '^[0-9.]* 00:00:5e:00:01:33 > .*who-has $VIP ' \
			    $T_TMP/$n.eth0) -ge 4 ]"
		else
			is "$(garps $n.eth0 $VIP)" 1 "$n: eth0 had just its first"
		fi
		kill -TERM "$pid"
		wait_gone 15 "$pid"
		ok "$n: stopped, VIPs gone" wait_for 5 \
		    eval "no_vip a && no_vip a $EXT"
		kill $CAP
	done
done
# the global keyword's range is 1 to 86400 seconds, an instance's 0 too
printf 'global_defs {\n    vrrp_garp_extra_if all\n}\n' > "$T_TMP/bad.conf"
out=$(vrrpd -t -f "$T_TMP/bad.conf" 2>&1)
is "$?" 2 "vrrp_garp_extra_if without seconds: a config error"
like "$out" "bad\.conf:2: .*vrrp_garp_extra_if: no interval" "... naming file:line"
done_testing
