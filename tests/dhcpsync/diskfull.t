#!/bin/bash
# A full disk never tears the live lease file.  The receiving side's
# lease file (and state file) sit on a small tmpfs filled to the brim;
# the peer keeps sending.  While full: dhcpd -T accepts the file at every
# sample, its size and inode never change (no fragment of a block, no
# rewrite), no temporary file stays behind, the records stay
# unacknowledged on the sender and the link stays up.  Once the filler
# is removed the records are applied and acknowledged within the retry
# period.  Both the append (a few records) and the full rewrite (more
# than 8192 changes) are driven into the full disk.
. "$(dirname "$0")/../lib/tap.sh"
. "$T_TOP/tests/dhcpsync/dhcp.sh"
command -v dhcpd >/dev/null || skip_all "needs isc-dhcp-server"
needs_root

gen() { awk -v n="$1" -v off="${2:-0}" -f "$T_TOP/tests/dhcpsync/gen-leases.awk"; }
printf 'authoritative;\nsubnet 10.64.0.0 netmask 255.255.0.0 {\n  range 10.64.0.1 10.64.249.250;\n}\n' \
    > "$T_TMP/dhcpd.conf"
full=$T_TMP/full
mkdir -p "$T_TMP/p" "$full"
mount -t tmpfs -o size=8m,mode=755 "tmpfs-$T_ID" "$full" || bail "mount tmpfs"
cleanup_push "umount -l '$full'"
lf1=$T_TMP/p/dhcpd.leases lf2=$full/dhcpd.leases sock=$T_TMP/sync.sock
gen 200 0 > "$lf1"
: > "$lf2"

# the lease set as dhcpd reads it (each address's last block), by awk
leaseset() {
	awk '$1 == "lease" { a = $2 } $1 == "binding" { s[a] = $3 }
	    $1 == "cltt" { c[a] = $3 " " $4 }
	    END { for (a in s) print a, s[a], c[a] }' "$1" | sort
}
same_set() { [ "$(leaseset "$lf1")" = "$(leaseset "$lf2")" ]; }
status() { printf 'status\n' | socat - "UNIX-CONNECT:$1" | sed -n "s/^$2=//p"; }
pending() { [ "$(status "$T_TMP/p.ctl" peer_acked)" != "$(status "$T_TMP/p.ctl" sent_seq)" ]; }
all_acked() { ! pending; }
received_at_least() { [ "$(status "$T_TMP/s.ctl" records_received)" -ge "$1" ]; }
failures_at_least() { [ "$(status "$T_TMP/s.ctl" write_failures)" -ge "$1" ]; }
no_tmp() { ! ls "$full" | grep -q '\.tmp\.'; }
fill() {	# the tmpfs to the last page
	dd if=/dev/zero of="$full/filler" bs=64k 2>/dev/null
	[ "$(df --output=avail -B1 "$full" | tail -1 | tr -d ' ')" = 0 ]
}

dhcpsync --leases "$lf1" --listen "$sock" --control "$T_TMP/p.ctl" \
    > "$T_TMP/p.out" 2> "$T_TMP/p.err" &
P=$!
cleanup_push "kill -9 $P 2>/dev/null"
wait_for 10 test -S "$sock"
dhcpsync --leases "$lf2" --connect "$sock" --retry 200ms \
    --control "$T_TMP/s.ctl" > "$T_TMP/s.out" 2> "$T_TMP/s.err" &
S=$!
cleanup_push "kill -9 $S 2>/dev/null"
ok "first sync: 200 leases on the tmpfs" \
    wait_file_line 20 "$T_TMP/s.out" '^synced n=200 '
ok "and acknowledged" wait_for 10 all_acked

