# SPDX-License-Identifier: ISC
# Helpers for the tests of contrib/dhcpsync's notify scripts (ha-*.t):
# two rack hosts on one LAN, each with its own PID namespace (a bash as
# PID 1 that reaps, so that a daemonized dhcpd outlives a vrrpd killed
# with -9, as on a real host), real vrrpd running dhcp-master and
# dhcp-backup as notify commands, real ISC dhcpd, and a dhclient node.
# Sourced after ../lib/tap.sh; brings ../lib/netns.sh and dhcp.sh.
declare -F ns_host >/dev/null || . "$T_TOP/tests/lib/netns.sh"
declare -F dhcp_conf >/dev/null || . "$T_TOP/tests/dhcpsync/dhcp.sh"
#
# HA_SCRIPTS: the directory of the scripts under test (default
# contrib/dhcpsync), to run a test against another tree's.
HA_SCRIPTS=${HA_SCRIPTS:-$T_TOP/contrib/dhcpsync}
HA_VIP=192.0.2.254

# ha_topo: the LAN, rack1 192.0.2.1, rack2 192.0.2.2, node c1 (dhclient)
ha_topo() {
	ns_switch lan || cannot_run "cannot make namespaces"
	ns_host lan rack1 192.0.2.1/24 && ns_host lan rack2 192.0.2.2/24 &&
	    ns_host lan c1 198.51.100.1/24 || cannot_run "cannot make hosts"
	dhcp_conf "$T_TMP/dhcpd.conf"
	dhcp_client_setup c1
	# (host_init, in_host: ../lib/netns.sh)
	host_init rack1 && host_init rack2 || cannot_run "cannot start the hosts"
}

# ha_rack H PRIORITY [DHCP-HA LINES]: H's files under $T_TMP/H: the
# scripts' settings (more lines, e.g. WAIT_PEER=..., override), a
# keepalived.conf whose notifies run them, and wrappers that stamp each
# dhcpd start in H/starts and each wait-synced in H/waits
ha_rack() {
	local h=$1 prio=$2 d=$T_TMP/$1
	mkdir -p "$d/run" "$d/bin"
	: > "$d/dhcpd.leases"
	: > "$d/starts"
	: > "$d/waits"
	cat > "$d/dhcp-ha" <<-CONF
	DHCPD_UNIT=
	LEASES=$d/dhcpd.leases
	DHCPD_CONF=$T_TMP/dhcpd.conf
	DHCPD_PID=$d/run/dhcpd.pid
	DHCPD_IFACES=eth0
	WAIT_PEER=
	WAIT_TIMEOUT=5s
	${3:-}
	CONF
	cat > "$d/bin/dhcpd" <<-SH
	#!/bin/sh
	echo "\$(date +%s.%N) dhcpd" >> $d/starts
	exec /usr/sbin/dhcpd "\$@"
	SH
	cat > "$d/bin/dhcpsync" <<-SH
	#!/bin/sh
	echo "\$(date +%s.%N) start \$*" >> $d/waits
	$T_TOP/dhcpsync/dhcpsync "\$@" 2>> $d/wait.err
	rc=\$?
	echo "\$(date +%s.%N) end \$rc" >> $d/waits
	exit \$rc
	SH
	chmod 755 "$d/bin/dhcpd" "$d/bin/dhcpsync"
	local env="/usr/bin/env DHCP_HA_CONF=$d/dhcp-ha PATH=$d/bin:$PATH"
	cat > "$d/keepalived.conf" <<-CONF
	global_defs {
		vrrp_version 3
		script_user root
	}
	vrrp_script up {
		script "/usr/bin/test -e $d/up"
		interval 1
		timeout 3
		fall 1
		rise 1
	}
	vrrp_instance RACK {
		state BACKUP
		interface eth0
		virtual_router_id 52
		priority $prio
		advert_int 0.2
		virtual_ipaddress {
			$HA_VIP/24
		}
		track_script {
			up
		}
		notify_master "$env $HA_SCRIPTS/dhcp-master"
		notify_backup "$env $HA_SCRIPTS/dhcp-backup"
		notify_fault "$env $HA_SCRIPTS/dhcp-backup"
	}
	CONF
	: > "$d/up"
}

