#!/bin/bash
# SPDX-License-Identifier: ISC
# use_vmac against real keepalived 2.2.7, the same config on both hosts:
# the VIP lives on a macvlan "vrrp.51" with the virtual MAC
# 00:00:5e:00:01:33 (VRID 51), adverts leave from it, so the client's ARP
# entry for the VIP names that MAC whoever is master.  vrrpd master then
# keepalived (vrrpd stopped), vrrpd again (preempts), keepalived master
# with vrrpd backup, then vrrpd on keepalived's stop: the client's entry
# never changes, and a fresh ARP resolution gives the same MAC.  The VMAC
# goes when vrrpd stops.  vmac_xmit_base: adverts from the base's MAC.
# An excluded VIP of the other family (IPv6) stays on eth0 with both.
# VRRPv3 at 0.3 s (VMAC works alike in v2 and v3): each of the seven
# starts as backup waits ~1 s for its master down interval, not 3.6 s.
. "$(dirname "$0")/lib.sh"
needs_root
topo a b
host_init a || bail "host a"
host_init b || bail "host b"
VMAC=00:00:5e:00:01:33

conf() {
	cat <<EOC
global_defs {
    router_id $2
}
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
    virtual_ipaddress_excluded {
        2001:db8::151/64
    }
$3
}
EOC
}
conf 150 a > "$T_TMP/a.conf"
conf 50 a > "$T_TMP/a-low.conf"
conf 100 b > "$T_TMP/b.conf"

