#!/bin/bash
# SPDX-License-Identifier: ISC
# nbthread under ThreadSanitizer: the tests that drive shared state from
# two threads at once (accept slots, queues, reloads, retries, the data
# path, sessions closed by on-marked-down from the checks' thread,
# addresses moved by the resolvers, observe's counts from the workers
# acted on in the main thread) pass on the TSan build, and TSan
# reports no data race.
. "$(dirname "$0")/../lib/tap.sh"
bin=$T_TOP/build/hashproxy/tsan/hashproxy
[ -x "$bin" ] || skip_all "no TSan build (make -C hashproxy tsan)"
# libevent is not instrumented: its epoll_ctl on reused descriptor numbers
# would be reported as ours
export TSAN_OPTIONS="ignore_noninstrumented_modules=1 log_path=$T_TMP/tsan"
for t in threads reload limits retry datapath markdown resolvers observe; do
	HP_BIN=$bin HP_THREADS=2 prove -v --exec '' "$T_TOP/tests/hashproxy/$t.t" \
	    > "$T_TMP/$t.log" 2>&1
	ok "$t.t passes on the TSan build with 2 threads" test $? -eq 0 ||
	    diag "$(grep -A4 '^not ok\|^# *got\|Dubious' "$T_TMP/$t.log" | head -30)"
done
races=$(cat "$T_TMP"/tsan.* 2>/dev/null | grep -c '^WARNING: ThreadSanitizer')
is "$races" 0 "no ThreadSanitizer report"
[ "$races" = 0 ] || diag "$(cat "$T_TMP"/tsan.* | head -40)"
done_testing
