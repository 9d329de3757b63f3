#!/bin/bash
# SPDX-License-Identifier: ISC
# show servers state beside haproxy 2.6 on one config, every column but
# the seconds since the last change: a server up, one down (its check
# fails), one put in MAINT and one in DRAIN over the socket, one
# "disabled" in the config, servers without a check (one of them put in
# MAINT and back, one "disabled" and enabled), and servers tracking an
# up, a down and a MAINT server.  haproxy: op state 0 in maintenance,
# admin bit 4 for "disabled" in the config, the check's status and
# result as numbers, health 0 in maintenance (and after it, without a
# check), the check paused.  A check under way when MAINT comes goes on
# and counts on the health MAINT zeroed (an HTTP check a server holds);
# while it runs, before MAINT and in it, the check state has bit 1
# (running) and the result is 0, as haproxy's.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/hp.sh"
command -v haproxy >/dev/null || cannot_run "haproxy 2.6 is the reference"

sp=$(free_port) deadp=$(free_port) gp=$(free_port)
hp_backend a 127.0.0.11 "$sp" || bail "the backend did not start"
python3 "$T_TOP/tests/hashproxy/gatesrv.py" 127.0.0.11 "$gp" >"$T_TMP/gate.out" 2>&1 &
GATE=$!
cleanup_push "kill $GATE"
cfg() {
	cat <<EOC
global
    stats socket $T_TMP/cfg-$1.sock mode 600 level admin
defaults
    mode tcp
    timeout connect 1s
    timeout client 10s
    timeout server 10s
frontend fe
    bind 127.0.0.1:$1
    default_backend be
backend be
    default-server inter 200ms fall 1 rise 1
    server up 127.0.0.11:$sp check
    server down 127.0.0.11:$deadp check
    server maint 127.0.0.11:$sp check
    server drain 127.0.0.11:$sp check
    server off 127.0.0.11:$sp check disabled
    server nocheck 127.0.0.11:$sp
    server back 127.0.0.11:$sp
    server off-on 127.0.0.11:$sp disabled
    server t-up 127.0.0.11:$sp track up
    server t-down 127.0.0.11:$sp track down
    server t-maint 127.0.0.11:$sp track maint
backend gate
    option httpchk
    timeout check 30s
    server held 127.0.0.11:$gp check inter 200ms fall 1 rise 1
EOC
}
hp_cfgs 1
hp_both_start
H=$T_TMP/hp.sock A=$T_TMP/ha.sock
# settled SOCK: every check has run once: "up", "maint" and "drain" UP,
# "down" DOWN, through their checks (not the first INI)
settled() {
	ctl "$1" "show stat" >"$T_TMP/settled" &&
	    [ "$(grep -c '^be,[a-z]*,.*,UP,.*,L4OK,' "$T_TMP/settled")" = 3 ] &&
	    grep -q '^be,down,.*,DOWN,.*,L4CON,' "$T_TMP/settled"
}
ok "hashproxy's checks have run" wait_for 10 settled "$H"
ok "haproxy's too" wait_for 10 settled "$A"
for s in "$H" "$A"; do
	for c in "disable server be/maint" "set server be/drain state drain" \
	    "disable server be/back" "enable server be/back" \
	    "enable server be/off-on"; do
		ctl "$s" "$c" >/dev/null
	done
done

# every column but srv_time_since_last_change (10) and the port (19:
# the test's, each side its own); the check and agent states (14, 15)
# without their "running now" bit (1), which each shows whenever a
# check (every 200 ms) happens to be under way
state() { ctl "$1" "show servers state ${2:-be}"; }
cols() {
	awk '!/^#/ && NF > 20 { $10 = "-"; $14 -= $14 % 2; $15 -= $15 % 2; print }'
}
# the same with the check's running bit
cols_run() { awk '!/^#/ && NF > 20 { $10 = "-"; $15 -= $15 % 2; print }'; }
# a check under way shows result 0 (col 12): the rows compared are
# taken between checks (at_rest SOCK FILE)
at_rest() {
	state "$1" >"$2" &&
	    ! awk '!/^#/ && NF > 20 && $14 % 2 { bad = 1 } END { exit !bad }' "$2"
}
ha_rest() { at_rest "$A" "$T_TMP/ha.state"; }
hp_rest() { at_rest "$H" "$T_TMP/hp.state"; }
# a check of "maint" under way in one and not in the other when MAINT
# came (the gate case below: it counts): out of MAINT and in again
maint_same() {
	wait_for 5 ha_rest
	wait_for 5 hp_rest
	[ "$(cols <"$T_TMP/hp.state" | awk '$4 == "maint"')" = \
	    "$(cols <"$T_TMP/ha.state" | awk '$4 == "maint"')" ]
}
for try in 1 2; do
	maint_same && break
	diag "maint: a check under way in one of them when MAINT came: again"
	for s in "$H" "$A"; do
		ctl "$s" "enable server be/maint" >/dev/null
		ctl "$s" "disable server be/maint" >/dev/null
	done
done
wait_for 5 ha_rest
wait_for 5 hp_rest
cols <"$T_TMP/ha.state" >"$T_TMP/theirs"
cols <"$T_TMP/hp.state" >"$T_TMP/ours"
while read -r srv; do
	is "$(awk -v s="$srv" '$4 == s' "$T_TMP/ours")" \
	    "$(awk -v s="$srv" '$4 == s' "$T_TMP/theirs")" "server $srv: haproxy's row"
done < <(awk '{ print $4 }' "$T_TMP/theirs")
is "$(wc -l <"$T_TMP/ours")" "$(wc -l <"$T_TMP/theirs")" "as many rows as haproxy"

# "held": gatesrv.py holds each one's first check (30 s of timeout
# check) until MAINT came, then lets both end
held() { [ "$(grep -c '^held$' "$T_TMP/gate.out")" -ge 2 ]; }
# ended SOCK: the held check ended (a status, no check running)
ended() {
	state "$1" gate |
	    awk '!/^#/ && NF > 20 { exit !($11 != 1 && $14 % 2 == 0) }'
}
ok "a check of each is held" wait_for 10 held
is "$(state "$H" gate | cols_run)" "$(state "$A" gate | cols_run)" \
    "a check under way: running (check state bit 1), no result yet, as haproxy"
for s in "$H" "$A"; do
	ctl "$s" "disable server gate/held" >/dev/null
done
is "$(state "$H" gate | cols_run)" "$(state "$A" gate | cols_run)" \
    "a check under way in MAINT: running and paused, as haproxy"
kill -USR1 "$GATE"
ok "haproxy's held check ended in MAINT" wait_for 10 ended "$A"
wait_for 5 ended "$H"
is "$(state "$H" gate | cols)" "$(state "$A" gate | cols)" \
    "a check under way when MAINT came: haproxy's row (it counts)"

# out of MAINT, the next check held again: the last one's status, but
# result 0 while this one runs
kill -USR2 "$GATE"
for s in "$H" "$A"; do
	ctl "$s" "enable server gate/held" >/dev/null
done
held4() { [ "$(grep -c '^held$' "$T_TMP/gate.out")" -ge 4 ]; }
ok "a check of each is held again" wait_for 10 held4
is "$(state "$H" gate | cols_run)" "$(state "$A" gate | cols_run)" \
    "a check under way after one ended: its status, result 0, running"
kill -USR1 "$GATE"

done_testing
