#!/bin/bash
# SPDX-License-Identifier: ISC
# The Debian packages (issue #17): dpkg-buildpackage -us -uc -b builds them
# from a copy of the tree, lintian finds no error, and dpkg installs them
# into a throw-away root (a copy-on-write overlay of this machine's root
# in a private mount namespace, entered with chroot, so the maintainer
# scripts really run) where every program answers --version; the units
# are installed, not enabled, and no maintainer script starts or enables
# anything although the root looks systemd-booted; hatools-vrrpd takes
# the place of Debian's older vrrpd package (Conflicts + Replaces).
. "$(dirname "$0")/../lib/tap.sh"
. "$T_TOP/tests/pkg/tree.sh"

needs_root
for c in dpkg-buildpackage dh fakeroot lintian unshare chroot systemctl; do
	command -v "$c" >/dev/null || cannot_run "$c missing (tests/lib/deps.sh)"
done
grep -qw overlay /proc/filesystems || modprobe overlay 2>/dev/null ||
	cannot_run "no overlayfs"

version=$(sed -n 's/^VERSION *= *//p' "$T_TOP/lib/common.mk")
src=$T_TMP/b/hatools-$version
pkg_copy_tree "$src" || bail "cannot copy the tree"

# noopt: a quicker compile; the flags themselves are tests/pkg/flags.t's.
# noautodbgsym: no -dbgsym packages, which nothing here looks at; the
# others are the same with it (dh_strip still adds their debuglinks)
(cd "$src" && DEB_BUILD_OPTIONS="nocheck noopt noautodbgsym parallel=2" \
	dpkg-buildpackage -us -uc -b >"$T_TMP/build.log" 2>&1) && r=0 || r=$?
is "$r" 0 "dpkg-buildpackage -us -uc -b builds"
[ "$r" = 0 ] || { diag "$(tail -15 "$T_TMP/build.log")"; done_testing; exit 1; }
progs="vrrpd hashproxy pgwatch svccheck dhcpsync"
debs=
for p in $progs; do
	debs="$debs $T_TMP/b/hatools-${p}_${version}_$(dpkg --print-architecture).deb"
done
debs="$debs $T_TMP/b/hatools_${version}_all.deb"
for d in $debs; do
	ok "$(basename "$d") built" test -f "$d"
done

# lintian (~7 s of CPU, Dec 7) reads the packages while dpkg installs
# copies of them in the throw-away root below: the test's wall is the
# longer of the two, not their sum
lintian --fail-on error --tag-display-limit 0 $debs >"$T_TMP/lintian.log" 2>&1 &
lintian_pid=$!
cleanup_push "kill $lintian_pid 2>/dev/null"

# a stand-in for Debian's older vrrpd package (1.0): the same
# /usr/sbin/vrrpd and vrrpd(8)
old=$T_TMP/oldvrrpd
mkdir -p "$old/DEBIAN" "$old/usr/sbin" "$old/usr/share/man/man8"
printf 'Package: vrrpd\nVersion: 1.0-2\nArchitecture: all\nMaintainer: x <x@example.org>\nDescription: stand-in for the old vrrpd\n' \
	>"$old/DEBIAN/control"
printf '#!/bin/sh\necho "old vrrpd"\n' >"$old/usr/sbin/vrrpd"
chmod 755 "$old/usr/sbin/vrrpd"
echo '.TH VRRPD 8' | gzip -9n >"$old/usr/share/man/man8/vrrpd.8.gz"
dpkg-deb -b --root-owner-group "$old" "$T_TMP/vrrpd_1.0-2_all.deb" >/dev/null ||
	bail "cannot build the stand-in vrrpd"

# The throw-away root: this machine's root fs as an overlay lower layer,
# the changes in a tmpfs, all in a mount namespace that ends with the
# script.  /run/systemd/system makes the scripts believe systemd runs,
# so a postinst that starts a unit would call deb-systemd-invoke, which
# logs (as do systemctl and deb-systemd-helper, the latter then runs).
cat >"$T_TMP/inroot.sh" <<'EOF'
set -u
t=$1; shift
mount -t tmpfs "hatools-deb-$$" "$t/ovl" || exit 90
mkdir -p "$t/ovl/up" "$t/ovl/work" "$t/ovl/root"
mount -t overlay "hatools-deb-$$" \
	-o "lowerdir=/,upperdir=$t/ovl/up,workdir=$t/ovl/work" "$t/ovl/root" || exit 91
r=$t/ovl/root
mount --rbind /dev "$r/dev" && mount -t proc proc "$r/proc" || exit 92
mkdir -p "$r/run/systemd/system" "$r/debs"
: >"$r/calls"
for c in systemctl deb-systemd-invoke; do
	printf '#!/bin/sh\necho "%s $*" >>/calls\n' "$c" >"$r/usr/bin/$c"
