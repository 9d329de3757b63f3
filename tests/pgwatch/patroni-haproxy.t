#!/bin/bash
# SPDX-License-Identifier: ISC
# A real haproxy (2.6) with the health checks of Patroni's haproxy.cfg
# template and docs (option httpchk OPTIONS /master, GET /replica?lag=,
# /async, replication_state=streaming, /sync, /read-only-sync, check port)
# routes a PostgreSQL primary and standby through two pgwatch --http in
# Patroni's place: show stat has the right servers UP and DOWN while
# healthy, while the standby is made synchronous, while its replay lags,
# once the primary stops and once the standby is promoted; psql through
# haproxy's ports reaches the right server.
. "$(dirname "$0")/../lib/tap.sh"
command -v haproxy >/dev/null || cannot_run "haproxy is not installed"
command -v socat >/dev/null || cannot_run "socat is not installed"
. "$(dirname "$0")/pair.sh"

HP=$(free_port); HS=$(free_port)
FW=$(free_port); FR=$(free_port); FL=$(free_port); FA=$(free_port)
FS=$(free_port); FO=$(free_port)

# One watcher per PostgreSQL, answering for it as its Patroni would.
pgwatch --http "$HP" --interval 100ms "$P" "$S" >"$T_TMP/wp" 2>&1 &
cleanup_push "kill $!"
pgwatch --http "$HS" --interval 100ms "$S" "$P" >"$T_TMP/ws" 2>&1 &
cleanup_push "kill $!"
wait_for 10 curl -sf "http://127.0.0.1:$HP/liveness" || diag "pgwatch $HP not up"
wait_for 10 curl -sf "http://127.0.0.1:$HS/liveness" || diag "pgwatch $HS not up"

# Each listen block: a Patroni-style check on both servers.
listen() {	# name port check...
	local name=$1 port=$2; shift 2
	cat <<EOC
listen $name
    bind 127.0.0.1:$port
    option httpchk $*
    http-check expect status 200
    default-server inter 100ms fall 1 rise 1 on-marked-down shutdown-sessions
    server pg1 127.0.0.1:$PG_PRIMARY_PORT maxconn 100 check port $HP
    server pg2 127.0.0.1:$PG_STANDBY_PORT maxconn 100 check port $HS
EOC
}
{
	cat <<EOC
global
    maxconn 100
    stats socket $T_TMP/ha.sock mode 600 level admin
defaults
    mode tcp
    retries 2
    timeout client 30m
    timeout connect 4s
    timeout server 30m
    timeout check 5s
EOC
	listen master "$FW" OPTIONS /master
	listen replicas "$FR" OPTIONS /replica
	listen replicas_lag "$FL" GET '/replica?lag=1MB'
	listen async "$FA" GET '/async?replication_state=streaming'
	listen sync "$FS" OPTIONS /sync
	listen ro_sync "$FO" HEAD /read-only-sync
} >"$T_TMP/ha.cfg"
haproxy -c -q -f "$T_TMP/ha.cfg" || bail "haproxy refuses the config"
haproxy -db -f "$T_TMP/ha.cfg" >"$T_TMP/ha.log" 2>&1 &
cleanup_push "kill $!"
wait_for 10 test -S "$T_TMP/ha.sock" || bail "haproxy did not start"

# "listen/server=STATUS ..." of every server, as show stat has them
stats() {
	echo "show stat" | socat -t 5 stdio "unix-connect:$T_TMP/ha.sock" |
	    awk -F, '$2 ~ /^pg/ { printf "%s/%s=%s ", $1, $2, $18 }'
}
stat_is() { [ "$(stats)" = "$1" ]; }
# a server's status after a transition settles: waits, then says it
stat_ok() {	# want description
	wait_for 10 stat_is "$1"
	is "$(stats)" "$1" "$2"
}
through() { PGCONNECT_TIMEOUT=5 "$PG_BIN/psql" -X -A -t -q -h 127.0.0.1 -p "$1" -U postgres -d postgres -c "$2" 2>&1; }

stat_ok "master/pg1=UP master/pg2=DOWN replicas/pg1=DOWN replicas/pg2=UP replicas_lag/pg1=DOWN replicas_lag/pg2=UP async/pg1=DOWN async/pg2=UP sync/pg1=DOWN sync/pg2=DOWN ro_sync/pg1=UP ro_sync/pg2=DOWN " \
    "healthy: the primary behind /master and /read-only-sync, the standby behind /replica, ?lag=1MB and /async?replication_state=streaming, none /sync"
