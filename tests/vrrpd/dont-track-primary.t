#!/bin/bash
# SPDX-License-Identifier: ISC
# dont_track_primary: the instance's own link going down does not take it
# to FAULT; without the keyword it does.  keepalived 2.2.7 on host a and
# vrrpd on host b run the same two instances (one with the keyword, one
# without, each alone on its VRID), then both cables are cut at the switch
# (carrier lost) and restored.
. "$(dirname "$0")/lib.sh"
needs_root
command -v keepalived >/dev/null || cannot_run "keepalived not installed"

topo a b

# conf PREFIX VRID: two instances, PREFIX1 with the keyword, PREFIX2 without
conf() {
	local n
	for n in 1 2; do
		cat <<EOC
vrrp_instance $1$n {
    state BACKUP
    interface eth0
    virtual_router_id $(($2 + n))
    priority 100
    advert_int 1
    $([ $n = 1 ] && echo dont_track_primary)
    virtual_ipaddress {
        192.0.2.$(($2 + n))/24
    }
}
EOC
	done
}
conf KA 60 > "$T_TMP/ka.conf"
conf VR 70 > "$T_TMP/vr.conf"

like "$(vrrpd -t -v -f "$T_TMP/vr.conf" | grep VR1)" "dont_track_primary=1" \
    "-t -v: the keyword is read, not ignored"
like "$(vrrpd -t -v -f "$T_TMP/vr.conf" | grep VR2)" "dont_track_primary=0" \
    "-t -v: ... and only where written"
ka_start a "$T_TMP/ka.conf" || bail "keepalived did not start"
vr_start b -f "$T_TMP/vr.conf" || bail "vrrpd did not start"
for n in 1 2; do
	ok "keepalived KA$n: MASTER" \
	    wait_file_line 15 "$T_TMP/a.out" "\(KA$n\) Entering MASTER"
	ok "vrrpd VR$n: MASTER" wait_file_line 15 "$T_TMP/b.out" "^MASTER VR$n "
done

# cut both cables at the switch: the hosts' eth0 lose carrier
ports=$(ip -n "$NS_sw" -o link show master br0 | awk -F': ' '{ print $2 }' |
    sed 's/@.*//')
for p in $ports; do ip -n "$NS_sw" link set "$p" down; done
ok "keepalived KA2 (no keyword): FAULT on link down" \
    wait_file_line 15 "$T_TMP/a.out" "\(KA2\) Entering FAULT"
ok "vrrpd VR2 (no keyword): FAULT on link down" \
    wait_file_line 15 "$T_TMP/b.out" "^FAULT VR2 .*reason=link-eth0"
nok "keepalived KA1 (dont_track_primary): no FAULT" \
    grep -q "(KA1) Entering FAULT" "$T_TMP/a.out"
nok "vrrpd VR1 (dont_track_primary): no FAULT" grep -q "^FAULT VR1 " \
    "$T_TMP/b.out"
like "$(ctl b status)" "master=1 backup=0 fault=1" \
    "vrrpd status: VR1 still MASTER, VR2 FAULT"
ok "vrrpd VR1 keeps its VIP" has_vip b 192.0.2.71
nok "vrrpd VR2 dropped its VIP" has_vip b 192.0.2.72
ok "keepalived KA1 keeps its VIP" has_vip a 192.0.2.61

for p in $ports; do ip -n "$NS_sw" link set "$p" up; done
ok "vrrpd VR2 leaves FAULT when the link is back" \
    wait_file_line 15 "$T_TMP/b.out" "^(BACKUP|MASTER) VR2 .*"
nok "vrrpd VR1 never went FAULT" grep -q "^FAULT VR1 " "$T_TMP/b.out"

done_testing
