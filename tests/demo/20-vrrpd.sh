#!/bin/bash
# SPDX-License-Identifier: ISC
# Scene: the seed's virtual IP.  Two API hosts run vrrpd with the seed's
# keepalived.conf unchanged (VRID 51, PASS, track_script chk_named); a
# client pings the VIP; named dies on the master; the VIP moves.  Then the
# same with "svccheck --watch named | vrrpd --track-fd 0": no polling.
. "$(dirname "$0")/../vrrpd/lib.sh"
[ "$(id -u)" = 0 ] || { echo "needs root (network namespaces)"; exit 0; }
say() { printf '  %s\n' "$*"; }
topo api1 api2
host_init api1 && host_init api2 || exit 1
seed_conf 150 " router_id api1" > "$T_TMP/api1.conf"
seed_conf 100 " router_id api2" > "$T_TMP/api2.conf"
named_start api1 && named_start api2 || exit 1

say "api1 (192.0.2.1, priority 150) and api2 (192.0.2.2, priority 100),"
say "each: vrrpd -f keepalived.conf   (the seed's block: VIP $VIP)"
vr_in api1 -f "$T_TMP/api1.conf" && vr_in api2 -f "$T_TMP/api2.conf" || exit 1
wait_for 10 only api1 api1 api2 || { echo "no master"; exit 1; }
wait_file_line 3 "$T_TMP/api1.out" "^MASTER"
say "state lines of api1:"; sed 's/^/    /' "$T_TMP/api1.out"
say "client -> $VIP: $(reach && echo answers || echo silent)  (holder: $(holders api1 api2))"
echo
say "killing named on api1 (track_script: killall -0 named, every 2 s) ..."
t0=$(ms); named_kill api1
wait_for 10 has_vip api2; t1=$(ms)
wait_for 5 reach; t2=$(ms)
say "VIP on api2 after $((t1 - t0)) ms, client answered after $((t2 - t0)) ms"
wait_file_line 3 "$T_TMP/api2.out" '^MASTER'
say "api2: $(grep '^MASTER' "$T_TMP/api2.out")"
named_start api1
wait_for 10 only api1 api1 api2
say "named back on api1: preempted, holder $(holders api1 api2)"
kill -TERM "$VR_api1" "$VR_api2"; wait_gone 5 "$VR_api1"; wait_gone 5 "$VR_api2"

if svccheck -h 2>&1 | grep -q -- --watch; then
	echo
	say "now event-driven: svccheck --watch named | vrrpd ... --track-fd 0"
	named_start api1
	# out here, the namespaces' teardown does not reach svccheck
	cleanup_push "pkill -f -- 'svccheck --watch -e $T_TMP/'"
	for h in api1 api2; do
		p=$([ $h = api1 ] && echo 150 || echo 100)
		v="P1_$h"
		# svccheck --watch needs the initial PID namespace (proc
		# connector): it runs out here, told apart by the exe path
		svccheck --watch -e "$T_TMP/$h/named" named 2>/dev/null |
		    nsenter -t "${!v}" -a vrrpd --control "$T_TMP/$h.sock" \
		    -i eth0 --vrid 51 --priority $p --vip $VIP \
		    --auth-pass s3cret --track-fd 0 \
		    >>"$T_TMP/$h.fd.out" 2>>"$T_TMP/$h.err" &
		disown
	done
	wait_for 10 only api1 api1 api2 || { echo "no master"; exit 1; }
	t0=$(ms); named_kill api1
	wait_for 10 has_vip api2; t1=$(ms)
	wait_for 5 reach; t2=$(ms)
	say "named killed: VIP on api2 after $((t1 - t0)) ms, client answered after $((t2 - t0)) ms"
	wait_file_line 3 "$T_TMP/api2.fd.out" '^MASTER'
	say "api2: $(grep '^MASTER' "$T_TMP/api2.fd.out")"
fi
