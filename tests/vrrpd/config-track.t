#!/bin/bash
# SPDX-License-Identifier: ISC
# keepalived.conf settings parsed by vrrpd but run by no other test:
# vrrp_script with interval, weight, rise and fall; track_interface;
# mcast_src_ip; notify_backup and notify_fault.  a (150) tracks a file
# (weight -60, fall 2, rise 2) and a veth link; b (100) backs it up.
. "$(dirname "$0")/lib.sh"
needs_root
command -v tcpdump >/dev/null || skip_all "needs tcpdump"
topo a b
NA=$(_ns_name a)
ip -n "$NA" addr add 192.0.2.77/24 dev eth0 || bail "address"
ip -n "$NA" link add trk0 type veth peer name trk1 &&
    ip -n "$NA" link set trk1 up && ip -n "$NA" link set trk0 up || bail "veth"
printf '#!/bin/sh\necho "$@" >> %s/notify.log\n' "$T_TMP" > "$T_TMP/notify.sh"
chmod 755 "$T_TMP/notify.sh"
: > "$T_TMP/notify.log"
touch "$T_TMP/flag"
conf() {	# prio extra
	cat <<C
global_defs {
    vrrp_version 3
}
vrrp_script chk {
    script "/usr/bin/test -e $T_TMP/flag"
    interval 200ms
    timeout 3
    weight -60
    fall 2
    rise 2
}
vrrp_instance VI_1 {
    interface eth0
    virtual_router_id 61
    priority $1
    advert_int 0.1
    virtual_ipaddress {
        $VIP/24
    }
$2
}
C
}
conf 150 "    mcast_src_ip 192.0.2.77
    track_script {
        chk
    }
    track_interface {
        trk0
    }
    notify_backup \"$T_TMP/notify.sh backup\"
    notify_fault \"$T_TMP/notify.sh fault\"" > "$T_TMP/a.conf"
conf 100 "" > "$T_TMP/b.conf"
vr_start a -f "$T_TMP/a.conf" || bail "vrrpd a"
vr_start b -f "$T_TMP/b.conf" || bail "vrrpd b"
ok "a is master" wait_file_line 5 "$T_TMP/a.out" '^MASTER VI_1 .*prio=150'
ok "a holds the VIP" wait_for 5 only a a b
src=$(ip netns exec "$(_ns_name b)" timeout 5 tcpdump -i eth0 -c 1 -n -l \
    "ip proto 112 and src 192.0.2.77" 2>/dev/null | awk '{ print $3 }')
is "$src" 192.0.2.77 "mcast_src_ip: b hears a's adverts from 192.0.2.77"

nb=$(grep -c '^backup$' "$T_TMP/notify.log")	# the start-up BACKUP's
rm "$T_TMP/flag"
t0=$(date +%s%N)
ok "the script fails (weight -60): a goes BACKUP at 90" \
    wait_file_line 5 "$T_TMP/a.out" '^BACKUP VI_1 .*prio=90'
ms=$((($(date +%s%N) - t0) / 1000000))
ok "... after fall 2 at interval 200ms: more than one interval (${ms}ms)" test "$ms" -ge 200
ok "b holds the VIP" wait_for 5 only b a b
ok "notify_backup ran for it" \
    wait_for 5 sh -c "[ \$(grep -c '^backup\$' '$T_TMP/notify.log') -gt $nb ]"
touch "$T_TMP/flag"
ok "rise 2: a is master again" \
    wait_for 5 sh -c "[ \$(grep -c '^MASTER VI_1 .*prio=150' '$T_TMP/a.out') -ge 2 ]"

ip -n "$NA" link set trk0 down
ok "track_interface down: a FAULT" wait_file_line 5 "$T_TMP/a.out" '^FAULT VI_1 '
ok "notify_fault ran" wait_file_line 5 "$T_TMP/notify.log" '^fault$'
ok "b holds the VIP" wait_for 5 only b a b
ip -n "$NA" link set trk0 up
ok "the link back: a master again" \
    wait_for 5 sh -c "[ \$(grep -c '^MASTER VI_1 .*prio=150' '$T_TMP/a.out') -ge 3 ]"
done_testing
