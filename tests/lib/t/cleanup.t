#!/bin/bash
# SPDX-License-Identifier: ISC
# cleanup.sh runs every registered command on each way a test can end.
. "$(dirname "$0")/../tap.sh"

child() {	# how-it-ends marker
	bash -c '
		. "$1/tests/lib/tap.sh" >/dev/null
		cleanup_push "rm -f $2"
		cleanup_push "echo second >> $2.order"
		cleanup_push "echo first >> $2.order"
		echo "$T_TMP" > "$2.tmpdir"
		touch "$2"
		case $3 in
		normal) exit 0 ;;
		error)  false; exit 3 ;;
		term)   kill -TERM $$; sleep 5 ;;
		int)    kill -INT $$; sleep 5 ;;
		esac' child "$T_TOP" "$1" "$2"
}

for how in normal error term int; do
	m="$T_TMP/marker-$how"
	child "$m" "$how"
	nok "$how exit: registered command ran" test -e "$m"
	is "$(tr '\n' ' ' < "$m.order")" "first second " "$how exit: last in, first out"
	nok "$how exit: the test's temp dir is gone" test -e "$(cat "$m.tmpdir")"
done
# A job the test forgot would hold prove's output pipe open: it is killed.
bash -c '. "$1/tests/lib/tap.sh" >/dev/null; sleep 1000 & echo $! > "$2"; exit 0' \
	child "$T_TOP" "$T_TMP/jobpid" >/dev/null
ok "a forgotten background job is killed at exit" wait_gone 5 "$(cat "$T_TMP/jobpid")"
# One that is no job of the test's (a double fork) as well, by its mark.
bash -c '. "$1/tests/lib/tap.sh" >/dev/null
	(sleep 1000 </dev/null >/dev/null 2>&1 & echo $! > "$2")
	wait_for 5 test -s "$2"; exit 0' child "$T_TOP" "$T_TMP/orphan" >/dev/null
ok "a process it double-forked is killed at exit, by the test's mark" \
    wait_gone 5 "$(cat "$T_TMP/orphan")"
done_testing
