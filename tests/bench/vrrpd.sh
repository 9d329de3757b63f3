#!/bin/bash
# vrrpd against keepalived, same topology (two hosts and a client in network
# namespaces on one bridge), same keepalived.conf, median of REPS runs:
#   failover on kill -9 of the master and on SIGTERM (VRRPv2, 1 s adverts),
#   kill -9 with VRRPv3 at 10 ms adverts, a tracked service's death to the
#   VIP on the backup (keepalived: the seed's killall -0 every 2 s; vrrpd:
#   svccheck --watch | --track-fd), and resident memory.
# Times run to the VIP appearing on the backup ("ip -ts monitor address" in
# its namespace), from the event (kill) and from the last VRRP packet the
# backup heard from the master (tcpdump there), where the RFC's timers start:
# the second column is what the targets (within 5 ms of them) are about.
. "$(dirname "$0")/../vrrpd/lib.sh"
needs_root
REPS=${REPS:-5}
topo a b
host_init a && host_init b || bail "hosts"
named_start a && named_start b || bail "named"

conf() {	# prio version advert track(0/1)
	printf 'global_defs {\n    vrrp_version %s\n}\n' "$2"
	[ "$4" = 1 ] && printf 'vrrp_script chk_named {\n    script "/usr/bin/killall -0 named"\n    interval 2\n}\n'
	printf 'vrrp_instance maas_region {\n    state MASTER\n    interface eth0\n'
	printf '    priority %s\n    virtual_router_id 51\n    advert_int %s\n' "$1" "$3"
	[ "$2" = 2 ] && printf '    authentication {\n        auth_type PASS\n        auth_pass s3cret\n    }\n'
	[ "$4" = 1 ] && printf '    track_script {\n        chk_named\n    }\n'
	printf '    virtual_ipaddress {\n        %s\n    }\n}\n' "$VIP"
}

# start IMPL H CONF [extra vrrpd args]: PID_H = the daemon's pid(s)
start() {
	local impl=$1 h=$2 c=$3; shift 3
	: > "$T_TMP/$h.out"; : > "$T_TMP/$h.err"; rm -f "$T_TMP/$h.sock"
	if [ "$impl" = keepalived ]; then
		ka_in "$h" "$c" || return 1
		printf -v "PID_$h" '%s' "$(pgrep -P "$(eval echo \$KA_$h)") $(eval echo \$KA_$h)"
	else
		vr_in "$h" -f "$c" "$@" || return 1
		printf -v "PID_$h" '%s' "$(eval echo \$VR_$h)"
	fi
}
stop_all() {
	local p
	for p in $PID_a $PID_b $(pgrep -f "svccheck --watch -e $T_TMP/"); do
		kill -9 "$p" 2>/dev/null
	done
	for p in $PID_a $PID_b; do wait_gone 5 "$p"; done
	PID_a= PID_b=
	ip -n "$NS_a" addr del "$VIP/32" dev eth0 2>/dev/null
	ip -n "$NS_b" addr del "$VIP/32" dev eth0 2>/dev/null
	named_start a >/dev/null 2>&1
}
converged() {	# IMPL: a master, b backup and hearing it
	wait_for 15 only a a b || return 1
	if [ "$1" = keepalived ]; then
		wait_for 10 grep -q "Entering BACKUP" "$T_TMP/b.out"
	else
		wait_for 10 counter_is_not b rx 0 && state_is b BACKUP
	fi
}
counter_is_not() { [ "$(counter "$1" "$2")" != "$3" ]; }

