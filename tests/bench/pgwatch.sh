#!/bin/bash
# SPDX-License-Identifier: ISC
# pgwatch against its peers on a real primary + standby, same run:
# one call checking role and lag of both hosts vs check_postgres
# --action=hot_standby_delay, pg_isready (both hosts), two psql calls (the
# Debian wrapper /usr/bin/psql and the real binary, each measured), and a
# bare libpq floor (tests/bench/pgwatch-floor.c) connecting to both at once.
# Then the latency from the primary's death to the "down" line (DEATHS
# samples, the primary restarted between them), and RSS.
# Like with like: the two-call peers need a shell ("sh -c 'a && b'"), so
# they are compared with pgwatch run through the same sh -c; the peers
# that need none (check_postgres, floor) with pgwatch run directly.
. "$(dirname "$0")/../lib/tap.sh"
[ "$(id -u)" = 0 ] || { echo "needs root (PostgreSQL as postgres)"; exit 0; }
. "$T_TOP/tests/lib/pg.sh"
pg_pair_start || { echo "could not start PostgreSQL"; exit 1; }
command -v hyperfine >/dev/null || { echo "hyperfine missing"; exit 1; }

P="host=127.0.0.1 port=$PG_PRIMARY_PORT user=postgres dbname=postgres"
S="host=127.0.0.1 port=$PG_STANDBY_PORT user=postgres dbname=postgres"
cc -O2 -I"$(pg_config --includedir)" -o "$T_TMP/floor" \
    "$T_TOP/tests/bench/pgwatch-floor.c" -lpq || exit 1
PSQL_BIN="$PG_BIN/psql"
q='select pg_is_in_recovery()'

hyperfine -N --warmup 5 --runs "${RUNS:-60}" --export-json "$T_TMP/h.json" \
    -n pgwatch "pgwatch -q --max-lag 16MB '$P' '$S'" \
    -n pgwatch_sh "sh -c \"pgwatch -q --max-lag 16MB '$P' '$S'\"" \
    -n floor "$T_TMP/floor '$P' '$S'" \
    -n check_postgres "check_postgres --dbhost=127.0.0.1,127.0.0.1 --dbuser=postgres --dbport=$PG_PRIMARY_PORT,$PG_STANDBY_PORT --action=hot_standby_delay --critical=16777216" \
    -n pg_isready_x2 "sh -c 'pg_isready -q -h 127.0.0.1 -p $PG_PRIMARY_PORT && pg_isready -q -h 127.0.0.1 -p $PG_STANDBY_PORT'" \
    -n psql_wrapper_x2 "sh -c '/usr/bin/psql -XAtq \"$P\" -c \"$q\" && /usr/bin/psql -XAtq \"$S\" -c \"$q\"'" \
    -n psql_binary_x2 "sh -c '$PSQL_BIN -XAtq \"$P\" -c \"$q\" && $PSQL_BIN -XAtq \"$S\" -c \"$q\"'" \
    >/dev/null 2>&1 || { echo "hyperfine failed"; exit 1; }

python3 - "$T_TMP/h.json" <<'PY'
import json, sys
r = {x["command"]: x for x in json.load(open(sys.argv[1]))["results"]}
ms = lambda n: r[n]["mean"] * 1000
print("%-18s %9s %9s %9s" % ("command", "mean ms", "min ms", "stddev"))
for n in r:
    print("%-18s %9.2f %9.2f %9.2f" % (n, ms(n), r[n]["min"] * 1000,
          r[n]["stddev"] * 1000))
mn = lambda n: r[n]["min"] * 1000
print()
print("ratios (mean; min, steadier on a shared machine):")
for label, a, b, note in (
        ("check_postgres / pgwatch ", "check_postgres", "pgwatch", "target >= 20x"),
        ("pgwatch / floor          ", "pgwatch", "floor", "target <= 1.3x"),
        ("psql wrapper x2 / pgwatch", "psql_wrapper_x2", "pgwatch_sh", "both under sh -c; /usr/bin/psql: Debian pg_wrapper (perl) + psql"),
        ("psql binary x2 / pgwatch ", "psql_binary_x2", "pgwatch_sh", "both under sh -c; the real psql binary, twice"),
        ("pg_isready x2 / pgwatch  ", "pg_isready_x2", "pgwatch_sh", "both under sh -c; /usr/bin/pg_isready is the wrapper too; no role, no lag")):
    print("%s = %6.2fx ; %6.2fx  (%s)" % (label, ms(a) / ms(b), mn(a) / mn(b), note))
PY

# Latency: the primary dies (immediate shutdown: SIGQUIT to the
# postmaster) -> the "down" line from pgwatch --watch.
mkfifo "$T_TMP/lines"
pgwatch --watch --interval 1s "$P" "$S" >"$T_TMP/lines" &
wp=$!
cleanup_push "kill $wp"
exec 4<"$T_TMP/lines"
read -r -t 10 _ <&4 && read -r -t 10 _ <&4
sleep 2		# a few rounds, so RSS is the steady state
rss=$(awk '/^VmRSS/ { print $2 }' "/proc/$wp/status")
hwm=$(awk '/^VmHWM/ { print $2 }' "/proc/$wp/status")
# primary_line WORD: reads pgwatch's lines until WORD for the primary
primary_line() {
	local line
	while read -r -t 30 line <&4; do
		case $line in "$1 127.0.0.1:$PG_PRIMARY_PORT "*) return 0 ;; esac
	done
	return 1
}
DEATHS=${DEATHS:-5}
samples= failed=0
for ((i = 0; i < DEATHS; i++)); do
	pm=$(head -1 "$PG_PRIMARY/postmaster.pid")
	t0=$(date +%s%N)
	kill -QUIT "$pm"
	if primary_line down; then
		samples="$samples $(( ($(date +%s%N) - t0) / 1000000 ))"
	else
		failed=$((failed + 1))
	fi
	# the postmaster gone, then back, then pgwatch sees it up again
	wait_for 30 sh -c "! kill -0 $pm 2>/dev/null" || break
	pg_primary_start || break
	primary_line up || break
done
echo
med=$(printf '%s\n' $samples | sort -n | awk '{ v[NR] = $1 } END {
	if (NR == 0) print "NaN"; else if (NR % 2) print v[(NR + 1) / 2];
	else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }')
set -- $samples
printf 'primary death -> down line: median %s ms of %d deaths (%d failed); each:%s ms  (target <= 100 ms; interval 1s)\n' \
    "$med" "$#" "$failed" "$samples"
printf 'pgwatch --watch RSS: %d kB (peak %d kB), 2 hosts\n' "$rss" "$hwm"
