#!/bin/bash
# SPDX-License-Identifier: ISC
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
# Faults (RACK_FAULTS, default all four, in this order), each once the
# primary serves alone and every node renewed since the previous began:
#   dhcpd-kill     kill -9 of rack1's dhcpd just after a node's renewal;
#                  rack2 takes over, rack1 takes back after preempt_delay
#   freeze         SIGSTOP of all rack1's processes for RACK_FREEZE (5) s
#   vrrpd-kill     kill -9 of rack1's vrrpd (dhcp-serve then stops its dhcpd), then
#                  restarted as its supervisor would
#   dhcpsync-kill  kill -9 of the far end, then of the near end (restarted)
#
# Output: report rows on stdout, TSV, and free text as "# " lines:
#   fault NAME key=value...   the fault's timings (ms after it), then from
#       rack-verdict.py: no_dhcpd_ms, two_dhcpd_ms (no / both dhcpd
#       serving, sampled), handback_ms (the standby's BACKUP to the
#       primary's dhcpd start), dhcpd_started_not_master, and what the nodes
#       saw in the window: changed (address), expired, lost, duplicates
#   target NAME ok|MISSED detail   dhcp-leases-lost and dhcp-duplicates
#       (issue #15: zero each), dhcp-stray-start (no dhcpd started on a
#       rack no longer MASTER), dhcp-replica (rack2's file holds every
#       lease held at the end), dhcp-settled (the nodes recovered after
#       each fault), rack-setup (only when the run could not start)
# Exit 0 when every target is met, 1 otherwise.  Root; its own namespaces
# and files, removed at exit (RACK_KEEP=DIR keeps the files; the timeline
# of vrrpd states, wait-synced and dhcpd starts goes to stderr, or to
# stdout as "# timeline" lines with RACK_TIMELINE=1).  RACK_SYNC=0
# runs without dhcpsync: the negative control, whose verdict must fail.
# RACK_SCRIPTS=DIR runs another tree's dhcp-master and dhcp-backup (its
# contrib/dhcpsync), to compare.
# About 3 1/2 minutes on a loaded machine.
set -u
. "$(dirname "$0")/../lib/tap.sh"
. "$T_TOP/tests/lib/netns.sh"

N=${RACK_CLIENTS:-24}
LEASE=${RACK_LEASE:-30}
FREEZE=${RACK_FREEZE:-5}
# RACK_SYNC=0: the negative control, no dhcpsync at all (the standby's
# dhcpd starts from its own empty file): the verdict must fail
SYNC=${RACK_SYNC:-1}
VIP=192.0.2.254
SCRIPTS=${RACK_SCRIPTS:-$T_TOP/contrib/dhcpsync}
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
# stamp: each line of a program's event lines, prefixed with the epoch
stamp() { local l; while IFS= read -r l; do printf '%s %s\n' "$EPOCHREALTIME" "$l"; done; }
# event_ms FILE T0 REGEX: ms from T0 to FILE's first stamped line after T0
# matching REGEX, or -1
event_ms() {
	awk -v t="$2" -v re="$3" '$1 >= t && $0 ~ re {
	    printf "%d\n", ($1 - t) * 1000; found = 1; exit }
	    END { if (!found) print -1 }' "$1"
}

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

