#!/bin/bash
# SPDX-License-Identifier: ISC
# pgwatch --http against a live pair, under 300 connections that never
# finish a request: 150 idle, then 150 slowloris clients sending one header
# byte a second.  pgwatch keeps at most 64 connections (and as many again
# being closed): its descriptors stay under 64 x 2 + 20 more than before
# and its resident size under 8 MiB more; every slow client is cut within
# the 10 s request deadline (by 15 s, for a loaded machine), none is left
# at 20 s; and checks beside them answer /primary 200 within 3 s each
# (a new connection closes the oldest waiting one: no queue behind the
# slow clients).  On libevent's evhttp alone all 300 were kept, the
# slowloris ones until they stopped.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/pair.sh"
H=$(free_port)
pgwatch --http "127.0.0.1:$H" --interval 200ms "$P" "$S" >"$T_TMP/w" 2>"$T_TMP/w.err" &
W=$!
cleanup_push "kill $W 2>/dev/null"
code() { curl -s -m 3 -o /dev/null -w '%{http_code}' "http://127.0.0.1:$H/primary"; }
code_is() { [ "$(code)" = "$1" ]; }
ok "the primary: /primary 200" wait_for 15 code_is 200
nfd() { ls "/proc/$W/fd" | wc -l; }
rss() { awk '$1 == "VmRSS:" { print $2 }' "/proc/$W/status"; }
fd0=$(nfd) rss0=$(rss)

# The attack: a record per slow client when the server closes it, "opened"
# once every connection is made, "end" after 20 s.
python3 - "$H" >"$T_TMP/att" 2>"$T_TMP/att.err" <<'PY' &
import selectors, socket, sys, time
port = int(sys.argv[1])
sel = selectors.DefaultSelector()
t0 = time.monotonic()
conns = {}
def out(*a):
    print(*a, flush=True)
for i in range(300):
    s = socket.create_connection(("127.0.0.1", port), timeout=5)
    s.setblocking(False)
    slow = i >= 150
    conns[s] = [slow, time.monotonic(), 0]
    sel.register(s, selectors.EVENT_READ)
out("opened", len(conns), "%.1f" % (time.monotonic() - t0))
head = b"GET /primary HTTP/1.1\r\nHost: x\r\nX-Slow: " + b"a" * 1000
def gone(s, why):
    slow, t, _ = conns.pop(s)
    sel.unregister(s)
    s.close()
    out("closed", "slow" if slow else "idle", "%.1f" % (time.monotonic() - t), why)
tick = time.monotonic()
while time.monotonic() - t0 < 20:
    for key, _ in sel.select(timeout=0.2):
        try:
            d = key.fileobj.recv(4096)
            if not d:
                gone(key.fileobj, "eof")
        except OSError as e:
            gone(key.fileobj, e.__class__.__name__)
    if time.monotonic() - tick >= 1:
        tick = time.monotonic()
        for s, c in list(conns.items()):
            if c[0]:
                try:
                    s.send(head[c[2]:c[2] + 1])
                    c[2] += 1
                except OSError as e:
                    gone(s, e.__class__.__name__)
out("end", sum(1 for c in conns.values() if c[0]), sum(1 for c in conns.values() if not c[0]))
PY
A=$!
cleanup_push "kill $A 2>/dev/null"
ok "300 connections made" wait_for 30 grep -q '^opened 300' "$T_TMP/att"
# checks beside the attack, while the slow clients still send
bad=0
for i in 1 2 3 4 5; do
	t=$(date +%s%N)
	c=$(code)
	ms=$(( ($(date +%s%N) - t) / 1000000 ))
	diag "check $i: $c in $ms ms"
	[ "$c" = 200 ] && [ "$ms" -lt 3000 ] || bad=$((bad + 1))
	sleep 0.5	# pacing the checks, as a balancer's interval does
done
is "$bad" 0 "five checks during the attack: each 200 within 3 s"
fd1=$(nfd) rss1=$(rss)
ok "descriptors: $fd0 before, $fd1 during (at most $((fd0 + 148)))" \
    test "$fd1" -le "$((fd0 + 148))"
ok "resident size: $rss0 kB before, $rss1 kB during (under 8 MiB more)" \
    test "$((rss1 - rss0))" -lt 8192
ok "the attack ran its 20 s" wait_for 40 grep -q '^end' "$T_TMP/att"
cat "$T_TMP/att.err" >&2
is "$(awk '/^end/ { print $2 + $3 }' "$T_TMP/att")" 0 \
    "no slow or idle connection left open at 20 s"
late=$(awk '$1 == "closed" && $2 == "slow" && $3 >= 15' "$T_TMP/att" | wc -l)
is "$late" 0 "no slowloris client lasted 15 s (the deadline is 10 s)"
cut=$(awk '$1 == "closed" && $2 == "slow" && $3 >= 9' "$T_TMP/att" | wc -l)
ok "... the last ones, past the cap's evictions, cut by the deadline ($cut)" \
    test "$cut" -ge 1
ok "pgwatch is still running" kill -0 "$W"
is "$(code)" 200 "and /primary answers 200 after the attack"
done_testing
