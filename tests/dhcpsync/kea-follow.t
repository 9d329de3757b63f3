#!/bin/bash
# SPDX-License-Identifier: ISC
# Kea as the source: dhcpsync follows a real primary kea-dhcp4's
# kea-leases4.csv (by name, inotify) while dhclient clients lease from it,
# and applies every change to a secondary kea-dhcp4 over its control
# socket.  The primary runs kea-lfc every 2 s (lfc-interval), so its file
# is rotated and compacted under dhcpsync all along: nothing may be lost
# or applied twice, a release reaches the secondary as a delete, and a
# dhcpsync restarted after compaction reads the older files Kea keeps.
. "$(dirname "$0")/../lib/tap.sh"
. "$T_TOP/tests/dhcpsync/kea.sh"
needs_root
kea_needed

kea_lan sw2			# the secondary serves no client
clients="c1 c2 c3 c4"
declare -A mac addr
for c in $clients; do
	# an address of its own on the subnet: dhclient -r unicasts the release
	ns_host sw "$c" 10.64.1.$((10 + ${c#c}))/16
	dhcp_client_setup "$c"
	mac[$c]=$(mac_of "$c")
done
ok "primary kea-dhcp4 up (lfc-interval 2)" kea_start kp kp KP 2
ok "secondary kea-dhcp4 up" kea_start ks ks KS

follow() {
	{ dhcpsync send "$P" 2>> "$T_TMP/send.err" & echo $! > "$T_TMP/send.pid"; wait; } |
		{ dhcpsync recv "$S" --kea-socket "$T_TMP/ks.sock" <&0 \
		    >> "$T_TMP/recv.out" 2>> "$T_TMP/recv.err" &
		  echo $! > "$T_TMP/recv.pid"; wait; } &
	wait_for 10 test -s "$T_TMP/send.pid" -a -s "$T_TMP/recv.pid"
	cleanup_push "kill $(cat "$T_TMP/send.pid") $(cat "$T_TMP/recv.pid") 2>/dev/null"
}
rm -f "$T_TMP/send.pid" "$T_TMP/recv.pid"
follow

for c in c1 c2 c3; do
	addr[$c]=$(dhcp_client "$c")
	like "${addr[$c]}" '^10\.64\.0\.' "$c leases ${addr[$c]} from the primary Kea"
	ok "lease4-get on the secondary: ${addr[$c]} to ${mac[$c]}" \
	    wait_for 20 kea_has ks "${addr[$c]}" "${mac[$c]}"
done

# a compaction after those leases: they now live in kea-leases4.csv.2
has_all() { for c in c1 c2 c3; do grep -q "^${addr[$c]}," "$P.2" || return 1; done; }
ok "kea-lfc compacted the primary's leases into kea-leases4.csv.2" \
    wait_for 20 has_all
addr[c4]=$(dhcp_client c4)
like "${addr[c4]}" '^10\.64\.0\.' "c4 leases ${addr[c4]} after the compaction"
ok "and it reaches the secondary too" wait_for 20 kea_has ks "${addr[c4]}" "${mac[c4]}"

# a release: the primary deletes the lease, so does the secondary
dhcp_release c1
ok "c1 released ${addr[c1]} on the primary" wait_for 20 kea_hasnt kp "${addr[c1]}" ||
    diag "$(tail -5 "$T_TMP/c1.log")"
ok "the secondary drops ${addr[c1]}" wait_for 20 kea_hasnt ks "${addr[c1]}"

same() { [ "$(kea_all kp)" = "$(kea_all ks)" ]; }
ok "both Keas hold exactly the same leases" wait_for 20 same
is "$(kea_all ks | wc -l)" 3 "three leases on the secondary"
is "$(kea_all ks | awk '{ print $2 }' | sort -u | wc -l)" 3 \
    "no client holds two addresses"
diag "$(kea_all ks | tr '\n' ';')"
is "$(grep -c 'peer-down' "$T_TMP/recv.out")" 0 "the stream never broke"

# dhcpsync restarted after more compactions: the older files are read,
# nothing comes back that was released
kill "$(cat "$T_TMP/send.pid")" "$(cat "$T_TMP/recv.pid")"
wait_for 10 eval '! kill -0 $(cat "$T_TMP/recv.pid") 2>/dev/null'
lfcs() { [ "$(grep -c 'DHCPSRV_MEMFILE_LFC_START\b' "$T_TMP/kp.log")" -ge "$1" ]; }
n=$(grep -c 'DHCPSRV_MEMFILE_LFC_START\b' "$T_TMP/kp.log")
wait_for 20 lfcs $((n + 2))
rm -f "$T_TMP/send.pid" "$T_TMP/recv.pid"
: > "$T_TMP/recv.out"
follow
ok "a restarted dhcpsync syncs from Kea's files" \
    wait_file_line 20 "$T_TMP/recv.out" '^synced n='
like "$(cat "$T_TMP/send.err")" 'leases from [0-9]+ older rows' \
    "it read the older files (kea-leases4.csv.2)"
ok "the secondary still matches the primary" wait_for 20 same
ok "${addr[c1]} stays released" kea_hasnt ks "${addr[c1]}"
done_testing
