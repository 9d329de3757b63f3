#!/bin/bash
# SPDX-License-Identifier: ISC
# Interop with real keepalived, the seed's config unchanged (VRRPv2, PASS,
# track_script chk_named = "killall -0 named", interval 2): vrrpd (150) is
# master, keepalived (100) backup.  Beside it, in the same files, VRRPv3
# instances for IPv4 (100 ms adverts), IPv6 and unicast peers, tracking
# named too, and vrrpd has a --track-fd: one event moves every VIP.  They
# move when named dies, on a --track-fd "down", on SIGTERM (priority 0),
# link down and kill -9, and come back on preemption; then the reverse
# (keepalived master, vrrpd backup) on the same events.  The client
# reaches every VIP after each move.
. "$(dirname "$0")/lib.sh"
needs_root
topo a b
host_init a || bail "host a"
host_init b || bail "host b"
ALL="$VIP 192.0.2.101 2001:db8::100 192.0.2.102"
# extra PRIO SRC PEER: the VRRPv3 instances beside the seed's block
extra() {
	local i name vrid vip uni
	for i in "v3 52 192.0.2.101/24" "v6 60 2001:db8::100/64" \
	    "uni 61 192.0.2.102/24"; do
		read -r name vrid vip <<<"$i"
		uni=
		[ "$name" = uni ] &&
		    uni="unicast_src_ip $2
    unicast_peer {
        $3
    }"
		cat <<EOC
vrrp_instance $name {
    version 3
    interface eth0
    priority $1
    virtual_router_id $vrid
    advert_int 0.1
    track_script {
        chk_named
    }
    $uni
    virtual_ipaddress {
        $vip
    }
}
EOC
	done
}
{ seed_conf 150 " router_id a"; extra 150 192.0.2.1 192.0.2.2; } > "$T_TMP/a.conf"
{ seed_conf 100 " router_id b"; extra 100 192.0.2.2 192.0.2.1; } > "$T_TMP/b.conf"
ok "IPv6 link-local addresses ready" wait_for 5 ll_ready a b
# the client sees every advert: take-overs are timed on the wire
vrrp_capture cl "$T_TMP/cap" || bail "tcpdump"
named_start a || bail "named a"
named_start b || bail "named b"

ok "vrrpd -t accepts the seed's config" vrrpd -t -f "$T_TMP/a.conf"
ka_in b "$T_TMP/b.conf" || bail "keepalived"
mkfifo "$T_TMP/fd.a"
exec 7<>"$T_TMP/fd.a"
vr_in a -f "$T_TMP/a.conf" --track-fd 7 || bail "vrrpd"
ok "vrrpd becomes master" wait_file_line 10 "$T_TMP/a.out" '^MASTER maas_region vrid=51 prio=150'
# Staying backup means not taking over the seed's maas_region while vrrpd
# is master, for longer than keepalived's master down interval (3 x 1 s +
# (256 - 100) / 256 s = 3.6 s for the seed's advert_int 1) plus a 0.4 s
# margin for a loaded machine.  Counted from keepalived's BACKUP after
# vrrpd's MASTER: keepalived, started first, often times out first and is
# master for a packet time until vrrpd's preemption reaches it.  Only
# maas_region: the v3 instances' master down interval is 0.36 s (100 ms
# adverts), shorter than a loaded machine stalls either daemon (vrrpd's
# adverts 377 ms apart, keepalived's 409 ms, in one run beside CPU hogs),
# so keepalived takes one of them for a packet time now and then.
ka_said() { [[ $(grep "($2) Entering" "$T_TMP/$1.out" | tail -1) == *"Entering $3"* ]]; }
ok "keepalived backs vrrpd: its last word on maas_region BACKUP" \
    wait_for 3 ka_said b maas_region BACKUP
n=$(file_lines "$T_TMP/b.out")
nok "keepalived stays backup: no take-over within 3.6 s (+ 0.4 s margin)" \
    wait_file_line_after 4 "$T_TMP/b.out" "$n" '\(maas_region\) Entering MASTER'
