#!/bin/bash
# SPDX-License-Identifier: ISC
# http-check disable-on-404 on a server that is up at health 0, beside
# haproxy 2.6 on the same config: its check took it down (503), "set
# server agent up" raised it without its check's word, and its check now
# answers 404.  haproxy counts those conditional passes from 0 (health 0,
# 1, then rise + fall - 1: NOLB), as it counts a 200's.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/hp.sh"
command -v haproxy >/dev/null || cannot_run "haproxy is not installed"

sp=$(free_port) cp=$(free_port) ap=$(free_port)
hp_backend s1 127.0.0.31 "$sp" || bail "backend s1 did not start"
echo "200 OK" >"$T_TMP/health"
python3 "$T_TOP/tests/hashproxy/statussrv.py" 127.0.0.31 "$cp" "$T_TMP/health" \
    >/dev/null 2>&1 &
cleanup_push "kill $!"
wait_for 10 _hp_port_open 127.0.0.31 "$cp" || bail "the check server did not start"
# the agent is there for "set server agent up" alone: an hour between runs
echo up >"$T_TMP/agent"
hp_agent 127.0.0.31 "$ap" "$T_TMP/agent" || bail "the agent did not start"

cfg() {
	cat <<EOC
defaults
    mode tcp
    timeout connect 2s
    timeout client 30s
    timeout server 30s
    timeout check 2s
listen fe
    bind 127.0.0.1:$1
    option httpchk GET /health
    http-check disable-on-404
    default-server inter 100ms rise 2 fall 3 port $cp
    server s1 127.0.0.31:$sp check agent-check agent-port $ap agent-inter 1h
EOC
}
hp_cfgs 1
hp_both_start
# both_at STATE DESC: s1 is "s1 STATE" (srv_states) in both
_s1_is() { srv_same fe && [ "$(srv_states "$T_TMP/hp.st" fe)" = "s1 $1" ]; }
both_at() { ok "both: $2" wait_for 20 _s1_is "$1"; }
both_at "UP L7OK" "UP on a 200"
echo "503 Service Unavailable" >"$T_TMP/health"
both_at "DOWN L7STS" "DOWN on a 503"
echo "404 Not Found" >"$T_TMP/health"
# code SOCK: s1's check code
code() { ctl "$1" "show stat" | awk -F, 'NR == 1 { sub(/^# /, ""); for (i = 1; i <= NF; i++) n[$i] = i } $1 == "fe" && $2 == "s1" { print $n["check_code"] }'; }
ok "both: the 404 checked" wait_for 20 eval \
    '[ "$(code "$T_TMP/hp.sock")" = 404 ] && [ "$(code "$T_TMP/ha.sock")" = 404 ]'
both_at "DOWN L7STS" "still DOWN on a 404 (L7STS)"

# health SOCK: s1's check health, as show servers state has it
health() { ctl "$1" "show servers state fe" | awk '$4 == "s1" { print $13 }'; }
is "$(health "$T_TMP/hp.sock") $(health "$T_TMP/ha.sock")" "0 0" \
    "the check's health 0 in both"
for s in hp ha; do ctl "$T_TMP/$s.sock" "set server fe/s1 agent up" >/dev/null; done
srv_same_check 20 "up by hand at health 0, then 404s: as haproxy's" fe
is "$(srv_states "$T_TMP/ha.st" fe)" "s1 NOLB L7OKC" \
    "(haproxy: NOLB, the 404s counted from 0)"
is "$(health "$T_TMP/hp.sock")" "$(health "$T_TMP/ha.sock")" \
    "... the check's health as haproxy's"

echo "200 OK" >"$T_TMP/health"
both_at "UP L7OK" "UP again on a 200"
done_testing
