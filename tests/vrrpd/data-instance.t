#!/bin/bash
# SPDX-License-Identifier: ISC
# Where the DATA signal's file goes: keepalived 2.2.7 names it
# /tmp/keepalived.NAME.data when global_defs has data_use_instance and
# the top level "instance NAME", /tmp/keepalived.data otherwise; the
# STATS and JSON files keep their names.  All go to $TMPDIR when it is
# an absolute path.  A reload that changes the instance name is refused.
# Each case runs under keepalived, then vrrpd, on host a, whose /tmp is
# its own (a tmpfs in its mount namespace); the file names each daemon
# wrote must be the same.
. "$(dirname "$0")/lib.sh"
. "$T_TOP/tests/vrrpd/privtmp.sh"
needs_root
command -v keepalived >/dev/null || cannot_run "no keepalived"

topo a
host_init a || bail "host a"
privtmp "$P1_a" || bail "private /tmp on a"

# conf 'TOP LINE' 'GLOBAL LINE' PRIO > FILE
conf() {
	cat <<EOF
$1
global_defs {
    $2
}
vrrp_instance VI_1 {
    interface eth0
    priority $3
    virtual_router_id 51
    advert_int 1
    virtual_ipaddress {
        192.0.2.100
    }
}
EOF
}

# dumped SIG: the name of the keepalived.* file the signal SIG (a
# --signum name) made D (pid $PID) write in a's /tmp or /tmp/alt, under
# /tmp (keepalived's parent writes keepalived_parent.*, vrrpd has no
# parent: not looked at)
dumped() {
	in_host a sh -c 'rm -f /tmp/keepalived* /tmp/alt/keepalived*'
	kill -s "$($D --signum="$1")" "$PID" &&
	    wait_for 5 _written && _written
}
_written() {
	in_host a sh -c 'cd /tmp && ls -d keepalived.* alt/keepalived.* 2>/dev/null' |
	    grep .
}

# prio_is N: D's DATA file says VI_1's priority is N (a reload is done)
prio_is() {
	local f
	f=$(dumped DATA) &&
	    in_host a grep -q "^   Priority = $1\$" "/tmp/$f"
}

# run D CASE 'TOP LINE' 'GLOBAL LINE' [TMPDIR]: D's DATA file name in
# $T_TMP/D.CASE (and its STATS file's in D.CASE.stats when TMPDIR is set)
run() {
	D=$1
	conf "$3" "$4" 100 >"$T_TMP/a.conf"
	# the readiness waits (ka_in's log line, vr_in's socket) must not
	# find the last case's
	: >"$T_TMP/a.out"; : >"$T_TMP/a.err"; rm -f "$T_TMP/a.sock"
	if [ -n "$5" ]; then
		TMPDIR=$5 daemon_in "$D" a "$T_TMP/a.conf"
		dumped STATS >"$T_TMP/$D.$2.stats"
	else
		daemon_in "$D" a "$T_TMP/a.conf"
	fi
	dumped DATA >"$T_TMP/$D.$2"
	if [ "$2" = use ]; then
		dumped STATS >"$T_TMP/$D.use.stats"
		dumped JSON >"$T_TMP/$D.use.json"
		conf "$3" "$4" 101 >"$T_TMP/a.conf"
		kill -HUP "$PID"
		ok "$D: reloaded" wait_for 15 prio_is 101
		dumped DATA >"$T_TMP/$D.reload"
		# another name: keepalived refuses the whole reload
		conf "instance other" "$4" 102 >"$T_TMP/a.conf"
		kill -HUP "$PID"
		ok "$D: says the name cannot change" wait_for 15 grep -q \
		    "${REFUSED[$D]}" "$T_TMP/a.out" "$T_TMP/a.err"
		f=$(dumped DATA) &&
		    in_host a grep "^   Priority = " "/tmp/$f" |
		    sed "s|^|$f|" >"$T_TMP/$D.rename"
	fi
	kill -TERM "$PID"
	wait_gone 15 "$PID"
}

declare -A REFUSED=([keepalived]="Cannot change instance name"
    [vrrpd]='instance "ka1" cannot become "other"')
