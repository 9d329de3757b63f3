#!/bin/bash
# make install honours PREFIX and DESTDIR: binaries, man pages and units,
# with the units' ExecStart pointing at the installed binaries.
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
done_testing
