#!/bin/bash
# SPDX-License-Identifier: ISC
# dhcpsync's control socket under the limits of issue #16 (lib/ctlsock):
# mode 0660, so a local user outside its group cannot connect; 10 clients
# at once, the eleventh told "error too many clients" and closed while
# the ten are still served; a client that says nothing is closed after
# 10 s while another one's "status" is answered.
. "$(dirname "$0")/../lib/tap.sh"
needs_root
command -v socat >/dev/null || cannot_run "socat is the client"
id nobody >/dev/null 2>&1 || cannot_run "no user nobody"
mkdir -p "$T_TMP/s"
chmod 755 "$T_TMP" "$T_TMP/s"
lf=$T_TMP/s/dhcpd.leases ctl=$T_TMP/s/ctl
: >"$lf"
dhcpsync --leases "$lf" --listen "$T_TMP/s/sync.sock" --control "$ctl" \
    >"$T_TMP/s.out" 2>"$T_TMP/s.err" &
D=$!
cleanup_push "kill $D 2>/dev/null"
ok "the control socket is there" wait_for 10 test -S "$ctl"
is "$(stat -c %a "$ctl")" 660 "mode 0660"
st() { printf 'status\n' | socat -t 5 - "UNIX-CONNECT:$1" 2>&1 | head -1; }
is "$(st "$ctl")" "leases=0" "root: status answered"
like "$(runuser -u nobody -- bash -c "printf 'status\n' | socat -t 5 - UNIX-CONNECT:$ctl" 2>&1)" \
    "Permission denied" "nobody cannot connect"

# ten clients held open, one more, then each of the ten asks "status"
# (a reply ends with an empty line; the session stays open)
python3 "$T_TOP/tests/lib/ctlclients.py" session "$ctl" 10 status >"$T_TMP/cap"
is "$(sed -n 1p "$T_TMP/cap")" "extra: error too many clients||" \
    "the eleventh client: one line and closed"
is "$(grep -c '^client [0-9]*: leases=0$' "$T_TMP/cap")" 10 \
    "the ten held ones are all served"
ok "and a new one is served once they are gone" \
    wait_for 5 eval '[ "$(st "$ctl")" = leases=0 ]'

python3 "$T_TOP/tests/lib/ctlclients.py" idle "$ctl" status >"$T_TMP/idle"
is "$(sed -n 1p "$T_TMP/idle")" "answered leases=0" \
    "another client is served while one idles"
like "$(sed -n 2p "$T_TMP/idle")" '^closed (9|1[0-9])\.' \
    "the idle client is closed after about 10 s"
ok "dhcpsync still runs" kill -0 "$D"
done_testing
