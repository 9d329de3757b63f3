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
needs_root
U=nobody
uid=$(id -u "$U") || cannot_run "no user $U"

gen() { awk -v n="$1" -v off="${2:-0}" -f "$T_TOP/tests/dhcpsync/gen-leases.awk"; }
count() { awk -f "$T_TOP/tests/dhcpsync/last-state.awk" "$1" | wc -l; }
status() { awk -v k="$2:" '$1 == k { $1 = ""; sub(/^ /, ""); print; exit }' "/proc/$1/status"; }
caps() {	# pid: effective/permitted/ambient/bounding
	echo "$(status "$1" CapEff)/$(status "$1" CapPrm)/$(status "$1" CapAmb)/$(status "$1" CapBnd)"
}
none=0000000000000000/0000000000000000/0000000000000000/0000000000000000
chmod 711 "$T_TMP"
mkdir -p "$T_TMP/a" "$T_TMP/b" "$T_TMP/c" "$T_TMP/d" "$T_TMP/other"
chown "$U" "$T_TMP/other"
A=$T_TMP/a/dhcpd.leases B=$T_TMP/b/dhcpd.leases
gen 20 > "$A"
gen 10 20 > "$B"

# root's files: uid 0, nothing else.  The peer command records its own
# view, then tries to write into a directory of nobody's (mode 755).
cat > "$T_TMP/peer.sh" <<EOF
#!/bin/sh
grep -E '^(Uid|Cap(Eff|Prm|Amb|Bnd)):' /proc/self/status > "$T_TMP/peer.status"
if touch "$T_TMP/other/x" 2>/dev/null; then echo wrote; else echo refused; fi > "$T_TMP/peer.try"
exec dhcpsync -l "$B"
EOF
chmod 755 "$T_TMP/peer.sh"
dhcpsync -l "$A" --control "$T_TMP/a/ctl" --peer "$T_TMP/peer.sh" \
    > "$T_TMP/a.out" 2> "$T_TMP/a.err" &
PA=$!
cleanup_push "kill $PA 2>/dev/null"
ok "a pair as root syncs: 30 leases on both sides" \
    wait_for 20 eval '[ "$(count "$A")" = 30 ] && [ "$(count "$B")" = 30 ]'
is "$(status "$PA" Uid)" "0 0 0 0" "root's lease file: the daemon stays uid 0"
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
    wait_for 20 eval '[ "$(count "$B")" = 31 ]'
kill "$PA"
ok "it stops on SIGTERM" wait_for 10 eval '! kill -0 $PA 2>/dev/null'
is "$(grep -c 'running as' "$T_TMP/a.err")" 0 "root's file: no line about a user"

# nobody's files, no --user: it becomes nobody, and says so
C=$T_TMP/c/dhcpd.leases D=$T_TMP/d/dhcpd.leases
gen 20 > "$C"
gen 10 20 > "$D"
chown -R "$U" "$T_TMP/c" "$T_TMP/d"
dhcpsync -l "$C" --control "$T_TMP/c/ctl" --peer "exec dhcpsync -l '$D'" \
    > "$T_TMP/c.out" 2> "$T_TMP/c.err" &
PC=$!
cleanup_push "kill $PC 2>/dev/null"
ok "a pair on $U's files syncs: 30 leases on both sides" \
    wait_for 20 eval '[ "$(count "$C")" = 30 ] && [ "$(count "$D")" = 30 ]'
is "$(status "$PC" Uid)" "$uid $uid $uid $uid" "the daemon runs as $U, the file's owner"
is "$(caps "$PC")" "$none" "... with no capability"
like "$(cat "$T_TMP/c.err")" "running as $U, the owner of $C" "... and says so"
peer=$(pgrep -P "$PC" | head -1)
is "$(status "${peer:-0}" Uid 2>/dev/null)" "$uid $uid $uid $uid" "the --peer command runs as $U too"
is "$(stat -c %U "$C" "$C.dhcpsync.lock" 2>/dev/null | sort -u)" "$U" \
    "the lease file and the lock are still $U's"
kill "$PC"
ok "it stops on SIGTERM" wait_for 10 eval '! kill -0 $PC 2>/dev/null'
done_testing