# (host_init H, in_host H CMD..., host_spawn: tests/lib/netns.sh)
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
	WAIT_PEER=$([ "$SYNC" = 1 ] && echo "'exec $T_TOP/tests/faults/rack-link $d/link.log $peer 7002'")
	WAIT_TIMEOUT=5s
	CONF
	# the notify scripts find dhcpsync and dhcpd through wrappers that
	# stamp each wait-synced's start and end, and each dhcpd's start, in
	# H/wait.log, for the timeline
	mkdir -p "$d/bin"
	cat > "$d/bin/dhcpsync" <<-SH
	#!/bin/sh
	echo "\$(date +%s.%3N) start" >> $d/wait.log
	$T_TOP/dhcpsync/dhcpsync "\$@" -v 2>> $d/wait.err
	rc=\$?
	echo "\$(date +%s.%3N) end \$rc" >> $d/wait.log
	exit \$rc
	SH
	printf '#!/bin/sh\necho "$(date +%%s.%%3N) dhcpd" >> %s/wait.log\nexec /usr/sbin/dhcpd "$@"\n' \
	    "$d" > "$d/bin/dhcpd"
	chmod 755 "$d/bin/dhcpsync" "$d/bin/dhcpd"
	local env="/usr/bin/env DHCP_HA_CONF=$d/dhcp-ha PATH=$d/bin:$PATH"
	cat > "$d/keepalived.conf" <<-CONF
	global_defs {
		script_user root
	}
	vrrp_script chk_dhcpd {
		script "$T_TOP/tests/faults/rack-dhcpd-up $d/run/dhcpd.pid"
		interval 1
		timeout 3
		fall 2
		rise 1
	}
	vrrp_instance RACK {
		state BACKUP
		interface eth0
		virtual_router_id 51
		priority $prio
		advert_int 1
		preempt_delay ${RACK_PREEMPT_DELAY:-10}
		virtual_ipaddress {
			$VIP/24
		}
		track_script {
			chk_dhcpd
		}
		notify_master "$env $SCRIPTS/dhcp-master"
		notify_backup "$env $SCRIPTS/dhcp-backup"
		notify_fault "$env $SCRIPTS/dhcp-backup"
	}
	CONF
}

vrrpd_start() {
	local h=$1
	rm -f "$T_TMP/$h/vrrpd.sock"
	in_host "$h" vrrpd -f "$T_TMP/$h/keepalived.conf" \
	    --control "$T_TMP/$h/vrrpd.sock" 2>> "$T_TMP/$h/vrrpd.err" |
	    stamp >> "$T_TMP/$h/vrrpd.out" &
	wait_for 5 test -S "$T_TMP/$h/vrrpd.sock"
}
vrrpd_pid() { pgrep -o -f -x "vrrpd -f $T_TMP/$1/keepalived.conf .*" | head -1; }
state() {
	printf 'show instances\n' | socat -t 2 - "UNIX-CONNECT:$T_TMP/$1/vrrpd.sock" 2>/dev/null |
	    sed -n 's/.* state=\([A-Z]*\).*/\1/p' | head -1
}
is_state() { [ "$(state "$1")" = "$2" ]; }
# dhcpd_pid H: the pid (as we see it) of H's dhcpd
dhcpd_pid() { pgrep -f "^/usr/sbin/dhcpd .*-lf $T_TMP/$1/dhcpd.leases" | head -1; }
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
	    --peer "exec $T_TOP/tests/faults/rack-link $T_TMP/rack1/link.log 192.0.2.2 7001" \
	    2>> "$T_TMP/rack1/sync.err" | stamp >> "$T_TMP/rack1/sync.out" &
}
sync_pid() { pgrep -f -x "dhcpsync -l $T_TMP/rack1/dhcpd.leases -r 1s .*" | head -1; }
far_pid() { pgrep -f -x "dhcpsync -l $T_TMP/rack2/dhcpd.leases" | head -1; }
far_up() { [ -n "$(far_pid)" ]; }
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

# settle NAME T0: called once the primary serves alone again; settled
# when every node holds an address granted since T0, the fault's start,
# so that every lease went through the whole fault (a node renews at
# half the lease, rebinds at 7/8)
settle() {
	if waitc $((LEASE * 2)) all_bound_since "$2"; then
		return 0
	fi
	say "$1: $(without_address) node(s) without an address; not settled"
	SETTLE_MISSED="$SETTLE_MISSED $1"
	return 1
}
SETTLE_MISSED=

# fault_row NAME START key=value...: the window, closed now
# t0 and tr (the restoration, TR, else now), epoch ms, as the API
# half's rows have them (tests/faults/report.py draws them)
fault_row() {
	local n=$1 s=$2; shift 2
	echo "$n $s $(now) $(awk -v a="$s" -v b="${TR:-$(now)}" \
	    'BEGIN { printf "t0=%d tr=%d", a * 1000, b * 1000 }') $*" >> "$F"
	TR=
}
TR=

