#!/bin/bash
# SPDX-License-Identifier: ISC
# --max-leases: a peer with more addresses than the cap cannot grow our
# table past it.  The record that would is refused with a clear error
# naming the cap and the option, the link drops (peer-down reason=limit)
# and nothing past it is acknowledged: once the cap is raised, every lease
# arrives.  Oracle: the distinct addresses in the file, counted by awk.
. "$(dirname "$0")/../lib/tap.sh"
. "$T_TOP/tests/dhcpsync/dhcp.sh"

gen() { awk -v n="$1" -v off="${2:-0}" -f "$T_TOP/tests/dhcpsync/gen-leases.awk"; }
# The pool is the 150 addresses gen writes (10.64.0.1-10.64.0.150), not
# the subnet's 62,500.
# dhcpd -T makes a lease for each address of its pools before it reads
# the file, and a lease read costs in proportion to the free ones (150
# leases in 62,500: 0.11 s of CPU, 4,000: 2.3 s; in their own pool:
# 0.00 and 0.03 s); a lease outside the pools reads "no subnet" and
# fails.
printf 'authoritative;\nsubnet 10.64.0.0 netmask 255.255.0.0 {\n  range 10.64.0.1 10.64.0.150;\n}\n' \
    > "$T_TMP/dhcpd.conf"
mkdir -p "$T_TMP/p" "$T_TMP/s"
lf1=$T_TMP/p/dhcpd.leases lf2=$T_TMP/s/dhcpd.leases sock=$T_TMP/sync.sock
gen 150 > "$lf1"
: > "$lf2"
naddr() { awk '$1 == "lease" { a[$2] = 1 } END { print length(a) }' "$1"; }
naddr_is() { [ "$(naddr "$1")" = "$2" ]; }
status() { printf 'status\n' | socat - "UNIX-CONNECT:$T_TMP/s.ctl" | sed -n "s/^$1=//p"; }

exit_is 2 "--max-leases 0: usage error" dhcpsync --leases "$lf2" --max-leases 0
exit_is 2 "--max-leases x: usage error" dhcpsync --leases "$lf2" --max-leases x

start_s() {
	rm -f "$sock" "$T_TMP/s.ctl"
	dhcpsync --leases "$lf2" --listen "$sock" --control "$T_TMP/s.ctl" "$@" \
	    >> "$T_TMP/s.out" 2>> "$T_TMP/s.err" &
	S=$!
	cleanup_push "kill $S 2>/dev/null"
	wait_for 10 test -S "$sock" && wait_for 10 test -S "$T_TMP/s.ctl"
}
start_s --max-leases 100
dhcpsync --leases "$lf1" --connect "$sock" --retry 200ms --control "$T_TMP/p.ctl" \
    > "$T_TMP/p.out" 2> "$T_TMP/p.err" &
P=$!
cleanup_push "kill $P 2>/dev/null"

ok "the link drops at the cap: peer-down reason=limit" \
    wait_file_line 20 "$T_TMP/s.out" '^peer-down reason=limit'
ok "the log names the cap and the option" \
    grep -q 'the table is full (100 leases, --max-leases 100): not applied, link dropped' \
    "$T_TMP/s.err"
ok "the file holds the first 100 addresses, no more" wait_for 10 naddr_is "$lf2" 100
ok "dhcpd -T reads it" dhcpd_accepts "$lf2"
is "$(status max_leases)" 100 "status: max_leases=100"
ok "status: over_limit counts the refusals" test "$(status over_limit)" -ge 1
is "$(status leases)" 100 "status: 100 leases"
ok "never synced" eval "! grep -q '^synced' '$T_TMP/s.out'"

# raise the cap: what was refused was never acknowledged, so it comes
kill "$S"; wait "$S" 2>/dev/null
start_s
ok "with the default cap every lease arrives" \
    wait_file_line 20 "$T_TMP/s.out" '^synced n=150 '
is "$(naddr "$lf2")" 150 "the file holds all 150 addresses"
ok "dhcpd -T reads it" dhcpd_accepts "$lf2"

# our own file past the cap: the first N are followed, the rest refused
kill "$S" "$P"; wait "$S" "$P" 2>/dev/null
dhcpsync --leases "$lf1" --max-leases 120 --control "$T_TMP/p.ctl" \
    --listen "$T_TMP/p.sock" > "$T_TMP/p2.out" 2> "$T_TMP/p2.err" &
P=$!
cleanup_push "kill $P 2>/dev/null"
ok "our own file past the cap: logged" \
    wait_file_line 10 "$T_TMP/p2.err" '30 new lease\(s\) not taken: the table is full \(--max-leases 120\)'
ok "and it keeps running" kill -0 "$P"
done_testing
