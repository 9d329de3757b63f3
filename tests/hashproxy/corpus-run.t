#!/bin/bash
# SPDX-License-Identifier: ISC
# The corpus (tests/hashproxy/corpus/) run, not only checked: each file
# both haproxy -c and hashproxy -c accept (MANIFEST's "accept"), and one
# of this test's own (agent.cfg below), made local by corpus-run.py
# (binds on 127.0.0.1 and free ports, servers and their check and agent
# addresses on 127.0.0.1 and one port where a silent server holds every
# connection, stats socket under $T_TMP, no user, group, chroot, daemon
# or global log), run by both daemons at once; then "show stat" and "show
# servers state" agree in every column the config decides (corpus-run.py's
# STAT and STATE).  The rewrite also makes inter, agent-inter and timeout
# check an hour: no check has a result (only an L4 check passes, which
# changes no column compared), so the answers are the config's, not a
# race's.  A global maxconn above 4000 is 4000: neither starts when the
# file limit cannot hold twice it (haproxy's strict-limits,
# maxconn-auto.t).
#
# Left out, as hashproxy does not do it by design (man page):
#   cookie     "no persistence cookies would be set" (haproxy shows a tcp
#              backend's cookie and its servers' in the column)
#   mode http  "mode http is a warning: such a proxy is proxied at L4";
#              the rows say tcp
# Left out, known differences outside the config, reported to the owner
# of the file named:
#   slim of a FRONTEND or BACKEND when the file sets no global maxconn:
#              the maxconn derived from the file limit is 1 to 3 off
#              haproxy's (limits.c)
. "$(dirname "$0")/../lib/tap.sh"

command -v haproxy >/dev/null || cannot_run "haproxy is not installed"
dir=$T_TOP/tests/hashproxy/corpus
run=$T_TOP/tests/hashproxy/corpus-run.py

files=()
while IFS=$'\t' read -r f verdict _; do
	[ "$verdict" = accept ] && files+=("$f")
done <"$dir/MANIFEST"
ok "at least 20 files both accept (${#files[@]})" test "${#files[@]}" -ge 20

# haproxy 2.6: "port" is the agent's port too until an agent-port, here
# or on default-server; an agent-check needs no agent-port then; "show
# servers state" shows that port with no agent-check too (d, e, f)
cat >"$T_TMP/agent.cfg" <<EOC
frontend fe
    bind :80
    default_backend ag
backend ag
    server a 192.0.2.1:80 check port 81 agent-check
    server b 192.0.2.2:80 port 81 agent-check agent-port 82
    server d 192.0.2.4:80 port 84
    server e 192.0.2.5:80 agent-port 85
    default-server agent-port 83
    server c 192.0.2.3:80 port 81 agent-check
    server f 192.0.2.6:80
# a backend's weight with backups alone: the first's, or all with
# allbackups; the algo haproxy names static-rr, and random "unknown"
backend bk
    balance static-rr
    server b1 192.0.2.7:80 backup weight 5
    server b2 192.0.2.8:80 backup weight 7
backend bka
    balance random
    option allbackups
    server b1 192.0.2.7:80 backup weight 5
    server b2 192.0.2.8:80 backup weight 7
EOC
files+=("$T_TMP/agent.cfg")

# a port each bind (or peer) line, per daemon, in a row
nb=$(cd "$dir" && cat "${files[@]}" | grep -cE '^[[:space:]]*(bind|peer)[[:space:]]')
hpbase=$(free_port "$nb") habase=$(free_port "$nb") hold=$(free_port)

python3 "$run" hold "$hold" >/dev/null 2>&1 &
cleanup_push "kill $!"
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
wait_for 5 port_open "$hold" || bail "the holding server did not listen"

(cd "$dir" && python3 "$run" rewrite "$T_TMP" "$hold" "$hpbase" "$habase" \
    "${files[@]}") || bail "rewrite failed"

# every daemon started at once, without DNS; their pids in $T_TMP/pids
start_all() {
	local i
	for i in "${!files[@]}"; do
		haproxy -db -f "$T_TMP/ha.$i.cfg" >"$T_TMP/ha.$i.log" 2>&1 &
		echo $!
		hashproxy -f "$T_TMP/hp.$i.cfg" >"$T_TMP/hp.$i.log" 2>&1 &
		echo $!
	done >"$T_TMP/pids"
}
# (the function as text: no_dns's sh drops exported functions)
no_dns bash -c "$(declare -p files T_TMP; declare -f start_all); start_all"
cleanup_push 'kill $(cat "$T_TMP/pids") 2>/dev/null'

args=()
for i in "${!files[@]}"; do
	args+=("${files[$i]}" "$T_TMP/hp.$i.cfg" "$T_TMP/hp.$i.sock" "$T_TMP/ha.$i.sock")
done
out=$(python3 "$run" compare "${args[@]}")
ok "corpus-run.py compare ran to its end" test $? = 0
for f in "${files[@]}"; do
	d=$(awk -v f="$f: " 'index($0, f) == 1' <<<"$out")
	f=${f##*/}
	ok "$f: both answered" grep -qE ': [1-9][0-9]* objects compared$' <<<"$d"
	is "$(grep -v ' objects compared$' <<<"$d")" "" \
	    "$f: show stat and show servers state as haproxy's"
done
done_testing
