#!/bin/bash
# SPDX-License-Identifier: ISC
# One-shot checks against a real primary + streaming standby: lines, exit
# codes, --expect, --json, --nagios, connection headroom and a wrong
# password, each compared with check_postgres where it has an equivalent.
. "$(dirname "$0")/../lib/tap.sh"
needs_root
. "$T_TOP/tests/lib/pg.sh"
pg_pair_start || bail "could not start a PostgreSQL pair"

P="host=127.0.0.1 port=$PG_PRIMARY_PORT user=postgres dbname=postgres"
S="host=127.0.0.1 port=$PG_STANDBY_PORT user=postgres dbname=postgres"
PN="127\.0\.0\.1:$PG_PRIMARY_PORT"
SN="127\.0\.0\.1:$PG_STANDBY_PORT"
cp_() { check_postgres --dbhost=127.0.0.1 --dbuser=postgres "$@"; }

# --- healthy pair.  The primary writes a record now and then on its own
# (running transactions, checkpoints): a standby may be a few bytes behind
# for a moment, so both programs are read once it has caught up.
caught_up() { out=$(pgwatch "$P" "$S"); rc=$?; grep -q ' lag_bytes=0 ' <<<"$out"; }
wait_for 10 caught_up
is "$rc" 0 "healthy pair: exit 0"
like "$(sed -n 1p <<<"$out")" "^primary $PN tli=1 lsn=[0-9A-F]+/[0-9A-F]+ conns=[0-9]+/50 free=[0-9]+ check=ok$" "primary line"
like "$(sed -n 2p <<<"$out")" "^standby $SN tli=1 lsn=.* wal=streaming lag_bytes=0 lag_s=0 paused=0 conns=[0-9]+/50 free=[0-9]+ check=ok$" "standby line"
cp_ok() {
	cpout=$(cp_ --dbport="$PG_PRIMARY_PORT,$PG_STANDBY_PORT" --action=hot_standby_delay --warning=1 --critical=1MB 2>&1)
	grep -q "^POSTGRES_HOT_STANDBY_DELAY OK" <<<"$cpout"
}
wait_for 10 cp_ok
like "$cpout" "^POSTGRES_HOT_STANDBY_DELAY OK" "check_postgres agrees: hot_standby_delay OK"
lsn=$(pg_psql "$PG_PRIMARY_PORT" "select pg_current_wal_lsn()")
like "$(sed -n 1p <<<"$out")" "lsn=${lsn%/*}/" "primary LSN as pg_current_wal_lsn() shows it ($lsn)"

# --- the monitoring role the man page recommends: pg_monitor, no superuser.
pg_psql "$PG_PRIMARY_PORT" "create role mon login in role pg_monitor" >/dev/null
monrole() { [ "$(pg_psql "$PG_STANDBY_PORT" "select count(*) from pg_roles where rolname = 'mon'")" = 1 ]; }
wait_for 20 monrole || diag "role mon not replicated"
mask() { sed -E 's/(lsn|receive_lsn)=[0-9A-F]+\/[0-9A-F]+/\1=X/g'; }
# the two views are taken one after the other: a WAL record between them
# (the primary logs a standby snapshot every 15 s even when idle) moves
# the standby's lag for a moment; a field pg_monitor cannot read differs
# in every pair
mon_same() {
	mon=$(pgwatch "host=127.0.0.1 port=$PG_PRIMARY_PORT user=mon dbname=postgres" \
	    "host=127.0.0.1 port=$PG_STANDBY_PORT user=mon dbname=postgres" 2>"$T_TMP/mon.err"); rc=$?
	su=$(pgwatch "$P" "$S")
	[ "$(mask <<<"$mon")" = "$(mask <<<"$su")" ]
}
wait_for 10 mon_same
is "$rc" 0 "role IN ROLE pg_monitor: exit 0"
is "$(cat "$T_TMP/mon.err")" "" "no warning, no permission error"
like "$(sed -n 2p <<<"$mon")" " wal=streaming lag_bytes=0 lag_s=0 " "pg_monitor: wal=streaming, not hidden"
is "$(mask <<<"$mon")" "$(mask <<<"$su")" "pg_monitor sees every field as the superuser does"
exit_is 0 "pg_monitor: --require-streaming holds" pgwatch -q --require-streaming \
    "host=127.0.0.1 port=$PG_STANDBY_PORT user=mon dbname=postgres"

