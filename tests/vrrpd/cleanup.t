#!/bin/bash
# SPDX-License-Identifier: ISC
# vrrpd --cleanup after a kill -9: without CAP_NET_ADMIN the delete fails
# and --cleanup says which address is still up and exits 1 (so a unit's
# ExecStopPost= failure shows); with it, the address goes and it exits 0.
. "$(dirname "$0")/lib.sh"
needs_root
topo a
args=(-i eth0 --vrid 51 --priority 150 --vip $VIP/24 --advert 100ms
    --vrrp-version 3)
vr_start a "${args[@]}" || bail "vrrpd a"
ok "a becomes master" wait_for 5 has_vip a
kill -9 "$VR_a"
wait_gone 5 "$VR_a"
ok "kill -9 leaves the marked VIP behind" has_vip a

nocap=(setpriv --inh-caps=-all --bounding-set=-all)
ns_run a "${nocap[@]}" vrrpd --cleanup "${args[@]}" \
    >"$T_TMP/c1.out" 2>"$T_TMP/c1.err"
is "$?" 1 "--cleanup without CAP_NET_ADMIN exits 1"
like "$(cat "$T_TMP/c1.err")" "VI_51: cleanup: cannot remove 192\.0\.2\.100/24 from eth0: Operation not permitted" \
    "the message names the address, the interface and why"
like "$(cat "$T_TMP/c1.err")" "cleanup: 1 address not removed" "and counts it"
ok "the VIP is indeed still there" has_vip a

ns_run a vrrpd --cleanup "${args[@]}" >"$T_TMP/c2.out" 2>"$T_TMP/c2.err"
is "$?" 0 "--cleanup with CAP_NET_ADMIN exits 0"
ok "the VIP is gone" no_vip a
like "$(cat "$T_TMP/c2.err")" "cleanup: removed 1 address" "says so"
ns_run a "${nocap[@]}" vrrpd --cleanup "${args[@]}" 2>/dev/null
is "$?" 0 "nothing left: --cleanup exits 0 even without privileges"
done_testing
