#!/bin/bash
# SPDX-License-Identifier: ISC
# sync_group_tracking_weight and global_tracking against keepalived 2.2.7,
# the same config text on both hosts (their own VRIDs, each alone, so
# every instance is master and advertises its priority).  Members track
# a script that fails (weight -20) or a track_file holding -30 (weight
# 1).  keepalived's rule: in a group without either keyword a member's
# weighted tracks would give the members different priorities, so they
# are dropped (script) or made weight 0 (file, interface); with
# sync_group_tracking_weight (or the deprecated global_tracking) they
# count.  But a member's weighted track_interface: keepalived 2.2.7 warns
# that it ignores the weight, and applies it (G4: lo, up, weight 5: 105).
# What each daemon puts on the wire for each instance must be the
# same (the client's capture: the last advert of each VRID, or none).
. "$(dirname "$0")/lib.sh"
needs_root
topo a b
host_init a || bail "host a"
host_init b || bail "host b"

# inst NAME VRID TRACKS: an instance
inst() {
	cat <<EOI
vrrp_instance $1 {
    interface eth0
    virtual_router_id $2
    priority 100
    advert_int 1
    $3
    virtual_ipaddress {
        192.0.2.$(($2 + 100))/24
    }
}
EOI
}
# conf ID BASE: groups G1 (plain), G2 (sync_group_tracking_weight), G3
# (global_tracking), two members each: one tracks the failing script, one
# the file
conf() {
	local s='track_script {
        fails weight -20
    }' f='track_file {
        maint
    }' n
	cat <<EOC
global_defs {
    router_id $1
}
vrrp_script fails {
    script "/bin/false"
    interval 1
}
track_file maint {
    file "$T_TMP/$1.maint"
    weight 1
    init_file -30 overwrite
}
vrrp_sync_group G1 {
    group {
        S1
        F1
    }
}
vrrp_sync_group G2 {
    group {
        S2
        F2
    }
    sync_group_tracking_weight
}
vrrp_sync_group G3 {
    group {
        S3
        F3
    }
    global_tracking
}
vrrp_sync_group G4 {
    group {
        I4
        P4
    }
}
EOC
	for n in 1 2 3; do
		inst "S$n" $(($2 + 2 * n - 1)) "$s"
		inst "F$n" $(($2 + 2 * n)) "$f"
	done
	inst I4 $(($2 + 7)) 'track_interface {
        lo weight 5
    }'
	inst P4 $(($2 + 8)) ""
}
conf a 60 > "$T_TMP/a.conf"
conf b 70 > "$T_TMP/b.conf"
ok "vrrpd -t accepts the config" vrrpd -t -f "$T_TMP/a.conf"

vrrp_capture cl "$T_TMP/cap" || bail "tcpdump"
ka_in b "$T_TMP/b.conf" || bail "keepalived"
vr_in a -f "$T_TMP/a.conf" || bail "vrrpd"

# last SRC VRID: the priority of SRC's last advert for VRID, or "none"
last() {
	awk -v src="$1" -v re="vrid $2, " '$3 == src && index($0, re) {
	    p = $0; sub(/.*prio /, "", p); sub(/,.*/, "", p) }
	    END { print p == "" ? "none" : p }' "$T_TMP/cap"
}
# G2 and G3 advertise (their tracks weigh, nothing faults): four adverts
# of each from both daemons, then every VRID has had its time
settled() {
	local v
	for v in 63 64 65 66 67 68; do
		lines_ge "$T_TMP/cap" "192.0.2.1 > .*vrid $v," 4 &&
		    lines_ge "$T_TMP/cap" "192.0.2.2 > .*vrid $((v + 10))," 4 ||
		    return 1
	done
}
ok "G2 and G3 advertise from both daemons" wait_for 30 settled
for n in 1 2 3; do
	for k in S F; do
		v=$((60 + 2 * n)) && [ $k = F ] || v=$((v - 1))
		got[$v]=$(last 192.0.2.1 $v) want=$(last 192.0.2.2 $((v + 10)))
		is "${got[$v]}" "$want" "G$n $k$n: vrrpd's priority on the wire is keepalived's ($want)"
	done
done
is "${got[61]} ${got[62]}" "none none" \
    "G1: the file's weight is 0, so -30 is FAULT, and the group with it"
is "${got[63]} ${got[64]}" "80 70" "G2: both weights count"
is "${got[65]} ${got[66]}" "80 70" "G3: global_tracking is the same"
for v in 67 68; do
	got[$v]=$(last 192.0.2.1 $v) want=$(last 192.0.2.2 $((v + 10)))
	is "${got[$v]}" "$want" "G4 vrid $v: vrrpd's priority on the wire is keepalived's ($want)"
done
is "${got[67]} ${got[68]}" "105 100" "G4: the interface's weight counts"

kill "$VR_a"
ok "vrrpd stops" wait_gone 10 "$VR_a"
done_testing
