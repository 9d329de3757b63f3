#!/bin/bash
# SPDX-License-Identifier: ISC
# A lease block dhcpsync cannot carry is still a lease: dhcpd wrote it and
# reads it.  While the receiving side's file holds one, the peer's records
# are appended, never rewritten from the table (which would drop it) --
# even 9,000 at once, where a file without such a block is rewritten:
# here the peer's records are held while a writer has the file open (as a
# running dhcpd does; a stand-in process here) and all go in when it
# closes.  The oracle is dhcpd -T and the file's own text, not dhcpsync.
. "$(dirname "$0")/../lib/tap.sh"
. "$T_TOP/tests/dhcpsync/dhcp.sh"

status() { printf 'status\n' | socat - "UNIX-CONNECT:$1"; }
key() { status "$1" | sed -n "s/^$2=//p"; }
# addrs FILE: how many addresses hold a lease block
addrs() { awk '$1 == "lease" { a[$2] } END { print length(a) }' "$1"; }

cat > "$T_TMP/dhcpd.conf" <<'CONF'
authoritative;
ddns-update-style none;
subnet 10.64.0.0 netmask 255.255.0.0 {
  range 10.64.0.1 10.64.35.250;
  range 10.64.250.1 10.64.250.1;
}
CONF
# The pools are the addresses this file writes (gen's 9,000, then $big
# below), not the subnet's 65,000: dhcpd -T makes a lease for each address
# of its pools before it reads the file (5 s of CPU, 40 s at load 15, for
# 65,000), and a lease outside them reads as "no subnet", which fails.
lf1=$T_TMP/p/dhcpd.leases lf2=$T_TMP/s/dhcpd.leases
mkdir -p "$T_TMP/p" "$T_TMP/s"
awk -v n=9000 -f "$T_TOP/tests/dhcpsync/gen-leases.awk" > "$lf1"

# 20 statements of 1,000 bytes: dhcpd reads it (1,499 bytes a token),
# dhcpsync carries at most 16,384 bytes of statements in one lease
big=10.64.250.1
{
	printf 'lease %s {\n  starts 3 2024/01/10 12:00:00;\n' "$big"
	printf '  ends 3 2024/01/10 13:00:00;\n  cltt 3 2024/01/10 12:00:00;\n'
	printf '  binding state active;\n  hardware ethernet 52:54:00:aa:00:01;\n'
	for i in $(seq 1 20); do
		printf '  set v%d = "%s";\n' "$i" "$(printf 'x%.0s' $(seq 1000))"
	done
	printf '}\n'
} > "$lf2"
ok "dhcpd reads the receiving file as it starts" dhcpd_accepts "$lf2"
ino=$(stat -c %i "$lf2")
# the stand-in writer: holds the file open for writing, writes nothing
sleep 600 3>> "$lf2" &
WRITER=$!
cleanup_push "kill $WRITER"

dhcpsync --leases "$lf2" --peer "exec dhcpsync --leases '$lf1'" \
    --control "$T_TMP/s.ctl" > "$T_TMP/sync.out" 2> "$T_TMP/sync.err" &
SYNC=$!
cleanup_push "kill $SYNC"
ok "the receiving side reports the block it cannot carry" \
    wait_for 20 grep -q "^skipped addr=$big " "$T_TMP/sync.out"
ok "while the writer has the file, the peer's records are held" \
    wait_for 60 eval '[ "$(key "$T_TMP/s.ctl" held)" = 9000 ]'
is "$(addrs "$lf2")" 1 "... and the file is not written"
kill "$WRITER"; wait "$WRITER" 2>/dev/null
ok "all 9,000 of the peer's leases reach the file once it closes" \
    wait_for 60 eval '[ "$(addrs "$lf2")" = 9001 ]'
ok "the peer's records are acknowledged" \
    wait_for 20 eval '[ "$(key "$T_TMP/s.ctl" synced)" = 1 ]'
is "$(grep -c '^  set v[0-9]* = "x*";$' "$lf2")" 20 \
    "the skipped block is still in the file, all 20 statements"
is "$(stat -c %i "$lf2")" "$ino" "appended to, not rewritten (same inode)"
is "$(key "$T_TMP/s.ctl" skipped)" 1 "status: skipped=1"
ok "dhcpd -T reads the file" dhcpd_accepts "$lf2"
kill "$SYNC"; wait "$SYNC" 2>/dev/null
ok "the skipped block survives the stop" \
    grep -q '^  set v20 = "x*";$' "$lf2"
done_testing
