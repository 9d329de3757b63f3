#!/bin/bash
# SPDX-License-Identifier: ISC
# A client cannot stop replication.  A client sending a 255-byte binary
# vendor-class-identifier makes dhcpd write ~1,000 bytes of \ooo into its
# lease; that lease and the next client's both reach the peer's file,
# and dhcpd itself reads them back (-T, and the file it rewrites from
# them at start).  Then a block dhcpsync cannot carry, appended to the
# followed file: reported (event, log, status) and stepped over, the
# lease after it replicates, and wait-synced on the receiving side fails
# while the sender has a lease it could not send.
. "$(dirname "$0")/../lib/tap.sh"
. "$T_TOP/tests/lib/netns.sh"
. "$T_TOP/tests/dhcpsync/dhcp.sh"
needs_root

# vci FILE ADDR: the vendor-class-identifier bytes of ADDR's last block,
# as hex with colons: the file read with dhcpd's escapes, not dhcpsync's.
vci() {
	python3 - "$1" "$2" <<-'PY'
	import re, sys
	text = open(sys.argv[1], encoding="latin-1").read()
	val = None
	for m in re.finditer(r'^lease (\S+) \{(.*?)^\}', text, re.S | re.M):
	    if m.group(1) != sys.argv[2]:
	        continue
	    v = re.search(r'set vendor-class-identifier = "((?:[^"\\]|\\.)*)";',
	        m.group(2))
	    val = v.group(1) if v else ""
	out = bytearray()
	i = 0
	while val is not None and i < len(val):
	    if val[i] == "\\" and val[i + 1] in "01234567":
	        out.append(int(val[i + 1:i + 4], 8)); i += 4
	    elif val[i] == "\\":
	        out.append(ord(val[i + 1])); i += 2
	    else:
	        out.append(ord(val[i])); i += 1
	print(":".join("%02x" % b for b in out))
	PY
}
status() { printf 'status\n' | socat - "UNIX-CONNECT:$1"; }
key() { status "$1" | sed -n "s/^$2=//p"; }

