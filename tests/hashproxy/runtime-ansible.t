#!/bin/bash
# SPDX-License-Identifier: ISC
# The command lines Ansible's community.general.haproxy module sends
# (plugins/modules/haproxy.py: enabled, disabled, drain, with agent,
# health, weight and shutdown_sessions set), each as one line to both
# proxies on the same config, as the module sends them: the same
# answers, and the server's status and weight as the module reads them
# from show stat afterwards.  Before, "enable|disable agent|health"
# answered "Unknown command" and its help.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/hp.sh"
command -v haproxy >/dev/null || cannot_run "haproxy 2.6 is the reference"

sp=$(free_port); ap=$(free_port)
hp_backend s1 127.0.0.91 "$sp" || bail "backend s1 did not start"
hp_backend s2 127.0.0.92 "$sp" || bail "backend s2 did not start"
echo up >"$T_TMP/agent"
hp_agent 127.0.0.91 "$ap" "$T_TMP/agent" || bail "the agent did not start"
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
    balance roundrobin
    default-server inter 100ms rise 1 fall 1
    server s1 127.0.0.91:$sp check agent-check agent-port $ap agent-inter 100ms
    server s2 127.0.0.92:$sp check
EOC
}
cfg "$T_TMP/hp.cfg" "$(free_port)"
cfg "$T_TMP/ha.cfg" "$(free_port)"
hp_start "$T_TMP/hp.cfg" || bail "hashproxy did not start"
ha_start "$T_TMP/ha.cfg" || bail "haproxy did not start"
H=$T_TMP/hp.sock A=$T_TMP/ha.sock
both() { ctl "$H" "$1" >"$T_TMP/ours"; ctl "$A" "$1" >"$T_TMP/theirs"; }
# state SOCK: s1's status and weight, as the module's get_state_for
state() { ctl "$1" "show stat" | awk -F, '$1 == "app" && $2 == "s1" { print $18 "," $19 }'; }
has() { case "$(state "$1")" in "$2"*) return 0 ;; esac; return 1; }
eachok() {
	ok "$1 (hashproxy)" wait_for 10 has "$H" "$2"
	ok "$1 (haproxy)" wait_for 10 has "$A" "$2"
}
# module ACTION LINE: the line the module sends for ACTION
module() {
	both "$2"
	is "$(cat "$T_TMP/ours")" "$(cat "$T_TMP/theirs")" "$1: the same answers"
	ok "$1: every command known" eval '! grep -q "Unknown command" "$T_TMP/ours"'
}

eachok "s1 is up" UP
module "disabled, agent, health, shutdown_sessions" "get weight app/s1; disable agent app/s1; disable health app/s1; disable server app/s1; shutdown sessions server app/s1"
eachok "the module waits for MAINT" MAINT
is "$(state "$H")" "$(state "$A")" "s1's status and weight as haproxy's"
module "enabled, agent, health, weight" "get weight app/s1; enable server app/s1; enable agent app/s1; enable health app/s1; set weight app/s1 7"
eachok "the module waits for UP" "UP,7"
module "drain" "set server app/s1 state drain"
eachok "the module waits for DRAIN" DRAIN
is "$(state "$H")" "$(state "$A")" "s1's status and weight as haproxy's"
module "enabled, default" "get weight app/s1; enable server app/s1"
eachok "up again" UP
ok "hashproxy still runs" kill -0 "$HP_PID"
done_testing
