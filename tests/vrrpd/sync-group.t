#!/bin/bash
# SPDX-License-Identifier: ISC
# vrrp_sync_group against real keepalived, both ways.  Hosts a and b on
# two LANs: VI_1 on eth0 (192.0.2.100), VI_2 on eth1 (198.51.100.100),
# one sync group VG_1 with notify scripts.  First vrrpd (150) on a and
# keepalived (100) on b, then the reverse.  The master's eth1 goes down:
# VI_2 goes FAULT and takes VI_1 with it (VI_1's own link is fine), so the
# peer gets both VIPs; the link comes back and the master preempts both.
# The group's track_script fails and recovers: the same.
# The group's notify lines are keepalived's, compared in the same run.
# Last, keepalived comes back with a higher priority: one of vrrpd's
# members hears it and goes BACKUP, taking the other with it.
# VRRPv3 at 0.3 s adverts (what is compared works alike in v2 and v3):
# each take-over waits ~1 s for a master down interval, not 3.6 s.
. "$(dirname "$0")/lib.sh"
needs_root
topo a b
ns_switch sw1 || bail "second LAN"
ns_host sw1 a 198.51.100.1/24 || bail "a eth1"
ns_host sw1 b 198.51.100.2/24 || bail "b eth1"
V1=192.0.2.100 V2=198.51.100.100

printf '#!/bin/sh\nf=$1; shift\necho "$*" >> "%s/$f"\n' "$T_TMP" > "$T_TMP/n.sh"
chmod 755 "$T_TMP/n.sh"
# conf H PRIO: the same file for both daemons
conf() {
	cat <<C
global_defs {
    router_id $1
}
vrrp_script chk {
    script "/usr/bin/test -e $T_TMP/$1.flag"
    interval 1
    timeout 5
}
vrrp_sync_group VG_1 {
    group {
        VI_1
        VI_2
    }
    track_script {
        chk
    }
    notify_master "$T_TMP/n.sh $1.scripts master"
    notify_backup "$T_TMP/n.sh $1.scripts backup"
    notify_fault "$T_TMP/n.sh $1.scripts fault"
    notify "$T_TMP/n.sh $1.notify"
}
vrrp_instance VI_1 {
    interface eth0
    virtual_router_id 71
    priority $2
    version 3
    advert_int 0.3
    virtual_ipaddress {
        $V1/24
    }
}
vrrp_instance VI_2 {
    interface eth1
    virtual_router_id 72
    priority $2
    version 3
    advert_int 0.3
    virtual_ipaddress {
        $V2/24
    }
}
C
}
on() { ip -n "$(_ns_name "$1")" addr show dev "$2" | grep -q "inet $3/"; }
# both H: H holds both VIPs and the other host neither
both() {
	local o=a; [ "$1" = a ] && o=b
	on "$1" eth0 $V1 && on "$1" eth1 $V2 && ! on $o eth0 $V1 && ! on $o eth1 $V2
}
# groups H: the GROUP lines H's generic notify got, one per line
groups() { grep '^GROUP' "$T_TMP/$1.notify" 2>/dev/null; }
host_init a || bail "host a"
host_init b || bail "host b"
touch "$T_TMP/a.flag" "$T_TMP/b.flag"

conf a 150 > "$T_TMP/a.conf"
conf b 100 > "$T_TMP/b.conf"
ok "vrrpd -t accepts the sync group" vrrpd -t -f "$T_TMP/a.conf"

# --- vrrpd master, keepalived backup -------------------------------------
ka_in b "$T_TMP/b.conf" || bail "keepalived"
vr_in a -f "$T_TMP/a.conf" || bail "vrrpd"
ok "vrrpd's group goes MASTER" \
    wait_file_line 10 "$T_TMP/a.out" '^GROUP VG_1 state=MASTER '
ok "vrrpd holds both VIPs, keepalived none" wait_for 5 both a
like "$(ctl a 'show instances')" "instance VI_2 state=MASTER .* group=VG_1" \
    "show instances names the group"
