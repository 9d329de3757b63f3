#!/bin/bash
# SPDX-License-Identifier: ISC
# global_defs vrrp_startup_delay: the instances start that long after the
# daemon.  keepalived 2.2.7 (host a) and vrrpd (host b), each alone on its
# VRID with delay 4 s and advert_int 1: neither can be MASTER before
# 4 s + the master-down interval (3 s and a skew) have passed.  Only a lower
# bound is asserted: a loaded machine can only make it later.
. "$(dirname "$0")/lib.sh"
needs_root
command -v keepalived >/dev/null || cannot_run "keepalived not installed"

topo a b
conf() {
	cat <<EOC
global_defs {
    vrrp_startup_delay 4
}
vrrp_instance $1 {
    state BACKUP
    interface eth0
    virtual_router_id $2
    priority 100
    advert_int 1
    virtual_ipaddress {
        192.0.2.$2/24
    }
}
EOC
}
conf KA 81 > "$T_TMP/ka.conf"
conf VR 82 > "$T_TMP/vr.conf"
ms() { echo $(( $(date +%s%N) / 1000000 )); }

exit_is 0 "vrrpd -t accepts vrrp_startup_delay" \
    sh -c 'vrrpd -t -f "$1" >/dev/null' _ "$T_TMP/vr.conf"
t0=$(ms)
vr_start b -f "$T_TMP/vr.conf" || bail "vrrpd did not start"
ok "vrrpd: MASTER in the end" wait_file_line 30 "$T_TMP/b.out" "^MASTER VR "
tv=$(( $(ms) - t0 ))
ok "vrrpd: not MASTER before 4 s + 3 adverts (${tv} ms)" test "$tv" -ge 7000
like "$(cat "$T_TMP/b.err")" "vrrp_startup_delay: instances start in 4s" \
    "vrrpd says when the instances start"

t0=$(ms)
ns_spawn a KA keepalived -n -l -D -P -f "$T_TMP/ka.conf" -p "$T_TMP/k.pid" \
    -r "$T_TMP/v.pid" -c "$T_TMP/c.pid" > "$T_TMP/a.out" 2>&1
ok "keepalived: MASTER in the end" \
    wait_file_line 30 "$T_TMP/a.out" "\(KA\) Entering MASTER"
tk=$(( $(ms) - t0 ))
ok "keepalived: not MASTER before 4 s + 3 adverts either (${tk} ms)" \
    test "$tk" -ge 7000

done_testing
