#!/bin/bash
# SPDX-License-Identifier: ISC
# A full disk never tears the live lease file.  The receiving side's
# lease file (and state file) sit on a small file system filled to the
# brim; the peer keeps sending.  While full: dhcpd -T accepts the file at
# every sample, its size and inode never change (no fragment of a block,
# no rewrite), no temporary file stays behind, the records stay
# unacknowledged on the sender and the link stays up.  Once the filler
# is removed the records are applied and acknowledged within the retry
# period.  Both the append (a few records) and the full rewrite (more
# than 8192 changes) are driven into the full disk, on a tmpfs (which
# reserves room: fallocate) and on ext2 (which cannot: the append's
# short write is cut back).
. "$(dirname "$0")/../lib/tap.sh"
. "$T_TOP/tests/dhcpsync/dhcp.sh"
needs_root

gen() { awk -v n="$1" -v off="${2:-0}" -f "$T_TOP/tests/dhcpsync/gen-leases.awk"; }
# The pools are the addresses gen writes here (offsets 0-10,999: 200,
# 1000+50, 2000+9000; then 20000+50), not the subnet's 62,500: dhcpd -T
# makes a lease for each address of its pools before it reads the file
# (2 s of CPU a run for 62,500, and the samples run it again and again),
# and a lease outside them reads as "no subnet", which fails.
printf 'authoritative;\nsubnet 10.64.0.0 netmask 255.255.0.0 {\n  range 10.64.0.1 10.64.43.250;\n  range 10.64.80.1 10.64.80.50;\n}\n' \
    > "$T_TMP/dhcpd.conf"

# the lease set as dhcpd reads it (each address's last block), by awk
leaseset() {
	awk '$1 == "lease" { a = $2 } $1 == "binding" { s[a] = $3 }
	    $1 == "cltt" { c[a] = $3 " " $4 }
	    END { for (a in s) print a, s[a], c[a] }' "$1" | sort
}
same_set() { [ "$(leaseset "$lf1")" = "$(leaseset "$lf2")" ]; }
status() { printf 'status\n' | socat - "UNIX-CONNECT:$1" | sed -n "s/^$2=//p"; }
pending() { [ "$(status "$d/p.ctl" peer_acked)" != "$(status "$d/p.ctl" sent_seq)" ]; }
all_acked() { ! pending; }
received_at_least() { [ "$(status "$d/s.ctl" records_received)" -ge "$1" ]; }
failures_at_least() { [ "$(status "$d/s.ctl" write_failures)" -ge "$1" ]; }
no_tmp() { ! ls "$full" | grep -q '\.tmp\.'; }
avail() { df --output=avail -B1 "$full" | tail -1 | tr -d ' '; }
fill() {	# the file system to the last block
	local i=0
	dd if=/dev/zero of="$full/filler" bs=64k 2>/dev/null
	# ext2: a big file's next block needs an indirect block too; small
	# files take the last few
	while [ "$(avail)" != 0 ] && [ $i -lt 100 ]; do
		i=$((i + 1))
		dd if=/dev/zero of="$full/filler.$i" bs=1k count=12 2>/dev/null
	done
	[ "$(avail)" = 0 ]
}
start_s() {	# OUT: S's lines in $d/OUT.out, .err
	dhcpsync --leases "$lf2" --connect "$d/sync.sock" --retry 200ms \
	    --control "$d/s.ctl" > "$d/$1.out" 2> "$d/$1.err" &
	S=$!
	cleanup_push "kill -9 $S 2>/dev/null"
}

