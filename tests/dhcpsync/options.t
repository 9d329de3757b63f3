#!/bin/bash
# SPDX-License-Identifier: ISC
# Options and modes the man page documents that no other test runs:
# recv --json, --pidfile, --state, --syslog, --verbose, convert both ways,
# and wait-synced giving up after --timeout.  The oracles are not dhcpsync:
# python's json and csv readers, kea-lfc and dhcpd -T reading what
# convert wrote, an awk reader of lease files, a private /dev/log.
. "$(dirname "$0")/../lib/tap.sh"
. "$T_TOP/tests/dhcpsync/dhcp.sh"
. "$T_TOP/tests/lib/syslog.sh"
needs_root

N=40
gen() { awk -v n="$1" -v off="${2:-0}" -f "$T_TOP/tests/dhcpsync/gen-leases.awk"; }
states() { awk -f "$T_TOP/tests/dhcpsync/last-state.awk" "$1" | sort; }
# The pool is the N addresses the converted file holds
# (10.64.0.1-10.64.0.40), not the subnet's 62,500.
# dhcpd -T makes a lease for each address of its pools before it reads
# the file, and a lease read costs in proportion to the free ones (150
# leases in 62,500: 0.11 s of CPU, 4,000: 2.3 s; in their own pool:
# 0.00 and 0.03 s); a lease outside the pools reads "no subnet" and
# fails.
printf 'authoritative;\nsubnet 10.64.0.0 netmask 255.255.0.0 {\n  range 10.64.0.1 10.64.0.40;\n}\n' \
    > "$T_TMP/dhcpd.conf"
A=$T_TMP/a.leases
gen "$N" > "$A"

# convert dhcpd -> Kea CSV: kea-lfc reads every row back
rc=0; dhcpsync convert --to kea --subnet-id 1 "$A" "$T_TMP/k.csv" 2> "$T_TMP/conv.err" || rc=$?
is "$rc" 0 "convert --to kea succeeds"
like "$(cat "$T_TMP/conv.err")" "converted $N leases to kea" "and says how many"
is "$(python3 -c '
import csv, sys
r = list(csv.DictReader(open(sys.argv[1])))
print(len({x["address"] for x in r if x["subnet_id"] == "1"}))' "$T_TMP/k.csv")" "$N" \
    "python's csv reader finds $N addresses in subnet 1"
mkdir "$T_TMP/lfc"
cp "$T_TMP/k.csv" "$T_TMP/lfc/in.csv"
( cd "$T_TMP/lfc" && KEA_LOCKFILE_DIR=$T_TMP/lfc KEA_LOGGER_DESTINATION=stderr \
    kea-lfc -4 -x prev.csv -i in.csv -o out.csv -f fin.csv -p lfc.pid -c none ) \
    > "$T_TMP/lfc.log" 2>&1
is "$(($(wc -l < "$T_TMP/lfc/prev.csv") - 1))" "$N" "kea-lfc keeps all $N rows it read"

# convert Kea CSV -> dhcpd: dhcpd -T reads it; every address active again
rc=0; dhcpsync convert --to dhcpd "$T_TMP/k.csv" "$T_TMP/d.leases" 2>/dev/null || rc=$?
is "$rc" 0 "convert --to dhcpd succeeds"
ok "dhcpd -T accepts the converted file" dhcpd_accepts "$T_TMP/d.leases"
is "$(states "$T_TMP/d.leases")" "$(states "$A")" \
    "each address's last state survives the round trip (awk reader)"

# recv --json: a saved stream, applied; every line is a JSON object
dhcpsync send "$A" > "$T_TMP/stream" 2>/dev/null &
SP=$!
cleanup_push "kill $SP 2>/dev/null"
nrec() { [ "$(grep -c '^R ' "$T_TMP/stream")" = "$N" ]; }
ok "send dumps $N records" wait_for 10 nrec
kill "$SP"; wait "$SP" 2>/dev/null
: > "$T_TMP/j.leases"
rc=0; dhcpsync recv --json "$T_TMP/j.leases" < "$T_TMP/stream" > "$T_TMP/j.out" 2>/dev/null || rc=$?
is "$rc" 0 "recv --json applies the stream"
is "$(python3 -c '
import json, sys
ev = [json.loads(l) for l in open(sys.argv[1])]
print(" ".join(e["event"] for e in ev))
print([e for e in ev if e["event"] == "synced"][-1]["n"])' "$T_TMP/j.out" | tail -1)" "$N" \
    "every line parses as JSON; the last synced event says n=$N"
like "$(head -1 "$T_TMP/j.out")" '^\{"event":"' "JSON lines start with the event"

