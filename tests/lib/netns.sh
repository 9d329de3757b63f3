# SPDX-License-Identifier: ISC
# Simulated hosts in network namespaces, joined by a bridge.
#
#   ns_switch SW                  a namespace holding bridge br0 ("the LAN")
#   ns_host SW H 10.0.0.1/24 [fd00::1/64]
#                                 namespace H with eth0 plugged into SW's br0
#   ns_run H cmd...               run cmd inside H
#   ns_spawn H PIDVAR cmd...      start cmd in H in the background, in its own
#                                 PID namespace (the host sees only its own
#                                 processes); PIDVAR gets the outer pid
#
# The names given are short labels; the real namespace is "$T_ID-LABEL",
# unique per test run, and NS_<LABEL> holds it.  Every namespace, its
# processes and its links go at exit (cleanup.sh).  Addresses belong to the
# test's own namespaces: nothing here routes anywhere else.

_ns_name() { echo "$T_ID-$1"; }

_ns_destroy() {
	local ns=$1 pid
	for pid in $(ip netns pids "$ns" 2>/dev/null); do
		kill -9 "$pid" 2>/dev/null
	done
	for pid in $(ip netns pids "$ns" 2>/dev/null); do
		wait_gone 5 "$pid"
	done
	ip netns del "$ns" 2>/dev/null
}

_ns_new() {
	local ns; ns=$(_ns_name "$1")
	ip netns add "$ns" || return 1
	cleanup_push "_ns_destroy '$ns'"
	ip -n "$ns" link set lo up
	printf -v "NS_$1" '%s' "$ns"
}

ns_switch() {
	_ns_new "$1" || return 1
	ip -n "$(_ns_name "$1")" link add br0 type bridge || return 1
	# No STP and no forwarding delay: tests want the LAN up at once.
	ip -n "$(_ns_name "$1")" link set br0 type bridge stp_state 0 forward_delay 0
	ip -n "$(_ns_name "$1")" link set br0 up
}

# veth names are per namespace; the outer end is made in the root namespace
# under a unique name, then moved.
_ns_veth_seq=0
ns_host() {
	local sw=$1 h=$2 a4=$3 a6=${4:-} swns hns v
	swns=$(_ns_name "$sw")
	# ip netns list says "Peer netns reference is invalid" for a namespace
	# another test is deleting meanwhile: noise in make demo's output
	[ -n "$(ip netns list 2>/dev/null | grep -w "$(_ns_name "$h")")" ] || _ns_new "$h" || return 1
	hns=$(_ns_name "$h")
	_ns_veth_seq=$((_ns_veth_seq + 1))
	v="v${T_ID#ht}$_ns_veth_seq"
	v=${v:0:12}
	ip link add "${v}a" type veth peer name "${v}b" || return 1
	ip link set "${v}a" netns "$hns"
	ip link set "${v}b" netns "$swns"
	# (ip resolves the peer's namespace by name, and says the same noise)
	local ifn=eth$(( $(ip -n "$hns" -o link show 2>/dev/null | grep -c ' eth') ))
	ip -n "$hns" link set "${v}a" name "$ifn"
	ip -n "$swns" link set "${v}b" master br0 up
	ip -n "$hns" link set "$ifn" up
	ip -n "$hns" addr add "$a4" dev "$ifn"
	if [ -n "$a6" ]; then
		ip -n "$hns" addr add "$a6" dev "$ifn" nodad
	fi
}

ns_run() {
	local h; h=$(_ns_name "$1"); shift
	ip netns exec "$h" "$@"
}

ns_spawn() {
	local h var=$2; h=$(_ns_name "$1"); shift 2
	ip netns exec "$h" unshare --pid --fork --mount-proc --kill-child "$@" &
	printf -v "$var" '%s' "$!"
}

# ns_link H IF up|down: cut or restore a host's cable.
ns_link() { ip -n "$(_ns_name "$1")" link set "$2" "$3"; }

# Hosts that look like machines: processes started later share the host's
# network, PID and mount namespaces, as on a real host.
#
#   host_init H                   H's PID 1, a bash that stays and reaps (a
#                                 daemon that forks, dhcpd, ends up in it,
#                                 and outlives a killed parent); P1_H = its
#                                 pid as seen from here
#   in_host H CMD...              run CMD in H's namespaces
#   host_spawn H PIDVAR CMD...    CMD in H in the background; PIDVAR = its
#                                 pid as seen from here (redirections given
#                                 to host_spawn are CMD's)
#   ns_child PIDVAR PID           PIDVAR = PID's child once it has one
#                                 (within 5 s): the command an unshare
#                                 --fork or nsenter started
NS_KEEPER='while :; do sleep 1000 & wait; done'

ns_child() {
	wait_for 5 _ns_first_child "$1" "$2"
}
# _ns_first_child PIDVAR PID: PIDVAR = PID's first child, if it has one.
# Read from /proc, not with pgrep: vrrpd's and hashproxy's tests start
# hundreds of daemons, and pgrep reads every process's stat to find one.
_ns_first_child() {
	local kids=
	read -r kids _ <"/proc/$2/task/$2/children" 2>/dev/null
	[ -n "$kids" ] && printf -v "$1" '%s' "$kids"
}

host_init() {
	local outer
	ns_spawn "$1" outer bash -c "$NS_KEEPER"
	ns_child "P1_$1" "$outer"
}

in_host() { local v="P1_$1"; shift; nsenter -t "${!v}" -a "$@"; }

host_spawn() {
	local v="P1_$1" var=$2 outer; shift 2
	# <&0: a background command of a shell without job control reads
	# /dev/null unless its stdin is redirected (make faults' vrrpd reads
	# svccheck's lines on it)
	nsenter -t "${!v}" -a "$@" <&0 &
	outer=$!
	disown
	ns_child "$var" "$outer"
}
