#!/bin/bash
# SPDX-License-Identifier: ISC
# garp_group beside keepalived 2.2.7, the same files, seen on the wire:
# the master's gratuitous ARPs (NAs) on a group's interfaces leave one per
# garp_interval (gna_interval), across all the group's interfaces; one
# goes at once, the others wait, each VIP once however many of the
# vrrp_garp_master_repeat 3 rounds asked for it, then leave one per
# interval in config order.  ARPs and NAs are spaced apart from each
# other; an interface in no group sends its 3 rounds at once.  The host
# has a second link, eth1 (a veth pair in its namespace), with one VIP.
# Without garp_group, vrrp_garp_interval and vrrp_gna_interval space each
# interface's own the same way.
# Spacing is read from the kernel's timestamps of the packets as they
# leave, in order: no gap of vrrpd's shorter than 0.9 interval, nor
# keepalived's mean one.
. "$(dirname "$0")/lib.sh"
needs_root
command -v keepalived >/dev/null || cannot_run "keepalived not installed"
command -v tcpdump >/dev/null || cannot_run "tcpdump not installed"
topo a
host_init a || bail "host a"
NS=$(_ns_name a)
ip -n "$NS" link add eth1 type veth peer name eth1p &&
    ip -n "$NS" link set eth1 up && ip -n "$NS" link set eth1p up &&
    ip -n "$NS" addr add 198.51.100.1/24 dev eth1 || bail "eth1"

conf() {	# GARP_GROUP EXCLUDED [GLOBAL_DEFS_LINES]
	cat <<EOC
global_defs {
    vrrp_garp_master_delay 0
    vrrp_garp_master_repeat 3
${3:-}
}
$1
vrrp_instance VI_1 {
    state BACKUP
    interface eth0
    virtual_router_id 51
    priority 150
    advert_int 1
    virtual_ipaddress {
        $VIP/24
        192.0.2.101/24
        198.51.100.100/24 dev eth1
    }
    virtual_ipaddress_excluded {
$2
    }
}
EOC
}
conf "garp_group {
    garp_interval 0.2
    gna_interval 0.3
    interface eth0
}" "        2001:db8::100/64
        2001:db8::101/64" > "$T_TMP/one.conf"
conf "garp_group {
    garp_interval 0.2
    interfaces {
        eth0
        eth1
    }
}" "" > "$T_TMP/both.conf"
# no garp_group: vrrp_garp_interval and vrrp_gna_interval space each
# interface's own
conf "" "        2001:db8::100/64
        2001:db8::101/64" "    vrrp_garp_interval 0.2
    vrrp_gna_interval 0.3" > "$T_TMP/global.conf"

# "SECONDS IF TARGET" of a's gratuitous ARPs and NAs, in order
sent() {	# CAPTURE-PREFIX
	{ awk -v mac="$MAC_a" '$2 == mac { print $1, "eth0", $NF }' "$1.0"
	  awk -v mac="$MAC_a1" '$2 == mac { print $1, "eth1", $NF }' "$1.1"
	} | sort -n
}
# the targets of the ARPs (or NAs: 6) on IF(s), in order
seq_of() {	# CAPTURE-PREFIX IF-REGEX [6]
	sent "$1" | awk -v i="$2" -v v6="${3:-}" '$2 ~ i &&
	    (v6 ? $3 ~ /:/ : $3 !~ /:/) { printf "%s ", $3 }'
}
# the gap (ms) between two of them: vrrpd's shortest (it counts the next
# from when the last left); keepalived's mean (one of its gaps came out
# under 0.27 s of a 0.3 s gna_interval once)
gap() {	# CAPTURE-PREFIX IF-REGEX [6]
	local how=min
	case $1 in *keepalived) how=mean ;; esac
	sent "$1" | awk -v i="$2" -v v6="${3:-}" -v how=$how '$2 ~ i &&
	    (v6 ? $3 ~ /:/ : $3 !~ /:/) { if (n++) { g = ($1 - p) * 1000
		if (m == "" || g < m) m = g } else f = $1; p = $1 }
	    END { printf "%d\n", how == "min" ? m : (p - f) * 1000 / (n - 1) }'
}
has() { sent "$1" | grep -q " $2 $3\$"; }
# the captures so far (PREFIX.raw0, .raw1) as "SECONDS MAC TARGET" lines
cut_all() {	# PREFIX
	local i
	for i in 0 1; do
		sed -nE \
		    -e 's/^([0-9.]+) ([0-9a-f:]+) > .*Request who-has ([0-9.]+) .*/\1 \2 \3/p' \
		    -e 's/^([0-9.]+) ([0-9a-f:]+) > .*neighbor advertisement.*tgt is ([0-9a-f:]+).*/\1 \2 \3/p' \
		    "$1.raw$i" > "$1.$i"
	done
}
MAC_a=$(mac a)
MAC_a1=$(ip -n "$NS" -br link show dev eth1 | awk '{ print $3 }')