# measure ACTION: runs ACTION now and prints two times in ms: from the
# action, and from a's last VRRP packet b heard (the RFC timer's start: the
# last advert for kill -9, the priority-0 one otherwise) to the VIP added on b
measure() {
	local mon="$T_TMP/mon.$RANDOM" cap="$T_TMP/cap.$RANDOM" t0 ts
	NAMED_A=$(pgrep -f "$T_TMP/a/named")	# so the action is one builtin
	ip -n "$NS_b" -ts -o monitor address > "$mon" &
	local mp=$!
	ip netns exec "$NS_b" tcpdump -i eth0 -tt -n -l --immediate-mode --time-stamp-precision=micro \
	    "ip proto 112 and src $A_IP" > "$cap" 2>/dev/null &
	local cp=$!
	# a marker address proves the monitor listens before the event, an
	# advert from a that the capture runs
	wait_for 5 marker_seen "$mon" >&2
	wait_for 5 test -s "$cap" >&2
	t0=$EPOCHREALTIME
	eval "$1"
	# blocks on inotify instead of polling: a poll loop forking grep
	# every 10 ms delayed the daemons it measures by ~6 ms on 2 cores
	grep -q -m1 " inet $VIP/" < <(exec timeout 15 tail -f -n +1 "$mon")
	local rc=$?
	kill $! 2>/dev/null
	kill $mp $cp 2>/dev/null; wait $mp $cp 2>/dev/null
	[ "$rc" = 0 ] || { echo NaN/NaN; return; }
	ts=$(grep -m1 " inet $VIP/" "$mon" | sed 's/^\[\([^]]*\)\].*/\1/')
	# b taking the VIP before the action (a missed a master-down
	# interval, 36 ms at 10 ms adverts) is no failover: the run is dropped
	awk -v a="$(date -d "$ts" +%s.%6N)" -v b="$t0" '
		$1 + 0 > 0 && $1 < a { last = $1 }
		END {
			if (a < b) printf "b took the VIP %.1f ms before the action: run dropped\n", (b - a) * 1000 > "/dev/stderr"
			else printf "%.1f/%.1f\n", (a - b) * 1000, (a - last) * 1000 }' "$cap"
}
marker_seen() {
	ip -n "$NS_b" addr add 198.51.100.9/32 dev lo 2>/dev/null
	ip -n "$NS_b" addr del 198.51.100.9/32 dev lo 2>/dev/null
	grep -q 198.51.100.9 "$1"
}
median() { sort -n | awk '{ v[NR] = $1 } END { if (NR == 0) print "NaN"; else if (NR % 2) print v[(NR + 1) / 2]; else printf "%.1f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

# scenario NAME IMPL VERSION ADVERT TRACK ACTION [PRE [a's vrrpd args]]
# PRE is evaluated before a starts, every run.
scenario() {
	local name=$1 impl=$2 ver=$3 adv=$4 track=$5 action=$6 pre=$7 i out=
	shift 6; shift
	conf 150 "$ver" "$adv" "$track" > "$T_TMP/a.$impl.conf"
	conf 100 "$ver" "$adv" "$track" > "$T_TMP/b.$impl.conf"
	for ((i = 0; i < REPS; i++)); do
		start "$impl" b "$T_TMP/b.$impl.conf" || { echo "start failed"; break; }
		eval "$pre"
		start "$impl" a "$T_TMP/a.$impl.conf" "$@" || { echo "start failed"; break; }
		converged "$impl" >&2 || { stop_all; continue; }
		out="$out $(measure "$action")"
		stop_all
	done
	R["$name/$impl"]=$(printf '%s\n' $out | cut -d/ -f1 | median)
	L["$name/$impl"]=$(printf '%s\n' $out | cut -d/ -f2 | median)
	printf '  %-24s %-10s runs (from the action/from the last packet):%s\n' \
	    "$name" "$impl" "$out" >&2
}
declare -A R L
A_IP=$(ip -n "$NS_a" -4 -o addr show dev eth0 | awk '{ sub("/.*", "", $4); print $4; exit }')
k9='kill -9 $PID_a'
term='kill -TERM ${PID_a##* }'

for impl in keepalived vrrpd; do
	scenario "kill -9, v2 1s" $impl 2 1 0 "$k9"
	scenario "SIGTERM, v2 1s" $impl 2 1 0 "$term"
	scenario "kill -9, v3 10ms" $impl 3 0.01 0 "$k9"
done
# a tracked service dies: keepalived polls (seed: every 2 s); vrrpd hears
# svccheck --watch (which needs the initial PID namespace, so it runs out
# here, telling the hosts' named apart by their exe path)
scenario "service death, v2 1s" keepalived 2 1 1 'kill -9 $NAMED_A'
if svccheck -h 2>&1 | grep -q -- --watch; then
	scenario "service death, v2 1s" vrrpd 2 1 0 'kill -9 $NAMED_A' \
	    'exec 9< <(svccheck --watch -e "$T_TMP/a/named" named 2>/dev/null)' \
	    --track-fd 9
	exec 9<&-
fi

# resident memory, seed-like config, both processes of each
rss() { local p s=0; for p in "$@"; do s=$((s + $(awk '/VmRSS/ {print $2}' /proc/$p/status))); done; echo $s; }
conf 150 2 1 1 > "$T_TMP/m.conf"
start keepalived a "$T_TMP/m.conf" && wait_for 10 has_vip a
R[rss/keepalived]=$(rss $PID_a)
stop_all
start vrrpd a "$T_TMP/m.conf" && wait_for 10 has_vip a
R[rss/vrrpd]=$(rss $PID_a $(pgrep -P $PID_a))
stop_all

echo
printf '%-22s %21s %8s  %21s   %s\n' "failover (median of $REPS)" "keepalived    vrrpd" ratio \
    "keepalived    vrrpd" "RFC timer (prio 100)"
printf '%-22s %21s %8s  %21s\n' "" "from the action" "" "from a's last packet"
row() {
	local k=${R["$1/keepalived"]} v=${R["$1/vrrpd"]:-NaN}
	printf '%-22s %7s ms %7s ms %8s  %7s ms %7s ms   %s\n' "$1" "$k" "$v" \
	    "$(awk -v k="$k" -v v="$v" 'BEGIN { if (v > 0) printf "%.2fx", k / v; else print "-" }')" \
	    "${L["$1/keepalived"]}" "${L["$1/vrrpd"]:-NaN}" "$2"
}
row "kill -9, v2 1s" "master down 3609.4 ms"
row "SIGTERM, v2 1s" "skew 609.4 ms"
row "kill -9, v3 10ms" "master down 36.1 ms"
row "service death, v2 1s" "skew 609.4 ms after prio 0"
printf '%-24s %10s kB %9s kB %8s\n' "resident memory" "${R[rss/keepalived]}" "${R[rss/vrrpd]}" \
    "$(awk -v k="${R[rss/keepalived]}" -v v="${R[rss/vrrpd]}" 'BEGIN { printf "%.2f", v / k }')"
