#!/bin/bash
# SPDX-License-Identifier: ISC
# The seed's PostgreSQL HA, watched: a primary and a hot standby, pgwatch
# says healthy; the primary stops; the standby is promoted; pgwatch says so.
. "$(dirname "$0")/../lib/tap.sh"
needs_root
. "$T_TOP/tests/lib/pg.sh"

say() { printf '\n## %s\n' "$*"; }
show() { printf '$ %s\n' "$*"; "$@"; printf '(exit %d)\n' $?; }

say "a primary and a streaming hot standby on 127.0.0.1"
pg_pair_start || { echo "could not start PostgreSQL"; exit 1; }
P="host=127.0.0.1 port=$PG_PRIMARY_PORT user=postgres"
S="host=127.0.0.1 port=$PG_STANDBY_PORT user=postgres"

say "one call checks both (what a cron job, Nagios or a track script runs)"
show pgwatch --expect primary,standby --max-lag 16MB --require-streaming "$P" "$S"
show pgwatch --nagios --max-lag 16MB "$P" "$S"

say "pgwatch --watch keeps watching; its new lines are shown after each step"
pgwatch --watch --interval 200ms "$P" "$S" >"$T_TMP/watch" &
cleanup_push "kill $!"
seen=0
watched() {	# wait for REGEX in the watch output, then show the new lines
	wait_file_line 10 "$T_TMP/watch" "$1"
	tail -n +$((seen + 1)) "$T_TMP/watch" | sed 's/^/    watch: /'
	seen=$(wc -l <"$T_TMP/watch")
}
watched "^up .*role=standby"

say "the primary stops"
pg_primary_stop fast
watched "^streaming .*state=lost"
show pgwatch --expect primary,standby "$P" "$S"

say "the standby is promoted (pg_ctl promote): a new timeline"
_pg_as "$PG_BIN/pg_ctl" -D "$PG_STANDBY" -w promote >/dev/null
watched "^role .*role=primary"
show pgwatch --expect primary "$S"

say "the old primary comes back without pg_rewind: two primaries"
pg_primary_start
watched "^down .*reason=split-brain"
show pgwatch "$P" "$S"
