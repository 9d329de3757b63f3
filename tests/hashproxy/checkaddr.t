#!/bin/bash
# SPDX-License-Identifier: ISC
# A server's "addr A[:P]": its checks go to A (port P, else "port", else
# the server's own port) while its traffic goes to the server's address.
# haproxy 2.6 and hashproxy run the same config side by side: a server
# whose check address stops answering goes DOWN in both although its
# service still answers, and the clients it had move to the others.
# "port" wins over the port of "addr".  The public corpus file with
# "addr" (haproxy-test-str2sa.cfg) is accepted by both.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/hp.sh"
command -v haproxy >/dev/null || cannot_run "haproxy is not installed"

p=$(free_port) q=$(free_port) r=$(free_port)
# the service, on the servers' own addresses
for s in a:127.0.0.21 b:127.0.0.23 c:127.0.0.25; do
	hp_backend "${s%%:*}" "${s#*:}" "$p"
done
# where the checks go
hp_backend chka 127.0.0.22 "$q"		# a: addr 127.0.0.22:q
hp_backend chkb 127.0.0.24 "$p"		# b: addr 127.0.0.24, the server's port
hp_backend chkc 127.0.0.26 "$r"		# c: addr 127.0.0.26:q port r

cfg() {	# FRONTPORT
	cat <<EOC
defaults
    mode tcp
    timeout connect 2s
    timeout client 10s
    timeout server 10s
    timeout check 2s
listen fe
    bind 127.0.0.1:$1
    balance roundrobin
    default-server inter 100ms rise 1 fall 1
    server a 127.0.0.21:$p check addr 127.0.0.22:$q
    server b 127.0.0.23:$p check addr 127.0.0.24
    server c 127.0.0.25:$p check addr 127.0.0.26:$q port $r
EOC
}
hf=$(free_port) xf=$(free_port)
cfg "$hf" >"$T_TMP/ha.cfg"
cfg "$xf" >"$T_TMP/hp.cfg"
ok "haproxy -c accepts it" haproxy -c -q -f "$T_TMP/ha.cfg"
ok "hashproxy -c accepts it" hashproxy -c -f "$T_TMP/hp.cfg"
ha_start "$T_TMP/ha.cfg"
ok "hashproxy runs it" hp_start "$T_TMP/hp.cfg"

# states PROXY-SOCK: "a UP b UP c UP"
states() {
	ctl "$1" "show stat" | awk -F, '$1 == "fe" && $2 ~ /^[abc]$/ { printf "%s %s ", $2, $18 }'
}
# answers PORT: the service names six round-robin clients get, sorted
answers() {
	local i
	for i in 1 2 3 4 5 6; do echo "$(req 127.0.0.1 "$1")"; done |
	    sort -u | tr '\n' ' '
}
ok "haproxy: all UP, each checked at its addr" \
    wait_for 20 eval '[ "$(states "$T_TMP/ha.sock")" = "a UP b UP c UP " ]'
ok "hashproxy: all UP, each checked at its addr" \
    wait_for 20 eval '[ "$(states "$T_TMP/hp.sock")" = "a UP b UP c UP " ]'
is "$(answers "$xf")" "$(answers "$hf")" "the same servers answer through both"
# show servers state: srv_check_port, srv_check_addr, srv_agent_addr
chk() { ctl "$1" "show servers state fe" | awk 'NF > 20 && $1 !~ /^#/ { print $4, $22, $23, $24 }'; }
is "$(chk "$T_TMP/hp.sock")" "$(chk "$T_TMP/ha.sock")" "show servers state's check port and addresses as haproxy's"
is "$(answers "$xf")" "a b c " "the service is each server's own address"

# a's and b's check addresses stop answering; their services do not
hp_backend_kill chka
hp_backend_kill chkb
ok "haproxy: a and b DOWN (their addr is dead), c UP (port wins over addr's)" \
    wait_for 20 eval '[ "$(states "$T_TMP/ha.sock")" = "a DOWN b DOWN c UP " ]'
ok "hashproxy: the same" \
    wait_for 20 eval '[ "$(states "$T_TMP/hp.sock")" = "a DOWN b DOWN c UP " ]'
ok "a's service still answers on its own address" _hp_port_open 127.0.0.21 "$p"
is "$(answers "$xf")" "c " "hashproxy: new clients go to c only"
is "$(answers "$hf")" "c " "haproxy: the same"

# back: the check address answers again
hp_backend chka 127.0.0.22 "$q"
ok "hashproxy: a UP again once its addr answers" \
    wait_for 20 eval '[ "$(states "$T_TMP/hp.sock")" = "a UP b DOWN c UP " ]'
ok "haproxy: the same" \
    wait_for 20 eval '[ "$(states "$T_TMP/ha.sock")" = "a UP b DOWN c UP " ]'

# -c: the forms haproxy takes and refuses
verdict() {	# SERVER-PARAMS
	printf 'defaults\n    mode tcp\n    timeout client 1s\n    timeout server 1s\n    timeout connect 1s\nlisten l\n    bind 127.0.0.1:%s\n    server s1 %s\n' \
	    "$hf" "$1" >"$T_TMP/v.cfg"
	local h x
	haproxy -c -f "$T_TMP/v.cfg" >/dev/null 2>&1 && h=ok || h=no
	hashproxy -c -f "$T_TMP/v.cfg" >"$T_TMP/v.out" 2>&1
	case $? in 0) x=ok ;; 2) x=no ;; *) x="exit $?" ;; esac
	echo "$h/$x"
}
for v in "127.0.0.2:80 check addr 127.0.0.3:81|ok" \
    "127.0.0.2:80 check addr 127.0.0.3|ok" \
    "127.0.0.2:80 check addr 127.0.0.3:0|ok" \
    "127.0.0.2:80 check addr localhost|ok" \
    "127.0.0.2:80 check addr [::1]:80|ok" \
    "127.0.0.2:80 check addr 127.0.0.3:+1|no" \
    "127.0.0.2:80 check addr 127.0.0.3:-1|no" \
    "127.0.0.2:80 check addr 127.0.0.3:81-82|no" \
    "127.0.0.2:80 check addr 127.0.0.3:x|no" \
    "127.0.0.2:80 check addr|no" \
    "127.0.0.2 check addr 127.0.0.3:81|ok" \
    "127.0.0.2 check addr 127.0.0.3|no"; do
	is "$(verdict "${v%|*}")" "${v#*|}/${v#*|}" "-c: server s1 ${v%|*}: as haproxy"
done
verdict "127.0.0.2:80 check addr 127.0.0.3:+1" >/dev/null
like "$(cat "$T_TMP/v.out")" "v.cfg:8: .*addr \"127.0.0.3:\+1\": should be ADDRESS\[:PORT\]" \
    "a refused addr: file:line and the form expected"
f=$T_TOP/tests/hashproxy/corpus/haproxy-test-str2sa.cfg
ok "haproxy accepts the corpus' haproxy-test-str2sa.cfg" haproxy -c -q -f "$f"
ok "hashproxy too" eval 'hashproxy -c -f "$f" 2>/dev/null'
done_testing
