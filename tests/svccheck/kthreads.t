#!/bin/bash
# SPDX-License-Identifier: ISC
# "Kernel threads are never matched" (svccheck(1)): kthreadd and other
# kernel threads run (pgrep and /proc say so) yet svccheck calls them
# down, one-shot and --watch alike.
. "$(dirname "$0")/../lib/tap.sh"
[ "$(cat /proc/2/comm 2>/dev/null)" = kthreadd ] ||
    skip_all "kthreadd not visible (not the initial PID namespace)"
ok "the oracle: pgrep finds kthreadd" pgrep -x kthreadd
rc=0; out=$(svccheck kthreadd) || rc=$?
is "$rc" 1 "svccheck kthreadd: exit 1"
is "$out" "down kthreadd" "... down"
# another kernel thread with a plain name (per-CPU ones have a "/")
k=$(cat /proc/[0-9]*/comm 2>/dev/null | grep -m1 -x 'kswapd0\|oom_reaper\|khugepaged\|kcompactd0')
if [ -n "$k" ]; then
	rc=0; svccheck -q "$k" || rc=$?
	is "$rc" 1 "another kernel thread ($k) is not matched either"
fi
svccheck --watch kthreadd > "$T_TMP/w.out" 2>/dev/null &
W=$!
cleanup_push "kill $W 2>/dev/null"
ok "--watch calls it down" wait_file_line 5 "$T_TMP/w.out" '^down kthreadd$'
kill "$W"; wait "$W" 2>/dev/null
nok "and never up" grep -q '^up' "$T_TMP/w.out"
done_testing
