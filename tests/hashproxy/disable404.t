#!/bin/bash
# SPDX-License-Identifier: ISC
# http-check disable-on-404, beside haproxy 2.6 with the same config: a
# running server whose check gets a 404 goes NOLB (check status L7OKC):
# no new client is mapped to it, the same sources move to the same
# servers in both, a client already on it keeps its connection; a 200
# puts it back UP at once.  A server that is DOWN stays DOWN on a 404.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/hp.sh"
command -v haproxy >/dev/null || cannot_run "haproxy is not installed"

SRV=$T_TOP/tests/hashproxy/statussrv.py
sp=$(free_port) cp=$(free_port)
for i in 1 2 3; do
	hp_backend "s$i" "127.0.0.3$i" "$sp"
	echo "200 OK" >"$T_TMP/h.s$i"
	python3 "$SRV" "127.0.0.3$i" "$cp" "$T_TMP/h.s$i" >/dev/null 2>&1 &
	cleanup_push "kill $!"
	wait_for 10 _hp_port_open "127.0.0.3$i" "$cp"
done

cfg() {	# FRONTPORT
	cat <<EOC
defaults
    mode tcp
    timeout connect 2s
    timeout client 30s
    timeout server 30s
    timeout check 2s
listen fe
    bind 127.0.0.1:$1
    balance source
    hash-type consistent
    option httpchk GET /health
    http-check disable-on-404
    default-server inter 100ms rise 2 fall 3 port $cp
    server s1 127.0.0.31:$sp check
    server s2 127.0.0.32:$sp check
    server s3 127.0.0.33:$sp check
EOC
}
php=$(free_port) pha=$(free_port)
cfg "$php" >"$T_TMP/hp.cfg"
cfg "$pha" >"$T_TMP/ha.cfg"
out=$(hashproxy -c -f "$T_TMP/hp.cfg" 2>&1)
is "$?" 0 "hashproxy -c accepts http-check disable-on-404"
is "$(printf '%s\n' "$out" | grep -c 'disable-on-404')" 0 \
    "without a warning that it is ignored"
ok "haproxy -c too" haproxy -c -q -f "$T_TMP/ha.cfg"
ha_start "$T_TMP/ha.cfg"
ok "hashproxy runs it" hp_start "$T_TMP/hp.cfg"
ok "both: every server UP" wait_for 20 srv_same fe
is "$(srv_states "$T_TMP/hp.st" fe | tr '\n' ' ')" "s1 UP L7OK s2 UP L7OK s3 UP L7OK " \
    "hashproxy: s1 s2 s3 UP L7OK"

mapfile -t SRCS < <(hp_sources 60)
before=$(map_of "$php" "${SRCS[@]}")
is "$before" "$(map_of "$pha" "${SRCS[@]}")" "the same mapping of 60 sources in both"

# a client on the server about to answer 404, through each proxy
exec 3<>"/dev/tcp/127.0.0.1/$php" 4<>"/dev/tcp/127.0.0.1/$pha"
cleanup_push "exec 3>&- 4>&-"
victim=$(keepalive_get 3)
is "$(keepalive_get 4)" "$victim" "haproxy's client from 127.0.0.1 is on the same server ($victim)"
ok "some of the 60 sources are on $victim too" grep -q " $victim\$" <<<"$before"

echo "404 Not Found" >"$T_TMP/h.$victim"
ok "both: $victim NOLB, its check L7OKC, the others UP" wait_for 20 eval \
    'srv_same fe && [ "$(srv_states "$T_TMP/hp.st" fe | grep "^$victim ")" = "$victim NOLB L7OKC" ]'
# A check in progress shows as "* L7OKC", code 0 and no last_chk, on
# either side: the rows, every server's for statcmp.py, are compared from
# snapshots with no check under way
row() { awk -F, -v s="$victim" 'NR == 1 { sub(/^# /, ""); for (i = 1; i <= NF; i++) n[$i] = i } $1 == "fe" && $2 == s { print $n["status"], $n["check_status"], $n["check_code"], $n["last_chk"] }' "$1"; }
wait_for 10 at_rest || diag "a check in progress in every snapshot for 10 s"
is "$(row "$T_TMP/hp.st")" "$(row "$T_TMP/ha.st")" "show stat: status, check_status, check_code, last_chk as haproxy's"
is "$(python3 "$T_TOP/tests/hashproxy/statcmp.py" nolb csv "$T_TMP/hp.st" "$T_TMP/ha.st" 2>&1)" "" \
    "show stat's other fields (weight, act...) as haproxy's"
# show servers state: a NOLB server's srv_op_state is haproxy's
# SRV_ST_STOPPING (3), what a state file carries over a reload
opst() { ctl "$1" "show servers state fe" | awk -v s="$victim" '$4 == s { print $6 }'; }
is "$(opst "$T_TMP/hp.sock")" "$(opst "$T_TMP/ha.sock")" \
    "show servers state: $victim's srv_op_state as haproxy's"
after=$(map_of "$php" "${SRCS[@]}")
is "$after" "$(map_of "$pha" "${SRCS[@]}")" "the same new mapping in both"
ok "no new source goes to $victim" eval '! grep -q " $victim\$" <<<"$after"'
is "$(diff <(echo "$before") <(echo "$after") | grep -c '^<')" \
    "$(grep -c " $victim\$" <<<"$before")" "only $victim's sources moved"
is "$(keepalive_get 3)" "$victim" "hashproxy: the client already on $victim keeps its connection"
is "$(keepalive_get 4)" "$victim" "haproxy: the same"

echo "200 OK" >"$T_TMP/h.$victim"
ok "both: $victim UP again on a 200" wait_for 20 eval \
    'srv_same fe && [ "$(srv_states "$T_TMP/hp.st" fe | grep "^$victim ")" = "$victim UP L7OK" ]'
is "$(map_of "$php" "${SRCS[@]}")" "$before" "hashproxy: the first mapping again"
is "$(map_of "$pha" "${SRCS[@]}")" "$before" "haproxy: the same"

# a DOWN server that answers 404 stays DOWN
other=s1; [ "$victim" = s1 ] && other=s2
echo "503 Service Unavailable" >"$T_TMP/h.$other"
ok "both: $other DOWN on a 503" wait_for 20 eval \
    'srv_same fe && [ "$(srv_states "$T_TMP/hp.st" fe | grep "^$other ")" = "$other DOWN L7STS" ]'
echo "404 Not Found" >"$T_TMP/h.$other"
code() { ctl "$1" "show stat" | awk -F, -v s="$other" 'NR == 1 { sub(/^# /, ""); for (i = 1; i <= NF; i++) n[$i] = i } $1 == "fe" && $2 == s { print $n["check_code"] }'; }
ok "both: on a 404 the check has run again" wait_for 20 eval \
    '[ "$(code "$T_TMP/hp.sock")" = 404 ] && [ "$(code "$T_TMP/ha.sock")" = 404 ]'
ok "both: $other still DOWN (L7STS), as haproxy" wait_for 20 eval \
    'srv_same fe && [ "$(srv_states "$T_TMP/hp.st" fe | grep "^$other ")" = "$other DOWN L7STS" ]'
done_testing
