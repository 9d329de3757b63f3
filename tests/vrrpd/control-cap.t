#!/bin/bash
# SPDX-License-Identifier: ISC
# vrrpd's control socket under the limits of issue #16 (lib/ctlsock):
# mode 0660, so a local user outside its group cannot connect; 10 clients
# at once, the eleventh told "error: too many clients; try again later"
# and closed while the ten are still served, and vrrpd stays master
# throughout.  (tests/vrrpd/control.t covers the idle timeout and the
# client's uid and pid in the log.)
. "$(dirname "$0")/lib.sh"
needs_root
command -v socat >/dev/null || cannot_run "socat is the client"
id nobody >/dev/null 2>&1 || cannot_run "no user nobody"
topo a
vr_start a -i eth0 --vrid 52 --priority 150 --vip $VIP/24 --advert 100ms \
    --vrrp-version 3 || bail "vrrpd a"
ok "a becomes master" wait_for 5 has_vip a
sock=$T_TMP/a.sock
is "$(stat -c %a "$sock")" 660 "mode 0660"
chmod 755 "$T_TMP"
like "$(runuser -u nobody -- socat -t 2 - "UNIX-CONNECT:$sock" </dev/null 2>&1)" \
    "Permission denied" "nobody cannot connect"
chmod 700 "$T_TMP"

# ten clients held open, one more, then each of the ten asks "status"
# (a reply ends with an empty line; the session stays open)
python3 "$T_TOP/tests/lib/ctlclients.py" session "$sock" 10 status >"$T_TMP/cap"
is "$(sed -n 1p "$T_TMP/cap")" "extra: error: too many clients; try again later||" \
    "the eleventh client: one line and closed"
is "$(grep -c '^client [0-9]*: status vrrpd pid=' "$T_TMP/cap")" 10 \
    "the ten held ones are all served"
like "$(ctl a status)" "^status vrrpd pid=[0-9]+ instances=1 master=1" \
    "a new client is served once they are gone"
ok "still master" has_vip a
done_testing
