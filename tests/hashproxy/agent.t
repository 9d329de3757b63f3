#!/bin/bash
# SPDX-License-Identifier: ISC
# agent-check beside the real haproxy 2.6 on the same config: a small
# agent on each server (agentsrv.py) answers what the test writes, and
# for each answer the servers' show stat rows (status, weight, the
# agent_* columns) and where clients go are haproxy's.  Both servers
# have a health check too, which always passes: what changes comes from
# the agent.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/hp.sh"
command -v haproxy >/dev/null || cannot_run "haproxy is not installed"

sp=$(free_port); ap=$(free_port)
hp_backend a 127.0.0.11 "$sp" || bail "backend a did not start"
hp_backend b 127.0.0.12 "$sp" || bail "backend b did not start"
# agent NAME IP: NAME's agent answers what $T_TMP/agent.NAME holds
agent() {
	echo "up" >"$T_TMP/agent.$1"
	hp_agent "$2" "$ap" "$T_TMP/agent.$1"
}
# a's agent is not on a's address: agent-addr names it
agent a 127.0.0.21 || bail "a's agent did not start"
agent b 127.0.0.12 || bail "b's agent did not start"

cfg() {
	cat <<EOC
defaults
    timeout connect 1s
    timeout client 10s
    timeout server 10s
frontend fe
    bind 127.0.0.1:$1
    default_backend be
backend be
    balance roundrobin
    default-server inter 200ms agent-inter 200ms agent-port $ap
    server a 127.0.0.11:$sp weight 10 check agent-check agent-addr 127.0.0.21
    server b 127.0.0.12:$sp weight 10 check agent-check
EOC
}
hp_cfgs 1
hp_both_start

