# SPDX-License-Identifier: ISC
# Helpers for the vrrpd tests: hosts on one bridge, vrrpd and keepalived
# in them (each host its own PID namespace), who holds the VIP.
. "$(dirname "${BASH_SOURCE[0]}")/../lib/tap.sh"
. "$T_TOP/tests/lib/netns.sh"

VIP=${VIP:-192.0.2.100}

# topo H...: a LAN with hosts a=192.0.2.1, b=.2, c=.3 ..., client "cl" .50
topo() {
	local i=1 h
	ns_switch sw || bail "cannot make namespaces"
	for h in "$@"; do
		ns_host sw "$h" "192.0.2.$i/24" "2001:db8::$i/64" || bail "host $h"
		i=$((i + 1))
	done
	ns_host sw cl 192.0.2.50/24 2001:db8::50/64 || bail "client"
}

# vr_start H ARGS...: vrrpd on host H; out/err in $T_TMP/H.{out,err},
# control socket $T_TMP/H.sock; VR_<H> = vrrpd's pid (as we see it).
vr_start() {
	local h=$1 outer; shift
	: > "$T_TMP/$h.out"
	ns_spawn "$h" outer vrrpd --control "$T_TMP/$h.sock" "$@" \
	    >>"$T_TMP/$h.out" 2>>"$T_TMP/$h.err"
	ns_child "VR_$h" "$outer" || return 1
	printf -v "OUTER_$h" '%s' "$outer"
	wait_for 5 test -S "$T_TMP/$h.sock"
}

# vr_start_sh H 'shell line': the same, through bash (for named & vrrpd).
vr_start_sh() {
	local h=$1 outer
	: > "$T_TMP/$h.out"
	ns_spawn "$h" outer bash -c "$2" >>"$T_TMP/$h.out" 2>>"$T_TMP/$h.err"
	wait_for 5 pgrep -f -x "vrrpd .*--control $T_TMP/$h.sock.*" || return 1
	printf -v "VR_$h" '%s' "$(pgrep -f -x "vrrpd .*--control $T_TMP/$h.sock.*" | head -1)"
	printf -v "OUTER_$h" '%s' "$outer"
	wait_for 5 test -S "$T_TMP/$h.sock"
}

# ka_start H CONF: real keepalived in H, private pid files, console log.
ka_start() {
	local h=$1 outer
	: > "$T_TMP/$h.out"
	ns_spawn "$h" outer keepalived -n -l -D -P -f "$2" \
	    -p "$T_TMP/$h.kpid" -r "$T_TMP/$h.vpid" -c "$T_TMP/$h.cpid" \
	    >>"$T_TMP/$h.out" 2>&1
	printf -v "KA_$h" '%s' "$outer"
	wait_for 10 grep -q "Startup complete\|Entering BACKUP" "$T_TMP/$h.out"
}

# One keepalived.conf through each daemon in turn (D: vrrpd or keepalived):
#   either_start D H CONF  D on H with CONF (or bail); D_PID = the process
#                          that sends the adverts (vrrpd, keepalived's VRRP
#                          child)
#   either_stop D H        SIGTERM (to keepalived's parent), until it is gone
either_start() {
	local v="KA_$2"
	if [ "$1" = vrrpd ]; then
		vr_start "$2" -f "$3" || bail "vrrpd $2"
		v="VR_$2"
		D_PID=${!v}
	else
		ka_start "$2" "$3" || bail "keepalived $2"
		D_PID=
		_ns_first_child D_PID "${!v}"
	fi
}
either_stop() {
	local v child=
	if [ "$1" = vrrpd ]; then
		v="VR_$2"
		kill -TERM "${!v}"
		wait_gone 10 "${!v}"
	else
		v="KA_$2"
		_ns_first_child child "${!v}"
		kill -TERM "$child"
		wait_gone 15 "${!v}"
	fi
}

ctl() { printf '%s\n' "$2" | socat -t 2 - "UNIX-CONNECT:$T_TMP/$1.sock"; }

