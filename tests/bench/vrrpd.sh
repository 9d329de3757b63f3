#!/bin/bash
# SPDX-License-Identifier: ISC
# vrrpd against keepalived, same topology (two hosts and a client in network
# namespaces on one bridge), same keepalived.conf, median of REPS runs:
#   failover on kill -9 of the master and on SIGTERM (VRRPv2, 1 s adverts),
#   kill -9 with VRRPv3 at 10 ms adverts, a tracked service's death to the
#   VIP on the backup (keepalived: the seed's killall -0 every 2 s, polling;
#   vrrpd: svccheck --watch | --track-fd, events), and resident memory.
# The two daemons' runs are interleaved; a failed run is counted and its
# reason printed (the "good runs" column), not dropped from sight.
# Times run to the VIP appearing on the backup ("ip -ts monitor address" in
# its namespace), from the event (kill) and from the last VRRP packet the
# backup heard from the master (tcpdump there), where the RFC's timers start:
# the second column is what the targets (within 5 ms of them) are about.
# ONLY=NAME runs that one scenario (e.g. ONLY="kill -9, v3 10ms") and no
# memory figures.  A failed run's daemon output is kept in KEEP (default:
# a new directory under /tmp, printed) and its last lines are in the reason.
. "$(dirname "$0")/../vrrpd/lib.sh"
needs_root
REPS=${REPS:-5}
ONLY=${ONLY:-}
KEEP=${KEEP:-}
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
# converged IMPL: a master, b backup and hearing it; else WHY says what
# was not.  b's state is waited for as keepalived's "Entering BACKUP" is
# (it was read once: a moment's MASTER failed the run, which keepalived's
# check cannot see; measure() still drops a run where b holds the VIP).
converged() {
	WHY=
	wait_for 15 only a a b || { WHY="VIP on: $(holders a b)"; return 1; }
	if [ "$1" = keepalived ]; then
		wait_for 10 grep -q "Entering BACKUP" "$T_TMP/b.out" ||
		    { WHY="b never BACKUP"; return 1; }
	else
		wait_for 10 b_hears_a ||
		    { WHY="b $(state b), rx=$(counter b rx)"; return 1; }
	fi
}
b_hears_a() { [ "$(counter b rx)" != 0 ] && state_is b BACKUP; }

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

