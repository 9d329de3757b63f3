#!/bin/bash
# SPDX-License-Identifier: ISC
# garp_master_refresh / garp_master_refresh_repeat: while master, a round
# of gratuitous ARPs every period (keepalived's keywords, same config for
# both).  A client namespace counts them with tcpdump and groups them by
# time: one at the change to master (garp_master_repeat 1), then pairs
# (refresh_repeat 2) about a second apart (refresh 1); none once backup.
# The same for an IPv6 instance with unsolicited neighbour advertisements.
# VI_1 takes garp_master_delay/_repeat from global_defs' defaults
# (vrrp_garp_master_delay/_repeat), VI_6 sets its own.
. "$(dirname "$0")/lib.sh"
needs_root
topo a b
V6=2001:db8::100
conf() {	# prio [refresh]
	local r="    ${2:+garp_master_refresh $2}
    garp_master_refresh_repeat 2"
	garp_conf "$1" "" "$r" "$VIP/24"
	cat <<EOC
vrrp_instance VI_6 {
    interface eth0
    virtual_router_id 53
    priority $1
    advert_int 0.1
    garp_master_delay 0
    garp_master_repeat 1
$r
    virtual_ipaddress {
        $V6/64
    }
}
EOC
}
conf 100 1 > "$T_TMP/a.conf"
conf 200 > "$T_TMP/b.conf"

# arps N: the client's view of ARP for the VIP and of neighbour
# advertisements, into arp.N
arps() {
	ARPS=$T_TMP/arp.$1
	capture cl eth0 "$ARPS" -e "(arp and host $VIP) or (icmp6 and ip6[40] == 136)"
}
arps 1 || bail "tcpdump"

# garps H: H's gratuitous ARPs for the VIP seen so far; nas H: its
# unsolicited neighbour advertisements for the IPv6 VIP
garps() { grep -i "^[0-9.]* $(mac "$1") > ff:ff:ff:ff:ff:ff.*who-has $VIP .*tell $VIP" "$ARPS"; }
nas() { grep -i "^[0-9.]* $(mac "$1") > 33:33:00:00:00:01.*neighbor advertisement, tgt is $V6," "$ARPS"; }
garps_ge() { [ "$(garps "$1" | wc -l)" -ge "$2" ]; }
nas_ge() { [ "$(nas "$1" | wc -l)" -ge "$2" ]; }
# groups H [nas]: "size@gap-from-the-previous-group" for each burst of H's
# ARPs (or NAs)
groups() {
	"${2:-garps}" "$1" | awk '{ t = $1 }
	    NR == 1 || t - last > 0.4 { if (NR > 1) printf "%d@%.1f ", n, gap;
		gap = NR == 1 ? 0 : t - first; first = t; n = 0 }
	    { n++; last = t }
	    END { printf "%d@%.1f\n", n, gap }'
}
# sane_groups H N [nas]: N groups after the first; the first one ARP, the
# others two, each 0.6 .. 2 s after the one before (a period of 1 s,
# generously)
sane_groups() {
	groups "$1" "$3" | awk -v want="$2" '{
	    if ($1 !~ /^1@/) exit 1
	    for (i = 2; i <= NF; i++) { split($i, g, "@")
		if (g[1] != 2 || g[2] < 0.6 || g[2] > 2) exit 1 }
	    exit NF - 1 >= want ? 0 : 1 }'
}

ok "IPv6 link-local addresses ready" wait_for 5 ll_ready a b
vr_start a -f "$T_TMP/a.conf" || bail "vrrpd a"
ok "vrrpd master" wait_for 5 has_vip a
ok "1 + 3 x 2 gratuitous ARPs within 8 s" wait_for 8 garps_ge a 7
ok "in bursts: 1 on becoming master, then pairs ~1 s apart ($(groups a))" \
    sane_groups a 3
ok "IPv6: 1 + 3 x 2 unsolicited NAs" wait_for 2 nas_ge a 7
ok "IPv6: in the same bursts ($(groups a nas))" sane_groups a 3 nas
vr_start b -f "$T_TMP/b.conf" || bail "vrrpd b"
ok "b (200) preempts" wait_for 5 only b a b
ok "b announced itself" wait_for 3 garps_ge b 1
ok "b announced itself over IPv6" wait_for 3 nas_ge b 1
n=$(garps a | wc -l)
n6=$(nas a | wc -l)
nok "a, now backup, refreshes no more (1.5 s: a period and a half)" \
    wait_for 1.5 garps_ge a $((n + 1))
is "$(nas a | wc -l)" "$n6" "a sends no more NAs either"
ok "b, without garp_master_refresh, sent just its one" \
    test "$(garps b | wc -l)" = 1
is "$(nas b | wc -l)" 1 "b sent just one NA"
kill -TERM "$VR_a" "$VR_b"
wait_gone 5 "$VR_a"
wait_gone 5 "$VR_b"

# real keepalived, same config: the same bursts
arps 2 || bail "tcpdump"
ka_start a "$T_TMP/a.conf" || bail "keepalived"
ok "keepalived master" wait_for 8 has_vip a
ok "keepalived: 1 + 3 x 2 gratuitous ARPs within 8 s" wait_for 8 garps_ge a 7
ok "keepalived: the same bursts ($(groups a))" sane_groups a 3
ok "keepalived: 1 + 3 x 2 unsolicited NAs" wait_for 2 nas_ge a 7
ok "keepalived: the same NA bursts ($(groups a nas))" sane_groups a 3 nas
done_testing
