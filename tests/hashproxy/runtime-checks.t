#!/bin/bash
# SPDX-License-Identifier: ISC
# "enable|disable health" and "enable|disable agent" beside haproxy 2.6 on
# the same config: the same answers and errors, the same show stat and
# show servers state columns, and the effect: a server whose health check
# is disabled stays as it was when its address dies (a witness server on
# the same address goes down), and goes down once enabled again; a server
# an agent holds down comes up once its agent is disabled, and goes down
# again once enabled.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/hp.sh"
command -v haproxy >/dev/null || cannot_run "haproxy 2.6 is the reference"

sp=$(free_port); dead=$(free_port); ap=$(free_port)
hp_backend s1 127.0.0.31 "$sp" || bail "backend s1 did not start"
hp_backend s5 127.0.0.34 "$sp" || bail "backend s5 did not start"
echo "down #held" >"$T_TMP/agent"
hp_agent 127.0.0.34 "$ap" "$T_TMP/agent" || bail "the agent did not start"

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
    server s1 127.0.0.31:$sp check
    server s4 127.0.0.31:$sp check
    server s2 127.0.0.32:$dead check
    server s3 127.0.0.33:$sp
    server s5 127.0.0.34:$sp check agent-check agent-port $ap agent-inter 100ms
EOC
}
cfg "$T_TMP/hp.cfg" "$(free_port)"
cfg "$T_TMP/ha.cfg" "$(free_port)"
hp_start "$T_TMP/hp.cfg" || bail "hashproxy did not start"
ha_start "$T_TMP/ha.cfg" || bail "haproxy did not start"
H=$T_TMP/hp.sock A=$T_TMP/ha.sock
both() { ctl "$H" "$1" >"$T_TMP/ours"; ctl "$A" "$1" >"$T_TMP/theirs"; }
# st SOCK SRV: the server's status column
st() { ctl "$1" "show stat" | awk -F, -v s="$2" '$1 == "app" && $2 == s { print $18 }'; }
is_st() { [ "$(st "$1" "$2")" = "$3" ]; }
# eachok DESC SRV STATUS: both reach it
eachok() {
	ok "$1 (hashproxy)" wait_for 10 is_st "$H" "$2" "$3"
	ok "$1 (haproxy)" wait_for 10 is_st "$A" "$2" "$3"
}
# cols SOCK SRV: a server's check and agent columns, by name (not
# downtime: whole seconds, which the two may round apart), the statuses
# without haproxy's "* " (a check under way now: every 100 ms)
cols() {
	ctl "$1" "show stat" | awk -F, -v s="$2" '
	    NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
	    $1 == "app" && $2 == s {
		n = split("status chkfail chkdown check_status " \
		    "check_code check_desc check_rise check_fall " \
		    "check_health agent_status agent_code agent_desc " \
		    "last_agt agent_rise agent_fall agent_health", w, " ")
		for (i = 1; i <= n; i++) {
			v = $(c[w[i]])
			if (w[i] ~ /_status$/)
				sub(/^\* /, "", v)
			printf "%s=%s ", w[i], v
		}
	    }'
}
# ss SOCK SRV: its check and agent states in show servers state, without
# the "running now" bit (1), which either proxy may show at any moment
# (inter and agent-inter are 100 ms)
ss() { ctl "$1" "show servers state app" | awk -v s="$2" '$4 == s { print $14 - $14 % 2, $15 - $15 % 2 }'; }

eachok "s1 is up" s1 UP
eachok "s2 (nothing listening) is down" s2 DOWN
eachok "s5's agent holds it down" s5 "DOWN (agent)"

# --- errors and levels
errs=("disable health app/nope" "disable health nope/s1" "disable health app"
    "disable health" "enable health app/nope" "enable agent nope/s1"
    "disable agent app" "enable health app/s3" "enable agent app/s3"
    "enable agent app/s1" "disable health app/s3" "disable agent app/s3"
    "operator; disable health app/s1" "operator; enable agent app/s5"
    "user; enable health app/s1")
for c in "${errs[@]}"; do
	both "$c"
	is "$(cat "$T_TMP/ours")" "$(cat "$T_TMP/theirs")" "$c: as haproxy ($(grep . "$T_TMP/theirs" | head -1))"
done

# --- disable health: unchecked, kept as it was
both "disable health app/s2"
is "$(st "$H" s2)" "$(st "$A" s2)" "a down server whose check is disabled stays down, as haproxy's ($(st "$A" s2))"
is "$(cols "$H" s2)" "$(cols "$A" s2)" "its columns as haproxy's"
both "enable health app/s2"
eachok "checked again, s2 is still down" s2 DOWN
both "disable health app/s1"
is "$(od -c "$T_TMP/ours")" "$(od -c "$T_TMP/theirs")" "disable health: the same (empty) answer"
is "$(st "$H" s1)" "no check" "s1 reads as unchecked"
is "$(cols "$H" s1)" "$(cols "$A" s1)" "its check columns are haproxy's (none)"
is "$(ss "$H" s1)" "$(ss "$A" s1)" "show servers state: check state $(ss "$A" s1 | cut -d' ' -f1), as haproxy's"
hp_backend_kill s1
eachok "the witness on s1's address goes down" s4 DOWN
is "$(st "$H" s1)" "no check" "s1 is not checked any more: still up (hashproxy)"
is "$(st "$A" s1)" "no check" "(haproxy)"
both "enable health app/s1"
is "$(od -c "$T_TMP/ours")" "$(od -c "$T_TMP/theirs")" "enable health: the same (empty) answer"
eachok "checked again, s1 goes down" s1 DOWN
is "$(ss "$H" s1)" "$(ss "$A" s1)" "show servers state: check state $(ss "$A" s1 | cut -d' ' -f1) again"

# --- disable agent: no say in the server's state
both "disable agent app/s5"
is "$(od -c "$T_TMP/ours")" "$(od -c "$T_TMP/theirs")" "disable agent: the same (empty) answer"
eachok "the health check alone brings s5 up" s5 UP
is "$(cols "$H" s5)" "$(cols "$A" s5)" "its agent columns are haproxy's (none)"
is "$(ss "$H" s5)" "$(ss "$A" s5)" "show servers state: agent state $(ss "$A" s5 | cut -d' ' -f2), as haproxy's"
both "enable agent app/s5"
is "$(od -c "$T_TMP/ours")" "$(od -c "$T_TMP/theirs")" "enable agent: the same (empty) answer"
eachok "the agent holds s5 down again" s5 "DOWN (agent)"
is "$(ss "$H" s5)" "$(ss "$A" s5)" "show servers state: agent state $(ss "$A" s5 | cut -d' ' -f2) again"

h=$(ctl "$H" help)
for c in "disable health" "enable health" "disable agent" "enable agent"; do
	like "$h" "$c <bk>/<srv> +: " "help lists $c"
done
ok "hashproxy still runs" kill -0 "$HP_PID"
done_testing