# shellcheck disable=SC2154 # NS_lan: set by ns_switch
# node NAME: a namespace with eth0 on the LAN and no address (fewer
# commands than ns_host: 24 of them on a loaded machine)
node() {
	local ns; ns=$(_ns_name "$1")
	cleanup_push "_ns_destroy '$ns'"
	printf -v "NS_$1" '%s' "$ns"
	ip netns add "$ns" || return 1
	ip link add eth0 netns "$ns" type veth peer name "$1" netns "$NS_lan" || return 1
	ip -n "$NS_lan" link set "$1" master br0 up &&
	    ip -n "$ns" link set eth0 up
}

NEWCOMERS=0
newcomer() {
	NEWCOMERS=$((NEWCOMERS + 1))
	local c=new$NEWCOMERS
	node "$c" || return 1
	client_start "$c"
}

# ---- build it ------------------------------------------------------------

# RACK_KEEP=DIR: keep the run's files there (logs, histories)
[ -n "${RACK_KEEP:-}" ] && cleanup_push "rm -rf '$RACK_KEEP'; cp -a '$T_TMP' '$RACK_KEEP'"
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
[ "$SYNC" = 1 ] && sync_start
T_START=$(now)
T_NODES=$(now)
# the namespaces are registered for cleanup here, made in parallel
for i in $(seq 1 "$N"); do
	cleanup_push "_ns_destroy '$(_ns_name "c$i")'"
	printf -v "NS_c$i" '%s' "$(_ns_name "c$i")"
done
pids=
for i in $(seq 1 "$N"); do
	( node "c$i" > /dev/null 2>&1 && client_start "c$i" ) &
	pids="$pids $!"
done
for p in $pids; do
	wait "$p" || { target rack-setup MISSED "cannot make the nodes"; exit 1; }
done
say "$N nodes started in $(ms_since "$T_NODES") ms"
if ! waitc 20 is_state rack1 MASTER || ! waitc 20 dhcpd_runs rack1; then
	target rack-setup MISSED "rack1 never served (vrrpd: $(state rack1))"
	exit 1
fi
say "rack1 MASTER, dhcpd serving after $(ms_since "$T_START") ms"
if ! waitc 60 all_bound_since 0; then
	target rack-setup MISSED "$(without_address) of $N nodes got no address"
	exit 1
fi
say "$N nodes bound $(ms_since "$T_NODES") ms after the first started"
[ "$SYNC" = 1 ] && ! waitc 20 synced && say "dhcpsync not synced: $(sync_status | tr '\n' ' ')"

# serving H: H's dhcpd runs and is not frozen (SIGSTOP), forking only
# when its pid file is there and the pid last seen is gone: the sampler
# must keep its pace on a loaded machine
serving() {
	local v=SEEN_$1 p st pf=$T_TMP/$1/run/dhcpd.pid
	p=${!v:-}
	if [ -z "$p" ] || [ ! -d "/proc/$p" ]; then
		p=
		[ -e "$pf" ] && p=$(dhcpd_pid "$1")
		printf -v "$v" '%s' "$p"
	fi
	[ -n "$p" ] && read -r st < "/proc/$p/stat" 2>/dev/null || return 1
	st=${st##*) }
	[ "${st%% *}" != T ]
}
# servers_sampler: every 0.1 s, "EPOCH N" with N the number of dhcpd
# serving on the racks, into servers.txt (two: both answer the segment)
servers_sampler() {
	local n h
	while :; do
		n=0
		for h in rack1 rack2; do serving "$h" && n=$((n + 1)); done
		echo "$EPOCHREALTIME $n"
		read -r -t 0.1 -u "$PAUSE" _ || :
	done > "$T_TMP/servers.txt"
}
servers_sampler &
SAMPLER=$!
cleanup_push "kill $SAMPLER"

# ---- faults --------------------------------------------------------------

# mid_renewals: wait for a node's renewal, so that the fault lands among them
mid_renewals() {
	local n; n=$(cat "$CL"/*/events | grep -c ' RENEW ')
	waitc "$LEASE" eval "[ \$(cat $CL/*/events | grep -c ' RENEW ') -gt $n ]"
}

# ev H T0 REGEX: ms from T0 to H's first vrrpd event line matching REGEX
ev() { event_ms "$T_TMP/$1/vrrpd.out" "$2" "$3"; }

