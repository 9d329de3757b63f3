#!/bin/bash
# SPDX-License-Identifier: ISC
# pgwatch --http beside a real Patroni (Debian 12's 3.0.2 on its raft
# DCS): two Patroni nodes on 127.0.0.1 make a primary and a streaming
# replica, and each node's pgwatch (that node's server first, the other
# second) must answer each health path, query and method with the status
# that node's Patroni answers: idle, with the replica's replay paused
# (?lag=), with its PostgreSQL stopped, in Patroni's synchronous_mode and
# after a switchover (patronictl's, through the REST API).
#
# Left out of the comparison, on purpose (pgwatch(1) PATRONI says why):
#   HEAD and OPTIONS of /liveness and /readiness: Patroni 503, always
#     (its generic handler knows no such path); pgwatch as GET.
#   /patroni, /cluster, /history, /config, /failsafe: Patroni's DCS and
#     JSON (404 here); /metrics has pgwatch's names.
#   Patroni 4's parameters and paths, which pgwatch follows and 3.0.2
#     does not know: /readiness?lag=, &mode= (3.0.2 ignores both),
#     ?replication_state= other than streaming (3.0.2 ignores it),
#     /quorum, /read-only-quorum (3.0.2: not a path / as /read-only);
#     and /readiness of a replica whose PostgreSQL stopped while Patroni
#     was paused (3.0.2: 200 from the state it last set; 4 and pgwatch:
#     503).
. "$(dirname "$0")/../lib/tap.sh"
needs_root
command -v patroni >/dev/null || cannot_run "no patroni (tests/lib/deps.sh)"
PG_BIN=/usr/lib/postgresql/15/bin
[ -x "$PG_BIN/postgres" ] || cannot_run "no PostgreSQL 15 server"

D=$T_TMP/patroni
mkdir -m 700 "$D" && chown postgres "$D"
free_ports API1 API2 PG1 PG2 RAFT1 RAFT2 HW1 HW2
API=("" "$API1" "$API2") PG=("" "$PG1" "$PG2") HW=("" "$HW1" "$HW2")
RAFT=("" "$RAFT1" "$RAFT2")

# node_conf N: node N's patroni.yml.  loop_wait 1 s: the leader
# publishes its WAL position (what ?lag= is measured against) every loop.
# No watchdog: the test kills Patroni at its end, and a /dev/watchdog it
# had armed would reset the host.
node_conf() {
	cat <<-YML
	scope: ht$T_ID
	name: n$1
	log: {level: WARNING}
	watchdog: {mode: 'off'}
	restapi: {listen: 127.0.0.1:${API[$1]}, connect_address: 127.0.0.1:${API[$1]}}
	raft:
	  data_dir: $D/raft$1
	  self_addr: 127.0.0.1:${RAFT[$1]}
	  partner_addrs: [127.0.0.1:${RAFT[3 - $1]}]
	bootstrap:
	  dcs: {ttl: 20, loop_wait: 1, retry_timeout: 5}
	  initdb: [{encoding: UTF8}, {auth: trust}, no-sync]
	postgresql:
	  listen: 127.0.0.1:${PG[$1]}
	  connect_address: 127.0.0.1:${PG[$1]}
	  data_dir: $D/pg$1
	  bin_dir: $PG_BIN
	  pgpass: $D/pgpass$1
	  authentication:
	    superuser: {username: postgres}
	    replication: {username: postgres}
	  parameters: {unix_socket_directories: '$D', fsync: 'off', shared_buffers: 16MB, max_connections: 30}
	  pg_hba: [local all all trust, host all all 127.0.0.1/32 trust, host replication all 127.0.0.1/32 trust]
	YML
}
for n in 1 2; do
	node_conf "$n" >"$D/n$n.yml"
	chown postgres "$D/n$n.yml"
	runuser -u postgres -- patroni "$D/n$n.yml" >"$D/n$n.log" 2>&1 &
	cleanup_push "kill $!"
done

