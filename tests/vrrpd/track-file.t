#!/bin/bash
# SPDX-License-Identifier: ISC
# track_file against real keepalived 2.2.7, the same config text on both
# hosts: the value in the file times the weight moves the priority, -254
# is FAULT.  vrrpd (150) and keepalived (100) each give the VIP up on
# "echo -254 > FILE" and take it back on "echo 0"; a value of -60, -20 or
# 30 puts the same priority on the wire from either daemon (the client's
# capture of the adverts); removing the file reads as 0.
# VRRPv3 at 0.3 s adverts (what is compared works alike in v2 and v3):
# each take-over waits ~1 s for a master down interval, not 3.6 s.
. "$(dirname "$0")/lib.sh"
needs_root
topo a b
host_init a || bail "host a"
host_init b || bail "host b"

# conf PRIO FILE: the one config, filled in per host
conf() {
	cat <<EOC
global_defs {
    router_id $3
}
track_file maint {
    file "$2"
    weight 1
    init_file 0 overwrite
}
vrrp_instance VI_1 {
    state BACKUP
    interface eth0
    virtual_router_id 71
    priority $1
    version 3
    advert_int 0.3
    track_file {
        maint
    }
    virtual_ipaddress {
        $VIP/24
    }
}
EOC
}
FA=$T_TMP/a.maint FB=$T_TMP/b.maint
conf 150 "$FA" a > "$T_TMP/a.conf"
conf 100 "$FB" b > "$T_TMP/b.conf"

ok "vrrpd -t accepts the config" vrrpd -t -f "$T_TMP/a.conf"
vrrp_capture cl "$T_TMP/cap" || bail "tcpdump"
ka_in b "$T_TMP/b.conf" || bail "keepalived"
vr_in a -f "$T_TMP/a.conf" || bail "vrrpd"
ok "init_file wrote 0 (vrrpd)" wait_for 5 file_is "$FA" 0
ok "init_file wrote 0 (keepalived)" wait_for 5 file_is "$FB" 0
ok "vrrpd (150) is master" wait_for 10 only a a b

# prio SRC N AFTER: SRC advertised priority N on the wire after AFTER (ms)
prio() { wait_advert "$T_TMP/cap" "$4" "$1" "vrid 71, prio $2,"; }

t0=$(ms); echo -254 > "$FA"
ok "vrrpd: -254 -> FAULT" wait_for 10 state_is a FAULT
ok "... priority 0 on the wire from vrrpd" prio 192.0.2.1 0 "$t0"
ok "... keepalived takes the VIP" wait_for 10 only b a b
t0=$(ms); echo 0 > "$FA"
ok "vrrpd: 0 -> back, preempts" wait_for 10 only a a b
ok "... at priority 150" prio 192.0.2.1 150 "$t0"

t0=$(ms); echo -60 > "$FA"
ok "vrrpd: -60 x 1 -> priority 90 on the wire" prio 192.0.2.1 90 "$t0"
ok "... keepalived (100) preempts" wait_for 10 only b a b

t0=$(ms); echo -254 > "$FB"
ok "keepalived: -254 -> priority 0 on the wire" prio 192.0.2.2 0 "$t0"
ok "... vrrpd (90) takes the VIP" wait_for 10 only a a b
ok "... keepalived in FAULT" wait_for 5 grep -q 'VI_1.*Entering FAULT' "$T_TMP/b.out"
t0=$(ms); echo 0 > "$FB"
ok "keepalived: 0 -> back at 100, preempts" wait_for 10 only b a b
ok "... priority 100 on the wire" prio 192.0.2.2 100 "$t0"

t0=$(ms); echo -20 > "$FB"
ok "keepalived: -20 -> priority 80 on the wire" prio 192.0.2.2 80 "$t0"
ok "... vrrpd (90) preempts" wait_for 10 only a a b
t0=$(ms); echo 30 > "$FB"
ok "keepalived: 30 -> priority 130 on the wire" prio 192.0.2.2 130 "$t0"
ok "... keepalived preempts" wait_for 10 only b a b
t0=$(ms); echo 30 > "$FA"
ok "vrrpd: 30 -> priority 180 on the wire" prio 192.0.2.1 180 "$t0"
ok "... vrrpd preempts" wait_for 10 only a a b

