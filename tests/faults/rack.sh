#!/bin/bash
# The rack half of `make faults` (issue #15): two rack controllers serve
# DHCP to a segment of nodes as an operator following contrib/dhcpsync
# would wire them, and things break while the nodes renew.
#
#   rack1 (priority 150), rack2 (100): vrrpd holds the rack's VIP;
#     notify_master runs contrib/dhcpsync/dhcp-master (dhcpsync
#     wait-synced with the peer, then dhcpd bound to eth0), notify_backup
#     and notify_fault run dhcp-backup (stop it); a vrrp_script fails
#     when dhcpd should run and does not; preempt_delay so that a
#     recovered primary takes back only once things are quiet.
#   dhcpsync both ways, rack1 -> rack2 over TCP, the far end started per
#     connection by a socat listener on rack2 (what sshd with a forced
#     command does); wait-synced reaches the peer the same way.
#   RACK_CLIENTS (24) nodes, each dhclient in its own namespace with a
#     hook (rack-client.sh) that configures the address and logs it;
#     RACK_LEASE (30 s) leases, renewed at half.  A newcomer joins in each
#     fault's window: a free address must not be one a node holds.
#
# Faults, each once things have settled (every node renewed since the
# last one): kill -9 of rack1's dhcpd mid-renewals (rack2 takes over,
# rack1 returns after its preempt_delay); rack1 frozen (SIGSTOP of all
# its processes for 5 s) and thawed; vrrpd on the master killed (and
# restarted, as its supervisor would); dhcpsync killed mid-stream on
# both ends and restarted.
#
# Output: report rows on stdout (TSV: "fault NAME key=value..." and
# "target NAME ok|MISSED detail"), free text as "# " lines.  Exit 0 when
# every target is met.  Root; own namespaces, removed at exit.
set -u
. "$(dirname "$0")/../lib/tap.sh"
. "$T_TOP/tests/lib/netns.sh"

N=${RACK_CLIENTS:-24}
LEASE=${RACK_LEASE:-30}
FREEZE=${RACK_FREEZE:-5}
VIP=192.0.2.254
F=$T_TMP/faults.txt
: > "$F"
RC=0

say() { printf '# %s\n' "$*"; }
target() {	# name ok|MISSED detail
	printf 'target\t%s\t%s\t%s\n' "$1" "$2" "$3"
	[ "$2" = ok ] || RC=1
}
# now: epoch seconds with milliseconds
now() { printf '%s' "${EPOCHREALTIME:0:14}"; }
ms_since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%d", (b - a) * 1000 }'; }
# waitc SECONDS CMD...: as wait_for, polling every 0.2 s (the conditions
# here read 24 files)
waitc() {
	local end=$(( ${EPOCHREALTIME%.*} + $1 )); shift
	until "$@" >/dev/null 2>&1; do
		[ "${EPOCHREALTIME%.*}" -lt "$end" ] || { say "timed out: $*"; return 1; }
		read -r -t 0.2 -u "$PAUSE" _ || :
	done
}
exec {PAUSE}<> <(:)

[ "$(id -u)" = 0 ] || { target rack-setup MISSED "needs root"; exit 1; }
for p in dhcpd dhclient socat nsenter; do
	command -v "$p" >/dev/null ||
	    { target rack-setup MISSED "$p not installed (tests/lib/deps.sh)"; exit 1; }
done
for p in vrrpd dhcpsync; do
	[ -x "$T_TOP/$p/$p" ] ||
	    { target rack-setup MISSED "$p not built (make -C $p)"; exit 1; }
done

# ---- the racks -----------------------------------------------------------

