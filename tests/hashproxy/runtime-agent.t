#!/bin/bash
# SPDX-License-Identifier: ISC
# "set server B/S agent up|down", "agent-addr", "agent-port" and
# "agent-send" beside haproxy 2.6 on the same config: the same answers
# and errors, show servers state's srv_agent_addr and srv_agent_port as
# haproxy's, and the effect: "agent down" takes the server down until the
# agent's next "up"; a new port or address reaches another agent, whose
# "down" takes the server down; what agent-send sends is what an echoing
# agent answers ("drain").
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/hp.sh"
command -v haproxy >/dev/null || cannot_run "haproxy 2.6 is the reference"

sp=$(free_port); ap=$(free_port); ap2=$(free_port)
hp_backend s1 127.0.0.51 "$sp" || bail "backend s1 did not start"
hp_backend s2 127.0.0.52 "$sp" || bail "backend s2 did not start"
# agent IP PORT ANSWER: an agent that always answers ANSWER
agent() {
	echo "$3" >"$T_TMP/agent.$1.$2"
	hp_agent "$1" "$2" "$T_TMP/agent.$1.$2"
}
agent 127.0.0.51 "$ap" up || bail "s1's agent did not start"
agent 127.0.0.51 "$ap2" "down #port" || bail "the second agent did not start"
agent 127.0.0.53 "$ap" "down #addr" || bail "the third agent did not start"
python3 "$T_TOP/tests/hashproxy/agentecho.py" 127.0.0.54 "$ap" >/dev/null 2>&1 &
cleanup_push "kill $!"
wait_for 10 _hp_port_open 127.0.0.54 "$ap" || bail "the echo agent did not start"

# cfg FILE FRONTPORT
cfg() {
	cat >"$1" <<EOC
defaults
    mode tcp
    timeout connect 1s
    timeout client 30s
    timeout server 30s
frontend web
    bind 127.0.0.1:$2
    default_backend app
backend app
    default-server inter 100ms rise 1 fall 1
    server s1 127.0.0.51:$sp check agent-check agent-port $ap agent-inter 100ms
    server s2 127.0.0.52:$sp check
EOC
}
cfg "$T_TMP/hp.cfg" "$(free_port)"
cfg "$T_TMP/ha.cfg" "$(free_port)"
hp_start "$T_TMP/hp.cfg" || bail "hashproxy did not start"
ha_start "$T_TMP/ha.cfg" || bail "haproxy did not start"
H=$T_TMP/hp.sock A=$T_TMP/ha.sock
both() { ctl "$H" "$1" >"$T_TMP/ours"; ctl "$A" "$1" >"$T_TMP/theirs"; }
st() { ctl "$1" "show stat" | awk -F, -v s="$2" '$1 == "app" && $2 == s { print $18 }'; }
is_st() { [ "$(st "$1" "$2")" = "$3" ]; }
eachok() {
	ok "$1 (hashproxy)" wait_for 10 is_st "$H" "$2" "$3"
	ok "$1 (haproxy)" wait_for 10 is_st "$A" "$2" "$3"
}
# agaddr SOCK: s1's srv_agent_addr and srv_agent_port
agaddr() { ctl "$1" "show servers state app" | awk '$4 == "s1" { print $24, $25 }'; }
# same CMD: both answer CMD alike (byte for byte)
same() {
	both "$1"
	is "$(od -c "$T_TMP/ours")" "$(od -c "$T_TMP/theirs")" "$1: as haproxy ($(grep . "$T_TMP/theirs" | head -1))"
}

eachok "s1 is up, its agent says so" s1 UP

# --- errors, levels
for c in "set server app/s2 agent up" "set server app/s2 agent-addr 127.0.0.1" \
    "set server app/s2 agent-port 5" "set server app/s2 agent-send x" \
    "set server app/s1 agent foo" "set server app/s1 agent" \
    "set server app/s1 agent-addr" "set server app/s1 agent-port" \
    "set server app/s1 agent-port x" "set server app/s1 agent-port 70000" \
    "set server app/s1 agent-addr 127.0.0.53 port x" \
    "set server app/nope agent up" "operator; set server app/s1 agent down" \
    "operator; set server app/s1 agent-send x"; do
	same "$c"
done
is "$(agaddr "$H")" "$(agaddr "$A")" "nothing changed: agent addr and port as haproxy's ($(agaddr "$A"))"

# --- agent down / up
same "set server app/s1 agent down"
# the agent's next "up" may come before a show stat: the logs say it
ok "agent down: s1 went down, changed from CLI (hashproxy)" wait_for 10 \
    grep -q 'down backend=app server=s1 reason="changed from CLI"' "$T_TMP/hp.ev"
ok "(haproxy)" wait_for 10 grep -q 'Server app/s1 is DOWN, changed from CLI' "$T_TMP/ha.log"
eachok "the agent's next 'up' brings it back" s1 UP
same "disable agent app/s1"
same "set server app/s1 agent up"
same "enable agent app/s1"

# --- agent-port, agent-addr: another agent answers
same "set server app/s1 agent-port $ap2"
eachok "the agent on the new port says down" s1 "DOWN (agent)"
is "$(agaddr "$H")" "$(agaddr "$A")" "show servers state: agent port as haproxy's ($(agaddr "$A"))"
same "set server app/s1 agent-addr 127.0.0.53 port $ap"
eachok "the agent at the new address says down" s1 "DOWN (agent)"
is "$(agaddr "$H")" "$(agaddr "$A")" "show servers state: agent addr and port as haproxy's ($(agaddr "$A"))"
same "set server app/s1 agent-addr 127.0.0.51"
eachok "back at s1's own agent: up" s1 UP
is "$(agaddr "$H")" "$(agaddr "$A")" "agent addr as haproxy's ($(agaddr "$A"))"

# --- agent-send: an echoing agent answers what was sent
same "set server app/s1 agent-addr 127.0.0.54"
eachok "the echoing agent, sent nothing, says up" s1 UP
same "set server app/s1 agent-send drain"
eachok "sent 'drain', it answers drain" s1 "DRAIN (agent)"
same "set server app/s1 agent-send ready"
eachok "sent 'ready', it answers ready" s1 UP

h=$(ctl "$H" help)
for c in "agent up|down" "agent-addr <ip>" "agent-port <port>" "agent-send <str>"; do
	like "$h" "set server <bk>/<srv> $(printf '%s' "$c" | sed 's/|/\\|/g')" "help lists set server $c"
done
ok "hashproxy still runs" kill -0 "$HP_PID"
done_testing
