#!/bin/bash
# SPDX-License-Identifier: ISC
# Patroni's health paths and parameters that a haproxy or Kubernetes
# config may carry, asked with curl of pgwatch --http in front of a live
# primary and standby: /standby-leader, /sync, /quorum, /read-only-sync
# (with synchronous_standby_names set on the primary), tag_*,
# replication_state=, lag= as Patroni writes it, /readiness's lag= and
# mode= (with the standby's replay paused), HEAD and OPTIONS.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/pair.sh"
HP=$(free_port); HS=$(free_port); HA=$(free_port)

# The primary's watcher, the standby's (the primary in sight), and one that
# watches the standby alone, as a standby cluster's leader would be seen.
pgwatch --http "$HP" --interval 100ms "$P" "$S" >"$T_TMP/wp" 2>&1 &
cleanup_push "kill $!"
pgwatch --http "$HS" --interval 100ms "$S" "$P" >"$T_TMP/ws" 2>&1 &
cleanup_push "kill $!"
pgwatch --http "$HA" --interval 100ms "$S" >"$T_TMP/wa" 2>&1 &
cleanup_push "kill $!"
code() { curl -s -o /dev/null -w '%{http_code}' "$@"; }
codes() {	# port path...: each path's code, in one line
	local port=$1 p out=; shift
	for p; do out+="$p=$(code "http://127.0.0.1:$port$p") "; done
	echo "$out"
}
up() { [ "$(code "http://127.0.0.1:$1/health")" = 200 ]; }
for p in "$HP" "$HS" "$HA"; do wait_for 10 up "$p" || diag "pgwatch $p not up"; done

is "$(codes "$HA" /standby-leader /standby_leader /leader /replica)" \
    "/standby-leader=200 /standby_leader=200 /leader=503 /replica=200 " \
    "the standby with no primary watched: the standby leader, not /leader"
is "$(codes "$HS" /standby-leader /standby_leader)" "/standby-leader=503 /standby_leader=503 " \
    "the standby with the primary watched: not a standby leader"
is "$(codes "$HP" /standby-leader)" "/standby-leader=503 " "the primary: not a standby leader"
is "$(codes "$HS" /synchronous /sync /quorum /read-only-sync /read-only-synchronous /read-only-quorum /asynchronous /async)" \
    "/synchronous=503 /sync=503 /quorum=503 /read-only-sync=503 /read-only-synchronous=503 /read-only-quorum=503 /asynchronous=200 /async=200 " \
    "the standby: asynchronous, as the primary's pg_stat_replication says"
is "$(codes "$HP" /synchronous /sync /quorum /read-only-sync /read-only-synchronous /read-only-quorum /asynchronous /async)" \
    "/synchronous=503 /sync=503 /quorum=503 /read-only-sync=200 /read-only-synchronous=200 /read-only-quorum=200 /asynchronous=503 /async=503 " \
    "the primary: behind the read-only-sync paths only"
is "$(codes "$HS" '/replica?tag_nofailover=false' '/read-only?tag_a=b' '/health?tag_a=b' '/readiness?tag_a=b' '/async?tag_a=b')" \
    "/replica?tag_nofailover=false=503 /read-only?tag_a=b=503 /health?tag_a=b=503 /readiness?tag_a=b=200 /async?tag_a=b=503 " \
    "tag_KEY=: 503 where Patroni reads tags (none is set here)"
is "$(codes "$HP" '/primary?tag_a=b' '/master?tag_a=b' '/?tag_a=b' '/read-only?tag_a=b')" \
    "/primary?tag_a=b=200 /master?tag_a=b=200 /?tag_a=b=200 /read-only?tag_a=b=503 " \
    "tag_KEY= ignored on the primary's paths, not on /read-only"
is "$(codes "$HS" '/replica?replication_state=streaming' '/replica?replication_state=in%20archive%20recovery' '/read-only?replication_state=streaming')" \
    "/replica?replication_state=streaming=200 /replica?replication_state=in%20archive%20recovery=503 /read-only?replication_state=streaming=200 " \
    "replication_state=streaming while streaming"
is "$(codes "$HS" '/replica?lag=1048576' '/replica?lag=1024kB' '/replica?lag=10MB' '/replica?lag=1GB' '/replica?lag=1.5GB' '/replica?lag=10%20MB' '/replica?lag=0x100000' '/replica?foo=bar')" \
    "/replica?lag=1048576=200 /replica?lag=1024kB=200 /replica?lag=10MB=200 /replica?lag=1GB=200 /replica?lag=1.5GB=200 /replica?lag=10%20MB=200 /replica?lag=0x100000=200 /replica?foo=bar=200 " \
    "lag= in each of Patroni's forms; an unknown parameter ignored"
is "$(codes "$HS" '/replica?lag=10mb' '/replica?lag=')" "/replica?lag=10mb=200 /replica?lag==200 " \
    "lag=10mb: no limit (units keep their case), as Patroni; an empty lag= is no limit, as parse_qs drops it"
is "$(code -X OPTIONS "http://127.0.0.1:$HS/async") $(code -I "http://127.0.0.1:$HA/standby-leader") $(code -X OPTIONS "http://127.0.0.1:$HS/sync")" \
    "200 200 503" "OPTIONS /async, HEAD /standby-leader, OPTIONS /sync: as GET"

# --- synchronous_standby_names on the primary: PostgreSQL's sync_state of
# the standby (by its WAL receiver's application name) is what /sync says.
ssn() {
	pg_psql "$PG_PRIMARY_PORT" "alter system set synchronous_standby_names = '$1'" >/dev/null
	pg_psql "$PG_PRIMARY_PORT" "select pg_reload_conf()" >/dev/null
}
path_is() { [ "$(code "http://127.0.0.1:$1$2")" = "$3" ]; }
ssn '*'
ok "synchronous_standby_names '*': /sync 200" wait_for 10 path_is "$HS" /sync 200
is "$(codes "$HS" /sync /synchronous /read-only-sync /read-only-synchronous '/sync?lag=1GB' /quorum /read-only-quorum /async)" \
    "/sync=200 /synchronous=200 /read-only-sync=200 /read-only-synchronous=200 /sync?lag=1GB=200 /quorum=503 /read-only-quorum=503 /async=503 " \
    "the sync standby: behind the sync paths, not /async or /quorum"
is "$(codes "$HA" /sync /async /quorum)" "/sync=503 /async=503 /quorum=503 " \
    "no primary in sight: cannot tell, 503 as Patroni without its DCS"
ssn 'ANY 1 (*)'
ok "synchronous_standby_names 'ANY 1 (*)': /quorum 200" wait_for 10 path_is "$HS" /quorum 200
is "$(codes "$HS" /quorum /read-only-quorum /sync /read-only-sync /async)" \
    "/quorum=200 /read-only-quorum=200 /sync=503 /read-only-sync=503 /async=503 " \
    "a quorum standby: behind the quorum paths only"
ssn ''
ok "synchronous_standby_names '': /async 200 again" wait_for 10 path_is "$HS" /async 200
is "$(codes "$HS" /sync /quorum)" "/sync=503 /quorum=503 " "and /sync, /quorum 503"

# --- replay paused, over 1MB written: received but not replayed.
write() { pg_psql "$PG_PRIMARY_PORT" "insert into t select repeat('x', 1000) from generate_series(1, $1)" >/dev/null; }
pg_psql "$PG_PRIMARY_PORT" "create table t (x text)" >/dev/null
pg_psql "$PG_STANDBY_PORT" "select pg_wal_replay_pause()" >/dev/null
write 3000
behind() { [ "$(code "http://127.0.0.1:$HS/readiness?lag=1MB")" = 503 ]; }
ok "/readiness?lag=1MB: 503 once over 1MB is not replayed" wait_for 20 behind
received() { [ "$(code "http://127.0.0.1:$HS/readiness?lag=1MB&mode=write")" = 200 ]; }
ok "/readiness?lag=1MB&mode=write: 200, everything was received" wait_for 20 received
is "$(codes "$HS" '/readiness?lag=1MB&mode=apply' /readiness '/readiness?lag=64MB')" \
    "/readiness?lag=1MB&mode=apply=503 /readiness=200 /readiness?lag=64MB=200 " \
    "mode=apply as the default; no lag= no limit"
pg_psql "$PG_STANDBY_PORT" "select pg_wal_replay_resume()" >/dev/null
caught() { [ "$(code "http://127.0.0.1:$HS/readiness?lag=1MB")" = 200 ]; }
ok "replay resumed: /readiness?lag=1MB 200 again" wait_for 20 caught

# --- the primary stopped: the standby streams no more.
pg_primary_stop fast
lost() { [ "$(code "http://127.0.0.1:$HA/standby-leader")" = 503 ]; }
ok "/standby-leader: 503 once the standby does not stream" wait_for 10 lost
is "$(codes "$HS" /replica '/replica?replication_state=streaming' '/async?replication_state=streaming')" \
    "/replica=200 /replica?replication_state=streaming=503 /async?replication_state=streaming=503 " \
    "not streaming: still a /replica, not for replication_state=streaming"
done_testing