# sample FAILURES: until S has failed FAILURES commits and 8 samples
# were taken (20 s at most), check the file at every sample; BAD is the
# count of bad samples
sample() {
	local end=$((SECONDS + 20)) n=0 why
	BAD=0
	while [ $SECONDS -lt $end ]; do
		n=$((n + 1))
		why=
		[ "$(stat -c %s:%i "$lf2")" = "$size0" ] || why="$why size/inode"
		# dhcpd -T writes a test file beside the one it reads: a copy
		cp "$lf2" "$T_TMP/snap.leases"
		dhcpd_accepts "$T_TMP/snap.leases" || why="$why dhcpd-T"
		pending || why="$why acked"
		no_tmp || wait_for 0.5 no_tmp || why="$why temp-left"
		if [ -n "$why" ]; then
			BAD=$((BAD + 1))
			diag "sample $n:$why"
		fi
		[ $n -ge 8 ] && failures_at_least "$1" 2>/dev/null && break
	done
	diag "$n samples"
}

for phase in append rewrite; do
	if [ $phase = append ]; then
		add=50 off=1000		# a few: appended
	else
		add=9000 off=2000	# more than 8192 changes: a full rewrite
	fi
	ok "$phase: the tmpfs is full" fill
	size0=$(stat -c %s:%i "$lf2")
	f0=$(status "$T_TMP/s.ctl" write_failures)
	r0=$(status "$T_TMP/s.ctl" records_received)
	gen $add $off >> "$lf1"
	ok "$phase: the $add new records reach S" \
	    wait_for 20 received_at_least $((r0 + add))
	sample $(( ${f0:-0} + 10 ))
	is "$BAD" 0 \
	    "$phase: while full, every sample: same size and inode, dhcpd -T accepts, pending on P, no temporary"
	ok "$phase: S tried again and again (write_failures $(status "$T_TMP/s.ctl" write_failures))" \
	    failures_at_least $(( ${f0:-0} + 10 ))
	is "$(status "$T_TMP/s.ctl" write_failing)" 1 "$phase: S's status says writes fail"
	rm -f "$full/filler"
	t0=$(date +%s%N)
	ok "$phase: space back: all acknowledged within the retry period" \
	    wait_for 10 all_acked
	diag "acknowledged after $(( ($(date +%s%N) - t0) / 1000000 )) ms"
	ok "$phase: both files hold the same lease set (awk)" same_set
	ok "$phase: dhcpd -T accepts S's file" dhcpd_accepts "$lf2"
	ok "$phase: no temporary left" no_tmp
	is "$(status "$T_TMP/s.ctl" write_failing)" 0 "$phase: S's status: writing again"
done
is "$(grep -c '^write-failed ' "$T_TMP/s.out")" 2 "one write-failed line per full disk"
like "$(grep '^write-failed ' "$T_TMP/s.out" | head -1)" \
    "file=$lf2 reason=\"No space left on device\"" "naming file and reason"
is "$(grep -c '^peer-down' "$T_TMP/s.out")" 0 "the link stayed up throughout"
ok "S still runs" kill -0 "$S"
is "$(grep -c 'written again' "$T_TMP/s.err")" 2 "S logged each recovery once"
is "$(grep -c 'No space left' "$T_TMP/s.err")" 2 \
    "and the failing write once per full disk, not once per try"

# stopping while the disk is full: not written, so exit 1, and the
# records come again after the restart
fill
r0=$(status "$T_TMP/s.ctl" records_received)
gen 50 20000 >> "$lf1"
ok "full again: 50 more reach S" wait_for 20 received_at_least $((r0 + 50))
ok "and fail to be written" wait_for 10 failures_at_least $(( $(status "$T_TMP/s.ctl" write_failures) + 1 ))
kill -TERM "$S"
rc=0; wait "$S" || rc=$?
is "$rc" 1 "SIGTERM with the peer's last record not on disk: exit 1"
rm -f "$full/filler"
dhcpsync --leases "$lf2" --connect "$sock" --retry 200ms \
    --control "$T_TMP/s.ctl" > "$T_TMP/s2.out" 2> "$T_TMP/s2.err" &
S=$!
cleanup_push "kill -9 $S 2>/dev/null"
ok "restarted: the records come again and are applied" wait_for 20 same_set
ok "dhcpd -T accepts the result" dhcpd_accepts "$lf2"
done_testing