done
mv "$r/usr/bin/deb-systemd-helper" "$r/usr/bin/deb-systemd-helper.real"
printf '#!/bin/sh\necho "deb-systemd-helper $*" >>/calls\nexec deb-systemd-helper.real "$@"\n' \
	>"$r/usr/bin/deb-systemd-helper"
chmod 755 "$r"/usr/bin/systemctl "$r"/usr/bin/deb-systemd-*
cp "$@" "$r/debs/"
inr() { chroot "$r" env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin "$@"; }

echo "# old vrrpd"
inr dpkg --no-triggers -i /debs/vrrpd_1.0-2_all.deb >"$t/dpkg-old.log" 2>&1 ||
	echo "FAIL old vrrpd does not install"
inr /usr/sbin/vrrpd >"$t/old-vrrpd.out" 2>&1
echo "# hatools"
inr sh -c 'dpkg --no-triggers -i $(ls /debs/hatools*.deb)' >"$t/dpkg.log" 2>&1
echo "dpkg=$?" >"$t/dpkg.rc"
inr dpkg-query -W -f='${db:Status-Status}\n' vrrpd >"$t/old-status" 2>/dev/null
for p in vrrpd hashproxy dhcpsync; do inr /usr/sbin/$p --version; done >"$t/versions" 2>&1
for p in pgwatch svccheck; do inr /usr/bin/$p --version; done >>"$t/versions" 2>&1
ls "$r/lib/systemd/system" >"$t/units"
ls "$r"/etc/systemd/system/*.wants/ 2>/dev/null >"$t/wants"
for u in vrrpd hashproxy pgwatch dhcpsync dhcpsync-kea; do
	systemctl --root="$r" is-enabled "$u.service" 2>&1
done >"$t/enabled"
ls "$r/usr/libexec/hatools" >"$t/libexec"
cp "$r/calls" "$t/calls"
inr dpkg --no-triggers --purge hatools hatools-vrrpd hatools-hashproxy \
	hatools-pgwatch hatools-svccheck hatools-dhcpsync >"$t/purge.log" 2>&1
echo "purge=$?" >>"$t/dpkg.rc"
ls "$r/usr/sbin/vrrpd" "$r/usr/libexec/hatools" >"$t/left" 2>/dev/null
exit 0
EOF
mkdir -p "$T_TMP/ovl"
unshare -m --propagation private bash "$T_TMP/inroot.sh" "$T_TMP" \
	"$T_TMP/vrrpd_1.0-2_all.deb" $debs >"$T_TMP/inroot.out" 2>&1
is "$?" 0 "the throw-away root is made (overlay in a mount namespace)"
wait "$lintian_pid" && r=0 || r=$?
is "$r" 0 "lintian: no error"
errs=$(grep '^E:' "$T_TMP/lintian.log")
is "$errs" "" "lintian's error tags"
grep FAIL "$T_TMP/inroot.out" | sed 's/^/# /'
is "$(cat "$T_TMP/old-vrrpd.out")" "old vrrpd" "the stand-in old vrrpd was installed first"
like "$(cat "$T_TMP/dpkg.rc")" "^dpkg=0$" "dpkg -i installs every package" ||
	diag "$(tail -8 "$T_TMP/dpkg.log")"
like "$(cat "$T_TMP/dpkg.log")" "will remove vrrpd in favour of hatools-vrrpd" \
	"dpkg removes the old vrrpd for hatools-vrrpd"
isnt_installed=$(cat "$T_TMP/old-status")
is "${isnt_installed:-not-installed}" "not-installed" "the old vrrpd is gone"
for p in $progs; do
	like "$(grep "^$p " "$T_TMP/versions")" "^$p \\(hatools\\) $version$" \
		"$p --version in the installed root says $version"
done
for u in vrrpd hashproxy pgwatch svccheck-watch@ dhcpsync dhcpsync-kea; do
	like "$(cat "$T_TMP/units")" "^$u\\.service$" "$u.service installed"
done
is "$(sort -u "$T_TMP/enabled")" "disabled" "no unit is enabled"
is "$(grep -E 'vrrpd|hashproxy|pgwatch|svccheck|dhcpsync' "$T_TMP/wants")" "" \
	"no .wants link to a hatools unit"
started=$(grep -E '^(deb-systemd-invoke|systemctl) .*(start|enable)|^deb-systemd-helper enable' \
	"$T_TMP/calls")
is "$started" "" "no maintainer script starts or enables a unit"
like "$(cat "$T_TMP/calls")" "deb-systemd-helper" "(the scripts did run: deb-systemd-helper was called)"
is "$(cat "$T_TMP/libexec" | tr '\n' ' ')" "dhcp-backup dhcp-master " \
	"the notify scripts are in /usr/libexec/hatools"
like "$(cat "$T_TMP/dpkg.rc")" "^purge=0$" "dpkg --purge removes them"
is "$(cat "$T_TMP/left")" "" "and leaves no binary or script behind"
ok "no mount of this test outlives it" sh -c '! grep -q "hatools-deb-" /proc/self/mountinfo'
done_testing
