# SPDX-License-Identifier: ISC
# Waiting for a condition, never a bare sleep.
#
#   wait_for 5 cmd args...          true once cmd exits 0 within 5 s
#   wait_file_line 5 FILE REGEX     true once FILE has a line matching REGEX
#   wait_file_line_after 5 FILE N REGEX   the same, past FILE's first N
#                                   lines (N=$(file_lines FILE) before the
#                                   action: an older line cannot answer)
#   wait_gone 5 PID                 true once PID no longer exists
# Each polls every 20 ms and returns 1 (with a diag line) on timeout.
# The clock is bash's $EPOCHREALTIME and the pause a read with a timeout
# on a pipe nobody writes: a poll forks nothing but the condition itself
# (two tests at a time on two cores spend their CPU on the programs).

_wait_ms() { awk -v s="$1" 'BEGIN { printf "%d", s * 1000 }'; }
_wait_now_ms() { local t=${EPOCHREALTIME//[!0-9]/}; _WAIT_NOW=$((t / 1000)); }
_wait_pause() {
	[ -n "${_WAIT_FD:-}" ] || exec {_WAIT_FD}<> <(:)
	read -r -t 0.02 -u "$_WAIT_FD" _ || :
}

wait_for() {
	local deadline
	_wait_now_ms; deadline=$((_WAIT_NOW + $(_wait_ms "$1"))); shift
	until "$@" >/dev/null 2>&1; do
		_wait_now_ms
		if [ "$_WAIT_NOW" -ge "$deadline" ]; then
			echo "# wait_for timed out: $*"
			return 1
		fi
		_wait_pause
	done
}

wait_file_line() {
	wait_for "$1" grep -Eq -- "$3" "$2"
}

file_lines() { if [ -e "$1" ]; then wc -l <"$1"; else echo 0; fi; }
_file_has_after() { tail -n "+$(($2 + 1))" "$1" 2>/dev/null | grep -Eq -- "$3"; }
wait_file_line_after() {
	wait_for "$1" _file_has_after "$2" "$3" "$4"
}

# A zombie is gone too: the test shell's own background children stay
# zombies until it waits for them, and kill -0 still finds those.
_wait_not_alive() {
	local st
	kill -0 "$1" 2>/dev/null || return 0
	st=$(sed 's/.*) //' "/proc/$1/stat" 2>/dev/null) || return 0
	[ "${st%% *}" = Z ]
}
wait_gone() { wait_for "$1" _wait_not_alive "$2"; }

# free_port: a TCP/UDP port on this host nobody listens on now, below
# the kernel's ephemeral range: a port in it can become some other test's
# client connection's source port before this one binds it.
free_port() {
	local p lo hi base=10000 span
	read -r lo hi < /proc/sys/net/ipv4/ip_local_port_range
	span=$(( lo - base ))
	if [ "$span" -lt 1000 ]; then	# a range that starts low: above it
		base=$(( hi + 1 )) span=$(( 65536 - hi - 1 ))
	fi
	while :; do
		p=$(( base + $(od -An -N2 -tu2 /dev/urandom | tr -d ' ') % span ))
		[ -z "$(ss -Hanu "( sport = :$p )" 2>/dev/null)$(ss -Hant "( sport = :$p )" 2>/dev/null)" ] &&
			{ echo "$p"; return; }
	done
}
