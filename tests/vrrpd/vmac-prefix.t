#!/bin/bash
# SPDX-License-Identifier: ISC
# vmac_prefix (global_defs) beside keepalived 2.2.7, the same files: the
# VMACs of use_vmac with no name are PREFIX.VRID, an IPv6 instance's too,
# with the virtual MAC of its family; a prefix too long for an interface
# name is cut short so that PREFIX.VRID fits in 15 bytes (keepalived
# says nothing about it).  Each daemon makes them at its start and
# removes them at its stop.
. "$(dirname "$0")/lib.sh"
needs_root
command -v keepalived >/dev/null || cannot_run "keepalived not installed"
topo a
host_init a || bail "host a"

conf() {	# PREFIX VRID4 VRID6
	cat <<EOC
global_defs {
    vmac_prefix $1
}
vrrp_instance VI_4 {
    state BACKUP
    interface eth0
    use_vmac
    virtual_router_id $2
    priority 100
    advert_int 0.3
    virtual_ipaddress {
        $VIP/24
    }
}
vrrp_instance VI_6 {
    state BACKUP
    interface eth0
    use_vmac
    virtual_router_id $3
    priority 100
    version 3
    advert_int 0.3
    virtual_ipaddress {
        2001:db8::100/64
    }
}
EOC
}
conf vm 51 52 > "$T_TMP/short.conf"
conf abcdefghijklmnop 255 7 > "$T_TMP/long.conf"

# "NAME MAC" of each macvlan on a's eth0, sorted
vmacs() {
	ip -n "$(_ns_name a)" -br link show type macvlan |
	    awk '{ sub(/@.*/, "", $1); print $1, $3 }' | sort
}
two() { [ "$(vmacs | wc -l)" = 2 ]; }
none() { [ -z "$(vmacs)" ]; }

for f in short long; do
	for d in keepalived vrrpd; do
		: > "$T_TMP/a.out"
		daemon_in $d a "$T_TMP/$f.conf"
		ok "$d ($f): two VMACs" wait_for 5 two
		vmacs > "$T_TMP/$f.$d"
		kill -TERM "$PID"
		wait_gone 15 "$PID"
		ok "$d ($f): gone at the stop" wait_for 5 none
	done
	is "$(cat "$T_TMP/$f.vrrpd")" "$(cat "$T_TMP/$f.keepalived")" \
	    "$f prefix: vrrpd's VMACs are keepalived's"
done
is "$(cat "$T_TMP/short.vrrpd")" "vm.51 00:00:5e:00:01:33
vm.52 00:00:5e:00:02:34" "vm.VRID, the IPv6 instance's too"
is "$(cat "$T_TMP/long.vrrpd")" "abcdefghijk.255 00:00:5e:00:01:ff
abcdefghijklm.7 00:00:5e:00:02:07" "a long prefix cut to fit 15 bytes"
done_testing
