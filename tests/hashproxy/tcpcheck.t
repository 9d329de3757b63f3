#!/bin/bash
# SPDX-License-Identifier: ISC
# option tcp-check with connect/send/send-binary/expect/comment rules, and
# option redis-check against a real redis-server: hashproxy and a real
# haproxy 2.6 with the same config agree on every server's state and
# check status, for backends that answer right, wrong, not at all, or
# close.  A port that accepts TCP but does not speak redis is down.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/hp.sh"
command -v redis-server >/dev/null || cannot_run "redis-server missing (tests/lib/deps.sh)"

CHK="$T_TOP/tests/hashproxy/chkserver.py"
sp=$(free_port); cp=$(free_port); rp=$(free_port)

# srv IP PORT MODE [TEXT]: a chkserver.py backend; srv_kill IP ends it,
# and returns once it is gone: a new one on its port binds only then (a
# probe of the port could be answered by the old one, still exiting)
declare -A SRV_PID
srv() {
	python3 "$CHK" "$@" >/dev/null 2>&1 &
	SRV_PID[$1]=$!
	cleanup_push "kill $!"
	# python starts slowly on a loaded machine
	wait_for 30 _hp_port_open "$1" "$2"
}
srv_kill() {
	kill "${SRV_PID[$1]}"
	wait "${SRV_PID[$1]}" 2>/dev/null
}
srv 127.0.0.21 "$sp" reply '+OK ready\r\n'
srv 127.0.0.22 "$sp" reply '-ERR go away\r\n'
srv 127.0.0.23 "$sp" mute
srv 127.0.0.24 "$sp" close
srv 127.0.0.26 "$cp" greet '+OK ready\r\n'
srv 127.0.0.43 "$rp" reply 'HTTP/1.0 400 Bad request\r\n\r\n'
redis-server --bind 127.0.0.41 --port "$rp" --save '' --appendonly no \
    >"$T_TMP/redis1.log" 2>&1 &
cleanup_push "kill $!"
redis-server --bind 127.0.0.42 --port "$rp" --save '' --appendonly no \
    --requirepass secret >"$T_TMP/redis2.log" 2>&1 &
cleanup_push "kill $!"
wait_for 10 _hp_port_open 127.0.0.41 "$rp"
wait_for 10 _hp_port_open 127.0.0.42 "$rp"

cfg() {
	cat <<EOC
defaults
    mode tcp
    timeout connect 1s
    timeout check 1s
    default-server inter 300ms rise 1 fall 1
listen tc
    bind 127.0.0.1:$1
    option tcp-check
    tcp-check comment "say hello"
    tcp-check send HELLO\\r\\n
    tcp-check expect string +OK
    server good 127.0.0.21:$sp check
    server bad 127.0.0.22:$sp check
    server mute 127.0.0.23:$sp check
    server closer 127.0.0.24:$sp check
    server refused 127.0.0.25:$sp check
listen tb
    bind 127.0.0.1:$2
    option tcp-check
    tcp-check connect
    tcp-check send-binary 48454c4c4f0d0a
    tcp-check expect binary 2b4f4b
    tcp-check expect rbinary ^2B4F4B2072656164790D0A$
    server good 127.0.0.21:$sp check
    server bad 127.0.0.22:$sp check
listen tr
    bind 127.0.0.1:$3
    option tcp-check
    tcp-check send HELLO\\r\\n
    tcp-check expect ! string -ERR comment "no error"
    tcp-check expect rstring ^[+]OK\\ [a-z]+
    server good 127.0.0.21:$sp check
    server bad 127.0.0.22:$sp check
    server mute 127.0.0.23:$sp check
    server closer 127.0.0.24:$sp check
listen tp
    bind 127.0.0.1:$4
    option tcp-check
    tcp-check connect port $cp
    tcp-check expect string +OK
    server viaport 127.0.0.26:$sp check
    server noport 127.0.0.25:$sp check
listen rd
    bind 127.0.0.1:$5
    option redis-check
    server redis 127.0.0.41:$rp check
    server auth 127.0.0.42:$rp check
    server http 127.0.0.43:$rp check
    server none 127.0.0.44:$rp check
EOC
}
hp_cfgs 5
hp_both_start