# host_init H: H's PID 1 is a bash that reaps (dhcpd daemonizes into it)
host_init() {
	local outer
	ns_spawn "$1" outer bash -c 'while :; do sleep 1000 & wait; done'
	wait_for 5 pgrep -P "$outer" || return 1
	printf -v "P1_$1" '%s' "$(pgrep -P "$outer" | head -1)"
}
in_host() { local v="P1_$1"; shift; nsenter -t "${!v}" -a "$@"; }
# host_pids H: every process of host H (its network namespace)
host_pids() { ip netns pids "$(_ns_name "$1")"; }

dhcpd_conf() {
	cat > "$T_TMP/dhcpd.conf" <<-CONF
	authoritative;
	default-lease-time $LEASE;
	max-lease-time $LEASE;
	min-lease-time $LEASE;
	ping-check false;
	ddns-update-style none;
	subnet 192.0.2.0 netmask 255.255.255.0 {
		range 192.0.2.100 192.0.2.199;
	}
	CONF
}

# rack_conf H PEER_ADDR PRIORITY: H's files under $T_TMP/H
rack_conf() {
	local h=$1 peer=$2 prio=$3 d=$T_TMP/$1
	mkdir -p "$d/run"
	: > "$d/dhcpd.leases"
	cat > "$d/dhcp-ha" <<-CONF
	DHCPD_UNIT=
	LEASES=$d/dhcpd.leases
	DHCPD_CONF=$T_TMP/dhcpd.conf
	DHCPD_PID=$d/run/dhcpd.pid
	DHCPD_IFACES=eth0
	WAIT_PEER='exec socat - TCP:$peer:7002,connect-timeout=2'
	WAIT_TIMEOUT=5s
	CONF
	local env="/usr/bin/env DHCP_HA_CONF=$d/dhcp-ha PATH=$PATH"
	cat > "$d/keepalived.conf" <<-CONF
	global_defs {
		script_user root
	}
	vrrp_script chk_dhcpd {
		script "/bin/sh -c '[ ! -e $d/run/dhcpd.pid ] || kill -0 \$(cat $d/run/dhcpd.pid)'"
		interval 1
		fall 2
		rise 1
	}
	vrrp_instance RACK {
		state BACKUP
		interface eth0
		virtual_router_id 51
		priority $prio
		advert_int 1
		preempt_delay 15
		virtual_ipaddress {
			$VIP/24
		}
		track_script {
			chk_dhcpd
		}
		notify_master "$env $T_TOP/contrib/dhcpsync/dhcp-master"
		notify_backup "$env $T_TOP/contrib/dhcpsync/dhcp-backup"
		notify_fault "$env $T_TOP/contrib/dhcpsync/dhcp-backup"
	}
	CONF
}

vrrpd_start() {
	local h=$1
	in_host "$h" vrrpd -f "$T_TMP/$h/keepalived.conf" \
	    --control "$T_TMP/$h/vrrpd.sock" >> "$T_TMP/$h/vrrpd.out" \
	    2>> "$T_TMP/$h/vrrpd.err" &
	wait_for 5 test -S "$T_TMP/$h/vrrpd.sock"
}
vrrpd_pid() { pgrep -f -x "vrrpd -f $T_TMP/$1/keepalived.conf .*" | head -1; }
state() {
	printf 'show instances\n' | socat -t 2 - "UNIX-CONNECT:$T_TMP/$1/vrrpd.sock" 2>/dev/null |
	    sed -n 's/.* state=\([A-Z]*\).*/\1/p' | head -1
}
is_state() { [ "$(state "$1")" = "$2" ]; }
# dhcpd_pid H: the pid (as we see it) of H's dhcpd
dhcpd_pid() { pgrep -f "^dhcpd .*-lf $T_TMP/$1/dhcpd.leases" | head -1; }
dhcpd_runs() { [ -n "$(dhcpd_pid "$1")" ]; }
dhcpd_stopped() { [ -z "$(dhcpd_pid "$1")" ]; }

