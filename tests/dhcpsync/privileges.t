#!/bin/bash
# SPDX-License-Identifier: ISC
# dhcpsync started as root without --user keeps no capability once set up:
# where root owns the lease file (Debian's dhcpd runs as root) it stays
# uid 0 with empty capability sets, bounding set included, and so does the
# --peer command it starts; where another user owns it (dhcpd -user dhcpd,
# Kea's _kea) it runs as that owner, and says so.  A pair of real
# dhcpsync processes still syncs both ways, and the --peer command, root
# but capability-less, cannot write a file root does not own.
. "$(dirname "$0")/../lib/tap.sh"
. "$T_TOP/tests/dhcpsync/lib.sh"
needs_root
U=nobody
uid=$(id -u "$U") || cannot_run "no user $U"

caps() {	# pid: effective/permitted/ambient/bounding
	echo "$(proc_status "$1" CapEff)/$(proc_status "$1" CapPrm)/$(proc_status "$1" CapAmb)/$(proc_status "$1" CapBnd)"
}
none=0000000000000000/0000000000000000/0000000000000000/0000000000000000
chmod 711 "$T_TMP"
mkdir -p "$T_TMP/other"
chown "$U" "$T_TMP/other"
A=$T_TMP/a/dhcpd.leases B=$T_TMP/b/dhcpd.leases
lease_pair "$A" "$B"

# root's files: uid 0, nothing else.  The peer command records its own
# view, then tries to write into a directory of nobody's (mode 755).
cat > "$T_TMP/peer.sh" <<EOF
#!/bin/sh
grep -E '^(Uid|Cap(Eff|Prm|Amb|Bnd)):' /proc/self/status > "$T_TMP/peer.status"
if touch "$T_TMP/other/x" 2>/dev/null; then echo wrote; else echo refused; fi > "$T_TMP/peer.try"
exec dhcpsync -l "$B"
EOF
chmod 755 "$T_TMP/peer.sh"
pair_start PA "$A" "$T_TMP/peer.sh"
ok "a pair as root syncs: 30 leases on both sides" wait_for 20 both_hold 30 "$A" "$B"
is "$(proc_status "$PA" Uid)" "0 0 0 0" "root's lease file: the daemon stays uid 0"
is "$(caps "$PA")" "$none" "... with no capability, none in its bounding set"
is "$(awk '/^Cap/ { print $2 }' "$T_TMP/peer.status" | sort -u)" \
    0000000000000000 "the --peer command has none either"
is "$(cat "$T_TMP/peer.try")" refused \
    "... so root's ssh cannot write where root does not own"
ok "(nothing was written there)" test ! -e "$T_TMP/other/x"
peer=$(pgrep -P "$PA" | head -1)
is "$(caps "${peer:-0}" 2>/dev/null)" "$none" "the peer dhcpsync has none"
gen 1 40 >> "$A"
ok "a lease added on A's side after the drop reaches B" \
    wait_for 20 holds 31 "$B"
kill "$PA"
ok "it stops on SIGTERM" wait_for 10 eval '! kill -0 $PA 2>/dev/null'
is "$(grep -c 'running as' "$T_TMP/a.err")" 0 "root's file: no line about a user"

# nobody's files, no --user: it becomes nobody, and says so
C=$T_TMP/c/dhcpd.leases D=$T_TMP/d/dhcpd.leases
lease_pair "$C" "$D"
chown -R "$U" "$T_TMP/c" "$T_TMP/d"
pair_start PC "$C" "exec dhcpsync -l '$D'"
ok "a pair on $U's files syncs: 30 leases on both sides" wait_for 20 both_hold 30 "$C" "$D"
is "$(proc_status "$PC" Uid)" "$uid $uid $uid $uid" "the daemon runs as $U, the file's owner"
is "$(caps "$PC")" "$none" "... with no capability"
like "$(cat "$T_TMP/c.err")" "running as $U, the owner of $C" "... and says so"
peer=$(pgrep -P "$PC" | head -1)
is "$(proc_status "${peer:-0}" Uid 2>/dev/null)" "$uid $uid $uid $uid" "the --peer command runs as $U too"
is "$(stat -c %U "$C" "$C.dhcpsync.lock" 2>/dev/null | sort -u)" "$U" \
    "the lease file and the lock are still $U's"
kill "$PC"
ok "it stops on SIGTERM" wait_for 10 eval '! kill -0 $PC 2>/dev/null'
done_testing
