#!/bin/bash
# SPDX-License-Identifier: ISC
# The one-way shape, in a real pipe: `dhcpsync send A | dhcpsync recv B`.
# Leases appended to A (new and superseding blocks) arrive in B, which
# dhcpd -T accepts; send always starts with a full dump, which merge makes
# harmless (B is not rewritten); either end going away stops the other
# cleanly; garbage on recv's stdin is refused and B is left untouched.
. "$(dirname "$0")/../lib/tap.sh"
. "$T_TOP/tests/dhcpsync/dhcp.sh"

N=300
gen() { awk -v n="$1" -v off="${2:-0}" -f "$T_TOP/tests/dhcpsync/gen-leases.awk"; }
# The pool is the N + 2 addresses gen writes (10.64.0.1-10.64.1.52), not
# the subnet's 62,500.
# dhcpd -T makes a lease for each address of its pools before it reads
# the file, and a lease read costs in proportion to the free ones (150
# leases in 62,500: 0.11 s of CPU, 4,000: 2.3 s; in their own pool:
# 0.00 and 0.03 s); a lease outside the pools reads "no subnet" and
# fails.
printf 'authoritative;\nsubnet 10.64.0.0 netmask 255.255.0.0 {\n  range 10.64.0.1 10.64.1.52;\n}\n' \
    > "$T_TMP/dhcpd.conf"
mkdir -p "$T_TMP/p" "$T_TMP/s"
A=$T_TMP/p/dhcpd.leases B=$T_TMP/s/dhcpd.leases
gen "$N" > "$A"
: > "$B"
# Counted by an awk reader of the file (last block per address), not by
# dhcpsync check: the program under test does not vouch for itself.
states() { awk -f "$T_TOP/tests/dhcpsync/last-state.awk" "$1" | sort; }
count() { states "$1" | wc -l; }

exit_is 2 "send without a file" dhcpsync send
exit_is 2 "recv with --peer" dhcpsync recv "$B" --peer cat
exit_is 2 "send with two files" dhcpsync send "$A" "$B"

# pipeline RUN [MIDDLE]: send A | [MIDDLE |] recv B in the background;
# SP, RP = their pids; each one's exit status lands in RUN.send.rc and
# RUN.recv.rc.  (Not `wait`: that would wait for the whole pipeline.)
s_side() {
	dhcpsync send "$A" 2> "$r.send.err" &
	echo $! > "$r.send.pid"
	wait $!
	echo $? > "$r.send.rc"
}
r_side() {
	# explicit <&0: a background command's stdin is /dev/null otherwise
	dhcpsync recv "$B" <&0 > "$r.recv.out" 2> "$r.recv.err" &
	echo $! > "$r.recv.pid"
	wait $!
	echo $? > "$r.recv.rc"
}
pipeline() {
	local r=$T_TMP/$1
	if [ -n "${2:-}" ]; then
		s_side | $2 | r_side &
	else
		s_side | r_side &
	fi
	wait_for 10 test -s "$r.send.pid" -a -s "$r.recv.pid"
	SP=$(cat "$r.send.pid") RP=$(cat "$r.recv.pid")
	cleanup_push "kill $SP $RP 2>/dev/null"
}
rc_of() { wait_for 10 test -s "$1" && cat "$1"; }

pipeline r1
ok "send | recv: the first dump arrives" \
    wait_file_line 20 "$T_TMP/r1.recv.out" "^synced n=$N "
is "$(count "$B")" "$N" "B holds all $N leases"
ok "dhcpd -T accepts B" dhcpd_accepts "$B"
ok "recv keeps no state file" test ! -e "$B.dhcpsync"

# dhcpd appends: two new leases and a block superseding 10.64.0.6
{ gen 2 "$N"; gen 1 5 | sed 's/12:00:05/12:59:59/; s/binding state active/binding state free/'; } >> "$A"
M=$((N + 2))
ok "appended leases arrive in B" \
    wait_file_line 20 "$T_TMP/r1.recv.out" "^synced n=$M "
