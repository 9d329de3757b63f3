#!/bin/bash
# SPDX-License-Identifier: ISC
# No function of the programs or lib/ is longer than 120 lines (issue #18):
# a function does one thing, and one that long does several.  A function
# is what style(9) makes it: its name's line, then "{" and "}" alone in
# column 0; what it counts is the lines between them.
. "$(dirname "$0")/../lib/tap.sh"

files=$(cd "$T_TOP" && git ls-files 'lib/*.c' 'vrrpd/*.c' 'hashproxy/*.c' \
	'pgwatch/*.c' 'svccheck/*.c' 'dhcpsync/*.c' 2>/dev/null)
n=$(printf '%s\n' "$files" | grep -c .)
[ "$n" -gt 100 ] || bail "only $n C files found (not a git checkout?)"
funcs() {	# every function as "FILE:LINE NAME LENGTH"
	(cd "$T_TOP" && printf '%s\n' "$files" | tr '\n' '\0' | xargs -0 awk '
		FNR == 1 { s = 0 }
		/^[A-Za-z_][A-Za-z0-9_]*\(/ { name = $0; sub(/\(.*/, "", name) }
		/^\{/ { s = FNR }
		/^\}/ && s { print FILENAME ":" s " " name " " FNR - s - 1; s = 0 }')
}
all=$(funcs)
nf=$(printf '%s\n' "$all" | grep -c .)
[ "$nf" -gt 1000 ] || bail "only $nf functions found in $n files"
like "$all" "^vrrpd/fsm.c:[0-9]+ fsm_[a-z_]+ [0-9]+$" "fsm.c's functions are among the $nf found"
long=$(printf '%s\n' "$all" | awk '$NF > 120')
is "$long" "" "no function is over 120 lines"
done_testing
