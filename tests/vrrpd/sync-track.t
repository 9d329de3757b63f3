#!/bin/bash
# SPDX-License-Identifier: ISC
# track_file and track_process inside a vrrp_sync_group.  Beside
# keepalived on the same file (each host its own file): the group's file
# moves every member's priority by its weighted value (0, 5, -3: 100,
# 105, 97) on both daemons.  track_process in a group is checked by -t
# only here: the proc connector answers only in the initial namespaces
# (see track-process.t), and the group's list goes to every member's as
# track_file's does.
. "$(dirname "$0")/lib.sh"
needs_root
topo a b

conf() {	# H [G2]
	[ -n "$2" ] && cat <<C
vrrp_track_process tp1 {
    process nosuch$T_ID
}
vrrp_sync_group G2 {
    group {
        VI_3
        VI_4
    }
    track_process {
        tp1
    }
}
C
	cat <<C
track_file tf1 {
    file $T_TMP/$1.tf
}
vrrp_sync_group G1 {
    group {
        VI_1
        VI_2
    }
    track_file {
        tf1
    }
}
C
	for i in 1 2 3 4; do
		cat <<C
vrrp_instance VI_$i {
    interface eth0
    virtual_router_id 8$i
    priority 100
    advert_int 1
    virtual_ipaddress {
        192.0.2.18$i/24
    }
}
C
	done
}
# vr_prio H I: vrrpd's effective priority of VI_I
vr_prio() { ctl "$1" 'show instances' | sed -n "s/^instance VI_$2 state=[A-Z]* vrid=[0-9]* prio=\([0-9]*\) .*/\1/p"; }
vr_prios() { [ "$(vr_prio "$1" 1) $(vr_prio "$1" 2)" = "$2 $2" ]; }
# ka_prios H P: keepalived's last priority change of VI_1 and VI_2 is to P
ka_prio() {
	grep "(VI_$2) Changing effective priority" "$T_TMP/$1.out" | tail -1 |
	    sed 's/.* to \([0-9]*\)$/\1/'
}
ka_prios() { [ "$(ka_prio "$1" 1) $(ka_prio "$1" 2)" = "$2 $2" ]; }
host_init a || bail "host a"
host_init b || bail "host b"
for h in a b; do conf $h > "$T_TMP/$h.conf"; echo 0 > "$T_TMP/$h.tf"; done
conf a g2 > "$T_TMP/g2.conf"
ok "vrrpd -t: track_file and track_process in a sync group accepted" \
    vrrpd -t -f "$T_TMP/g2.conf"
printf 'vrrp_sync_group G {\n group {\n VI_1\n }\n track_file {\n nosuch\n }\n}\n' > "$T_TMP/bad.conf"
sed -n '/^vrrp_instance VI_1/,/^}/p' "$T_TMP/a.conf" >> "$T_TMP/bad.conf"
like "$(vrrpd -t -f "$T_TMP/bad.conf" 2>&1)" 'track_file nosuch: no track_file' \
    "a group's track_file that is not defined: an error"
ka_in b "$T_TMP/b.conf" || bail "keepalived"
vr_in a -f "$T_TMP/a.conf" || bail "vrrpd: $(cat "$T_TMP/a.err")"
ok "vrrpd: G1's members at 100 with the file at 0" wait_for 10 vr_prios a 100

echo 5 > "$T_TMP/a.tf"; echo 5 > "$T_TMP/b.tf"
ok "the group's file says 5: vrrpd's VI_1 and VI_2 at 105" \
    wait_for 10 vr_prios a 105
ok "... keepalived's too" wait_for 10 ka_prios b 105
echo -3 > "$T_TMP/a.tf"; echo -3 > "$T_TMP/b.tf"
ok "-3: vrrpd's at 97" wait_for 10 vr_prios a 97
ok "... keepalived's too" wait_for 10 ka_prios b 97

kill -TERM "$VR_a" "$KA_b"
wait_gone 5 "$VR_a"

done_testing