CASES="use:instance ka1:data_use_instance
bare:instance ka1:
noinst::data_use_instance
off:instance ka1:data_use_instance off
on:instance ka1:data_use_instance yes
tmpdir:instance ka1:data_use_instance:/tmp/alt
reltmp:::alt"
in_host a mkdir /tmp/alt || bail "mkdir /tmp/alt on a"
for D in keepalived vrrpd; do
	while IFS=: read -r c top glob tmp; do
		run "$D" "$c" "$top" "$glob" "$tmp"
	done <<<"$CASES"
done

# global_defs after an instance: keepalived 2.2.7 reads global_defs
# first (alloc_vrrp() copies vrrp_skip_check_adv_addr and the garp
# defaults into an instance as it makes it, but the parent parsed them
# before), so they count for VI_1 too.  The DATA and JSON files show
# them per instance, and the instance's own check_unicast_src (VI_1's),
# not vrrp_check_unicast_src.
cat >"$T_TMP/order.conf" <<EOF
vrrp_instance VI_1 {
    interface eth0
    priority 100
    virtual_router_id 51
    advert_int 1
    unicast_peer {
        192.0.2.9
    }
    check_unicast_src
    garp_lower_prio_delay 3
    virtual_ipaddress {
        192.0.2.100
    }
}
global_defs {
    vrrp_skip_check_adv_addr
    vrrp_check_unicast_src
    vrrp_garp_master_delay 2
    vrrp_garp_master_repeat 3
    vrrp_garp_master_refresh 60
    vrrp_garp_master_refresh_repeat 2
    vrrp_down_timer_adverts 5
    vrrp_garp_lower_prio_delay 4
    vrrp_garp_lower_prio_repeat 6
}
vrrp_instance VI_2 {
    interface eth0
    priority 100
    virtual_router_id 52
    advert_int 1
    unicast_peer {
        192.0.2.9
    }
    virtual_ipaddress {
        192.0.2.101
    }
}
EOF
DATA_RE='^ VRRP Instance|^   (Skip checking|Gratuitous ARP|Down timer adverts|Check unicast src)'
JSON_KEYS='iname skip_check_adv_addr garp_delay garp_refresh garp_rep garp_refresh_rep garp_lower_prio_delay garp_lower_prio_rep'
for D in keepalived vrrpd; do
	: >"$T_TMP/a.out"; : >"$T_TMP/a.err"; rm -f "$T_TMP/a.sock"
	daemon_in "$D" a "$T_TMP/order.conf"
	f=$(dumped DATA) && in_host a grep -E "$DATA_RE" "/tmp/$f" >"$T_TMP/$D.order"
	f=$(dumped JSON) && in_host a cat "/tmp/$f" | python3 -c '
import json, sys
for i in json.load(sys.stdin):
    print(" ".join("%s=%s" % (k, i["data"].get(k)) for k in sys.argv[1:]))
' $JSON_KEYS >"$T_TMP/$D.order.json"
	kill -TERM "$PID"
	wait_gone 15 "$PID"
done

for f in use use.stats use.json reload rename bare noinst off on tmpdir \
    tmpdir.stats reltmp reltmp.stats order order.json; do
	is "$(cat "$T_TMP/vrrpd.$f")" "$(cat "$T_TMP/keepalived.$f")" \
	    "as keepalived's: $f"
done
# not an empty match: VI_1, before global_defs, skips the address check
ok "keepalived's VI_1: skips the address check, checks the unicast source" \
    awk '/VRRP Instance = VI_1/ { i = 1 } /VRRP Instance = VI_2/ { i = 0 }
	i && /Skip checking/ { s = 1 } i && /Check unicast src : yes/ { c = 1 }
	END { exit !(s && c) }' "$T_TMP/keepalived.order"
# not an empty match: the instance name is in keepalived's file name
like "$(cat "$T_TMP/keepalived.use")" 'ka1' \
    "keepalived names its data file after the instance"
like "$(cat "$T_TMP/keepalived.tmpdir.stats")" '^alt/' \
    "keepalived writes in an absolute TMPDIR"
done_testing