# ha_vrrpd H: vrrpd on H; its stamped event lines in H/vrrpd.out
ha_vrrpd() {
	local h=$1 d=$T_TMP/$1
	rm -f "$d/vrrpd.sock"
	in_host "$h" vrrpd -f "$d/keepalived.conf" --control "$d/vrrpd.sock" \
	    2>> "$d/vrrpd.err" | ha_stamp >> "$d/vrrpd.out" &
	wait_for 5 test -S "$d/vrrpd.sock"
}
# ha_pair: vrrpd on both racks, then a check: rack1 MASTER
ha_pair() {
	ha_vrrpd rack1 && ha_vrrpd rack2 || bail "vrrpd does not start"
	ok "rack1 MASTER" wait_for 20 ha_is rack1 MASTER
}
# ha_freeze H: every process of H stopped (its kernel still takes
# connections), HA_FROZEN their pids; ha_thaw H: they go on
# Stops the host's processes until a listing finds none running: one
# forked between a listing and its kill (a notify script starting dhcpd)
# would serve on from a host called frozen.
ha_freeze() {
	local p new
	HA_FROZEN=
	while :; do
		new=
		for p in $(ip netns pids "$(_ns_name "$1")"); do
			case " $HA_FROZEN " in *" $p "*) ;; *) new="$new $p" ;; esac
		done
		[ -n "$new" ] || break
		# shellcheck disable=SC2086 # a list of pids
		kill -STOP $new 2>/dev/null
		HA_FROZEN="$HA_FROZEN$new"
	done
	cleanup_push "kill -CONT $HA_FROZEN 2>/dev/null"
}
# shellcheck disable=SC2086 # a list of pids
ha_thaw() { kill -CONT $HA_FROZEN 2>/dev/null; }
ha_stamp() { local l; while IFS= read -r l; do printf '%s %s\n' "$EPOCHREALTIME" "$l"; done; }
ha_vrrpd_pid() { pgrep -o -f -x "vrrpd -f $T_TMP/$1/keepalived.conf .*"; }
ha_state() {
	printf 'show instances\n' | socat -t 2 - "UNIX-CONNECT:$T_TMP/$1/vrrpd.sock" 2>/dev/null |
	    sed -n 's/.* state=\([A-Z]*\).*/\1/p' | head -1
}
ha_is() { [ "$(ha_state "$1")" = "$2" ]; }
# ha_since H STATE: epoch of H's last vrrpd event line for STATE
ha_since() { awk -v s="$2" '$2 == s { t = $1 } END { print t }' "$T_TMP/$1/vrrpd.out"; }

# ha_dhcpds H: the pids of H's dhcpd processes (root's view), if any
ha_dhcpds() { pgrep -f "^/usr/sbin/dhcpd .*-lf $T_TMP/$1/dhcpd.leases"; }
# ha_dhcpd H: the pid of H's serving dhcpd (root's view), or nothing.
# dhcpd writes its pid file (H's PID namespace's pid) once its sockets
# are open, seconds after it starts on a loaded host; until then the
# parent that forked it waits, and nothing answers clients yet.
ha_dhcpd() {
	local want p
	want=$(cat "$T_TMP/$1/run/dhcpd.pid" 2>/dev/null) && [ -n "$want" ] || return 0
	for p in $(ha_dhcpds "$1"); do
		if [ "$(awk '$1 == "NSpid:" { print $NF }' "/proc/$p/status" 2>/dev/null)" = "$want" ]; then
			echo "$p"
			return 0
		fi
	done
}
ha_serves() { [ -n "$(ha_dhcpd "$1")" ]; }
# ha_running H: a dhcpd of H runs, serving or still starting
ha_running() { [ -n "$(ha_dhcpds "$1")" ]; }
ha_idle() { ! ha_running "$1"; }
ha_starts() { wc -l < "$T_TMP/$1/starts"; }
# ha_busy H: a notify script of H (or what it started) still runs
ha_busy() {
	local p
	for p in $(ip netns pids "$(_ns_name "$1")"); do
		tr '\0' ' ' < "/proc/$p/cmdline" 2>/dev/null |
		    grep -Eq 'dhcp-(master|backup|serve)|wait-synced' && return 0
	done
	return 1
}
ha_quiet() { ! ha_busy "$1"; }

# ha_listener H PORT ANSWER: the far end of a peer's wait-synced on
# H, started per connection (what sshd with a forced command does);
# ANSWER: the command run (a frozen peer: one that never answers)
ha_listener() {
	in_host "$1" socat "TCP-LISTEN:$2,reuseaddr,fork" "EXEC:$3" \
	    2>> "$T_TMP/$1/listen.err" &
	wait_for 5 eval "in_host $1 ss -Hltn 'sport = :$2' | grep -q ."
}
ha_peer() { echo "exec socat - TCP:$1:$2,connect-timeout=2"; }

# ha_now: epoch with microseconds; ha_ms A [B]: ms from A to B (now)
ha_now() { printf '%s' "$EPOCHREALTIME"; }
ha_ms() { awk -v a="$1" -v b="${2:-$EPOCHREALTIME}" 'BEGIN { printf "%d", (b - a) * 1000 }'; }

# HA_KEEP=DIR: keep the run's files there
[ -n "${HA_KEEP:-}" ] && cleanup_push "rm -rf '$HA_KEEP'; cp -a '$T_TMP' '$HA_KEEP'"
