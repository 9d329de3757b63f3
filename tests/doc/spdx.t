#!/bin/bash
# SPDX-License-Identifier: ISC
# Every source file says its licence in its first three lines (issue #17):
# "SPDX-License-Identifier: ISC", as LICENSE.  tests/doc/add-spdx adds it.
. "$(dirname "$0")/../lib/tap.sh"

files=$("$T_TOP/tests/doc/spdx-files" "$T_TOP")
n=$(printf '%s\n' "$files" | grep -c .)
[ "$n" -gt 100 ] || bail "only $n source files found"
like "$(cat "$T_TOP/LICENSE")" "^Permission to use, copy, modify, and distribute" \
	"LICENSE is the ISC licence"
for want in lib/log.c vrrpd/main.c tests/lib/tap.sh Makefile man/vrrpd.8; do
	like "$files" "^$want$" "$want is one of the $n files checked"
done
# one awk over every file's first lines (a head per file takes minutes on
# a loaded machine)
missing=$(cd "$T_TOP" && printf '%s\n' "$files" | tr '\n' '\0' |
	xargs -0 awk '
		FNR == 1 { if (f != "" && !seen) print f; f = FILENAME; seen = 0 }
		FNR <= 3 && /SPDX-License-Identifier: ISC/ { seen = 1 }
		FNR > 3 { nextfile }
		END { if (f != "" && !seen) print f }')
is "$(printf '%s\n' "$missing" | grep -c .)" 0 \
	"every source file has SPDX-License-Identifier: ISC in its first 3 lines (tests/doc/add-spdx adds it)" ||
	diag "without: $(printf '%s\n' "$missing" | head -5 | tr '\n' ' ')..."
done_testing
