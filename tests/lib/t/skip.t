#!/bin/bash
# SPDX-License-Identifier: ISC
# tap.sh: a test that cannot run fails (a passing skip would hide a broken
# dependency step); only skip_optional skips, and it leaves a line for
# make test's summary.
. "$(dirname "$0")/../tap.sh"

# run BODY: a child test script sourcing tap.sh; its TAP in $T_TMP/out
run() {
	printf ". %q\n%s\n" "$T_TOP/tests/lib/tap.sh" "$1" >"$T_TMP/child.t"
	HATOOLS_SKIPS=$T_TMP/skips bash "$T_TMP/child.t" >"$T_TMP/out" 2>&1
}

: >"$T_TMP/skips"
nok "skip_all exits non-zero" run 'skip_all "no frobnicator"'
like "$(cat "$T_TMP/out")" '^not ok 1 - cannot run: no frobnicator$' "... with a failing check naming why"
is "$(grep -c '^1\.\.1$' "$T_TMP/out")" 1 "... and a plan, so prove counts it"
nok "cannot_run after some checks fails too" run 'ok "first" true; cannot_run "gone"'
like "$(cat "$T_TMP/out")" '^not ok 2 - cannot run: gone$' "... as the next check"
nok "needs_root fails when not root" run 'id() { echo 1000; }; needs_root'
ok "skip_optional passes" run 'ok "a" true; skip_optional 2 "no IPv6 on lo"; done_testing'
is "$(grep -c '^ok [23] # skip no IPv6 on lo$' "$T_TMP/out")" 2 "... with one TAP skip per check"
like "$(cat "$T_TMP/skips")" '^.*child\.t: 2 skipped: no IPv6 on lo$' "... and a line for the summary"
done_testing
