#!/bin/bash
# SPDX-License-Identifier: ISC
# keepalived's state files, as keepalived-exporter and "kill -USR2; grep"
# scripts get them: the signal "--signum=DATA|STATS|JSON" names, sent to
# the daemon's pid, then /tmp/keepalived.data, .stats, .json read with the
# exporter's parser (kaparse.py).  One keepalived.conf (two instances, a
# VRRPv2 one with a password, a track_script and a track_file, a VRRPv3
# one) runs under keepalived 2.2.7, then under vrrpd, on host a; the same
# events in turn: a alone (master), a higher priority peer b of the same
# daemon (a releases), b stops (a hears priority 0, is master again), a's
# track file says fault (a sends priority 0).  What the exporter reads
# from each file must be the same for both daemons.  Each host has its own
# /tmp (a tmpfs in its mount namespace): the real /tmp/keepalived.* and
# other tests' are never touched.
. "$(dirname "$0")/lib.sh"
. "$T_TOP/tests/vrrpd/privtmp.sh"
needs_root
command -v keepalived >/dev/null || cannot_run "no keepalived"

for n in STOP RELOAD DATA STATS JSON; do
	is "$(vrrpd --signum=$n)" "$(keepalived --signum=$n)" \
	    "vrrpd --signum=$n prints keepalived's number"
done
exit_is 2 "vrrpd --signum: a name it has no signal for is a usage error" \
    vrrpd --signum=STATS_CLEAR

topo a b
for h in a b; do
	host_init $h || bail "host $h"
	p=P1_$h
	privtmp "${!p}" || bail "private /tmp on $h"
done
ok "host a's /tmp is its own" test "$(in_host a ls -A /tmp)" = "${T_TMP#/tmp/}"

# conf H PRIO > FILE
conf() {
	cat <<EOF
vrrp_script chk_ok {
    script "/bin/true"
    interval 60
}
vrrp_track_file tf {
    file "$T_TMP/$1.tf"
}
vrrp_instance VI_1 {
    state BACKUP
    interface eth0
    priority $2
    virtual_router_id 51
    advert_int 1
    authentication {
        auth_type PASS
        auth_pass s3cret
    }
    track_script {
        chk_ok
    }
    track_file {
        tf weight 0
    }
    virtual_ipaddress {
        192.0.2.100
        192.0.2.101/24 dev eth0
    }
}
vrrp_instance VI_2 {
    interface eth0
    priority $2
    virtual_router_id 52
    version 3
    advert_int 1
    virtual_ipaddress {
        192.0.2.102/24
    }
}
EOF
}
conf a 150 >"$T_TMP/a.conf"
conf b 200 >"$T_TMP/b.conf"

# dump H KIND: H's daemon ($D, pid PID_H) writes its KIND file; a stale
# file longer than the new one is there first, so a file written over
# instead of replaced shows.  Read twice, the same: keepalived writes its
# file in place, a read while it writes sees half.
declare -A SIG=([data]=DATA [stats]=STATS [json]=JSON)
STALE=$(printf 'stale line of an older dump\n%.0s' {1..600})
dump() {
	local h=$1 k=$2 p="PID_$1" f="/tmp/keepalived.$2"
	in_host "$h" sh -c "printf '%s' '$STALE' > $f"
	kill -s "$($D --signum=${SIG[$k]})" "${!p}" &&
	    wait_for 5 _dumped "$h" "$f" "$T_TMP/$h.$k"
}
_dumped() {
	in_host "$1" cat "$2" >"$3.1" && in_host "$1" cat "$2" >"$3" &&
	    ! grep -q stale "$3" && [ -s "$3" ] && cmp -s "$3" "$3.1"
}
# parsed H KIND: the dump, as the exporter reads it
parsed() { dump "$1" "$2" && "$T_TOP/tests/vrrpd/kaparse.py" "$2" "$T_TMP/$1.$2"; }
# inst_is H INST STATE / stat_is H INST KEY=VALUE: in H's data / stats
inst_is() { parsed "$1" data | grep -q "^instance $2 state=$3 "; }
stat_is() { parsed "$1" stats | grep -Eq "^stats $2 .*\<$3( |\$)"; }

# run D: the events above with daemon D; what the exporter reads, in
# $T_TMP/D.*
run() {
	D=$1
	echo 0 >"$T_TMP/a.tf"
	echo 0 >"$T_TMP/b.tf"
	: >"$T_TMP/a.out"
	: >"$T_TMP/b.out"
	daemon_in "$D" a "$T_TMP/a.conf"
	PID_a=$PID
	ok "$D: a is master of both (DATA file)" wait_for 15 \
	    eval 'inst_is a VI_1 MASTER && inst_is a VI_2 MASTER'
	parsed a data >"$T_TMP/$D.alone.data"
	parsed a stats >"$T_TMP/$D.alone.stats"
	parsed a json >"$T_TMP/$D.alone.json"
	in_host a stat -c '%a %U' /tmp/keepalived.data /tmp/keepalived.stats \
	    /tmp/keepalived.json >"$T_TMP/$D.mode"

	daemon_in "$D" b "$T_TMP/b.conf"
	PID_b=$PID
	ok "$D: a releases both to b (STATS file)" wait_for 15 \
	    eval 'stat_is a VI_1 release_master=1 && stat_is a VI_2 release_master=1'
	kill -TERM "$PID_b"
	wait_gone 15 "$PID_b"
	ok "$D: a hears b's priority 0, is master again" wait_for 15 \
	    eval 'stat_is a VI_1 pri_zero_rcvd=1 && stat_is a VI_2 become_master=2'
	echo 1 >"$T_TMP/a.tf"
	ok "$D: a's VI_1 in FAULT sent priority 0" wait_for 15 \
	    eval 'stat_is a VI_1 pri_zero_sent=1 && inst_is a VI_1 FAULT'
	parsed a data >"$T_TMP/$D.after.data"
	parsed a stats >"$T_TMP/$D.after.stats"
	parsed a json >"$T_TMP/$D.after.json"
	kill -TERM "$PID_a"
	wait_gone 15 "$PID_a"
}
run keepalived
run vrrpd

for f in alone.data alone.stats alone.json after.data after.stats \
    after.json mode; do
	is "$(cat "$T_TMP/vrrpd.$f")" "$(cat "$T_TMP/keepalived.$f")" \
	    "as keepalived's: $f"
done
# not an empty match: the parser read what it should
like "$(cat "$T_TMP/vrrpd.alone.data")" \
    'instance VI_1 state=MASTER wantstate=MASTER intf=eth0 garp_delay=5 vrid=51 vips=192.0.2.100@eth0,192.0.2.101/24@eth0' \
    "the exporter reads VI_1 from vrrpd's data file"
like "$(cat "$T_TMP/vrrpd.after.stats")" \
    'stats VI_1 advert_rcvd=>0 advert_sent=>0 become_master=2 release_master=2 .* pri_zero_rcvd=1 pri_zero_sent=1' \
    "the exporter reads VI_1's counters from vrrpd's stats file"
done_testing
