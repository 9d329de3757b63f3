#!/bin/bash
# SPDX-License-Identifier: ISC
# unicast_ttl against keepalived 2.2.7: the same keepalived.conf on host
# a for each daemon in turn, an IPv4 and an IPv6 instance, each unicast to
# b with unicast_ttl 7.  tcpdump -v on b sees a's adverts leave with TTL
# (hop limit) 7.  Then b (vrrpd, priority 200, unicast_ttl 9: a peer
# some hops away) must take both VIPs from a: a takes adverts from its
# unicast peer whatever their TTL, as keepalived does, and steps down.
# A reload to unicast_ttl 12 takes effect (vrrpd alone).
# unicast_ttl without unicast_peer: both daemons report it and ignore
# it (keepalived's "Cannot use unicast_ttl without unicast peers"):
# keepalived -t exits 5, vrrpd -t 3, its code for what keepalived takes
# with a config error.
. "$(dirname "$0")/lib.sh"
needs_root
command -v keepalived >/dev/null || cannot_run "keepalived not installed"
command -v tcpdump >/dev/null || cannot_run "tcpdump not installed"
topo a b
V6=2001:db8::100

conf() {	# conf PRIO TTL SRC4 PEER4 SRC6 PEER6
	cat <<EOC
vrrp_instance v4 {
    interface eth0
    virtual_router_id 71
    priority $1
    version 3
    advert_int 0.1
    unicast_ttl $2
    unicast_src_ip $3
    unicast_peer {
        $4
    }
    virtual_ipaddress {
        $VIP/24
    }
}
vrrp_instance v6 {
    interface eth0
    virtual_router_id 72
    priority $1
    advert_int 0.1
    unicast_ttl $2
    unicast_src_ip $5
    unicast_peer {
        $6
    }
    virtual_ipaddress {
        $V6/64
    }
}
EOC
}
conf 150 7 192.0.2.1 192.0.2.2 2001:db8::1 2001:db8::2 > "$T_TMP/a.conf"
conf 200 9 192.0.2.2 192.0.2.1 2001:db8::2 2001:db8::1 > "$T_TMP/b.conf"
ok "IPv6 addresses ready" wait_for 5 ll_ready a b

seen() {	# seen FILE PATTERN N: N header lines of tcpdump -v match
	[ "$(grep -c -- "$2" "$1")" -ge "$3" ]
}
for d in keepalived vrrpd; do
	capture b eth0 "$T_TMP/$d.cap" -v 'ip proto 112 or ip6 proto 112' ||
	    bail "tcpdump"
	either_start $d a "$T_TMP/a.conf"
	ok "$d: master of the IPv4 VIP" wait_for 10 has_vip a
	ok "$d: master of the IPv6 VIP" wait_for 10 has_vip a $V6
	ok "$d: IPv4 adverts leave with TTL 7" \
	    wait_for 5 seen "$T_TMP/$d.cap" '^[0-9.]* IP (tos 0xc0, ttl 7,' 3
	ok "$d: IPv6 adverts leave with hop limit 7" \
	    wait_for 5 seen "$T_TMP/$d.cap" '^[0-9.]* IP6 (.*hlim 7,' 3
	is "$(grep -c -- 'ttl 255,\|hlim 255,' "$T_TMP/$d.cap")" 0 \
	    "$d: none with 255"
	kill "$CAP_PID"
	vr_start b -f "$T_TMP/b.conf" || bail "vrrpd b"
	ok "$d: b's TTL 9 adverts take the IPv4 VIP from a" \
	    wait_for 10 only b a b
	ok "$d: b's hop limit 9 adverts take the IPv6 VIP from a" \
	    wait_for 10 vip_only $V6 b a b
	kill -TERM "$VR_b"
	wait_gone 5 "$VR_b"
	ok "$d: a master again" wait_for 10 has_vip a
	either_stop $d a
done
sed -n '/^[0-9.]* IP/p' "$T_TMP/vrrpd.cap" | head -2 | sed 's/^/# /'

# A reload that changes unicast_ttl applies it to the running instances.
vr_start a -f "$T_TMP/a.conf" || bail "vrrpd a"
ok "vrrpd: master again" wait_for 10 has_vip a $V6
sed -i 's/unicast_ttl 7/unicast_ttl 12/' "$T_TMP/a.conf"
capture b eth0 "$T_TMP/reload.cap" -v 'ip proto 112 or ip6 proto 112' ||
    bail "tcpdump"
kill -HUP "$VR_a"
ok "reload: IPv4 adverts leave with TTL 12" \
    wait_for 5 seen "$T_TMP/reload.cap" '^[0-9.]* IP (tos 0xc0, ttl 12,' 3
ok "reload: IPv6 adverts leave with hop limit 12" \
    wait_for 5 seen "$T_TMP/reload.cap" '^[0-9.]* IP6 (.*hlim 12,' 3
kill "$CAP_PID"
either_stop vrrpd a

# Without unicast_peer: multicast, the keyword a config error that runs.
sed '/unicast_peer/,/}/d; /unicast_src_ip/d' "$T_TMP/a.conf" > "$T_TMP/m.conf"
keepalived -t -f "$T_TMP/m.conf" > "$T_TMP/ka-t.out" 2>&1
ka=$?
diag "keepalived -t: $(grep -i ttl "$T_TMP/ka-t.out" | head -2)"
ns_run a vrrpd -t -f "$T_TMP/m.conf" > "$T_TMP/vr-t.out" 2>&1
is "$?" 3 "no unicast_peer: vrrpd -t exits 3"
is "$ka" 5 "... where keepalived -t exits 5 (a config error)"
ok "vrrpd names the file, line and why" \
    grep -q "m.conf:.*unicast_ttl: no unicast_peer; ignored" "$T_TMP/vr-t.out"
done_testing
