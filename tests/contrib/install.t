#!/bin/bash
# SPDX-License-Identifier: ISC
# make install honours PREFIX and DESTDIR: binaries, man pages and units,
# with the units' ExecStart pointing at the installed binaries; every
# /usr/local path the docs name is there after a default install (the
# dhcpsync notify scripts in libexec/hatools); make uninstall removes it all.
. "$(dirname "$0")/../lib/tap.sh"

root="$T_TMP/root"
ok "make install into a DESTDIR" make -s -C "$T_TOP" install DESTDIR="$root" PREFIX=/opt/ht
for p in svccheck pgwatch; do
	[ -x "$T_TOP/$p/$p" ] || continue
	ok "$p installed in bin" test -x "$root/opt/ht/bin/$p"
	ok "$p(1) installed" test -f "$root/opt/ht/share/man/man1/$p.1"
done
for p in vrrpd hashproxy dhcpsync; do
	[ -x "$T_TOP/$p/$p" ] || continue
	ok "$p installed in sbin" test -x "$root/opt/ht/sbin/$p"
	ok "$p(8) installed" test -f "$root/opt/ht/share/man/man8/$p.8"
done
ok "hatools(7) installed" test -f "$root/opt/ht/share/man/man7/hatools.7"
shopt -s nullglob
for u in "$root"/opt/ht/lib/systemd/system/*.service; do
	bad=$(grep -E '^Exec[A-Za-z]*=' "$u" | grep -oE '/usr/(local/)?s?bin/[a-z]+' | sort -u)
	is "$bad" "" "$(basename "$u") runs the binaries under PREFIX"
done
nok "nothing installed outside DESTDIR" test -e /opt/ht
for p in svccheck pgwatch vrrpd hashproxy dhcpsync; do
	[ -x "$T_TOP/$p/$p" ] || continue
	b=$(ls "$root"/opt/ht/*bin/$p)
	like "$("$b" --version 2>&1)" "^$p \\(hatools\\) " "installed $p --version"
done
if [ -x "$T_TOP/dhcpsync/dhcpsync" ]; then
	for f in dhcp-master dhcp-backup; do
		ok "$f in libexec/hatools, executable" test -x "$root/opt/ht/libexec/hatools/$f"
	done
	like "$(grep ExecStartPre "$root/opt/ht/share/doc/hatools/examples/dhcpsync/dhcpd-wait-synced.conf")" \
		"=-/opt/ht/sbin/dhcpsync " "the example drop-in runs dhcpsync under PREFIX"
fi
ok "examples under share/doc/hatools" test -f "$root/opt/ht/share/doc/hatools/examples/vrrpd/keepalived.conf.seed"
# an example meant to run as is (no $PLACEHOLDER to fill in) passes the
# installed vrrpd's -t with the installed programs on PATH, as on a host
# the package or make install set up: its scripts' programs are found
if [ -x "$T_TOP/vrrpd/vrrpd" ]; then
	for f in "$root"/opt/ht/share/doc/hatools/examples/*/keepalived*.conf*; do
		grep -q '^[^#]*\$[A-Z]' "$f" && continue
		out=$(PATH="$root/opt/ht/bin:$root/opt/ht/sbin:/usr/sbin:/usr/bin:/sbin:/bin" \
		    "$root/opt/ht/sbin/vrrpd" -t -f "$f" 2>&1)
		is "$?" 0 "vrrpd -t passes the installed example ${f#"$root"/opt/ht/share/doc/hatools/}" ||
		    diag "$out"
	done
fi
ok "LICENSE and NEWS beside them" test -f "$root/opt/ht/share/doc/hatools/LICENSE" -a -f "$root/opt/ht/share/doc/hatools/NEWS"

# the paths README, the man pages and contrib/ name, after a default install
def="$T_TMP/default"
ok "make install with the default PREFIX" make -s -C "$T_TOP" install DESTDIR="$def"
paths=$(cd "$T_TOP" && grep -rhoE '/usr/local/[A-Za-z0-9_./@-]*[A-Za-z0-9_@-]' \
	README.md man contrib | sort -u)
[ -n "$paths" ] || bail "no /usr/local path found in the docs"
for f in $paths; do
	ok "$f (named in the docs) is installed" test -e "$def$f"
done

ok "make uninstall" make -s -C "$T_TOP" uninstall DESTDIR="$root" PREFIX=/opt/ht
is "$(find "$root" -type f)" "" "no file left after make uninstall"
ok "nor hatools' own directories" test ! -e "$root/opt/ht/libexec/hatools" -a \
	! -e "$root/opt/ht/share/doc/hatools"
done_testing
