#!/bin/bash
# SPDX-License-Identifier: ISC
# Real haproxy.cfg files (tests/hashproxy/corpus/, see its README): haproxy
# 2.6 and hashproxy give the verdict MANIFEST records for each, and every
# refusal names file:line and the out-of-scope keyword.
. "$(dirname "$0")/../lib/tap.sh"

command -v haproxy >/dev/null || cannot_run "haproxy is not installed"
dir=$T_TOP/tests/hashproxy/corpus
n=0
cd "$dir" || bail "no $dir"

# every error line is "FILE:N: ..."; one of them names the keyword
named() {	# out file keyword
	local bad
	bad=$(printf '%s\n' "$1" | grep 'error: ' | grep -v "error: $2:[0-9][0-9]*: ")
	[ -z "$bad" ] || { diag "not naming file:line: $bad"; return 1; }
	printf '%s\n' "$1" | grep 'error: ' | grep -qF -- "$3"
}

while IFS=$'\t' read -r f verdict kw; do
	case $f in ''|'#'*) continue ;; esac
	n=$((n + 1))
	[ -f "$f" ] || { ok "$f exists" false; continue; }
	haproxy -c -f "$f" >/dev/null 2>&1
	h=$?
	out=$(hashproxy -c -f "$f" 2>&1)
	x=$?
	case $verdict in
	accept)
		is "$h/$x" "0/0" "$f: haproxy and hashproxy accept it" ||
			diag "$(printf '%s\n' "$out" | grep 'error:' | head -3)" ;;
	reject)
		ok "$f: haproxy refuses it ($h), hashproxy too ($x)" \
		    test "$h" != 0 -a "$x" = 2 &&
		if [ -n "$kw" ]; then
			ok "$f: each error names file:line, one says $kw" \
			    named "$out" "$f" "$kw"
		fi ;;
	refuse)
		is "$h/$x" "0/2" "$f: haproxy accepts it, hashproxy refuses it" &&
		ok "$f: each error names file:line, one names $kw" \
		    named "$out" "$f" "$kw" ;;
	older)
		ok "$f: haproxy refuses it ($h), hashproxy accepts it ($x)" \
		    test "$h" != 0 -a "$x" = 0 &&
		ok "$f: a notice names file:line and $kw" \
		    grep -q "notice: $f:[0-9][0-9]*: $kw" <<<"$out" ;;
	pending)
		if [ "$x" = 0 ]; then
			is "$h/$x" "0/0" "$f: haproxy and hashproxy accept it"
		else
			is "$h/$x" "0/2" "$f: haproxy accepts it, hashproxy refuses it" &&
			ok "$f: each error names file:line, one names $kw" \
			    named "$out" "$f" "$kw"
		fi ;;
	*)
		ok "$f: verdict \"$verdict\" known" false ;;
	esac
	# no crash, whatever the verdict
	case $x in 0|2) ;; *) ok "$f: hashproxy exits 0 or 2, not $x" false ;; esac
done <MANIFEST
ok "at least 25 configs ($n)" test "$n" -ge 25
# every file of the corpus is in the manifest
for f in *.cfg; do
	ok "$f is in MANIFEST" grep -q "^$f	" MANIFEST
done
done_testing
