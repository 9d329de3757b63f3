#!/bin/bash
# SPDX-License-Identifier: ISC
# Preemption rules between two vrrpd, VRRPv3 at 100 ms: nopreempt keeps a
# live lower master; preempt_delay waits before taking over; the default
# takes over at the first advertisement of the lower master.
. "$(dirname "$0")/lib.sh"
needs_root
topo a b
args=(-i eth0 --vrid 70 --vip $VIP/24 --advert 100ms)
vr_start b "${args[@]}" --priority 100 || bail "vrrpd b"
ok "b alone becomes master" wait_file_line 5 "$T_TMP/b.out" '^MASTER'

vr_start a "${args[@]}" --priority 150 --nopreempt || bail "vrrpd a"
ok "nopreempt: a hears b's adverts" wait_for 5 rx_ge a 10
is "$(state a)" BACKUP "nopreempt: a (150) stays backup under b (100)"
ok "b keeps the VIP" only b a b
kill -TERM "$VR_a"; wait_gone 5 "$VR_a"

t0=$(ms)
vr_start a "${args[@]}" --priority 150 --preempt-delay 1s || bail "vrrpd a"
ok "preempt_delay 1s: a takes over" wait_for 5 only a a b
t1=$(ms)
ok "not before the delay ($((t1 - t0)) ms >= 1000)" test $((t1 - t0)) -ge 1000
kill -TERM "$VR_a"; wait_gone 5 "$VR_a"
ok "b master again" wait_for 5 only b a b

t0=$(ms)
vr_start a "${args[@]}" --priority 150 || bail "vrrpd a"
ok "default: a preempts" wait_for 5 only a a b
t1=$(ms)
ok "at b's first advert, not after a master down interval" \
    wait_file_line 3 "$T_TMP/a.out" '^MASTER VI_70 .*reason=preempt'
diag "launch to VIP, process start-up included: $((t1 - t0)) ms"
done_testing
