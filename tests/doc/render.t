#!/bin/bash
# SPDX-License-Identifier: ISC
# Every man page rendered as a reader sees it, by mandoc (-T utf8) and by
# man -l (groff), has none of the faults mandoc -T lint lets through:
#  - an Fl that swallows the words after it ("--any: -one -does"): a
#    word of three letters or more, dashed, right after another dashed
#    word, that is none of the page's own options (.It Fl, manopts.awk)
#    nor in the short list below of other programs' flags the pages quote;
#  - quotes nested in quotes of the same kind (‘a ‘b’’, “a “b””, ‘a 'b'’), or
#    left open or closed unopened, within a paragraph;
#  - an empty quote: "", “”, ‘’.
. "$(dirname "$0")/../lib/tap.sh"
command -v mandoc >/dev/null || cannot_run "mandoc missing"
command -v man >/dev/null || cannot_run "man missing"

# flags of other programs, quoted by the pages after another flag
OTHERS=" -nodad -user -ltn -STOP "

# render PAGE HOW: the page as plain text
render() {
	case $2 in
	mandoc) mandoc -T utf8 "$1" ;;
	man) MANWIDTH=80 LC_ALL=C.UTF-8 man -l "$1" 2>/dev/null ;;
	esac | col -b
}

# swallowed OPTS: dashed words glued after a dashed word, not in OPTS
swallowed() {
	grep -oE -- "(^|[ (])--?[A-Za-z0-9][A-Za-z0-9-]*[,;:.]? +-[a-z][a-z-]{2,}[a-z']*" |
	    awk -v opts="$1" '{ w = $NF; sub(/[^a-z-]+$/, "", w)
		if (index(opts, " " w " ") == 0) print }'
}

# quotes: per paragraph (blank-line separated), nested, unbalanced or
# empty quotes, as "LINE: TEXT" (the quotes made single bytes for awk)
quotes() {
	sed -e 's/‘/\x01/g' -e 's/’/\x02/g' -e 's/“/\x03/g' -e 's/”/\x04/g' | awk '
	function check(o, c, name,    i, ch, d, bad) {
		d = 0
		for (i = 1; i <= length(para); i++) {
			ch = substr(para, i, 1)
			if (ch == o) { d++; if (d > 1) bad = "nested " name }
			# an ASCII quote opened inside (not an apostrophe)
			else if (d > 0 && o == "\001" && ch == "\047" &&
			    substr(para, i - 1, 1) !~ /[A-Za-z0-9]/)
				bad = "nested " name
			else if (ch == c) { d--; if (d < 0) bad = "unopened " name }
		}
		if (d > 0 && !bad) bad = "unclosed " name
		if (bad) print start ": " bad ": " substr(para, 1, 160)
	}
	function flush() {
		if (para != "") {
			check("\001", "\002", "single quotes")
			check("\003", "\004", "double quotes")
			if (para ~ /\003\004|\001\002|(^|[^\\"])""([^"]|$)/)
				print start ": empty quotes: " substr(para, 1, 160)
		}
		para = ""
	}
	/^[ \t]*$/ { flush(); next }
	{ if (para == "") start = NR; sub(/^[ \t]+/, ""); para = para " " $0 }
	END { flush() }'
}

for page in "$T_TOP"/man/*.[178]; do
	name=${page##*/}
	opts=" $(awk -f "$T_TOP/tests/doc/manopts.awk" "$page" | tr '\n' ' ')$OTHERS"
	for how in mandoc man; do
		render "$page" "$how" >"$T_TMP/page"
		ok "$name renders ($how)" test -s "$T_TMP/page"
		got=$(swallowed "$opts" <"$T_TMP/page")
		is "$got" "" "$name ($how): no option swallows the words after it"
		got=$(quotes <"$T_TMP/page" | sed -e "s/\x01/‘/g" -e "s/\x02/’/g" -e "s/\x03/“/g" -e "s/\x04/”/g")
		is "$got" "" "$name ($how): quotes balanced, none nested, none empty"
	done
done
done_testing
