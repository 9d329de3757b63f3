#!/bin/bash
# SPDX-License-Identifier: ISC
# svccheck --watch and SIGHUP: what "systemctl reload" and a terminal's
# hang-up send.  A track producer that dies of it takes its consumer's
# view with it (vrrpd --track-fd sees EOF), so SIGHUP rescans /proc, says
# so in one line, prints no event line when nothing changed, and the
# watch goes on reporting.
. "$(dirname "$0")/../lib/tap.sh"
needs_root

N=h$T_ID
mkdir -p "$T_TMP/b"
cp /bin/sleep "$T_TMP/b/$N"
PIDS=()
cleanup_push 'kill -9 "${PIDS[@]}" 2>/dev/null'
OUT=$T_TMP/out ERR=$T_TMP/err
lines() { wc -l <"$OUT"; }
hups() { grep -c 'SIGHUP: rescanning /proc' "$ERR"; }

"$T_TMP/b/$N" 1000 & S1=$!; PIDS+=("$S1"); disown "$S1"
svccheck --watch --rescan 1m --ready-fd 3 "$N" 3>"$T_TMP/ready" >"$OUT" \
    2>"$ERR" &
W=$!; PIDS+=("$W")
ok "ready" wait_for 10 test -s "$T_TMP/ready"
ok "up with its pid" wait_file_line 10 "$OUT" "^up $N pid=$S1\$"

kill -HUP "$W"
ok "SIGHUP: one line says it rescans" wait_for 10 eval '[ "$(hups)" -ge 1 ]'
ok "still running after SIGHUP" kill -0 "$W"
kill -HUP "$W"
ok "a second SIGHUP: a second line" wait_for 10 eval '[ "$(hups)" -ge 2 ]'
ok "still running after the second" kill -0 "$W"
is "$(lines)" 1 "nothing changed: no event line"

kill -9 "$S1"
ok "it still reports: down" wait_file_line 10 "$OUT" "^down $N\$"
"$T_TMP/b/$N" 1000 & S2=$!; PIDS+=("$S2"); disown "$S2"
ok "and up again" wait_file_line 10 "$OUT" "^up $N pid=$S2\$"

kill -TERM "$W"
wait "$W"; r=$?
is "$r" 0 "SIGTERM: clean exit 0"
is "$(lines)" 3 "three event lines in all"
is "$(grep -v 'SIGHUP: rescanning /proc' "$ERR")" "" "no other diagnostic"
done_testing