dhcp_conf "$T_TMP/dhcpd.conf"
ns_switch sw
ns_host sw dhcp1 192.0.2.1/24
ns_host sw dhcp2 192.0.2.2/24
for c in c1 c2; do
	ns_host sw "$c" 198.51.100.1${c#c}/24
done
# 255 bytes, every one non-printable: dhcpd writes each as \ooo
want=$(python3 -c 'print(":".join("%02x" % (0x80 + i % 128) for i in range(255)))')
dhcp_client_setup c1 "send vendor-class-identifier $want;"
dhcp_client_setup c2
mkdir -p "$T_TMP/p" "$T_TMP/s"
lf1=$T_TMP/p/dhcpd.leases lf2=$T_TMP/s/dhcpd.leases
: > "$lf1"; : > "$lf2"

dhcpd_start dhcp1 "$lf1" D1
dhcpsync --leases "$lf1" --control "$T_TMP/p.ctl" \
    --peer "exec dhcpsync --leases '$lf2' --control '$T_TMP/s.ctl'" \
    > "$T_TMP/sync.out" 2> "$T_TMP/sync.err" &
SYNC=$!
cleanup_push "kill $SYNC"

a1=$(dhcp_client c1)
like "$a1" '^192\.0\.2\.1[0-2][0-9]$' "c1 (255-byte vendor-class-identifier) leases $a1"
is "$(vci "$lf1" "$a1")" "$want" "dhcpd wrote c1's vendor-class-identifier, all 255 bytes"
like "$(grep -c 'set vendor-class-identifier = "\\2' "$lf1")" '^[1-9]' \
    "as \\ooo escapes"
a2=$(dhcp_client c2)
like "$a2" '^192\.0\.2\.1[0-2][0-9]$' "c2 (an ordinary client) leases $a2"

for a in "$a1" "$a2"; do
	ok "$a replicated to the peer's file" wait_for 20 leases_has "$lf2" "$a"
done
is "$(vci "$lf2" "$a1")" "$want" "the peer's file holds the same 255 bytes"
ok "the peer's file passes dhcpd -T" dhcpd_accepts "$lf2"
is "$(key "$T_TMP/p.ctl" skipped)" 0 "status: nothing skipped"
is "$(key "$T_TMP/s.ctl" synced)" 1 "the peer's status: synced=1"
is "$(key "$T_TMP/s.ctl" peer_skipped)" 0 "the peer's status: peer_skipped=0"

# a block dhcpsync cannot carry, then an ordinary one, appended to the
# followed file (dhcpd stopped first: it writes at its own offset)
kill -9 "$D1"; wait "$D1" 2>/dev/null
bad=192.0.2.120 next=192.0.2.119
badline=$(($(wc -l < "$lf1") + 2))
cltt=$(date -u +'%w %Y/%m/%d %H:%M:%S')
ends=$(date -u -d '+10 min' +'%w %Y/%m/%d %H:%M:%S')
cat >> "$lf1" <<EOF

lease $bad {
  starts $cltt;
  ends $ends;
  cltt $cltt;
  binding state active;
  frobnicate "a } in a string" { 1; }
  hardware ethernet 52:54:00:00:00:20;
}
lease $next {
  starts $cltt;
  ends $ends;
  cltt $cltt;
  binding state active;
  next binding state free;
  hardware ethernet 52:54:00:00:00:19;
}
EOF
ok "the lease after it replicates" wait_for 20 leases_has "$lf2" "$next"
nok "the block it could not carry does not" grep -q "lease $bad " "$lf2"
ok "an event line: skipped addr=$bad line=$badline" \
    grep -Eq "^skipped addr=$bad line=$badline reason=\"lease: unknown statement 'frobnicate'\"" \
    "$T_TMP/sync.out"
ok "a log line naming file:line" \
    grep -q "$lf1:$((badline + 5)): lease: unknown statement \"frobnicate\": lease $bad at line $badline skipped" \
    "$T_TMP/sync.err"
is "$(key "$T_TMP/p.ctl" skipped)" 1 "status: skipped=1"
is "$(key "$T_TMP/p.ctl" file_broken)" 0 "status: file_broken=0 (still following)"
ok "the peer hears of it: peer_skipped=1" \
    wait_for 10 eval '[ "$(key "$T_TMP/s.ctl" peer_skipped)" = 1 ]'
is "$(key "$T_TMP/s.ctl" synced)" 0 "the peer's status: synced=0"
ok "the peer's file passes dhcpd -T" dhcpd_accepts "$lf2"
kill "$SYNC"; wait "$SYNC" 2>/dev/null

# the receiving side's wait-synced (a returning primary's ExecStartPre)
wait_synced() {
	dhcpsync wait-synced --timeout 20 --leases "$lf2" \
	    --peer "exec dhcpsync --leases '$lf1'" > "$T_TMP/ws.out" \
	    2> "$T_TMP/ws.err"
}
start=$SECONDS
exit_is 3 "wait-synced fails while the peer has a lease it could not send" \
    wait_synced
ok "at once, not at its timeout" test $((SECONDS - start)) -lt 15
like "$(cat "$T_TMP/ws.out")" '^peer-skipped n=1 broken=0' "event: peer-skipped n=1"
like "$(cat "$T_TMP/ws.err")" 'could not send 1 lease' "and says why"

# the rest of the file unreadable: following stops, loudly
printf '}\n' >> "$lf1"
exit_is 3 "wait-synced fails when the peer stopped reading its file" wait_synced
like "$(cat "$T_TMP/ws.out")" '^peer-skipped n=1 broken=1' "event: peer-skipped broken=1"

# dhcpd itself reads the replicated lease back the same: the secondary's
# dhcpd rewrites its file from what it read when it starts
dhcpd_start dhcp2 "$lf2" D2
ok "the secondary's dhcpd starts from the replicated file and rewrites it" \
    wait_for 20 grep -q "written by isc-dhcp" "$lf2"
is "$(vci "$lf2" "$a1")" "$want" "and writes c1's 255 bytes back unchanged"
is "$(dhcp_client c1)" "$a1" "c1 keeps $a1 on the secondary"
kill -9 "$D2"; wait "$D2" 2>/dev/null
done_testing