ok "a new lease (10.64.1.52) is in B" leases_has "$B" 10.64.1.52
# (two writes: synced n=M can come between them, the count being the
# same after the second; dhcpd too writes each block with a write of its
# own)
ok "the superseding block wins (10.64.0.6 is free)" \
    wait_for 20 state_is "$B" 10.64.0.6 free
ok "dhcpd -T still accepts B" dhcpd_accepts "$B"
is "$(states "$B")" "$(states "$A")" "every address's last state in B is A's"

# the reader goes away: an idle send notices and stops cleanly
kill "$RP"
is "$(rc_of "$T_TMP/r1.send.rc")" 0 "send exits 0 (the reader closed the pipe)"
like "$(cat "$T_TMP/r1.send.err")" 'peer-down reason=eof' "send says peer-down reason=eof"

# a new pipe: send starts over with a full dump; nothing in it is new
cp "$B" "$T_TMP/B.before"
pipeline r2 "tee $T_TMP/stream"
ok "second run: synced" wait_file_line 20 "$T_TMP/r2.recv.out" "^synced n=$M "
like "$(head -1 "$T_TMP/stream")" '^HELLO 1 id=[0-9a-f]{16} peer=0{16} ack=0$' \
    "the stream opens with HELLO"
is "$(grep -c '^R ' "$T_TMP/stream")" "$M" "send began with a full dump ($M records)"
ok "merge makes the dump harmless: B not rewritten" cmp -s "$B" "$T_TMP/B.before"
nok "no applied event" grep -q '^applied' "$T_TMP/r2.recv.out"

# the writer goes away: recv commits and exits 0
kill "$SP"
is "$(rc_of "$T_TMP/r2.recv.rc")" 0 "send stopped: recv exits 0 at the end of the stream"
ok "B whole after the pipe closed" dhcpd_accepts "$B"

# a saved stream is replayable into a fresh file
C=$T_TMP/c.leases
: > "$C"
rc=0; dhcpsync recv "$C" < "$T_TMP/stream" > "$T_TMP/c.out" 2>&1 || rc=$?
is "$rc" 0 "a saved stream replays into a fresh file"
is "$(count "$C")" "$M" "it holds all $M leases"
ok "dhcpd -T accepts it" dhcpd_accepts "$C"

# garbage on recv's stdin: refused, exit 1, B untouched
cp "$B" "$T_TMP/B.before"
hello=$(head -1 "$T_TMP/stream")
rec=$(sed -n 2p "$T_TMP/stream")
new=${rec/ip=10.64.0.1 /ip=10.64.9.9 }	# checksum no longer matches
bad() {		# desc, pattern: $T_TMP/g.in is the stream
	local rc=0
	dhcpsync recv "$B" < "$T_TMP/g.in" > "$T_TMP/g.out" 2> "$T_TMP/g.err" || rc=$?
	is "$rc" 1 "$1: refused (exit 1)"
	like "$(cat "$T_TMP/g.err")" "$2" "$1: says why"
	ok "$1: B untouched" cmp -s "$B" "$T_TMP/B.before"
}
printf 'garbage\n' > "$T_TMP/g.in"; bad "garbage" 'line 1: '
: > "$T_TMP/g.in"; bad "an empty stream" 'ends before HELLO'
printf '%s\n%s\n' "$hello" "$new" > "$T_TMP/g.in"; bad "a record with a wrong checksum" 'line 2: R .*checksum'
head -c 20000 /dev/urandom > "$T_TMP/g.in"; bad "random bytes" 'peer: line'
{ printf '%s\n' "$hello"; printf '%s' "$rec" | head -c 40; } > "$T_TMP/g.in"
bad "a stream cut inside a line" 'stream ends inside'
nok "the tampered lease never reached B" grep -q 10.64.9.9 "$B"
done_testing