# sample FAILURES: until S has failed FAILURES commits and 8 samples
# were taken (20 s at most), check the file at every sample; BAD is the
# count of bad samples.  dhcpd -T (seconds on a big file) reads it again
# whenever size, inode, mtime or ctime moved since the last sample: the
# same bytes get the same verdict.
sample() {
	local end=$((SECONDS + 20)) n=0 why sig last=
	BAD=0
	while [ $SECONDS -lt $end ]; do
		n=$((n + 1))
		why=
		[ "$(stat -c %s:%i "$lf2")" = "$size0" ] || why="$why size/inode"
		sig=$(stat -c %s:%i:%y:%z "$lf2")
		if [ "$sig" != "$last" ]; then
			# dhcpd -T writes a test file beside the one it
			# reads: a copy, on another file system
			cp "$lf2" "$d/snap.leases"
			dhcpd_accepts "$d/snap.leases" || why="$why dhcpd-T"
			last=$sig
		fi
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

# phase FS NAME ADD OFF: fill up, ADD new leases on P, check while full,
# make room, check they arrive
phase() {
	local fs=$1 ph=$2 add=$3 off=$4 f0 r0 t0

	ok "$fs $ph: the file system is full" fill
	size0=$(stat -c %s:%i "$lf2")
	f0=$(status "$d/s.ctl" write_failures)
	r0=$(status "$d/s.ctl" records_received)
	gen "$add" "$off" >> "$lf1"
	ok "$fs $ph: the $add new records reach S" \
	    wait_for 60 received_at_least $((r0 + add))
	sample $(( ${f0:-0} + 10 ))
	is "$BAD" 0 "$fs $ph: while full, every sample: same size and inode, dhcpd -T accepts, pending on P, no temporary"
	ok "$fs $ph: S tried again and again (write_failures $(status "$d/s.ctl" write_failures))" \
	    failures_at_least $(( ${f0:-0} + 10 ))
	is "$(status "$d/s.ctl" write_failing)" 1 "$fs $ph: S's status says writes fail"
	rm -f "$full"/filler*
	t0=$(date +%s%N)
	ok "$fs $ph: space back: all acknowledged within the retry period" \
	    wait_for 10 all_acked
	diag "acknowledged after $(( ($(date +%s%N) - t0) / 1000000 )) ms"
	ok "$fs $ph: both files hold the same lease set (awk)" same_set
	ok "$fs $ph: dhcpd -T accepts S's file" dhcpd_accepts "$lf2"
	ok "$fs $ph: no temporary left" no_tmp
	is "$(status "$d/s.ctl" write_failing)" 0 "$fs $ph: S's status: writing again"
}

scenario() {
	local fs=$1
	d=$T_TMP/$fs full=$T_TMP/$fs/full
	mkdir -p "$d/p" "$full"
	if [ "$fs" = tmpfs ]; then
		mount -t tmpfs -o size=8m,mode=755 "tmpfs-$T_ID" "$full" ||
		    bail "mount tmpfs"
	else
		truncate -s 16M "$d/img"
		mkfs.ext2 -q -F -m 0 -b 1024 "$d/img" || bail "mkfs.ext2"
		mount -o loop "$d/img" "$full" || bail "mount ext2"
	fi
	cleanup_push "umount -l '$full'"
	lf1=$d/p/dhcpd.leases lf2=$full/dhcpd.leases
	gen 200 0 > "$lf1"
	: > "$lf2"

	dhcpsync --leases "$lf1" --listen "$d/sync.sock" --control "$d/p.ctl" \
	    > "$d/p.out" 2> "$d/p.err" &
	P=$!
	cleanup_push "kill -9 $P 2>/dev/null"
	wait_for 10 test -S "$d/sync.sock"
	start_s s
	ok "$fs: first sync, 200 leases" \
	    wait_file_line 20 "$d/s.out" '^synced n=200 '
	ok "$fs: and acknowledged" wait_for 10 all_acked

	phase "$fs" append 50 1000		# a few: appended
	nfull=1
	# more than 8192: rewritten (a temporary file: any file system)
	if [ "$fs" = tmpfs ]; then
		phase "$fs" rewrite 9000 2000
		nfull=2
	fi

	is "$(grep -c '^write-failed ' "$d/s.out")" "$nfull" \
	    "$fs: one write-failed line per full disk"
	like "$(grep '^write-failed ' "$d/s.out" | head -1)" \
	    "file=$lf2 reason=\"No space left on device\"" \
	    "$fs: naming file and reason"
	is "$(grep -c '^peer-down' "$d/s.out")" 0 "$fs: the link stayed up"
	ok "$fs: S still runs" kill -0 "$S"
	is "$(grep -c 'written again' "$d/s.err")" "$nfull" \
	    "$fs: S logged each recovery once"
	is "$(grep -c 'No space left' "$d/s.err")" "$nfull" \
	    "$fs: and the failing write once per full disk, not once per try"
}

scenario tmpfs

# stopping while the disk is full: not written, so exit 1, and the
# records come again after the restart
fill
r0=$(status "$d/s.ctl" records_received)
gen 50 20000 >> "$lf1"
ok "full again: 50 more reach S" wait_for 20 received_at_least $((r0 + 50))
ok "and fail to be written" \
    wait_for 10 failures_at_least $(( $(status "$d/s.ctl" write_failures) + 1 ))
kill -TERM "$S"
rc=0; wait "$S" || rc=$?
is "$rc" 1 "SIGTERM with the peer's last records not on disk: exit 1"
rm -f "$full"/filler*
start_s s2
ok "restarted: the records come again and are applied" wait_for 20 same_set
ok "dhcpd -T accepts the result" dhcpd_accepts "$lf2"
kill -9 "$S" "$P"

if command -v mkfs.ext2 >/dev/null; then
	scenario ext2
else
	diag "no mkfs.ext2 (e2fsprogs): ext2 part skipped"
fi
done_testing
