# SPDX-License-Identifier: ISC
# Cleanup on every exit path: cleanup_push CMD registers CMD; at exit (normal,
# error, INT, TERM, HUP) the commands run last-in first-out, each once.

T_CLEANUP=()
T_MAINPID=$BASHPID

cleanup_push() { T_CLEANUP+=("$1"); }

# cleanup_mounts DIR: what the test mounted below DIR (pg.sh's overlays),
# unmounted, the last mounted first, so that DIR can be removed.  Lazily:
# a server killed a moment ago may still hold a file open.
cleanup_mounts() {
	local dev mnt rest m=()
	while read -r dev mnt rest; do
		[[ $mnt == "$1"/* ]] && m=("$mnt" "${m[@]}")
	done </proc/self/mounts
	[ ${#m[@]} = 0 ] || umount -l "${m[@]}"
}

cleanup_run() {
	local i
	for ((i = ${#T_CLEANUP[@]} - 1; i >= 0; i--)); do
		eval "${T_CLEANUP[i]}" >/dev/null 2>&1 || true
	done
	T_CLEANUP=()
	# A background job left running would hold prove's pipe open forever.
	for i in $(jobs -p); do
		kill -9 "$i"
	done 2>/dev/null
	_cleanup_marked
}

# What got past the above would hold the pipe too: a double fork, or a
# process spawned into a namespace being torn down whose parent died
# before its death signal was set up.  It still carries the test's mark.
_cleanup_marked() {
	local f pid
	[ -n "${T_MARK:-}" ] || return 0
	for f in $(grep -lsxz -- "T_MARK=$T_MARK" /proc/[0-9]*/environ); do
		pid=${f#/proc/}
		pid=${pid%/environ}
		[ "$pid" = "$$" ] || [ "$pid" = "$BASHPID" ] || kill -9 "$pid"
	done 2>/dev/null
}

_cleanup_exit() {
	local rc=$?
	# Subshells may inherit the trap; only the test itself cleans up.
	[ "$BASHPID" = "$T_MAINPID" ] || exit "$rc"
	trap - EXIT INT TERM HUP
	cleanup_run
	exit "$rc"
}

trap _cleanup_exit EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
trap 'exit 129' HUP
