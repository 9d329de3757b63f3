#!/bin/bash
# SPDX-License-Identifier: ISC
# show stat's check columns while a check runs and once it has ended,
# beside the real haproxy on the same config.  haproxy 2.6 marks a running
# check's status "* ", keeps the last ended check's duration and
# description, prints the code the start reset (0, for a status that has
# a code) and no last_chk until the check ends.  A listener that reads
# the HTTP check and never answers, with a long "timeout check", holds a
# check running for seconds.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/hp.sh"

okp=$(free_port) mutep=$(free_port) deadp=$(free_port)
echo "200 OK" >"$T_TMP/status"
python3 "$T_TOP/tests/hashproxy/statussrv.py" 127.0.0.1 "$okp" "$T_TMP/status" \
    >/dev/null 2>&1 &
cleanup_push "kill $!"
python3 "$T_TOP/tests/hashproxy/chkserver.py" 127.0.0.1 "$mutep" mute >/dev/null 2>&1 &
cleanup_push "kill $!"
wait_for 5 _hp_port_open 127.0.0.1 "$okp" && wait_for 5 _hp_port_open 127.0.0.1 "$mutep" ||
    bail "the check servers did not start"

# ok answers its checks; hang's first check never ends before the
# timeout, and once it has failed the next waits a minute; nothing
# listens on dead's port
cfg() {
	cat <<EOC
defaults
    timeout connect 1s
    timeout client 10s
    timeout server 10s
    timeout check 10s
frontend fe
    bind 127.0.0.1:$1
    default_backend be
backend be
    option httpchk GET /
    server ok 127.0.0.1:$okp check inter 300ms
    server hang 127.0.0.1:$mutep check inter 300ms downinter 60s
    server dead 127.0.0.1:$deadp check inter 300ms
EOC
}
hp_cfgs 1
hp_both_start

COLS="check_status check_code check_duration check_desc last_chk hanafail chkfail chkdown check_health lastchg downtime"
# row FILE SERVER: its check columns, the times as N (their values differ)
row() {
	awk -F, -v sv="$2" -v cols="$COLS" '
	    NR == 1 { for (i = 1; i <= NF; i++) { h = $i; sub(/^# /, "", h); c[h] = i }; next }
	    $1 == "be" && $2 == sv {
		n = split(cols, k, " ")
		for (i = 1; i <= n; i++) {
			v = $c[k[i]]
			if (k[i] ~ /duration|lastchg|downtime/ && v ~ /^[0-9]+$/)
				v = "N"
			printf "%s%s=%s", (i > 1 ? " | " : ""), k[i], v
		}
		print "" }' "$1"
}
# status FILE SERVER: its check_status
status() {
	awk -F, -v sv="$2" '
	    NR == 1 { for (i = 1; i <= NF; i++) { h = $i; sub(/^# /, "", h); c[h] = i }; next }
	    $1 == "be" && $2 == sv { print $c["check_status"] }' "$1"
}
# shows SOCKET FILE SERVER=STATUS...: a show stat, kept in FILE, in which
# each SERVER's check_status is STATUS
shows() {
	local sock=$1 f=$2 a; shift 2
	srv_snapshot "$sock" "$f" || return 1
	for a; do
		[ "$(status "$f" "${a%%=*}")" = "${a#*=}" ] || return 1
	done
}
# same STEP SERVER=STATUS...: once each side shows those statuses (each
# waited for on its own: the two run their checks at their own times),
# each SERVER's check columns in hashproxy are haproxy's
same() {
	local step=$1 a want; shift
	ok "$step: haproxy shows $*" wait_for 20 shows "$T_TMP/ha.sock" "$T_TMP/ha.st" "$@"
	ok "$step: hashproxy shows $*" wait_for 20 shows "$T_TMP/hp.sock" "$T_TMP/hp.st" "$@"
	for a; do
		want=$(row "$T_TMP/ha.st" "${a%%=*}")
		is "$(row "$T_TMP/hp.st" "${a%%=*}")" "${want:-no row in the haproxy answer}" \
		    "$step: ${a%%=*}'s check columns as haproxy's"
	done
}

# a first check running (no duration yet), a passed one, and a refused
# one repeated while the server is down (chkfail counts the first only)
same "first checks" "hang=* INI" ok=L7OK dead=L4CON

# the next checks of ok and dead go to the listener that never answers
for sock in "$T_TMP/hp.sock" "$T_TMP/ha.sock"; do
	ctl "$sock" "set server be/ok check-port $mutep" >/dev/null
	ctl "$sock" "set server be/dead check-port $mutep" >/dev/null
done
same "running after a pass and a refusal" "ok=* L7OK" "dead=* L4CON"

# hang's check times out; the next one is a minute away
same "ended by the timeout" hang=L7TOUT

# ok and dead time out too, and their next checks run
same "running after a timeout" "ok=* L7TOUT" "dead=* L7TOUT"
done_testing
