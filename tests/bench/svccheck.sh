#!/bin/bash
# SPDX-License-Identifier: ISC
# make bench: svccheck NAME against killall -0 NAME and pgrep -x NAME with
# 3,000+ idle processes alive, same run, same machine (interleaved runs,
# medians: tests/bench/svccheck-time.c), for a service started before them
# and one started after them; then the latency from kill -9 of a watched
# process to svccheck --watch's "down" line.
. "$(dirname "$0")/../lib/tap.sh" >/dev/null
set -e
NPROC=${SVC_BENCH_PROCS:-3000}
RUNS=${SVC_BENCH_RUNS:-200}
S=$T_TOP/svccheck/svccheck
[ -x "$S" ] || { echo "build svccheck first (make -C svccheck)"; exit 2; }
cc -O2 -o "$T_TMP/idle" "$T_TOP/tests/bench/svccheck-idle.c"
cc -O2 -o "$T_TMP/timer" "$T_TOP/tests/bench/svccheck-time.c"
cc -O2 -o "$T_TMP/watchlat" "$T_TOP/tests/bench/svccheck-watchlat.c"

N=b$T_ID			# a name only this run uses
cp /bin/sleep "$T_TMP/$N"
"$T_TMP/$N" 1000 & SLEEPER=$!
disown "$SLEEPER"
cleanup_push "kill -9 $SLEEPER"
coproc IDLE { exec "$T_TMP/idle" "$NPROC"; }
cleanup_push "kill -TERM $IDLE_PID; wait $IDLE_PID"
read -r _ started <&"${IDLE[0]}"
# and one started after them all: svccheck -q stops at the first process
# that answers, killall -0 reads every one; this is svccheck's worst case
L=c$T_ID
cp /bin/sleep "$T_TMP/$L"
"$T_TMP/$L" 1000 & LAST=$!
disown "$LAST"
cleanup_push "kill -9 $LAST"
procs=(/proc/[0-9]*)
echo "processes alive: ${#procs[@]} ($started idle ones added)"

# every tool must give the same answer before it is timed
for cmd in "$S -q $N" "killall -0 $N" "pgrep -x $N" "$S -q $L" "killall -0 $L"; do
	$cmd >/dev/null || { echo "FAILED: $cmd says $N is not running"; exit 1; }
done

# interleaved runs (svccheck, killall, pgrep, svccheck, ...): load from
# the other users of this machine hits all three alike; medians
"$T_TMP/timer" "$RUNS" "$S -q $N" "killall -0 $N" "pgrep -x $N" \
    "$S -q $L" "killall -0 $L" >"$T_TMP/times"
mapfile -t us < <(cut -d' ' -f1 "$T_TMP/times")
mapfile -t mean < <(cut -d' ' -f2 "$T_TMP/times")
how="$RUNS interleaved runs each; median, mean in ()"
row() {	# LABEL INDEX BASE-INDEX
	printf '%-34s %12s %10s\n' "$1" "${us[$2]} (${mean[$2]})" \
	    "$(awk -v a="${us[$2]}" -v b="${us[$3]}" 'BEGIN{printf "%.2fx", a/b}')"
}
printf '\n%-34s %12s %10s   (%s)\n' "one check, $NPROC+ procs" "time (us)" "vs svccheck" "$how"
echo "a service started before the $NPROC (as one started at boot):"
row "  svccheck -q $N" 0 0
row "  killall -0 $N" 1 0
row "  pgrep -x $N" 2 0
echo "one started after them all (svccheck's worst case: it reads all):"
row "  svccheck -q $L" 3 3
row "  killall -0 $L" 4 3
ratio=$(awk -v a="${us[1]}" -v b="${us[0]}" 'BEGIN{printf "%.2f", a/b}')
worst=$(awk -v a="${us[4]}" -v b="${us[3]}" 'BEGIN{printf "%.2f", a/b}')
echo "target: svccheck >= 2x faster than killall -0: ${ratio}x $(awk -v r="$ratio" 'BEGIN{print (r >= 2 ? "MET" : "NOT MET")}') (worst case ${worst}x)"

echo
kill -9 "$SLEEPER"; wait "$SLEEPER" 2>/dev/null || true	# watchlat starts from "down"
"$T_TMP/watchlat" "$S" "$T_TMP/$N" "${SVC_BENCH_KILLS:-50}"
echo "target: --watch reports a death in < 10 ms (10000 us)"
