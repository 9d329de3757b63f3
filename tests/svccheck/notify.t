#!/bin/bash
# SPDX-License-Identifier: ISC
# svccheck --watch under a supervisor (svccheck(1) ENVIRONMENT): READY=1
# on $NOTIFY_SOCKET once the initial state is printed, WATCHDOG=1 at half
# $WATCHDOG_USEC, STOPPING=1 at exit; JOURNAL_STREAM gives diagnostics
# <N> priority prefixes.  The socket is read by python, which notes, with
# each message, its time and how many lines svccheck had printed by then.
. "$(dirname "$0")/../lib/tap.sh"
sock=$T_TMP/notify.sock
cat > "$T_TMP/reader.py" <<'PY'
import os, socket, sys, time
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(sys.argv[1])
out, log = sys.argv[2], sys.argv[3]
while True:
    d = s.recv(4096).decode(errors="replace")
    n = sum(1 for _ in open(out)) if os.path.exists(out) else 0
    with open(log, "a") as f:
        for m in d.split("\n"):
            if m:
                f.write("%.3f %d %s\n" % (time.monotonic(), n, m))
PY
: > "$T_TMP/notify.log"
python3 "$T_TMP/reader.py" "$sock" "$T_TMP/w.out" "$T_TMP/notify.log" &
cleanup_push "kill $! 2>/dev/null"
wait_for 5 test -S "$sock" || bail "reader"

NOTIFY_SOCKET=$sock WATCHDOG_USEC=400000 svccheck --watch "n$T_ID" \
    > "$T_TMP/w.out" 2> "$T_TMP/w.err" &
W=$!
cleanup_push "kill $W 2>/dev/null"
ok "READY=1 arrives" wait_file_line 5 "$T_TMP/notify.log" ' READY=1$'
is "$(awk '$3 == "READY=1" { print $2; exit }' "$T_TMP/notify.log")" 1 \
    "... once the initial state line is printed (1 line by then)"
many() { [ "$(grep -c ' WATCHDOG=1$' "$T_TMP/notify.log")" -ge 5 ]; }
ok "WATCHDOG=1 keeps coming" wait_for 5 many
gap=$(awk '$3 == "WATCHDOG=1" { if (t) print int(($1 - t) * 1000); t = $1 }' \
    "$T_TMP/notify.log" | sort -n | awk '{ g[NR] = $1 } END { print g[int((NR + 1) / 2)] }')
ok "... every ~200 ms, half of WATCHDOG_USEC=400ms (median gap ${gap}ms)" \
    test "$gap" -ge 150 -a "$gap" -le 260
kill -TERM "$W"
rc=0; wait "$W" || rc=$?
is "$rc" 0 "SIGTERM: exit 0"
ok "STOPPING=1 at exit" wait_file_line 5 "$T_TMP/notify.log" ' STOPPING=1$'

printf 'garbage\n' > "$T_TMP/bad.pid"
JOURNAL_STREAM=8:9 svccheck --pidfile "$T_TMP/bad.pid" "n$T_ID" > /dev/null 2> "$T_TMP/j.err"
like "$(cat "$T_TMP/j.err")" '^<4>.*is not a process id' \
    "JOURNAL_STREAM: a warning carries <4>"
svccheck --pidfile "$T_TMP/bad.pid" "n$T_ID" > /dev/null 2> "$T_TMP/p.err"
like "$(cat "$T_TMP/p.err")" '^svccheck: .*is not a process id' "without it no prefix"
done_testing