# --json types: each key the type the man page gives it, whatever its text
# (an address not known is null, not "-")
printf 'lease 10.64.0.300 {\n  starts 4 2026/01/01 00:00:00;\n}\nbogus here;\n' \
    > "$T_TMP/bad.leases"
dhcpsync send --json "$T_TMP/bad.leases" > /dev/null 2> "$T_TMP/bad.err" &
SP=$!
cleanup_push "kill $SP 2>/dev/null"
nskip() { [ "$(grep -c '^{"event":"skipped"' "$T_TMP/bad.err")" = 2 ]; }
ok "send --json says skipped for both bad statements" wait_for 10 nskip
kill "$SP"; wait "$SP" 2>/dev/null
is "$(grep '^{' "$T_TMP/bad.err" | cat - "$T_TMP/j.out" | python3 -c '
import json, sys
T = {"synced": {"n": int, "seq": int},
     "applied": {"n": int, "seq": int, "ms": int},
     "peer-up": {"id": str, "resume": int}, "peer-down": {"reason": str},
     "skipped": {"addr": type(None), "line": int, "reason": str}}
bad = []
for l in sys.stdin:
    e = json.loads(l)
    want = T.get(e.pop("event"), {})
    if set(e) != set(want):
        bad.append("keys " + " ".join(sorted(e)))
    bad += ["%s is %s" % (k, type(v).__name__) for k, v in e.items()
            if k in want and type(v) is not want[k]]
print("; ".join(bad) or "ok")')" ok \
    "--json: synced, applied, skipped keys have their types (addr null)"
is "$(states "$T_TMP/j.leases")" "$(states "$A")" "the file holds what was sent"

# a daemon pair: --pidfile, --state, --verbose on the primary, --syslog on
# the secondary (its pid from its own --pidfile, through the namespace)
sock=$T_TMP/s.sock
dhcpsync -v -l "$A" --listen "$sock" --pidfile "$T_TMP/p.pid" \
    > "$T_TMP/p.out" 2> "$T_TMP/p.err" &
P=$!
cleanup_push "kill $P 2>/dev/null"
ok "--pidfile holds the primary's pid" wait_for 10 grep -qx "$P" "$T_TMP/p.pid"
wait_for 10 test -S "$sock"
B=$T_TMP/b.leases
: > "$B"
with_syslog "$T_TMP/syslog" dhcpsync -l "$B" --connect "$sock" --syslog \
    -s "$T_TMP/b.state" --pidfile "$T_TMP/s.pid" \
    > "$T_TMP/s.out" 2> "$T_TMP/s.err" &
W=$!
cleanup_push "kill $W 2>/dev/null"
ok "the secondary syncs" wait_file_line 30 "$T_TMP/s.out" "^synced n=$N "
ok "--pidfile: the secondary wrote its pid" wait_for 10 test -s "$T_TMP/s.pid"
S=$(cat "$T_TMP/s.pid" 2>/dev/null)
ok "--state: the resume points are in the file named" wait_for 10 test -s "$T_TMP/b.state"
ok "... and not beside the lease file" test ! -e "$B.dhcpsync"
ok "--syslog: the secondary's log reached /dev/log as dhcpsync[$S]" \
    wait_file_line 5 "$T_TMP/syslog" "^<[0-9]+>.* dhcpsync\[$S\]: .*b.leases: 0 leases"
is "$(cat "$T_TMP/s.err")" "" "... and nothing went to its stderr"
gen 1 "$N" >> "$A"
ok "--verbose: the primary logs the change it follows" \
    wait_file_line 10 "$T_TMP/p.err" "a.leases: 1 lease\(s\) changed"
ok "and it arrives" wait_file_line 10 "$T_TMP/s.out" "^synced n=$((N + 1)) "
# (without a pid from the file, the wrapper: the test fails, not hangs)
kill "${S:-$W}"
wait_gone 10 "$W" || kill -9 "$W"
rc=0; wait "$W" || rc=$?
is "$rc" 0 "the secondary stops on SIGTERM (exit 0)"
kill "$P"; wait "$P"

# wait-synced with no peer to be had: gives up after -t, exit 1
t0=$(date +%s%N)
rc=0; dhcpsync wait-synced -t 1s -r 100ms -l "$B" --connect "$T_TMP/nobody.sock" \
    > /dev/null 2> "$T_TMP/w.err" || rc=$?
ms=$((($(date +%s%N) - t0) / 1000000))
is "$rc" 1 "wait-synced without a peer: exit 1"
ok "... after the 1s timeout, not before nor much later (${ms}ms)" \
    test "$ms" -ge 1000 -a "$ms" -lt 5000
like "$(cat "$T_TMP/w.err")" 'not synced within the timeout' "... and says so"
done_testing
