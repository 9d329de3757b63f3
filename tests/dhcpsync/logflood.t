#!/bin/bash
# SPDX-License-Identifier: ISC
# A peer that sends 10,000 leases outside our subnets (issue #16: bad
# input must not make a daemon write a diagnostic per record): dhcpsync
# recv skips each, says so in at most 10 lines per 5 s and sums the rest
# up as "N similar messages suppressed" (when it exits, at the latest);
# the event lines on stdout, one per skipped lease, are not limited (they
# are the record a consumer counts); the good lease sent after the flood
# still arrives.
. "$(dirname "$0")/../lib/tap.sh"
. "$T_TOP/tests/dhcpsync/dhcp.sh"

gen() { awk -v n="$1" -v off="${2:-0}" -f "$T_TOP/tests/dhcpsync/gen-leases.awk"; }
lf=$T_TMP/p.leases out=$T_TMP/r.leases
# 10,000 leases moved out of 10.64.0.0/16, then one left in it
gen 10000 | sed 's/^lease 10\.64\./lease 10.99./' >"$lf"
gen 1 10000 >>"$lf"
good=$(tail -n 10 "$lf" | sed -n 's/^lease \([0-9.]*\) .*/\1/p')
like "$good" '^10\.64\.' "(the last lease, $good, is in our subnet)"
: >"$out"
mkfifo "$T_TMP/pipe"
t0=$(date +%s)
dhcpsync send "$lf" 2>"$T_TMP/s.err" >"$T_TMP/pipe" &
S=$!
cleanup_push "kill $S 2>/dev/null"
# the sender follows its file; the receiver reads what it has sent so far
dhcpsync recv --subnet 10.64.0.0/16 "$out" <"$T_TMP/pipe" \
    >"$T_TMP/r.out" 2>"$T_TMP/r.err" &
R=$!
cleanup_push "kill $R 2>/dev/null"
ok "the good lease after the flood arrives" wait_for 60 leases_has "$out" "$good"
kill "$S"
ok "the receiver ends at the end of its input" wait_for 10 eval "! kill -0 $R 2>/dev/null"
wait "$R"
secs=$(( $(date +%s) - t0 ))
is "$(grep -c '^out-of-subnet addr=10\.99\.' "$T_TMP/r.out")" 10000 \
    "stdout: an event line for each skipped lease"
# the summaries quote the last line: not counted as shown
shown=$(grep 'is in none of our subnets' "$T_TMP/r.err" | grep -vc 'suppressed (last: ')
supp=$(sed -n 's/.*: \([0-9]*\) similar messages\{0,1\} suppressed (last: peer: 10\.99\..*/\1/p' \
    "$T_TMP/r.err" | awk '{ s += $1 } END { print s + 0 }')
diag "stderr: $shown lines shown, $supp suppressed, in ${secs} s"
is "$((shown + supp))" 10000 "every skipped lease is told or counted"
ok "at most 10 lines per 5 s window" test "$shown" -le $(( (secs / 5 + 1) * 10 ))
ok "... the rest summed up" test "$supp" -ge 1
ok "no lease of the flood is in the file" eval "! grep -q '^lease 10\.99\.' '$out'"
done_testing
