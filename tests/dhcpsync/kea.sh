# SPDX-License-Identifier: ISC
# shellcheck shell=bash
# Helpers for the dhcpsync tests with real kea-dhcp4 (memfile, lease_cmds
# hook), every path private to the test run.  Sourced after ../lib/tap.sh;
# brings ../lib/netns.sh and dhcp.sh.
declare -F ns_host >/dev/null || . "$T_TOP/tests/lib/netns.sh"
declare -F dhcp_conf >/dev/null || . "$T_TOP/tests/dhcpsync/dhcp.sh"

KEA_HOOK=$(ls /usr/lib/*/kea/hooks/libdhcp_lease_cmds.so 2>/dev/null | head -1)
kea_needed() {
	command -v kea-dhcp4 >/dev/null && [ -n "$KEA_HOOK" ] &&
	    command -v jq >/dev/null ||
	    skip_all "needs kea-dhcp4, its lease_cmds hook and jq"
}

# kea_lan [SW]: the primary's host kp (10.64.0.1) on the LAN sw, the
# secondary's ks (10.64.0.2) there too or on a switch SW of its own; P and
# S their Kea lease files (kea_start kp / ks), link the sync socket.
kea_lan() {
	ns_switch sw
	ns_host sw kp 10.64.0.1/16
	[ "${1:-sw}" = sw ] || ns_switch "$1"
	ns_host "${1:-sw}" ks 10.64.0.2/16
	P=$T_TMP/kp/kea-leases4.csv S=$T_TMP/ks/kea-leases4.csv
	link=$T_TMP/sync.sock
}

# kea_start NAME NS PIDVAR [LFC [IFACES]]: a kea-dhcp4 for 10.64.0.0/16,
# lease file $T_TMP/NAME/kea-leases4.csv, control socket $T_TMP/NAME.sock,
# lfc-interval LFC seconds (0: no cleanup), serving on IFACES (a JSON list
# body, default "eth0"; "" serves nobody: a standby that only takes
# leases over its socket).  KEA_SUBNETS, if set, is the subnet4 list body
# instead (kea_subnet builds one entry); KEA_EXTRA, if set, more members
# of Dhcp4 (each followed by a comma).
kea_start() {
	local n=$1 ns=$2 d=$T_TMP/$1
	local subnets=${KEA_SUBNETS:-$(kea_subnet 1 10.64.0.0/16 10.64.0.100 10.64.0.200)}
	mkdir -p "$d"
	cat > "$T_TMP/$n.json" <<-CONF
	{ "Dhcp4": {
		"interfaces-config": { "interfaces": [ ${5-\"eth0\"} ] },
		"control-socket": { "socket-type": "unix",
		    "socket-name": "$T_TMP/$n.sock" },
		"lease-database": { "type": "memfile", "persist": true,
		    "name": "$d/kea-leases4.csv", "lfc-interval": ${4:-0} },
		"hooks-libraries": [ { "library": "$KEA_HOOK" } ],
		"valid-lifetime": 600,
		${KEA_EXTRA:-}
		"subnet4": [ $subnets ],
		"loggers": [ { "name": "kea-dhcp4", "severity": "INFO",
		    "output_options": [ { "output": "$T_TMP/$n.log" } ] } ]
	} }
	CONF
	# a killed Kea leaves its pid file, and in a fresh pid namespace the
	# next one has the same pid: Kea would think itself already running
	rm -f "$T_TMP/$n.sock" "$d"/*.kea-dhcp4.pid
	# Kea opens its control socket while it reads its configuration and
	# its DHCP sockets after: it serves once it logs DHCP4_STARTED (its
	# log is appended to: a line of an earlier Kea does not count)
	local lines; lines=$(file_lines "$T_TMP/$n.log")
	KEA_PIDFILE_DIR=$d KEA_LOCKFILE_DIR=$d ns_spawn "$ns" "$3" \
	    kea-dhcp4 -c "$T_TMP/$n.json" >> "$T_TMP/$n.out" 2>&1
	cleanup_push "kill -9 ${!3} 2>/dev/null"
	wait_file_line_after 20 "$T_TMP/$n.log" "$lines" ' DHCP4_STARTED ' &&
	    test -S "$T_TMP/$n.sock"
}

# kea_subnet ID PREFIX FIRST LAST: one subnet4 entry with one pool.
kea_subnet() {
	printf '{ "id": %s, "subnet": "%s", "pools": [ { "pool": "%s - %s" } ] }' \
	    "$1" "$2" "$3" "$4"
}

# Stop one with kill -9 on its PIDVAR: that is unshare(1), which ignores
# SIGTERM; --kill-child takes Kea with it.

# kea_cmd NAME JSON: one command over NAME's control socket.
kea_cmd() { printf '%s' "$2" | socat -t5 - "UNIX-CONNECT:$T_TMP/$1.sock"; }
kea_get() {
	kea_cmd "$1" "{ \"command\": \"lease4-get\", \"arguments\": { \"ip-address\": \"$2\" } }"
}
# kea_has NAME ADDR [MAC]: NAME holds a lease for ADDR (to MAC).
kea_has() {
	local r; r=$(kea_get "$1" "$2")
	printf '%s' "$r" | grep -q '"result": 0' &&
	    { [ -z "${3:-}" ] || printf '%s' "$r" | grep -q "\"hw-address\": \"$3\""; }
}
kea_hasnt() { kea_get "$1" "$2" | grep -q '"result": 3'; }
# kea_all NAME: "ADDR MAC" per lease Kea holds, sorted.
kea_all() {
	kea_cmd "$1" '{ "command": "lease4-get-all" }' |
	    jq -r '(.arguments.leases // [])[] | "\(.["ip-address"]) \(.["hw-address"])"' |
	    sort
}

# mac_of NS: the MAC of NS's eth0.
mac_of() { ns_run "$1" cat /sys/class/net/eth0/address; }

# dhcp_release NAME: the client releases the lease it holds (DHCPRELEASE).
dhcp_release() {
	local c=$1
	ns_run "$c" dhclient -r -d -cf "$T_TMP/$c.conf" -lf "$T_TMP/$c.leases" \
	    -pf "$T_TMP/$c.rpid" -sf "$T_TMP/$c.sh" eth0 >> "$T_TMP/$c.log" 2>&1
}
