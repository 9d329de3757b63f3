#!/bin/bash
# SPDX-License-Identifier: ISC
# --accept / --no-accept on the command line win over the file's accept,
# no_accept (ACCEPT MODE in vrrpd(8)): the client's ping to the VIP is the
# oracle, answered in accept mode and dropped without it.
. "$(dirname "$0")/lib.sh"
needs_root
command -v nft >/dev/null || skip_all "no nft"
topo a
conf() {	# accept keyword
	printf 'vrrp_instance v4 {\n    interface eth0\n    virtual_router_id 91\n'
	printf '    priority 150\n    advert_int 1\n    %s\n' "$1"
	printf '    virtual_ipaddress {\n        %s/24\n    }\n}\n' "$VIP"
}
ping_vip() { ns_run cl ping -c 1 -W 1 "$VIP" >/dev/null 2>&1; }
conf no_accept > "$T_TMP/no.conf"
conf accept > "$T_TMP/yes.conf"

vr_start a -f "$T_TMP/no.conf" --accept || bail "vrrpd"
ok "master" wait_file_line 5 "$T_TMP/a.out" '^MASTER v4'
ok "--accept over the file's no_accept: the client's ping to the VIP is answered" \
    wait_for 5 ping_vip
kill "$VR_a"; wait_for 5 no_vip a
rm -f "$T_TMP/a.sock"

vr_start a -f "$T_TMP/yes.conf" --no-accept || bail "vrrpd"
ok "master again" wait_file_line 5 "$T_TMP/a.out" '^MASTER v4'
ok "and holds the VIP" wait_for 5 has_vip a
ok "--no-accept over the file's accept: the nft rules are in place" \
    wait_for 5 sh -c "ip netns exec $(_ns_name a) nft list table inet vrrpd | grep -q '$VIP'"
nok "... and the client's ping to the VIP is dropped" ping_vip
done_testing
