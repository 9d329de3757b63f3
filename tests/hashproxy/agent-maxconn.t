#!/bin/bash
# SPDX-License-Identifier: ISC
# agent-check's "maxconn:N" beside the real haproxy 2.6 on one config:
# the server's maxconn (show stat's slim) becomes N, a bad N is named in
# last_agt as haproxy names it (a weight's complaint first, a word not
# understood before both), the last maxconn word holds, and the limit
# applies: three clients on a server the agent gave maxconn:1 are one
# served and two queued; maxconn:0 leaves them queued, as haproxy does,
# and maxconn:3 lets them through.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/hp.sh"
command -v haproxy >/dev/null || cannot_run "haproxy is not installed"

sp=$(free_port) ap=$(free_port)
hp_backend a 127.0.0.11 "$sp" || bail "backend a did not start"
echo "maxconn:5" >"$T_TMP/agent"
hp_agent 127.0.0.21 "$ap" "$T_TMP/agent" || bail "the agent did not start"

# a: no maxconn of its own; b: maxconn 8 above its minconn 2
cfg() {
	cat <<EOC
defaults
    timeout connect 1s
    timeout client 30s
    timeout server 30s
    timeout queue 30s
frontend fe
    bind 127.0.0.1:$1
    default_backend be
backend be
    default-server agent-check agent-addr 127.0.0.21 agent-port $ap agent-inter 100ms
    server a 127.0.0.11:$sp
backend other
    default-server agent-check agent-addr 127.0.0.21 agent-port $ap agent-inter 100ms
    server b 127.0.0.11:$sp maxconn 8 minconn 2 weight 10
EOC
}
hp_cfgs 1
hp_both_start

# cols FILE: per server: weight, slim, agent_status, last_agt
cols() {
	awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) { h = $i; sub(/^# /, "", h); c[h] = i }; next }
	    NF > 2 && $2 != "BACKEND" && $2 != "FRONTEND" {
		st = $c["agent_status"]; sub(/^\* /, "", st)
		print $2, $c["weight"], $c["slim"], st, $c["last_agt"] }' "$1"
}
# at_both ROWS: both proxies show cols ROWS (lines joined by ";")
at_both() {
	local side
	for side in hp ha; do
		srv_snapshot "$T_TMP/$side.sock" "$T_TMP/$side.st" || return 1
		[ "$(cols "$T_TMP/$side.st" | paste -sd';')" = "$1" ] || return 1
	done
}
# say WORDS WEIGHTS SLIM INFO DESC: the agent answers WORDS; a and b
# show SLIM and INFO, their weights WEIGHTS ("A B"), in both
say() {
	local w=($2)
	echo "$1" >"$T_TMP/agent"
	ok "the agent says \"$1\": $5" wait_for 20 at_both \
	    "a ${w[0]} $3 CHECKED $4;b ${w[1]} $3 CHECKED $4"
	diag "hashproxy: $(cols "$T_TMP/hp.st" | paste -sd';')"
	diag "haproxy: $(cols "$T_TMP/ha.st" | paste -sd';')"
}
say "maxconn:5" "1 10" 5 "" "maxconn 5"
say "maxconn:7x" "1 10" 5 "agent warns : Trailing garbage in maxconn string" \
    "a tail: no change, it says so"
say "MAXCONN:12" "1 10" 12 "" "any case"
say "maxconn:abc" "1 10" 12 \
    "agent warns : maxconn string empty or preceded by garbage" \
    "not a number: no change, it says so"
say "maxconn:+7" "1 10" 7 "" "a plus sign"
say "75%x maxconn:3" "1 10" 3 "agent warns : Trailing garbage in weight string" \
    "maxconn 3, the weight's complaint first"
say "foo maxconn:x" "1 10" 3 "agent reports an error : foo" \
    "a word not understood is named before a bad maxconn"
say "50% maxconn:4 maxconn:6" "0 5" 6 "" "the last maxconn word holds"

# --- the limit applies, and its end lets the queue through
say "100% maxconn:1" "1 10" 1 "" "maxconn 1, the weights back"
mkfifo "$T_TMP/hold"
exec 7<>"$T_TMP/hold"
echo 127.0.0.1 >"$T_TMP/src"
for p in "${HP_PORTS[0]}" "${HA_PORTS[0]}"; do
	python3 "$T_TOP/tests/hashproxy/idle-clients.py" 127.0.0.1 "$p" 3 \
	    "$T_TMP/src" <"$T_TMP/hold" >/dev/null &
	cleanup_push "kill $!"
done
# queued SOCK SCUR QCUR: server a serves SCUR connections, QCUR wait in
# the backend's queue (roundrobin queues there, as haproxy)
queued() {
	ctl "$1" "show stat" | awk -F, -v s="$2" -v q="$3" '
	    NR == 1 { for (i = 1; i <= NF; i++) { h = $i; sub(/^# /, "", h); c[h] = i }; next }
	    $1 == "be" && $2 == "a" { n += $c["scur"] == s }
	    $1 == "be" && $2 == "BACKEND" { n += $c["qcur"] == q } END { exit n != 2 }'
}
ok "hashproxy: one client served, two queued" wait_for 10 queued "$T_TMP/hp.sock" 1 2
ok "haproxy: the same" wait_for 10 queued "$T_TMP/ha.sock" 1 2
# haproxy lets its queue through on a new limit, not when the limit goes
say "maxconn:0" "1 10" "" "" "no limit: slim empty"
ok "maxconn:0: hashproxy's queue waits still" queued "$T_TMP/hp.sock" 1 2
ok "haproxy's too" queued "$T_TMP/ha.sock" 1 2
echo "maxconn:3" >"$T_TMP/agent"
ok "maxconn:3: hashproxy lets the queue through" wait_for 10 queued "$T_TMP/hp.sock" 3 0
ok "haproxy too" wait_for 10 queued "$T_TMP/ha.sock" 3 0
exec 7>&-

done_testing
