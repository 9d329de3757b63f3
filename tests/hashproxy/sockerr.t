#!/bin/bash
# SPDX-License-Identifier: ISC
# Which faults a check calls SOCKERR, as haproxy: an I/O error once the
# check is connected (an httpchk server that resets the connection), and
# not the faults of the proxy's own host before it is (out of local
# ports, out of file descriptors), which are Layer4 connection problems
# (L4CON).  "show stat" check_status and the event lines, then back to
# L4OK once the fault is gone.  hashproxy and haproxy side by side in
# one namespace, the servers on another host.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/hp.sh"
. "$T_TOP/tests/lib/netns.sh"
needs_root

ns_switch sw
ns_host sw px 10.0.0.1/24
ns_host sw srv 10.0.0.2/24
# ports of our own namespaces: nobody else's
ns_run srv "$HP_BACKEND" api 10.0.0.2 5240 >/dev/null 2>&1 &
ns_run srv python3 "$T_TOP/tests/hashproxy/chkserver.py" 10.0.0.2 5241 reset >/dev/null 2>&1 &
for p in 5240 5241; do
	ok "server $p answers" wait_for 10 ns_run px bash -c "exec 3<>/dev/tcp/10.0.0.2/$p"
done

for f in hp ha; do
	o=0; [ $f = ha ] && o=100
	cat >"$T_TMP/$f.cfg" <<EOF
defaults
    timeout connect 1s
    # the answer's window is inter (100ms) without it: a python server
    # slow to reset on a busy machine made that a timeout (L7TOUT), not
    # the reset (SOCKERR) this test is about
    timeout check 5s
    timeout client 10s
    timeout server 10s
frontend api
    bind 127.0.0.1:$((8001 + o))
    default_backend api
backend api
    server s1 10.0.0.2:5240 check inter 100ms fall 2 rise 2
backend rst
    option httpchk
    server r1 10.0.0.2:5241 check inter 100ms fall 2 rise 2
EOF
done
sed -i "1i global\n    stats socket $T_TMP/ha.sock mode 600 level admin\n" "$T_TMP/ha.cfg"
ns_run px "$HP_BIN" -f "$T_TMP/hp.cfg" --control "$T_TMP/hp.sock" \
    >>"$T_TMP/hp.ev" 2>>"$T_TMP/hp.err" &
ns_run px haproxy -f "$T_TMP/ha.cfg" -db >>"$T_TMP/ha.log" 2>&1 &
ok "both proxies listen" wait_for 10 eval 'test -S "$T_TMP/hp.sock" && ha_answers "$T_TMP/ha.sock"'

# st SOCKET [PROXY SERVER]: "status check_status" of api/s1
st() {
	ctl "$1" "show stat" | awk -F, -v px="${2:-api}" -v sv="${3:-s1}" '
	    NR == 1 { for (i = 1; i <= NF; i++) { h = $i; sub(/^# /, "", h); c[h] = i }; next }
	    $1 == px && $2 == sv {
		s = $c["check_status"]; sub(/^\* /, "", s); print $c["status"], s }'
}
both() { [ "$(st "$T_TMP/hp.sock" $2)" = "$1" ] && [ "$(st "$T_TMP/ha.sock" $2)" = "$1" ]; }
show() { diag "hashproxy: $(st "$T_TMP/hp.sock" $1); haproxy: $(st "$T_TMP/ha.sock" $1)"; }

ok "a server that resets the check's connection: DOWN, SOCKERR in both" \
    wait_for 10 both "DOWN SOCKERR" "rst r1" || show "rst r1"
like "$(grep '^down backend=rst ' "$T_TMP/hp.ev" | head -1)" \
    '^down backend=rst server=r1 reason="Socket error, info: Connection reset by peer, .*" check=SOCKERR active=0$' \
    "its down event line says SOCKERR and why"

ok "s1 UP, L4OK in both" wait_for 10 both "UP L4OK" || show

# one local port, held by hashproxy's own listener: connect() cannot
# pick a local port (EADDRNOTAVAIL).  haproxy calls it a Layer4
# connection problem, as a connect() that fails later: not SOCKERR
ports=$(ns_run px sysctl -n net.ipv4.ip_local_port_range)
ns_run px sysctl -q -w net.ipv4.ip_local_port_range="8001 8001"
noport() { ns_run px bash -c "exec 3<>/dev/tcp/10.0.0.2/5240" 2>&1 |
	grep -q "Cannot assign requested address"; }
ok "the host is out of local ports: connect() says so" noport
ok "out of local ports: s1 DOWN, L4CON in both" wait_for 10 both "DOWN L4CON" || show
like "$(grep '^down backend=api ' "$T_TMP/hp.ev" | tail -1)" \
    '^down backend=api server=s1 reason="Layer4 connection problem, info: Cannot assign requested address, .*" check=L4CON active=0$' \
    "the down event line says L4CON and why"
ns_run px sysctl -q -w net.ipv4.ip_local_port_range="$ports"
ok "ports free again: s1 UP, L4OK in both" wait_for 10 both "UP L4OK" || show

# out of file descriptors: the check gets no socket at all (EMFILE).
# haproxy calls that a Layer4 connection problem too.  No control
# connection meanwhile (none could be accepted): the event line and
# haproxy's warning say it
hp=$(ns_run px ss -Htlnp "( sport = :8001 )" | grep -o "pid=[0-9]*" | head -n1 | cut -d= -f2)
ha=$(ns_run px ss -Htlnp "( sport = :8101 )" | grep -o "pid=[0-9]*" | head -n1 | cut -d= -f2)
ok "the proxies' pids ($hp, $ha)" test -n "$hp" -a -n "$ha"
# the soft limit only: raising a hard limit takes CAP_SYS_RESOURCE
nofile() { prlimit -n -o SOFT --noheadings -p "$1" | awk '{ print $1 ":" }'; }
hpn=$(nofile "$hp") han=$(nofile "$ha")
n0=$(wc -l < "$T_TMP/hp.ev")
prlimit -p "$hp" -n3:
prlimit -p "$ha" -n3:
newdown() { tail -n +$((n0 + 1)) "$T_TMP/hp.ev" | grep '^down backend=api '; }
ok "out of descriptors: hashproxy's s1 goes down" wait_for 10 newdown
like "$(newdown | head -1)" \
    '^down backend=api server=s1 reason="Layer4 connection problem, info: Too many open files, .*" check=L4CON active=0$' \
    "the down event line says L4CON and why"
ok "... as haproxy's" \
    wait_for 10 grep -q "Server api/s1 is DOWN, reason: Layer4 connection problem, info: .*Too many open files" "$T_TMP/ha.log" ||
    diag "haproxy: $(grep api/s1 "$T_TMP/ha.log" | tail -1)"
prlimit -p "$hp" -n"$hpn"
prlimit -p "$ha" -n"$han"
ok "descriptors again: s1 UP, L4OK in both" wait_for 10 both "UP L4OK" || show
done_testing