# has_vip H [ADDR]: H holds the VIP now.  Polled by most waits: one
# process (ip), not a pipeline and a subshell (a fork costs ~8 ms here).
has_vip() {
	local a v="NS_$1"	# set by ns_host (tests/lib/netns.sh)
	a=$(ip -n "${!v:-$(_ns_name "$1")}" addr show dev eth0 2>/dev/null) || return 1
	[[ $a == *"inet ${2:-$VIP}/"* || $a == *"inet6 ${2:-$VIP}/"* ]]
}
no_vip() { ! has_vip "$@"; }

# holders H...: the hosts holding the VIP, space separated (also in
# HOLDERS, which only reads without a subshell's fork).
holders() { _holders "$@"; echo "$HOLDERS"; }
_holders() {
	local h out=
	for h in "$@"; do has_vip "$h" && out="$out$h "; done
	HOLDERS=${out% }
}

# only H HOSTS...: H is the one and only holder.
only() { local h=$1; shift; _holders "$@"; [ "$HOLDERS" = "$h" ]; }

# vip_only ADDR H HOSTS...: H is the one and only holder of ADDR.
vip_only() { local VIP=$1; shift; only "$@"; }

# ll_ready H...: every host's link-local address finished DAD.
ll_ready() {
	local h
	for h in "$@"; do
		ip -n "$(_ns_name "$h")" -6 addr show dev eth0 scope link |
		    grep -q tentative && return 1
		ip -n "$(_ns_name "$h")" -6 addr show dev eth0 scope link |
		    grep -q fe80 || return 1
	done
	return 0
}

reach() { ns_run cl ping -c1 -W1 "${1:-$VIP}" >/dev/null 2>&1; }

# state H: the instance state from the control socket.
state() { ctl "$1" "show instances" | sed -n 's/.* state=\([A-Z]*\).*/\1/p' | head -1; }
counter() { ctl "$1" "show instances" | sed -n "s/.* $2=\([0-9]*\).*/\1/p" | head -1; }

# ms: a millisecond clock
ms() { echo $(( $(date +%s%N) / 1000000 )); }

# capture H IF FILE TCPDUMP-ARGS...: what tcpdump sees on H's IF (ARGS:
# -e for the MAC addresses, a filter) into FILE, with the kernel's
# timestamps (-tt); ready when it returns; CAP_PID = tcpdump's pid.
capture() {
	local h=$1 i=$2 f=$3; shift 3
	ip netns exec "$(_ns_name "$h")" tcpdump -l -n -tt -i "$i" "$@" \
	    >"$f" 2>"$f.err" &
	CAP_PID=$!
	disown	# no job notice when it is killed
	cleanup_push "kill $CAP_PID"
	wait_for 5 grep -q listening "$f.err"
}
# garp_conf PRIO GLOBAL INSTANCE VIP...: a VRRPv3 keepalived.conf whose
# VI_1 (eth0, vrid 51, adverts every 0.1 s) sends its gratuitous ARPs at
# once and once (vrrp_garp_master_delay 0, _repeat 1); GLOBAL and INSTANCE
# are more lines for global_defs and VI_1, each VIP a virtual_ipaddress.
garp_conf() {
	local prio=$1 global=$2 inst=$3; shift 3
	cat <<EOC
global_defs {
    vrrp_version 3
    vrrp_garp_master_delay 0
    vrrp_garp_master_repeat 1
$global
}
vrrp_instance VI_1 {
    interface eth0
    virtual_router_id 51
    priority $prio
    advert_int 0.1
$inst
    virtual_ipaddress {
$(printf '        %s\n' "$@")
    }
}
EOC
}
# vrrp_capture H FILE: every VRRP advert on H's eth0 into FILE, so a
# take-over is timed on the wire, not by how often a test can poll "ip
# addr" on a loaded machine.
vrrp_capture() { capture "$1" eth0 "$2" 'ip proto 112 or ip6 proto 112'; }
# A master hearing a lower one (rx-lower-garp.t, lower-prio-*.t), with
# the client's ARPs in $T_TMP/cap (garp_watch):
#   craft_from_x INT ARG...  one VRRPv2 advert of vrid 51 for the VIP,
#                            adverts every INT s, from x (192.0.2.1),
#                            craft.py's ARGs (prio=100)
#   garps                    the gratuitous ARPs for the VIP so far
#   garps_over N             more than N of them
#   garps_quiet              none for 1.5 s: a round of them is over
craft_from_x() {
	local int=$1; shift
	ns_run x python3 "$T_TOP/tests/vrrpd/craft.py" eth0 192.0.2.1 \
	    224.0.0.18 version=2 vrid=51 int="$int" vip="$VIP" "$@"
}
garp_watch() { capture cl eth0 "$T_TMP/cap" arp; }
garps() { grep -c "ARP, Request who-has $VIP .*tell $VIP\|ARP, Reply $VIP is-at" \
    "$T_TMP/cap" 2>/dev/null; }