# the client's capture, with MAC addresses
capture cl eth0 "$T_TMP/cap" -e 'ip proto 112' || bail "tcpdump"
# advert_from MAC PRIO AFTER: an advert from MAC at PRIO after AFTER (ms)
_adv() { awk -v after="$3" -v mac="$1" -v re="vrid 51, prio $2," '
    $1 * 1000 >= after && $2 == mac && $0 ~ re { f = 1 } END { exit !f }' \
    "$T_TMP/cap"; }
advert_from() { wait_for 5 _adv "$@"; }
vmac_on() { ip -n "$(_ns_name "$1")" -d link show vrrp.51 2>/dev/null; }
has_vmac() { vmac_on "$1" | grep -q "link/ether $VMAC"; }
no_vmac() { ! vmac_on "$1" | grep -q .; }
on_vmac() { ip -n "$(_ns_name "$1")" addr show dev vrrp.51 2>/dev/null |
    grep -q "inet $VIP/24"; }
# fresh: the client forgets the VIP, pings it, and has learnt VMAC
fresh() {
	ip -n "$(_ns_name cl)" neigh flush dev eth0 to "$VIP"
	wait_for 5 reach && arp_is "$VIP" "$VMAC"
}
# v6_on H DEV: the excluded IPv6 VIP is on H's DEV
v6_on() { ip -n "$(_ns_name "$1")" -6 addr show dev "$2" 2>/dev/null |
    grep -q "inet6 2001:db8::151/64"; }
arp_ignore() { ns_run "$1" cat "/proc/sys/net/ipv4/conf/$2/arp_ignore"; }

ok "vrrpd -t accepts the config" vrrpd -t -f "$T_TMP/a.conf"
is "$(arp_ignore a eth0)" 0 "(eth0's arp_ignore is 0 before)"
ka_in b "$T_TMP/b.conf" || bail "keepalived"
vr_in a -f "$T_TMP/a.conf" || bail "vrrpd"
ok "vrrpd (150) master" wait_for 10 state_is a MASTER
ok "vrrpd made vrrp.51 with $VMAC" has_vmac a
like "$(vmac_on a)" "macvlan mode private" "... a macvlan, mode private"
ok "... the VIP is on it" wait_for 5 on_vmac a
ok "... not on eth0" no_vip a
ok "... the excluded IPv6 VIP on eth0" wait_for 5 v6_on a eth0
ok "keepalived made its own vrrp.51 with $VMAC" wait_for 5 has_vmac b
is "$(arp_ignore a vrrp.51)/$(arp_ignore a eth0)" 1/1 \
    "arp_ignore 1 on the VMAC and on eth0: only the VMAC answers for the VIP"
is "$(ns_run a cat /proc/sys/net/ipv4/conf/eth0/arp_announce)" 2 \
    "arp_announce 2 on eth0: never asks in the VIP's name"
t0=$(ms)
ok "vrrpd's adverts leave from $VMAC" advert_from "$VMAC" 150 "$t0"
ok "client reaches the VIP; its ARP entry: $VMAC" fresh

t0=$(ms)
kill "$VR_a"
ok "vrrpd stopped" wait_gone 10 "$VR_a"
ok "... and removed vrrp.51" no_vmac a
is "$(arp_ignore a eth0)/$(ns_run a cat /proc/sys/net/ipv4/conf/eth0/arp_announce)" 0/0 \
    "... eth0's arp_ignore and arp_announce back to 0"
ok "keepalived took over" wait_for 10 grep -q 'VI_1.*Entering MASTER' "$T_TMP/b.out"
ok "... its adverts from $VMAC" advert_from "$VMAC" 100 "$t0"
ok "... its excluded IPv6 VIP on eth0 too" wait_for 5 v6_on b eth0
# (keepalived 2.2.7 leaves eth0's arp_announce at 0: a reply it routes out
# of eth0 may ask for the client's MAC in the VIP's name and so teach the
# client eth0's MAC for the VIP; vrrpd sets arp_announce 2, see below)
ok "client reaches the VIP" wait_for 10 reach
ok "... a fresh resolution: the same $VMAC" fresh

t0=$(ms)
vr_in a -f "$T_TMP/a.conf" || bail "vrrpd again"
ok "vrrpd (150) preempts" wait_for 10 state_is a MASTER
ok "... from $VMAC" advert_from "$VMAC" 150 "$t0"
ok "client reaches the VIP, ARP entry unchanged" \
    eval 'wait_for 10 reach && arp_is "$VIP" "$VMAC"'
ok "... a fresh resolution: the same $VMAC" fresh
kill "$VR_a"; wait_gone 10 "$VR_a"

# keepalived master, vrrpd backup with its VMAC up but silent
vr_in a -f "$T_TMP/a-low.conf" || bail "vrrpd low"
ok "vrrpd (50) backup" wait_for 10 state_is a BACKUP
ok "... its vrrp.51 exists, without the VIP" eval 'has_vmac a && ! on_vmac a'
ok "keepalived master: client reaches the VIP" wait_for 10 fresh
n=0; for i in 1 2 3; do fresh && n=$((n + 1)); done
is "$n" 3 "... again and again: the backup's VMAC never steals the MAC"
t0=$(ms)
kill "$KA_b"
ok "keepalived stopped" wait_gone 10 "$KA_b"
ok "vrrpd takes over" wait_for 10 state_is a MASTER
ok "... from $VMAC" advert_from "$VMAC" 50 "$t0"
ok "client reaches the VIP, ARP entry unchanged" \
    eval 'wait_for 10 reach && arp_is "$VIP" "$VMAC"'
ok "... a fresh resolution: the same $VMAC" fresh
kill "$VR_a"; wait_gone 10 "$VR_a"
ok "vrrp.51 gone when vrrpd stops" no_vmac a

# vmac_xmit_base: the VIP on the VMAC, adverts from eth0's own MAC
conf 150 a "    vmac_xmit_base" > "$T_TMP/x.conf"
t0=$(ms)
vr_in a -f "$T_TMP/x.conf" || bail "vrrpd xmit_base"
ok "vmac_xmit_base: master" wait_for 10 state_is a MASTER
ok "... adverts from eth0's MAC" advert_from "$(mac a)" 150 "$t0"
ok "... the VIP on vrrp.51, reached at $VMAC" eval 'on_vmac a && fresh'
kill "$VR_a"; wait_gone 10 "$VR_a"

# kill -9 leaves the VMAC with the VIP; --cleanup or the next start removes it
vr_in a -f "$T_TMP/a.conf" || bail "vrrpd kill -9"
ok "(vrrpd master)" wait_for 10 state_is a MASTER
kill -9 "$VR_a"; wait_gone 10 "$VR_a"
ok "kill -9: vrrp.51 stays, with the VIP" eval 'has_vmac a && on_vmac a'
ok "vrrpd --cleanup" in_host a vrrpd --cleanup -f "$T_TMP/a.conf"
ok "... removed it" no_vmac a
vr_in a -f "$T_TMP/a.conf" || bail "vrrpd kill -9 again"
ok "(vrrpd master)" wait_for 10 state_is a MASTER
kill -9 "$VR_a"; wait_gone 10 "$VR_a"
vr_in a -f "$T_TMP/a.conf" || bail "vrrpd after kill -9"
ok "after kill -9, the next vrrpd replaces the old vrrp.51" \
    wait_for 10 state_is a MASTER
like "$(cat "$T_TMP/a.err")" "removed vrrp.51 left by an earlier run" "... and says so"
ok "... the client reaches the VIP at $VMAC" fresh
kill "$VR_a"; wait_gone 10 "$VR_a"

# a name taken by something else is an error, not a takeover
ns_run a ip link add vrrp.51 type veth peer name vx51
ok "(an unrelated vrrp.51)" wait_for 2 eval 'vmac_on a | grep -q veth'
out=$(in_host a vrrpd -f "$T_TMP/a.conf" 2>&1); rc=$?
is "$rc" 1 "vrrpd refuses to start (exit 1)"
like "$out" "use_vmac vrrp.51: an interface of that name exists and is not a macvlan on eth0" \
    "... and says why"
ok "... the veth is left alone" eval 'vmac_on a | grep -q veth'
done_testing
