# SPDX-License-Identifier: ISC
# awk -f last-state.awk FILE: one "ADDRESS STATE" line per address in an
# ISC dhcpd lease file, from that address's last block (dhcpd reads the
# file in order and the last block wins, dhcpd.leases(5)).  The tests'
# oracle for what a file holds: it shares no code with dhcpsync.
$1 == "lease" && $3 == "{" { addr = $2; st = "none"; next }
addr != "" && $1 == "binding" && $2 == "state" {
	st = $3; sub(/;$/, "", st); next
}
addr != "" && $1 == "}" { last[addr] = st; addr = ""; next }
END { for (a in last) print a, last[a] }