garps_over() { [ "$(garps)" -gt "$1" ]; }
garps_quiet() {
	local n; n=$(garps)
	! wait_for 1.5 garps_over "$n" >/dev/null
}
# advert_ms FILE AFTER SRC REGEX: epoch ms of SRC's first advert after
# AFTER (epoch ms) whose tcpdump line matches REGEX (e.g. "vrid 51, prio 0,")
advert_ms() {
	awk -v after="$2" -v src="$3" -v re="$4" '
	    $1 * 1000 >= after && $3 == src && $0 ~ re {
		printf "%.0f\n", $1 * 1000; exit }' "$1"
}
# wait_advert FILE AFTER SRC REGEX: until such an advert was captured
_has_advert() { [ -n "$(advert_ms "$@")" ]; }
wait_advert() { wait_for 5 _has_advert "$@"; }

# takeover FILE T0 VRID OLD NEW: on the wire, OLD's priority 0 advert for
# VRID after T0 (epoch ms), then NEW's first advert after that one.  Sets
# ZERO_MS (T0 to the priority 0) and TAKE_MS (priority 0 to NEW's advert);
# 999999 for what never came (within 5 s).
takeover() {
	local f=$1 t0=$2 re0="vrid $3, prio 0," re1="vrid $3, prio [1-9]" z n
	ZERO_MS=999999 TAKE_MS=999999
	wait_advert "$f" "$t0" "$4" "$re0" || return 1
	z=$(advert_ms "$f" "$t0" "$4" "$re0")
	ZERO_MS=$((z - t0))
	wait_advert "$f" "$z" "$5" "$re1" || return 1
	n=$(advert_ms "$f" "$z" "$5" "$re1")
	TAKE_MS=$((n - z))
}

# (host_init H and in_host H CMD...: tests/lib/netns.sh)
# named_start H: a process called "named" in H, for "killall -0 named".
named_start() {
	mkdir -p "$T_TMP/$1"
	[ -e "$T_TMP/$1/named" ] || cp /bin/sleep "$T_TMP/$1/named"
	local p1="P1_$1"
	nsenter -t "${!p1}" -a "$T_TMP/$1/named" 100000 &
	disown
	wait_for 5 pgrep -f "$T_TMP/$1/named"
}
named_kill() { pkill -9 -f "$T_TMP/$1/named"; }

# vr_in H ARGS...: vrrpd in H's PID namespace; VR_H = its pid.
vr_in() {
	local h=$1; shift
	host_spawn "$h" "VR_$h" vrrpd --control "$T_TMP/$h.sock" "$@" \
	    </dev/null >>"$T_TMP/$h.out" 2>>"$T_TMP/$h.err" || return 1
	wait_for 5 test -S "$T_TMP/$h.sock"
}

# ka_in H CONF [READY-REGEX]: keepalived in H's PID namespace; KA_H = its
# main pid; ready once its output has READY-REGEX (default: a VRRP state).
ka_in() {
	local h=$1
	host_spawn "$h" "KA_$h" keepalived -n -l -D -P -f "$2" \
	    -p "$T_TMP/$h.kpid" -r "$T_TMP/$h.vpid" -c "$T_TMP/$h.cpid" \
	    </dev/null >>"$T_TMP/$h.out" 2>&1 || return 1
	wait_for 10 grep -q "${3:-Entering BACKUP\|Entering MASTER}" "$T_TMP/$h.out"
}