pxs=(tc tb tr tp rd)
srv_same_check 30 "every server's state and check status as haproxy's" "${pxs[@]}"
# the snapshot that agreed with haproxy's, not a new one
is "$(srv_states "$T_TMP/hp.st" tc | tr '\n' ' ')" \
    "bad DOWN L7TOUT closer DOWN L7RSP good UP L7OK mute DOWN L7TOUT refused DOWN L4CON " \
    "tc: only the server answering +OK is up; a mismatch waits for more (L7TOUT)"
is "$(srv_states "$T_TMP/hp.st" rd | tr '\n' ' ')" \
    "auth DOWN L7TOUT http DOWN L7TOUT none DOWN L4CON redis UP L7OK " \
    "redis-check: a port that is not redis is down, and so is one that wants a password"
down_line() { grep "^down backend=$1 server=$2 " "$T_TMP/hp.ev"; }
like "$(down_line tc bad)" \
    'reason="Layer7 timeout, info: at step 3 of tcp-check \(expect string .\+OK.\)' \
    "a failed expect says which step and what it expected"
like "$(down_line tc closer)" 'reason="Layer7 invalid response, info: TCPCHK got an empty response at step 3' \
    "a closed connection: an empty response"
like "$(down_line tc refused)" 'reason="Layer4 connection problem, info: Connection refused at initial connection step of tcp-check' \
    "a refused connection: L4CON at the implicit connect"
like "$(down_line tr bad)" "reason=\"Layer7 invalid response, info: TCPCHK matched unwanted content '-ERR' at step 2 comment: 'no error'" \
    "an unwanted match, with the rule's comment (haproxy's words; steps count config lines)"

# a redis that answers something else at once: its reply is the reason
srv_kill 127.0.0.43
srv 127.0.0.43 "$rp" reply '-ERR unknown command\r\n+PONG\r\n'
ok "hashproxy: an answer with +PONG in it is up" \
    wait_file_line 10 "$T_TMP/hp.ev" '^up backend=rd server=http .*check=L7OK'
ok "haproxy agrees" wait_for 10 stat_has "$T_TMP/ha.sock" '^rd,http,.*,UP,'

# the server starts answering: both mark it up
srv_kill 127.0.0.22
srv 127.0.0.22 "$sp" reply '+OK ready\r\n'
ok "hashproxy: tc/bad comes up" wait_file_line 10 "$T_TMP/hp.ev" '^up backend=tc server=bad .*check=L7OK'
ok "haproxy agrees" wait_for 10 stat_has "$T_TMP/ha.sock" '^tc,bad,.*,UP,'

# bad rules are errors naming file:line and the keyword
bad() { printf 'listen x\n bind 127.0.0.1:1\n option tcp-check\n %s\n server s 127.0.0.1:2 check\n' "$1" >"$T_TMP/bad.cfg"
	hashproxy -c -f "$T_TMP/bad.cfg" 2>&1; }
like "$(bad 'tcp-check expect rstring (')" 'bad.cfg:4: .*tcp-check expect "\(": bad regular expression' "a bad regex"
like "$(bad 'tcp-check send-binary 4G')" 'bad.cfg:4: .*send-binary "4G": an even number of hex digits' "bad hex"
like "$(bad 'tcp-check expect string-lf x')" 'bad.cfg:4: .*tcp-check expect "string-lf": not supported' "log-format matches refused"
like "$(bad 'tcp-check send-lf x')" 'bad.cfg:4: .*tcp-check send-lf: not supported' "send-lf refused"
like "$(bad 'tcp-check connect ssl')" 'bad.cfg:4: .*tcp-check connect "ssl": not supported' "connect ssl refused"
like "$(bad 'tcp-check expect string a b')" 'bad.cfg:4: .*"b" after the pattern' "an unescaped space"
nok "hashproxy -c fails on them" hashproxy -c -f "$T_TMP/bad.cfg"
done_testing
