#!/bin/bash
# SPDX-License-Identifier: ISC
# vrrpd options no other test runs that need no network: --version, and
# --syslog with a config test (-t): a keepalived.conf warning goes to
# syslog(3) (a private /dev/log here) with file:line, not to stderr.
. "$(dirname "$0")/lib.sh"
. "$T_TOP/tests/lib/syslog.sh"
needs_root
like "$(vrrpd --version)" '^vrrpd \(hatools\) [0-9]+\.[0-9]+' "--version names the program and version"
exit_is 0 "--version" vrrpd --version
cat > "$T_TMP/ka.conf" <<C
vrrp_instance VI_1 {
    interface lo
    virtual_router_id 5
    priority 100
    native_ipv6
    virtual_ipaddress {
        192.0.2.9/24
    }
}
C
rc=0; with_syslog "$T_TMP/syslog" vrrpd -t --syslog -f "$T_TMP/ka.conf" \
    > "$T_TMP/out" 2> "$T_TMP/err" || rc=$?
is "$rc" 0 "-t --syslog: the config is valid (exit 0)"
like "$(cat "$T_TMP/syslog")" "^<28>.* vrrpd\[[0-9]+\]: $T_TMP/ka.conf:5: warning: .*native_ipv6" \
    "--syslog: the warning with file:line reached /dev/log"
is "$(cat "$T_TMP/err")" "" "and nothing went to stderr"
done_testing
