#!/bin/bash
# SPDX-License-Identifier: ISC
# show stat's status column step by step while servers go down and come
# back, beside the real haproxy 2.6 on the same config: the sequence of
# distinct values each shows for a server must be the same ("UP",
# "UP 2/3", "UP 1/3", "DOWN", "DOWN 1/2", "UP" for rise 2 fall 3), for
# two rise/fall pairs, for a drained server ("DRAIN 2/3"...) and for
# servers going down from NOLB (http-check disable-on-404).
#
# Timing: every status change is a check's end, and the checks of a
# server are 400 ms apart (inter; fastinter and downinter default to
# it).  One poller reads both proxies' show stat every 50 ms: a step is
# missed only if a poll comes more than 350 ms late, 7 periods.  The
# poller says so ("missed", from chkfail growing by two between polls)
# and the test prints it, so such a failure is told from a wrong status.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/hp.sh"
command -v haproxy >/dev/null || cannot_run "haproxy is not installed"

sp=$(free_port)
echo "200 OK" >"$T_TMP/answer"
# srv_up: the checked HTTP server answers what $T_TMP/answer holds
srv_up() {
	python3 "$T_TOP/tests/hashproxy/statussrv.py" 127.0.0.1 "$sp" \
	    "$T_TMP/answer" >/dev/null 2>&1 &
	SRV_PID=$!
	cleanup_push "kill $SRV_PID"
	wait_for 10 _hp_port_open 127.0.0.1 "$sp"
}
srv_down() { kill "$SRV_PID"; wait "$SRV_PID" 2>/dev/null; }
srv_up || bail "the checked server did not start"

# a and b: two rise/fall pairs; d: a's, drained
cfg() {
	cat <<EOC
defaults
    timeout connect 1s
    timeout client 10s
    timeout server 10s
    timeout check 1s
frontend fe
    bind 127.0.0.1:$1
    default_backend be
backend be
    option httpchk GET /
    http-check disable-on-404
    default-server inter 400ms
    server a 127.0.0.1:$sp check rise 2 fall 3
    server b 127.0.0.1:$sp check rise 3 fall 2
    server d 127.0.0.1:$sp check rise 2 fall 3
EOC
}
hp_cfgs 1
hp_both_start
ok "both: every server UP" wait_for 20 srv_same be
for sock in "$T_TMP/hp.sock" "$T_TMP/ha.sock"; do
	ctl "$sock" "set server be/d state drain" >/dev/null
done
ok "both: d drained" wait_for 20 srv_same be

LOG=$T_TMP/steps
python3 "$T_TOP/tests/hashproxy/statuspoll.py" 50 be "$LOG" \
    "hp=$T_TMP/hp.sock" "ha=$T_TMP/ha.sock" 2>"$T_TMP/poll.err" &
POLL=$!
cleanup_push "kill $POLL"
ok "the poller reads both" wait_for 10 lines "$LOG" 6

# now LABEL SERVER: the status last recorded
now() { awk -v l="$1" -v s="$2" '$1 == l && $2 == s && $3 != "missed" {
	    $1 = $2 = ""; v = substr($0, 3) } END { print v }' "$LOG"; }
# all_at SERVER=STATUS...: both proxies show each SERVER at STATUS
all_at() {
	local a side
	for a; do
		for side in hp ha; do
			[ "$(now "$side" "${a%%=*}")" = "${a#*=}" ] || return 1
		done
	done
}

srv_down
ok "killed: every server DOWN in both" wait_for 20 all_at a=DOWN b=DOWN d=DOWN
srv_up || bail "the checked server did not restart"
ok "back: UP and DRAIN in both" wait_for 20 all_at a=UP b=UP d=DRAIN
echo "404 Not Found" >"$T_TMP/answer"
ok "404: every server NOLB in both" wait_for 20 all_at a=NOLB b=NOLB d=NOLB
srv_down
ok "killed from NOLB: every server DOWN in both" wait_for 20 all_at a=DOWN b=DOWN d=DOWN
echo "200 OK" >"$T_TMP/answer"
srv_up || bail "the checked server did not restart"
ok "back again: UP and DRAIN in both" wait_for 20 all_at a=UP b=UP d=DRAIN
kill "$POLL"

# steps LABEL SERVER: the statuses recorded, one line.  haproxy sets a
# server's health at once and its state a moment later (the state
# change is queued): a poll between the two reads "DOWN 4/3" (health
# past rise, not yet up) or "UP 0/2" (health 0, not yet down), moments
# no check ended on.  Such readings of haproxy's are left out (and
# printed); hashproxy's are all kept.
steps() { awk -v l="$1" -v s="$2" '$1 == l && $2 == s && $3 != "missed" {
	    $1 = $2 = ""; v = substr($0, 3)
	    if (l == "ha" && split(v, w, "[ /]") == 3 &&
		(w[1] == "DOWN" && w[2] + 0 >= w[3] + 0 ||
		 w[1] != "DOWN" && w[2] + 0 <= 0)) {
		    printf "# between two steps: %s\n", v >"/dev/stderr"; next }
	    printf "%s%s", (n++ ? ", " : ""), v }
	    END { print "" }' "$LOG"; }
grep ' missed ' "$LOG" | sed 's/^/# poll too late: /'
for sv in a b d; do
	want=$(steps ha "$sv")
	diag "haproxy's $sv: $want"
	is "$(steps hp "$sv")" "$want" "$sv: hashproxy's status steps are haproxy's"
done
done_testing