ok "vrrpd's notify: GROUP VG_1 MASTER 0" \
    wait_file_line 5 "$T_TMP/a.notify" '^GROUP VG_1 MASTER 0$'
ok "notify_master ran" wait_file_line 5 "$T_TMP/a.scripts" '^master$'

ns_link a eth1 down
ok "eth1 down: VI_2 FAULT" \
    wait_file_line 5 "$T_TMP/a.out" '^FAULT VI_2 .*reason=link-eth1'
ok "... and VI_1 with it, its own link up" \
    wait_file_line 5 "$T_TMP/a.out" '^FAULT VI_1 .*reason=sync-VG_1'
ok "the group line says FAULT" \
    wait_file_line 5 "$T_TMP/a.out" '^GROUP VG_1 state=FAULT '
ok "keepalived takes both VIPs" wait_for 10 both b
ok "keepalived's group is MASTER" \
    wait_file_line 5 "$T_TMP/b.notify" '^GROUP VG_1 MASTER 0$'
ok "vrrpd's notify_fault ran" wait_file_line 5 "$T_TMP/a.scripts" '^fault$'
ns_link a eth1 up
ok "eth1 up: vrrpd preempts both" wait_for 15 both a
ok "keepalived's group back to BACKUP" \
    wait_for 5 lines_ge "$T_TMP/b.notify" '^GROUP VG_1 BACKUP 0$' 2
ok "vrrpd's group MASTER again" \
    wait_for 5 lines_ge "$T_TMP/a.notify" '^GROUP VG_1 MASTER 0$' 2
# the group's track_script fails: both members FAULT, keepalived takes both
rm "$T_TMP/a.flag"
ok "group track_script down: vrrpd's VI_1 FAULT" \
    wait_file_line 5 "$T_TMP/a.out" '^FAULT VI_1 .*reason=track-chk'
ok "... and VI_2" wait_file_line 5 "$T_TMP/a.out" '^FAULT VI_2 .*reason=track-chk'
ok "keepalived takes both VIPs" wait_for 10 both b
touch "$T_TMP/a.flag"
ok "script back: vrrpd preempts both" wait_for 15 both a
ok "vrrpd's group MASTER a third time" \
    wait_for 5 lines_ge "$T_TMP/a.notify" '^GROUP VG_1 MASTER 0$' 3
kill -TERM "$VR_a"
ok "SIGTERM: keepalived takes both" wait_for 10 both b
ok "vrrpd's group: STOP" wait_file_line 5 "$T_TMP/a.notify" '^GROUP VG_1 STOP 0$'
wait_gone 5 "$VR_a"
kill -TERM "$KA_b"
wait_gone 10 "$KA_b"
mv "$T_TMP/a.notify" "$T_TMP/vrrpd.notify"
mv "$T_TMP/a.scripts" "$T_TMP/vrrpd.scripts"

# --- the reverse: keepalived master, vrrpd backup ------------------------
: > "$T_TMP/a.out"
: > "$T_TMP/b.out"
rm -f "$T_TMP/b.notify" "$T_TMP/b.scripts"
conf a 150 > "$T_TMP/a.conf"
conf b 100 > "$T_TMP/b.conf"
# vrrpd starts once keepalived is master: started together, the first
# whose down timer (~1 s at 0.3 s adverts) runs out is master for a
# moment, and a keepalived slow to start on a busy machine is not the
# behaviour under test
ka_in a "$T_TMP/a.conf" || bail "keepalived (150)"
ok "keepalived holds both VIPs" wait_for 10 both a
vr_in b -f "$T_TMP/b.conf" || bail "vrrpd (100)"
ok "vrrpd's group BACKUP" \
    wait_file_line 10 "$T_TMP/b.out" '^GROUP VG_1 state=BACKUP '
