#!/bin/bash
# SPDX-License-Identifier: ISC
# A short libFuzzer run of every fuzz target that was built (make fuzz):
# build/PROG/fuzz/NAME, seeded from tests/fuzz/corpus/PROG-NAME/ if present.
# FUZZ_SECONDS (default 10; make check gives 1, the top Makefile says why)
# per target, or FUZZ_RUNS new inputs if that comes first (make check:
# 2000).  Either way each first replays its whole seed corpus.  A crash,
# leak or timeout fails.
. "$(dirname "$0")/../lib/tap.sh"

secs=${FUZZ_SECONDS:-10}
runs=${FUZZ_RUNS:-}
shopt -s nullglob
targets=("$T_TOP"/build/*/fuzz/*)
[ ${#targets[@]} -gt 0 ] || skip_all "no fuzz targets built (make fuzz)"

for f in "${targets[@]}"; do
	prog=$(basename "$(dirname "$(dirname "$f")")")
	name="$prog-$(basename "$f")"
	work="$T_TMP/$name"
	mkdir -p "$work/corpus"
	seeds="$T_TOP/tests/fuzz/corpus/$name"
	# -timeout is libFuzzer's wall clock per input: 60 s, not 5, since
	# at load 35 (Dec 7, 01:55 UTC) an input of a few ms of CPU took 6 s
	# and failed the run; a real hang still fails, after 60 s
	# no_dns: the parsers look some names up (hashproxy's ACL src)
	if no_dns "$f" -max_total_time="$secs" ${runs:+-runs="$runs"} \
	    -timeout=60 -rss_limit_mb=1024 \
	    -artifact_prefix="$work/" -print_final_stats=0 \
	    "$work/corpus" $([ -d "$seeds" ] && echo "$seeds") \
	    >"$work/log" 2>&1; then
		ok "fuzz $name for ${secs}s${runs:+ or $runs inputs}" true
	else
		ok "fuzz $name for ${secs}s${runs:+ or $runs inputs}" false
		grep -E 'ERROR|SUMMARY|Test unit written' "$work/log" | head -5 | sed 's/^/#   /'
		for a in "$work"/crash-* "$work"/leak-* "$work"/timeout-* "$work"/oom-*; do
			[ -e "$a" ] && cp "$a" "$T_TOP/build/" &&
				diag "reproducer kept: build/$(basename "$a")"
		done
	fi
done
done_testing
