#!/bin/bash
# SPDX-License-Identifier: ISC
# vrrp_iptables, bare or with chain names, as keepalived 2.2.7 (Debian's,
# built without iptables) runs it: keepalived -t flags the line ("iptables
# not supported, using nftables instead") and the daemon runs, filtering
# with nftables exactly as without the line.  So vrrpd -t warns and exits
# 3, and vrrpd runs: under vrrp_strict the master drops traffic to its
# VIP in table inet vrrpd (keepalived: ip keepalived), whatever chains
# the line names, and without vrrp_strict neither adds a table.  A bare
# vrrp_iptables does not turn the filtering off in keepalived: tutorials
# that say so describe builds with iptables.  vrrp_nftables and its
# _counters, _priority are unknown to keepalived 2.2.7 (it has nftables,
# nftables_counters, nftables_priority): flagged, ignored, in both.
. "$(dirname "$0")/lib.sh"
needs_root
command -v keepalived >/dev/null || cannot_run "keepalived not installed"
topo a
C=$T_TMP/i.conf
conf() {	# conf 'vrrp_iptables line' [vrrp_strict]
	cat <<EOC
global_defs {
    vrrp_version 3
    $1
    ${2:-}
}
vrrp_instance VI_1 {
    state BACKUP
    interface eth0
    virtual_router_id 51
    priority 100
    advert_int 0.1
    virtual_ipaddress {
        $VIP/24
    }
}
EOC
}
ruleset() { ns_run a nft list ruleset 2>/dev/null; }
# the VIP an element of a set the input chain drops to
drops_vip() { local r; r=$(ruleset); [[ $r == *"elements = { $VIP }"* &&
    $r =~ "ip daddr @vips"4?" drop" ]]; }
no_table() { ! ruleset | grep -q "^table"; }

for line in "vrrp_iptables" "vrrp_iptables KA_IN" \
    "vrrp_iptables KA_IN KA_OUT"; do
	conf "$line" vrrp_strict > "$C"
	k=$(ns_run a keepalived -t -n -l -f "$C" 2>&1) &&
	    ok "$line: keepalived -t flags it" false ||
	    like "$k" "Line 3.*iptables not supported, using nftables instead" \
		"$line: keepalived -t flags it"
	rc=0
	v=$(ns_run a vrrpd -t -f "$C" 2>&1) || rc=$?
	is "$rc" 3 "$line: vrrpd -t exits 3 (runs, with what keepalived flags)"
	like "$v" "i\.conf:3: warning: global_defs: vrrp_iptables: no iptables; no_accept filters with nftables \(table inet vrrpd\) all the same, as keepalived" \
	    "$line: vrrpd warns naming the line"
done

# keepalived 2.2.7's firewall keywords are nftables*: these it calls
# unknown, flags and runs without
for line in "vrrp_nftables" "vrrp_nftables_counters" \
    "vrrp_nftables_priority -5"; do
	w=${line% *}
	conf "$line" vrrp_strict > "$C"
	k=$(ns_run a keepalived -t -n -l -f "$C" 2>&1) &&
	    ok "$line: keepalived -t flags it" false ||
	    like "$k" "Line 3.*Unknown keyword '$w'" \
		"$line: keepalived -t flags it"
	rc=0
	v=$(ns_run a vrrpd -t -f "$C" 2>&1) || rc=$?
	is "$rc" 3 "$line: vrrpd -t exits 3"
	like "$v" "i\.conf:3: warning: global_defs: $w: unknown to keepalived 2\.2\.7, whose keyword is ${w:5}:" \
	    "$line: vrrpd warns naming keepalived's keyword"
done

# The daemons: bare and with both chains, vrrp_strict, then without it.
for line in "vrrp_iptables" "vrrp_iptables KA_IN KA_OUT"; do
	conf "$line" vrrp_strict > "$C"
	for d in vrrpd keepalived; do
		either_start $d a "$C"
		ok "$d, $line, vrrp_strict: master" wait_for 10 has_vip a
		ok "$d: the VIP dropped in nftables" wait_for 5 drops_vip
		[ $d = vrrpd ] &&
		    like "$(ruleset)" "table inet vrrpd" "in table inet vrrpd"
		either_stop $d a
		ok "$d stopped: no table left" wait_for 5 no_table
	done
done
conf vrrp_iptables > "$C"
for d in vrrpd keepalived; do
	either_start $d a "$C"
	ok "$d, vrrp_iptables without vrrp_strict: master" wait_for 10 has_vip a
	ok "$d: no table (accept mode)" no_table
	either_stop $d a
done
done_testing
