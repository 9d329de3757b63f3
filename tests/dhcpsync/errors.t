#!/bin/bash
# SPDX-License-Identifier: ISC
# Bad input never crashes and never half-applies: malformed lease files
# name file:line and the field, a peer that sends garbage is cut off and
# its garbage never reaches the lease file, bad options are usage errors.
. "$(dirname "$0")/../lib/tap.sh"
. "$T_TOP/tests/dhcpsync/dhcp.sh"
dhcp_conf "$T_TMP/dhcpd.conf"
# mk LINE...: prints stream lines, filling in the checksum of "R SEQ - RECORD"
# (crc32 of "SEQ RECORD"; gzip's trailer carries it, little-endian).
crc32() { printf '%s' "$1" | gzip -c | tail -c8 | head -c4 | od -An -tx4 | tr -d ' \n'; }
mk() {
	local a seq rest
	for a in "$@"; do
		if [[ $a == "R "*" - "* ]]; then
			seq=${a#R }; seq=${seq%% *}
			rest=${a#R "$seq" - }
			a="R $seq $(crc32 "$seq $rest") $rest"
		fi
		printf '%s\n' "$a"
	done
}

# command line
exit_is 0 "--help" dhcpsync --help
like "$(dhcpsync --version)" '^dhcpsync \(hatools\) ' "--version"
exit_is 2 "no --leases" dhcpsync
exit_is 2 "bad duration" dhcpsync --leases x --retry soon
exit_is 2 "--peer with --listen" dhcpsync --leases x --peer cat --listen y
exit_is 2 "unknown command" dhcpsync frobnicate
exit_is 2 "a Kea file to receive into, without --kea-socket" \
    dhcpsync --leases "$T_TMP/kea-leases4.csv" --listen "$T_TMP/k.sock"
like "$(dhcpsync --leases "$T_TMP/kea-leases4.csv" --listen "$T_TMP/k.sock" 2>&1)" \
    "is Kea.s: what the peer sends goes to Kea with --kea-socket" "which says why"
exit_is 2 "bad --ready-fd" dhcpsync --leases x --ready-fd 1
# every usage error as the other programs say it: the error, then --help
for args in "--leases x --retry soon" "--leases x --max-leases 12abc" "" \
    "frobnicate" "--leases x extra" "send" "--leases x --peer cat --listen y"; do
	# shellcheck disable=SC2086
	is "$(dhcpsync $args 2>&1 >/dev/null | sed -n '1s/:.*//p; 2p')" \
	    "dhcpsync
Try 'dhcpsync --help'." "usage error \"$args\": named, then a pointer to --help"
done

# malformed lease files
printf 'lease 192.0.2.100 {\n  starts 3 2024/01/10 12:00:00;\n  binding state sleepy;\n}\n' > "$T_TMP/bad.leases"
exit_is 1 "check: malformed file" dhcpsync check "$T_TMP/bad.leases"
like "$(dhcpsync check "$T_TMP/bad.leases" 2>&1)" \
    'bad.leases:3: binding state: unknown state "sleepy"' "names file:line and field"
# dhcpd -6's file: not a malformed one, one dhcpsync does not replicate
printf 'server-duid "\\000\\001";\n\nia-na "\\001\\000\\000\\000" {\n  cltt 3 2024/01/10 12:00:00;\n  iaaddr 2001:db8::100 {\n    binding state active;\n  }\n}\n' > "$T_TMP/v6.leases"
exit_is 1 "check: a DHCPv6 lease file" dhcpsync check "$T_TMP/v6.leases"
like "$(dhcpsync check "$T_TMP/v6.leases" 2>&1)" \
    'v6.leases:3: ia-na: a DHCPv6 lease \(dhcpd -6\): dhcpsync replicates DHCPv4 leases only' \
    "which says file:line and why"
printf 'address,hwaddr\n' > "$T_TMP/bad.csv"
like "$(dhcpsync check "$T_TMP/bad.csv" 2>&1)" \
    'bad.csv:1: header: no column "valid_lifetime"' "Kea CSV: names the column"
exit_is 1 "convert refuses a malformed file" dhcpsync convert "$T_TMP/bad.leases" "$T_TMP/out.leases"
ok "and writes nothing" test ! -e "$T_TMP/out.leases"

# the receiving end, fed streams on stdin
lf=$T_TMP/dhcpd.leases
good='ip=192.0.2.100 cltt=1704888000 starts=1704888000 ends=1704888600 bs=active nbs=free rbs=free hw=ethernet,525400000001'
hello='HELLO 1 id=00000000000000aa peer=0000000000000000 ack=0'
: > "$lf"
mk "$hello" "R 1 - $good" "SYNCED 1" | dhcpsync --leases "$lf" > "$T_TMP/out" 2> "$T_TMP/err"
ok "a good stream is applied" leases_has "$lf" 192.0.2.100
ok "the result passes dhcpd -T" dhcpd_accepts "$lf"
like "$(cat "$T_TMP/out")" '^ACK 1$' "and acknowledged"
like "$(cat "$T_TMP/err")" '^synced n=1 ' "event lines go to stderr in stdio mode"
cp "$lf" "$T_TMP/before"

feed() {	# desc, lines...: a peer sending them is cut off, file untouched
	local desc=$1; shift
	local rc=0
	mk "$@" | dhcpsync --leases "$lf" > "$T_TMP/out" 2> "$T_TMP/err" || rc=$?
	is "$rc" 1 "$desc: peer cut off (exit 1)"
	ok "$desc: lease file untouched" cmp -s "$lf" "$T_TMP/before"
}
feed "no HELLO" "R 1 - $good"
feed "wrong version" 'HELLO 9 id=00000000000000aa peer=0000000000000000 ack=0'
like "$(cat "$T_TMP/err")" 'version is 9; should be 1' "says which version"
feed "bad checksum" "$hello" "R 2 00000000 ${good/0001/0002}"
like "$(cat "$T_TMP/err")" 'peer: line 2: R 2: checksum is 00000000; should be' "names line and field"
# a record before the bad line is whole and checked: it may be applied
rc=0
mk "$hello" "R 5 - ${good/cltt=1704888000/cltt=1704888999}" \
    "R 5 - ${good/ip=192.0.2.100/ip=192.0.2.101}" |
    dhcpsync --leases "$lf" > "$T_TMP/out" 2> "$T_TMP/err" || rc=$?
is "$rc" 1 "sequence going back: peer cut off (exit 1)"
like "$(cat "$T_TMP/err")" 'R 5: sequence goes back' "sequence going back: named"
ok "sequence going back: the file is whole for dhcpd" dhcpd_accepts "$lf"
nok "sequence going back: nothing from the bad record" grep -q 192.0.2.101 "$lf"
cp "$lf" "$T_TMP/before"
feed "lease-file syntax smuggled in a record" "$hello" \
    "R 3 - ip=192.0.2.102 x=7d0a6c65617365203139322e302e322e313033207b207d"
feed "garbage" "$hello" 'rm -rf /'
long=$(head -c 9000 /dev/zero | tr '\0' 'a')
feed "an endless line" "$hello" "$long"
feed "our own id (talking to ourselves)" \
    "HELLO 1 id=$(printf '%016x' "0x$(sed -n 's/^id=//p' "$lf.dhcpsync")") peer=0000000000000000 ack=0"
done_testing