ok "exactly one VIP holder: vrrpd's host" wait_for 3 only a a b
ok "client reaches the VIP" reach
ok "vrrpd holds every VIP (v3, IPv6, unicast)" wait_for 3 all_on a
ok "client reaches every VIP" wait_for 8 reach_all
is "$(ctl a 'show instances' |
    grep -c 'state=MASTER .* drop_checksum=0 .* drop_auth=0 ')" 4 \
    "vrrpd master of all four, no checksum or auth drops"

# named dies on a: chk_named fails (weight 0) -> FAULT -> priority 0
t0=$(ms)
named_kill a
ok "named dead: vrrpd goes FAULT" wait_file_line 5 "$T_TMP/a.out" '^FAULT maas_region'
ok "keepalived takes the VIP" wait_for 5 only b a b
diag "named death to VIP on keepalived: $(( $(ms) - t0 )) ms (script interval 2 s)"
ok "client reaches the VIP" wait_for 3 reach
ok "keepalived takes every VIP" wait_for 5 all_on b
ok "client reaches every VIP" wait_for 8 reach_all

named_start a
ok "named back: vrrpd preempts" wait_for 8 only a a b
ok "... every VIP" wait_for 5 all_on a
like "$(ctl a 'show instances')" "rx=[1-9][0-9]* .*drop_auth=0 " \
    "vrrpd accepted keepalived's PASS adverts"
ok "keepalived went back to backup" \
    wait_for 5 lines_ge "$T_TMP/b.out" 'maas_region.*Entering BACKUP' 2
ok "client reaches every VIP" wait_for 8 reach_all

# --track-fd: a "down" line moves every VIP to keepalived within skew time.
# Timed on the wire for maas_region (VRRPv2, 1 s adverts; the v3
# instances are faster): vrrpd's priority 0 comes at once, not at the next
# 2 s script interval (bound 1 s), then keepalived (100) takes over after
# its skew time, 0.61 s, not its master down interval, 3.61 s (bound 2 s:
# 1.39 s of slack, 1.61 s short of the master down interval).
t0=$(ms)
echo "down named" >&7
ok "track-fd down: keepalived takes every VIP" wait_for 5 all_on b
takeover "$T_TMP/cap" "$t0" 51 192.0.2.1 192.0.2.2
ok "vrrpd's priority 0 at once, not at a script interval ($ZERO_MS ms < 1000)" \
    test "$ZERO_MS" -lt 1000
ok "keepalived after skew time, not a master down interval ($TAKE_MS ms < 2000)" \
    test "$TAKE_MS" -lt 2000
ok "client reaches every VIP" wait_for 8 reach_all
echo "up named" >&7
ok "track-fd up: vrrpd preempts" wait_for 5 all_on a
ok "client reaches every VIP" wait_for 8 reach_all

# SIGTERM: vrrpd sends priority 0; keepalived takes over after skew time
# (on the wire, the same bounds as above)
t0=$(ms)
kill -TERM "$VR_a"
ok "SIGTERM: keepalived master" wait_for 5 has_vip b
ok "vrrpd removed its VIP" no_vip a
ok "keepalived saw priority 0" grep -q "priority 0 advertisement" "$T_TMP/b.out"
takeover "$T_TMP/cap" "$t0" 51 192.0.2.1 192.0.2.2
ok "take-over well before the 3.6 s master down interval ($TAKE_MS ms < 2000)" \
    test "$TAKE_MS" -lt 2000
ok "client reaches the VIP" reach
ok "keepalived holds every VIP" wait_for 3 all_on b
ok "client reaches every VIP" wait_for 8 reach_all

vr_in a -f "$T_TMP/a.conf" || bail "vrrpd again"
ok "vrrpd back: preempts keepalived" wait_for 8 only a a b
ok "... every VIP" wait_for 5 all_on a
ok "client reaches every VIP" wait_for 8 reach_all

