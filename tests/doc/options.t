#!/bin/bash
# SPDX-License-Identifier: ISC
# Every option a man page documents (".It Fl ...") is used by at least one
# test of its program: a script under tests/PROG/ or tests/compose/ that
# names the long form, or the short form on a line that names the program.
# C unit tests do not count (parsing an option is not its behaviour), nor
# do the benches and the demo.
#
# tests/doc/untested.txt lists, one "prog --option" a line, what is known
# to have no test yet: each shows as "not ok # TODO untested" (prove counts
# it apart; it does not fail the run).  An option neither tested nor listed
# fails, so does a listed one that a test now uses (take it off the list)
# or that no man page documents.
. "$(dirname "$0")/../lib/tap.sh"

LIST=$T_TOP/tests/doc/untested.txt
declare -A listed seen
while read -r prog opt rest; do
	case $prog in ''|'#'*) continue ;; esac
	listed["$prog $opt"]=1
done < "$LIST"

# own PROG / compose: the test scripts that count for PROG, its own and
# the compose tests (those must name PROG on the option's line).
own() {
	local f
	for f in "$T_TOP"/tests/"$1"/*.t "$T_TOP"/tests/"$1"/*.sh; do
		[ -f "$f" ] && echo "$f"
	done
}

# first REGEX FILE...: prints the first file with a line matching REGEX.
first() {
	local re=$1; shift
	[ $# -gt 0 ] || return 1
	grep -lE -- "$re" "$@" | head -1 | grep .
}

# used PROG LONG SHORT: prints the first test file that uses the option.
used() {
	local prog=$1 long=$2 short=$3 onl=
	local -a fs cs
	mapfile -t fs < <(own "$prog")
	cs=("$T_TOP"/tests/compose/*.t)
	# PROG as a command, then the option later on that line
	local cmd="(^|[^A-Za-z0-9_.-])$prog( [^|;&]*)? "
	if [ "$long" != - ]; then
		onl="$long([^A-Za-z0-9-]|\$)"
		first "(^|[^A-Za-z0-9-])$onl" "${fs[@]}" && return 0
		first "$cmd$onl" "${cs[@]}" && return 0
	fi
	[ "$short" != - ] || return 1
	# repeated counts too ("-vv")
	first "$cmd$short(${short#-})*([ \"'=]|\$)" "${fs[@]}" "${cs[@]}"
}

for page in "$T_TOP"/man/*.[18]; do
	prog=$(basename "${page%.*}")
	[ -d "$T_TOP/tests/$prog" ] || continue
	while read -r long short; do
		name=$long; [ "$long" = - ] && name=$short
		seen["$prog $name"]=1
		if f=$(used "$prog" "$long" "$short"); then
			if [ -n "${listed["$prog $name"]:-}" ]; then
				ok "$prog $name is tested (${f#"$T_TOP"/}) but listed in untested.txt: take it off" false
			else
				ok "$prog $name: ${f#"$T_TOP"/}" true
			fi
		elif [ -n "${listed["$prog $name"]:-}" ]; then
			T_N=$((T_N + 1))
			echo "not ok $T_N - $prog $name # TODO untested"
		else
			ok "$prog $name: no test uses it (write one, or list it in tests/doc/untested.txt)" false
		fi
	done < <(awk -f "$T_TOP/tests/doc/manopts.awk" "$page" | sort -u)
done

for k in "${!listed[@]}"; do
	[ -n "${seen[$k]:-}" ] ||
	    ok "untested.txt names $k, which no man page documents" false
done
done_testing
