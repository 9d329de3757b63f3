#!/bin/bash
# SPDX-License-Identifier: ISC
# Scene: the seed's load balancing.  Clients -> hashproxy :80 (the seed's
# haproxy.cfg block, unchanged) -> three API servers on :5240.  One API
# server dies: its clients move, nobody else's does; it returns: they
# come back.  Runs on 127.0.0.0/8 in a private network namespace.
. "$(dirname "$0")/../lib/tap.sh" >/dev/null
[ "$(id -u)" = 0 ] || { echo "needs root (network namespace)"; exit 0; }

if [ -z "$HP_DEMO_INNER" ]; then
	# a namespace of our own: port 80 and 127.0.0.x are ours alone
	exec unshare --net env HP_DEMO_INNER=1 bash "$0" "$@"
fi
ip link set lo up
. "$T_TOP/tests/hashproxy/hp.sh"

say() { printf '\n--- %s\n' "$*"; }
cfg=$T_TMP/haproxy.cfg
cp "$T_TOP/contrib/hashproxy/haproxy.cfg.seed" "$cfg"
sed -i 's/127.0.0.2:5240/127.0.0.12:5240/; s/127.0.0.3:5240/127.0.0.13:5240/' "$cfg"
say "the seed's haproxy.cfg (variables filled in):"
grep -v '^#' "$cfg"

hp_backend localhost 127.0.0.1 5240
hp_backend maas-api-1 127.0.0.12 5240
hp_backend maas-api-2 127.0.0.13 5240
say "hashproxy -f haproxy.cfg"
hashproxy -f "$cfg" --control "$T_TMP/hp.sock" >"$T_TMP/hp.ev" 2>"$T_TMP/hp.err" &
hp=$!; cleanup_push "kill $hp"
wait_for 5 _hp_port_open 127.0.0.1 80
sed 's/^/    /' "$T_TMP/hp.err"

clients=(127.10.0.1 127.10.0.2 127.20.0.3 127.30.0.4 127.40.0.5 127.50.0.6 127.60.0.7 127.70.0.8)
show() { local c; for c in "${clients[@]}"; do printf '    client %-12s -> %s\n' "$c" "$(req "$c" 80)"; done; }
say "eight clients, each sticky to one API server by source address:"
show >"$T_TMP/before"; cat "$T_TMP/before"

say "maas-api-1 dies"
hp_backend_kill maas-api-1
wait_file_line 10 "$T_TMP/hp.ev" '^down ' && sed 's/^/    event: /' "$T_TMP/hp.ev"
show >"$T_TMP/during"; cat "$T_TMP/during"
echo "    moved: $(diff "$T_TMP/before" "$T_TMP/during" | grep -c "^>") client(s); clients of the other servers moved:" \
    "$(diff "$T_TMP/before" "$T_TMP/during" | grep "^<" | grep -vc "maas-api-1$")"

say "maas-api-1 comes back"
hp_backend maas-api-1 127.0.0.12 5240
wait_file_line 10 "$T_TMP/hp.ev" '^up ' && grep '^up ' "$T_TMP/hp.ev" | sed 's/^/    event: /'
show >"$T_TMP/after"; cat "$T_TMP/after"
if diff -q "$T_TMP/before" "$T_TMP/after" >/dev/null; then
	echo "    every client is back where it was"
else
	echo "    MISMATCH"; exit 1
fi
say "show stat (first columns):"
ctl "$T_TMP/hp.sock" "show stat" | cut -d, -f1-2,5,8,18-20 | sed 's/^/    /'