fault_dhcpd_kill() {
	mid_renewals
	local t0 pid back=-1; t0=$(now)
	pid=$(dhcpd_pid rack1)
	kill -9 "$pid"
	say "dhcpd-kill: kill -9 of rack1's dhcpd (pid $pid)"
	newcomer
	waitc 30 is_state rack2 MASTER && waitc 30 dhcpd_runs rack2
	local d2; d2=$(ms_since "$t0")
	say "dhcpd-kill: rack2 MASTER, its dhcpd serving after ${d2} ms"
	# rack1 recovers (notify_fault removed the dead dhcpd's pid file) and
	# takes back after its preempt_delay
	waitc 40 is_state rack1 MASTER && waitc 20 dhcpd_runs rack1 &&
	    waitc 20 dhcpd_stopped rack2 && back=$(ms_since "$t0") TR=$(now)
	say "dhcpd-kill: rack1 alone serving again after ${back} ms"
	settle dhcpd-kill "$t0"
	fault_row dhcpd-kill "$t0" \
	    "primary_fault_ms=$(ev rack1 "$t0" ' FAULT RACK')" \
	    "standby_master_ms=$(ev rack2 "$t0" ' MASTER RACK')" \
	    "standby_dhcpd_ms=$d2" \
	    "primary_master_ms=$(ev rack1 "$t0" ' MASTER RACK')" \
	    "primary_alone_ms=$back"
}

# pause SECONDS: the length of a fault itself (not a wait for a condition)
pause() { read -r -t "$1" -u "$PAUSE" _ || :; }

fault_freeze() {
	mid_renewals
	local t0 pids back=-1; t0=$(now)
	pids=$(host_pids rack1)
	kill -STOP $pids
	say "freeze: SIGSTOP of rack1's $(echo $pids | wc -w) processes for ${FREEZE} s"
	newcomer
	pause "$(awk -v a="$t0" -v b="$(now)" -v f="$FREEZE" 'BEGIN { d = f - (b - a); print (d > 0 ? d : 0) }')"
	kill -CONT $pids
	say "freeze: rack1 thawed"
	waitc 30 is_state rack1 MASTER && waitc 30 is_state rack2 BACKUP &&
	    waitc 30 dhcpd_stopped rack2 && waitc 10 dhcpd_runs rack1 &&
	    back=$(ms_since "$t0") TR=$(now)
	say "freeze: rack1 alone serving again after ${back} ms"
	settle freeze "$t0"
	fault_row freeze "$t0" "frozen_s=$FREEZE" \
	    "standby_master_ms=$(ev rack2 "$t0" ' MASTER RACK')" \
	    "standby_backup_ms=$(ev rack2 "$t0" ' BACKUP RACK')" \
	    "primary_alone_ms=$back"
}

fault_vrrpd_kill() {
	mid_renewals
	local t0 pid old m2=-1 both=-1 back=-1; t0=$(now)
	pid=$(vrrpd_pid rack1) old=$(dhcpd_pid rack1)
	kill -9 "$pid"
	say "vrrpd-kill: kill -9 of rack1's vrrpd (pid $pid)"
	# dhcp-serve stops the dhcpd whose vrrpd is gone (TIE)
	local gone=-1
	( wait_gone 30 "$old" && ms_since "$t0" > "$T_TMP/old-gone" ) &
	waitc 30 is_state rack2 MASTER && waitc 30 dhcpd_runs rack2 &&
	    m2=$(ms_since "$t0")
	local t2; t2=$(now)
	say "vrrpd-kill: rack2 MASTER, its dhcpd serving too after ${m2} ms"
	# a newcomer while two servers answer
	newcomer
	# its supervisor restarts vrrpd (systemd Restart=always), which
	# starts BACKUP (notify_backup stops the dhcpd left behind) and
	# takes back after preempt_delay
	wait_gone 10 "$pid"
	vrrpd_start rack1
	wait_gone 30 "$old" && both=$(ms_since "$t2")
	waitc 5 test -s "$T_TMP/old-gone" && read -r gone < "$T_TMP/old-gone"
	rm -f "$T_TMP/old-gone"
	say "vrrpd-kill: rack1's old dhcpd gone ${gone} ms after the kill"
	waitc 40 is_state rack1 MASTER && waitc 30 dhcpd_stopped rack2 &&
	    waitc 10 dhcpd_runs rack1 && back=$(ms_since "$t0") TR=$(now)
	say "vrrpd-kill: rack1 alone serving again after ${back} ms"
	settle vrrpd-kill "$t0"
	fault_row vrrpd-kill "$t0" \
	    "standby_master_ms=$(ev rack2 "$t0" ' MASTER RACK')" \
	    "standby_dhcpd_ms=$m2" "primary_dhcpd_gone_ms=$gone" \
	    "stale_dhcpd_gone_ms=$both" \
	    "primary_alone_ms=$back"
}

