#!/bin/bash
# SPDX-License-Identifier: ISC
# Reload (SIGHUP / control "reload"): VIPs added and removed while master
# without touching the ones that stay, a priority change that hands the
# VIP over, a broken config that changes nothing.  Also readiness
# (--ready-fd, $NOTIFY_SOCKET), --pidfile, SIGUSR1 and script_user.
. "$(dirname "$0")/lib.sh"
. "$T_TOP/tests/vrrpd/privtmp.sh"
needs_root
topo a b
# what the notify scripts write: outside /tmp, which privtmp below swaps
# under vrrpd a for a moment (a notify_master run then lost its file)
W=/run/$T_ID-w
mkdir -m 0777 "$W" || bail "$W"
cleanup_push "rm -rf '$W'"
conf() {	# prio vips...
	local prio=$1 v; shift
	printf 'global_defs {\n    script_user nobody\n}\n'
	printf 'vrrp_instance VI_1 {\n    version 3\n    interface eth0\n'
	printf '    virtual_router_id 51\n    priority %s\n    advert_int 0.1\n' "$prio"
	printf '    notify_master "sh -c '\''id -u > %s/uid'\''"\n' "$W"
	printf '    notify_stop "/usr/bin/touch %s/stopped"\n' "$W"
	# b keeps following a whose VIPs changed (keepalived drops an
	# advert whose addresses are not its own VIPs, but for this)
	printf '    skip_check_adv_addr\n'
	printf '    virtual_ipaddress {\n'
	for v in "$@"; do printf '        %s/24\n' "$v"; done
	printf '    }\n}\n'
}
conf 150 192.0.2.100 > "$T_TMP/a.conf"
conf 100 192.0.2.100 > "$T_TMP/b.conf"

# readiness: systemd's socket and s6's fd
socat -u "UNIX-RECV:$T_TMP/notify.sock" "OPEN:$T_TMP/notify.log,creat,append" &
spid=$!
cleanup_push "kill $spid"
wait_for 5 test -S "$T_TMP/notify.sock"
exec 8>"$T_TMP/ready"
NOTIFY_SOCKET=$T_TMP/notify.sock vr_start a -f "$T_TMP/a.conf" --ready-fd 8 \
    --pidfile "$T_TMP/a.pid" || bail "vrrpd a"
# its SIGUSR1 below writes /tmp/keepalived.data: not the machine's
privtmp "$VR_a" || bail "private /tmp for vrrpd a"
exec 8>&-
vr_start b -f "$T_TMP/b.conf" || bail "vrrpd b"
ok "READY=1 sent to \$NOTIFY_SOCKET" wait_file_line 5 "$T_TMP/notify.log" 'READY=1'
is "$(od -An -c "$T_TMP/ready" | tr -d ' ')" '\n' "--ready-fd got one newline"
ok "--pidfile written" test -s "$T_TMP/a.pid"
ok "a master" wait_for 5 only a a b
ok "notify ran as script_user nobody" wait_for 3 file_is "$W/uid" "$(id -u nobody)"

# add a VIP
conf 150 192.0.2.100 192.0.2.103 > "$T_TMP/a.conf"
kill -HUP "$VR_a"
ok "reload: new VIP added" wait_for 3 has_vip a 192.0.2.103
ok "old VIP still there" has_vip a 192.0.2.100
is "$(grep -c '^MASTER' "$T_TMP/a.out")" 1 "no state change"
ok "b learns nothing new but stays backup" test "$(state b)" = BACKUP

# remove the first one
conf 150 192.0.2.103 > "$T_TMP/a.conf"
is "$(ctl a reload)" ok "reload over the socket"
ok "removed VIP gone" wait_for 3 no_vip a 192.0.2.100
ok "kept VIP stays" has_vip a 192.0.2.103

# a broken config changes nothing
printf 'vrrp_instance VI_1 {\n interface eth0\n virtual_router_id 999\n}\n' > "$T_TMP/a.conf"
like "$(ctl a reload)" "^error: .*a.conf:3: vrrp_instance VI_1: virtual_router_id: is 999" \
    "broken config: reload answers the errors"
ok "VIP kept after a failed reload" has_vip a 192.0.2.103
is "$(state a)" MASTER "still master"

# lower the priority: b preempts
conf 50 192.0.2.103 > "$T_TMP/a.conf"
conf 100 192.0.2.103 > "$T_TMP/b.conf"
n=$(file_lines "$T_TMP/b.err")
kill -HUP "$VR_b"
ok "b reloads its config on SIGHUP" \
    wait_file_line_after 3 "$T_TMP/b.err" "$n" reloaded
kill -HUP "$VR_a"
ok "priority 150 -> 50 by reload: b takes over" wait_for 5 vip_only 192.0.2.103 b a b

# the command line wins over the file, and keeps winning across reloads
kill -TERM "$VR_b"; wait_gone 5 "$VR_b"
# (ready before the SIGHUP below: vrrpd's socket is there before it
# handles signals, and a's taking the VIP back says nothing of b)
: >"$T_TMP/b.ready"
vr_start b -f "$T_TMP/b.conf" --priority 30 --ready-fd 3 3>"$T_TMP/b.ready" ||
    bail "vrrpd b again"
wait_for 5 test -s "$T_TMP/b.ready" || bail "vrrpd b again: not ready"
ok "--priority 30 over the file's 100: a (50) takes the VIP back" \
    wait_for 5 vip_only 192.0.2.103 a a b
# b.err keeps the first b's lines (vr_start appends): only a new line counts
n=$(file_lines "$T_TMP/b.err")
kill -HUP "$VR_b"
ok "the new b reloads on SIGHUP" wait_file_line_after 3 "$T_TMP/b.err" "$n" reloaded
like "$(ctl b "show instances")" " prio=30 " "after SIGHUP b still has priority 30"

kill -USR1 "$VR_a"
ok "SIGUSR1 logs the instances" wait_file_line 3 "$T_TMP/a.err" 'instance VI_1 state=MASTER vrid=51 prio=50'
kill -TERM "$VR_a"
ok "pidfile removed at exit" wait_for 3 test ! -e "$T_TMP/a.pid"
ok "STOPPING=1 sent" wait_file_line 3 "$T_TMP/notify.log" 'STOPPING=1'
ok "notify_stop ran on SIGTERM" wait_for 3 test -e "$W/stopped"
done_testing
