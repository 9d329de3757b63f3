# SPDX-License-Identifier: ISC
# make faults: the faults, each a function fault_NAME that breaks
# something, records when (record NAME t0=... tr=... allow0=... allowr=...)
# and restores it.  run.sh waits for settled between two, then
# record_end.  Times are epoch ms; allow0/allowr: how long after the
# fault (t0) and after the restore (tr) requests may fail, from the
# timers (the report adds the client's own slack).
#
# The seed's timers: advert_int 1 s, api2's priority 100, so api2's skew
# time is (256-100)/256 s = 609 ms and its master-down interval 3609 ms.

ADV=1000
SKEW2=609
MDI2=$((3 * ADV + SKEW2))
MDI1=$((3 * ADV + (256 - 150) * ADV / 256))
# The seed's "check" on each server: haproxy's defaults, inter 2 s, rise
# 2, fall 3, and no "timeout check", so a check that cannot connect
# times out after inter.  A server cut off and reachable again can still
# be marked down by a check begun during the cut: it times out up to
# inter after the heal, and if that is the fall-th failure the server is
# out of the pool until rise more checks, inter apart, passed: up to
# inter + rise x inter = 6 s after the heal.  haproxy 2.6 does the same
# (tests/hashproxy/partition-check.t); meanwhile the other servers take
# its clients, and on a loaded machine the one API left may not keep up.
# The same holds for an API restarted after it was marked down.
INTER=2000
RISE=2
CHK_BACK=$((INTER + RISE * INTER))
# After api1 takes the VIP back, its gratuitous ARPs set the LAN's ARP
# caches, unless the old master claims the VIP after them: its own second
# round (garp_master_delay, 5 s, after it became master) is due at the
# same instant as its fifth advert, the one api1 may preempt on, and on
# a loaded host the two bursts interleave.  The caches then keep api2's
# MAC, where the VIP no longer is, until api1's second round,
# garp_master_delay later (keepalived does the same).  report.py finds
# such a crossing in the ARP prober's log and extends that fault's window
# by garp_master_delay from api1's MASTER line, and says so.
ALL_FAULTS=(vrrpd_kill9 vrrpd_stop link_flap partition named_kill api_kill
    hashproxy_restart hashproxy_handover vrrp_loss pg_failover pg_sync_failover host_freeze)

record() {
	local n=$1; shift
	{ printf 'fault %s' "$n"; printf ' %q' "$@"; echo; } >>"$T_TMP/faults"
}
record_end() { printf 'end %s\n' "$(now_ms)" >>"$T_TMP/faults"; }

# hashproxy on api1 sees every server up
hp_all_up() {
	local s
	s=$(echo "show stat" | socat -t 2 - "UNIX-CONNECT:$HPSOCK_api1" 2>/dev/null) || return 1
	s=$(printf '%s\n' "$s" | grep -E '^maas,(localhost|maas-api-[12]),')
	[ "$(printf '%s\n' "$s" | grep -c ',UP,')" = 3 ]
}
# the clients' last answers (done in the last 1.5 s) are all 200, and
# every client had one
recent_ok() {
	tail -n $((NCLIENTS * 12)) "$T_TMP/requests" 2>/dev/null |
	    awk -v since=$(( $(now_ms) - 1500 )) -v need="$NCLIENTS" '
		$2 >= since { n++; if ($5 != "200") bad++ }
		END { exit !(n >= need && !bad) }'
}
settled() { only api1 && hp_all_up && recent_ok; }

