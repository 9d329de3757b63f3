#!/bin/bash
# SPDX-License-Identifier: ISC
# pgwatch --http on a port any host may reach, without a database (the
# watched host is down, so the paths answer 503 and /liveness 200): a
# request with a 40 MiB header is refused with 400 before it is buffered
# (its peak resident size does not grow), a request with a body gets 413, a
# connection that says nothing is closed after 10 s; checks keep being
# answered throughout.
. "$(dirname "$0")/../lib/tap.sh"

HP=$(free_port) DB=$(free_port)
code() { curl -s -m 5 -o /dev/null -w '%{http_code}' "$@" "http://127.0.0.1:$HP/$P"; }
pgwatch --http "$HP" "host=127.0.0.1 port=$DB connect_timeout=1" \
    > "$T_TMP/w.out" 2> "$T_TMP/w.err" &
W=$!
cleanup_push "kill $W 2>/dev/null"
P=liveness
ok "/liveness answers 200" wait_for 10 eval '[ "$(code)" = 200 ]'
P=health
is "$(code)" 503 "/health: 503 (the database is down)"
hwm() { awk '$1 == "VmHWM:" { print $2 }' "/proc/$W/status"; }	# peak resident
r0=$(hwm)

# 40 MiB in one header line, sent by a client that reads the answer
status=$(python3 - "$HP" <<'PY'
import socket, sys
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=10)
try:
    s.sendall(b"GET /health HTTP/1.1\r\nHost: x\r\nX-Big: ")
    for i in range(2560):
        s.sendall(b"a" * 16384)
    s.sendall(b"\r\n\r\n")
except OSError:
    pass        # refused before the end: the answer is waiting
print(s.recv(64).split(b"\r\n")[0].decode())
PY
)
is "$status" "HTTP/1.1 400 Bad Request" "a 40 MiB header: 400"
r1=$(hwm)
ok "... not buffered: peak resident size $r0 kB -> $r1 kB (less than 2 MiB more)" \
    test "$((r1 - r0))" -lt 2048
P=liveness
is "$(code)" 200 "and /liveness still answers 200"
is "$(code -X GET -d abc)" 413 "a request with a body: 413"

# a connection that says nothing: closed by the 10 s timeout (5 s margin
# for a loaded machine), while another client's checks are answered
python3 - "$HP" > "$T_TMP/idle" <<'PY' &
import socket, sys, time
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])))
t = time.monotonic()
s.settimeout(30)
try:
    s.recv(1)
except OSError:
    pass
print("%.1f" % (time.monotonic() - t))
PY
I=$!
cleanup_push "kill $I 2>/dev/null"
is "$(code)" 200 "a check beside the idle connection: 200"
wait "$I"
secs=$(cat "$T_TMP/idle")
ok "the idle connection is closed after ${secs} s (10 s, by 15 s)" \
    awk -v s="$secs" 'BEGIN { exit !(s >= 9 && s < 15) }'
done_testing
