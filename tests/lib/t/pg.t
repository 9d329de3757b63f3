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
done_testing
