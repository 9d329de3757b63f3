#!/bin/bash
# SPDX-License-Identifier: ISC
# On a fresh clone "make demo" and "make bench" build what their scenes
# use: the programs and the tests' own tools the scenes take from build/
# (hashproxy's scenes skip without build/hashproxy/testbackend and
# testclient, so a demo that forgot them failed on a fresh machine only).
# The plan is read from "make -n" in a copy of the tracked files.
. "$(dirname "$0")/../lib/tap.sh"
command -v git >/dev/null || cannot_run "git missing"
git -C "$T_TOP" rev-parse --git-dir >/dev/null 2>&1 || cannot_run "not a git checkout"

copy=$T_TMP/tree
mkdir -p "$copy"
(cd "$T_TOP" && git ls-files -z | tar --null -T - -cf -) | tar -xf - -C "$copy"
ok "the tracked files copied" test -f "$copy/Makefile"

# the scripts of each target that take the tests' tools from build/
users() { grep -l 'tests/hashproxy/hp\.sh' "$T_TOP"/tests/"$1"/*; }
ok "a demo scene uses hp.sh" users demo
ok "a bench script uses hp.sh" users bench

# the build/ paths hp.sh names
tools=$(grep -ho '\$T_TOP/build/[A-Za-z0-9_/-]*' "$T_TOP"/tests/hashproxy/hp.sh |
	sed 's|\$T_TOP/||' | sort -u)
ok "hp.sh names the tools it takes from build/: $(echo $tools)" test -n "$tools"

for target in demo bench; do
	plan=$(make -n -C "$copy" "$target" 2>&1)
	for t in $tools; do
		like "$plan" " -o [^ ]*${t#build/} " "make $target builds $t"
	done
done
done_testing