code() { curl -s -o /dev/null -m 5 -w '%{http_code}' "$@"; }
is_code() { [ "$(code "http://127.0.0.1:$2$3")" = "$1" ]; }
psql_at() { "$PG_BIN/psql" -X -A -t -q -h 127.0.0.1 -p "$1" -U postgres -d postgres -c "$2"; }
# leader: L (1 or 2) is the node whose Patroni holds the leader lock, R the other
leader() {
	if is_code 200 "$API1" /leader && ! is_code 200 "$API2" /leader; then L=1
	elif is_code 200 "$API2" /leader && ! is_code 200 "$API1" /leader; then L=2
	else return 1; fi
	R=$((3 - L))
}
# The pair settled: the replica streams and its Patroni says so.
settled() {
	leader &&
	[ "$(psql_at "${PG[L]}" "select count(*) from pg_stat_replication
	    where state = 'streaming'")" = 1 ] &&
	is_code 200 "${API[R]}" /replica
}
ok "Patroni elects a leader, the replica streams" wait_for 60 settled ||
    { cat "$D"/n?.log >&2; bail "no Patroni pair"; }
# Each pgwatch starts once both servers run: it backs off from a second
# host that does not answer (up to 30 s), and a Patroni bootstrap is that.
for n in 1 2; do
	pgwatch --http "${HW[n]}" --interval 100ms \
	    "host=127.0.0.1 port=${PG[n]} user=postgres" \
	    "host=127.0.0.1 port=${PG[3 - n]} user=postgres" >"$D/w$n" 2>&1 &
	cleanup_push "kill $!"
done
# each pgwatch has seen its server, and the replica's its primary; and
# both Patroni and pgwatch have the replica at the primary's position
# (after a promotion the new primary's checkpoint is on its way)
seen() { is_code 200 "${HW[L]}" /leader && is_code 200 "${HW[R]}" /async; }
caught() { is_code 200 "${API[R]}" '/replica?lag=0' && is_code 200 "${HW[R]}" '/replica?lag=0'; }
ok "each pgwatch sees the pair" wait_for 20 seen
wait_for 10 caught

# codes PORT METHOD PATH...: each path's status, one curl for all
codes() {
	local port=$1 m=$2 p a=(); shift 2
	case $m in HEAD) a=(-I) ;; GET) ;; *) a=(-X "$m") ;; esac
	for p; do a+=(-o /dev/null "http://127.0.0.1:$port$p"); done
	curl -s -m 10 -w '%{http_code} ' "${a[@]}"
}
# same NODE METHOD DESC PATH...: that node's pgwatch answers as its
# Patroni; on failure the paths that differ, "PATH patroni=X pgwatch=Y"
same() {
	local n=$1 m=$2 desc=$3 i w g diff=; shift 3
	read -ra w <<<"$(codes "${API[n]}" "$m" "$@")"
	read -ra g <<<"$(codes "${HW[n]}" "$m" "$@")"
	[ ${#w[@]} = $# ] || diff="patroni answered ${#w[@]} of $#"
	for ((i = 1; i <= $#; i++)); do
		[ "${w[i - 1]}" = "${g[i - 1]}" ] ||
		    diff+="${!i} patroni=${w[i - 1]} pgwatch=${g[i - 1]}; "
	done
	is "$diff" "" "$desc"
}
PATHS=(/ /primary /master /leader /read-write /standby-leader /standby_leader
    /replica /read-only /health /sync /synchronous /async /asynchronous
    /read-only-sync /read-only-synchronous
    '/replica?lag=0' '/replica?lag=1GB' '/replica?lag=9223372036854775807'
    '/replica?lag=' '/async?lag=0' '/read-only?lag=1MB' '/replica?foo=bar'
    '/replica?replication_state=streaming'
    '/replica?tag_nofailover=false' '/read-only?tag_a=b' '/health?tag_a=b'
    '/primary?tag_a=b' '/leader?tag_a=b' '/standby-leader?tag_a=b'
    /standby /nothing /replica/ /healthz /x/leader /primary-x /replic%61
    /READ-ONLY //replica
    '/replica?lag=10mb' '/replica?lag=16M' '/replica?lag=abc'
    '/replica?lag=zz&lag=0' '/replica?lag=0&lag=zz' '/?tag_a=b' '/?lag=0'
    '/replica?lag=1GB&tag_a=b' '/replica?replication_state=streaming&lag=1GB'
    '/health/' '/async/' '/sync?lag=0' '/read-only-sync?tag_a=b')
# (a negative lag= below: idle, Patroni's answer to it depends on whether
# its leader wrote its position to the DCS before or after the last WAL)
GETONLY=(/liveness /readiness '/liveness?tag_a=b' '/readiness?tag_a=b' /liveness/x
    //liveness /readiness/x '/liveness?lag=0' /livenessx /metrics/x)
compare() {	# WHEN
	local who n m
	for who in leader replica; do
		[ "$who" = leader ] && n=$L || n=$R
		same "$n" GET "$1, the $who: GET as Patroni" "${PATHS[@]}" "${GETONLY[@]}"
		for m in HEAD OPTIONS; do
			same "$n" "$m" "$1, the $who: $m as Patroni" "${PATHS[@]}"
		done
	done
}
compare idle
# other methods: 501 from both (no path here is one of Patroni's actions)
for m in POST PUT DELETE; do
	same "$L" "$m" "idle, the leader: $m as Patroni" /primary /replica /nothing
	same "$R" "$m" "idle, the replica: $m as Patroni" /primary /replica /nothing
done

# --- the replica's replay paused, 3 MB written: Patroni's leader
# publishes its position within a loop, and both see the replica behind.
# Patroni resumes a paused replay at its next loop, except in its own
# maintenance mode ("pause" in its DCS config; no health path reads it
# while the DCS answers).
dcs_config() {	# JSON: merged into Patroni's DCS configuration
	curl -s -o /dev/null -X PATCH -d "$1" "http://127.0.0.1:${API[L]}/config"
}
paused_on() { [[ $(curl -s "http://127.0.0.1:${API[$1]}/patroni") == *'"pause": true'* ]]; }
LAGGED=('/replica?lag=0' '/replica?lag=1MB' '/replica?lag=1GB' '/replica?lag=64MB'
    '/async?lag=0' '/async?lag=1GB' '/read-only?lag=0' '/read-only?lag=1GB'
    '/sync?lag=1GB' '/read-only-sync?lag=0' /replica /health
    '/replica?lag=10mb' '/replica?lag=-1' '/replica?lag=zz&lag=0'
    '/replica?lag=1e3' '/replica?lag=1e9' '/replica?lag=010' '/replica?lag=0.5MB'
    '/replica?lag=0x10000000' '/replica?lag=%2B1GB' '/replica?lag=1.5e3kB')
dcs_config '{"pause": true}'
wait_for 10 paused_on "$R" || diag "Patroni not paused"
psql_at "${PG[R]}" "select pg_wal_replay_pause()" >/dev/null
psql_at "${PG[L]}" "create table t as select repeat('x', 1000) from generate_series(1, 3000)" >/dev/null
behind() { is_code 503 "${API[R]}" '/replica?lag=1MB' && is_code 503 "${HW[R]}" '/replica?lag=1MB'; }
ok "replay paused: Patroni and pgwatch see the replica behind" wait_for 20 behind
for m in GET HEAD OPTIONS; do
	same "$R" "$m" "replay paused, the replica: $m ?lag= as Patroni" "${LAGGED[@]}"
	same "$L" "$m" "replay paused, the leader: $m ?lag= as Patroni" "${LAGGED[@]}"
done
psql_at "${PG[R]}" "select pg_wal_replay_resume()" >/dev/null

# --- the replica's PostgreSQL stopped (still paused: Patroni leaves it
# stopped) while its Patroni runs; unpaused, Patroni starts it again.
runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$D/pg$R" -m fast -w stop >/dev/null
down() { is_code 503 "${API[R]}" /health && is_code 503 "${HW[R]}" /health; }
ok "the replica's PostgreSQL stopped: both see it" wait_for 20 down
# (/readiness left out: 3.0.2 says 200 from the state it last saw, Patroni
# 4 and pgwatch 503)
GETONLY_ALL=("${GETONLY[@]}") GETONLY=(/liveness /liveness/x)
compare "the replica's PostgreSQL stopped"
GETONLY=("${GETONLY_ALL[@]}")
dcs_config '{"pause": false}'
ok "unpaused: Patroni starts it, and both see it caught up" wait_for 30 caught

# --- Patroni's synchronous_mode: it names the replica in
# synchronous_standby_names and in its DCS /sync key; pgwatch reads the
# primary's pg_stat_replication (sync_state of the replica's name).
# Patroni names it once it streams, pgwatch sees it within a round.
sync_patroni() { is_code 200 "${API[R]}" /sync; }
sync_both() { sync_patroni && is_code 200 "${HW[R]}" /sync; }
dcs_config '{"synchronous_mode": true}'
wait_for 20 sync_patroni || diag "Patroni: no synchronous replica"
ok "synchronous_mode: the replica is /sync to both" wait_for 10 sync_both
compare synchronous_mode

# --- a switchover: the roles trade places, each node's answers with them
# (still in synchronous_mode: the old primary becomes the /sync replica).
old=$L
# (POST /switchover is what patronictl switchover sends, without a
# Python start)
curl -s -X POST -d "{\"leader\": \"n$L\", \"candidate\": \"n$R\"}" \
    "http://127.0.0.1:${API[L]}/switchover" >"$D/switchover" 2>&1
swapped() { settled && [ "$L" != "$old" ]; }
ok "a switchover: the other node leads, the old one streams" wait_for 60 swapped ||
    cat "$D/switchover" >&2
traded() { is_code 200 "${HW[L]}" /leader && is_code 200 "${HW[R]}" /replica; }
ok "each pgwatch sees the roles traded" wait_for 20 traded
wait_for 10 caught
wait_for 20 sync_patroni || diag "Patroni: no synchronous replica"
ok "the old primary is /sync to both" wait_for 10 sync_both
compare "after the switchover, synchronous_mode"
done_testing
