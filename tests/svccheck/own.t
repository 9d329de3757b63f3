#!/bin/bash
# SPDX-License-Identifier: ISC
# svccheck --own: a --listen socket counts only when a process the NAME
# (or --exe) matched holds it, as /proc/PID/fd says; the socket's inode
# is checked against ss(8)'s (another reader of the same tables).  Any
# local user can run a process with the service's name, and any process
# can hold the port: without --own either one passes the check.
. "$(dirname "$0")/../lib/tap.sh"

PIDS=()
cleanup_push 'kill "${PIDS[@]}" 2>/dev/null'
rc() { "$@" >/dev/null 2>&1; echo $?; }
ss_inode() {	# the inode ss reports for the TCP listener on port $1
	ss -Hltne "( sport = :$1 )" | sed -n 's/.* ino:\([0-9]*\) .*/\1/p' | head -1
}
# the service: a copy of socat under a name of this run's own
name=svo${T_ID: -8}
mkdir -p "$T_TMP/bin"
cp "$(command -v socat)" "$T_TMP/bin/$name"
p1=$(free_port)
"$T_TMP/bin/$name" -u "TCP-LISTEN:$p1,bind=127.0.0.1,reuseaddr" - </dev/null >/dev/null 2>&1 &
SVC=$!; PIDS+=("$SVC")
ok "the service listens on $p1 (ss)" wait_for 10 eval '[ -n "$(ss_inode "$p1")" ]'
ino=$(ss_inode "$p1")
ok "(its /proc/$SVC/fd holds socket:[$ino])" \
    eval "ls -l /proc/$SVC/fd | grep -q 'socket:\[$ino\]'"
is "$(rc svccheck --own --listen "$p1" "$name")" 0 "--own: the service holds $p1: 0"
is "$(svccheck --own --listen "$p1" "$name")" \
    "$(printf 'up %s pid=%s\nup %s sockets=1' "$name" "$SVC" "$p1")" "its lines"
is "$(rc svccheck --own --listen "$p1" --exe "$T_TMP/bin/$name")" 0 "--exe instead of a NAME"

# another process holds the port the service should serve
p2=$(free_port)
socat -u "TCP-LISTEN:$p2,bind=127.0.0.1,reuseaddr" - </dev/null >/dev/null 2>&1 &
PIDS+=("$!")
ok "a plain socat listens on $p2" wait_for 10 eval '[ -n "$(ss_inode "$p2")" ]'
is "$(rc svccheck --listen "$p2" "$name")" 0 "without --own: the service runs and $p2 listens: 0"
is "$(rc svccheck --own --listen "$p2" "$name")" 1 "--own: not the service's socket: 1"
is "$(svccheck --own --listen "$p2" "$name" | sed -n 2p)" "down $p2" "... down $p2"

# a process with the service's name that does not serve
kill "$SVC"; wait "$SVC" 2>/dev/null
"$T_TMP/bin/$name" -u "TCP-LISTEN:$(free_port),bind=127.0.0.1" - </dev/null >/dev/null 2>&1 &
PIDS+=("$!")
ok "a copy named $name runs, serving another port" wait_for 10 pgrep -x "$name"
is "$(rc svccheck --listen "$p1" "$name")" 1 "$p1 has no listener: 1 either way"
is "$(rc svccheck --own --listen "$p2" "$name")" 1 "--own: $p2 is another process's: 1"
is "$(rc svccheck --listen "$p2" "$name")" 0 "(without --own the name and the port pass: 0)"

# usage
is "$(rc svccheck --own "$name")" 2 "--own without --listen: 2"
is "$(rc svccheck --own --listen "$p1")" 2 "--own without a NAME or --exe: 2"
like "$(svccheck --own --listen "$p1" 2>&1)" "--own needs --listen and a NAME or --exe" "and says why"
done_testing