# rx_ge N: both of vrrpd's members heard N adverts or more
rx_ge() {
	ctl b 'show instances' | awk -v n="$1" '{ for (i = 1; i <= NF; i++)
	    if ($i ~ /^rx=/) { c++; if (substr($i, 4) + 0 < n) low = 1 } }
	    END { exit !(c == 2 && !low) }'
}
ok "vrrpd's members hear keepalived's adverts (5 each: 1.5 s, past a ~1 s master down interval)" \
    wait_for 15 rx_ge 5
is "$(grep -c '^MASTER' "$T_TMP/b.out")" 0 "vrrpd never master"
ok "keepalived still holds both VIPs" both a
ns_link a eth1 down
ok "keepalived's eth1 down: vrrpd takes both VIPs" wait_for 10 both b
ok "vrrpd's group MASTER" \
    wait_file_line 5 "$T_TMP/b.out" '^GROUP VG_1 state=MASTER '
ok "keepalived's VI_1 went FAULT with VI_2" \
    wait_file_line 5 "$T_TMP/a.out" 'VI_1.*Entering FAULT STATE'
ok "vrrpd's notify_master ran" wait_file_line 5 "$T_TMP/b.scripts" '^master$'
ns_link a eth1 up
ok "eth1 up: keepalived preempts both" wait_for 15 both a
ok "vrrpd's group BACKUP again" \
    wait_for 5 lines_ge "$T_TMP/b.out" '^GROUP VG_1 state=BACKUP ' 2
rm "$T_TMP/a.flag"
ok "keepalived's group track_script down: vrrpd takes both" wait_for 10 both b
ok "keepalived's VI_1 FAULT" \
    wait_for 5 lines_ge "$T_TMP/a.out" 'VI_1.*Entering FAULT' 2
touch "$T_TMP/a.flag"
ok "script back: keepalived preempts both" wait_for 15 both a
ok "vrrpd's group BACKUP a third time" \
    wait_for 5 lines_ge "$T_TMP/b.out" '^GROUP VG_1 state=BACKUP ' 3
kill -TERM "$KA_a"
ok "keepalived's SIGTERM: vrrpd takes both" wait_for 10 both b
ok "keepalived's group: STOP" wait_file_line 5 "$T_TMP/a.notify" '^GROUP VG_1 STOP 0$'

# the same events on host a: vrrpd and keepalived said the same things
diag "vrrpd: $(grep '^GROUP' "$T_TMP/vrrpd.notify" | tr '\n' ' ')"
is "$(grep '^GROUP' "$T_TMP/vrrpd.notify" | tr '\n' ' ')" \
    "$(grep '^GROUP' "$T_TMP/a.notify" | tr '\n' ' ')" \
    "the group's notify lines on the master: vrrpd's are keepalived's"
is "$(sort "$T_TMP/vrrpd.scripts" | uniq -c | tr -s ' \n' ' ')" \
    "$(sort "$T_TMP/a.scripts" | uniq -c | tr -s ' \n' ' ')" \
    "notify_master/backup/fault: as many runs of each"

# keepalived back at 200: one of vrrpd's members hears a higher priority
# first and goes BACKUP, the other goes with it without waiting to hear
n=$(file_lines "$T_TMP/b.out")
conf a 200 > "$T_TMP/a200.conf"
wait_gone 10 "$KA_a"
ka_in a "$T_TMP/a200.conf" || bail "keepalived (200)"
ok "keepalived (200) preempts both" wait_for 15 both a
ok "vrrpd: a member BACKUP on the higher priority" \
    wait_file_line_after 5 "$T_TMP/b.out" "$n" '^BACKUP VI_[12] .*reason=higher-priority'
ok "... the other moved by the group" \
    wait_file_line_after 5 "$T_TMP/b.out" "$n" '^BACKUP VI_[12] .*reason=sync-VG_1'
ok "... one group line: BACKUP" \
    wait_file_line_after 5 "$T_TMP/b.out" "$n" '^GROUP VG_1 state=BACKUP from=MASTER reason=higher-priority'
done_testing
