#!/bin/bash
# SPDX-License-Identifier: ISC
# vrrp_vmac_garp_intvl (global_defs) against keepalived 2.2.7, the same
# file on host a for each daemon in turn.  In 2.2.7 it is the deprecated
# name of vrrp_garp_extra_if (one handler; keepalived -t says "deprecated
# - please use vrrp_garp_extra_if"): with "all 1" the VIP on eth1 gets a
# gratuitous ARP every second while master, eth0 only the first one (as
# tests/vrrpd/garp-extra.t checks for the new name).  Both daemons warn.
. "$(dirname "$0")/lib.sh"
needs_root
command -v keepalived >/dev/null || cannot_run "keepalived not installed"
command -v tcpdump >/dev/null || cannot_run "needs tcpdump"
topo a
ns_switch sw1 || bail "second LAN"
ns_host sw1 a 198.51.100.1/24 || bail "a eth1"
EXT=198.51.100.100

garp_conf 100 "    vrrp_vmac_garp_intvl all 1" "" "$VIP/24" "$EXT/24 dev eth1" \
    > "$T_TMP/a.conf"
# arps NAME IF: a's gratuitous ARPs on IF into NAME.IF
arps() { capture a "$2" "$T_TMP/$1.$2" -e arp && CAP="$CAP $CAP_PID"; }
garps() { grep -c "who-has $2 .*tell $2," "$T_TMP/$1" 2>/dev/null; }
garps_ge() { [ "$(garps "$1" "$2")" -ge "$3" ]; }

like "$(keepalived -t -f "$T_TMP/a.conf" 2>&1)" \
    'vrrp_vmac_garp_intvl" is deprecated - please use "vrrp_garp_extra_if' \
    "keepalived -t: deprecated, the new name given"
like "$(vrrpd -t -f "$T_TMP/a.conf" 2>&1)" \
    'a\.conf:[0-9]*: warning: .*vrrp_vmac_garp_intvl: deprecated; read as vrrp_garp_extra_if' \
    "vrrpd -t: deprecated, read as the new name"
for d in keepalived vrrpd; do
	CAP=
	arps $d eth0 && arps $d eth1 || bail "tcpdump"
	either_start $d a "$T_TMP/a.conf"
	pid=$D_PID
	ok "$d: master, the first GARP on eth1" wait_for 10 garps_ge $d.eth1 $EXT 1
	ok "$d: one a second on eth1" wait_for 8 garps_ge $d.eth1 $EXT 4
	is "$(garps $d.eth0 $VIP)" 1 "$d: eth0 had just its first"
	kill -TERM "$pid"
	wait_gone 15 "$pid"
	ok "$d: stopped, VIPs gone" wait_for 5 eval "no_vip a && no_vip a $EXT"
	kill $CAP
done
done_testing
