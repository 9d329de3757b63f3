#!/bin/bash
# SPDX-License-Identifier: ISC
# vrrp_script's init_fail against keepalived 2.2.7, the same config text
# on both hosts (their own VRIDs): with init_fail a script is failed until
# it passes, and until its first result it weighs nothing (keepalived's
# start-up rule) but holds an instance that tracks it with weight 0.
#  - VI_W tracks a script that hangs (interval and timeout 30 s: no
#    result in this test) with weight -60: priority 100 on the wire from
#    both daemons;
#  - VI_F tracks an init_fail script that fails at once, weight -60: 40
#    from both;
#  - VI_Z tracks the hanging one with weight 0: no advert and no VIP from
#    either while the others advertise (vrrpd says FAULT; keepalived keeps
#    it in its INIT state and says nothing).
. "$(dirname "$0")/lib.sh"
needs_root
topo a b
host_init a || bail "host a"
host_init b || bail "host b"

# conf ID BASE: the one config, VRIDs BASE+1.., VIPs 192.0.2.BASE+1..
conf() {
	cat <<EOC
global_defs {
    router_id $1
}
vrrp_script hang_init {
    script "/bin/sleep 60"
    interval 30
    timeout 30
    init_fail
}
vrrp_script fail_init {
    script "/bin/false"
    interval 1
    init_fail
}
vrrp_instance VI_W {
    interface eth0
    virtual_router_id $(($2 + 1))
    priority 100
    advert_int 1
    track_script {
        hang_init weight -60
    }
    virtual_ipaddress {
        192.0.2.$(($2 + 101))/24
    }
}
vrrp_instance VI_F {
    interface eth0
    virtual_router_id $(($2 + 2))
    priority 100
    advert_int 1
    track_script {
        fail_init weight -60
    }
    virtual_ipaddress {
        192.0.2.$(($2 + 102))/24
    }
}
vrrp_instance VI_Z {
    interface eth0
    virtual_router_id $(($2 + 3))
    priority 100
    advert_int 1
    track_script {
        hang_init
    }
    virtual_ipaddress {
        192.0.2.$(($2 + 103))/24
    }
}
EOC
}
conf a 60 > "$T_TMP/a.conf"
conf b 70 > "$T_TMP/b.conf"
ok "vrrpd -t accepts init_fail" vrrpd -t -f "$T_TMP/a.conf"

vrrp_capture cl "$T_TMP/cap" || bail "tcpdump"
t0=$(ms)
ka_in b "$T_TMP/b.conf" || bail "keepalived"
vr_in a -f "$T_TMP/a.conf" || bail "vrrpd"

# adv SRC VRID PRIO: SRC advertised VRID at PRIO since the start
adv() { wait_for 20 _has_advert "$T_TMP/cap" "$t0" "$1" "vrid $2, prio $3,"; }
ok "vrrpd: no result yet, weight -60: priority 100 on the wire" \
    adv 192.0.2.1 61 100
ok "keepalived: the same" adv 192.0.2.2 71 100 ||
    grep "192.0.2.2 >" "$T_TMP/cap" | head -4 | sed 's/^/#   /'
ok "vrrpd: failed, weight -60: priority 40" adv 192.0.2.1 62 40
ok "keepalived: the same" adv 192.0.2.2 72 40

# VI_Z starts with the others: three more adverts of theirs, none of it
ok "three more adverts of the others" wait_for 10 eval '
    lines_ge "$T_TMP/cap" "192.0.2.1 > .*vrid 61," 4 &&
    lines_ge "$T_TMP/cap" "192.0.2.2 > .*vrid 71," 4'
is "$(grep -c "192.0.2.1 > .*vrid 63," "$T_TMP/cap")" 0 \
    "vrrpd: init_fail, weight 0: no advert"
is "$(grep -c "192.0.2.2 > .*vrid 73," "$T_TMP/cap")" 0 \
    "keepalived: the same"
like "$(ctl a 'show instances')" 'VI_Z .*state=FAULT' "vrrpd: VI_Z in FAULT"
nok "keepalived: VI_Z neither BACKUP nor MASTER" \
    grep -q 'VI_Z.*Entering' "$T_TMP/b.out"
ok "no VI_Z VIP on either host" eval '! has_vip a 192.0.2.163 &&
    ! has_vip b 192.0.2.173'
ok "VI_W's VIP on each (master, alone on its VRID)" eval '
    has_vip a 192.0.2.161 && has_vip b 192.0.2.171'

kill "$VR_a"
ok "vrrpd stops" wait_gone 10 "$VR_a"
done_testing
