# SPDX-License-Identifier: ISC
# pkg_copy_tree DIR: a copy of the source tree as it stands (committed or
# not, less what .gitignore names: builds, binaries), for tests that build
# with other flags or package it without touching the tree other tests run.
pkg_copy_tree() {
	mkdir -p "$1" || return 1
	if git -C "$T_TOP" rev-parse --git-dir >/dev/null 2>&1; then
		git -C "$T_TOP" ls-files -z -co --exclude-standard |
			(cd "$T_TOP" && while IFS= read -r -d '' f; do
				[ -e "$f" ] && printf '%s\0' "$f"
			done) |
			tar -C "$T_TOP" --null -T - -cf - | tar -C "$1" -xf -
	else
		tar -C "$T_TOP" --exclude=./build --exclude='*.o' -cf - . |
			tar -C "$1" -xf - && make -s -C "$1" clean >/dev/null
	fi
}
