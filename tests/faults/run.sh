#!/bin/bash
# SPDX-License-Identifier: ISC
# make faults: the seed's topology under steady load while things break
# (issue #15).  Builds the API half (topo.sh), runs the faults of
# faults.sh one after the other, each once the system has settled, then
# the rack half (rack.sh, when there is one); report.py prints the table,
# writes the SVG timeline and checks the targets.
#
#   tests/faults/run.sh [-o DIR] [FAULT...]
#
# DIR (default build/faults) gets report.txt, timeline.svg and the raw
# logs.  FAULTS_RACK=0 leaves the rack half out (a run of some faults
# while working on them).  Exit 0 when every target is met, 1 when one is missed, 2 when the
# run itself could not be made.
. "$(dirname "$0")/../lib/tap.sh"
. "$T_TOP/tests/lib/netns.sh"
. "$T_TOP/tests/faults/topo.sh"
. "$T_TOP/tests/faults/faults.sh"

OUT=$T_TOP/build/faults
if [ "$1" = -o ]; then OUT=$2; shift 2; fi
[ "$(id -u)" = 0 ] || { echo "# make faults needs root"; exit 2; }
for p in vrrpd hashproxy svccheck pgwatch python3 nft nsenter socat; do
	command -v "$p" >/dev/null || { echo "# missing: $p"; exit 2; }
done
[ -n "$PG_BIN" ] || { echo "# no PostgreSQL server"; exit 2; }
mkdir -p "$OUT" || exit 2
FAULTS=("$@")
[ ${#FAULTS[@]} -gt 0 ] || FAULTS=("${ALL_FAULTS[@]}")
die() { say "FAILED: $*"; collect; exit 2; }
collect() { cp -r "$EV" "$T_TMP/requests" "$T_TMP/arp" "$T_TMP/faults" "$T_TMP"/lost.* "$T_TMP"/failed-written.* "$OUT/" 2>/dev/null; }

T_START=$(now_ms)
say "building the topology"
build_topology || die "topology"
wait_for 20 only api1 || die "api1 did not become the one master ($(holder))"
load_start
wait_for 30 settled || die "the system did not settle: $(holder), $(tail -3 "$T_TMP/requests")"
record setup t0="$T_START" tr="$(now_ms)" tend="$(now_ms)"
say "settled after $(( $(now_ms) - T_START )) ms: $NCLIENTS clients, one request each every $PERIOD_MS ms"

for f in "${FAULTS[@]}"; do
	say "fault: $f"
	# a fault whose own steps failed (api2 never took the VIP, the
	# promotion failed...) measured nothing: the report counts it missed
	FAULT_ERR=
	"fault_$f" || FAULT_ERR=${FAULT_ERR:-"fault_$f failed"}
	if [ -n "$FAULT_ERR" ]; then
		say "fault $f: $FAULT_ERR"
		printf 'error %s %q\n' "$f" "$FAULT_ERR" >>"$T_TMP/faults"
	fi
	wait_for 60 settled || die "not settled after $f: holder $(holder)"
	record_end
done
load_stop
collect
# (after pg_sync_failover and host_freeze, at load 37, the primary did not
# answer the first time)
wait_for 15 eval '[ -n "$(pg_primary_now)" ]'
sync_commit=$(psql_on "$(pg_primary_now)" "show synchronous_commit")
printf 'pg synchronous_commit=%s\n' "$sync_commit" >>"$T_TMP/faults"

# the rack half, in its own namespaces, when it is there
rack_rows=$T_TMP/rack.rows
: >"$rack_rows"
if [ -f "$T_TOP/tests/faults/rack.sh" ] && [ "${FAULTS_RACK:-1}" != 0 ]; then
	say "the rack half: tests/faults/rack.sh"
	bash "$T_TOP/tests/faults/rack.sh" >"$rack_rows" 2>"$OUT/rack.err"
	echo "rack-exit $?" >>"$T_TMP/faults"
fi
cp "$T_TMP/faults" "$OUT/faults"

python3 "$T_TOP/tests/faults/report.py" --dir "$OUT" --rows "$rack_rows" \
    --svg "$OUT/timeline.svg" | tee "$OUT/report.txt"
rc=${PIPESTATUS[0]}
leftovers_check || rc=1
exit "$rc"
