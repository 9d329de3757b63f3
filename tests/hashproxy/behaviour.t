#!/bin/bash
# SPDX-License-Identifier: ISC
# hashproxy(8) behaviour no other test runs: balance roundrobin, option
# allbackups, http-check send, the check port keyword, and the check
# statuses L7STS, L7RSP and L7TOUT in the up/down event lines.  Backends
# are real listeners on 127.0.0.x: the testbackend (answers its name),
# python's http.server (logs the request line, answers a set status) and
# socat for a garbage answer and for none.
. "$(dirname "$0")/../lib/tap.sh"
. "$T_TOP/tests/hashproxy/hp.sh"

sp=$(free_port)
hp_backend s1 127.0.0.11 "$sp" && hp_backend s2 127.0.0.12 "$sp" &&
    hp_backend s3 127.0.0.13 "$sp" || bail "backends"
hp_backend b1 127.0.0.21 "$sp" && hp_backend b2 127.0.0.22 "$sp" || bail "backup backends"
fp=$(free_port) ap=$(free_port) np=$(free_port)
cat > "$T_TMP/rr.cfg" <<C
frontend rr
    bind 127.0.0.1:$fp
    default_backend rr
frontend allb
    bind 127.0.0.1:$ap
    default_backend allb
frontend oneb
    bind 127.0.0.1:$np
    default_backend oneb
backend rr
    balance roundrobin
    server s1 127.0.0.11:$sp
    server s2 127.0.0.12:$sp
    server s3 127.0.0.13:$sp
backend allb
    balance roundrobin
    option allbackups
    server dead1 127.0.0.31:$sp check inter 100ms
    server b1 127.0.0.21:$sp backup
    server b2 127.0.0.22:$sp backup
backend oneb
    balance roundrobin
    server dead1 127.0.0.31:$sp check inter 100ms
    server b1 127.0.0.21:$sp backup
    server b2 127.0.0.22:$sp backup
C
hp_start "$T_TMP/rr.cfg" || bail "hashproxy"
ok "the dead active servers are seen down" \
    wait_for 10 sh -c "[ \$(grep -c '^down backend=' '$T_TMP/hp.ev') -ge 2 ]"
answers() {	# PORT N: the backends that answered N requests, counted
	local i
	for ((i = 0; i < $2; i++)); do req 127.0.0.1 "$1"; echo; done | grep . | sort | uniq -c |
	    awk '{ printf "%s%s=%s", sep, $2, $1; sep = " " }'
}
is "$(answers "$fp" 6)" "s1=2 s2=2 s3=2" "roundrobin: 6 requests, 2 to each of 3 servers"
is "$(answers "$ap" 4)" "b1=2 b2=2" "option allbackups: no active server, both backups take turns"
is "$(answers "$np" 4)" "b1=4" "without it only the first backup serves"

# health checks: each server a socat script on its own address
hc() {	# ADDR PORT SHELL: a listener running SHELL per connection
	socat "TCP-LISTEN:$2,bind=$1,reuseaddr,fork" "SYSTEM:$3" 2>/dev/null &
	cleanup_push "kill $! 2>/dev/null"
	wait_for 5 _hp_port_open "$1" "$2"
}
# httpd ADDR PORT STATUS LOG: python's http.server answering STATUS to
# every request, the request lines in LOG
cat > "$T_TMP/httpd.py" <<'PY'
import http.server, socketserver, sys
addr, port, status, log = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
class H(http.server.BaseHTTPRequestHandler):
    def answer(self):
        with open(log, "a") as f:
            f.write(self.requestline + "\n")
        self.send_response(status)
        self.send_header("Content-Length", "0")
        self.end_headers()
    do_GET = do_HEAD = do_OPTIONS = answer
    def log_message(self, *a):
        pass
class S(http.server.ThreadingHTTPServer):
    # socketserver's bind alone: HTTPServer's asks for the address's name
    # (getfqdn), a DNS query that would leave the machine
    def server_bind(self):
        socketserver.TCPServer.server_bind(self)
        self.server_name, self.server_port = self.server_address[:2]
S((addr, port), H).serve_forever()
PY
httpd() {
	python3 "$T_TMP/httpd.py" "$@" &
	cleanup_push "kill $! 2>/dev/null"
	wait_for 5 _hp_port_open "$1" "$2"
}
cp_=$(free_port) cport=$(free_port) hfp=$(free_port)
httpd 127.0.0.41 "$cp_" 200 "$T_TMP/send.log"
httpd 127.0.0.42 "$cp_" 500 "$T_TMP/sts.log"
# timeout check 2s: the garbage comes from a shell socat forks per check,
# which took more than 300ms at load 30 (L7TOUT, and with fall 1 the
# server's one down line said so)
hc 127.0.0.43 "$cp_" "printf 'garbage\\r\\n\\r\\n'"
hc 127.0.0.44 "$cp_" "sleep 30"
httpd 127.0.0.45 "$cport" 200 "$T_TMP/port.log"
cat > "$T_TMP/hc.cfg" <<C
frontend hc
    bind 127.0.0.1:$hfp
    default_backend hc
backend hc
    balance roundrobin
    timeout check 2s
    option httpchk
    http-check send meth HEAD uri /hc-$T_ID
    server sent 127.0.0.41:$cp_ check inter 200ms fall 1 rise 1
    server sts 127.0.0.42:$cp_ check inter 200ms fall 1 rise 1
    server rsp 127.0.0.43:$cp_ check inter 200ms fall 1 rise 1
    server tout 127.0.0.44:$cp_ check inter 200ms fall 1 rise 1
    server other 127.0.0.45:$(free_port) check port $cport inter 200ms fall 1 rise 1
C
: > "$T_TMP/hp.ev"
"$HP_BIN" -f "$T_TMP/hc.cfg" > "$T_TMP/hc.ev" 2> "$T_TMP/hc.err" &
cleanup_push "kill $! 2>/dev/null"
ok "http-check send: the server is asked HEAD /hc-$T_ID" \
    wait_file_line 5 "$T_TMP/send.log" "^HEAD /hc-$T_ID HTTP/1"
ok "a 500 answer: down check=L7STS" \
    wait_file_line 5 "$T_TMP/hc.ev" '^down backend=hc server=sts .*check=L7STS'
ok "a garbage answer: down check=L7RSP" \
    wait_file_line 5 "$T_TMP/hc.ev" '^down backend=hc server=rsp .*check=L7RSP'
ok "no answer within timeout check: down check=L7TOUT" \
    wait_file_line 10 "$T_TMP/hc.ev" '^down backend=hc server=tout .*check=L7TOUT'
ok "check port: the check goes to the port named" \
    wait_file_line 5 "$T_TMP/port.log" "^HEAD /hc-$T_ID HTTP/1"
nok "... and the server it checks there stays up" \
    grep -q '^down backend=hc server=other ' "$T_TMP/hc.ev"
nok "the server that answers 200 is never down" \
    grep -q '^down backend=hc server=sent ' "$T_TMP/hc.ev"
done_testing
