#!/bin/bash
# SPDX-License-Identifier: ISC
# net_namespace NAME (global_defs) against keepalived 2.2.7 as Debian
# builds it (no namespace support): keepalived calls it an unknown
# keyword (-t exits 5), then runs where it was started, its VIP there and
# none in NAME.  vrrpd refuses the file (exit 2, file:line and what to do
# instead) rather than run in another namespace than the file names.
. "$(dirname "$0")/lib.sh"
needs_root
topo a
ns_switch other || bail "the namespace the file names"
host_init a || bail "host a"
NAME=$(_ns_name other)

cat > "$T_TMP/ns.conf" <<C
global_defs {
    net_namespace $NAME
}
vrrp_instance VI_1 {
    interface eth0
    virtual_router_id 54
    priority 100
    advert_int 1
    virtual_ipaddress {
        192.0.2.100/24
    }
}
C

# --- keepalived ---------------------------------------------------------------
out=$(ns_run a keepalived -t -n -l -f "$T_TMP/ns.conf" 2>&1)
is "$?" 5 "keepalived -t: exit 5"
like "$out" "Line 2\) Unknown keyword 'net_namespace'" \
    "... net_namespace an unknown keyword"
ka_in a "$T_TMP/ns.conf" || bail "keepalived"
ok "keepalived runs where it was started: the VIP on a" wait_for 10 has_vip a
is "$(ip -n "$NAME" -o addr show | grep -c '192\.0\.2\.100')" 0 \
    "... none in $NAME"
kill -TERM "$KA_a"
wait_gone 15 "$KA_a"

# --- vrrpd ----------------------------------------------------------------------
out=$(vrrpd -t -f "$T_TMP/ns.conf" 2>&1)
is "$?" 2 "vrrpd -t: exit 2"
like "$out" "ns\.conf:2: global_defs: net_namespace: not supported: .*run vrrpd in the namespace \(ip netns exec\)" \
    "... naming file:line and what to do instead"
ns_run a vrrpd -f "$T_TMP/ns.conf" --control "$T_TMP/a.sock" 2>"$T_TMP/vr.err"
is "$?" 2 "vrrpd does not start on it (exit 2)"

done_testing
