#!/bin/bash
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
