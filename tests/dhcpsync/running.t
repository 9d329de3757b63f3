#!/bin/bash
# SPDX-License-Identifier: ISC
# The local dhcpd runs while the peer's records arrive: the old master A
# returns and serves while B, master during the outage, sends its
# backlog (more than 8,192 records: on a stopped server that would be a
# rewrite).  dhcpsync never writes the file A's dhcpd holds: the records
# are held in its journal (acknowledged, surviving kill -9), and go into
# the file when dhcpd stops, before it starts again.  Every lease A's
# dhcpd grants meanwhile reaches B.  Then wait-synced while dhcpd runs,
# and the guard against a server rewriting its file without our records.
. "$(dirname "$0")/../lib/tap.sh"
. "$T_TOP/tests/lib/netns.sh"
. "$T_TOP/tests/dhcpsync/dhcp.sh"
needs_root

N=9000		# B's backlog beyond its real clients: over 8,192
# conf FILE LOW HIGH: the LAN's pool .LOW-.HIGH, and the backlog's subnet
conf() {
	cat > "$1" <<-CONF
	authoritative;
	default-lease-time 600;
	max-lease-time 600;
	ping-check false;
	ddns-update-style none;
	subnet 192.0.2.0 netmask 255.255.255.0 {
		range 192.0.2.$2 192.0.2.$3;
	}
	subnet 10.64.0.0 netmask 255.255.0.0 {
		range 10.64.0.1 10.64.35.250;
		range 10.64.80.1 10.64.81.5;
	}
	CONF
}
# The backlog's pool is the addresses B's file gets (N from 10.64.0.1,
# then five at 10.64.80.1 and five at 10.64.81.1), not 25,000: dhcpd
# makes a lease for each address of its pools before it reads the file,
# and a lease outside them reads as "no subnet" in dhcpd -T, which fails.
# B served .110-.120 during the outage; A, back before it knew them,
# serves .100-.109 (so it cannot clash: that is what wait-synced before
# dhcpd's start is for, below); A's next start serves the whole pool.
conf "$T_TMP/srv-b.conf" 110 120
conf "$T_TMP/srv-a.conf" 100 109
conf "$T_TMP/srv-full.conf" 100 120
ns_switch sw
ns_host sw ha 192.0.2.1/24
ns_host sw hb 192.0.2.2/24
for c in b1 b2 a1 a2 a3 nx; do
	ns_host sw "$c" 198.51.100.$((10 + ${#c}))/24
	dhcp_client_setup "$c"
done
mkdir -p "$T_TMP/a" "$T_TMP/b"
lfA=$T_TMP/a/dhcpd.leases lfB=$T_TMP/b/dhcpd.leases sock=$T_TMP/link.sock
: > "$lfA"; : > "$lfB"

# dhcpd_run NS LEASES CONF PIDVAR; dhcpd_pid PIDVAR-VALUE: dhcpd's own pid
dhcpd_run() {
	rm -f "$T_TMP/dhcpd-$1.pid"
	ns_spawn "$1" "$4" dhcpd -4 -f -d -q -cf "$3" -lf "$2" \
	    -pf "$T_TMP/dhcpd-$1.pid" eth0 >> "$T_TMP/dhcpd-$1.log" 2>&1
}
dhcpd_pid() { ps -o pid= --ppid "$1" | tr -d ' '; }
# (as PID 1 of its namespace dhcpd ignores SIGTERM; its file is closed
# the same way either way)
dhcpd_stop() {
	kill -9 "$(dhcpd_pid "$1")"
	wait "$1" 2>/dev/null
}
# dhcpd in NS answers: it writes its pid file (removed by dhcpd_run)
# after it opened its sockets, just before it serves.  Its lease file is
# open earlier, while it still writes that file anew and opens the
# sockets: seconds at load 15 and more, and a client's INIT-REBOOT (5 s
# here) unanswered meanwhile falls back to DISCOVER, BOUND and not
# REBOOT (2 of 4 runs beside three CPU hogs).  The start is ~40 ms of
# CPU; the 30 s bound is for a machine that busy and its disk.
dhcpd_serving() { test -s "$T_TMP/dhcpd-$1.pid"; }
# the lease file dhcpd $1 (outer pid) has open for writing, as /proc says
held_open() {
	local p; p=$(dhcpd_pid "$1")
	for fd in /proc/"$p"/fd/*; do
		readlink "$fd"
	done | grep -F "$lfA"
}
addrs_of() { awk '$1 == "lease" { a[$2] } END { for (x in a) print x }' "$1" | sort; }
st() { printf 'status\n' | socat - "UNIX-CONNECT:$1" | sed -n "s/^$2=//p"; }
st_is() { [ "$(st "$1" "$2")" = "$3" ]; }
b_acked() { s=$(st "$T_TMP/b.ctl" sent_seq); [ "${s:-0}" -gt 0 ] && st_is "$T_TMP/b.ctl" peer_acked "$s"; }
start_a() {
	rm -f "$T_TMP/a.ctl"
	dhcpsync --leases "$lfA" --connect "$sock" --retry 100ms \
	    --control "$T_TMP/a.ctl" >> "$T_TMP/a.out" 2>> "$T_TMP/a.err" &
	A=$!
	cleanup_push "kill -9 $A 2>/dev/null"
	wait_for 10 test -S "$T_TMP/a.ctl"
}

# the outage: B's dhcpd served b1 and b2, then stopped
dhcpd_run hb "$lfB" "$T_TMP/srv-b.conf" DB
declare -A addr
for c in b1 b2; do
	addr[$c]=$(dhcp_client "$c")
	like "${addr[$c]}" '^192\.0\.2\.1[12][0-9]$' "$c leases ${addr[$c]} from B"
done
dhcpd_stop "$DB"
awk -v n="$N" -f "$T_TOP/tests/dhcpsync/gen-leases.awk" >> "$lfB"
nB=$(addrs_of "$lfB" | wc -l)
is "$nB" $((N + 2)) "B's file: its two clients and $N older leases"

# A returns: its dhcpd runs and serves
dhcpd_run ha "$lfA" "$T_TMP/srv-a.conf" DA
ok "A's dhcpd serves, its file open" \
    eval 'wait_for 30 dhcpd_serving ha && held_open "$DA"'
addr[a1]=$(dhcp_client a1)
like "${addr[a1]}" '^192\.0\.2\.10[0-9]$' "a1 leases ${addr[a1]} from A"

dhcpsync --leases "$lfB" --listen "$sock" --control "$T_TMP/b.ctl" \
    >> "$T_TMP/b.out" 2>> "$T_TMP/b.err" &
B=$!
cleanup_push "kill -9 $B 2>/dev/null"
wait_for 10 test -S "$sock"
start_a
addr[a2]=$(dhcp_client a2)
like "${addr[a2]}" '^192\.0\.2\.10[0-9]$' "a2 leases ${addr[a2]} from A while B's records arrive"
ok "B's records are acknowledged (B's status)" wait_for 60 b_acked
ok "A holds all of them (A's status held=$nB)" wait_for 20 st_is "$T_TMP/a.ctl" held "$nB"
is "$(st "$T_TMP/a.ctl" server)" running "A's status: server=running"
ok "A printed a held event" grep -q "^held n=$nB .*reason=server-running" "$T_TMP/a.out"
addr[a3]=$(dhcp_client a3)
like "${addr[a3]}" '^192\.0\.2\.10[0-9]$' "a3 leases ${addr[a3]} from A after that"
for c in a1 a2 a3; do
	ok "${addr[$c]} (A's dhcpd granted it) reaches B" \
	    wait_for 20 leases_has "$lfB" "${addr[$c]}"
done
is "$(held_open "$DA")" "$lfA" "A's dhcpd still holds $lfA by its name (not deleted)"
is "$(stat -L -c %i "/proc/$(dhcpd_pid "$DA")/fd/$(ls -l /proc/"$(dhcpd_pid "$DA")"/fd |
    awk -v f="$lfA" '$NF == f { print $(NF - 2) }')")" "$(stat -c %i "$lfA")" \
    "... the very inode under that name"
is "$(addrs_of "$lfA" | tr '\n' ' ')" \
    "$(printf '%s\n' "${addr[a1]}" "${addr[a2]}" "${addr[a3]}" | sort | tr '\n' ' ')" \
    "A's file holds only what A's dhcpd wrote"

# kill -9 of A's dhcpsync: the held records are on disk
kill -9 "$A"; wait "$A" 2>/dev/null
ok "the journal is on disk" test -s "$lfA.dhcpsync.journal"
start_a
ok "after kill -9 and a restart A still holds $nB" wait_for 20 st_is "$T_TMP/a.ctl" held "$nB"
ok "and B still has them acknowledged" wait_for 20 b_acked
ok "A's file still holds none of them" test "$(addrs_of "$lfA" | wc -l)" = 3

# A's dhcpd stops: its close of the file lets the held records in
dhcpd_stop "$DA"
ok "A writes them once dhcpd has stopped (held=0)" wait_for 30 st_is "$T_TMP/a.ctl" held 0
for c in b1 b2; do
	ok "B's ${addr[$c]} is in A's file" leases_has "$lfA" "${addr[$c]}"
done
is "$(addrs_of "$lfA" | wc -l)" $((nB + 3)) "A's file: every address of both"
ok "dhcpd -T reads A's file" dhcpd_accepts "$lfA" "$T_TMP/srv-full.conf"
ok "the journal is gone" test ! -e "$lfA.dhcpsync.journal"

# A's dhcpd starts again, on the whole pool
dhcpd_run ha "$lfA" "$T_TMP/srv-full.conf" DA
ok "A's dhcpd serves again, its file open" \
    eval 'wait_for 30 dhcpd_serving ha && held_open "$DA"'
for c in b1 b2; do
	is "$(dhcp_client "$c")" "${addr[$c]}" "$c keeps ${addr[$c]}, now from A"
	ok "$c was acknowledged by A, not moved" grep -q "^REBOOT ${addr[$c]}" "$T_TMP/$c.events"
done
got=$(dhcp_client nx)
like "$got" '^192\.0\.2\.' "a newcomer gets an address from A ($got)"
ok "none of B's nor A's clients' addresses" \
    eval "! printf '%s\n' ${addr[*]} | grep -qx '$got'"
ok "dhcpd's own new file holds B's records: nothing held again" \
    st_is "$T_TMP/a.ctl" held 0

# the guard: B's five new records are held, then written when dhcpd
# stops; a server then writes a new file from memory without them (as
# a dhcpd that read the file just before our append would)
late() { awk -v p="$1" '$1 == "lease" && index($2, p) == 1 { print $2 }' "$2" | sort -u | wc -l; }
awk -v n=5 -v off=20000 -f "$T_TOP/tests/dhcpsync/gen-leases.awk" >> "$lfB"
ok "B's five new records are held on A" wait_for 20 st_is "$T_TMP/a.ctl" held 5
is "$(late 10.64.80. "$lfA")" 0 "... not in A's file while its dhcpd runs"
dhcpd_stop "$DA"
ok "A's dhcpd stopped: written (held=0)" wait_for 20 st_is "$T_TMP/a.ctl" held 0
is "$(late 10.64.80. "$lfA")" 5 "all five in A's file"
awk '/^lease 10\.64\.80\./ { skip = 1 } !skip { print } /^}/ { skip = 0 }' \
    "$lfA" > "$lfA.new"
exec 9>> "$lfA.new"	# the server holds its new file open
mv "$lfA.new" "$lfA"
ok "a new file without them: held again" wait_for 20 st_is "$T_TMP/a.ctl" held 5
is "$(late 10.64.80. "$lfA")" 0 "not written while the server has the file open"
exec 9>&-
ok "its writer closed the file: written (held=0)" wait_for 20 st_is "$T_TMP/a.ctl" held 0
is "$(late 10.64.80. "$lfA")" 5 "all five back in A's file"

# wait-synced (ExecStartPre) while dhcpd runs and records are held
dhcpd_run ha "$lfA" "$T_TMP/srv-full.conf" DA
ok "A's dhcpd serves again, its file open" \
    eval 'wait_for 30 dhcpd_serving ha && held_open "$DA"'
awk -v n=5 -v off=20250 -f "$T_TOP/tests/dhcpsync/gen-leases.awk" >> "$lfB"
ok "five more from B are held on A" wait_for 20 st_is "$T_TMP/a.ctl" held 5
kill "$A"; wait "$A" 2>/dev/null
ws() {
	dhcpsync wait-synced --timeout "$1" --leases "$lfA" --connect "$sock" \
	    >> "$T_TMP/ws.out" 2>> "$T_TMP/ws.err"
}
exit_is 1 "wait-synced while A's dhcpd runs: not synced" ws 3
ok "... and says why" grep -q 'held.*waiting for it to stop' "$T_TMP/ws.err"
is "$(late 10.64.81. "$lfA")" 0 "... and wrote nothing under dhcpd"
ws 30 & W=$!
dhcpd_stop "$DA"
wait "$W"
is "$?" 0 "wait-synced exits 0 once dhcpd stopped and the records are in"
is "$(late 10.64.81. "$lfA")" 5 "all five in A's file"
ok "dhcpd -T reads A's file" dhcpd_accepts "$lfA" "$T_TMP/srv-full.conf"
done_testing
