#!/bin/bash
# SPDX-License-Identifier: ISC
# Tracks keepalived 2.2.7 flags and leaves out, as published configs have
# them (tests/vrrpd/corpus/juancitucs-chat.conf, eltex-unicast.conf):
#  - a track_script naming a vrrp_script defined further down: keepalived
#    looks names up as it reads, says "track script X not found,
#    ignoring..." and runs the instance untracked; so does vrrpd (a
#    warning, -t exits 3): with a failing script the instance is master
#    in both, and has no VIP in either when the script comes first;
#  - a track_interface naming the instance's own interface: "Ignoring
#    track_interface eth0 since own interface"; vrrpd warns, -t exits 3.
. "$(dirname "$0")/lib.sh"
needs_root
command -v keepalived >/dev/null || cannot_run "keepalived not installed"
topo a
C=$T_TMP/t.conf
SCRIPT='vrrp_script chk {
    script "/bin/false"
    interval 1
}'
inst() {	# inst 'tracks'
	cat <<EOC
vrrp_instance VI_1 {
    interface eth0
    virtual_router_id 51
    priority 100
    advert_int 0.1
$1
    virtual_ipaddress {
        $VIP/24
    }
}
EOC
}
conf() {	# conf 'tracks' [script-first]
	printf 'global_defs {\n    vrrp_version 3\n    enable_script_security\n'
	printf '    script_user root\n}\n'
	[ -n "${2:-}" ] && echo "$SCRIPT"
	inst "$1"
	[ -n "${2:-}" ] || echo "$SCRIPT"
}
TS='    track_script {
        chk
    }'
# t_check WHAT KEEPALIVED-RE VRRPD-RE: both -t verdicts on $C
t_check() {
	local k v rc=0
	k=$(ns_run a keepalived -t -n -l -f "$C" 2>&1) &&
	    ok "$1: keepalived -t flags it" false ||
	    like "$k" "$2" "$1: keepalived -t flags it"
	v=$(ns_run a vrrpd -t -f "$C" 2>&1) || rc=$?
	is "$rc" 3 "$1: vrrpd -t exits 3"
	like "$v" "$3" "$1: vrrpd warns"
}

conf "$TS" > "$C"
t_check "track_script above its vrrp_script" \
    "track script chk not found, ignoring" \
    "t\.conf:6: warning: vrrp_instance VI_1: track_script chk: its vrrp_script comes after this instance: not tracked, as keepalived"
for d in vrrpd keepalived; do
	either_start $d a "$C"
	ok "$d: the failing script is not tracked: master" wait_for 10 has_vip a
	either_stop $d a
done
conf "$TS" first > "$C"
is "$(ns_run a vrrpd -t -f "$C" 2>&1 | grep -c warning)" 0 \
    "the script first: no warning"
for d in vrrpd keepalived; do
	: > "$T_TMP/a.out"
	either_start $d a "$C"
	# keepalived logs no state for an instance that never left INIT
	ok "$d, the script first: it fails, tracked (vrrpd: FAULT)" \
	    wait_for 10 grep -q "^FAULT VI_1\|VRRP_Script(chk) failed" "$T_TMP/a.out"
	ok "$d: no VIP" no_vip a
	either_stop $d a
done

conf '    track_interface {
        eth0 weight 50
    }' first > "$C"
t_check "track_interface on the own interface" \
    "Ignoring track_interface eth0 since own interface" \
    "t\.conf:10: warning: vrrp_instance VI_1: track_interface eth0: the instance's own interface: ignored, as keepalived"
done_testing
