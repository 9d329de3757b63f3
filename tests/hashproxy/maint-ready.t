#!/bin/bash
# SPDX-License-Identifier: ISC
# Leaving maintenance ("enable server", "set server state ready|drain")
# beside haproxy 2.6 on one config, tcp mode, balance source: a server
# with an enabled check starts at health rise, so one that was DOWN is
# up at once ("UP 1/3") until its next check fails; a check disabled
# ("disable health") has no say either; an agent that says down, or a
# tracked server that is down, keeps it DOWN; from MAINT to drain it is
# "DRAIN 1/3"; with slowstart it is starting (srv_op_state 1) and ramps.
# Checks every 10 s: each has run once when the test looks, and not
# again (one server checked every 1 s shows the next check's failure).
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/hp.sh"
command -v haproxy >/dev/null || cannot_run "haproxy 2.6 is the reference"

sp=$(free_port) agp=$(free_port)
hp_backend dn 127.0.0.11 "$sp" || bail "the backend did not start"
hp_backend bk 127.0.0.12 "$sp" || bail "the backend did not start"
echo "down" >"$T_TMP/agent"
hp_agent 127.0.0.13 "$agp" "$T_TMP/agent" || bail "the agent did not start"
# the failing checks go to 127.0.0.14, where nothing listens; clients
# to 127.0.0.11
cfg() {
	cat <<EOC
global
    stats socket $T_TMP/cfg-$1.sock mode 600 level admin
    max-spread-checks 1ms
defaults
    mode tcp
    timeout connect 1s
    timeout client 10s
    timeout server 10s
frontend fe
    bind 127.0.0.1:$1
    default_backend be
backend be
    balance source
    server dn 127.0.0.11:$sp check addr 127.0.0.14 inter 10s rise 2 fall 3
    server bk 127.0.0.12:$sp backup
backend more
    default-server inter 10s rise 2 fall 3
    server off 127.0.0.11:$sp check addr 127.0.0.14
    server ag 127.0.0.11:$sp check agent-check agent-addr 127.0.0.13 agent-port $agp agent-inter 10s
    server t-ag 127.0.0.11:$sp track more/ag
    server t-dn 127.0.0.11:$sp track be/dn
    server dr 127.0.0.11:$sp check addr 127.0.0.14
    server ss 127.0.0.11:$sp check addr 127.0.0.14 slowstart 60s weight 100
    server up 127.0.0.11:$sp check
# dn1s on its own: its next check, a race, changes no other row
backend one
    server dn1s 127.0.0.11:$sp check addr 127.0.0.14 inter 1s rise 2 fall 3
EOC
}
hp_cfgs 1
hp_both_start
H=$T_TMP/hp.sock A=$T_TMP/ha.sock
# settled SOCK: every check and the agent have run once
settled() {
	ctl "$1" "show stat" >"$T_TMP/settled" &&
	    [ "$(grep -c '^[a-z]*,[a-z0-9-]*,.*,DOWN,.*,L4CON,' "$T_TMP/settled")" = 5 ] &&
	    grep -q '^more,ag,.*,DOWN (agent),.*,L4OK,' "$T_TMP/settled" &&
	    grep -q '^more,up,.*,UP,.*,L4OK,' "$T_TMP/settled"
}
ok "hashproxy's checks have run" wait_for 10 settled "$H"
ok "haproxy's too" wait_for 10 settled "$A"
for s in "$H" "$A"; do
	for c in "disable health more/off" "disable server more/t-dn" \
	    "enable server more/t-dn" "disable server be/dn" \
	    "enable server be/dn" "disable server more/off" \
	    "enable server more/off" "disable server more/ag" \
	    "set server more/ag state ready" "disable server more/t-ag" \
	    "enable server more/t-ag" "disable server more/dr" \
	    "set server more/dr state drain" "disable server more/ss" \
	    "enable server more/ss" "set server more/up state maint" \
	    "set server more/up state ready" "disable server one/dn1s" \
	    "enable server one/dn1s"; do
		ctl "$s" "$c" >/dev/null
	done
done

# show stat: the servers' status, weight, check_status, and the
# backends' (weight: the sum of the servers' ramping ones); show servers
# state: every column but the seconds since the last change (10) and
# the port (19)
stat() {
	ctl "$1" "show stat" | awk -F, '$2 != "dn1s" &&
	    ($1 == "be" || $1 == "more") { print $1, $2, $18, $19, $37 }'
}
state() {
	ctl "$1" "show servers state" |
	    awk '!/^#/ && NF > 20 && $4 != "dn1s" { $10 = $19 = "-"; print }'
}
stat "$H" >"$T_TMP/hp.stat"; state "$H" >"$T_TMP/hp.state"
stat "$A" >"$T_TMP/ha.stat"; state "$A" >"$T_TMP/ha.state"
while read -r px srv _; do
	is "$(awk -v p="$px" -v s="$srv" '$1 == p && $2 == s' "$T_TMP/hp.stat")" \
	    "$(awk -v p="$px" -v s="$srv" '$1 == p && $2 == s' "$T_TMP/ha.stat")" \
	    "show stat $px/$srv: haproxy's"
done <"$T_TMP/ha.stat"
while read -r _ px _ srv _; do
	is "$(awk -v s="$srv" '$4 == s' "$T_TMP/hp.state")" \
	    "$(awk -v s="$srv" '$4 == s' "$T_TMP/ha.state")" "show servers state $px/$srv: haproxy's"
done <"$T_TMP/ha.state"
is "$(req 127.0.0.1 "${HP_PORTS[0]}")" "$(req 127.0.0.1 "${HA_PORTS[0]}")" \
    "the next client goes to the server out of maintenance, as haproxy's"

# dn1s: up, then down again at its next check (chkdown 2, show stat's
# 23rd column), as haproxy's
down_again() {
	ctl "$1" "show stat" | awk -F, '$2 == "dn1s" { print $18, $23, $37 }' \
	    >"$T_TMP/dn1s" && grep -q '^DOWN 2 L4CON$' "$T_TMP/dn1s"
}
wait_for 5 down_again "$A"
ha_dn1s=$(cat "$T_TMP/dn1s")
wait_for 5 down_again "$H"
is "$(cat "$T_TMP/dn1s")" "$ha_dn1s" "a down server: up out of maintenance, down at its next check"
done_testing
