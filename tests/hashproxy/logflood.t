#!/bin/bash
# SPDX-License-Identifier: ISC
# A flood of state-changing stats socket commands (10,000 "set weight",
# each on its own connection, as a script or a hostile local user would
# send them): each one is logged with the client's uid and pid, but the
# log keeps a burst, then says how many it suppressed (the rest of the
# count when hashproxy stops); shown + suppressed = commands sent.
# hashproxy keeps working: every command was answered, the socket still
# answers "show stat" and clients are still proxied.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/hp.sh"
command -v socat >/dev/null || cannot_run "socat is the client"
N=10000

sp=$(free_port); fp=$(free_port)
hp_backend s1 127.0.0.21 "$sp"
cat >"$T_TMP/cfg" <<EOC
global
    stats socket $T_TMP/adm.sock level admin
defaults
    mode tcp
    timeout connect 1s
    timeout client 30s
    timeout server 30s
frontend web
    bind 127.0.0.1:$fp
    default_backend app
backend app
    balance source
    hash-type consistent
    server s1 127.0.0.21:$sp
EOC
: >"$T_TMP/ready"
hashproxy -f "$T_TMP/cfg" --ready-fd 3 3>"$T_TMP/ready" \
    >>"$T_TMP/ev" 2>>"$T_TMP/err" &
HP=$!
cleanup_push "kill $HP 2>/dev/null"
ok "hashproxy starts" wait_for 10 test -s "$T_TMP/ready"

t0=$SECONDS
answered=$(python3 - "$T_TMP/adm.sock" "$N" <<'PY'
import socket, sys
path, n, good = sys.argv[1], int(sys.argv[2]), 0
for i in range(n):
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.connect(path)
    s.sendall(b"set weight app/s1 %d\n" % (1 + i % 200))
    r = b""
    while True:
        b = s.recv(4096)
        if not b:
            break
        r += b
    s.close()
    good += r.strip() == b""
print(good)
PY
)
secs=$((SECONDS - t0 + 1))
is "$answered" "$N" "all $N commands were answered (an empty answer: done)"
is "$(ctl "$T_TMP/adm.sock" "get weight app/s1")" "$(( (N - 1) % 200 + 1 )) (initial 1)" \
    "the last one took effect"
is "$(req 127.0.0.5 "$fp")" s1 "clients are still proxied"
# the lines themselves, not the summaries that quote the last one; a
# burst of 10 per 5s window the flood lasted (a slow machine: more windows)
shown=$(grep -v 'suppressed (last:' "$T_TMP/err" | grep -c '"set weight app/s1 [0-9]*" by uid')
max=$((10 * (secs / 5 + 2)))
ok "the log kept a bounded number of lines ($shown of $N in ${secs}s, at most $max)" \
    test "$shown" -ge 10 -a "$shown" -le "$max"

kill -TERM "$HP"
gone() { ! kill -0 "$HP" 2>/dev/null; }
ok "hashproxy stops" wait_for 40 gone
summ=$(sed -n 's/.* \([0-9]*\) similar messages\{0,1\} suppressed (last: stats socket .*"set weight app\/s1 [0-9]*" by uid .*/\1/p' "$T_TMP/err" |
    awk '{ s += $1 } END { print s + 0 }')
ok "a summary line says how many were suppressed ($summ)" test "$summ" -gt 0
is "$((shown + summ))" "$N" "lines shown + suppressed = commands sent"
done_testing
