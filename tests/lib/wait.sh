# SPDX-License-Identifier: ISC
# Waiting for a condition, never a bare sleep.
#
#   wait_for 5 cmd args...          true once cmd exits 0 within 5 s
#   wait_file_line 5 FILE REGEX     true once FILE has a line matching REGEX
#   wait_file_line_after 5 FILE N REGEX   the same, past FILE's first N
#                                   lines (N=$(file_lines FILE) before the
#                                   action: an older line cannot answer)
#   wait_gone 5 PID                 true once PID no longer exists
#   wait_fine 5 cmd args...         wait_for, polling every 20 ms throughout
# Each returns 1 (with a diag line) on timeout.  A poll forks the condition
# (an "ip | grep" is 2-4 processes, ~8 ms of CPU each here): polling every
# 20 ms for a 3.6 s VRRP timer spent more CPU than the programs under test.
# So the pause grows with the time waited: 20 ms at first, then an eighth
# of the time waited so far, at most 250 ms, and never past the deadline
# (the condition is checked once more then: "within N s" means the same).
# A wait of 160 ms or less polls as often as before; a time measured around
# a longer wait_for reads up to an eighth (at most 250 ms) late: a test
# bounding such a time from above by less than that margin uses wait_fine.
# The clock is bash's $EPOCHREALTIME and the pause a read with a timeout
# on a pipe nobody writes: a poll forks nothing but the condition itself.

