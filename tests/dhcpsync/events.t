#!/bin/bash
# SPDX-License-Identifier: ISC
# Event lines dhcpsync(8) documents that no other test waits for: lag
# (a real secondary frozen with SIGSTOP holds 5 records unacknowledged:
# once a second, then records=0 when it catches up), peer-down
# reason=replaced (the same peer's newer connection takes the link),
# reason=eof on both sides, and reason=protocol (a peer sending garbage).
. "$(dirname "$0")/../lib/tap.sh"
gen() { awk -v n="$1" -v off="${2:-0}" -f "$T_TOP/tests/dhcpsync/gen-leases.awk"; }
A=$T_TMP/a.leases B=$T_TMP/b.leases sock=$T_TMP/s.sock
gen 50 > "$A"
: > "$B"
dhcpsync -l "$A" --listen "$sock" > "$T_TMP/p.out" 2> "$T_TMP/p.err" &
P=$!
cleanup_push "kill $P 2>/dev/null"
wait_for 10 test -S "$sock" || bail "primary"
dhcpsync -l "$B" --connect "$sock" --retry 100ms > "$T_TMP/s.out" 2> "$T_TMP/s.err" &
S=$!
cleanup_push "kill -CONT $S 2>/dev/null; kill $S 2>/dev/null"
ok "the secondary syncs" wait_file_line 10 "$T_TMP/s.out" '^synced n=50 '

kill -STOP "$S"
gen 5 50 >> "$A"
ok "a frozen peer: lag records=5" wait_file_line 5 "$T_TMP/p.out" '^lag records=5 ms=[0-9]+$'
many() { [ "$(grep -c '^lag records=5 ' "$T_TMP/p.out")" -ge 2 ]; }
ok "... printed again a second later" wait_for 5 many
ms=$(grep '^lag records=5 ' "$T_TMP/p.out" | sed -n '2s/.*ms=//p')
ok "... the oldest record's age grows past a second (ms=$ms)" test "${ms:-0}" -ge 1000
kill -CONT "$S"
ok "caught up: lag records=0 once" wait_file_line 5 "$T_TMP/p.out" '^lag records=0 ms=0$'
ok "the secondary holds all 55" wait_file_line 10 "$T_TMP/s.out" '^synced n=55 '
is "$(grep -c '^lag records=0' "$T_TMP/p.out")" 1 "records=0 printed once"

# The same peer (its stream id, from its state file) started again while
# its old connection hangs frozen: the newer connection replaces the link.
# (On a copy of its files: the frozen one still keeps the lease file.)
kill -STOP "$S"
cp "$B" "$B.2"; cp "$B.dhcpsync" "$B.2.dhcpsync"
dhcpsync -l "$B.2" --connect "$sock" --retry 100ms > "$T_TMP/s2.out" 2> "$T_TMP/s2.err" &
S2=$!
cleanup_push "kill $S2 2>/dev/null"
ok "the same peer's newer connection replaces the link: peer-down reason=replaced" \
    wait_file_line 5 "$T_TMP/p.out" '^peer-down reason=replaced$'
ok "... and is up" wait_for 10 sh -c "[ \$(grep -c '^peer-up' '$T_TMP/p.out') -ge 2 ]"
kill "$S2"; wait "$S2" 2>/dev/null
kill -CONT "$S"
ok "the replaced connection's end sees reason=eof" \
    wait_file_line 5 "$T_TMP/s.out" '^peer-down reason=eof$'
ok "and comes back" wait_for 10 sh -c "[ \$(grep -c '^peer-up' '$T_TMP/p.out') -ge 3 ]"

# A first connection that speaks garbage (no live session to protect).
n=$(file_lines "$T_TMP/p.out")
kill "$S"; wait "$S" 2>/dev/null
ok "the secondary's stop: peer-down reason=eof" \
    wait_file_line_after 5 "$T_TMP/p.out" "$n" '^peer-down reason=eof$'
n=$(file_lines "$T_TMP/p.out")
printf 'garbage\n' | socat -t 2 - "UNIX-CONNECT:$sock" > /dev/null
ok "its garbage: peer-down reason=protocol" \
    wait_file_line_after 5 "$T_TMP/p.out" "$n" '^peer-down reason=protocol$'
like "$(cat "$T_TMP/p.err")" 'peer: line 1: unknown message "garbage"' "and the log says why"
done_testing
