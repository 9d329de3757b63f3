# make faults: the faults, each a function fault_NAME that breaks
# something, records when (record NAME t0=... tr=... allow0=... allowr=...)
# and restores it.  run.sh waits for settled between two, then
# record_end.  Times are epoch ms; allow0/allowr: how long after the
# fault (t0) and after the restore (tr) requests may fail, from the
# timers (the report adds the client's own slack).
#
# The seed's timers: advert_int 1 s, api2's priority 100, so api2's skew
# time is (256-100)/256 s = 609 ms and its master-down interval 3609 ms.

ADV=1000
SKEW2=609
MDI2=$((3 * ADV + SKEW2))
ALL_FAULTS=(vrrpd_kill9 named_kill)

record() {
	local n=$1; shift
	{ printf 'fault %s' "$n"; printf ' %q' "$@"; echo; } >>"$T_TMP/faults"
}
record_end() { printf 'end %s\n' "$(now_ms)" >>"$T_TMP/faults"; }

# hashproxy on api1 sees every server up
hp_all_up() {
	local s
	s=$(echo "show stat" | socat -t 2 - "UNIX-CONNECT:$T_TMP/api1.hp.sock" 2>/dev/null) || return 1
	s=$(printf '%s\n' "$s" | grep -E '^maas,(localhost|maas-api-[12]),')
	[ "$(printf '%s\n' "$s" | grep -c ',UP,')" = 3 ]
}
# the clients' last answers (done in the last 1.5 s) are all 200, and
# every client had one
recent_ok() {
	tail -n $((NCLIENTS * 12)) "$T_TMP/requests" 2>/dev/null |
	    awk -v since=$(( $(now_ms) - 1500 )) -v need="$NCLIENTS" '
		$2 >= since { n++; if ($5 != "200") bad++ }
		END { exit !(n >= need && !bad) }'
}
settled() { only api1 && hp_all_up && recent_ok; }

# wait_until MS: the fault's own schedule (how long it lasts), not a settle
wait_until() {
	local d=$(( $1 - $(now_ms) ))
	[ "$d" -gt 0 ] && read -r -t "$(printf '%d.%03d' $((d / 1000)) $((d % 1000)))" \
	    -u "${_WAIT_FD:-0}" _ 2>/dev/null
	return 0
}

# --- the faults ------------------------------------------------------------

# kill -9 of the master's vrrpd: its VIP stays on eth0 (nobody removes
# it); api2 takes over after its master-down interval.
fault_vrrpd_kill9() {
	local t0 tr
	t0=$(now_ms)
	kill -9 "$VR_api1"
	wait_for 15 has_vip api2 || FAULT_ERR="api2 did not take the VIP"
	kill "${SV_PID[api1]}" 2>/dev/null
	tr=$(now_ms)
	vr_start api1 || FAULT_ERR="vrrpd did not restart"
	record vrrpd_kill9 t0=$t0 tr=$tr allow0=$MDI2 allowr=$ADV \
	    what="kill -9 of api1's vrrpd; restarted once api2 holds the VIP"
}

# named killed on the master: svccheck --watch tells vrrpd at once; api1
# goes FAULT, sends priority 0, api2 takes over after its skew time.
fault_named_kill() {
	local t0 tr
	t0=$(now_ms)
	kill -9 "$NAMED_api1"
	wait_for 15 has_vip api2 || FAULT_ERR="api2 did not take the VIP"
	wait_for 15 only api2 || FAULT_ERR="api1 kept the VIP"
	tr=$(now_ms)
	named_start api1 || FAULT_ERR="named did not restart"
	record named_kill t0=$t0 tr=$tr allow0=$((SKEW2 + 10)) allowr=$ADV \
	    what="kill -9 of api1's named (svccheck --watch | vrrpd --track-fd 0); restarted once api2 holds the VIP"
}

pg_primary_now() {
	local d
	for d in db1 db2; do
		[ "$(psql_on $d 'select pg_is_in_recovery()' 2>/dev/null)" = f ] && { echo $d; return; }
	done
}

# marked_alive: a process of this run (carrying its mark) other than
# this shell is alive; MARKED names them
marked_alive() {
	local f pid
	MARKED=
	for f in /proc/[0-9]*/environ; do
		pid=${f#/proc/}; pid=${pid%/environ}
		[ "$pid" = $$ ] && continue
		grep -qsxz -- "T_MARK=$T_MARK" "$f" &&
		    [ -e "/proc/$pid" ] && [ "$(ps -o ppid= "$pid" | tr -d ' ')" != $$ ] &&
		    MARKED="$MARKED $pid($(cat "/proc/$pid/comm" 2>/dev/null))"
	done
	[ -n "$MARKED" ]
}

# leftovers_check: clean up now, then look for what is left of this run:
# a namespace, a process carrying its mark, its files, a PostgreSQL
# of its data directories.
leftovers_check() {
	local left=
	cleanup_run
	ip netns list | grep -q "^$T_ID-" && left="$left namespaces"
	marked_alive && left="$left processes:$MARKED"
	pgrep -f -- "$T_TMP/pg/" >/dev/null && left="$left postgres"
	[ -e "$T_TMP" ] && left="$left files"
	if [ -n "$left" ]; then
		printf 'target\tleftovers\tMISSED\tleft behind:%s\n' "$left" | tee -a "$OUT/report.txt"
		return 1
	fi
	printf 'target\tleftovers\tok\tno namespace, process or file left\n' | tee -a "$OUT/report.txt"
}
