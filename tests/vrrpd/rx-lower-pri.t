#!/bin/bash
# SPDX-License-Identifier: ISC
# notify_master_rx_lower_pri, against keepalived 2.2.7: a master (priority
# 150, VRRPv2) hears adverts of a lower priority master crafted on host x
# (craft.py), one at a time.  keepalived's rule: the script runs on every
# such advert (no arguments), and an equal priority from a lower address
# counts too; a resigning master (priority 0) does not.  Both daemons,
# the same file: the script ran as many times as adverts were sent, and
# the notify FIFO got one MASTER_RX_LOWER_PRI line each.
. "$(dirname "$0")/lib.sh"
needs_root
command -v keepalived >/dev/null || cannot_run "keepalived not installed"
topo x a	# x is 192.0.2.1: lower than a's .2
N=2
printf '#!/bin/sh\necho "$*" >> %s/rx.$1\n' "$T_TMP" > "$T_TMP/rx.sh"
chmod 755 "$T_TMP/rx.sh"
fifo_reader

conf() {	# conf NAME
	cat <<EOC
global_defs {
    notify_fifo $T_TMP/$1.fifo
    notify_fifo_script "$T_TMP/reader.sh $T_TMP/$1.lines"
}
vrrp_instance VI_1 {
    interface eth0
    virtual_router_id 51
    priority 150
    advert_int 1
    notify_master_rx_lower_pri "$T_TMP/rx.sh $1"
    virtual_ipaddress {
        $VIP/24
    }
}
EOC
}
craft() { ns_run x python3 "$T_TOP/tests/vrrpd/craft.py" eth0 192.0.2.1 \
    224.0.0.18 version=2 vrid=51 int=1 vip=$VIP "$@"; }
runs() { grep -c . "$T_TMP/rx.$1" 2>/dev/null || echo 0; }
runs_is() { [ "$(runs "$1")" = "$2" ]; }
fifo_rx() { grep -cx 'INSTANCE "VI_1" MASTER_RX_LOWER_PRI 150' "$T_TMP/$1.lines" 2>/dev/null; }
fifo_rx_is() { [ "$(fifo_rx "$1")" = "$2" ]; }

for d in keepalived vrrpd; do
	conf $d > "$T_TMP/$d.conf"
	either_start $d a "$T_TMP/$d.conf"
	ok "$d: master" wait_for 8 has_vip a
	is "$(runs $d)" 0 "$d: no run before any lower advert"
	for i in $(seq $N); do
		craft prio=100 || bail "craft"
		ok "$d: advert $i (priority 100): run $i" wait_for 5 runs_is $d "$i"
	done
	craft prio=150 || bail "craft"
	ok "$d: equal priority from a lower address: runs too" \
	    wait_for 5 runs_is $d $((N + 1))
	craft prio=0 || bail "craft"
	craft prio=100 || bail "craft"
	ok "$d: priority 0 does not run it (the next lower one does)" \
	    wait_for 5 runs_is $d $((N + 2))
	ok "$d: still $((N + 2)) runs, no more" runs_is $d $((N + 2))
	is "$(sort -u "$T_TMP/rx.$d")" "$d" "$d: the script got no arguments"
	ok "$d: one MASTER_RX_LOWER_PRI FIFO line each" \
	    wait_for 5 fifo_rx_is $d $((N + 2)) ||
	    sed 's/^/#   /' "$T_TMP/$d.lines"
	ok "$d: still master" has_vip a
	either_stop $d a
done
done_testing
