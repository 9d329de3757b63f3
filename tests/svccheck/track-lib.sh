# SPDX-License-Identifier: ISC
# The track-*.t files: a keepalived track script line from the corpus
# (tests/vrrpd/corpus) beside the svccheck line that replaces it, over the
# same situations.  Sourced first: it re-runs the test in a PID namespace
# of its own (and a network namespace with TRACK_NETNS=1), so only the
# test's own processes and sockets are seen, then sources tap.sh.
if [ -z "$SVC_IN_PIDNS" ]; then
	[ "$(id -u)" = 0 ] || { printf '1..1\nnot ok 1 - cannot run: needs root\n'; exit 1; }
	SVC_IN_PIDNS=1 exec unshare --pid --fork --mount-proc \
	    ${TRACK_NETNS:+--net} "$0" "$@"
fi
. "$(dirname "$0")/../lib/tap.sh"

B=$T_TMP/bin
mkdir -p "$B"
chmod 755 "$B"
PIDS=()
cleanup_push 'kill -9 "${PIDS[@]}" 2>/dev/null'

prog() {	# prog NAME...: programs of these names (copies of sleep) in $B
	local n
	for n; do cp /bin/sleep "$B/$n"; done
}
start() { startas "${1##*/}" "$@"; }	# start CMD ARGS...
# startas COMM CMD ARGS...: CMD in the background, pid in $P, once its
# process name is COMM (it has exec'd, or renamed itself)
startas() {
	local c=$1; shift
	"$@" >/dev/null 2>&1 &
	P=$!
	PIDS+=("$P")
	wait_for 5 eval '[ "$(cat /proc/$P/comm 2>/dev/null)" = "${c:0:15}" ]'
}
stop() { kill -9 "$@" 2>/dev/null; wait "$@" 2>/dev/null; }
rc() { "$@" >/dev/null 2>&1; echo $?; }
# What keepalived makes of a track script's status: 0 passes, any other
# fails (kill -0 of an empty $(cat ...) is 2, a failed pipeline 1).
verdict() { if "$@" >/dev/null 2>&1; then echo 0; else echo 1; fi; }

# compare SITUATION WANT LINE ORIG [WHY]: the original LINE (run as
# keepalived runs it, through sh -c, as $RUNAS if set) gives ORIG; when ORIG
# is svccheck's WANT it agrees, otherwise WHY is the documented difference
# (man/svccheck.1, MIGRATION); one without a WHY fails.
compare() {
	local sit=$1 want=$2 line=$3 orig=$4 why=$5
	if [ "$orig" = "$want" ]; then
		is "$(verdict $RUNAS sh -c "$line")" "$orig" "$sit: '$line' agrees"
	else
		is "$(verdict $RUNAS sh -c "$line")" "$orig" \
		    "$sit: '$line' says $orig: ${why:-UNDOCUMENTED}"
		ok "$sit: '$line' differs for a documented reason" test -n "$why"
	fi
}
# svc SITUATION WANT ARGS...: svccheck -q ARGS (as $RUNAS) exits WANT
svc() {
	local sit=$1 want=$2; shift 2
	is "$(rc $RUNAS svccheck -q "$@")" "$want" "$sit: svccheck -q $*: $want"
}
