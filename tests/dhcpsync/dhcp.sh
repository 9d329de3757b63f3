# SPDX-License-Identifier: ISC
# Helpers for the dhcpsync tests: real ISC dhcpd and dhclient in network
# namespaces (tests/lib/netns.sh), every file private to the test run.
# Sourced after ../lib/tap.sh and ../lib/netns.sh.

# dhcp_conf FILE: one subnet, the pool both servers serve.
dhcp_conf() {
	cat > "$1" <<-'CONF'
	authoritative;
	default-lease-time 600;
	max-lease-time 600;
	ping-check false;
	ddns-update-style none;
	subnet 192.0.2.0 netmask 255.255.255.0 {
		range 192.0.2.100 192.0.2.120;
	}
	CONF
}

# dhcpd_start NS LEASEFILE PIDVAR: dhcpd in the foreground in NS,
# returning once it serves.  dhcpd writes its pid file after it has read
# and rewritten its lease file and opened its sockets: seconds after the
# fork on a loaded host, while a client's INIT-REBOOT (5 s) goes
# unanswered and a peer dhcpsync sees the file rewritten under it.  The
# file of an earlier dhcpd in NS is removed first.
dhcpd_start() {
	local ns=$1 lf=$2
	[ -e "$lf" ] || : > "$lf"
	rm -f "$T_TMP/dhcpd-$ns.pid"
	ns_spawn "$ns" "$3" dhcpd -4 -f -d -q -cf "$T_TMP/dhcpd.conf" \
	    -lf "$lf" -pf "$T_TMP/dhcpd-$ns.pid" eth0 \
	    >> "$T_TMP/dhcpd-$ns.log" 2>&1
	wait_for 30 test -s "$T_TMP/dhcpd-$ns.pid"
}

# dhcp_client_setup NAME: a dhclient config and a script that records
# "REASON ADDRESS" per event and configures nothing.
dhcp_client_setup() {
	local c=$1
	cat > "$T_TMP/$c.conf" <<-CONF
	timeout 20;
	retry 1;
	reboot 5;
	initial-interval 1;
	backoff-cutoff 2;
	select-timeout 0;
	${2:-}
	CONF
	cat > "$T_TMP/$c.sh" <<-SCRIPT
	#!/bin/sh
	echo "\$reason \${new_ip_address:-}" >> "$T_TMP/$c.events"
	exit 0
	SCRIPT
	chmod 755 "$T_TMP/$c.sh"
}

# dhcp_client NAME: one DHCP run (INIT-REBOOT if it holds a lease), then
# stop the client.  Prints the address bound, or nothing.
dhcp_client() {
	local c=$1 ns=NS_$1
	: > "$T_TMP/$c.events"
	# not ns_run: a function put in the background is a subshell, and
	# killing it would leave dhclient running
	ip netns exec "${!ns}" dhclient -1 -d -cf "$T_TMP/$c.conf" \
	    -lf "$T_TMP/$c.leases" -pf "$T_TMP/$c.pid" -sf "$T_TMP/$c.sh" \
	    eth0 > "$T_TMP/$c.log" 2>&1 &
	local pid=$!
	wait_for 40 grep -Eq '^(BOUND|REBOOT|RENEW|REBIND) ' "$T_TMP/$c.events"
	local a
	a=$(awk '$1 ~ /^(BOUND|REBOOT|RENEW|REBIND)$/ { a = $2 } END { print a }' \
	    "$T_TMP/$c.events")
	# dhclient writes its lease database after the script ran: killed
	# before that, its next run has no lease to INIT-REBOOT with
	[ -n "$a" ] && wait_for 10 grep -q "fixed-address $a;" "$T_TMP/$c.leases"
	# dhclient -d ignores SIGTERM; a killed client sends no release
	kill -9 "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	echo "$a"
}

# lease_state FILE ADDR: the binding state of ADDR's last block (a later
# block supersedes an earlier one).
lease_state() {
	awk -v a="$2" '$1 == "lease" { cur = $2 }
	    cur == a && $1 == "binding" { s = $3 } END { sub(/;/, "", s); print s }' "$1"
}
state_is() { [ "$(lease_state "$1" "$2")" = "$3" ]; }

# leases_has FILE ADDR: the file holds an active lease for ADDR.
leases_has() { state_is "$1" "$2" active; }

# dhcpd_accepts FILE [CONF]: dhcpd itself reads the whole lease file.
# dhcpd -T exits 0 even on a corrupt file, so read what it says too; a
# block cut short reads as "FILE line N: unexpected end of file" (the
# lease is dropped) and still "successful".
dhcpd_accepts() {
	local out
	out=$(dhcpd -4 -T -cf "${2:-$T_TMP/dhcpd.conf}" -lf "$1" \
	    -pf "$T_TMP/t.pid" 2>&1) || return 1
	printf '%s\n' "$out" | grep -q 'Lease file test successful' &&
	    ! printf '%s\n' "$out" | grep -Eq 'Corrupt|data loss|no subnet|line [0-9]+: '
}
