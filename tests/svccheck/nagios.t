#!/bin/bash
# SPDX-License-Identifier: ISC
# svccheck --nagios as a monitoring plugin, beside check_procs on the same
# processes: -w/-c ranges over the process count in every form of the
# plugin API, the same exit code as check_procs -C NAME -w -c, perfdata
# with the thresholds; -c without --nagios; -t; short options that mean
# what the plugins mean (-w is no longer --watch, -p no longer --pidfile).
. "$(dirname "$0")/../lib/tap.sh"
CHECK_PROCS=/usr/lib/nagios/plugins/check_procs
[ -x "$CHECK_PROCS" ] || cannot_run "no $CHECK_PROCS (monitoring-plugins-basic)"

B=$T_TMP/bin
N=p$T_ID		# a name no other test's process has
mkdir -p "$B"
cp /bin/sleep "$B/$N"
PIDS=()
cleanup_push 'kill -9 "${PIDS[@]}" 2>/dev/null'
count() { "$CHECK_PROCS" -C "$N" 2>/dev/null | sed -nE 's/^PROCS OK: ([0-9]+) process.*/\1/p'; }
start() {	# one more process named $N, seen by check_procs
	local want=$(( ${#PIDS[@]} + 1 ))
	"$B/$N" 1000 >/dev/null 2>&1 &
	PIDS+=($!)
	wait_for 10 eval '[ "$(count)" = "$want" ]' || diag "check_procs does not see $want"
}
rc() { local r=0; timeout 20 "$@" >/dev/null 2>&1 </dev/null || r=$?; echo "$r"; }

# (warning, critical) pairs: each form, and both sides of each bound
RANGES=(
	"1:1 1:"  "2 3"  "~:1 ~:2"  "2:3 1:"  "@2:2 @3:3"  "@0:0 1:2"
	"1: 3:"  "0 0:"  "1:2 @0:0"  "2: ~:"  "@1:3 @1:1"  "0.5:1.5 @2.5:9"
)
for n in 0 1 2 3; do
	while [ "${#PIDS[@]}" -lt "$n" ]; do start; done
	for pair in "${RANGES[@]}"; do
		set -- $pair
		want=$(rc "$CHECK_PROCS" -C "$N" -w "$1" -c "$2")
		is "$(rc svccheck --nagios -w "$1" -c "$2" "$N")" "$want" \
		    "$n processes, -w $1 -c $2: as check_procs"
	done
done

# 3 processes now: the line, the perfdata thresholds
out=$(timeout 20 svccheck --nagios -w 1:2 -c 1:5 "$N")
like "$out" "^SVCCHECK WARNING - $N: 3 processes \(pid [0-9]+\) \| '$N'=3;1:2;1:5;0$" \
    "WARNING line, perfdata with -w and -c as given"
out=$(timeout 20 svccheck --nagios --warning=@3:3 --critical=~:2 "$N")
like "$out" "^SVCCHECK CRITICAL - .* \| '$N'=3;@3:3;~:2;0$" "long forms, @ and ~ in perfdata"
is "$(timeout 20 svccheck --nagios "$N" | sed 's/.*|//')" " '$N'=3;;1:;0" "no -c: critical below 1, as before"

# -c outside --nagios: what "holds" means for the exit status
is "$(rc svccheck -q -c 4: "$N")" 1 "-c 4: with 3 processes: exit 1"
is "$(rc svccheck -q --critical 1:3 "$N")" 0 "-c 1:3: exit 0"
is "$(timeout 20 svccheck -c 4: "$N")" "down $N" "and the line says down"
is "$(rc svccheck -w 1 "$N")" 2 "-w without --nagios: a usage error (exit 2)"
is "$(rc svccheck --nagios -c 3:1 "$N")" 3 "--nagios -c 3:1 (start past end): UNKNOWN"
is "$(rc svccheck --nagios -w x "$N")" 3 "--nagios -w x: UNKNOWN"
is "$(rc svccheck --watch -c 1: "$N")" 2 "--watch with -c: a usage error"

# -t: a --pidfile that never opens (a FIFO with no writer, as a dead NFS
# mount would hang): the deadline answers
mkfifo "$T_TMP/fifo"
t0=$EPOCHREALTIME
rc=0; out=$(timeout 20 svccheck --nagios -t 1 --pidfile "$T_TMP/fifo" "$N") || rc=$?
ms=$(( (${EPOCHREALTIME/./} - ${t0/./}) / 1000 ))
is "$rc" 3 "-t 1 on a hanging pidfile: UNKNOWN (exit 3)"
is "$out" "SVCCHECK UNKNOWN - timed out after 1s (-t)" "the UNKNOWN line"
ok "after about 1 s (${ms} ms)" test "$ms" -ge 900 -a "$ms" -lt 10000
is "$(rc timeout 20 svccheck --nagios -t 500ms:critical --pidfile "$T_TMP/fifo" "$N")" 2 \
    "-t 500ms:critical: CRITICAL, as check_procs' own timeout is"
is "$(rc timeout 20 svccheck -q -t 500ms --pidfile "$T_TMP/fifo" "$N")" 2 \
    "-t without --nagios: could not tell (exit 2)"
is "$(rc "$CHECK_PROCS" -t 5 -C "$N" -c 1:)" 0 "check_procs takes -t the same way"
is "$(rc svccheck --nagios -t 5 -c 1: "$N")" 0 "and svccheck too, when it is not reached"

# the short options that clashed with the plugins' now mean theirs
is "$(rc svccheck -p "$T_TMP/x.pid" "$N")" 2 "-p is not --pidfile any more (usage error)"
echo "${PIDS[0]}" >"$T_TMP/x.pid"
is "$(svccheck --pidfile "$T_TMP/x.pid" "$N")" "up $N pid=${PIDS[0]}" "--pidfile by its long name"

done_testing
