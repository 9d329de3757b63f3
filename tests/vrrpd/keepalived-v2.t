#!/bin/bash
# Interop with real keepalived, the seed's config unchanged (VRRPv2, PASS,
# track_script chk_named = "killall -0 named", interval 2): vrrpd (150) is
# master, keepalived (100) backup.  The VIP moves when named dies, comes
# back on preemption, moves on SIGTERM (priority 0) and on kill -9.
. "$(dirname "$0")/lib.sh"
needs_root
topo a b
host_init a || bail "host a"
host_init b || bail "host b"
seed_conf 150 " router_id a" > "$T_TMP/a.conf"
seed_conf 100 " router_id b" > "$T_TMP/b.conf"
named_start a || bail "named a"
named_start b || bail "named b"

ok "vrrpd -t accepts the seed's config" vrrpd -t -f "$T_TMP/a.conf"
ka_in b "$T_TMP/b.conf" || bail "keepalived"
vr_in a -f "$T_TMP/a.conf" || bail "vrrpd"
ok "vrrpd becomes master" wait_file_line 10 "$T_TMP/a.out" '^MASTER maas_region vrid=51 prio=150'
ok "keepalived stays backup" wait_for 5 grep -q "Entering BACKUP" "$T_TMP/b.out"
ok "exactly one VIP holder: vrrpd's host" wait_for 3 only a a b
ok "client reaches the VIP" reach

# named dies on a: chk_named fails (weight 0) -> FAULT -> priority 0
t0=$(ms)
named_kill a
ok "named dead: vrrpd goes FAULT" wait_file_line 5 "$T_TMP/a.out" '^FAULT maas_region'
ok "keepalived takes the VIP" wait_for 5 only b a b
diag "named death to VIP on keepalived: $(( $(ms) - t0 )) ms (script interval 2 s)"
ok "client reaches the VIP" wait_for 3 reach

named_start a
ok "named back: vrrpd preempts" wait_for 8 only a a b
like "$(ctl a 'show instances')" "rx=[1-9][0-9]* .*drop_auth=0 " \
    "vrrpd accepted keepalived's PASS adverts"
ok "keepalived went back to backup" \
    wait_for 5 lines_ge "$T_TMP/b.out" 'Entering BACKUP' 2
ok "client reaches the VIP" wait_for 3 reach

# SIGTERM: vrrpd sends priority 0; keepalived takes over after skew time
t0=$(ms)
kill -TERM "$VR_a"
ok "SIGTERM: keepalived master" wait_for 5 has_vip b
t1=$(ms)
ok "vrrpd removed its VIP" no_vip a
ok "keepalived saw priority 0" grep -q "priority 0 advertisement" "$T_TMP/b.out"
ok "take-over well before the 3.6 s master down interval ($((t1 - t0)) ms)" \
    test $((t1 - t0)) -lt 2000
ok "client reaches the VIP" reach

vr_in a -f "$T_TMP/a.conf" || bail "vrrpd again"
ok "vrrpd back: preempts keepalived" wait_for 8 only a a b

# kill -9: keepalived takes over after its master down interval
kill -9 "$VR_a"
ok "kill -9: keepalived master" wait_for 8 has_vip b
ok "client reaches the VIP" wait_for 3 reach
ok "vrrpd --cleanup removes the dead master's leftover" \
    in_host a vrrpd --cleanup -f "$T_TMP/a.conf" 2>/dev/null
ok "one holder again" only b a b
[ -n "$KEEP" ] && { cp -r $T_TMP /tmp/vrkeep; }
done_testing