# agent_cols FILE: per server, the columns the agent moves
agent_cols() {
	awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) { h = $i; sub(/^# /, "", h); c[h] = i }; next }
	    $1 == "be" && $2 != "BACKEND" {
		st = $c["agent_status"]; sub(/^\* /, "", st)
		print $2, $c["status"], $c["weight"], st, $c["agent_code"] ",",
		    $c["agent_desc"] ",", $c["agent_rise"], $c["agent_fall"],
		    $c["agent_health"], $c["last_agt"] }' "$1"
}
# at_both ROWS: both proxies show agent_cols ROWS (lines joined by ";"),
# in snapshots at rest (hp.sh srv_rest): statcmp reads them whole
at_both() {
	local side
	for side in hp ha; do
		srv_snapshot "$T_TMP/$side.sock" "$T_TMP/$side.st" || return 1
		[ "$(agent_cols "$T_TMP/$side.st" | paste -sd';')" = "$1" ] ||
		    return 1
	done
	srv_rest "$T_TMP/hp.st" "$T_TMP/ha.st"
}
# same A B: A is B, and not empty
same() { [ -n "$1" ] && [ "$1" = "$2" ]; }
statcmp() { python3 "$T_TOP/tests/hashproxy/statcmp.py" "$1" csv \
    "$T_TMP/hp.st" "$T_TMP/ha.st" 2>&1; }
# spread: "a=N b=M / a=N b=M", 30 clients through hashproxy then haproxy
spread() {
	local p out=""
	for p in "${HP_PORTS[0]}" "${HA_PORTS[0]}"; do
		python3 "$T_TOP/tests/hashproxy/lbclients.py" "$p" open:30 count \
		    >"$T_TMP/count"
		out+="${out:+ / }a=$(awk '$1 == "count" && $2 == "a" { print $3 }' "$T_TMP/count") b=$(awk '$1 == "count" && $2 == "b" { print $3 }' "$T_TMP/count")"
	done
	echo "$out" | sed 's/=\([ /]\)/=0\1/g; s/=$/=0/'
}
B="b UP 10 L7OK 0, Layer7 check passed, 1 1 1 via agent : up"
ok "both servers UP, their agents said up: the same rows" wait_for 20 at_both \
    "a UP 10 L7OK 0, Layer7 check passed, 1 1 1 via agent : up;$B"
is "$(statcmp up)" "" "show stat rows as haproxy's"
is "$(spread)" "a=15 b=15 / a=15 b=15" "clients spread evenly in both"

# say WORDS ROWS DESC: a's agent answers WORDS; both show a's ROWS
say() {
	echo "$1" >"$T_TMP/agent.a"
	ok "a's agent says \"$1\": $3" wait_for 20 at_both "$2;$B"
	diag "hashproxy: $(agent_cols "$T_TMP/hp.st" | head -1)"
	diag "haproxy: $(agent_cols "$T_TMP/ha.st" | head -1)"
	is "$(statcmp "$1")" "" "\"$1\": show stat rows as haproxy's"
}
C="CHECKED , No status change, 1 1 1"
say "50%" "a UP 5 $C " "weight 5 of 10, no status change"
is "$(spread)" "a=10 b=20 / a=10 b=20" "50%: a takes a third of the clients in both"
say "drain" "a DRAIN (agent) 5 $C " "DRAIN (agent)"
is "$(spread)" "a=0 b=30 / a=0 b=30" "drain: no client on a in both"
# state SOCK: per server of show servers state, its admin state, agent
# state (without its bit 1, "running now"), agent address and port
state() {
	ctl "$1" "show servers state be" |
	    awk '$2 == "be" { printf "%s:%s,%s,%s,%s ", $4, $7, $15 - $15 % 2, $24, $25 }'
}
diag "show servers state: $(state "$T_TMP/hp.sock")/ $(state "$T_TMP/ha.sock")"
ok "show servers state: admin state (drain), agent state, address and port as haproxy's" \
    same "$(state "$T_TMP/hp.sock")" "$(state "$T_TMP/ha.sock")"
say "ready" "a UP 5 $C " "UP again"
say "100%" "a UP 10 $C " "its whole weight back"
say "maint" "a MAINT 10 $C " "MAINT, the agent still runs"
is "$(spread)" "a=0 b=30 / a=0 b=30" "maint: no client on a in both"
say "ready" "a UP 10 $C " "ready ends the maintenance the agent asked"
say "down #disk full" \
    "a DOWN (agent) 10 L7STS 0, Layer7 wrong status, 1 1 0 via agent : down (disk full)" \
    "DOWN (agent) with the reason, though its health check passes"
is "$(spread)" "a=0 b=30 / a=0 b=30" "down: no client on a in both"
# a reload keeps what the agent said: a stays down, it is not up for the
# moment until the agent answers again (its health check passes)
n=$(file_lines "$T_TMP/hp.ev")
kill -HUP "$HP_PID"
ok "hashproxy reloads" wait_file_line_after 10 "$T_TMP/hp.ev" "$n" '^reload result=ok'
srv_snapshot "$T_TMP/hp.sock" "$T_TMP/hp.st"
like "$(agent_cols "$T_TMP/hp.st" | head -1)" '^a DOWN \(agent\) 10 L7STS 0,' \
    "after the reload: still DOWN (agent), the agent's word kept"
ok "a's agent runs again after the reload" wait_for 10 at_both \
    "a DOWN (agent) 10 L7STS 0, Layer7 wrong status, 1 1 0 via agent : down (disk full);$B"
diag "hashproxy: $(agent_cols "$T_TMP/hp.st" | paste -sd';')"
diag "haproxy: $(agent_cols "$T_TMP/ha.st" | paste -sd';')"
nok "and a was never up meanwhile" _file_has_after "$T_TMP/hp.ev" "$n" '^up backend=be server=a '
say "up" "a UP 10 L7OK 0, Layer7 check passed, 1 1 1 via agent : up" "UP again"
is "$(spread)" "a=15 b=15 / a=15 b=15" "up: clients on a again in both"
say "foo 75%x" "a UP 10 $C agent reports an error : foo" \
    "a word not understood: no change, it says so"
say "75%x" "a UP 10 $C agent warns : Trailing garbage in weight string" \
    "a weight with a tail: no change, it says so"

done_testing
