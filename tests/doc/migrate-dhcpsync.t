#!/bin/bash
# SPDX-License-Identifier: ISC
# The README's ISC dhcpd failover -> dhcpsync migration, run as written on
# two rack hosts whose /etc/dhcp/dhcpd.conf declare a failover pair
# (rack1 primary, rack2 secondary, one pool), with dhcpsync.service from
# contrib/systemd.  The failover declarations go, dhcpd -t accepts what
# is left, the replication comes up (rack1's dhcpsync starts rack2's over
# "ssh": tests/doc/ssh carries the stream, both ends are the real
# dhcpsync) and a lease written in rack1's lease file reaches rack2's.
. "$(dirname "$0")/../vrrpd/lib.sh"
. "$T_TOP/tests/doc/migrate.sh"
needs_root
command -v dhcpd >/dev/null || cannot_run "dhcpd missing"

# conf ROLE: a failover pair's dhcpd.conf, as the ISC manual writes one
conf() {
	local me=$1 peer=$2 role=$3 extra=
	[ "$role" = primary ] && extra="  mclt 1800;
  split 128;"
	cat <<EOF
authoritative;
default-lease-time 600;
max-lease-time 7200;

failover peer "rack-failover" {
  $role;
  address $me;
  port 647;
  peer address $peer;
  peer port 647;
  max-response-delay 60;
  max-unacked-updates 10;
$extra
  load balance max seconds 3;
}

subnet 192.0.2.0 netmask 255.255.255.0 {
  option routers 192.0.2.254;
  pool {
    failover peer "rack-failover";
    range 192.0.2.100 192.0.2.199;
  }
}
EOF
}

topo rack1 rack2
for h in rack1 rack2; do
	host_init "$h" || bail "host $h"
	mhost "$h" dhcp default || bail "machine $h"
	mdir "$h" var/lib/dhcp || bail "lease dir $h"
	: >"$T_TMP/$h/var/lib/dhcp/dhcpd.leases"
	mkdir -p "$T_TMP/$h/etc"
	printf '127.0.0.1 localhost\n192.0.2.1 rack1\n192.0.2.2 rack2\n' >"$T_TMP/$h/etc/hosts"
	mfile "$h" etc/hosts || bail "hosts $h"
done
conf 192.0.2.1 192.0.2.2 primary >"$T_TMP/rack1/etc/dhcp/dhcpd.conf"
conf 192.0.2.2 192.0.2.1 secondary >"$T_TMP/rack2/etc/dhcp/dhcpd.conf"
ok "dhcpd accepts the failover pair's config" \
    on rack1 dhcpd -t -q -cf /etc/dhcp/dhcpd.conf
msshd rack2 || bail "rack2's ssh stand-in"

run_session dhcpsync
for h in rack1 rack2; do
	nok "$h: no failover left in dhcpd.conf" grep -q failover "$T_TMP/$h/etc/dhcp/dhcpd.conf"
done

# a lease dhcpd would write, appended on rack1
now=$(date -u +%Y/%m/%d\ %H:%M:%S)
later=$(date -u -d '+10 min' +%Y/%m/%d\ %H:%M:%S)
cat >>"$T_TMP/rack1/var/lib/dhcp/dhcpd.leases" <<EOF
lease 192.0.2.150 {
  starts 0 $now;
  ends 0 $later;
  cltt 0 $now;
  binding state active;
  next binding state free;
  hardware ethernet 52:54:00:12:34:56;
  client-hostname "node1";
}
EOF
has_lease() { grep -q 'hardware ethernet 52:54:00:12:34:56' "$T_TMP/rack2/var/lib/dhcp/dhcpd.leases"; }
ok "the lease written on rack1 is in rack2's lease file" wait_for 10 has_lease
ok "rack2's file is valid for dhcpd" \
    on rack2 dhcpd -t -q -cf /etc/dhcp/dhcpd.conf -lf /var/lib/dhcp/dhcpd.leases
done_testing