is "$(through "$FW" 'select pg_is_in_recovery(), inet_server_port()')" "f|$PG_PRIMARY_PORT" \
    "psql through the /master port reaches the primary"
is "$(through "$FR" 'select pg_is_in_recovery(), inet_server_port()')" "t|$PG_STANDBY_PORT" \
    "psql through the /replica port reaches the standby"

# --- the standby made synchronous on the primary: behind /sync, not /async.
ssn() {
	pg_psql "$PG_PRIMARY_PORT" "alter system set synchronous_standby_names = '$1'" >/dev/null
	pg_psql "$PG_PRIMARY_PORT" "select pg_reload_conf()" >/dev/null
}
ssn '*'
stat_ok "master/pg1=UP master/pg2=DOWN replicas/pg1=DOWN replicas/pg2=UP replicas_lag/pg1=DOWN replicas_lag/pg2=UP async/pg1=DOWN async/pg2=DOWN sync/pg1=DOWN sync/pg2=UP ro_sync/pg1=UP ro_sync/pg2=UP " \
    "synchronous_standby_names '*': the standby behind /sync and /read-only-sync, not /async"
ssn ''
stat_ok "master/pg1=UP master/pg2=DOWN replicas/pg1=DOWN replicas/pg2=UP replicas_lag/pg1=DOWN replicas_lag/pg2=UP async/pg1=DOWN async/pg2=UP sync/pg1=DOWN sync/pg2=DOWN ro_sync/pg1=UP ro_sync/pg2=DOWN " \
    "synchronous_standby_names '': back behind /async"

# --- the standby's replay paused and over 1MB written: only ?lag= drops it.
write() { pg_psql "$PG_PRIMARY_PORT" "insert into t select repeat('x', 1000) from generate_series(1, $1)" >/dev/null; }
pg_psql "$PG_PRIMARY_PORT" "create table t (x text)" >/dev/null
pg_psql "$PG_STANDBY_PORT" "select pg_wal_replay_pause()" >/dev/null
write 3000
stat_ok "master/pg1=UP master/pg2=DOWN replicas/pg1=DOWN replicas/pg2=UP replicas_lag/pg1=DOWN replicas_lag/pg2=DOWN async/pg1=DOWN async/pg2=UP sync/pg1=DOWN sync/pg2=DOWN ro_sync/pg1=UP ro_sync/pg2=DOWN " \
    "replay paused, over 1MB behind: down behind /replica?lag=1MB only"
pg_psql "$PG_STANDBY_PORT" "select pg_wal_replay_resume()" >/dev/null
stat_ok "master/pg1=UP master/pg2=DOWN replicas/pg1=DOWN replicas/pg2=UP replicas_lag/pg1=DOWN replicas_lag/pg2=UP async/pg1=DOWN async/pg2=UP sync/pg1=DOWN sync/pg2=DOWN ro_sync/pg1=UP ro_sync/pg2=DOWN " \
    "replay resumed: up again behind ?lag=1MB"

# --- the primary stopped: the standby stops streaming, but is a replica.
pg_primary_stop fast
stat_ok "master/pg1=DOWN master/pg2=DOWN replicas/pg1=DOWN replicas/pg2=UP replicas_lag/pg1=DOWN replicas_lag/pg2=UP async/pg1=DOWN async/pg2=DOWN sync/pg1=DOWN sync/pg2=DOWN ro_sync/pg1=DOWN ro_sync/pg2=DOWN " \
    "primary stopped: no /master; the standby still a /replica, down behind replication_state=streaming"

# --- the standby promoted: the same haproxy routes writes to it.
_pg_as "$PG_BIN/pg_ctl" -D "$PG_STANDBY" -w promote >/dev/null
stat_ok "master/pg1=DOWN master/pg2=UP replicas/pg1=DOWN replicas/pg2=DOWN replicas_lag/pg1=DOWN replicas_lag/pg2=DOWN async/pg1=DOWN async/pg2=DOWN sync/pg1=DOWN sync/pg2=DOWN ro_sync/pg1=DOWN ro_sync/pg2=UP " \
    "promoted: pg2 behind /master and /read-only-sync, no replica left"
is "$(through "$FW" 'select pg_is_in_recovery(), inet_server_port()')" "f|$PG_STANDBY_PORT" \
    "psql through the /master port reaches the promoted standby"
done_testing