fault_sync_kill() {
	[ "$SYNC" = 1 ] || return 0
	mid_renewals
	local t0 pid up1=-1 up2=-1
	waitc 20 far_up
	t0=$(now)
	pid=$(far_pid)
	kill -9 "$pid"
	say "dhcpsync-kill: kill -9 of the far end on rack2 (pid $pid)"
	newcomer
	waitc 20 eval '[ -n "$(far_pid)" ] && [ "$(far_pid)" != '"$pid"' ] && synced' &&
	    up1=$(ms_since "$t0")
	mid_renewals
	local t1; t1=$(now)
	pid=$(sync_pid)
	kill -9 "$pid"
	say "dhcpsync-kill: kill -9 of rack1's dhcpsync (pid $pid), restarted"
	wait_gone 10 "$pid"
	sync_start
	waitc 20 eval '[ -n "$(sync_pid)" ] && synced' && up2=$(ms_since "$t1") TR=$(now)
	say "dhcpsync-kill: synced again after ${up1} ms and ${up2} ms"
	settle dhcpsync-kill "$t0"
	fault_row dhcpsync-kill "$t0" \
	    "peer_down_ms=$(event_ms "$T_TMP/rack1/sync.out" "$t0" 'peer-down')" \
	    "far_resynced_ms=$up1" "near_resynced_ms=$up2"
}

# replica_complete: rack2's file holds, active, every address a node holds
replica_complete() {
	local c a missing=
	awk -f "$T_TOP/tests/dhcpsync/last-state.awk" "$T_TMP/rack2/dhcpd.leases" \
	    > "$T_TMP/replica.txt"
	for c in $(clients); do
		a=$(held "$c")
		[ -n "$a" ] && ! grep -qx "$a active" "$T_TMP/replica.txt" && missing="$missing $a"
	done
	REPLICA_MISSING=$missing
	[ -z "$missing" ]
}

# ---- run -----------------------------------------------------------------

for f in ${RACK_FAULTS:-dhcpd-kill freeze vrrpd-kill dhcpsync-kill}; do
	case $f in
	dhcpd-kill) fault_dhcpd_kill ;;
	freeze) fault_freeze ;;
	vrrpd-kill) fault_vrrpd_kill ;;
	dhcpsync-kill) fault_sync_kill ;;
	none) ;;
	*) target rack-setup MISSED "RACK_FAULTS: no fault $f"; exit 1 ;;
	esac
done

say "rack1: $(state rack1), rack2: $(state rack2); dhcpsync: $(sync_status | grep -E '^(peer|synced|held)=' | tr '\n' ' ')"

kill "$SAMPLER"
python3 "$T_TOP/tests/faults/rack-verdict.py" "$T_TMP" "$LEASE" "$(now)" || RC=1
REPLICA_MISSING=
if [ "$SYNC" = 0 ]; then
	say "no dhcpsync (RACK_SYNC=0): rack2's file not checked"
elif waitc 10 replica_complete; then
	target dhcp-replica ok "rack2's file holds every lease the nodes hold"
else
	target dhcp-replica MISSED "rack2's file lacks$REPLICA_MISSING"
fi
if [ -n "$SETTLE_MISSED" ]; then
	target dhcp-settled MISSED "nodes without an address after:$SETTLE_MISSED"
else
	target dhcp-settled ok "every node renewed across each fault"
fi
exit "$RC"
