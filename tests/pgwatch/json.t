#!/bin/bash
# SPDX-License-Identifier: ISC
# --json lines read by Python's json module, one-shot and --watch: each key
# keeps its type whatever its text.  A standby whose time lag cannot be
# known (replay delayed, nothing replayed since it started) says
# lag_s=unknown in text and "lag_s":null in JSON, not the string "unknown".
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/pair.sh"

write() { pg_psql "$PG_PRIMARY_PORT" "insert into t select repeat('x', 100) from generate_series(1, $1)" >/dev/null; }
# A checkpoint after the last commit, replayed: the restarted standby
# redoes from there and replays no commit before the delayed ones.
pg_psql "$PG_PRIMARY_PORT" "create table t (x text)" >/dev/null
pg_psql "$PG_PRIMARY_PORT" "checkpoint" >/dev/null
lsn=$(pg_psql "$PG_PRIMARY_PORT" "select pg_current_wal_lsn()")
replayed() { [ "$(pg_psql "$PG_STANDBY_PORT" "select pg_last_wal_replay_lsn() >= '$lsn'")" = t ]; }
wait_for 20 replayed || diag "the standby did not replay the checkpoint"
pg_psql "$PG_STANDBY_PORT" "alter system set recovery_min_apply_delay = '1h'" >/dev/null
pg_standby_stop && pg_standby_start || bail "could not restart the standby"
write 10
unknown() { out=$(pgwatch "$S"); grep -q ' lag_s=unknown ' <<<"$out"; }
ok "delayed standby, nothing replayed since its start: lag_s=unknown" wait_for 20 unknown
D="host=127.0.0.1 port=$(free_port) user=postgres connect_timeout=5"

# types.py FILE: "ok", or what is wrong with its lines
types() {
	python3 -c '
import json, sys
S, I, N = str, int, type(None)
host = dict(name=S, tli=I, lsn=S, conns=S, free=I, check=S)
standby = dict(host, receive_lsn=S, wal=S, lag_bytes=I, lag_s=N, paused=I)
down = dict(name=S, reason=S, msg=S)
T = {"primary": host, "standby": standby, "down": down,
     "up": dict(standby, role=S),
     "downup": dict(standby, role=S, reason=S)}
bad, seen = [], []
for l in open(sys.argv[1]):
    e = json.loads(l)
    w = e.pop("event")
    if w == "down" and "role" in e:
        w = "downup"
    seen.append(w)
    want = T.get(w, {})
    if w == "up" and e.get("role") == "primary":
        want = dict(host, role=S)
    if set(e) != set(want):
        bad.append(w + ": keys " + " ".join(sorted(e)))
    bad += ["%s: %s is %s" % (w, k, type(v).__name__) for k, v in e.items()
            if k in want and type(v) is not want[k]]
print("; ".join(bad) or "ok " + " ".join(seen))' "$1"
}

pgwatch --json "$P" "$S" "$D" >"$T_TMP/one" 2>/dev/null
is "$(types "$T_TMP/one")" "ok primary standby down" \
    "one-shot --json: primary, standby, down lines, each key of its type"
like "$(sed -n 2p "$T_TMP/one")" '"lag_s":null,' "lag_s not known: null"

pgwatch --watch --json --interval 100ms "$P" "$S" "$D" >"$T_TMP/watch" 2>/dev/null &
wp=$!
cleanup_push "kill $wp 2>/dev/null"
three() { [ "$(grep -c '^{' "$T_TMP/watch")" -ge 3 ]; }
ok "--watch --json: a line per host" wait_for 20 three
kill "$wp"; wait "$wp" 2>/dev/null
is "$(types "$T_TMP/watch" | sed 's/ .*//')" "ok" \
    "--watch --json: up and down lines, each key of its type"
done_testing
