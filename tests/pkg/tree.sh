# SPDX-License-Identifier: ISC
# pkg_copy_tree DIR [PATH...]: a copy of the source tree as it stands
# (committed or not, less what .gitignore names: builds, binaries), for
# tests that build with other flags or package it without touching the
# tree other tests run; only PATHs (files or directories of the top) if
# given, for a test that builds one program.
# The corpora (tests/*/corpus/: the fuzzers' and the replay tests' inputs,
# ~2,100 files and 8 MB, three quarters of the tree's files) are left out:
# no build reads them, not even a package build that runs the unit tests,
# and copying them was most of the copy's CPU (two tars).
pkg_copy_tree() {
	local dst=$1
	shift
	mkdir -p "$dst" || return 1
	if git -C "$T_TOP" rev-parse --git-dir >/dev/null 2>&1; then
		git -C "$T_TOP" ls-files -z -co --exclude-standard -- "${@:-.}" \
			':(exclude)tests/*/corpus/*' |
			(cd "$T_TOP" && while IFS= read -r -d '' f; do
				[ -e "$f" ] && printf '%s\0' "$f"
			done) |
			tar -C "$T_TOP" --null -T - -cf - | tar -C "$dst" -xf -
	else
		# ./PATH: the exclusions are written from the top's "."
		[ $# -gt 0 ] && set -- "${@/#/./}" || set -- .
		tar -C "$T_TOP" --exclude=./build --exclude='*.o' \
			--exclude='./tests/*/corpus' -cf - "$@" |
			tar -C "$dst" -xf - && make -s -C "$dst" clean >/dev/null
	fi
}
