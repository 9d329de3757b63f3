# SPDX-License-Identifier: ISC
# make faults: the seed's API topology in network namespaces (sourced by
# run.sh after tests/lib/tap.sh, netns.sh).
#
#   LAN 192.0.2.0/24 (bridge)
#     api1 .1, api2 .2: named, vrrpd -f (the seed's keepalived.conf, api2
#         priority 100) fed by svccheck --watch named on --track-fd 0,
#         hashproxy -f (the seed's haproxy.cfg plus a pg frontend on
#         127.0.0.1:5433), the API stand-in (api.py) on :5240
#     db1 .11, db2 .12: PostgreSQL on :5432 (db1 primary, db2 streaming
#         standby), pgwatch --watch --http :8008 on each
#     cl .50 and .60-.79: the clients (load.py)
#     probe .49: the ARP prober (load.py arp)
#
# Every daemon's event lines go through stamp() into $T_TMP/NAME.ev as
# "epoch_seconds.micro<TAB>line", for the report.

VIP=192.0.2.100
NCLIENTS=${FAULTS_CLIENTS:-20}
# 50 requests a second: at 100 (a request every 200 ms) and load 35 the
# machine itself could not keep up after host_freeze (most answers over
# 1 s, timeouts 6 s after the thaw, the ARP prober never stalled over
# 200 ms): the clients, the two API stand-ins and PostgreSQL starved
PERIOD_MS=${FAULTS_PERIOD_MS:-400}
TIMEOUT_MS=${FAULTS_TIMEOUT_MS:-2000}
EV=$T_TMP/ev
FT=$(dirname "${BASH_SOURCE[0]}")

