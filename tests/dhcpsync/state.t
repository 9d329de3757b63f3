#!/bin/bash
# SPDX-License-Identifier: ISC
# The state file (resume points): one that is torn, emptied or garbage
# does not stop dhcpsync.  It starts with one warning naming file:line,
# moves the file aside to FILE.corrupt and takes a new stream id, so both
# sides send everything and a real peer ends with the same lease set on
# both files (read by awk and dhcpd -T, not by dhcpsync).  A state file
# the system will not let us read, or cannot move aside, is still an
# error at start (exit 1).
. "$(dirname "$0")/../lib/tap.sh"
. "$T_TOP/tests/dhcpsync/dhcp.sh"
needs_root

gen() { awk -v n="$1" -v off="${2:-0}" -f "$T_TOP/tests/dhcpsync/gen-leases.awk"; }
# The pools are the addresses gen writes (offsets 0-149, then 1100-1309
# and 2100-2309 in ten-lease steps), not the subnet's 62,500.
# dhcpd -T makes a lease for each address of its pools before it reads
# the file, and a lease read costs in proportion to the free ones (150
# leases in 62,500: 0.11 s of CPU, 4,000: 2.3 s; in their own pool:
# 0.00 and 0.03 s); a lease outside the pools reads "no subnet" and
# fails.
printf 'authoritative;\nsubnet 10.64.0.0 netmask 255.255.0.0 {\n  range 10.64.0.1 10.64.0.150;\n  range 10.64.4.101 10.64.5.60;\n  range 10.64.8.101 10.64.9.60;\n}\n' \
    > "$T_TMP/dhcpd.conf"
mkdir -p "$T_TMP/p" "$T_TMP/s"
lf1=$T_TMP/p/dhcpd.leases lf2=$T_TMP/s/dhcpd.leases sock=$T_TMP/sync.sock
st2=$lf2.dhcpsync
gen 100 0 > "$lf1"
gen 50 100 > "$lf2"

# the lease set as dhcpd reads it: each address's last block
leaseset() {
	awk '$1 == "lease" { a = $2 } $1 == "binding" { s[a] = $3 }
	    $1 == "cltt" { c[a] = $3 " " $4 }
	    END { for (a in s) print a, s[a], c[a] }' "$1" | sort
}
same_set() { [ "$(leaseset "$lf1")" = "$(leaseset "$lf2")" ]; }
nleases() { leaseset "$1" | wc -l; }
status() { printf 'status\n' | socat - "UNIX-CONNECT:$1" | sed -n "s/^$2=//p"; }

dhcpsync --leases "$lf1" --listen "$sock" --control "$T_TMP/p.ctl" \
    > "$T_TMP/p.out" 2> "$T_TMP/p.err" &
P=$!
cleanup_push "kill -9 $P 2>/dev/null"
wait_for 10 test -S "$sock"
start_s() {	# NAME: S's output in s-NAME.out, .err
	dhcpsync --leases "$lf2" --connect "$sock" --retry 100ms \
	    --control "$T_TMP/s.ctl" > "$T_TMP/s-$1.out" 2> "$T_TMP/s-$1.err" &
	S=$!
	cleanup_push "kill -9 $S 2>/dev/null"
}
stop_s() { kill -TERM "$S"; wait "$S"; }

start_s first
ok "first sync: both files hold the same 150 leases" wait_for 20 same_set
ok "S synced" wait_file_line 10 "$T_TMP/s-first.out" '^synced n=150 '
stop_s
like "$(head -1 "$st2")" '^dhcpsync-state 1$' "S wrote a state file"

