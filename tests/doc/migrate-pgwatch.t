#!/bin/bash
# SPDX-License-Identifier: ISC
# The README's check_postgres -> pgwatch migration, run as written on a
# monitoring host where db1 and db2 (/etc/hosts) are a PostgreSQL primary
# and its streaming standby on one port (PGPORT, PGUSER in the host's
# environment, as an Icinga command definition sets them).  Both checks
# say OK with the same thresholds; then the standby stops and the same
# two command lines, from the README, differ as the README says: the
# connection error is UNKNOWN for check_postgres, a CRITICAL for pgwatch.
. "$(dirname "$0")/../vrrpd/lib.sh"
. "$T_TOP/tests/doc/migrate.sh"
. "$T_TOP/tests/lib/pg.sh"
needs_root
command -v check_postgres >/dev/null || cannot_run "check_postgres missing"
pg_pair_start || bail "could not start a PostgreSQL pair"
pg_psql "$PG_PRIMARY_PORT" "create database maasdb" >/dev/null || bail "maasdb"

# db1 = 127.0.0.1:P (the primary), db2 = 127.0.0.2:P (the standby, moved
# from its own port to the primary's on another address)
pg_standby_stop || bail "standby stop"
mkdir -p "$PG_DIR/s2" && chown postgres "$PG_DIR/s2"
cat >>"$PG_STANDBY/postgresql.conf" <<EOF
listen_addresses = '127.0.0.2'
port = $PG_PRIMARY_PORT
unix_socket_directories = '$PG_DIR/s2'
EOF
pg_standby_start || bail "standby on 127.0.0.2"
_streams() {
	[ "$(pg_psql "$PG_PRIMARY_PORT" "select count(*) from
	    pg_stat_replication where state = 'streaming'")" = 1 ]
}
ok "the standby streams from 127.0.0.2" wait_for 30 _streams

local_init mon || bail "host mon"
mhost mon || bail "machine mon"
mkdir -p "$T_TMP/mon/etc"
printf '127.0.0.1 localhost db1\n127.0.0.2 db2\n' >"$T_TMP/mon/etc/hosts"
mfile mon etc/hosts || bail "hosts"
MIGRATE_ENV="PGPORT=$PG_PRIMARY_PORT PGUSER=postgres"

run_session pgwatch

# the same two lines, standby down: the same verdict from both
pg_standby_stop immediate
cp=$(sed -n 's/^mon# \(check_postgres .*\)/\1/p' "$T_TMP/session.pgwatch")
pw=$(sed -n 's/^mon# \(pgwatch .*\)/\1/p' "$T_TMP/session.pgwatch")
rc_cp=0; out_cp=$(on mon "$cp" 2>&1) || rc_cp=$?
rc_pw=0; out_pw=$(on mon "$pw" 2>&1) || rc_pw=$?
diag "check_postgres: $rc_cp $out_cp"
diag "pgwatch: $rc_pw $out_pw"
is "$rc_cp" 3 "standby down: check_postgres cannot connect, UNKNOWN (exit 3)"
is "$rc_pw" 2 "... pgwatch says CRITICAL (exit 2), as the README says"
like "$out_pw" '^PGWATCH CRITICAL: primary db1:[0-9]+, down db2:[0-9]+' \
    "... naming the standby that is down"
done_testing
