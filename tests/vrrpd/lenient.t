#!/bin/bash
# SPDX-License-Identifier: ISC
# Values keepalived 2.2.7 takes with a config error and a replacement,
# then runs: for each, keepalived -t flags the line (non-zero exit, a
# message) and vrrpd -t warns naming file:line and the replacement, and
# exits 3 (runs, with what keepalived -t reports); the daemon uses the
# same replacement (vrrpd -t -v shows it).  A state MASTER without a
# priority is the address owner (255) in both: keepalived says so by
# refusing nopreempt "with priority 255", and so does vrrpd.
. "$(dirname "$0")/lib.sh"
needs_root
command -v keepalived >/dev/null || cannot_run "keepalived not installed"
topo a
L=$T_TMP/l.conf
q() { "$@" >/dev/null 2>&1; }
conf() {	# conf 'lines in the instance' (line 4 on)
	printf 'vrrp_instance VI_1 {\n    interface eth0\n    virtual_router_id 51\n%s\n' "$1"
	printf '    virtual_ipaddress {\n        %s\n    }\n}\n' \
	    "${VIP:-192.0.2.100/24}"
}
ka_t() { ns_run a keepalived -t -n -l -f "$L" 2>&1; }
# case 'LINES' KEEPALIVED-RE VRRPD-RE DUMP-RE: one lenient value
case_() {
	conf "$1" > "$L"
	local k v rc=0
	k=$(ka_t) && { ok "keepalived -t flags: $2" false; } ||
	    like "$k" "$2" "keepalived -t flags it: $2"
	v=$(vrrpd -t -v -f "$L" 2>&1) || rc=$?
	is "$rc" 3 "vrrpd -t exits 3 for it"
	like "$v" "$3" "vrrpd warns: $3"
	like "$v" "$4" "vrrpd uses: $4"
}
case_ '    priority 300' \
    'Line 4.*Priority not valid.*Using default 100' \
    'l\.conf:4: warning: vrrp_instance VI_1: priority: is "300", not 1..255: 100 used' \
    'priority=100 '
case_ '    state FOO' \
    "Line 4.*unknown state 'FOO', defaulting to BACKUP" \
    'l\.conf:4: warning: vrrp_instance VI_1: state: is "FOO", not MASTER or BACKUP: BACKUP used' \
    'state=BACKUP '
case_ '    advert_int 1.5' \
    'advertisement interval 1.5.*must be an integer. rounding' \
    'l\.conf:1: warning: vrrp_instance VI_1: advert_int: 1.5s is not a whole second for VRRPv2: 2s used' \
    'advert_usec=2000000 '
case_ '    advert_int 300' \
    "Line 4.*Advert interval \\(300\\) not valid" \
    'l\.conf:4: warning: vrrp_instance VI_1: advert_int: is "300", not 0.01..255: ignored' \
    'advert_usec=1000000 '
case_ $'    authentication {\n        auth_type PASS;\n        auth_pass secret\n    }' \
    "Line 5.*unknown authentication type 'PASS;'" \
    'l\.conf:5: warning: vrrp_instance VI_1: auth_type: is "PASS;", not PASS: no authentication' \
    'priority=100 '
case_ '    garp_master_repeat 0' \
    'Line 4.*garp_master_repeat must be greater than 0, setting to 1' \
    'l\.conf:4: warning: vrrp_instance VI_1: garp_master_repeat: is 0: 1 used' \
    'priority=100 '
case_ $'    state MASTER\n    nopreempt' \
    'nopreempt is incompatible with priority 255. resetting nopreempt' \
    'l\.conf:1: warning: vrrp_instance VI_1: nopreempt: ignored for the address owner \(priority 255\)' \
    'priority=255 .*state=MASTER preempt=yes'
case_ $'    authentication {\n        auth_type PASS\n        auth_pass secret12XYZ\n    }' \
    'Line 6.*Truncating auth_pass to 8 characters' \
    'l\.conf:6: warning: vrrp_instance VI_1: auth_pass: longer than 8 characters; only the first 8 are used' \
    'version=2 '
case_ $'    version 3\n    authentication {\n        auth_type PASS\n        auth_pass secret\n    }' \
    'VRRP version 3 does not support authentication. Ignoring' \
    'l\.conf:1: warning: vrrp_instance VI_1: authentication: VRRPv3 has none; ignored' \
    'version=3 '
VIP='2001:db8::100/64 scope link' case_ '    version 3' \
    'Line 6.*Cannot specify scope for IPv6 addresses.*ignoring scope' \
    'l\.conf:6: warning: vrrp_instance VI_1: scope "link": IPv6 addresses take the scope of their address; ignored' \
    'vips=2001:db8::100/64'

# an IPv6 instance without version 3 is VRRPv3 in keepalived, and its -t
# passes the file (Octavia's IPv6 amphorae): a warning only, exit 0
VIP=2001:db8::100/64 conf '    priority 100' > "$L"
exit_is 0 "keepalived -t: an IPv6 instance without version 3 passes" \
    q ka_t
v=$(vrrpd -t -v -f "$L" 2>&1)
exit_is 0 "vrrpd -t: so does it" q vrrpd -t -f "$L"
like "$v" 'l\.conf:1: warning: vrrp_instance VI_1: IPv6: VRRPv2 carries no IPv6; version 3 used' \
    "vrrpd -t warns that it runs VRRPv3"
like "$v" 'version=3 ' "vrrpd uses VRRPv3"

# keepalived takes an include name as it is, quotes and all: a quoted
# name is a missing file, a warning, and the rest is read
conf '    priority 120' > "$T_TMP/inc.conf"
printf 'include "%s/inc.conf"\ninclude %s/inc.conf\n' "$T_TMP" "$T_TMP" > "$L"
like "$(ka_t)" "Line 1.*Config files missing '\"$T_TMP/inc.conf\"'" \
    "keepalived -t: a quoted include name is not found"
like "$(vrrpd -t -f "$L" 2>&1)" "l\.conf:1: warning: include \"$T_TMP/inc.conf\": no such file" \
    "vrrpd -t: nor by vrrpd, with a warning naming file:line"
exit_is 0 "vrrpd -t: and the rest is read (exit 0, as keepalived)" \
    q vrrpd -t -f "$L"
done_testing