round=0
for kind in garbage torn empty; do
	round=$((round + 1))
	# while S is down, both sides' servers grant new leases
	gen 10 $((1000 + round * 100)) >> "$lf1"
	gen 10 $((2000 + round * 100)) >> "$lf2"
	want=$((150 + round * 20))
	old_id=$(sed -n 's/^id=//p' "$st2")
	case $kind in
	garbage) head -c 200 /dev/urandom | tr '\n' x > "$st2" ;;
	torn)	head -c 40 "$st2" > "$st2.cut"; mv "$st2.cut" "$st2" ;;
	empty)	: > "$st2" ;;
	esac
	cp "$st2" "$T_TMP/bad-$kind"
	start_s "$kind"
	ok "$kind state file: both files end with the same $want leases" \
	    wait_for 20 same_set
	is "$(nleases "$lf2")" "$want" "$kind: S holds all $want"
	ok "$kind: S's file passes dhcpd -T" dhcpd_accepts "$lf2"
	ok "$kind: P's file passes dhcpd -T" dhcpd_accepts "$lf1"
	ok "$kind: S did not exit" kill -0 "$S"
	is "$(grep -c "$st2" "$T_TMP/s-$kind.err")" 1 \
	    "$kind: one warning about the state file"
	like "$(grep "$st2" "$T_TMP/s-$kind.err")" \
	    "$st2:[0-9]+: .*moved to $st2.corrupt: .*full exchange" \
	    "$kind: it names file:line, where the file went and what follows"
	ok "$kind: the bad file is kept as .corrupt" \
	    cmp -s "$st2.corrupt" "$T_TMP/bad-$kind"
	new_id=$(status "$T_TMP/s.ctl" id)
	ok "$kind: a new stream id ($old_id -> $new_id)" \
	    test -n "$new_id" -a "$((16#${new_id:-0}))" != "$((16#$old_id))"
	like "$(grep '^peer-up' "$T_TMP/s-$kind.out" | tail -1)" 'resume=0$' \
	    "$kind: S sent P everything (resume=0)"
	like "$(grep '^peer-up' "$T_TMP/p.out" | tail -1)" 'resume=0$' \
	    "$kind: P sent S everything (resume=0)"
	stop_s
	like "$(head -1 "$st2")" '^dhcpsync-state 1$' \
	    "$kind: a good state file again"
done

# a good state file after all that: a restart resumes, no full exchange
# each side prints peer-up on the other's HELLO: S's line says nothing
# of P's, and P's last line before this session said resume=0
n=$(file_lines "$T_TMP/p.out")
start_s resume
ok "restart with a good state file resumes" \
    wait_for 20 grep -q '^peer-up' "$T_TMP/s-resume.out"
ok "P sees the session" wait_file_line_after 10 "$T_TMP/p.out" "$n" '^peer-up'
like "$(tail -n "+$((n + 1))" "$T_TMP/p.out" | grep '^peer-up')" 'resume=[1-9]' \
    "and P resumes from where S stood"
is "$(grep -c "$st2" "$T_TMP/s-resume.err")" 0 "no warning"
stop_s

# what the system refuses is an error, not a rebuild
chmod 000 "$st2"
asnobody() { setpriv --reuid=nobody --regid=nogroup --clear-groups -- "$@"; }
rc=0
asnobody dhcpsync --leases "$lf2" --connect "$sock" 2> "$T_TMP/eacces.err" ||
    rc=$?
is "$rc" 1 "an unreadable state file: exit 1"
like "$(cat "$T_TMP/eacces.err")" "$st2: Permission denied" "naming it"
chmod 600 "$st2"
ok "and it is left alone" grep -q '^dhcpsync-state 1$' "$st2"

mkdir "$T_TMP/ro"
echo garbage > "$T_TMP/ro/state"
chmod 755 "$T_TMP/ro"
chmod 644 "$T_TMP/ro/state"
rc=0
asnobody dhcpsync --leases "$lf2" --state "$T_TMP/ro/state" \
    --connect "$sock" 2> "$T_TMP/ro.err" || rc=$?
is "$rc" 1 "a bad state file in a directory we cannot write: exit 1"
like "$(cat "$T_TMP/ro.err")" \
    "$T_TMP/ro/state:1: .*cannot move it to $T_TMP/ro/state.corrupt.*Permission denied" \
    "says why"

mkdir "$T_TMP/adir"
exit_is 1 "a state path that is a directory" \
    dhcpsync --leases "$lf2" --state "$T_TMP/adir" --connect "$sock" \
    2> "$T_TMP/adir.err"
like "$(cat "$T_TMP/adir.err")" "$T_TMP/adir: Is a directory" "naming it"
done_testing