# listeners H: the "sshd" of H: 7001 the far end of the dhcpsync pair,
# 7002 the far end of a peer's wait-synced (its own resume points)
listeners() {
	local h=$1 lf=$T_TMP/$1/dhcpd.leases
	in_host "$h" socat TCP-LISTEN:7001,reuseaddr,fork \
	    "EXEC:dhcpsync -l $lf" 2>> "$T_TMP/$h/link.err" &
	in_host "$h" socat TCP-LISTEN:7002,reuseaddr,fork \
	    "EXEC:dhcpsync -l $lf --state $lf.wait-synced" 2>> "$T_TMP/$h/link.err" &
	wait_for 5 listening "$h"
}
listening() { in_host "$1" ss -Hltn 'sport = :7002' | grep -q .; }

sync_start() {
	in_host rack1 dhcpsync -l "$T_TMP/rack1/dhcpd.leases" -r 1s \
	    --control "$T_TMP/rack1/sync.sock" \
	    --peer 'exec socat - TCP:192.0.2.2:7001,connect-timeout=2' \
	    >> "$T_TMP/rack1/sync.out" 2>> "$T_TMP/rack1/sync.err" &
}
sync_pid() { pgrep -f -x "dhcpsync -l $T_TMP/rack1/dhcpd.leases -r 1s .*" | head -1; }
far_pid() { pgrep -f -x "dhcpsync -l $T_TMP/rack2/dhcpd.leases" | head -1; }
sync_status() {
	printf 'status\n' | socat -t 2 - "UNIX-CONNECT:$T_TMP/rack1/sync.sock" 2>/dev/null
}
synced() { sync_status | grep -q '^synced=1' && sync_status | grep -q '^peer=up'; }

# ---- the nodes -----------------------------------------------------------

CL=$T_TMP/clients
client_start() {	# NAME
	local c=$1 d=$CL/$1
	mkdir -p "$d"
	printf '#!/bin/sh\nexec %s %s\n' "$T_TOP/tests/faults/rack-client.sh" "$d" > "$d/hook"
	chmod 755 "$d/hook"
	cat > "$d/dhclient.conf" <<-CONF
	timeout 20;
	retry 1;
	reboot 5;
	initial-interval 1;
	backoff-cutoff 2;
	select-timeout 0;
	CONF
	ns_run "$c" dhclient -d -cf "$d/dhclient.conf" -lf "$d/leases" \
	    -pf "$d/pid" -sf "$d/hook" eth0 > "$d/log" 2>&1 &
}
clients() { ls "$CL"; }
# held C: the address C holds now
held() { cat "$CL/$1/held" 2>/dev/null; }
# all_bound_since T: every node holds an address granted at T or later
all_bound_since() {
	awk -v t="$1" '
	    FNR == 1 { n++ }
	    $2 ~ /^(BOUND|RENEW|REBIND|REBOOT)$/ { last[FILENAME] = $1 }
	    $3 == "-" { last[FILENAME] = 0 }
	    END { for (f in last) if (last[f] >= t) ok++; exit !(n > 0 && ok == n) }' \
	    "$CL"/*/events 2>/dev/null
}
without_address() {
	local c n=0
	for c in $(clients); do [ -n "$(held "$c")" ] || n=$((n + 1)); done
	echo "$n"
}

# settle NAME: after a fault, every node renewed since T0 (the
# restoration); a node renews at half the lease, rebinds at 7/8
settle() {
	local t0; t0=$(now)
	if waitc $((LEASE * 2)) all_bound_since "$t0"; then
		return 0
	fi
	say "$1: $(without_address) node(s) without an address; not settled"
	SETTLE_MISSED="$SETTLE_MISSED $1"
	return 1
}
SETTLE_MISSED=

# fault_row NAME START key=value...: the window, closed now
fault_row() { local n=$1 s=$2; shift 2; echo "$n $s $(now) $*" >> "$F"; }

NEWCOMERS=0
newcomer() {
	NEWCOMERS=$((NEWCOMERS + 1))
	local c=new$NEWCOMERS
	ns_host lan "$c" "169.254.2.$NEWCOMERS/16" || return 1
	client_start "$c"
}