# ev_at FILE N REGEX: the time (epoch ms) of FILE's first line past its
# first N matching REGEX (after the stamp), waiting up to 15 s for it
ev_at() {
	local l
	wait_file_line_after 15 "$1" "$2" "	$3" || return 1
	l=$(tail -n "+$(($2 + 1))" "$1" | grep -E -m1 -- "	$3")
	l=${l%%	*}
	echo $(( ${l//./} / 1000 ))
}

# wait_until MS: the fault's own schedule (how long it lasts), not a settle
wait_until() {
	local d=$(( $1 - $(now_ms) ))
	[ "$d" -gt 0 ] && read -r -t "$(printf '%d.%03d' $((d / 1000)) $((d % 1000)))" \
	    -u "${_WAIT_FD:-0}" _ 2>/dev/null
	return 0
}

# --- the faults ------------------------------------------------------------

# kill -9 of the master's vrrpd: its VIP stays on eth0 (nobody removes
# it); api2 takes over after its master-down interval.
fault_vrrpd_kill9() {
	local t0 tr tb n
	t0=$(now_ms)
	kill -9 "$VR_api1"
	wait_for 15 has_vip api2 || FAULT_ERR="api2 did not take the VIP"
	# the restore starts with the restart: vrrpd removes the VIP the
	# killed one left before it says BACKUP, and the connections to it
	# go then (their failures were counted outside, a few ms before a
	# tr taken at the BACKUP line)
	tr=$(now_ms)
	kill "${SV_PID[api1]}" 2>/dev/null
	n=$(file_lines "$EV/api1.vr.ev")
	vr_start api1 || FAULT_ERR="vrrpd did not restart"
	tb=$(ev_at "$EV/api1.vr.ev" "$n" BACKUP) || { tb=$tr; FAULT_ERR="no BACKUP line"; }
	# it preempts api2 within an advert interval of its start (its
	# BACKUP line); on a loaded machine the start itself took 2 s once,
	# and the requests cut when the VIP moved back then were counted
	# outside a window timed from the restart command
	record vrrpd_kill9 t0=$t0 tr=$tr allow0=$MDI2 allowr=$((tb - tr + ADV)) \
	    what="kill -9 of api1's vrrpd; restarted once api2 holds the VIP (tr: the restart)"
}

# named killed on the master: svccheck --watch tells vrrpd at once; api1
# goes FAULT, sends priority 0, api2 takes over after its skew time.
fault_named_kill() {
	local t0 tr n
	t0=$(now_ms)
	kill -9 "$NAMED_api1"
	wait_for 15 has_vip api2 || FAULT_ERR="api2 did not take the VIP"
	wait_for 15 only api2 || FAULT_ERR="api1 kept the VIP"
	n=$(file_lines "$EV/api1.vr.ev")
	named_start api1 || FAULT_ERR="named did not restart"
	tr=$(ev_at "$EV/api1.vr.ev" "$n" BACKUP) || { tr=$(now_ms); FAULT_ERR="no BACKUP line"; }
	record named_kill t0=$t0 tr=$tr allow0=$((SKEW2 + 10)) allowr=$ADV \
	    what="kill -9 of api1's named (svccheck --watch | vrrpd --track-fd 0); restarted once api2 holds the VIP (tr: api1 left FAULT)"
}

# SIGSTOP of the master's vrrpd for 5 s: its VIP stays, api2 takes it
# too after its master-down interval (two masters), SIGCONT: api1 preempts.
fault_vrrpd_stop() {
	local t0 tr
	t0=$(now_ms)
	kill -STOP "$VR_api1"
	wait_for 15 has_vip api2 || FAULT_ERR="api2 did not take the VIP"
	wait_until $((t0 + 5000))
	# tr before the restore: on a loaded machine the shell takes tens of
	# ms to come back from the kill, and the requests the thawed vrrpd
	# moves meanwhile were counted outside any window
	tr=$(now_ms)
	kill -CONT "$VR_api1"
	record vrrpd_stop t0=$t0 tr=$tr allow0=$MDI2 allowr=$ADV \
	    what="SIGSTOP of api1's vrrpd, SIGCONT 5 s later"
}

# api1's cable out and in every 300 ms for 5 s
fault_link_flap() {
	local t0 tr t
	t0=$(now_ms)
	for ((t = t0; t < t0 + 5000; t += 600)); do
		ns_link api1 eth0 down
		wait_until $((t + 300))
		ns_link api1 eth0 up
		wait_until $((t + 600))
	done
	tr=$(now_ms)
	# After the last link up api1 is BACKUP (it left FAULT) and master
	# again within its master-down interval (RFC 5798 6.4.2: a backup
	# that preempts discards a lower priority's adverts and waits for
	# Master_Down_Timer; vrrpd, as keepalived, takes over at once on
	# the first such advert, which is sooner); the requests in flight
	# to api2 when the VIP moves back are cut then.  Nothing after it:
	# the 2 s this window had for the requests clients piled up was a
	# capacity allowance, unused (at load 25 the last failure was sent
	# 900 ms after the restore)
	record link_flap t0=$t0 tr=$tr allow0=$((tr - t0)) allowr=$MDI1 \
	    what="api1's eth0 down and up every 300 ms for 5 s"
}

# nft_drop H TABLE RULE: a table of H's dropping what RULE matches on input
nft_drop() {
	ns_run "$1" nft -f - <<-EOF
		table inet $2 {
			chain in {
				type filter hook input priority -10; policy accept;
				$3 drop
			}
		}
	EOF
}
nft_del() { ns_run "$1" nft delete table inet "$2"; }

# api1 and api2 cannot hear each other for 10 s: two masters; healed, one
# must be left within an advert interval
fault_partition() {
	local t0 tr
	t0=$(now_ms)
	nft_drop api1 hdpart "ip saddr 192.0.2.2" && nft_drop api2 hdpart "ip saddr 192.0.2.1" ||
	    FAULT_ERR="nft"
	wait_for 15 has_vip api2 || FAULT_ERR="api2 did not take the VIP"
	wait_until $((t0 + 10000))
	nft_del api1 hdpart; nft_del api2 hdpart
	# after the heal (one master is timed from it); allow0 covers the
	# requests before, and report.py those in flight across it
	tr=$(now_ms)
	# while cut off, a hashproxy's connects to the other host's API wait
	# for the default 5 s timeout connect (the seed's haproxy.cfg sets
	# none) until its checks mark it down: failures for the whole cut.
	# After the heal: one master within an advert interval, and the other
	# host's API back in api1's hashproxy within CHK_BACK (above).
	record partition t0=$t0 tr=$tr allow0=$((tr - t0)) \
	    allowr=$((CHK_BACK > ADV ? CHK_BACK : ADV)) \
	    what="nftables drop between api1 and api2, healed after 10 s"
}

# the API server on api1 killed: hashproxy retries and redispatches
fault_api_kill() {
	local t0 tr n
	n=$(file_lines "$EV/api1.hp.ev")
	t0=$(now_ms)
	kill -9 "$API_api1"
	# the seed names api1's API twice (localhost, maas-api-1): both down
	wait_file_line_after 15 "$EV/api1.hp.ev" "$n" 'down backend=maas server=localhost' &&
	    wait_file_line_after 15 "$EV/api1.hp.ev" "$n" 'down backend=maas server=maas-api-1' ||
	    FAULT_ERR="hashproxy on api1 did not mark localhost and maas-api-1 down"
	tr=$(now_ms)
	api_start api1 || FAULT_ERR="API did not restart"
	# until hashproxy marks it down (check inter 2 s, fall 3), requests
	# hashed to it wait haproxy's 1 s turn-around between 3 retries;
	# restarted, its two entries stay out of the pool until rise checks
	# passed (CHK_BACK) and api2's API serves every client alone, as it
	# did since they were marked down: no timer allows a failure after
	# the restore.  (A window of CHK_BACK after it was a capacity
	# allowance for an API stand-in that worked on requests whose
	# clients had given up; it no longer does, api.py.)
	record api_kill t0=$t0 tr=$tr allow0=$((tr - t0)) allowr=0 \
	    what="kill -9 of api1's API server; restarted once api1's hashproxy marked both its entries down"
}

# hashproxy on api1 killed and restarted at once, as a supervisor does:
# the requests that fail must be the ones it held or that came while no
# one listened, none after
fault_hashproxy_restart() {
	local t0 tr
	t0=$(now_ms)
	kill -9 "$HP_api1"
	wait_gone 5 "$HP_api1"
	hp_start api1 || FAULT_ERR="hashproxy did not restart"
	tr=$(now_ms)
	record hashproxy_restart t0=$t0 tr=$tr allow0=$((tr - t0)) allowr=0 \
	    what="kill -9 of api1's hashproxy, started again at once (listening at tr)"
}

# hashproxy on api1 restarted without a gap, as haproxy -sf does: a new
# one starts beside it (both listen, SO_REUSEPORT), then the old one gets
# SIGTERM (closes its listener, drains its connections)
fault_hashproxy_handover() {
	local t0 tr old=$HP_api1
	t0=$(now_ms)
	hp_start api1 2 || FAULT_ERR="second hashproxy"
	wait_for 10 hp_all_up || FAULT_ERR="the new hashproxy's servers are not up"
	kill -TERM "$old"
	# (it drains the API's pooled database connections for its
	# --drain-timeout, 30 s, then exits)
	wait_gone 45 "$old" || FAULT_ERR="the old hashproxy did not stop"
	tr=$(now_ms)
	HP_api1=$HP2_api1
	record hashproxy_handover t0=$t0 tr=$tr allow0=0 allowr=0 \
	    what="a second hashproxy started on api1 beside the first, then SIGTERM to the first"
}

# 5% of the VRRP packets lost on both API hosts for 15 s: no failover
fault_vrrp_loss() {
	local t0 tr n1 n2 flips
	n1=$(file_lines "$EV/api1.vr.ev"); n2=$(file_lines "$EV/api2.vr.ev")
	t0=$(now_ms)
	nft_drop api1 hdloss "ip protocol vrrp numgen random mod 100 < 5" &&
	    nft_drop api2 hdloss "ip protocol vrrp numgen random mod 100 < 5" ||
	    FAULT_ERR="nft"
	wait_until $((t0 + 15000))
	nft_del api1 hdloss; nft_del api2 hdloss
	tr=$(now_ms)
	flips=$(( $(file_lines "$EV/api1.vr.ev") - n1 + $(file_lines "$EV/api2.vr.ev") - n2 ))
	record vrrp_loss t0=$t0 tr=$tr allow0=0 allowr=0 x_state_changes=$flips \
	    what="5% random loss of VRRP (nftables numgen) on api1 and api2 for 15 s"
}

# The standby is PG_LAG_MS behind when the primary dies: its
# walreceiver's connection is cut (nftables drop on the standby, that
# connection only) for that long first, as a slow or broken link leaves
# it.  Without it the standby, on the same bridge, is a few ms behind and
# asynchronous replication lost no row in any run: the fault would not
# show what it is for.  Rows committed on the primary during the lag are
# acknowledged with asynchronous replication and lost with it; with
# synchronous_commit = on they wait for the standby and are never
# acknowledged.
PG_LAG_MS=${FAULTS_PG_LAG_MS:-1000}
# pg_lag NEW OLD: drop what OLD sends NEW's walreceiver (table hdlag)
pg_lag() {
	local wr port
	wr=$(psql_on "$1" "select pid from pg_stat_wal_receiver") && [ -n "$wr" ] || return 1
	port=$(ns_run "$1" ss -Htnp "dst $(dbaddr "$2") and dport = :5432" |
	    awk -v p="pid=$wr," 'index($0, p) { n = split($4, a, ":"); print a[n]; exit }')
	[ -n "$port" ] &&
	    nft_drop "$1" hdlag "ip saddr $(dbaddr "$2") tcp sport 5432 tcp dport $port"
}

# pg_round NAME OLD NEW SYNC: OLD (the primary) stops (immediate: what a
# crash leaves) once NEW is PG_LAG_MS behind, NEW is promoted once
# pgwatch beside it saw OLD down; then counts the rows acknowledged to a
# client that NEW lacks, and rebuilds OLD as NEW's standby
pg_round() {
	local name=$1 old=$2 new=$3 t0 ts tn tp tr n acked missing lost sc ssn
	sc=$(psql_on "$old" "show synchronous_commit")
	ssn=$(psql_on "$old" "show synchronous_standby_names")
	n=$(file_lines "$EV/$new.pgw.ev")
	t0=$(now_ms)
	pg_lag "$new" "$old" || FAULT_ERR="could not cut $new's walreceiver off"
	wait_until $((t0 + PG_LAG_MS))
	ts=$(now_ms)
	pg_ctl_on "$old" -m immediate stop
	wait_file_line_after 15 "$EV/$new.pgw.ev" "$n" "	down $(dbaddr "$old")" ||
	    FAULT_ERR="pgwatch on $new did not see $old down"
	tn=$(now_ms)
	pg_ctl_on "$new" -w promote || FAULT_ERR="promote"
	tp=$(now_ms)
	# (kept until the walreceiver is gone: removed earlier, the WAL OLD's
	# kernel still retransmits would reach it)
	nft_del "$new" hdlag
	wait_for 15 pg_writes_on "$new" || FAULT_ERR="no writes on $new"
	tr=$(now_ms)
	# every token acknowledged before the promotion was written on OLD,
	# but those an earlier round lost (OLD was rebuilt without them)
	touch "$T_TMP/lost-before"
	awk -v tp="$tp" '$5 == "200" && $2 < tp { print $4 }' "$T_TMP/requests" |
	    sort -u | comm -23 - "$T_TMP/lost-before" >"$T_TMP/acked.$name"
	psql_on "$new" "select token from req" | sort -u >"$T_TMP/present.$name"
	acked=$(wc -l <"$T_TMP/acked.$name")
	comm -23 "$T_TMP/acked.$name" "$T_TMP/present.$name" >"$T_TMP/lost.$name"
	sort -u -o "$T_TMP/lost-before" "$T_TMP/lost-before" "$T_TMP/lost.$name"
	missing=$(wc -l <"$T_TMP/lost.$name")
	# what the clients were told about the rows now lost: the id each
	# was acknowledged with, and its token (the first 10; all of them go
	# to DIR/lost.NAME.ids)
	lost=$(awk 'NR == FNR { l[$1]; next }
	    $5 == "200" && ($4 in l) { print $6 ":" $4 }' \
	    "$T_TMP/lost.$name" "$T_TMP/requests" | sort -n | tee "$T_TMP/lost.$name.ids" |
	    head -10 | paste -sd, -)
	# and the other way: requests of this round (in flight at t0 or sent
	# before the writes came back) a client saw fail whose row is there:
	# a retry would write it twice
	awk -v lo=$((t0 - TIMEOUT_MS)) -v hi="$tr" '$5 != "200" && $1 >= lo && $1 < hi { print $4 }' \
	    "$T_TMP/requests" | sort -u |
	    comm -12 - "$T_TMP/present.$name" >"$T_TMP/failed-written.$name"
	record "$name" t0=$t0 tr=$tr allow0=$((tp - t0 + 1000)) allowr=0 \
	    x_lag=$((ts - t0)) x_noticed=$((tn - ts)) x_promoted=$((tp - ts)) x_acked=$acked \
	    x_missing=$missing "x_missing_ids=${lost:-none}" \
	    x_failed_but_written=$(wc -l <"$T_TMP/failed-written.$name") \
	    x_sync=$([ -n "$ssn" ] && echo on || echo off) \
	    x_synchronous_commit=$sc "x_synchronous_standby_names='$ssn'" \
	    what="PostgreSQL $old stopped (immediate) with $new ${PG_LAG_MS} ms behind, $new promoted once pgwatch saw it; $old rebuilt as $new's standby"
	pg_standby_of "$old" "$new" || FAULT_ERR="$old did not come back as a standby"
}
# a row written through api1's hashproxy lands on DB
pg_writes_on() {
	local t
	t=$(tail -1 "$T_TMP/requests" | awk '$5 == "200" { print $4 }')
	[ -n "$t" ] && [ -n "$(psql_on "$1" "select id from req where token = '$t'")" ]
}
fault_pg_failover() { pg_round pg_failover db1 db2; }
# the same with synchronous replication: nothing acknowledged is lost
fault_pg_sync_failover() {
	psql_on db2 "alter system set synchronous_standby_names = '*'" &&
	    psql_on db2 "alter system set synchronous_commit = on" &&
	    psql_on db2 "select pg_reload_conf()" >/dev/null || FAULT_ERR="sync"
	wait_for 15 pg_sync_standby db2 || FAULT_ERR="db1 is not a sync standby"
	pg_round pg_sync_failover db2 db1
}
pg_sync_standby() {
	[ "$(psql_on "$1" "select sync_state from pg_stat_replication")" = sync ]
}

# every process of api1 (its PID namespace, and its svccheck outside)
# stopped for 5 s: the kernel still answers for its VIP
fault_host_freeze() {
	local t0 tr pids
	pids="$(ip netns pids "$(_ns_name api1)") ${SV_PID[api1]}"
	t0=$(now_ms)
	kill -STOP $pids
	wait_until $((t0 + 5000))
	kill -CONT $pids
	tr=$(now_ms)	# allow0 covers what comes before
	# thawed, api1 first works off what its kernel queued for 5 s (the
	# connections it accepted for the VIP): 2 s more than an advert
	record host_freeze t0=$t0 tr=$tr allow0=$((tr - t0)) allowr=$((ADV + 2000)) \
	    what="every process of api1 stopped (SIGSTOP) for 5 s"
}

pg_primary_now() {
	local d
	for d in db1 db2; do
		[ "$(psql_on $d 'select pg_is_in_recovery()' 2>/dev/null)" = f ] && { echo $d; return; }
	done
}

# marked_alive: a process of this run (carrying its mark) other than
# this shell is alive; MARKED names them
marked_alive() {
	local f pid
	MARKED=
	for f in /proc/[0-9]*/environ; do
		pid=${f#/proc/}; pid=${pid%/environ}
		[ "$pid" = $$ ] && continue
		grep -qsxz -- "T_MARK=$T_MARK" "$f" &&
		    [ -e "/proc/$pid" ] && [ "$(ps -o ppid= "$pid" | tr -d ' ')" != $$ ] &&
		    MARKED="$MARKED $pid($(cat "/proc/$pid/comm" 2>/dev/null))"
	done
	[ -n "$MARKED" ]
}

# leftovers_check: clean up now, then look for what is left of this run:
# a namespace, a process carrying its mark, its files, a PostgreSQL
# of its data directories.
leftovers_check() {
	local left=
	cleanup_run
	ip netns list 2>/dev/null | grep -q "^$T_ID-" && left="$left namespaces"
	marked_alive && left="$left processes:$MARKED"
	pgrep -f -- "$T_TMP/pg/" >/dev/null && left="$left postgres"
	[ -e "$T_TMP" ] && left="$left files"
	if [ -n "$left" ]; then
		printf 'target\tleftovers\tMISSED\tleft behind:%s\n' "$left" | tee -a "$OUT/report.txt"
		return 1
	fi
	printf 'target\tleftovers\tok\tno namespace, process or file left\n' | tee -a "$OUT/report.txt"
}
