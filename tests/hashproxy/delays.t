#!/bin/bash
# SPDX-License-Identifier: ISC
# The delays of keywords hashproxy ignores (hard-stop-after,
# max-spread-checks, tcp-ut on bind and server, agent-inter) and the stats
# socket's octal mode, each file given to haproxy -c and hashproxy -c:
# what haproxy 2.6 refuses ("12abc", no value, past its timer, agent-inter
# 0, a mode that is no octal number) hashproxy refuses too, naming
# file:line and the keyword; what haproxy takes, hashproxy takes.
. "$(dirname "$0")/../lib/tap.sh"

command -v haproxy >/dev/null || cannot_run "haproxy is not installed"
d=$T_TMP

# cfg GLOBAL BIND SERVER: a file with those words on three lines
cfg() {
	cat >"$d/t.cfg" <<C
global
    $1
defaults
    mode tcp
    timeout connect 1s
    timeout client 1s
    timeout server 1s
listen l
    bind 127.0.0.1:18080 $2
    balance source
    server s1 127.0.0.1:18081 $3
C
}

# verdict DESC LINE KW GLOBAL BIND SERVER: "ok" both take it, else both
# refuse it and hashproxy names t.cfg:LINE and KW
verdict() {
	local desc=$1 line=$2 kw=$3 h x; shift 3
	cfg "$@"
	haproxy -c -f "$d/t.cfg" >"$d/ha.out" 2>&1; h=$?
	hashproxy -c -f "$d/t.cfg" >"$d/hp.out" 2>&1; x=$?
	if [ "$line" = ok ]; then
		is "$h/$x" "0/0" "$desc: haproxy and hashproxy take it" ||
			diag "$(grep -h 'ALERT\|error' "$d/ha.out" "$d/hp.out")"
		return
	fi
	ok "$desc: haproxy refuses it ($h)" test "$h" != 0
	is "$x" 2 "$desc: hashproxy refuses it"
	like "$(cat "$d/hp.out")" "t\.cfg:$line: .*$kw" \
	    "$desc: hashproxy names t.cfg:$line and $kw"
}

for v in 12abc 99999999999 '' ; do
	verdict "hard-stop-after '$v'" 2 hard-stop-after "hard-stop-after $v" "" ""
	verdict "max-spread-checks '$v'" 2 max-spread-checks "max-spread-checks $v" "" ""
	verdict "bind tcp-ut '$v'" 9 tcp-ut "" "tcp-ut $v" ""
	verdict "server tcp-ut '$v'" 11 tcp-ut "" "" "tcp-ut $v"
	verdict "agent-inter '$v'" 11 agent-inter "" "" "agent-inter $v"
done
verdict "agent-inter 0" 11 agent-inter "" "" "agent-inter 0"
# the server's own delays: haproxy's timers hold INT_MAX ms
for kw in inter fastinter downinter slowstart; do
	verdict "$kw 2147483648" 11 $kw "" "" "$kw 2147483648"
	verdict "$kw 2147483647" ok - "" "" "$kw 2147483647"
done
for v in 0 250 10s 2m; do
	verdict "hard-stop-after $v" ok - "hard-stop-after $v" "" ""
	verdict "max-spread-checks $v" ok - "max-spread-checks $v" "" ""
	verdict "bind tcp-ut $v" ok - "" "tcp-ut $v" ""
	verdict "server tcp-ut $v" ok - "" "" "tcp-ut $v"
done
verdict "agent-inter 2s" ok - "" "" "agent-inter 2s"

# the stats socket's mode: octal, 0..0777, no trailing garbage
for v in 12abc 9 0x1 ''; do
	verdict "stats socket mode '$v'" 2 mode \
	    "stats socket $d/s.sock mode $v" "" ""
done
for v in 600 0660 +600; do
	verdict "stats socket mode $v" ok - "stats socket $d/s.sock mode $v" "" ""
done
done_testing