# ---- build it ------------------------------------------------------------

cleanup_push "say 'logs were in $T_TMP'"
dhcpd_conf
ns_switch lan || { target rack-setup MISSED "cannot make namespaces"; exit 1; }
ns_host lan rack1 192.0.2.1/24
ns_host lan rack2 192.0.2.2/24
rack_conf rack1 192.0.2.2 150
rack_conf rack2 192.0.2.1 100
for h in rack1 rack2; do
	host_init "$h" && listeners "$h" ||
	    { target rack-setup MISSED "cannot start $h"; exit 1; }
done
for h in rack1 rack2; do
	vrrpd_start "$h" || { target rack-setup MISSED "vrrpd on $h"; exit 1; }
done
sync_start
T_START=$(now)
if ! waitc 20 is_state rack1 MASTER || ! waitc 20 dhcpd_runs rack1; then
	target rack-setup MISSED "rack1 never served (vrrpd: $(state rack1))"
	exit 1
fi
say "rack1 MASTER, dhcpd serving after $(ms_since "$T_START") ms"
for i in $(seq 1 "$N"); do
	ns_host lan "c$i" "169.254.1.$i/16" || { target rack-setup MISSED "node c$i"; exit 1; }
	client_start "c$i"
done
if ! waitc 60 all_bound_since 0; then
	target rack-setup MISSED "$(without_address) of $N nodes got no address"
	exit 1
fi
say "$N nodes bound after $(ms_since "$T_START") ms"
waitc 20 synced || say "dhcpsync not synced: $(sync_status | tr '\n' ' ')"
settle setup

# ---- faults --------------------------------------------------------------

# mid_renewals: wait for a node's renewal, so that the fault lands among them
mid_renewals() {
	local n; n=$(cat "$CL"/*/events | grep -c ' RENEW ')
	waitc "$LEASE" eval "[ \$(cat $CL/*/events | grep -c ' RENEW ') -gt $n ]"
}

fault_dhcpd_kill() {
	mid_renewals
	local t0 pid; t0=$(now)
	pid=$(dhcpd_pid rack1)
	kill -9 "$pid"
	say "dhcpd-kill: kill -9 of rack1's dhcpd (pid $pid)"
	newcomer
	local m2=-1 d2=-1 back=-1
	waitc 30 is_state rack2 MASTER && m2=$(ms_since "$t0")
	waitc 30 dhcpd_runs rack2 && d2=$(ms_since "$t0")
	say "dhcpd-kill: rack2 MASTER after ${m2} ms, its dhcpd after ${d2} ms"
	# rack1 recovers (notify_fault removed the dead dhcpd's pid file) and
	# takes back after its preempt_delay
	waitc 40 is_state rack1 MASTER && waitc 20 dhcpd_runs rack1 &&
	    back=$(ms_since "$t0")
	waitc 20 dhcpd_stopped rack2
	say "dhcpd-kill: rack1 serving again after ${back} ms"
	settle dhcpd-kill
	fault_row dhcpd-kill "$t0" "standby_master_ms=$m2" \
	    "standby_dhcpd_ms=$d2" "primary_back_ms=$back"
}

# ---- run -----------------------------------------------------------------

fault_dhcpd_kill

say "rack1: $(state rack1), rack2: $(state rack2); dhcpsync: $(sync_status | grep -E '^(peer|synced|held)=' | tr '\n' ' ')"
python3 "$T_TOP/tests/faults/rack-verdict.py" "$CL" "$F" "$LEASE" "$(now)" || RC=1
if [ -n "$SETTLE_MISSED" ]; then
	target dhcp-settled MISSED "nodes without an address after:$SETTLE_MISSED"
else
	target dhcp-settled ok "every node renewed after each fault"
fi
exit "$RC"