# a reload keeps the value; init_file ... overwrite does not reset it
n=$(file_lines "$T_TMP/a.err")
kill -HUP "$VR_a"
ok "SIGHUP: reloaded" wait_file_line_after 10 "$T_TMP/a.err" "$n" 'reloaded'
is "$(cat "$FA")" 30 "... init_file overwrite left the file alone"
like "$(ctl a 'show instances')" 'state=MASTER .*prio=180 ' "... still MASTER at 180"

# an editor's rename over the file counts; so does its removal (= 0)
t0=$(ms); echo -100 > "$FA.new"; mv "$FA.new" "$FA"
ok "vrrpd: -100 renamed over the file -> priority 50" prio 192.0.2.1 50 "$t0"
ok "... keepalived (130) takes over" wait_for 10 only b a b
t0=$(ms); echo 0 > "$FB"
ok "keepalived back to 100" prio 192.0.2.2 100 "$t0"
t0=$(ms); rm "$FA"
ok "vrrpd: file removed -> 0 -> priority 150, preempts" wait_for 10 only a a b
ok "... priority 150 on the wire" prio 192.0.2.1 150 "$t0"
like "$(ctl a 'show instances')" 'state=MASTER .*prio=150 ' "vrrpd's view: MASTER at 150"

# weight 0: any non-zero value is FAULT; an instance's own weight and
# reverse win over the block's (VI_3: 1 x 10, reversed, is -10)
cat > "$T_TMP/w.conf" <<EOC
track_file flag {
    file "$T_TMP/flag"
    weight 0
}
vrrp_instance VI_2 {
    interface eth0
    virtual_router_id 72
    priority 100
    version 3
    advert_int 0.3
    track_file {
        flag
    }
    virtual_ipaddress {
        192.0.2.120/24
    }
}
vrrp_instance VI_3 {
    interface eth0
    virtual_router_id 73
    priority 100
    version 3
    advert_int 0.3
    track_file {
        flag weight 10 reverse
    }
    virtual_ipaddress {
        192.0.2.121/24
    }
}
EOC
# vi3 PRIO: VI_3 (own weight and reverse) is master at PRIO
vi3() { ctl c 'show instances' | grep -q "VI_3 .*state=MASTER .*prio=$1 "; }
ns_host sw c 192.0.2.3/24 || bail "host c"
vr_start c -f "$T_TMP/w.conf" || bail "vrrpd c"
ok "weight 0, no file: master" wait_for 10 state_is c MASTER
echo 1 > "$T_TMP/flag"
ok "weight 0, value 1: FAULT" wait_for 10 state_is c FAULT
like "$(ctl c 'show instances')" 'fault=file-flag' "... fault=file-flag"
ok "VI_3's own weight 10 reverse, value 1: master at 90" wait_for 10 vi3 90
echo 0 > "$T_TMP/flag"
ok "weight 0, value 0: master again" wait_for 10 state_is c MASTER
ok "VI_3, value 0: master at 100" wait_for 10 vi3 100

# errors name the file and line
sed -e 's/^        maint$/        nosuch/' "$T_TMP/a.conf" > "$T_TMP/bad.conf"
out=$(vrrpd -t -f "$T_TMP/bad.conf" 2>&1); rc=$?
is "$rc" 2 "unknown track_file name: exit 2"
like "$out" "bad.conf:[0-9]+: vrrp_instance VI_1: track_file nosuch: no track_file of that name" \
    "... named with file:line"
printf 'track_file x {\n    weight 1\n}\n' > "$T_TMP/bad2.conf"
out=$(vrrpd -t -f "$T_TMP/bad2.conf" 2>&1)
like "$out" "bad2.conf:1: .*no file" "track_file without a file: an error at its line"

kill "$VR_a"
ok "vrrpd stops" wait_gone 10 "$VR_a"
done_testing
