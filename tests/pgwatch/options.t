#!/bin/bash
# SPDX-License-Identifier: ISC
# pgwatch --syslog: its warnings go to syslog(3) (a private /dev/log
# here) as pgwatch[pid], not to stderr; the verdict stays on stdout.
. "$(dirname "$0")/../lib/tap.sh"
. "$T_TOP/tests/lib/syslog.sh"
needs_root
port=$(free_port)
rc=0; with_syslog "$T_TMP/syslog" pgwatch --syslog \
    "host=127.0.0.1 port=$port password=s3cret connect_timeout=2" \
    > "$T_TMP/out" 2> "$T_TMP/err" || rc=$?
is "$rc" 1 "nobody listens: exit 1"
like "$(cat "$T_TMP/out")" "^down 127.0.0.1:$port reason=refused" "the verdict is on stdout"
like "$(cat "$T_TMP/syslog")" "^<28>.* pgwatch\[[0-9]+\]: .*password on the command line" \
    "--syslog: the password warning reached /dev/log"
is "$(cat "$T_TMP/err")" "" "and nothing went to stderr"
done_testing
