#!/bin/bash
# SPDX-License-Identifier: ISC
# retries 3 + option redispatch (written in the seed's frontend): while a
# server dies under load and before checks notice, no request fails.
# haproxy 2.6 ignores both in a frontend; its failures are reported.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/hp.sh"

sp=$(free_port); php=$(free_port); pha=$(free_port)
hp_backend localhost 127.0.0.11 "$sp"
hp_backend maas-api-1 127.0.0.12 "$sp"
hp_backend maas-api-2 127.0.0.13 "$sp"
hp_seed "$T_TMP/hp.cfg" "$php" "$sp"	# the seed: inter 2s, fall 3
hp_start "$T_TMP/hp.cfg" -vv
hp_seed "$T_TMP/ha.cfg" "$pha" "$sp" "timeout connect 5s" "timeout client 1m"
ha_start "$T_TMP/ha.cfg" || bail "haproxy did not start"

mapfile -t src < <(hp_sources 30)
map_of "$php" "${src[@]}" >"$T_TMP/before"
mapfile -t victims < <(awk '$2 == "maas-api-1" { print $1 }' "$T_TMP/before")
mapfile -t others < <(awk '$2 != "maas-api-1" { print $1 }' "$T_TMP/before")
ok "clients on maas-api-1: ${#victims[@]}" test "${#victims[@]}" -gt 0

pids=()
# A request takes well under a millisecond: 400 per loop could all be answered
# before the kill below (then nothing was tested); with N the loops are
# still running when it comes, whatever the polling delay.
N=3000
for i in 1 2 3; do load "$php" "$T_TMP/l$i" $N "${victims[@]}" & pids+=($!); done
load "$php" "$T_TMP/lo" $N "${others[@]}" & pids+=($!)
load "$pha" "$T_TMP/ha" $N "${victims[@]}" & pids+=($!)
wait_for 20 lines "$T_TMP/l1" 30
hp_backend_kill maas-api-1
wait "${pids[@]}"
fails=$(cat "$T_TMP"/l[123] "$T_TMP/lo" | grep -c '^fail')
total=$(cat "$T_TMP"/l[123] "$T_TMP/lo" | wc -l)
moved=$(cat "$T_TMP"/l[123] | grep -vc '^maas-api-1$\|^fail')
# A request the dying server had already accepted cannot be saved at L4,
# by haproxy either: in each load loop (one request at a time) the one in
# flight at the kill, and the next one if its connection landed in the
# listen queue of a server that was still closing its sockets (the
# kernel completes that handshake, then resets it).  Two per loop at
# most, one after the other; every later one must be saved.
fails_per_loop() {
	awk '$0 == "fail" { if (last == NR - 1 || n == 0) n++; else n += 10; last = NR }
	    END { print n + 0 }' "$1"
}
ok "at most the 3 requests in flight at the kill failed, or the next of each ($fails of $total)" \
    test "$fails" -le 6 -a "$(fails_per_loop "$T_TMP/l1")" -le 2 \
    -a "$(fails_per_loop "$T_TMP/l2")" -le 2 -a "$(fails_per_loop "$T_TMP/l3")" -le 2 \
    -a "$(grep -c '^fail' "$T_TMP/lo")" -eq 0
ok "the others were retried and redispatched ($moved answered elsewhere)" \
    test "$moved" -gt 30
# Where a client goes once maas-api-1 is marked down: its ring server.
ok "the checks mark maas-api-1 down (inter 2s, fall 3)" \
    wait_for 10 stat_has "$T_TMP/hp.sock" "^maas,maas-api-1,.*,DOWN,"
map_of "$php" "${victims[@]}" >"$T_TMP/after"
# Per client (line i of l1 answers the source on line i of l1.src): every
# answer elsewhere comes from its ring server once maas-api-1 is marked
# down, the redispatch included (so the client moves once), and never from
# maas-api-1 again.  Prints every client that moved otherwise.  (A loop
# may end before the kill; the check above counts the moves.)
sticky() {
	paste -d' ' "$1.src" "$1" | awk '
	    NR == FNR { ring[$1] = $2; next }
	    $2 == "fail" { next }
	    $2 == "maas-api-1" { if ($1 in moved) bad[$1] = bad[$1] " back"; next }
	    { moved[$1] = 1 }
	    $2 != ring[$1] { bad[$1] = bad[$1] " " $2 "(ring: " ring[$1] ")" }
	    END { for (c in bad) print c ":" bad[c] }' "$T_TMP/after" -
}
is "$(cat "$T_TMP"/l[123] | grep -c .)" $((3 * N)) "(every request of the 3 loops answered or failed)"
is "$(sticky "$T_TMP/l1"; sticky "$T_TMP/l2"; sticky "$T_TMP/l3")" "" \
    "a client moves once: its redispatches went to its ring server with maas-api-1 down, and it stays"
is "$(awk '$1 != "maas-api-1"' "$T_TMP/lo" | grep -vc '^maas-api-\|^localhost')" 0 \
    "clients of the others answered throughout"
ok "the proxy counted redispatches" \
    stat_has "$T_TMP/hp.sock" "^maas,maas-api-1,\([^,]*,\)\{14\}[1-9]"
diag "haproxy 2.6, same config and moment: $(grep -c '^fail' "$T_TMP/ha") of $N requests failed (no retries in a frontend)"
done_testing