# daemon_in D H CONF: D (vrrpd or keepalived) in H's PID namespace with
# CONF, as vr_in and ka_in start it (bails if it does not); PID = its
# (main) pid.  For tests that run both daemons in turn with one file.
daemon_in() {
	local p
	if [ "$1" = vrrpd ]; then
		vr_in "$2" -f "$3" || bail "vrrpd $2"
		p=VR_$2
	else
		ka_in "$2" "$3" || bail "keepalived $2"
		p=KA_$2
	fi
	PID=${!p}
}

# ka_crash H: the whole of H's keepalived dies at once (a crash, an OOM
# kill), VRRP child first: killing only the parent lets the child resign
# cleanly.  The parent is stopped first: between two kills it would reap
# its child and start a new one, which removes the VIPs when it finds
# its parent gone.
ka_crash() {
	local p="KA_$1"
	kill -STOP "${!p}"
	local kids
	read -r -a kids <"/proc/${!p}/task/${!p}/children"
	kill -9 "${kids[@]}" "${!p}"
}

# seed_conf PRIO [extra global_defs] > FILE: the seed's block, filled in.
seed_conf() {
	sed -e "s/priority 150/priority $1/" \
	    -e "s/^vrrp_script chk_named {/global_defs {\n$2\n}\nvrrp_script chk_named {/" \
	    "$T_TOP/contrib/vrrpd/keepalived.conf.seed"
}

# Conditions for wait_for, evaluated afresh on every try.
state_is() { [ "$(state "$1")" = "$2" ]; }
counter_is() { [ "$(counter "$1" "$2")" = "$3" ]; }
file_is() { [ "$(cat "$1" 2>/dev/null)" = "$2" ]; }
lines_ge() { [ "$(grep -c -- "$2" "$1")" -ge "$3" ]; }	# FILE REGEX N

# mac H: H's eth0 hardware address; arp_is ADDR MAC: the client's neighbour
# entry for ADDR points at MAC (gratuitous ARP / unsolicited NA arrived).
mac() { ip -n "$(_ns_name "$1")" -br link show dev eth0 | awk '{print $3}'; }
arp_is() { ip -n "$(_ns_name cl)" neigh show "$1" | grep -q "lladdr $2"; }
rx_ge() { [ "$(counter "$1" rx)" -ge "$2" ] 2>/dev/null; }

# Several instances moved by one event: ALL lists their VIPs.
# all_on H: H is the one holder of every VIP in ALL; reach_all: the client
# reaches every one (whoever answers: after kill -9 both hosts may).
all_on() { local v; for v in $ALL; do vip_only $v "$1" a b || return 1; done; }
# A client that missed a gratuitous ARP/NA keeps the old MAC for the
# neighbour reachable time (15s or more): tests wait up to 8s for
# reach_all, which tells that apart on a loaded machine where a ping
# round of three VIPs alone can take 3s.
reach_all() { local v; for v in $ALL; do reach $v || return 1; done; }
# all_held H: H holds every VIP in ALL (the other host may hold them too:
# a dead or unplugged keepalived leaves its addresses)
all_held() { local v; for v in $ALL; do has_vip "$1" $v || return 1; done; }

# fifo_reader: $T_TMP/reader.sh, a notify_fifo_script that appends each
# line of its FIFO to a file ("$T_TMP/reader.sh OUT" in the config: the
# daemon gives the FIFO as the last argument).
fifo_reader() {
	cat > "$T_TMP/reader.sh" <<'EOS'
#!/bin/sh
# notify_fifo_script: OUT FIFO
while read -r line; do
	echo "$line" >> "$1"
done < "$2"
EOS
	chmod 755 "$T_TMP/reader.sh"
}

# smtp_sink H PORT FILE: an SMTP server in H on 127.0.0.1:PORT appending
# every mail to FILE (tests/vrrpd/smtp-sink.py), once it accepts.
smtp_sink() {
	ip netns exec "$(_ns_name "$1")" /usr/bin/python3 \
	    "$T_TOP/tests/vrrpd/smtp-sink.py" 127.0.0.1 "$2" "$3" \
	    2>>"$3.sink.err" &
	wait_for 10 ns_run "$1" bash -c "exec 3<>/dev/tcp/127.0.0.1/$2"
}
