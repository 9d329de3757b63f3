#!/bin/bash
# SPDX-License-Identifier: ISC
# A track line's own "reverse" (keepalived 2.2.7 accepts
# "NAME weight N reverse|noreverse" in track_script and
# "NAME weight N reverse" in track_interface): the line's sense wins over
# its vrrp_script's, and a reversed line counts its weight when the script
# or link is up instead of down.  Each daemon in turn advertises alone;
# its priority is read from its own adverts on the wire.
. "$(dirname "$0")/lib.sh"
needs_root
command -v keepalived >/dev/null || cannot_run "keepalived not installed"
command -v tcpdump >/dev/null || cannot_run "needs tcpdump"
topo a
NA=$(_ns_name a)
ip -n "$NA" link add trk0 type veth peer name trk1 &&
    ip -n "$NA" link set trk1 up && ip -n "$NA" link set trk0 up || bail "veth"
C=$T_TMP/t.conf
cat > "$C" <<EOC
global_defs {
    vrrp_version 3
    enable_script_security
    script_user root
}
vrrp_script chk {
    script "/usr/bin/test -e $T_TMP/flag"
    interval 1
}
vrrp_script chk2 {
    script "/usr/bin/test -e $T_TMP/flag2"
    interval 1
    weight 10 reverse
}
vrrp_script chk3 {
    script "/usr/bin/test -e $T_TMP/flag3"
    interval 1
    weight -40 reverse
}
vrrp_instance VI_1 {
    interface eth0
    virtual_router_id 51
    priority 100
    advert_int 0.1
    track_script {
        chk weight -60 reverse
        chk2 weight 20 noreverse
        chk3
    }
    track_interface {
        trk0 weight -30 reverse
    }
    virtual_ipaddress {
        $VIP/24
    }
}
EOC
v=$(ns_run a vrrpd -t -f "$C" 2>&1)
is "$?:$v" "0:$C: ok, 1 instance" \
    "vrrpd -t takes reverse and noreverse on track lines"
# a word keepalived does not know on a track line: it warns and tracks
# the line without it; so does vrrpd (-t exits 3)
sed 's/^        chk3$/        chk3 reverse/' "$C" > "$T_TMP/w.conf"
k=$(ns_run a keepalived -t -n -l -f "$T_TMP/w.conf" 2>&1)
like "$k" "unknown track script option reverse - ignoring" \
    "keepalived -t: \"chk3 reverse\" is chk3"
v=$(ns_run a vrrpd -t -f "$T_TMP/w.conf" 2>&1)
is "$?:$v" "3:vrrpd: $T_TMP/w.conf:28: warning: vrrp_instance VI_1: track_script chk3: \"reverse\" ignored (\"NAME [weight N [reverse|noreverse]]\"), as keepalived
$T_TMP/w.conf: ok, 1 instance" "vrrpd -t: the same, a warning"

# prio_is FILE N: the last advert captured says priority N
prio_is() { [ "$(awk '/vrid 51, prio/ { p = $0 } END { sub(/.*prio /, "", p); sub(/,.*/, "", p); print p }' "$1")" = "$2" ]; }

for d in keepalived vrrpd; do
	touch "$T_TMP/flag" "$T_TMP/flag2" "$T_TMP/flag3"
	ip -n "$NA" link set trk1 up
	cap=$T_TMP/$d.cap
	vrrp_capture a "$cap" || bail "tcpdump"
	either_start $d a "$C"
	# up, a reversed line counts nothing; chk2's line says noreverse:
	# its weight 20 counts while up
	ok "$d: all up: 100 + 20 = 120" wait_for 15 prio_is "$cap" 120
	rm "$T_TMP/flag"
	ok "$d: chk down, weight -60 reversed: + 60 = 180" \
	    wait_for 15 prio_is "$cap" 180
	ip -n "$NA" link set trk1 down
	ok "$d: trk0 down, weight -30 reversed: + 30 = 210" \
	    wait_for 15 prio_is "$cap" 210
	rm "$T_TMP/flag2"
	ok "$d: chk2 down, noreverse over its script's reverse: - 20 = 190" \
	    wait_for 15 prio_is "$cap" 190
	rm "$T_TMP/flag3"
	ok "$d: chk3 down, its script's weight -40 reverse: + 40 = 230" \
	    wait_for 15 prio_is "$cap" 230
	ip -n "$NA" link set trk1 up
	ok "$d: trk0 up again: 200" wait_for 15 prio_is "$cap" 200
	either_stop $d a
	kill "$CAP_PID"
done
done_testing