# run_one NAME IMPL VERSION ADVERT TRACK ACTION [PRE [a's vrrpd args]]:
# one measured failover; its "from-action/from-packet" times go to
# OUT[NAME/IMPL], or a failure and its reason to FAILS[NAME/IMPL]: a
# failed run is reported, never silently left out of the median.
# PRE is evaluated before a starts.
run_one() {
	local name=$1 impl=$2 ver=$3 adv=$4 track=$5 action=$6 pre=${7:-} m
	shift 6; shift
	conf 150 "$ver" "$adv" "$track" > "$T_TMP/a.$impl.conf"
	conf 100 "$ver" "$adv" "$track" > "$T_TMP/b.$impl.conf"
	NRUN["$name/$impl"]=$(( ${NRUN["$name/$impl"]:-0} + 1 ))
	fail() { keep_logs "$impl"; FAILS["$name/$impl"]="${FAILS["$name/$impl"]:-}${FAILS["$name/$impl"]:+, }$1$KEPT"; stop_all; }
	start "$impl" b "$T_TMP/b.$impl.conf" || { fail "b did not start"; return; }
	eval "$pre"
	start "$impl" a "$T_TMP/a.$impl.conf" "$@" || { fail "a did not start"; return; }
	converged "$impl" >&2 || { fail "no convergence: $WHY"; return; }
	m=$(measure "$action")
	case $m in
	'') fail "b took the VIP early" ;;
	NaN/NaN) fail "VIP never moved" ;;
	*) OUT["$name/$impl"]="${OUT["$name/$impl"]:-} $m"; stop_all ;;
	esac
}
# keep_logs IMPL: copies a failed run's output of both daemons to KEEP;
# KEPT = where, with each one's last lines (state changes are in
# keepalived's output and vrrpd's stdout, vrrpd's warnings on its stderr)
keep_logs() {
	local d f
	[ -n "$KEEP" ] || KEEP=$(mktemp -d /tmp/vrrpd-bench.XXXXXX)
	d=$KEEP/$((++NKEPT))-$1
	mkdir -p "$d" && cp "$T_TMP"/[ab].out "$T_TMP"/[ab].err "$d"/ 2>/dev/null
	KEPT=" (in $d:"
	for f in a.out a.err b.out b.err; do
		[ -s "$d/$f" ] && KEPT+=" $f: $(grep -v 'gratuitous ARP' "$d/$f" | tail -n 3 | tr '\n' '|');"
	done
	KEPT+=")"
}
# scenario NAME KA-ARGS -- VRRPD-ARGS: REPS runs of each implementation
# interleaved (keepalived, vrrpd, then vrrpd, keepalived, ...) so that a
# busy moment on the shared machine falls on both alike.  Each ARGS is
# run_one's from VERSION on.
scenario() {
	local name=$1 i; shift
	local -a ka=() vr=()
	[ -z "$ONLY" ] || [ "$ONLY" = "$name" ] || return 0
	while [ "$1" != -- ]; do ka+=("$1"); shift; done
	shift; vr=("$@")
	for ((i = 0; i < REPS; i++)); do
		if ((i % 2 == 0)); then
			run_one "$name" keepalived "${ka[@]}"
			[ ${#vr[@]} -gt 0 ] && run_one "$name" vrrpd "${vr[@]}"
		else
			[ ${#vr[@]} -gt 0 ] && run_one "$name" vrrpd "${vr[@]}"
			run_one "$name" keepalived "${ka[@]}"
		fi
	done
	for impl in keepalived vrrpd; do
		local out=${OUT["$name/$impl"]:-}
		R["$name/$impl"]=$(printf '%s\n' $out | cut -d/ -f1 | median)
		L["$name/$impl"]=$(printf '%s\n' $out | cut -d/ -f2 | median)
		printf '  %-24s %-10s runs (from the action/from the last packet):%s%s\n' \
		    "$name" "$impl" "$out" "${FAILS["$name/$impl"]:+; failed: ${FAILS["$name/$impl"]}}" >&2
	done
}
declare -A R L OUT FAILS NRUN
NKEPT=0
A_IP=$(ip -n "$NS_a" -4 -o addr show dev eth0 | awk '{ sub("/.*", "", $4); print $4; exit }')
k9='kill -9 $PID_a'
term='kill -TERM ${PID_a##* }'

scenario "kill -9, v2 1s" 2 1 0 "$k9" -- 2 1 0 "$k9"
scenario "SIGTERM, v2 1s" 2 1 0 "$term" -- 2 1 0 "$term"
scenario "kill -9, v3 10ms" 3 0.01 0 "$k9" -- 3 0.01 0 "$k9"
# a tracked service dies: keepalived polls (seed: killall -0 every 2 s);
# vrrpd hears svccheck --watch events (which needs the initial PID
# namespace, so it runs out here, telling the hosts' named apart by their
# exe path)
SD="service death"
if svccheck -h 2>&1 | grep -q -- --watch; then
	scenario "$SD" 2 1 1 'kill -9 $NAMED_A' -- 2 1 0 'kill -9 $NAMED_A' \
	    'exec 9< <(svccheck --watch -e "$T_TMP/a/named" named 2>/dev/null)' \
	    --track-fd 9
	exec 9<&-
else
	scenario "$SD" 2 1 1 'kill -9 $NAMED_A' --
fi

# okruns NAME IMPL: "good/all" runs, for the table
okruns() {
	local n=${NRUN["$1/$2"]:-0} out=${OUT["$1/$2"]:-}
	set -- $out
	echo "$#/$n"
}
if [ -n "$ONLY" ]; then
	printf '%s %s: good runs %s, keepalived %s\n' "$ONLY" vrrpd \
	    "$(okruns "$ONLY" vrrpd)" "$(okruns "$ONLY" keepalived)"
	exit 0
fi
# resident memory, seed-like config, both processes of each
# RSS counts a page shared by the two processes (fork, copy on write) twice;
# PSS splits it between them, so the sum is the memory the daemon really uses.
rss() { local p s=0; for p in "$@"; do s=$((s + $(awk '/VmRSS/ {print $2}' /proc/$p/status))); done; echo $s; }
pss() { local p s=0; for p in "$@"; do s=$((s + $(awk '/^Pss:/ {print $2}' /proc/$p/smaps_rollup))); done; echo $s; }
conf 150 2 1 1 > "$T_TMP/m.conf"
start keepalived a "$T_TMP/m.conf" && wait_for 10 has_vip a
R[rss/keepalived]=$(rss $PID_a)
R[pss/keepalived]=$(pss $PID_a)
stop_all
start vrrpd a "$T_TMP/m.conf" && wait_for 10 has_vip a
R[rss/vrrpd]=$(rss $PID_a $(pgrep -P $PID_a))
R[pss/vrrpd]=$(pss $PID_a $(pgrep -P $PID_a))
stop_all

echo
printf '%-22s %21s %8s  %21s  %11s  %s\n' "failover (median)" "keepalived    vrrpd" ratio \
    "keepalived    vrrpd" "good runs" "RFC timer (prio 100)"
printf '%-22s %21s %8s  %21s  %11s\n' "" "from the action" "" "from a's last packet" "ka    vrrpd"
row() {
	local k=${R["$1/keepalived"]} v=${R["$1/vrrpd"]:-NaN}
	printf '%-22s %7s ms %7s ms %8s  %7s ms %7s ms  %5s %5s  %s\n' "${3:-$1}" "$k" "$v" \
	    "$(awk -v k="$k" -v v="$v" 'BEGIN { if (v > 0) printf "%.2fx", k / v; else print "-" }')" \
	    "${L["$1/keepalived"]}" "${L["$1/vrrpd"]:-NaN}" \
	    "$(okruns "$1" keepalived)" "$(okruns "$1" vrrpd)" "$2"
}
row "kill -9, v2 1s" "master down 3609.4 ms"
row "SIGTERM, v2 1s" "skew 609.4 ms"
row "kill -9, v3 10ms" "master down 36.1 ms"
row "$SD" "skew 609.4 ms after prio 0" "service death, v2 1s"
printf '%s\n' "  (service death: keepalived POLLS killall -0 every 2 s; vrrpd gets svccheck --watch EVENTS)"
for m in rss pss; do
	printf '%-24s %10s kB %9s kB %8s\n' "memory ($m, both processes)" "${R[$m/keepalived]}" "${R[$m/vrrpd]}" \
	    "$(awk -v k="${R[$m/keepalived]}" -v v="${R[$m/vrrpd]}" 'BEGIN { printf "%.2f", v / k }')"
done
