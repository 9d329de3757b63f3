#!/bin/bash
# SPDX-License-Identifier: ISC
# --subnets-from dhcpd.conf and --subnet: a peer's lease outside our
# subnets is reported and skipped, never written to our file, and the
# leases after it still arrive.  Oracles: awk on the lease file, dhcpd -T
# with the same dhcpd.conf (which complains of a lease in no subnet).
. "$(dirname "$0")/../lib/tap.sh"
. "$T_TOP/tests/dhcpsync/dhcp.sh"

gen() { awk -v n="$1" -v off="${2:-0}" -f "$T_TOP/tests/dhcpsync/gen-leases.awk"; }
# the subnet inside a shared-network, as a rack's dhcpd.conf has it
cat > "$T_TMP/dhcpd.conf" <<'CONF'
authoritative;
# subnet 10.99.0.0 netmask 255.255.0.0 { }   (commented out: not ours)
shared-network rack1 {
	subnet 10.64.0.0 netmask 255.255.0.0 {
		range 10.64.0.1 10.64.0.3;
	}
}
CONF
# The pool is the addresses in 10.64/16 when dhcpd -T reads (10.64.0.1-.3),
# not the subnet's 62,500: dhcpd -T makes a lease for each address of its
# pools before it reads the file, and a lease outside them reads "no
# subnet" and fails.  dhcpsync reads the subnet, not the range.
mkdir -p "$T_TMP/p" "$T_TMP/s"
lf1=$T_TMP/p/dhcpd.leases lf2=$T_TMP/s/dhcpd.leases sock=$T_TMP/sync.sock
# 10.64.0.1, then 10.99.0.2 (moved out of our subnet), then 10.64.0.3
gen 3 | sed 's/^lease 10\.64\.0\.2 /lease 10.99.0.2 /' > "$lf1"
: > "$lf2"
has_block() { grep -q "^lease $2 " "$1"; }
status() { printf 'status\n' | socat - "UNIX-CONNECT:$T_TMP/s.ctl" | sed -n "s/^$1=//p"; }

# bad configuration: a clear error naming file:line, exit 2
printf 'subnet 10.64.0.0 netmask 255.255.0.0 {\n}\nsubnet 10.65.0.1 netmask 255.255.0.0 { }\n' \
    > "$T_TMP/bad.conf"
dhcpsync --leases "$lf2" --subnets-from "$T_TMP/bad.conf" 2> "$T_TMP/bad.err"
is "$?" 2 "--subnets-from a dhcpd.conf with a bad subnet: exit 2"
like "$(cat "$T_TMP/bad.err")" "bad\.conf:3: subnet 10\.65\.0\.1 netmask 255\.255\.0\.0: host bits" \
    "... naming file:line"
dhcpsync --leases "$lf2" --subnet 10.64.0.1/16 2> "$T_TMP/bad.err"
is "$?" 2 "--subnet with host bits set: exit 2"
like "$(cat "$T_TMP/bad.err")" "network is 10\.64\.0\.0/16" "... naming the network"

dhcpsync --leases "$lf2" --listen "$sock" --subnets-from "$T_TMP/dhcpd.conf" \
    --control "$T_TMP/s.ctl" > "$T_TMP/s.out" 2> "$T_TMP/s.err" &
S=$!
cleanup_push "kill $S 2>/dev/null"
wait_for 10 test -S "$sock"
dhcpsync --leases "$lf1" --connect "$sock" > "$T_TMP/p.out" 2> "$T_TMP/p.err" &
P=$!
cleanup_push "kill $P 2>/dev/null"

ok "the receiver syncs" wait_file_line 20 "$T_TMP/s.out" '^synced'
ok "10.64.0.1 arrived" leases_has "$lf2" 10.64.0.1
ok "10.64.0.3, after the refused one, arrived" leases_has "$lf2" 10.64.0.3
ok "10.99.0.2 (in no subnet of dhcpd.conf) is not in the file" \
    eval "! has_block '$lf2' 10.99.0.2"
ok "dhcpd -T with the same dhcpd.conf accepts the file (no lease in no subnet)" \
    dhcpd_accepts "$lf2"
ok "an out-of-subnet event line names it" \
    grep -qx 'out-of-subnet addr=10.99.0.2' "$T_TMP/s.out"
ok "the log says why" grep -q '10.99.0.2 is in none of our subnets' "$T_TMP/s.err"
is "$(status out_of_subnet)" 1 "status: out_of_subnet=1"
is "$(grep -c '^peer-down' "$T_TMP/s.out")" 0 "the link stayed up"

gen 1 3 >> "$lf1"
ok "a lease added later (10.64.0.4) still arrives" \
    wait_for 20 leases_has "$lf2" 10.64.0.4

# one way, with --subnet: the same
lf3=$T_TMP/s/oneway.leases
: > "$lf3"
dhcpsync send "$lf1" 2>/dev/null | dhcpsync recv --subnet 10.64.0.0/24 \
    --subnet 192.0.2.0/24 "$lf3" > "$T_TMP/r.out" 2> "$T_TMP/r.err" &
R=$!
cleanup_push "kill $R 2>/dev/null"
ok "recv --subnet: in-subnet leases arrive" wait_for 20 leases_has "$lf3" 10.64.0.4
ok "recv --subnet: 10.99.0.2 does not" eval "! has_block '$lf3' 10.99.0.2"
ok "recv --subnet: reported" grep -qx 'out-of-subnet addr=10.99.0.2' "$T_TMP/r.out"
done_testing
