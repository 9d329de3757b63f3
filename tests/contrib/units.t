#!/bin/bash
# SPDX-License-Identifier: ISC
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

# hashproxy as its unit starts it (DynamicUser=: not root; ambient
# CAP_NET_BIND_SERVICE), with setpriv since PID 1 is not systemd here: it
# binds a port below 1024, then no thread keeps any capability.  A "user"
# line in the config is moot then: said, not fatal.
command -v setpriv >/dev/null || cannot_run "setpriv (util-linux) is needed"
port=$(( 600 + RANDOM % 400 ))
while ss -Htln "sport = :$port" | grep -q .; do port=$(( 600 + RANDOM % 400 )); done
chmod 711 "$T_TMP"
cat > "$T_TMP/hp.cfg" <<EOC
global
    user daemon
    nbthread 2
defaults
    mode tcp
    timeout connect 1s
    timeout client 5s
    timeout server 5s
frontend web
    bind 127.0.0.1:$port
    default_backend app
backend app
    server s1 127.0.0.1:9
EOC
chmod 644 "$T_TMP/hp.cfg"
setpriv --reuid=65534 --regid=65534 --clear-groups \
    --inh-caps=+net_bind_service --ambient-caps=+net_bind_service \
    "$T_TOP/hashproxy/hashproxy" -f "$T_TMP/hp.cfg" > /dev/null 2> "$T_TMP/hp.err" &
HP=$!
cleanup_push "kill $HP 2>/dev/null"
listening() { ss -Htln "sport = :$port" | grep -q .; }
ok "hashproxy as uid 65534 with CAP_NET_BIND_SERVICE binds :$port" wait_for 10 listening
caps=$(cat /proc/"$HP"/task/*/status 2>/dev/null | awk '/^Cap(Prm|Eff|Amb):/ { print $2 }' | sort -u)
is "$caps" 0000000000000000 "then no thread keeps any capability"
like "$(cat "$T_TMP/hp.err")" 'user daemon: not started as root; staying uid 65534' \
    "the config's user line is not fatal: said, and it stays"
kill "$HP"
ok "it stops" wait_for 20 eval '! kill -0 $HP 2>/dev/null'

# started as root, the same config's "user daemon" is where it ends up
du=$(id -u daemon)
"$T_TOP/hashproxy/hashproxy" -f "$T_TMP/hp.cfg" > /dev/null 2> "$T_TMP/hp2.err" &
HP=$!
cleanup_push "kill $HP 2>/dev/null"
ok "hashproxy as root binds :$port" wait_for 10 listening
uids() { awk '/^Uid:/ { print $2, $3, $4, $5 }' /proc/"$HP"/status 2>/dev/null; }
ok "then runs as the config's user daemon" wait_for 10 eval '[ "$(uids)" = "$du $du $du $du" ]'
caps=$(cat /proc/"$HP"/task/*/status 2>/dev/null | awk '/^Cap(Prm|Eff|Amb|Bnd):/ { print $2 }' | sort -u)
is "$caps" 0000000000000000 "with no capability in any thread, bounding set empty"
done_testing
