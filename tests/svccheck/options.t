#!/bin/bash
# SPDX-License-Identifier: ISC
# svccheck --syslog: warnings go to syslog(3) (a private /dev/log here),
# as svccheck[pid] at LOG_DAEMON|LOG_WARNING, and not to stderr.
. "$(dirname "$0")/../lib/tap.sh"
. "$T_TOP/tests/lib/syslog.sh"
needs_root
printf 'garbage\n' > "$T_TMP/bad.pid"
rc=0; with_syslog "$T_TMP/syslog" svccheck --syslog --pidfile "$T_TMP/bad.pid" "n$T_ID" \
    > "$T_TMP/out" 2> "$T_TMP/err" || rc=$?
is "$rc" 1 "no such process: exit 1 as without --syslog"
is "$(cat "$T_TMP/out")" "down n$T_ID" "the event line stays on stdout"
like "$(cat "$T_TMP/syslog")" \
    "^<28>.* svccheck\[[0-9]+\]: pidfile $T_TMP/bad.pid: \"garbage\" is not a process id" \
    "the warning reached /dev/log (daemon.warning = <28>)"
is "$(cat "$T_TMP/err")" "" "and nothing went to stderr"
rc=0; svccheck --pidfile "$T_TMP/bad.pid" "n$T_ID" > /dev/null 2> "$T_TMP/err2" || rc=$?
like "$(cat "$T_TMP/err2")" 'is not a process id' "without --syslog it is on stderr"
done_testing
