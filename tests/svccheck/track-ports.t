#!/bin/bash
# SPDX-License-Identifier: ISC
# Track script lines that ask for a port (nc -z, bash's /dev/tcp, ss and
# netstat greps: the corpus's forms) beside svccheck --listen, over the
# sockets they tell apart.  In a network namespace of its own, so no other
# test's socket is seen; where an original says otherwise the reason is the
# one the MIGRATION table of man/svccheck.1 gives.
TRACK_NETNS=1
. "$(dirname "$0")/track-lib.sh"

ip link set lo up
# TEST-NET-1, on this namespace's loopback only: the corpus's service address
ip addr add 192.0.2.10/24 dev lo
P=$(free_port)

SOCKD='import ctypes, socket, sys, time
name, kind, addr, port, ready = sys.argv[1:]
ctypes.CDLL(None).prctl(15, name.encode(), 0, 0, 0)
fam = socket.AF_INET6 if ":" in addr else socket.AF_INET
s = socket.socket(fam, socket.SOCK_DGRAM if kind == "udp" else socket.SOCK_STREAM)
if fam == socket.AF_INET6:
    s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, kind == "v6only")
s.bind((addr, int(port)))
if kind != "udp" and kind != "bound":
    s.listen()
open(ready, "w").close()
time.sleep(1000)'
sockd() {	# sockd NAME KIND ADDR: a process NAME holding the socket; pid in S
	rm -f "$T_TMP/ready"
	python3 -c "$SOCKD" "$1" "$2" "$3" "$P" "$T_TMP/ready" >/dev/null 2>&1 &
	S=$!
	PIDS+=("$S")
	wait_for 5 test -e "$T_TMP/ready"
}

# connects SITUATION WANT: nc -z and /dev/tcp to 127.0.0.1 say WANT, as
# svccheck --listen 127.0.0.1:PORT does
connects() {
	svc "$1" "$2" --listen "127.0.0.1:$P"
	compare "$1" "$2" "nc -z 127.0.0.1 $P" "$2"
	compare "$1" "$2" "bash -c '</dev/tcp/127.0.0.1/$P'" "$2"
}
NEVER="ss writes [::]:PORT (or *:PORT, dual-stack), never :::PORT: the line always fails"
WILD="a socket on 0.0.0.0 serves 192.0.2.10 too; ss's src filter wants the address itself"
# ss6 SITUATION WANT ORIG [WHY]: ss -ltn | grep ':::PORT ' against
# svccheck --listen [::]:PORT
ss6() {
	svc "$1" "$2" --listen "[::]:$P"
	compare "$1" "$2" "ss -ltn | grep ':::$P '" "$3" "$4"
}
# sssrc SITUATION WANT ORIG [WHY]: ss -ltn 'src 192.0.2.10' | grep ':PORT '
sssrc() {
	svc "$1" "$2" --listen "192.0.2.10:$P"
	compare "$1" "$2" "ss -ltn 'src 192.0.2.10' | grep ':$P '" "$3" "$4"
}

connects "nothing bound" 1
ss6 "nothing bound" 1 1
sssrc "nothing bound" 1 1
sockd web bound 127.0.0.1
connects "bound, not listening" 1
stop "$S"
sockd web listen 127.0.0.1
connects "listening on 127.0.0.1" 0
sssrc "listening on 127.0.0.1" 1 1
kill -STOP "$S"
connects "listening, its process stopped (kill -STOP)" 0
kill -CONT "$S"; stop "$S"
sockd web listen 127.0.0.2
connects "listening on 127.0.0.2 only" 1
stop "$S"
sockd web listen 0.0.0.0
connects "listening on 0.0.0.0" 0
ss6 "listening on 0.0.0.0" 1 1
sssrc "listening on 0.0.0.0" 0 1 "$WILD"
stop "$S"
sockd web listen 192.0.2.10
connects "listening on 192.0.2.10" 1
sssrc "listening on 192.0.2.10" 0 0
stop "$S"
sockd web listen ::
connects "listening on [::], dual-stack" 0
ss6 "listening on [::], dual-stack" 0 1 "$NEVER"
sssrc "listening on [::], dual-stack" 0 1 "$WILD"
stop "$S"
sockd web v6only ::
connects "listening on [::], IPV6_V6ONLY" 1
ss6 "listening on [::], IPV6_V6ONLY" 0 1 "$NEVER"
stop "$S"

# netstat -atunp | grep rsyslogd | grep '0.0.0.0:514', as ss (the corpus's
# netstat is net-tools', which Debian no longer installs; ss -p shows the
# same owner and address): rsyslogd holds a socket bound to 0.0.0.0:PORT
SYSLOG="ss -atunp | grep rsyslogd | grep '0.0.0.0:$P'"
# owns SITUATION WANT ORIG [WHY]
owns() {
	svc "$1" "$2" --own --listen "0.0.0.0:$P/udp" rsyslogd
	compare "$1" "$2" "$SYSLOG" "$3" "$4"
}
owns "nothing runs" 1 1
sockd rsyslogd udp 0.0.0.0
owns "rsyslogd on udp 0.0.0.0" 0 0
stop "$S"
sockd rsyslogd udp 127.0.0.1
owns "rsyslogd on udp 127.0.0.1 only" 1 1
stop "$S"
sockd rsyslogd bound 0.0.0.0; R=$S
sockd other udp 0.0.0.0
owns "rsyslogd runs, another program holds udp 0.0.0.0" 1 1
stop "$S" "$R"
sockd rsyslogd listen 0.0.0.0
owns "rsyslogd on tcp 0.0.0.0, udp asked" 1 0 \
    "the line takes either protocol; svccheck the one given (/udp, /tcp)"
stop "$S"
done_testing
