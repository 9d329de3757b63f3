#!/bin/bash
# SPDX-License-Identifier: ISC
# wait.sh: conditions are waited for, timeouts are reported.
. "$(dirname "$0")/../tap.sh"

f="$T_TMP/flag"
( sleep 0.2; echo ready > "$f" ) &
ok "wait_for sees a condition that becomes true" wait_for 5 test -s "$f"
nok "wait_for gives up on a condition that never holds" wait_for 0.2 test -e "$T_TMP/never"
ok "wait_file_line finds a matching line" wait_file_line 2 "$f" '^ready$'
sleep 1000 & pid=$!
disown "$pid"	# no "Killed" notice from bash
kill -9 "$pid"	# TERM may land before the child execs sleep and be lost
ok "wait_gone sees a killed process go" wait_gone 5 "$pid"
g=$T_TMP/log
printf 'ready\n' >"$g"
n=$(file_lines "$g")
nok "wait_file_line_after ignores a line already there" \
    wait_file_line_after 0.2 "$g" "$n" '^ready$'
( sleep 0.2; echo ready >>"$g" ) &
ok "wait_file_line_after sees a new one" wait_file_line_after 5 "$g" "$n" '^ready$'
is "$(file_lines "$T_TMP/none")" 0 "file_lines of a missing file: 0"
p=$(free_port)
like "$p" '^[0-9]+$' "free_port gives a port number"
ok "free_port's port is free" test -z "$(ss -Hant "( sport = :$p )")"
done_testing
