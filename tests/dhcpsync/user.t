#!/bin/bash
# SPDX-License-Identifier: ISC
# --user: after its set-up (lock, state, control socket) dhcpsync runs as
# the lease file's owner with no capability, and so does the --peer
# command it starts (the ssh of a real pair): /proc/PID/status says so, and
# the pair still syncs both ways.  A lease directory that user cannot write
# is refused at start, naming the file and the user; so is an unknown user.
. "$(dirname "$0")/../lib/tap.sh"
. "$T_TOP/tests/dhcpsync/lib.sh"
needs_root
U=nobody
uid=$(id -u "$U") || cannot_run "no user $U"

# nobody must reach the files through the private directory
chmod 711 "$T_TMP"
mkdir -p "$T_TMP/c"
A=$T_TMP/a/dhcpd.leases B=$T_TMP/b/dhcpd.leases C=$T_TMP/c/dhcpd.leases
lease_pair "$A" "$B"
chown -R "$U" "$T_TMP/a" "$T_TMP/b"

pair_start PA "$A" "exec dhcpsync -l '$B'" --user "$U"
ok "the pair syncs: 30 leases on both sides" wait_for 20 both_hold 30 "$A" "$B"
is "$(proc_status "$PA" Uid)" "$uid $uid $uid $uid" "the daemon runs as $U (real, effective, saved, fs)"
is "$(proc_status "$PA" CapEff)" 0000000000000000 "... with no effective capability"
is "$(proc_status "$PA" CapPrm)" 0000000000000000 "... none permitted"
is "$(proc_status "$PA" CapBnd)" 0000000000000000 "... and none its children could regain"
peer=$(pgrep -P "$PA" | head -1)
is "$(proc_status "${peer:-0}" Uid 2>/dev/null)" "$uid $uid $uid $uid" "the --peer command runs as $U too"
is "$(stat -c %U "$A")" "$U" "the rewritten lease file is still $U's"
gen 1 40 >> "$A"
ok "a lease added on A's side after the drop reaches B" \
    wait_for 20 holds 31 "$B"
kill "$PA"
ok "it stops on SIGTERM" wait_for 10 eval '! kill -0 $PA 2>/dev/null'

# a directory the user cannot write: refused at start, not at the first write
gen 5 > "$C"
rc=0; timeout 10 dhcpsync -l "$C" --user "$U" --connect "$T_TMP/none.sock" \
    > /dev/null 2> "$T_TMP/c.err" || rc=$?
is "$rc" 1 "a lease directory $U cannot write: exit 1"
like "$(cat "$T_TMP/c.err")" "$C: not writable by user $U \(uid $uid\)" \
    "... naming the file and the user"
rc=0; timeout 10 dhcpsync -l "$C" --user no-such-user-$$ --connect "$T_TMP/none.sock" \
    > /dev/null 2> "$T_TMP/d.err" || rc=$?
is "$rc" 1 "an unknown user: exit 1"
like "$(cat "$T_TMP/d.err")" "user \"no-such-user-$$\": no such user" "... naming it"
done_testing
