#!/bin/bash
# SPDX-License-Identifier: ISC
# A frontend with neither default_backend nor use_backend, and a listen
# section without servers: haproxy 2.6 accepts both, and closes their
# clients at once.  hashproxy too, with a warning naming file:line; both
# run the same file one after the other and count these clients in the
# same "show stat" fields.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/hp.sh"

command -v haproxy >/dev/null || cannot_run "haproxy is not installed"

a=$(free_port) b=$(free_port)
cat >"$T_TMP/nb.cfg" <<EOC
global
    stats socket $T_TMP/px.sock mode 600 level admin

defaults
    mode tcp
    timeout connect 5s
    timeout client 10s
    timeout server 10s

frontend nob
    bind 127.0.0.1:$a

listen nosrv
    bind 127.0.0.1:$b
EOC

# closed PORT: a client that says a line, then what it gets within 5s
closed() {
	python3 - "$1" <<'EOP'
import socket, sys
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=5)
s.sendall(b"hello\n")
try:
    print("closed" if s.recv(100) == b"" else "data")
except ConnectionResetError:
    print("reset")
except socket.timeout:
    print("open")
EOP
}
# clients: three to each port
clients() {
	local p i out=
	for p in $a $b; do
		for i in 1 2 3; do out+="$(closed "$p") "; done
	done
	echo "$out"
}
want="closed closed closed closed closed closed "
# counters SOCK: the fields that count these clients
counters() {
	ctl "$1" "show stat" | awk -F, '
	    NR == 1 { sub(/^# /, ""); for (i = 1; i <= NF; i++) n[$i] = i; next }
	    $1 == "nob" || $1 == "nosrv" {
		printf "%s/%s", $1, $2
		split("scur stot econ status lbtot conn_tot", f, " ")
		for (k = 1; k <= 6; k++) printf " %s=%s", f[k], $n[f[k]]
		printf "\n" }'
}
# idle SOCK FILE: counters into FILE, every scur back to 0.  A client
# sees the close before the proxy has ended the session (haproxy's
# stream is freed after its shutdown, maybe on another thread than the
# stats socket's): a reading right after the clients could count it.
idle() { counters "$1" >"$2" && [ -s "$2" ] && ! grep -q 'scur=[^0]' "$2"; }

haproxy -c -f "$T_TMP/nb.cfg" >/dev/null 2>&1
is "$?" 0 "haproxy -c accepts the file"
out=$(hashproxy -c -f "$T_TMP/nb.cfg" 2>&1)
is "$?" 0 "hashproxy -c accepts it"
like "$out" "warning: .*nb.cfg:10: frontend nob: no default_backend and no use_backend: its clients are closed at once" \
    "with a warning naming file:line"

haproxy -f "$T_TMP/nb.cfg" -db >>"$T_TMP/ha.log" 2>&1 &
ha=$!
cleanup_push "kill $ha"
ok "haproxy runs the file" wait_for 10 ha_answers "$T_TMP/px.sock"
is "$(clients)" "$want" "haproxy closes every client at once"
wait_for 5 idle "$T_TMP/px.sock" "$T_TMP/ha.cnt"
ha_counters=$(cat "$T_TMP/ha.cnt")
like "$ha_counters" "nob/FRONTEND scur=0 stot=3 " "haproxy counts them as sessions"
kill "$ha"
wait "$ha" 2>/dev/null
wait_for 10 eval '! _hp_port_open 127.0.0.1 "$a"'

ok "hashproxy runs the same file" hp_start "$T_TMP/nb.cfg"
is "$(clients)" "$want" "hashproxy closes every client at once"
wait_for 5 idle "$T_TMP/hp.sock" "$T_TMP/hp.cnt"
is "$(cat "$T_TMP/hp.cnt")" "$ha_counters" \
    "show stat counts them in the fields haproxy does"
done_testing