now_ms() { local t=${EPOCHREALTIME//[!0-9]/}; echo $((t / 1000)); }
say() { printf '# %s\n' "$*"; }

# stamp FILE: stdin's lines to FILE with the time they were read
stamp() {
	local l
	while IFS= read -r l; do printf '%s\t%s\n' "$EPOCHREALTIME" "$l"; done >>"$1"
}
# tee_stamp FILE: the same, and each line on to stdout
tee_stamp() {
	local l
	while IFS= read -r l; do
		printf '%s\t%s\n' "$EPOCHREALTIME" "$l" >>"$1"
		printf '%s\n' "$l" || return 0
	done
}

# (host_init H, in_host H CMD..., host_spawn: tests/lib/netns.sh)

# start_in H VAR NAME CMD...: CMD in H in the background, stdout stamped
# into $EV/NAME.ev, stderr to $EV/NAME.err, stdin from $STDIN (default
# /dev/null); VAR = its pid as seen from here.
start_in() {
	local h=$1 var=$2 name=$3 fifo; shift 3
	fifo=$T_TMP/fifo.$name.$RANDOM
	mkfifo "$fifo" || return 1
	stamp "$EV/$name.ev" <"$fifo" &
	host_spawn "$h" "$var" "$@" <"${STDIN:-/dev/null}" >"$fifo" \
	    2>>"$EV/$name.err" || return 1
	# (the fifo goes once both ends have it open: the command runs)
	rm -f "$fifo"
}

listening() { [ -n "$(ns_run "$1" ss -Hlnt "sport = :$2")" ]; }
has_vip() { ip -n "$(_ns_name "$1")" -4 addr show dev eth0 | grep -q " $VIP/"; }
holder() {
	local h out=
	for h in api1 api2; do has_vip $h && out="$out$h "; done
	echo "${out% }"
}
only() { [ "$(holder)" = "$1" ]; }

named_start() {	# a copy of sleep called named, in H's PID namespace
	start_in "$1" "NAMED_$1" "$1.named" "$T_TMP/$1/named" 100000
}
api_start() {
	start_in "$1" "API_$1" "$1.api" python3 "$FT/api.py" "$1" 127.0.0.1 5433 &&
	    wait_for 10 listening "$1" 5240
}
# hp_start H [N]: hashproxy in H (N: a second one beside it, for a
# restart without a gap: both listen on :80, SO_REUSEPORT)
hp_start() {
	local n=${2:-}
	start_in "$1" "HP$n"_"$1" "$1.hp" hashproxy -f "$T_TMP/haproxy.cfg" \
	    --control "$T_TMP/$1.hp$n.sock" && wait_for 10 listening "$1" 80 &&
	    printf -v "HPSOCK_$1" '%s' "$T_TMP/$1.hp$n.sock"
}

# vr_start H: svccheck --watch named (in the root PID namespace: the proc
# connector needs it; -e tells the hosts' named apart) | vrrpd -f
# keepalived.conf --track-fd 0 in H, as vrrpd(8) shows.
vr_start() {
	local h=$1 fifo=$T_TMP/fifo.$1.sv.$RANDOM
	mkfifo "$fifo" || return 1
	svccheck --watch -e "$T_TMP/$h/named" named 2>>"$EV/$h.sv.err" |
	    tee_stamp "$EV/$h.sv.ev" >"$fifo" &
	SV_PIPE_PID[$h]=$!
	STDIN=$fifo start_in "$h" "VR_$h" "$h.vr" vrrpd -f "$T_TMP/$h.conf" \
	    --control "$T_TMP/$h.vr.sock" --track-fd 0 || return 1
	wait_for 5 pgrep -n -f -- "svccheck --watch -e $T_TMP/$h/named" || return 1
	rm -f "$fifo"
	SV_PID[$h]=$(pgrep -n -f -- "svccheck --watch -e $T_TMP/$h/named")
}
declare -A SV_PID SV_PIPE_PID

# --- PostgreSQL on db1 and db2 ---------------------------------------------

PG_BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
_pg_as() { runuser -u postgres -- "$@"; }
dbaddr() { case $1 in db1) echo 192.0.2.11 ;; db2) echo 192.0.2.12 ;; esac; }
psql_on() {	# psql_on DB SQL: one value, over DB's socket directory
	_pg_as "$PG_BIN/psql" -X -A -t -q -h "$T_TMP/pg/$1.sock" -p 5432 \
	    -U postgres -d postgres -c "$2"
}
pg_ctl_on() {	# pg_ctl_on DB ACTION [ARGS]: pg_ctl in DB's namespace
	local d=$1; shift
	ns_run "$d" runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$T_TMP/pg/$d" \
	    -l "$T_TMP/pg/$d.log" "$@" >/dev/null
}
pg_conf() {	# pg_conf DB: what both servers share
	cat >>"$T_TMP/pg/$1/postgresql.conf" <<-CONF
		port = 5432
		listen_addresses = '$(dbaddr "$1")'
		unix_socket_directories = '$T_TMP/pg/$1.sock'
		wal_level = replica
		max_wal_senders = 5
		hot_standby = on
		fsync = off
		max_connections = 60
		shared_buffers = 16MB
		wal_sender_timeout = 5s
		wal_receiver_status_interval = 1s
	CONF
}
pg_streaming() {
	[ "$(psql_on "$1" "select status from pg_stat_wal_receiver")" = streaming ]
}
# pg_standby_of NEW OLD: NEW (empty) becomes a streaming standby of OLD
pg_standby_of() {
	rm -rf "${T_TMP:?}/pg/$1"
	ns_run "$1" runuser -u postgres -- "$PG_BIN/pg_basebackup" \
	    -h "$(dbaddr "$2")" -p 5432 -U postgres -D "$T_TMP/pg/$1" -R \
	    -X stream >>"$T_TMP/pg/basebackup.log" 2>&1 || return 1
	sed -i "s/^listen_addresses = .*/listen_addresses = '$(dbaddr "$1")'/;
	    s|^unix_socket_directories = .*|unix_socket_directories = '$T_TMP/pg/$1.sock'|" \
	    "$T_TMP/pg/$1/postgresql.conf"
	# synchronous replication is a round of its own, not inherited
	sed -i '/^synchronous_/d' "$T_TMP/pg/$1/postgresql.conf" \
	    "$T_TMP/pg/$1/postgresql.auto.conf"
	mkdir -p "$T_TMP/pg/$1.sock" && chown postgres "$T_TMP/pg/$1.sock"
	pg_ctl_on "$1" -w -t 60 start || return 1
	wait_for 30 pg_streaming "$1"
}
pg_pair() {
	mkdir -p "$T_TMP/pg/db1.sock" "$T_TMP/pg/db2.sock" &&
	    chown -R postgres "$T_TMP/pg" && chmod 700 "$T_TMP/pg" || return 1
	cleanup_push "pg_ctl_on db2 -m immediate stop"
	cleanup_push "pg_ctl_on db1 -m immediate stop"
	_pg_as "$PG_BIN/initdb" -D "$T_TMP/pg/db1" -A trust -U postgres \
	    --no-sync >"$T_TMP/pg/initdb.log" 2>&1 || return 1
	pg_conf db1
	echo "host all all 192.0.2.0/24 trust" >>"$T_TMP/pg/db1/pg_hba.conf"
	echo "host replication all 192.0.2.0/24 trust" >>"$T_TMP/pg/db1/pg_hba.conf"
	pg_ctl_on db1 -w -t 60 start || return 1
	psql_on db1 "create table req (id bigserial primary key, token text,
	    host text, at timestamptz default now())" || return 1
	pg_standby_of db2 db1
}
pgwatch_start() {	# on DB's address, DB first (the one it serves)
	local me=$1 other=db1
	[ "$me" = db1 ] && other=db2
	ns_run "$me" pgwatch --watch --interval 200ms --connect-timeout 500ms \
	    --http "$(dbaddr "$me"):8008" \
	    "host=$(dbaddr "$me") user=postgres dbname=postgres" \
	    "host=$(dbaddr "$other") user=postgres dbname=postgres" \
	    2>>"$EV/$me.pgw.err" | stamp "$EV/$me.pgw.ev" &
}