for f in one both global; do
	for d in keepalived vrrpd; do
		c=$T_TMP/$f.$d
		# on a's own links, outgoing: stamped as they leave, so that
		# the bridge's delivery under load does not narrow a gap
		capture a eth0 "$c.raw0" -Q out -e 'arp or icmp6' ||
		    bail tcpdump
		p0=$CAP_PID
		capture a eth1 "$c.raw1" -Q out -e 'arp or icmp6' ||
		    bail tcpdump
		p1=$CAP_PID
		daemon_in $d a "$T_TMP/$f.conf"
		if [ $f = one ] || [ $f = global ]; then
			last() { has "$c" eth0 192.0.2.101 &&
			    has "$c" eth0 2001:db8::101; }
		else
			last() { has "$c" eth1 198.51.100.100; }
		fi
		ok "$d ($f): master, the last VIP waiting has left" \
		    wait_for 8 eval 'cut_all "$c" && last'
		kill -TERM "$PID"
		wait_gone 15 "$PID"
		kill "$p0" "$p1"
		cut_all "$c"
	done
	k=$T_TMP/$f.keepalived
	v=$T_TMP/$f.vrrpd
	if [ $f = one ] || [ $f = global ]; then
		# eth0 spaced alike in both: by its group, or by the globals
		for i in "eth0" "eth0 6" "eth1"; do
			set -- $i
			is "$(seq_of "$v" "$1" "${2:-}")" \
			    "$(seq_of "$k" "$1" "${2:-}")" \
			    "$f: $1's $([ -n "${2:-}" ] && echo NA ||
				echo ARP)s, in keepalived's order"
		done
		for d in keepalived vrrpd; do
			ok "$d ($f): eth0's ARPs 0.2 s apart" \
			    test "$(gap "$T_TMP/$f.$d" eth0)" -ge 180
			ok "$d ($f): its NAs 0.3 s apart" \
			    test "$(gap "$T_TMP/$f.$d" eth0 6)" -ge 270
		done
	fi
	if [ $f = one ]; then
		is "$(seq_of "$v" eth0)" "$VIP $VIP 192.0.2.101 " \
		    "$f: one at once, each VIP waiting once"
		is "$(seq_of "$v" eth1)" \
		    "198.51.100.100 198.51.100.100 198.51.100.100 " \
		    "$f: eth1, in no group, all three rounds"
	elif [ $f = global ]; then
		for d in keepalived vrrpd; do
			ok "$d ($f): eth1's ARPs 0.2 s apart" \
			    test "$(gap "$T_TMP/$f.$d" eth1)" -ge 180
		done
		is "$(seq_of "$v" eth1)" "198.51.100.100 198.51.100.100 " \
		    "$f: eth1 spaced on its own, its VIP waiting once"
	else
		is "$(seq_of "$v" 'eth[01]')" "$(seq_of "$k" 'eth[01]')" \
		    "$f: the ARPs on eth0 and eth1 in keepalived's order"
		for d in keepalived vrrpd; do
			ok "$d ($f): 0.2 s apart across eth0 and eth1" \
			    test "$(gap "$T_TMP/$f.$d" 'eth[01]')" -ge 180
		done
	fi
done
done_testing
