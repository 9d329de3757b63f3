#!/bin/bash
# SPDX-License-Identifier: ISC
# vrrp_mcast_group4 / vrrp_mcast_group6 and mcast_dst_ip beside keepalived
# on the same file: adverts go to the configured groups (224.0.0.19 for
# VI_1, 224.0.0.20 for VI_2 by mcast_dst_ip, ff02::13 for the IPv6 VI_3),
# not to 224.0.0.18 / ff02::12, and each daemon hears the other there:
# keepalived stays BACKUP under vrrpd, vrrpd goes BACKUP under keepalived
# at a higher priority, and either takes over when the other stops.
# A vrrpd left on the RFC group (host c) hears none of it.
. "$(dirname "$0")/lib.sh"
needs_root
command -v tcpdump >/dev/null || cannot_run "needs tcpdump"
topo a b c

conf() {	# H PRIO
	cat <<C
global_defs {
    router_id $1
    vrrp_mcast_group4 224.0.0.19
    vrrp_mcast_group6 ff02::13
}
vrrp_instance VI_1 {
    interface eth0
    virtual_router_id 61
    priority $2
    advert_int 1
    virtual_ipaddress {
        192.0.2.161/24
    }
}
vrrp_instance VI_2 {
    interface eth0
    virtual_router_id 62
    priority $2
    advert_int 1
    mcast_dst_ip 224.0.0.20
    virtual_ipaddress {
        192.0.2.162/24
    }
}
vrrp_instance VI_3 {
    interface eth0
    virtual_router_id 63
    version 3
    priority $2
    advert_int 1
    virtual_ipaddress {
        2001:db8::163/64
    }
}
C
}
ka_state() {
	grep "($2) Entering" "$T_TMP/$1.out" | tail -1 |
	    sed 's/.*Entering \([A-Z]*\).*/\1/'
}
# ka_all H STATE: keepalived's three instances in STATE
ka_all() {
	local i
	for i in VI_1 VI_2 VI_3; do
		[ "$(ka_state "$1" $i)" = "$2" ] || return 1
	done
}
# vr_all H STATE: vrrpd's three instances in STATE
vr_all() { [ "$(ctl "$1" 'show instances' | grep -c "state=$2")" = 3 ]; }
# seen FILE N SRC: "dst vrid" of SRC's adverts captured past line N,
# sorted, once (the file grows under tcpdump: never truncated)
seen() {
	tail -n "+$(($2 + 1))" "$1" | grep -F " $3 > " |
	    sed -n 's/.* > \([0-9a-f.:]*\): VRRPv[23], Advertisement, vrid \([0-9]*\),.*/\1 \2/p' |
	    sort -u
}
# ll H: H's link-local address (the IPv6 adverts' source)
ll() {
	ip -n "$(_ns_name "$1")" -6 -o addr show dev eth0 scope link |
	    sed -n 's/.* inet6 \(fe80[0-9a-f:]*\)\/.*/\1/p'
}
# sent_to H N: H's adverts past line N of b's capture went to the groups
sent_to() {
	local ip=192.0.2.1
	[ "$1" = b ] && ip=192.0.2.2
	[ "$(seen "$T_TMP/b.cap" "$2" "$ip"; seen "$T_TMP/b.cap" "$2" "$(ll "$1")")" = "$want" ]
}
want="224.0.0.19 61
224.0.0.20 62
ff02::13 63"
host_init a || bail "host a"
host_init b || bail "host b"
host_init c || bail "host c"
conf a 150 > "$T_TMP/a.conf"
conf b 100 > "$T_TMP/b.conf"
conf b 200 > "$T_TMP/b200.conf"
sed '/vrrp_mcast_group\|mcast_dst_ip/d' "$T_TMP/a.conf" > "$T_TMP/c.conf"
ok "vrrpd -t: the groups are accepted" vrrpd -t -f "$T_TMP/a.conf"
printf 'global_defs {\n vrrp_mcast_group4 192.0.2.9\n}\n' > "$T_TMP/bad.conf"
sed -n '/^vrrp_instance VI_1/,/^}/p' "$T_TMP/a.conf" >> "$T_TMP/bad.conf"
like "$(vrrpd -t -f "$T_TMP/bad.conf" 2>&1)" \
    ':2: global_defs: vrrp_mcast_group4 192\.0\.2\.9: not a multicast address' \
    "a group that is not multicast: an error naming file:line"
ok "IPv6 ready" wait_for 10 ll_ready a b c
vrrp_capture b "$T_TMP/b.cap" || bail "tcpdump on b"

# --- keepalived first, vrrpd (150) joins and takes over ------------------
ka_in b "$T_TMP/b.conf" || bail "keepalived"
ok "keepalived master of all three alone" wait_for 10 ka_all b MASTER
vr_in a -f "$T_TMP/a.conf" || bail "vrrpd"
ok "vrrpd master of all three" wait_for 10 vr_all a MASTER
ok "keepalived BACKUP of all three: it hears vrrpd on the groups" \
    wait_for 10 ka_all b BACKUP
c=$(file_lines "$T_TMP/b.cap")
ok "vrrpd's adverts go to the three groups" wait_for 5 sent_to a "$c" ||
    diag "$(tail -n 5 "$T_TMP/b.cap")"
n=$(grep -c '> 224\.0\.0\.18:\|> ff02::12:' "$T_TMP/b.cap")
is "$n" 0 "... none to 224.0.0.18 or ff02::12"

# host c: vrrpd on the RFC group with the same VRIDs hears nothing
vr_in c -f "$T_TMP/c.conf" || bail "vrrpd on c"
ok "a vrrpd on the RFC group hears none of it: master of all three" \
    wait_for 10 vr_all c MASTER
kill -TERM "$VR_c"
wait_gone 5 "$VR_c"

# vrrpd stops: keepalived takes over
kill -TERM "$VR_a"
wait_gone 5 "$VR_a"
ok "vrrpd stops: keepalived master of all three" wait_for 10 ka_all b MASTER

# keepalived (200) master, vrrpd (150) hears it and stays BACKUP
kill -TERM "$KA_b"
wait_gone 10 "$KA_b"
: > "$T_TMP/b.out"
ka_in b "$T_TMP/b200.conf" || bail "keepalived (200)"
ok "keepalived (200) master" wait_for 10 ka_all b MASTER
: > "$T_TMP/a.out"
vr_in a -f "$T_TMP/a.conf" || bail "vrrpd again"
ok "vrrpd BACKUP of all three: it hears keepalived on the groups" \
    wait_for 10 vr_all a BACKUP
ok "... and stays there (no MASTER line)" \
    sh -c "! grep -q '^MASTER' '$T_TMP/a.out'"
c=$(file_lines "$T_TMP/b.cap")
ok "keepalived's adverts to the same groups" wait_for 5 sent_to b "$c" ||
    diag "$(tail -n 5 "$T_TMP/b.cap")"
kill -TERM "$KA_b"
ok "keepalived stops: vrrpd master of all three" wait_for 10 vr_all a MASTER
kill -TERM "$VR_a"
wait_gone 5 "$VR_a"

done_testing
