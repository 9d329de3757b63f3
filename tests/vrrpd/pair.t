#!/bin/bash
# SPDX-License-Identifier: ISC
# vrrpd <-> vrrpd, VRRPv3 at 100 ms adverts: one holder after convergence;
# the VIP moves on kill -9, SIGTERM (priority 0), a --track-fd "down" and a
# link down, comes back on preemption; a client reaches it before and after.
# Also: leftovers after kill -9 removed at start-up, --cleanup, reload.
. "$(dirname "$0")/lib.sh"
needs_root
topo a b

args=(-i eth0 --vrid 51 --vip $VIP/24 --advert 100ms --vrrp-version 3)
mkfifo "$T_TMP/fd.a"
exec 7<>"$T_TMP/fd.a"
vr_start a "${args[@]}" --priority 150 --track-fd 7 || bail "vrrpd a"
vr_start b "${args[@]}" --priority 100 || bail "vrrpd b"

ok "a becomes master" wait_file_line 5 "$T_TMP/a.out" '^MASTER VI_51 vrid=51 prio=150'
ok "b stays backup" wait_for 5 state_is b BACKUP
ok "exactly one VIP holder: a" only a a b
ok "client reaches the VIP" reach
like "$(ctl b 'show instances')" "master=192.0.2.1 .*drop_checksum=0" \
    "backup's control socket names the master"
like "$(ctl a status)" "^status vrrpd pid=[0-9]+ instances=1 master=1" "status"
is "$(ctl a 'show instances' | tail -1)" "" "replies end with an empty line"

# --track-fd: a "down" line (svccheck --watch style) moves the VIP at once
echo "down named pid=0" >&7
ok "track-fd down: a goes FAULT" wait_file_line 5 "$T_TMP/a.out" '^FAULT VI_51'
ok "b takes over" wait_for 5 only b a b
ok "gratuitous ARP: the client's ARP entry moved to b before any ping" \
    wait_for 2 arp_is $VIP "$(mac b)"
ok "client reaches the VIP on b" reach
echo "up named" >&7
ok "track-fd up: a preempts back" wait_for 5 only a a b
ok "client reaches the VIP on a" wait_for 3 reach
echo "weight -60" >&7
ok "weight -60 (150 -> 90): b preempts" wait_for 5 only b a b
echo "weight 0" >&7
ok "weight 0: a back" wait_for 5 only a a b

# link down: FAULT, VIP on b; link up: back
ns_link a eth0 down
ok "link down: FAULT" wait_file_line 5 "$T_TMP/a.out" 'FAULT VI_51 .*reason=link-eth0'
ok "b holds the VIP" wait_for 5 has_vip b
ns_link a eth0 up
ok "link up: a master again" wait_for 5 only a a b
ok "client reaches the VIP" wait_for 3 reach

# SIGTERM: priority 0, VIP removed, b master within skew time
vrrp_capture b "$T_TMP/cap" || bail "tcpdump"
t0=$(ms)
kill -TERM "$VR_a"
ok "SIGTERM: b master" wait_for 5 has_vip b
ok "a removed its VIP" no_vip a
ok "a printed STOP" wait_file_line 3 "$T_TMP/a.out" '^STOP VI_51'
ok "a exits 0" wait_gone 5 "$VR_a"
# Timed on the wire, from a's priority 0 advert to b's first advert as
# master: b's skew time is (256 - 100) / 256 x 100 ms = 61 ms, its master
# down interval 3 x 100 ms + 61 ms = 361 ms.  The bound, 300 ms, leaves
# b's timer 239 ms of scheduling delay and still fails a take-over that
# waited for the master down interval.
ok "a sent priority 0" wait_advert "$T_TMP/cap" "$t0" 192.0.2.1 'vrid 51, prio 0,'
ok "b advertises as master" wait_advert "$T_TMP/cap" "$t0" 192.0.2.2 'vrid 51, prio 100,'
p0=$(advert_ms "$T_TMP/cap" "$t0" 192.0.2.1 'vrid 51, prio 0,')
p1=$(advert_ms "$T_TMP/cap" "$t0" 192.0.2.2 'vrid 51, prio 100,')
ok "b took over after skew time, before a master down interval ($((p1 - p0)) ms < 300)" \
    test -n "$p0" -a -n "$p1" -a $((p1 - p0)) -lt 300
ok "client reaches the VIP on b" reach

# a back, preempts
vr_start a "${args[@]}" --priority 150 || bail "vrrpd a again"
ok "preemption: a takes the VIP back" wait_for 5 only a a b
ok "client reaches the VIP on a" wait_for 3 reach

# kill -9: a's VIP stays (as keepalived's would), b takes over after the
# master down interval; vrrpd --cleanup removes the leftover
kill -9 "$VR_a"
ok "kill -9: b master" wait_for 5 has_vip b
ok "the dead master's VIP is left behind" has_vip a
ok "vrrpd --cleanup removes it" ns_run a vrrpd --cleanup "${args[@]}" --priority 150 2>/dev/null
ok "a has no VIP after --cleanup" no_vip a
ok "client reaches the VIP on b" reach
kill -9 "$VR_b"
wait_gone 5 "$VR_b"
ok "b's VIP left too" has_vip b
vr_start b "${args[@]}" --priority 100 || bail "vrrpd b again"
ok "restarted vrrpd removes leftovers at start-up" \
    wait_file_line 5 "$T_TMP/b.err" 'removed 1 address left by an earlier vrrpd'
ok "b master again" wait_for 5 only b b a

# reload keeps the VIP (SIGHUP and control socket)
kill -HUP "$VR_b"
ok "SIGHUP logged" wait_file_line 5 "$T_TMP/b.err" 'reloaded: 1 instance'
ok "VIP kept through reload" only b a b
is "$(ctl b reload)" "ok" "reload over the control socket"
is "$(grep -c '^MASTER' "$T_TMP/b.out")" 1 "no state change from reloads"
done_testing
