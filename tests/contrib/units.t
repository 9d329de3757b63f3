#!/bin/bash
# Every unit in contrib/systemd passes systemd-analyze verify, with its
# ExecStart pointed at the programs just built (they are not installed here)
# and --man=no (neither are the man pages).
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
done
done_testing