# link down: vrrpd FAULT, its VIP gone at once; no advert can reach
# keepalived, which takes over after its master down interval (3.6 s)
ns_link a eth0 down
ok "link down: vrrpd goes FAULT" \
    wait_file_line 5 "$T_TMP/a.out" '^FAULT maas_region .*reason=link-eth0'
ok "vrrpd removed its VIP" wait_for 3 no_vip a
ok "keepalived takes every VIP" wait_for 8 all_on b
ok "client reaches every VIP" wait_for 8 reach_all
ns_link a eth0 up
ok "link up: vrrpd preempts keepalived" wait_for 8 only a a b
ok "... every VIP" wait_for 8 all_on a
ok "client reaches every VIP" wait_for 8 reach_all

# kill -9: keepalived takes over after its master down interval
kill -9 "$VR_a"
ok "kill -9: keepalived master" wait_for 8 has_vip b
ok "... of every VIP" wait_for 3 all_held b
ok "client reaches every VIP" wait_for 8 reach_all
ok "vrrpd --cleanup removes the dead master's leftovers" \
    in_host a vrrpd --cleanup -f "$T_TMP/a.conf" 2>/dev/null
ok "one holder again, of every VIP" all_on b

# The reverse, still VRRPv2 + PASS: keepalived (100) master, vrrpd (50)
# backup, moved by keepalived's SIGTERM, its named dying, its link going
# down and kill -9, and preempting back each time.
{ seed_conf 50 " router_id a"; extra 50 192.0.2.1 192.0.2.2; } > "$T_TMP/a50.conf"
vr_in a -f "$T_TMP/a50.conf" || bail "vrrpd (50)"
ok "vrrpd (50) backup, hearing keepalived" wait_for 5 rx_ge a 1
is "$(state a)" BACKUP "vrrpd stays backup"
ok "keepalived keeps every VIP" all_on b
# on the wire: vrrpd (50) after its skew time, (256 - 50) / 256 = 0.80 s,
# not its master down interval, 3.80 s (bound 2 s: 1.2 s of slack, 1.8 s
# short of the master down interval)
t0=$(ms)
kill -TERM "$KA_b"
ok "keepalived SIGTERM: vrrpd takes every VIP" wait_for 5 all_on a
takeover "$T_TMP/cap" "$t0" 51 192.0.2.2 192.0.2.1
ok "after skew time, not a master down interval ($TAKE_MS ms < 2000)" \
    test "$TAKE_MS" -lt 2000
ok "client reaches every VIP" wait_for 8 reach_all
wait_gone 5 "$KA_b"
ka_in b "$T_TMP/b.conf" || bail "keepalived again"
ok "keepalived back: preempts vrrpd" wait_for 8 all_on b
ok "client reaches every VIP" wait_for 8 reach_all

# keepalived's named dies: its chk_named fails, it goes FAULT and sends
# priority 0; it comes back and preempts after its master down interval
named_kill b
ok "keepalived's named dead: vrrpd takes every VIP" wait_for 8 all_on a
ok "client reaches every VIP" wait_for 8 reach_all
named_start b
ok "named back: keepalived preempts vrrpd" wait_for 10 all_on b
ok "client reaches every VIP" wait_for 8 reach_all

# keepalived's link goes down: silence, so vrrpd waits a master down
# interval; link up: keepalived preempts again
ns_link b eth0 down
ok "keepalived's link down: vrrpd takes every VIP" wait_for 8 all_held a
ok "client reaches every VIP" wait_for 8 reach_all
ns_link b eth0 up
ok "link up: keepalived preempts vrrpd" wait_for 10 all_on b
ok "client reaches every VIP" wait_for 8 reach_all

t0=$(ms)
ka_crash b
ok "keepalived kill -9: vrrpd master of every VIP" wait_for 8 all_held a
t1=$(ms)
ok "after the master down interval ($((t1 - t0)) ms >= 2500)" \
    test $((t1 - t0)) -ge 2500
ok "client reaches every VIP" wait_for 8 reach_all
done_testing