exit_is 0 "--expect primary,standby" pgwatch -q --expect primary,standby "$P" "$S"
exit_is 0 "--expect standby for the standby alone" pgwatch -q --expect standby "$S"
exit_is 1 "--expect primary on the standby" pgwatch -q --expect primary "$S"
out=$(pgwatch --expect primary "$S")
like "$out" "check=expect$" "failed condition named"
exit_is 1 "--expect primary for both" pgwatch -q --expect primary "$P" "$S"
exit_is 0 "--require-streaming" pgwatch -q --require-streaming "$P" "$S"
exit_is 0 "--max-lag 16MB" pgwatch -q --max-lag 16MB --max-lag 30s "$P" "$S"
cpout=$(cp_ --dbport="$PG_STANDBY_PORT" --action=hot_standby_delay --warning=1 2>&1)
diag "check_postgres with only the standby: ${cpout:0:70}"

json=$(pgwatch --json "$P" "$S")
like "$(sed -n 2p <<<"$json")" "^\{\"event\":\"standby\",\"name\":\"$SN\",\"tli\":1,.*\"wal\":\"streaming\",\"lag_bytes\":0," "--json standby line"
nag=$(pgwatch --nagios --max-lag 1MB "$P" "$S"); rc=$?
is "$rc" 0 "--nagios OK exit 0"
like "$nag" "^PGWATCH OK: primary $PN, standby $SN streaming lag 0B 0s \| time=[0-9.]+s '$PN conns'=[0-9]+;;;0;50 '$SN lag_bytes'=0B;;1048576;0" "--nagios line with perfdata"

out=$(pgwatch "$P sslmode=require"); rc=$?
is "$rc" 1 "sslmode=require against a server without TLS: exit 1"
like "$out" "^down $PN reason=tls msg=\".*SSL" "reason=tls"
out=$(pgwatch "$P dbname=nosuchdb")
like "$out" "^down $PN reason=config msg=\".*nosuchdb.* does not exist" "missing database: reason=config"

# --- connection headroom: hold 6 client connections open on the primary
free0=$(pgwatch "$P" | sed -n 's/.* free=\([0-9]*\) .*/\1/p')
for i in 1 2 3 4 5 6; do
	runuser -u postgres -- "$PG_BIN/psql" -X -q -h 127.0.0.1 -p "$PG_PRIMARY_PORT" \
	    -U postgres -d postgres -c 'select pg_sleep(60)' >/dev/null 2>&1 &
	cleanup_push "kill $! 2>/dev/null"
done
busy() { [ "$(pg_psql "$PG_PRIMARY_PORT" "select count(*) from pg_stat_activity where query like 'select pg_sleep%'")" -ge 6 ]; }
wait_for 20 busy || diag "sleepers did not connect"
free1=$(pgwatch "$P" | sed -n 's/.* free=\([0-9]*\) .*/\1/p')
is "$((free0 - free1))" 6 "six more connections: free went $free0 -> $free1"
exit_is 1 "--min-free-connections above the headroom" pgwatch -q --min-free-connections $((free1 + 1)) "$P"
exit_is 0 "--min-free-connections at the headroom" pgwatch -q --min-free-connections "$free1" "$P"
like "$(pgwatch --min-free-connections $((free1 + 1)) "$P")" "check=connections$" "headroom failure named"
# check_postgres counts the superuser_reserved_connections (3) as free;
# pgwatch does not, since an application cannot use them.
cpout=$(cp_ --dbport="$PG_PRIMARY_PORT" --action=backends --critical="-$((free1 + 3 + 1))" 2>&1)
like "$cpout" "^POSTGRES_BACKENDS CRITICAL" "check_postgres backends: $((free1 + 3)) free incl. reserved, below $((free1 + 4))"
# and it is critical at "N or fewer left" where pgwatch wants "N or more".
cpout=$(cp_ --dbport="$PG_PRIMARY_PORT" --action=backends --critical="-$((free1 + 3))" 2>&1)
like "$cpout" "^POSTGRES_BACKENDS CRITICAL" "check_postgres backends: CRITICAL at exactly $((free1 + 3)) left"
cpout=$(cp_ --dbport="$PG_PRIMARY_PORT" --action=backends --critical="-$((free1 + 2))" 2>&1)
like "$cpout" "^POSTGRES_BACKENDS OK" "check_postgres backends: OK below (pgwatch: $free1 + 3 reserved)"

