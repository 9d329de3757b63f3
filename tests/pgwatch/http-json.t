#!/bin/bash
# SPDX-License-Identifier: ISC
# pgwatch --http's JSON body stays JSON whatever the host's name holds: a
# socket directory named with a quote, a backslash and a tab (no such
# directory, so the host is down) comes back whole in /health's "host",
# read by Python's json module.
. "$(dirname "$0")/../lib/tap.sh"

command -v python3 >/dev/null || cannot_run "no python3"
HP=$(free_port) DB=$(free_port)
dir="$T_TMP/a\"b\\c	d"
# libpq's quoting: in '...' a backslash escapes the next byte
quoted=$(printf '%s' "$dir" | sed 's/\\/\\\\/g')
pgwatch --http "$HP" "host='$quoted' port=$DB connect_timeout=1" \
    > "$T_TMP/w.out" 2> "$T_TMP/w.err" &
W=$!
cleanup_push "kill $W 2>/dev/null"
code() {
	curl -s -m 5 -o "$T_TMP/body" -w '%{http_code}' \
	    "http://127.0.0.1:$HP/$1"
}
ok "/liveness answers 200" wait_for 10 eval '[ "$(code liveness)" = 200 ]'
ok "/health answers 503 once the host is found down" \
    wait_for 10 eval '[ "$(code health)" = 503 ]'
got=$(python3 - "$T_TMP/body" "$dir:$DB" <<'PY'
import json, sys
try:
    b = json.load(open(sys.argv[1], encoding="utf-8"))
except ValueError as e:
    print("invalid:", e)
    sys.exit()
print("host", b.get("host") == sys.argv[2])
print("state", b.get("state"))
print("reason", type(b.get("reason")).__name__)
PY
)
like "$got" '^host True$' "the body is JSON and its host the name given"
like "$got" '^state down$' "state down"
like "$got" '^reason str$' "the reason a string"
done_testing
