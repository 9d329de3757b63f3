# SPDX-License-Identifier: ISC
# Sourced by dhcp-master, dhcp-backup and dhcp-serve: their settings
# (/etc/default/dhcp-ha, or $DHCP_HA_CONF; see dhcp-ha.default) and what
# they share without systemd.
#
# Files, beside DHCPD_PID:
#   dhcp-ha.lock   flock: a state change and a dhcpd start never interleave
#   dhcp-ha.state  "MASTER TOKEN" while a dhcp-master's dhcp-serve may
#                  serve, "BACKUP" once dhcp-backup ran: the later
#                  notify wins even over a dhcp-serve still waiting
#   dhcp-serve.pid the running dhcp-serve (its own session, killed whole)
# shellcheck shell=sh disable=SC2034 # settings: the sourcing scripts use them
DHCPD_UNIT=isc-dhcp-server
LEASES=/var/lib/dhcp/dhcpd.leases
DHCPD_CONF=/etc/dhcp/dhcpd.conf
DHCPD_PID=/run/dhcp-ha/dhcpd.pid
DHCPD_IFACES=
WAIT_PEER=
WAIT_TIMEOUT=20s
WAIT_ANSWER=2s
TIE=parent
conf=${DHCP_HA_CONF:-/etc/default/dhcp-ha}
# shellcheck source=/dev/null
[ -r "$conf" ] && . "$conf"

# Each command forked costs tens of milliseconds on a loaded host, in the
# time nobody serves: builtins where they do.
HA_DIR=${DHCPD_PID%/*}
HA_STATE=$HA_DIR/dhcp-ha.state
HA_SERVE=$HA_DIR/dhcp-serve.pid

ha_say() { echo "${0##*/}: $*" >&2; }

# ha_read FILE: its first line, or nothing
ha_read() { r=; [ -r "$1" ] && read -r r < "$1"; echo "$r"; }

# ha_lock: take the lock on fd 9 (children get 9>&-: a dhcpd holding it
# would block every later notify); ha_unlock: closing it lets it go
ha_lock() {
	[ -d "$HA_DIR" ] || mkdir -p "$HA_DIR" || return 1
	exec 9>> "$HA_DIR/dhcp-ha.lock" && flock 9
}
ha_unlock() { exec 9>&-; }

# under the lock only: a reader never meets a half-written state
ha_state() { ha_read "$HA_STATE"; }
ha_set_state() { echo "$1" > "$HA_STATE"; }

# ha_alive PID: a process, not a zombie
ha_alive() {
	[ -n "$1" ] && [ -r "/proc/$1/stat" ] || return 1
	read -r st < "/proc/$1/stat" 2>/dev/null || return 1
	st=${st##*) }
	[ "${st%% *}" != Z ]
}

# ha_stop_serve: end a dhcp-serve (its wait-synced, its watch on vrrpd)
ha_stop_serve() {
	p=$(ha_read "$HA_SERVE")
	[ -n "$p" ] && kill -TERM "-$p" 2>/dev/null
	[ -e "$HA_SERVE" ] && rm -f "$HA_SERVE"
	return 0
}

# ha_stop_dhcpd: stop the dhcpd of DHCPD_PID; return once it is gone:
# the new master must not meet it on the wire
ha_stop_dhcpd() {
	[ -r "$DHCPD_PID" ] || return 0
	pid=$(ha_read "$DHCPD_PID")
	if [ -z "$pid" ] || ! kill "$pid" 2>/dev/null; then
		rm -f "$DHCPD_PID"
		return 0
	fi
	i=0
	while kill -0 "$pid" 2>/dev/null; do
		i=$((i + 1))
		if [ "$i" -gt 50 ]; then
			kill -9 "$pid" 2>/dev/null
			break
		fi
		sleep 0.1
	done
	rm -f "$DHCPD_PID"
}
