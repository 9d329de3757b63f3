# SPDX-License-Identifier: ISC
# A PostgreSQL primary and a streaming hot standby, made with initdb and
# pg_basebackup, in T_TMP, on free ports of 127.0.0.1, run as user postgres.
#
#   pg_initdb DATADIR    a new cluster (a copy of one made once per run)
#   pg_pair_start        sets PG_BIN, PG_DIR, PG_PRIMARY_PORT, PG_STANDBY_PORT,
#                        PG_PRIMARY (datadir), PG_STANDBY (datadir); returns
#                        once the standby streams (under make test, a copy
#                        of a pair made once per run).
#   pg_primary_start     pg_primary_stop [mode]
#   pg_standby_start     pg_standby_stop [mode]
#   pg_psql PORT SQL     one value, as postgres, over the socket
# Both servers are stopped (immediate) at exit.

PG_BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)

_pg_as() { runuser -u postgres -- "$@"; }

pg_psql() {
	_pg_as "$PG_BIN/psql" -X -A -t -q -h "$PG_DIR" -p "$1" -U postgres \
	    -d postgres -c "$2"
}

_pg_ctl() {	# datadir action [args]
	local d=$1; shift
	_pg_as "$PG_BIN/pg_ctl" -D "$d" -l "$d.log" "$@" >/dev/null
}

pg_primary_start() { _pg_ctl "$PG_PRIMARY" -w -t 60 start; }
pg_standby_start() { _pg_ctl "$PG_STANDBY" -w -t 60 start; }
pg_primary_stop() { _pg_ctl "$PG_PRIMARY" -w -m "${1:-fast}" stop; }
pg_standby_stop() { _pg_ctl "$PG_STANDBY" -w -m "${1:-fast}" stop; }

# Streaming as the primary sees it, and the standby has received at least
# what it replayed (before that pgwatch calls it "connecting").
_pg_streaming() {
	[ "$(pg_psql "$PG_PRIMARY_PORT" "select count(*) from
	    pg_stat_replication where state = 'streaming'")" = 1 ] &&
	[ "$(pg_psql "$PG_STANDBY_PORT" "select
	    pg_last_wal_receive_lsn() >= pg_last_wal_replay_lsn()")" = t ]
}

# pg_initdb DATADIR: a new cluster in DATADIR (which must not exist), as
# initdb -A trust -U postgres makes it; its log in DATADIR.initdb.log.  Under
# make test (HATOOLS_RUNDIR set) initdb runs once per run and each test
# copies that cluster: initdb takes seconds on a loaded machine, the copy
# a fraction of one, and every file that starts a cluster paid for it.
# The copy is a fresh cluster like any other: the data directory's path
# is in no file of it, and each test appends its own settings.
pg_initdb() {
	local t
	if [ -z "${HATOOLS_RUNDIR:-}" ]; then
		_pg_initdb_into "$1"
		return
	fi
	t=$HATOOLS_RUNDIR/pg-template
	(
		flock 9 || exit 1
		[ -d "$t" ] && exit 0
		rm -rf "$t.new" "$t.new.initdb.log"
		if ! _pg_initdb_into "$t.new"; then
			cp "$t.new.initdb.log" "$1.initdb.log"
			exit 1
		fi
		mv "$t.new" "$t"
	) 9>"$t.lock" || return 1
	_pg_clone "$t" "$1" && echo "copy of $t" >"$1.initdb.log"
}

# _pg_clone SRC DST: DST (which must not exist) a copy of the stopped
# cluster SRC that nobody else writes: an overlay whose lower layer is SRC,
# so nothing is copied until a server writes it (a pair is ~80 MB and
# ~2,000 files: a dozen test files copying it cost ~15 s of CPU a run,
# most of it in the kernel).  The test's cleanup unmounts it (cleanup.sh:
# every mount under T_TMP).  Where overlayfs cannot be mounted (no root,
# no module), a plain copy.
_pg_clone() {
	local o=$2.ovl
	[ -z "${_PG_COPY:-}" ] &&
	    mkdir -p "$o/up" "$o/work" && chown postgres "$o/up" && chmod 700 "$o/up" &&
	    mkdir "$2" &&
	    mount -t overlay hatools-pg \
		-o "lowerdir=$1,upperdir=$o/up,workdir=$o/work" "$2" 2>/dev/null &&
	    return 0
	rm -rf "$o"
	rmdir "$2" 2>/dev/null
	cp -a "$1" "$2"
}
_pg_initdb_into() {
	mkdir -m 700 "$1" && chown postgres "$1" || return 1
	_pg_as "$PG_BIN/initdb" -D "$1" -A trust -U postgres --no-sync \
	    >"$1.initdb.log" 2>&1
}

