#!/bin/bash
# SPDX-License-Identifier: ISC
# --query-timeout on a real server whose answer is slow: PGOPTIONS (a PG*
# variable libpq reads) puts a schema first on search_path where
# pg_is_in_recovery() sleeps 3 s before answering.  pgwatch gives up
# after -t, not after the default 2s nor the 3 s, and says timeout; with
# a -t longer than the sleep it waits and the host is up.  And --verbose
# logs a server's notice (another search_path, another function).
. "$(dirname "$0")/../lib/tap.sh"
[ "$(id -u)" = 0 ] || skip_all "needs root (PostgreSQL as postgres)"
. "$T_TOP/tests/lib/pg.sh"
pg_pair_start || bail "could not start PostgreSQL"
P="host=127.0.0.1 port=$PG_PRIMARY_PORT user=postgres dbname=postgres"
pg_psql "$PG_PRIMARY_PORT" "CREATE SCHEMA slow;
CREATE FUNCTION slow.pg_is_in_recovery() RETURNS boolean LANGUAGE sql
    AS 'SELECT pg_catalog.pg_sleep(3) IS NOT NULL AND pg_catalog.pg_is_in_recovery()'" \
    >/dev/null || bail "slow schema"

ok "without PGOPTIONS the primary answers at once" pgwatch -q --query-timeout 1s "$P"
export PGOPTIONS="-c search_path=slow,pg_catalog"
t0=$(date +%s%N)
rc=0; out=$(pgwatch --query-timeout 500ms "$P") || rc=$?
ms=$((($(date +%s%N) - t0) / 1000000))
is "$rc" 1 "--query-timeout 500ms against a 3 s answer: down (exit 1)"
like "$out" "^down 127.0.0.1:$PG_PRIMARY_PORT reason=timeout" "reason=timeout"
ok "... after about 500ms, not the default 2s (${ms}ms)" test "$ms" -ge 450 -a "$ms" -lt 1950
t0=$(date +%s%N)
rc=0; out=$(pgwatch --query-timeout 6s "$P") || rc=$?
ms=$((($(date +%s%N) - t0) / 1000000))
is "$rc" 0 "--query-timeout 6s: pgwatch waits for the slow answer (exit 0)"
like "$out" "^primary 127.0.0.1:$PG_PRIMARY_PORT .*check=ok" "and the primary is up"
ok "... which took the 3 s sleep (${ms}ms)" test "$ms" -ge 2900

# --verbose: a server's notice is a debug line, only with -v
pg_psql "$PG_PRIMARY_PORT" "CREATE SCHEMA chatty;
CREATE FUNCTION chatty.pg_is_in_recovery() RETURNS boolean LANGUAGE plpgsql
    AS 'BEGIN RAISE NOTICE ''hello from $T_ID''; RETURN pg_catalog.pg_is_in_recovery(); END'" \
    >/dev/null || bail "chatty schema"
export PGOPTIONS="-c search_path=chatty,pg_catalog"
pgwatch -q --verbose "$P" 2> "$T_TMP/v.err"
like "$(cat "$T_TMP/v.err")" "127.0.0.1:$PG_PRIMARY_PORT: server says: .*hello from $T_ID" \
    "--verbose: the server's notice is logged"
pgwatch -q "$P" 2> "$T_TMP/q.err"
is "$(grep -c "hello from" "$T_TMP/q.err")" 0 "without it, not"
# A query that fails is reason=query, not "up" and not a connection error.
pg_psql "$PG_PRIMARY_PORT" "CREATE SCHEMA broken;
CREATE FUNCTION broken.pg_is_in_recovery() RETURNS boolean LANGUAGE plpgsql
    AS 'BEGIN RAISE EXCEPTION ''broken on purpose $T_ID''; END'" \
    >/dev/null || bail "broken schema"
export PGOPTIONS="-c search_path=broken,pg_catalog"
rc=0; out=$(pgwatch "$P") || rc=$?
is "$rc" 1 "a failing health query: down (exit 1)"
like "$out" "^down 127.0.0.1:$PG_PRIMARY_PORT reason=query msg=\".*broken on purpose $T_ID" \
    "reason=query with the server's message"
unset PGOPTIONS

# A smart shutdown waiting for a session: the server refuses new
# connections as "shutting down", which is reason=stopping.
_pg_as "$PG_BIN/psql" -X -q -h "$PG_DIR" -p "$PG_PRIMARY_PORT" -U postgres \
    -d postgres -c "select pg_sleep(60) /* held $T_ID */" >/dev/null 2>&1 &
held=$!
cleanup_push "kill $held 2>/dev/null"
sessions() {
	[ "$(pg_psql "$PG_PRIMARY_PORT" "select count(*) from pg_stat_activity
	    where query like '%held $T_ID%' and pid <> pg_backend_pid()")" = 1 ]
}
wait_for 10 sessions || diag "the held session did not start"
_pg_as "$PG_BIN/pg_ctl" -D "$PG_PRIMARY" -m smart stop -W >/dev/null
stopping() { pgwatch "$P" | grep -q "^down .* reason=stopping"; }
ok "smart shutdown waiting for a session: reason=stopping" wait_for 10 stopping
rc=0; pgwatch -q "$P" || rc=$?
is "$rc" 1 "... and down (exit 1)"
kill "$held" 2>/dev/null
done_testing
