#!/bin/bash
# SPDX-License-Identifier: ISC
# A routed unicast peer: its adverts arrive with TTL (hop limit) below
# 255.  keepalived 2.2.7 takes them from a unicast peer without any
# unicast_ttl (since 1.2.10; RFC 5798's 255 guards a LAN, which unicast
# leaves), and so must vrrpd: the same keepalived.conf on host a for each
# daemon in turn, a master at priority 100; b sends hand-made adverts at
# priority 200 with TTL 64 from a's unicast peer, IPv4 and IPv6, and a
# steps down.  A multicast instance still drops them, in both daemons.
# A peer with "min_ttl 100 max_ttl 200": its TTL 64 adverts are dropped,
# its TTL 150 ones taken, by both.
. "$(dirname "$0")/lib.sh"
needs_root
command -v keepalived >/dev/null || cannot_run "keepalived not installed"
topo a b
V6=2001:db8::100

unicast_conf() {
	cat <<EOC
vrrp_instance u4 {
    interface eth0
    virtual_router_id 61
    priority 100
    version 3
    advert_int 0.1
    unicast_peer {
        192.0.2.2
    }
    virtual_ipaddress {
        $VIP/24
    }
}
vrrp_instance u4r {
    interface eth0
    virtual_router_id 64
    priority 100
    version 3
    advert_int 0.1
    unicast_peer {
        192.0.2.2 min_ttl 100 max_ttl 200
    }
    virtual_ipaddress {
        192.0.2.164/24
    }
}
vrrp_instance u6 {
    interface eth0
    virtual_router_id 62
    priority 100
    version 3
    advert_int 0.1
    unicast_src_ip 2001:db8::1
    unicast_peer {
        2001:db8::2
    }
    virtual_ipaddress {
        $V6/64
    }
}
EOC
}
multicast_conf() {
	cat <<EOC
vrrp_instance m4 {
    interface eth0
    virtual_router_id 63
    priority 100
    version 3
    advert_int 0.1
    virtual_ipaddress {
        $VIP/24
    }
}
EOC
}
unicast_conf >"$T_TMP/u.conf"
multicast_conf >"$T_TMP/m.conf"

# the state lines each daemon writes on its standard output
master_re() { [ "$1" = vrrpd ] && echo "^MASTER $2 " || echo "\\($2\\) Entering MASTER STATE"; }
backup_re() { [ "$1" = vrrpd ] && echo "^BACKUP $2 .*from=MASTER" || echo "\\($2\\) Entering BACKUP STATE$"; }
# vrrpd with -v: it logs each packet it drops, and why
start_a() {
	if [ "$1" = vrrpd ]; then
		vr_start a -f "$2" -v || bail "vrrpd a"
	else
		either_start "$1" a "$2"
	fi
}
craft() {	# SRC DST VRID VIP [TTL]
	ns_run b python3 "$T_TOP/tests/vrrpd/craft.py" eth0 "$1" "$2" \
	    version=3 vrid="$3" prio=200 ttl="${5:-64}" int=10 vip="$4" repeat=3
}

for d in keepalived vrrpd; do
	start_a "$d" "$T_TMP/u.conf"
	for i in u4 u6 u4r; do
		ok "$d: $i master" wait_file_line 10 "$T_TMP/a.out" "$(master_re $d $i)"
	done
	n=$(file_lines "$T_TMP/a.out")
	craft 192.0.2.2 192.0.2.1 64 192.0.2.164
	craft 192.0.2.2 192.0.2.1 61 "$VIP"
	craft 2001:db8::2 2001:db8::1 62 "$V6"
	ok "$d: u4 takes the TTL 64 advert of its unicast peer and steps down" \
	    wait_file_line_after 5 "$T_TMP/a.out" "$n" "$(backup_re $d u4)"
	ok "$d: u6 takes the hop limit 64 advert of its unicast peer and steps down" \
	    wait_file_line_after 5 "$T_TMP/a.out" "$n" "$(backup_re $d u6)"
	# u4r's were sent first: taken, it would have stepped down by now
	nok "$d: u4r drops its peer's TTL 64 adverts (min_ttl 100)" \
	    grep -q "$(backup_re $d u4r)" "$T_TMP/a.out"
	craft 192.0.2.2 192.0.2.1 64 192.0.2.164 150
	ok "$d: ... takes its TTL 150 ones and steps down" \
	    wait_file_line_after 5 "$T_TMP/a.out" "$n" "$(backup_re $d u4r)"
	either_stop "$d" a

	start_a "$d" "$T_TMP/m.conf"
	ok "$d: m4 master" wait_file_line 10 "$T_TMP/a.out" "$(master_re $d m4)"
	n=$(file_lines "$T_TMP/a.out") e=$(file_lines "$T_TMP/a.err")
	craft 192.0.2.2 224.0.0.18 63 "$VIP"
	# the drop is logged (keepalived on its output, vrrpd on stderr); the
	# state must not have moved by then
	if [ "$d" = vrrpd ]; then
		ok "vrrpd: m4 drops a TTL 64 multicast advert" \
		    wait_file_line_after 5 "$T_TMP/a.err" "$e" \
		    'dropped packet from 192.0.2.2: ttl'
	else
		ok "keepalived: m4 drops a TTL 64 multicast advert" \
		    wait_file_line_after 5 "$T_TMP/a.out" "$n" 'invalid TTL/HL. Received 64'
	fi
	nok "$d: and stays master" grep -q "$(backup_re $d m4)" "$T_TMP/a.out"
	either_stop "$d" a
done
done_testing