# --- a role with a password, checked by scram (never trust) over TCP
pg_psql "$PG_PRIMARY_PORT" "create role pwuser login password 'right'" >/dev/null
sed -i "1i host all pwuser 127.0.0.1/32 scram-sha-256" "$PG_PRIMARY/pg_hba.conf"
pg_psql "$PG_PRIMARY_PORT" "select pg_reload_conf()" >/dev/null
U="host=127.0.0.1 port=$PG_PRIMARY_PORT user=pwuser dbname=postgres"
out=$(PGPASSWORD=wrong pgwatch "$U" 2>"$T_TMP/err"); rc=$?
is "$rc" 1 "wrong password: exit 1"
like "$out" "^down $PN reason=auth msg=\".*password authentication failed" "wrong password: reason=auth"
nok "no password warning for PGPASSWORD" grep -q pgpass "$T_TMP/err"
echo "127.0.0.1:$PG_PRIMARY_PORT:*:pwuser:right" >"$T_TMP/pgpass"
chmod 600 "$T_TMP/pgpass"
out=$(PGPASSFILE="$T_TMP/pgpass" pgwatch "$U"); rc=$?
is "$rc" 0 "password from PGPASSFILE, unprivileged role: exit 0"
like "$out" "^primary $PN tli=1 " "an unprivileged role sees role and timeline"
c_su=$(pgwatch "$P" | grep -o 'conns=[0-9/]*')
c_pw=$(grep -o 'conns=[0-9/]*' <<<"$out")
is "$c_pw" "$c_su" "an unprivileged role counts the same connections ($c_su)"
US="host=127.0.0.1 port=$PG_STANDBY_PORT user=pwuser dbname=postgres"
like "$(pgwatch "$US")" "^standby $SN .* wal=hidden " "unprivileged role on the standby: wal=hidden, not none"
exit_is 1 "and --require-streaming cannot be satisfied" pgwatch -q --require-streaming "$US"
pg_psql "$PG_PRIMARY_PORT" "grant pg_monitor to pwuser" >/dev/null
granted() { pgwatch "$US" | grep -q "wal=streaming"; }
ok "with pg_monitor granted: wal=streaming" wait_for 10 granted
cpout=$(PGPASSWORD=wrong check_postgres --dbhost=127.0.0.1 --dbport="$PG_PRIMARY_PORT" --dbuser=pwuser --dbname=postgres --action=connection 2>&1)
is "$?" 2 "check_postgres connection agrees: wrong password is CRITICAL (exit 2, not UNKNOWN)"
like "$cpout" '^POSTGRES_CONNECTION CRITICAL: .*password authentication failed for user "pwuser"' \
    "... and says why"

# --- every slot taken: pg_isready still says "accepting", pgwatch says full.
echo "max_connections = 10" >>"$PG_PRIMARY/postgresql.conf"
_pg_ctl "$PG_PRIMARY" -w -m immediate restart
for i in 1 2 3 4 5 6 7; do
	runuser -u postgres -- "$PG_BIN/psql" -X -q -h 127.0.0.1 -p "$PG_PRIMARY_PORT" \
	    -U postgres -d postgres -c 'select pg_sleep(60)' >/dev/null 2>&1 &
	cleanup_push "kill $! 2>/dev/null"
done
full() { [ "$(pg_psql "$PG_PRIMARY_PORT" "select count(*) from pg_stat_activity where query like 'select pg_sleep%'")" -ge 7 ]; }
wait_for 20 full || diag "sleepers did not connect"
ok "pg_isready: accepting connections" pg_isready -q -h 127.0.0.1 -p "$PG_PRIMARY_PORT"
out=$(PGPASSFILE="$T_TMP/pgpass" pgwatch "$U"); rc=$?
is "$rc" 1 "pgwatch as an application role: exit 1"
like "$out" "^down $PN reason=full msg=\".*reserved" "reason=full"
like "$(pgwatch "$P")" "conns=8/10 free=0 check=ok" "as superuser: 0 free"
exit_is 1 "as superuser --min-free-connections 1: exit 1" pgwatch -q --min-free-connections 1 "$P"
done_testing
