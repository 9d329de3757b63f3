#!/bin/bash
# SPDX-License-Identifier: ISC
# haproxy's "ipv4@" and "ipv6@" address prefixes on bind, server and
# source: the same files to haproxy -c and hashproxy -c, taken or refused
# alike; unix sockets refused saying so; then hashproxy running one: ipv6@ with no host listens on the
# IPv6 wildcard, where a bare ":PORT" is IPv4's, and a client
# reaches a server named with ipv4@.  (Whether that socket takes IPv4
# clients too is net.ipv6.bindv6only's, for both.)
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/hp.sh"

command -v haproxy >/dev/null || cannot_run "haproxy is not installed"
command -v curl >/dev/null || cannot_run "curl is not installed"
ip -6 addr show lo 2>/dev/null | grep -q 'inet6 ::1/' ||
    cannot_run "no ::1 on lo"

sp=$(free_port)
hp_backend one 127.0.0.62 "$sp"
f4=$(free_port)
f6=$(free_port)

preamble() {	# the defaults every file starts with
	printf 'defaults\n    mode tcp\n    timeout connect 2s\n'
	printf '    timeout client 30s\n    timeout server 30s\n'
}
{
	preamble
	cat <<EOF
frontend fe
    bind ipv4@127.0.0.1:$f4
    bind ipv6@:$f6
    default_backend be
backend be
    server one ipv4@127.0.0.62:$sp check source ipv4@127.0.0.1
    server six ipv6@[::1]:$sp disabled
EOF
} >"$T_TMP/ok.cfg"
out=$(haproxy -c -f "$T_TMP/ok.cfg" 2>&1)
is "$?" 0 "haproxy 2.6 takes ipv4@ and ipv6@ on bind, server and source" ||
    diag "$out"
out=$(hashproxy -c -f "$T_TMP/ok.cfg" 2>&1)
is "$?" 0 "hashproxy takes them too" || diag "$out"

# a literal of the other family: both refuse, hashproxy with file:line
n=0
for line in "bind ipv4@::1:$f4" "bind ipv6@127.0.0.1:$f4" \
    "server s ipv6@127.0.0.62:$sp"; do
	n=$((n + 1))
	{ preamble; printf 'listen l%d\n    bind 127.0.0.1:%d\n    %s\n' \
	    "$n" "$f4" "$line"; } >"$T_TMP/bad$n.cfg"
	haproxy -c -f "$T_TMP/bad$n.cfg" >/dev/null 2>&1
	h=$?
	out=$(hashproxy -c -f "$T_TMP/bad$n.cfg" 2>&1)
	x=$?
	is "$h/$x" "1/2" "\"$line\": haproxy and hashproxy refuse it"
	like "$out" "bad$n.cfg:8: " "\"$line\": file:line"
done

# unix sockets: haproxy takes them, hashproxy (TCP over IP) refuses them
# saying so; a bare path on a server line was read as a host name
for line in "bind unix@$T_TMP/a.sock" "bind $T_TMP/b.sock" \
    "server s unix@$T_TMP/c.sock" "server s $T_TMP/d.sock"; do
	n=$((n + 1))
	{ preamble; printf 'listen l%d\n    bind 127.0.0.1:%d\n    %s\n' \
	    "$n" "$f4" "$line"; } >"$T_TMP/bad$n.cfg"
	haproxy -c -f "$T_TMP/bad$n.cfg" >/dev/null 2>&1
	h=$?
	out=$(hashproxy -c -f "$T_TMP/bad$n.cfg" 2>&1)
	x=$?
	is "$h/$x" "0/2" "\"${line/$T_TMP\//}\": haproxy takes it, hashproxy refuses it"
	like "$out" "bad$n.cfg:8: .*a unix socket: not supported" \
	    "\"${line/$T_TMP\//}\": file:line, saying why"
done

hp_start "$T_TMP/ok.cfg"
is "$(curl -sf --max-time 5 "http://127.0.0.1:$f4/")" one \
    "a client reaches the server at ipv4@127.0.0.62 through ipv4@127.0.0.1"
is "$(curl -sf --max-time 5 -g "http://[::1]:$f6/")" one \
    "bind ipv6@:PORT listens on the IPv6 wildcard"
done_testing