# SECONDS (5, 0.2, 6.5) as milliseconds in _WAIT_MS, without a fork: an
# awk here was one more process for every wait in the run
_wait_ms() {
	local i=${1%%.*} f=
	[[ $1 == *.* ]] && f=${1#*.}
	f=${f}000
	_WAIT_MS=$((10#${i:-0} * 1000 + 10#${f:0:3}))
}
_wait_now_ms() { local t=${EPOCHREALTIME//[!0-9]/}; _WAIT_NOW=$((t / 1000)); }
_wait_pause() {	# MS
	local t
	# (again if the test closed it or put something else on its number:
	# a read that fails at once would turn every wait into a busy loop)
	[ -n "${_WAIT_FD:-}" ] && [ -p "/dev/fd/$_WAIT_FD" ] ||
		exec {_WAIT_FD}<> <(:)
	printf -v t '%d.%03d' $(($1 / 1000)) $(($1 % 1000))
	read -r -t "$t" -u "$_WAIT_FD" _ || :
}

WAIT_STEP_MAX_MS=${WAIT_STEP_MAX_MS:-250}
wait_for() {
	local start deadline step
	_wait_now_ms; start=$_WAIT_NOW
	_wait_ms "$1"; deadline=$((start + _WAIT_MS)); shift
	until "$@" >/dev/null 2>&1; do
		_wait_now_ms
		if [ "$_WAIT_NOW" -ge "$deadline" ]; then
			echo "# wait_for timed out: $*"
			return 1
		fi
		step=$(((_WAIT_NOW - start) / 8))
		[ "$step" -gt "$WAIT_STEP_MAX_MS" ] && step=$WAIT_STEP_MAX_MS
		[ "$step" -lt 20 ] && step=20
		[ "$step" -gt $((deadline - _WAIT_NOW)) ] && step=$((deadline - _WAIT_NOW))
		_wait_pause "$step"
	done
}
wait_fine() { local WAIT_STEP_MAX_MS=20; wait_for "$@"; }

wait_file_line() {
	wait_for "$1" grep -Eq -- "$3" "$2"
}

file_lines() { if [ -e "$1" ]; then wc -l <"$1"; else echo 0; fi; }
_file_has_after() {
	if [ "$2" = 0 ]; then	# the whole file: one process, not two
		grep -Eq -- "$3" "$1" 2>/dev/null
	else
		tail -n "+$(($2 + 1))" "$1" 2>/dev/null | grep -Eq -- "$3"
	fi
}
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

# free_port [N]: a TCP/UDP port on this host nobody listens on now (with
# N: the first of N in a row), below the kernel's ephemeral range: a port
# in it can become some other test's client connection's source port
# before this one binds it.  Free is not enough: two tests (or one, twice)
# could draw the same port before either binds it, and with SO_REUSEPORT
# (hashproxy's and haproxy's listeners) both would bind it and share its
# clients.  So a port handed out is claimed for the test ($$) until it
# exits: a symlink named for the port in $PORT_CLAIMS, made atomically;
# the claim of a test that is gone is taken over.
# free_ports VAR...: one such port into each VAR (a name, or an array
# element: "P[0]"), all different, without a subshell: a test taking
# ports in a row asks ss once for all of them, not once per port (an ss
# is ~13 ms of CPU here, and ~800 of them ran in a make check).
PORT_CLAIMS=${PORT_CLAIMS:-/tmp/hatools-ports}
# _port_range: the range ports are drawn from, into _FP_BASE and _FP_SPAN
_port_range() {
	local lo hi
	read -r lo hi < /proc/sys/net/ipv4/ip_local_port_range
	_FP_BASE=10000 _FP_SPAN=$(( lo - 10000 ))
	if [ "$_FP_SPAN" -lt 1000 ]; then	# a range that starts low: above it
		_FP_BASE=$(( hi + 1 )) _FP_SPAN=$(( 65536 - hi - 1 ))
	fi
	_FP_BASE=${FREE_PORT_BASE:-$_FP_BASE} _FP_SPAN=${FREE_PORT_SPAN:-$_FP_SPAN}
}
# _ports_used FILTER: the local ports of every TCP or UDP socket ss finds
# with FILTER (any state, as a port in TIME_WAIT cannot be bound either),
# as the keys of _FP_USED
_ports_used() {
	local a
	_FP_USED=()
	while read -r _ _ _ _ a _; do
		_FP_USED[${a##*:}]=1
	done < <(ss -Hantu "$1" 2>/dev/null)
}
declare -gA _FP_USED
free_port() {
	local n=${1:-1} p i busy
	_port_range
	while :; do
		# (SRANDOM and one ss for the N ports and both protocols:
		# free_port runs in most test files, and each process is CPU)
		p=$(( _FP_BASE + SRANDOM % (_FP_SPAN - n + 1) ))
		_ports_used "( sport >= :$p and sport <= :$((p + n - 1)) )"
		busy=
		for ((i = p; i < p + n; i++)); do
			[ -n "${_FP_USED[$i]:-}" ] && { busy=1; break; }
		done
		[ -z "$busy" ] && _port_claim "$p" "$n" && { echo "$p"; return; }
	done
}
free_ports() {
	local -a _fp_vars=("$@") _fp_try
	local _fp_i _fp_p _fp_or
	_port_range
	while [ ${#_fp_vars[@]} -gt 0 ]; do
		_fp_try=() _fp_or=
		for _fp_i in "${!_fp_vars[@]}"; do
			_fp_p=$(( _FP_BASE + SRANDOM % _FP_SPAN ))
			_fp_try[_fp_i]=$_fp_p
			_fp_or+="${_fp_or:+ or }sport = :$_fp_p"
		done
		_ports_used "( $_fp_or )"
		# a port drawn twice this round is claimed by the first VAR,
		# and the second, finding it this test's, draws again
		for _fp_i in "${!_fp_vars[@]}"; do
			_fp_p=${_fp_try[_fp_i]}
			[ -z "${_FP_USED[$_fp_p]:-}" ] && _port_claim "$_fp_p" 1 ||
			    continue
			printf -v "${_fp_vars[_fp_i]}" %s "$_fp_p"
			unset '_fp_vars[_fp_i]'
		done
	done
}
# _port_claim P N: ports P..P+N-1 for this test, or none of them
_port_claim() {
	local i
	[ -d "$PORT_CLAIMS" ] || mkdir -p "$PORT_CLAIMS" 2>/dev/null
	for ((i = $1; i < $1 + $2; i++)); do
		_port_claim_one "$i" && continue
		for ((i--; i >= $1; i--)); do rm -f "$PORT_CLAIMS/$i"; done
		return 1
	done
}
_port_claim_one() {
	local f=$PORT_CLAIMS/$1 owner
	ln -s "$$" "$f" 2>/dev/null && return 0
	owner=$(readlink "$f") || return 1
	[ "$owner" != "$$" ] && ! kill -0 "$owner" 2>/dev/null || return 1
	# the claim of a test that is gone; one of two takers wins the link
	rm -f "$f" && ln -s "$$" "$f" 2>/dev/null
}
# free_port_release: this test's claims (at its exit: tap.sh)
free_port_release() {
	find "$PORT_CLAIMS" -maxdepth 1 -type l -lname "$$" -delete 2>/dev/null
	return 0
}
