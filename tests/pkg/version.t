#!/bin/bash
# SPDX-License-Identifier: ISC
# One version (issue #17): lib/common.mk's VERSION is what every program's
# --version prints, NEWS's newest section and debian/changelog's newest
# entry.  Releasing is changing the three together.
. "$(dirname "$0")/../lib/tap.sh"

v=$(sed -n 's/^VERSION *= *//p' "$T_TOP/lib/common.mk")
like "$v" '^[0-9]+\.[0-9]+\.[0-9]+$' "lib/common.mk sets VERSION ($v)"
is "$(grep -m1 -oE '^[0-9]+\.[0-9]+\.[0-9]+ ' "$T_TOP/NEWS" | tr -d ' ')" "$v" \
	"NEWS's newest section is $v"
is "$(sed -n '1s/^hatools (\([^)]*\)).*/\1/p' "$T_TOP/debian/changelog")" "$v" \
	"debian/changelog's newest entry is $v"
for p in svccheck vrrpd hashproxy pgwatch dhcpsync; do
	[ -x "$T_TOP/$p/$p" ] || cannot_run "$p not built"
	is "$("$T_TOP/$p/$p" --version)" "$p (hatools) $v" "$p --version"
done
done_testing