# --- configuration -------------------------------------------------------

make_configs() {
	# haproxy.cfg: the seed's block ($PRIMARY/$SECONDARY_API_SERVER_IP =
	# api1/api2), then the API's database traffic: to whichever server
	# pgwatch --http calls the primary, cut when it stops being one
	grep -v '^#' "$T_TOP/contrib/hashproxy/haproxy.cfg.seed" |
	    sed 's/127\.0\.0\.2:5240/api1:5240/; s/127\.0\.0\.3:5240/api2:5240/' \
	    >"$T_TMP/haproxy.cfg"
	cat >>"$T_TMP/haproxy.cfg" <<-EOF

		frontend pg
		    bind 127.0.0.1:5433
		    mode tcp
		    timeout client 60s
		    default_backend pg

		backend pg
		    mode tcp
		    timeout connect 1s
		    timeout server 60s
		    option httpchk OPTIONS /primary
		    http-check expect status 200
		    default-server inter 200ms fall 2 rise 1 on-marked-down shutdown-sessions
		    server db1 192.0.2.11:5432 check port 8008
		    server db2 192.0.2.12:5432 check port 8008
	EOF
	cp "$T_TOP/contrib/vrrpd/keepalived.conf.seed" "$T_TMP/api1.conf"
	sed 's/priority 150/priority 100/' "$T_TMP/api1.conf" >"$T_TMP/api2.conf"
	printf '127.0.0.1 localhost\n192.0.2.1 api1\n192.0.2.2 api2\n' >"$T_TMP/hosts"
}

build_topology() {
	local h i
	mkdir -p "$EV"
	make_configs
	ns_switch sw || return 1
	ns_host sw api1 192.0.2.1/24 && ns_host sw api2 192.0.2.2/24 &&
	    ns_host sw db1 192.0.2.11/24 && ns_host sw db2 192.0.2.12/24 &&
	    ns_host sw cl 192.0.2.50/24 && ns_host sw probe 192.0.2.49/24 ||
	    return 1
	for ((i = 0; i < NCLIENTS; i++)); do
		CLIENTS+=("192.0.2.$((60 + i))")
		ip -n "$(_ns_name cl)" addr add "192.0.2.$((60 + i))/24" dev eth0 || return 1
	done
	pg_pair || { say "PostgreSQL did not start"; return 1; }
	pgwatch_start db1; pgwatch_start db2
	for h in api1 api2; do
		# a hashproxy handed over to another beside it (SO_REUSEPORT,
		# then SIGTERM) closes its listener: without this the kernel
		# resets the connections still in that listener's queue
		# instead of moving them to the new one (hashproxy(8), SIGTERM)
		ns_run $h sysctl -qw net.ipv4.tcp_migrate_req=1 || return 1
		host_init $h || return 1
		in_host $h mount --bind "$T_TMP/hosts" /etc/hosts || return 1
		mkdir -p "$T_TMP/$h" && cp /bin/sleep "$T_TMP/$h/named"
		named_start $h || return 1
		hp_start $h || { say "$h: hashproxy"; return 1; }
		api_start $h || { say "$h: API"; return 1; }
	done
	vr_start api1 && vr_start api2 || { say "vrrpd"; return 1; }
}
declare -a CLIENTS

load_start() {
	ns_run cl python3 "$FT/load.py" "$VIP" "$PERIOD_MS" "$TIMEOUT_MS" \
	    "$T_TMP/requests" - eth0 "${CLIENTS[@]}" 2>>"$EV/load.err" &
	LOAD_PID=$!
	ns_run probe python3 "$FT/load.py" arp "$VIP" "$T_TMP/arp" eth0 \
	    192.0.2.49 2>>"$EV/arp.err" &
	ARP_PID=$!
}
load_stop() {
	kill -TERM "$LOAD_PID" "$ARP_PID" 2>/dev/null
	wait_gone 10 "$LOAD_PID"
	wait_gone 10 "$ARP_PID"
}
