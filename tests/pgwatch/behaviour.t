#!/bin/bash
# SPDX-License-Identifier: ISC
# Documented behaviour no other test runs, without a PostgreSQL server:
# --watch exits 1 when its --http port is taken; the down reasons dns and
# unreachable, in a network namespace with no route and no resolver it can
# reach (so nothing leaves the machine).
. "$(dirname "$0")/../lib/tap.sh"
. "$T_TOP/tests/lib/netns.sh"
needs_root

port=$(free_port)
socat TCP-LISTEN:$port,bind=127.0.0.1,reuseaddr,fork /dev/null &
cleanup_push "kill $! 2>/dev/null"
wait_for 5 bash -c "exec 3<>/dev/tcp/127.0.0.1/$port" 2>/dev/null
rc=0; timeout 10 pgwatch --watch --http "127.0.0.1:$port" "host=127.0.0.1 port=1" \
    > /dev/null 2> "$T_TMP/http.err" || rc=$?
is "$rc" 1 "--watch with its --http port taken: exit 1"
like "$(cat "$T_TMP/http.err")" "$port" "the error names the port"

ns=$(_ns_name lone)
ip netns add "$ns" || bail "netns"
cleanup_push "ip netns del $ns"
ip -n "$ns" link set lo up
rc=0; out=$(ip netns exec "$ns" pgwatch "host=198.51.100.7 port=5432 connect_timeout=2") || rc=$?
is "$rc" 1 "no route to the host: exit 1"
like "$out" '^down 198.51.100.7:5432 reason=unreachable' "reason=unreachable"
rc=0; out=$(ip netns exec "$ns" pgwatch "host=db.$T_ID.invalid port=5432 connect_timeout=2") || rc=$?
is "$rc" 1 "a name that does not resolve: exit 1"
like "$out" "^down db.$T_ID.invalid:5432 reason=dns" "reason=dns"
done_testing
