#!/bin/bash
# SPDX-License-Identifier: ISC
# Live apply to Kea: `dhcpsync send A | dhcpsync recv B --kea-socket S`
# against a real kea-dhcp4 (lease_cmds hook) in its own network namespace
# with a private config, lease file and control socket.  A lease sent is
# visible through lease4-get; a lease that stops being bound is deleted.
. "$(dirname "$0")/../lib/tap.sh"
. "$T_TOP/tests/lib/netns.sh"
. "$T_TOP/tests/dhcpsync/dhcp.sh"
needs_root
HOOK=$(ls /usr/lib/*/kea/hooks/libdhcp_lease_cmds.so 2>/dev/null | head -1)
command -v kea-dhcp4 >/dev/null && [ -n "$HOOK" ] ||
	skip_all "needs kea-dhcp4 and its lease_cmds hook"

sock=$T_TMP/kea.sock
cat > "$T_TMP/kea.json" <<EOF
{ "Dhcp4": {
	"interfaces-config": { "interfaces": [ "eth0" ] },
	"control-socket": { "socket-type": "unix", "socket-name": "$sock" },
	"lease-database": { "type": "memfile", "persist": true,
	    "name": "$T_TMP/kea-leases4.csv", "lfc-interval": 0 },
	"hooks-libraries": [ { "library": "$HOOK" } ],
	"subnet4": [ { "id": 1, "subnet": "10.64.0.0/16",
	    "pools": [ { "pool": "10.64.0.1 - 10.64.249.250" } ] } ],
	"loggers": [ { "name": "kea-dhcp4", "severity": "INFO",
	    "output_options": [ { "output": "$T_TMP/kea.log" } ] } ]
} }
EOF
ns_switch sw
ns_host sw kea 192.0.2.1/24
KEA_PIDFILE_DIR=$T_TMP KEA_LOCKFILE_DIR=$T_TMP ns_spawn kea KEA \
    kea-dhcp4 -c "$T_TMP/kea.json" > "$T_TMP/kea.out" 2>&1
cleanup_push "kill -9 $KEA 2>/dev/null"
# the socket file is there before Kea listens on it (bind, then listen
# 0.8 ms later under strace) and before its DHCP sockets: Kea serves
# both once it logs DHCP4_STARTED
ok "kea-dhcp4 is up with its control socket" \
    wait_file_line 20 "$T_TMP/kea.log" ' DHCP4_STARTED '

kea() { printf '%s' "$1" | socat -t5 - "UNIX-CONNECT:$sock"; }
get() { kea "{ \"command\": \"lease4-get\", \"service\": [ \"dhcp4\" ], \"arguments\": { \"ip-address\": \"$1\" } }"; }

gen() { awk -v n="$1" -v off="${2:-0}" -f "$T_TOP/tests/dhcpsync/gen-leases.awk"; }
mkdir -p "$T_TMP/p" "$T_TMP/s"
A=$T_TMP/p/dhcpd.leases B=$T_TMP/s/dhcpd.leases
gen 20 > "$A"
: > "$B"
like "$(get 10.64.0.3)" '"result": 3' "before: Kea has no lease for 10.64.0.3"

{ dhcpsync send "$A" 2> "$T_TMP/send.err" & echo $! > "$T_TMP/send.pid"; wait; } |
	{ dhcpsync recv "$B" --kea-socket "$sock" <&0 > "$T_TMP/recv.out" \
	    2> "$T_TMP/recv.err" & echo $! > "$T_TMP/recv.pid"; wait; } &
wait_for 10 test -s "$T_TMP/send.pid" -a -s "$T_TMP/recv.pid"
cleanup_push "kill $(cat "$T_TMP/send.pid") $(cat "$T_TMP/recv.pid") 2>/dev/null"
ok "recv synced" wait_file_line 20 "$T_TMP/recv.out" '^synced n=20 '
r=$(get 10.64.0.3)
like "$r" '"result": 0' "lease4-get finds 10.64.0.3 in Kea"
like "$r" '"hw-address": "52:54:00:00:02:01"' "with the client's MAC"
like "$(get 10.64.0.20)" '"hw-address": "52:54:00:00:13:01"' "and the last one too"

# a superseding block frees 10.64.0.6: Kea drops it
like "$(get 10.64.0.6)" '"result": 0' "10.64.0.6 is in Kea before"
gen 1 5 | sed 's/12:00:05/12:59:59/; s/binding state active/binding state free/' >> "$A"
gone() { get 10.64.0.6 | grep -q '"result": 3'; }
ok "a freed lease is deleted from Kea" wait_for 20 gone
ok "B agrees (free)" wait_for 10 state_is "$B" 10.64.0.6 free
like "$(get 10.64.0.5)" '"result": 0' "its neighbour stays"

# Kea gone: recv stops (nothing acknowledged it did not apply)
kill -9 "$KEA"; wait "$KEA" 2>/dev/null
gen 1 40 >> "$A"
ok "Kea unreachable: recv drops the stream" \
    wait_file_line 20 "$T_TMP/recv.out" 'peer-down reason=kea-failed'
done_testing
