#!/bin/bash
# SPDX-License-Identifier: ISC
# The build takes a packager's flags (issue #17): CFLAGS, CPPFLAGS and
# LDFLAGS are added to ours, also when given on make's command line;
# fortify's level is the builder's; -Werror only with WERROR=1; libpq's
# headers wherever pkg-config or pg_config says.  pgwatch is built (it is
# the one with libpq) in a copy of what its build reads, so the tree other
# tests run is never rebuilt.
. "$(dirname "$0")/../lib/tap.sh"
. "$T_TOP/tests/pkg/tree.sh"

for c in make cc pkg-config pg_config dpkg-buildflags readelf unshare; do
	command -v "$c" >/dev/null || cannot_run "$c missing"
done
src=$T_TMP/src
pkg_copy_tree "$src" Makefile lib pgwatch || bail "cannot copy the tree"
log=$T_TMP/log
obj=$src/build/pgwatch/obj-plain
# one object (quick: the flags show on its compile line) or the program
mk() { make -C "$src/pgwatch" -j2 "$@" >"$log" 2>&1; }
cc_line() { grep -E "^cc .* -c -o $obj/$1\.o" "$log"; }

# level 3 given on the command line: was a "redefined" error under
# -Werror, and the command line's CPPFLAGS dropped our -I (no lib/ headers)
rm -rf "$src/build"
ok "CPPFLAGS=-D_FORTIFY_SOURCE=3 WERROR=1 builds" \
	mk CPPFLAGS=-D_FORTIFY_SOURCE=3 WERROR=1 "$obj/args.o"
like "$(cc_line args)" "-D_FORTIFY_SOURCE=3" "the builder's fortify level is used"
nok "and no second level of ours" grep -q -- "-D_FORTIFY_SOURCE=2" "$log" ||
	diag "$(cc_line args)"

# without optimisation glibc warns that fortify needs -O: none of ours
ok "CFLAGS='-O0 -g' WERROR=1 builds" mk CFLAGS='-O0 -g' WERROR=1 "$obj/args.o"
nok "no fortify at -O0" grep -q "_FORTIFY_SOURCE" "$log"

# a warning (a macro defined twice) is an error only in developers' builds
twice='-DHT_TWICE=1 -DHT_TWICE=2'
ok "a warning does not stop a plain build" mk CPPFLAGS="$twice" "$obj/args.o"
like "$(cat "$log")" "warning: \"HT_TWICE\" redefined" "the warning is shown"
rm -f "$obj/args.o"	# -Werror changes no object: not in the flags stamp
nok "it does with WERROR=1" mk CPPFLAGS="$twice" WERROR=1 "$obj/args.o"
like "$(cat "$log")" "error: \"HT_TWICE\" redefined" "as an error"

# libpq's headers elsewhere than /usr/include/postgresql (hidden in a
# private mount namespace): pkg-config's path, then pg_config's
pq=$T_TMP/pq
mkdir -p "$pq/include" "$pq/pc" "$pq/bin" "$T_TMP/empty"
cp "$(pg_config --includedir)"/*.h "$pq/include/" || bail "no libpq headers"
printf 'Name: libpq\nDescription: x\nVersion: 15\nCflags: -I%s\nLibs: -lpq\n' \
	"$pq/include" >"$pq/pc/libpq.pc"
printf '#!/bin/sh\n[ "$1" = --includedir ] && echo %s\n' "$pq/include" >"$pq/bin/pg_config"
chmod 755 "$pq/bin/pg_config"
hidden() {
	unshare -m sh -c 'mount --bind "$1" "$2" && shift 2 && "$@"' sh \
		"$T_TMP/empty" "$(pg_config --includedir)" "$@"
}
ok "the system's libpq headers can be hidden" \
	hidden sh -c '! test -e "$1/libpq-fe.h"' sh "$(pg_config --includedir)"
# make in pgwatch/, the system's libpq headers hidden, pkg-config's found
mk_pc() {
	hidden env PKG_CONFIG_PATH="$pq/pc" make -C "$src/pgwatch" -j2 "$@" >"$log" 2>&1
}

# Debian's flags, exported as debian/rules does, the whole program.  The
# same build is pkg-config's case (the whole program with pkg-config's -I
# alone): one build of pgwatch for both, not two, ~3 s of CPU less.  The
# -I changes none of Debian's flags, and they do not change where libpq's
# headers are found.
rm -rf "$src/build"
(
	eval "$(DEB_BUILD_MAINT_OPTIONS=hardening=+all dpkg-buildflags --export=sh)"
	echo "$CFLAGS" >"$T_TMP/cflags"; echo "$CPPFLAGS" >"$T_TMP/cppflags"
	echo "$LDFLAGS" >"$T_TMP/ldflags"
	mk_pc WERROR=1
) && r=0 || r=$?
is "$r" 0 "pgwatch builds with dpkg-buildflags' CFLAGS/CPPFLAGS/LDFLAGS and WERROR=1"
[ "$r" = 0 ] || diag "$(tail -5 "$log")"
line=$(cc_line pgconn)
missing=
for f in $(cat "$T_TMP/cflags" "$T_TMP/cppflags"); do
	case " $line " in *" $f "*) ;; *) missing="$missing $f" ;; esac
done
is "$missing" "" "every CFLAGS and CPPFLAGS word is on the compile line"
link=$(grep -E "^cc .* -o pgwatch " "$log")
missing=
for f in $(cat "$T_TMP/ldflags"); do
	case " $link " in *" $f "*) ;; *) missing="$missing $f" ;; esac
done
is "$missing" "" "every LDFLAGS word is on the link line"
like "$(readelf -d "$src/pgwatch/pgwatch")" "BIND_NOW" "full RELRO kept (ours)"
like "$(readelf -h "$src/pgwatch/pgwatch")" "DYN" "PIE kept (ours)"
ok "the binary runs" "$src/pgwatch/pgwatch" --version
is "$r" 0 "pgwatch builds with libpq's headers where pkg-config says"
like "$line" " -I$pq/include " "pgconn.c compiled with pkg-config's -I"

# other flags, same tree: an object is compiled again, not "up to date".
# main.o alone shows it (its flags stamp is the program's): the whole
# program again would be 2-3 s of CPU more for no other check.  libpq's
# headers where they were: only the flags change.
ok "a build with CFLAGS=-O1 after it" mk_pc CFLAGS='-O1 -g' "$obj/main.o"
like "$(cc_line main)" " -O1 -g " "recompiles main.c with the new flags"

ok "or where pg_config says, without pkg-config's" \
	hidden env PKG_CONFIG_LIBDIR="$T_TMP/empty" PATH="$pq/bin:$PATH" \
	sh -c 'make -C "$1/pgwatch" -j2 "$3" >"$2" 2>&1' sh "$src" "$log" "$obj/pgconn.o"
like "$(cc_line pgconn)" " -I$pq/include " "pgconn.c compiled with pg_config's -I"
done_testing
