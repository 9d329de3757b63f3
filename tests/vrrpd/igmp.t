#!/bin/bash
# SPDX-License-Identifier: ISC
# disable_local_igmp (global_defs) against keepalived 2.2.7, the same file
# on host a for each daemon in turn, a use_vmac instance whose adverts
# leave from the VMAC.  keepalived sets the namespace's
# net.ipv4.igmp_link_local_mcast_reports to 0 at its start, whether or
# not an instance has a VMAC, and puts back at its exit the value it
# found (1 back to 1, a 0 stays 0); without the keyword it leaves it.  A
# reload that adds or drops the keyword changes nothing (keepalived:
# "Cannot change disable_local_igmp at a reload").  On the wire: without
# the keyword the client sees IGMP reports for 224.0.0.18 (both daemons
# join it on the VMAC), with it none.  Both send them from eth0's MAC
# (their nftables tables "ip keepalived", "ip vrrpd"): vmac-igmp.t.
. "$(dirname "$0")/lib.sh"
needs_root
command -v keepalived >/dev/null || cannot_run "keepalived not installed"
command -v tcpdump >/dev/null || cannot_run "tcpdump not installed"
topo a
host_init a || bail "host a"
VMAC=00:00:5e:00:01:33
KEY=net.ipv4.igmp_link_local_mcast_reports

conf() {	# [global_defs line]
	cat <<EOC
global_defs {
    ${1:-}
}
vrrp_instance VI_1 {
    interface eth0
    use_vmac
    virtual_router_id 51
    priority 150
    advert_int 0.1
    version 3
    virtual_ipaddress {
        $VIP/24
    }
}
EOC
}
# the VIP is on the VMAC, not eth0
holds() { ip -n "$(_ns_name a)" addr show | grep -q "inet $VIP/"; }
rd() { ip netns exec "$(_ns_name a)" sysctl -n $KEY; }
wr() { ip netns exec "$(_ns_name a)" sysctl -qw $KEY="$1"; }
reports_is() { [ "$(rd)" = "$1" ]; }
start() { daemon_in "$1" a "$T_TMP/a.conf"; }	# D
stop() { kill -TERM "$PID"; wait_gone 15 "$PID"; }
# IGMP reports from a (cl's are not counted), and the VMAC's adverts
n_reports() { grep -v "^[0-9.]* $(mac cl) " "$T_TMP/cap.$1" | grep -c ' igmp '; }
n_adverts() { grep -c "^[0-9.]* $VMAC > .*VRRPv3" "$T_TMP/cap.$1"; }
adverts_ge() { [ "$(n_adverts "$1")" -ge "$2" ]; }
reported() { [ "$(n_reports "$1")" -ge 1 ]; }

for d in keepalived vrrpd; do
	# the wire, and the value it finds
	for with in no yes; do
		c=$d.$with
		ip netns exec "$(_ns_name cl)" tcpdump -l -n -e -tt -i eth0 \
		    'igmp or ip proto 112' >"$T_TMP/cap.$c" 2>"$T_TMP/cap.$c.err" &
		cap=$!
		wait_for 5 grep -q listening "$T_TMP/cap.$c.err" || bail "tcpdump"
		gl=
		[ $with = yes ] && gl=disable_local_igmp
		conf $gl > "$T_TMP/a.conf"
		start $d
		ok "$d, disable_local_igmp $with: master" wait_for 8 holds
		if [ $with = yes ]; then
			ok "$d: reports 0 while it runs" reports_is 0
			# the VMAC's first adverts came after its join
			ok "$d: 10 adverts from the VMAC" wait_for 5 adverts_ge $c 10
			is "$(n_reports $c)" 0 \
			    "$d: no IGMP report from a"
		else
			ok "$d: reports left at 1" reports_is 1
			ok "$d: IGMP reports from a" \
			    wait_for 5 reported $c
		fi
		stop
		kill "$cap"
		ok "$d, disable_local_igmp $with: 1 at the exit" reports_is 1
	done
	# a 0 it found stays
	wr 0
	conf disable_local_igmp > "$T_TMP/a.conf"
	start $d
	ok "$d: 0 while it runs" reports_is 0
	stop
	ok "$d: a 0 it found stays 0" reports_is 0
	wr 1
	# a reload neither sets nor restores it
	for way in add drop; do
		if [ $way = add ]; then conf; else conf disable_local_igmp; fi \
		    > "$T_TMP/a.conf"
		start $d
		ok "$d: master" wait_for 8 holds
		before=$(rd)
		n=$(file_lines "$T_TMP/a.out")
		m=$(file_lines "$T_TMP/a.err")
		if [ $way = add ]; then conf disable_local_igmp; else conf; fi \
		    > "$T_TMP/a.conf"
		kill -HUP "$PID"
		if [ $d = vrrpd ]; then
			ok "$d: reload with the keyword's $way warned" \
			    wait_file_line_after 5 "$T_TMP/a.err" "$m" \
			    'disable_local_igmp changes at the next start'
		else
			ok "$d: reload with the keyword's $way refused it" \
			    wait_file_line_after 5 "$T_TMP/a.out" "$n" \
			    'Cannot change disable_local_igmp at a reload'
		fi
		is "$(rd)" "$before" "$d: the keyword's $way on a reload: unchanged"
		stop
		ok "$d: 1 after the exit" reports_is 1
	done
done
# a start that fails after setting it (the control socket cannot be made)
# puts it back too
conf disable_local_igmp > "$T_TMP/a.conf"
in_host a vrrpd -f "$T_TMP/a.conf" --control "$T_TMP/no/such/dir/ctl" \
    >/dev/null 2>"$T_TMP/fatal.err"
is "$?" 1 "vrrpd: a start that fails at the control socket exits 1"
ok "vrrpd: and puts reports back to 1" reports_is 1
done_testing
