#!/bin/bash
# SPDX-License-Identifier: ISC
# The tcp-check forms of haproxy's own tests/conf/haproxy-tcp-check.cfg
# and its documentation that hashproxy had not run: connect addr and
# send-proxy (a PROXY v1 line first), set-var / unset-var (ignored with a
# warning: nothing hashproxy runs reads a variable), beside the forms of
# that file (comment, connect port, send-binary in pieces, expect
# rstring, a send after an expect).  hashproxy and a real haproxy 2.6
# with the same config mark the same servers up, with the same check
# status; TLS words are refused with file:line.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/hp.sh"
command -v haproxy >/dev/null || cannot_run "haproxy is not installed"

SRV="$T_TOP/tests/hashproxy/httpsrv.py"
CHK="$T_TOP/tests/hashproxy/chkserver.py"
sp=$(free_port) closed=$(free_port)
bg() {	# IP PORT COMMAND...
	local ip=$1 port=$2; shift 2
	"$@" >/dev/null 2>&1 &
	cleanup_push "kill $!"
	wait_for 30 _hp_port_open "$ip" "$port"
}
bg 127.0.0.91 "$sp" python3 "$SRV" 127.0.0.91 "$sp" good
bg 127.0.0.92 "$sp" python3 "$SRV" 127.0.0.92 "$sp" bad
bg 127.0.0.93 "$sp" python3 "$CHK" 127.0.0.93 "$sp" greet 'SSH-2.0-OpenSSH_9.2\r\n'

px() {	# NAME PORT SERVER-PORT CHECK-LINES...
	local n=$1 p=$2 s=$3 l; shift 3
	printf 'listen %s\n    bind 127.0.0.1:%s\n    option tcp-check\n' "$n" "$p"
	for l in "$@"; do printf '    %s\n' "$l"; done
	printf '    server good 127.0.0.91:%s check\n' "$s"
	printf '    server bad 127.0.0.92:%s check\n' "$s"
	printf '    server ssh 127.0.0.93:%s check\n' "$s"
}
get='tcp-check send "GET / HTTP/1.0\r\n\r\n"'
cfg() {
	cat <<EOC
defaults
    mode tcp
    timeout connect 2s
    timeout client 5s
    timeout server 5s
    timeout check 2s
    default-server inter 200ms rise 1 fall 1
EOC
	px comment "$1" "$closed" 'tcp-check comment "this is a comment"' \
	    "tcp-check connect port $sp"
	px binary "$2" "$sp" "tcp-check connect port $sp" \
	    'tcp-check send-binary 474554 # "GET"' 'tcp-check send-binary 202F20 # " / "' \
	    'tcp-check send-binary 485454 # "HTT"' 'tcp-check send-binary 502F31 # "P/1"' \
	    'tcp-check send-binary 2E300D # ".0\r"' 'tcp-check send-binary 0A0D0A # "\n\r\n"' \
	    'tcp-check expect rstring ^HTTP/1.1\ 200'
	px ssh "$3" "$sp" "tcp-check connect port $sp" 'tcp-check expect rstring SSH' \
	    'tcp-check send "oops, sorry"'
	px proxy "$4" "$sp" "tcp-check connect port $sp send-proxy" "$get" \
	    "tcp-check expect rstring \"role=primary\\nPROXY TCP4 127(\\.[0-9]+){3} 127\\.0\\.0\\.91 [0-9]+ $sp\\r\\nGET / \""
	px vars "$5" "$sp" 'tcp-check set-var(check.x) int(1)' 'tcp-check connect' \
	    "$get" 'tcp-check expect min-recv 12 ! string 503' 'tcp-check unset-var(check.x)'
	px msgs "$6" "$sp" "$get" \
	    'tcp-check expect on-success "primary here" on-error "not primary" string role=primary'
	# connect addr: every server's check goes to the good one
	printf 'listen addr\n    bind 127.0.0.1:%s\n    option tcp-check\n' "$7"
	printf '    tcp-check connect addr 127.0.0.91 port %s\n    %s\n' "$sp" "$get"
	printf '    tcp-check expect string 200\n'
	printf '    server elsewhere 127.0.0.99:%s check\n' "$closed"
}
forms="comment binary ssh proxy vars msgs addr"
hp_cfgs $(wc -w <<<"$forms")
like "$(hashproxy -c -f "$T_TMP/hp.cfg" 2>&1)" \
    'hp.cfg:[0-9]+: listen vars: tcp-check set-var\(check.x\): ignored' \
    "hashproxy -c: set-var ignored with a warning"
hp_both_start

# st hp|ha PROXY: "server status check_status" of PROXY's servers in the
# last snapshot (srv_same_check's)
st() { srv_states "$T_TMP/$1.st" "$2"; }
up() { st hp "$1" | awk '$2 == "UP" { printf "%s ", $1 }'; }

srv_same_check 30 "the same servers up, the same check status as haproxy" $forms
is "$(up comment)" "bad good ssh " "comment, connect port: every port that answers"
is "$(up binary)" "good " "send-binary in pieces, expect rstring"
is "$(up ssh)" "ssh " "expect rstring SSH, then a send"
is "$(up proxy)" "good " "connect send-proxy: the PROXY line comes first"
is "$(up vars)" "good ssh " "set-var and unset-var change nothing"
is "$(up msgs)" "good " "on-success, on-error"
is "$(up addr)" "elsewhere " "connect addr: the check goes to that address"
like "$(grep '^down backend=msgs server=bad ' "$T_TMP/hp.ev")" \
    'reason="Layer7 invalid response, info: not primary' "on-error's text"

bad() { printf 'listen x\n bind 127.0.0.1:1\n option tcp-check\n%b server s 127.0.0.1:2 check\n' "$1" >"$T_TMP/bad.cfg"
	hashproxy -c -f "$T_TMP/bad.cfg" 2>&1; }
like "$(bad ' tcp-check connect port 9005 ssl\n')" \
    'bad.cfg:4: .*tcp-check connect "ssl": not supported \(TLS' "connect ssl: refused, no TLS"
like "$(bad ' tcp-check connect alpn h2\n')" 'bad.cfg:4: .*"alpn": not supported \(TLS' \
    "connect alpn: refused, no TLS"
like "$(bad ' tcp-check connect addr example.org\n')" \
    'bad.cfg:4: .*connect addr "example.org": an IPv4 address or an IPv6 one in brackets expected' \
    "connect addr takes an address"
like "$(bad ' tcp-check send-lf %[src]\n')" 'bad.cfg:4: .*tcp-check send-lf: not supported' \
    "send-lf: refused (log-format)"
done_testing
