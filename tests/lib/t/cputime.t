#!/bin/bash
# SPDX-License-Identifier: ISC
# tests/lib/cputime: a test file's CPU includes what it left to init
# (a double-forked daemon), its exit status passes through, --report
# lists it.
. "$(dirname "$0")/../tap.sh"
ct=${CPUTIME_BIN:-$T_TOP/tests/lib/cputime}	# CPUTIME_BIN: another one, to show this test fails
log=$T_TMP/cpu.log

# a "test" whose only CPU is an orphan's: a loop double-forked away,
# waited for through a file it writes at its end
cat >"$T_TMP/orphan.t" <<EOS
#!/bin/bash
( ( i=0; while [ \$i -lt 100000 ]; do i=\$((i + 1)); done; times >"$T_TMP/burnt" ) & )
exec {fd}<> <(:)	# a pause that forks nothing: the script's own CPU is ~0
while [ ! -s "$T_TMP/burnt" ]; do read -r -t 0.05 -u \$fd _ || :; done
exit 3
EOS
chmod 755 "$T_TMP/orphan.t"
"$ct" -o "$log" "$T_TMP/orphan.t"
is "$?" 3 "the test's exit status passes through"
read -r f wall usr sys rc left <"$log"
is "$rc $left" "3 0" "logged: exit 3, nothing left running"
cpu=$(awk -v u="$usr" -v s="$sys" 'BEGIN { printf "%d", (u + s) * 1000 }')
# the loop's own CPU, as its shell's "times" said (its first line: "0m0.210s
# 0m0.012s"); init would have reaped it, and kept its CPU, without the
# subreaper
own=$(head -1 "$T_TMP/burnt" | awk '{ gsub(/[ms]/, " "); printf "%d", ($1 * 60 + $2 + $3 * 60 + $4) * 1000 }')
ok "the orphan's CPU is counted (${cpu} ms, the loop's own ${own} ms)" \
    test "$own" -gt 50 -a "$cpu" -ge $((own * 9 / 10))
ok "... and the wall (${wall} s)" awk -v w="$wall" 'BEGIN { exit !(w > 0) }'
like "$("$ct" --report "$log")" "orphan\.t" "--report lists it"
# --long: the Makefile's list from a run's log, longest first, the short
# and the build's unit tests left out
printf '%s\n' "tests/a/short.t 3.00 0.1 0.1 0 0" "tests/a/mid.t 14.50 1 1 0 0" \
    "build/x/unit/u.t 40.00 1 1 0 0" "tests/b/long.t 61.00 1 1 0 0" >"$T_TMP/runs.log"
is "$("$ct" --long "$T_TMP/runs.log")" "TESTS_LONG = tests/b/long.t tests/a/mid.t" \
    "--long lists the files of 12 s and more, longest first"
is "$("$ct" --long "$T_TMP/runs.log" 2)" \
    "TESTS_LONG = tests/b/long.t tests/a/mid.t tests/a/short.t" "... or of the seconds given"
done_testing
