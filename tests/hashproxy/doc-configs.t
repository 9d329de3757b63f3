#!/bin/bash
# SPDX-License-Identifier: ISC
# Every haproxy.cfg the project ships or shows passes "hashproxy -c": the
# files under contrib/, the literal blocks of man/*.[178] and the indented
# blocks of README.md that hold haproxy sections.  A snippet with backends
# only gets a frontend for its first one; a server's short host name (db1,
# an operator's own) becomes 127.0.0.1, so no name leaves the machine.
. "$(dirname "$0")/../lib/tap.sh"

out=$T_TMP/cfg
mkdir -p "$out"
sec='^[[:space:]]*(global|defaults|frontend|backend|listen)([[:space:]]|$)'

# contrib: every file with a haproxy section
for f in $(grep -rlE "^(frontend|backend|listen)[[:space:]]" "$T_TOP/contrib"); do
	cp "$f" "$out/contrib-$(basename "$(dirname "$f")")-$(basename "$f")"
done
# man pages: .Bd -literal ... .Ed blocks that start a haproxy section
for m in "$T_TOP"/man/*.[178]; do
	awk -v o="$out/man-$(basename "$m")" '
	    /^\.Bd -literal/ { f = 1; buf = ""; next }
	    /^\.Ed/ && f { if (buf ~ /^[ \t]*(global|defaults|frontend|backend|listen)[ \t]/) print buf > (o "-" ++n ".cfg"); f = 0; next }
	    f { gsub(/\\e/, "\\"); buf = buf $0 "\n" }' "$m"
done
# README: indented blocks after a blank line that start a haproxy section
awk -v o="$out/readme" '
    /^    / && blank { f = ($0 ~ /^    [ \t]*(global|defaults|frontend|backend|listen)[ \t]/); if (f) n++ }
    /^    / && f { print substr($0, 5) > (o "-" n ".cfg"); blank = 0; next }
    { f = 0; blank = ($0 ~ /^[ \t]*$/) }' "$T_TOP/README.md"

n=0
for f in "$out"/*; do
	[ -s "$f" ] || continue
	n=$((n + 1))
	if ! grep -qE '^[[:space:]]*(frontend|listen)[[:space:]]' "$f"; then
		be=$(awk '$1 == "backend" { print $2; exit }' "$f")
		printf '\nfrontend doc_check\n    bind 127.0.0.1:1\n    default_backend %s\n' \
		    "$be" >>"$f"
	fi
	awk '$1 == "server" && split($3, a, ":") == 2 &&
	    a[1] ~ /^[a-z][a-z0-9-]*$/ && a[1] != "localhost" {
		sub(a[1] ":", "127.0.0.1:") } { print }' "$f" >"$f.tmp" &&
	    mv "$f.tmp" "$f"
	res=$(hashproxy -c -f "$f" 2>&1)
	rc=$?
	ok "$(basename "$f") passes hashproxy -c" test "$rc" = 0 ||
		diag "$(printf '%s\n' "$res" | grep 'error' | head -5)"
done
ok "found the configs (contrib, man, README): $n" test "$n" -ge 4
done_testing
