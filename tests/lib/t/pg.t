#!/bin/bash
# SPDX-License-Identifier: ISC
# pg.sh: a real primary and a streaming hot standby, gone after the test.
. "$(dirname "$0")/../tap.sh"
. "$T_TOP/tests/lib/pg.sh"
needs_root

ok "primary and standby start, standby streams" pg_pair_start
is "$(pg_psql "$PG_PRIMARY_PORT" 'select pg_is_in_recovery()')" f "primary is not in recovery"
is "$(pg_psql "$PG_STANDBY_PORT" 'select pg_is_in_recovery()')" t "standby is in recovery"
pg_psql "$PG_PRIMARY_PORT" "create table t(x int); insert into t values (42)"
standby_has_row() { [ "$(pg_psql "$PG_STANDBY_PORT" 'select x from t' 2>/dev/null)" = 42 ]; }
ok "a write on the primary reaches the standby" wait_for 10 standby_has_row

# under make test, one initdb per run: the others copy its cluster
mkdir -m 755 "$T_TMP/run" && mkdir -m 700 "$T_TMP/pgc" && chown postgres "$T_TMP/pgc"
ok "pg_initdb with HATOOLS_RUNDIR: a cluster" env HATOOLS_RUNDIR="$T_TMP/run" \
    bash -c '. "$1/tests/lib/tap.sh"; . "$1/tests/lib/pg.sh"; pg_initdb "$2/pgc/c1"' _ "$T_TOP" "$T_TMP"
ok "... made once for the run" test -s "$T_TMP/run/pg-template/PG_VERSION"
ok "another" env HATOOLS_RUNDIR="$T_TMP/run" \
    bash -c '. "$1/tests/lib/tap.sh"; . "$1/tests/lib/pg.sh"; pg_initdb "$2/pgc/c2"' _ "$T_TOP" "$T_TMP"
like "$(cat "$T_TMP/pgc/c2.initdb.log")" "^copy of $T_TMP/run/pg-template" "... a copy of it"
p=$(free_port)
printf "port = %s\nlisten_addresses = ''\nunix_socket_directories = '%s'\n" "$p" "$T_TMP/pgc" \
    >>"$T_TMP/pgc/c2/postgresql.conf"
cleanup_push "_pg_ctl '$T_TMP/pgc/c2' -m immediate stop"
ok "the copy starts" _pg_ctl "$T_TMP/pgc/c2" -w -t 60 start
is "$(PG_DIR=$T_TMP/pgc pg_psql "$p" 'select count(*) from pg_database')" 3 \
    "... as a new cluster (postgres, template0, template1)"
_pg_ctl "$T_TMP/pgc/c2" -w -m immediate stop

bash -c '
	. "$1/tests/lib/tap.sh" >/dev/null
	. "$1/tests/lib/pg.sh"
	pg_pair_start || exit 9
	echo "$PG_DIR" > "$2"
	kill -TERM $$; sleep 5' child "$T_TOP" "$T_TMP/child-pgdir"
dir=$(cat "$T_TMP/child-pgdir")
no_postgres() { ! pgrep -f -- "[-]D $dir/" >/dev/null; }
ok "a killed test leaves no postgres behind" wait_for 10 no_postgres
nok "nor its data directory" test -e "$dir"
# under make test, one pair per run: the others copy it, and each copy is
# a pair of its own that streams (a write reaches its standby)
pair_in_run() {	# N: a pair in the child's T_TMP, from the run $T_TMP/run
	HATOOLS_RUNDIR="$T_TMP/run" bash -c '
		. "$1/tests/lib/tap.sh" >/dev/null
		. "$1/tests/lib/pg.sh"
		pg_pair_start || exit 9
		pg_psql "$PG_PRIMARY_PORT" "create table t(x int); insert into t values ($2)"
		got() { [ "$(pg_psql "$PG_STANDBY_PORT" "select x from t")" = "$2" ]; }
		wait_for 10 got "$@" || exit 8
		echo "$(pg_psql "$PG_STANDBY_PORT" "select pg_is_in_recovery()")" \
		    "$(ls "$PG_DIR/basebackup.log" 2>/dev/null || echo copied)"' _ "$T_TOP" "$1"
}
is "$(pair_in_run 1)" "t copied" "pg_pair_start with HATOOLS_RUNDIR: a pair, its standby replicates"
ok "... made once for the run" test -e "$T_TMP/run/pg-pair/standby/standby.signal"
is "$(pair_in_run 2)" "t copied" "another: a copy, its standby replicates from its own primary"
nok "no server of the run's pair is left running" \
    pgrep -f -- "[-]D $T_TMP/run/pg-pair"
done_testing