# _pg_pair_make DIR PPORT SPORT: DIR/primary (running) and DIR/standby,
# a base backup of it that streams from it once started.
_pg_pair_make() {
	local pd=$1/primary sd=$1/standby
	pg_initdb "$pd" || return 1
	cat >>"$pd/postgresql.conf" <<-CONF
		listen_addresses = '127.0.0.1'
		wal_level = replica
		max_wal_senders = 5
		hot_standby = on
		fsync = off
		max_connections = 50
		shared_buffers = 16MB
	CONF
	echo "host replication all 127.0.0.1/32 trust" >>"$pd/pg_hba.conf"
	_pg_place "$pd" "$2" "$1"
	_pg_ctl "$pd" -w -t 60 start || return 1
	_pg_as "$PG_BIN/pg_basebackup" -h 127.0.0.1 -p "$2" \
	    -U postgres -D "$sd" -R -X stream >"$1/basebackup.log" 2>&1 ||
	    return 1
	_pg_place "$sd" "$3" "$1"
}
# _pg_place DATADIR PORT SOCKETDIR: where a server listens (the last
# setting in postgresql.conf wins)
_pg_place() {
	printf "port = %s\nunix_socket_directories = '%s'\n" "$2" "$3" \
	    >>"$1/postgresql.conf"
}

# _pg_pair_copy: PG_PRIMARY and PG_STANDBY copied from a pair made once
# per run (HATOOLS_RUNDIR), stopped after the base backup: initdb and
# pg_basebackup (a checkpoint, the whole cluster over libpq) cost every
# file seconds on a loaded machine, the copy a fraction of that.  The
# standby starts from its backup label as it would from pg_basebackup's,
# replays the WAL it holds and streams the rest from its copied primary,
# which kept that WAL (its own shutdown checkpoint follows the backup).
_pg_pair_copy() {
	local t=$HATOOLS_RUNDIR/pg-pair
	(
		flock 9 || exit 1
		[ -d "$t" ] && exit 0
		rm -rf "$t.new"
		mkdir -m 700 "$t.new" && chown postgres "$t.new" || exit 1
		trap '_pg_ctl "$t.new/primary" -m immediate stop 2>/dev/null' EXIT
		trap 'exit 1' TERM INT HUP
		# a directory of its own: a clone (an overlay) would stay
		# mounted in the run's directory
		_PG_COPY=1 _pg_pair_make "$t.new" "$(free_port)" 0 || exit 1
		_pg_ctl "$t.new/primary" -w -m fast stop || exit 1
		trap - EXIT
		mv "$t.new" "$t"
	) 9>"$t.lock" || return 1
	_pg_clone "$t/primary" "$PG_PRIMARY" &&
	    _pg_clone "$t/standby" "$PG_STANDBY" || return 1
	_pg_place "$PG_PRIMARY" "$PG_PRIMARY_PORT" "$PG_DIR"
	_pg_place "$PG_STANDBY" "$PG_STANDBY_PORT" "$PG_DIR"
	sed -i "s/\bport=[0-9]*/port=$PG_PRIMARY_PORT/" \
	    "$PG_STANDBY/postgresql.auto.conf"
	pg_primary_start
}

pg_pair_start() {
	[ -x "$PG_BIN/initdb" ] || { echo "# no PostgreSQL server installed"; return 1; }
	PG_DIR="$T_TMP/pg"
	PG_PRIMARY="$PG_DIR/primary"
	PG_STANDBY="$PG_DIR/standby"
	free_ports PG_PRIMARY_PORT PG_STANDBY_PORT
	mkdir -p "$PG_DIR" && chown postgres "$PG_DIR" && chmod 700 "$PG_DIR"
	cleanup_push "_pg_ctl '$PG_STANDBY' -m immediate stop; pkill -9 -f -- '-D $PG_STANDBY'"
	cleanup_push "_pg_ctl '$PG_PRIMARY' -m immediate stop; pkill -9 -f -- '-D $PG_PRIMARY'"
	if [ -n "${HATOOLS_RUNDIR:-}" ]; then
		_pg_pair_copy || return 1
	else
		_pg_pair_make "$PG_DIR" "$PG_PRIMARY_PORT" "$PG_STANDBY_PORT" ||
		    return 1
	fi
	pg_standby_start || return 1
	wait_for 30 _pg_streaming
}
