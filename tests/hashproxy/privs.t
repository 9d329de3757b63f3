#!/bin/bash
# SPDX-License-Identifier: ISC
# Privileges: after binding no capability is left, --user switches user,
# and the JSON event lines carry the same fields, each of its own type
# whatever its text (a server named "2" is a string, not a number).
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/hp.sh"
needs_root
id nobody >/dev/null 2>&1 || skip_all "no user nobody"

sp=$(free_port); php=$(free_port)
hp_backend localhost 127.0.0.11 "$sp"
hp_backend maas-api-1 127.0.0.12 "$sp"
hp_backend maas-api-2 127.0.0.13 "$sp"
hp_seed "$T_TMP/hp.cfg" "$php" "$sp" "default-server inter 300ms"
sed -i 's/server maas-api-2 /server 2 /' "$T_TMP/hp.cfg"
chmod 644 "$T_TMP/hp.cfg"
hp_start "$T_TMP/hp.cfg" --user nobody --json
is "$(awk '/^CapEff/ { print $2 }' "/proc/$HP_PID/status")" 0000000000000000 "no effective capability"
is "$(awk '/^CapPrm/ { print $2 }' "/proc/$HP_PID/status")" 0000000000000000 "no permitted capability"
is "$(awk '/^Uid/ { print $2 }' "/proc/$HP_PID/status")" "$(id -u nobody)" "runs as nobody"
like "$(req 127.0.0.1 "$php")" "^(localhost|maas-api-[12])$" "and proxies"
hp_backend_kill maas-api-2
ok "JSON down event" wait_file_line 5 "$T_TMP/hp.ev" \
    '^\{"event":"down",.*"backend":"maas","server":"2",.*"check":"L4CON","active":2\}$'
hp_backend maas-api-2 127.0.0.13 "$sp"
ok "JSON up event" wait_file_line 10 "$T_TMP/hp.ev" '^\{"event":"up",'
kill -HUP "$HP_PID"
ok "JSON reload event" wait_file_line 10 "$T_TMP/hp.ev" '^\{"event":"reload",'
is "$(python3 -c '
import json, sys
S, I = str, int
T = {"up": dict(backend=S, server=S, reason=S, check=S, active=I),
     "down": dict(backend=S, server=S, reason=S, check=S, active=I),
     "reload": dict(result=S)}
bad = []
for l in open(sys.argv[1]):
    e = json.loads(l)
    want = T.get(e.pop("event"), {})
    if set(e) != set(want):
        bad.append("keys " + " ".join(sorted(e)))
    bad += ["%s is %s" % (k, type(v).__name__) for k, v in e.items()
            if k in want and type(v) is not want[k]]
print("; ".join(bad) or "ok")' "$T_TMP/hp.ev")" ok \
    "every line is JSON, each key of its documented type"
done_testing
