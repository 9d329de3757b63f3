#!/bin/bash
# Every unit in contrib/systemd passes systemd-analyze verify, with its
# ExecStart pointed at the programs just built (they are not installed here)
# and --man=no (neither are the man pages).  And each but vrrpd.service has
# systemd-analyze security --offline=yes exposure 2.0 or less (vrrpd's
# scripts need more room: its unit says why); vrrpd's stays at most 3.4.
. "$(dirname "$0")/../lib/tap.sh"

shopt -s nullglob
units=("$T_TOP"/contrib/systemd/*.service)
[ ${#units[@]} -gt 0 ] || skip_all "no units yet"
for u in "${units[@]}"; do
	name=$(basename "$u")
	sed -E "s#/usr/(local/)?s?bin/(svccheck|vrrpd|hashproxy|pgwatch|dhcpsync)#$T_TOP/\2/\2#g" \
		"$u" > "$T_TMP/$name"
	if out=$(systemd-analyze verify --man=no "$T_TMP/$name" 2>&1) && [ -z "$out" ]; then
		ok "$name verifies" true
	else
		ok "$name verifies" false
		printf '%s\n' "$out" | sed 's/^/#   /' | head -10
	fi
	# the overall figure, "... for NAME: 1.6 OK"
	exp=$(cd "$T_TMP" && systemd-analyze security --offline=yes "$name" 2>&1 |
		sed -n 's/.*Overall exposure level for .*: \([0-9.]*\) .*/\1/p')
	max=2.0
	[ "$name" = vrrpd.service ] && max=3.4
	if [ -n "$exp" ] && awk -v e="$exp" -v m="$max" 'BEGIN { exit !(e <= m) }'; then
		ok "$name exposure $exp <= $max" true
	else
		ok "$name exposure ${exp:-?} <= $max" false
		(cd "$T_TMP" && systemd-analyze security --offline=yes "$name" 2>&1) |
			grep '✗' | sed 's/^/#   /' | head -40
	fi
done
done_testing
