#!/bin/bash
# SPDX-License-Identifier: ISC
# svccheck --listen: real listeners (socat) on 127.0.0.1 / ::1, compared
# with what ss(8) reports from the same kernel tables.
. "$(dirname "$0")/../lib/tap.sh"

PIDS=()
cleanup_push 'kill "${PIDS[@]}" 2>/dev/null'
rc() { "$@" >/dev/null 2>&1; echo $?; }
serve() {	# serve SOCAT-ADDRESS: a listener in the background, pid in $P
	socat -u "$1" - </dev/null >/dev/null 2>&1 &
	P=$!
	PIDS+=("$P")
}
ss_has() {	# ss_has -ltn|-lun PORT
	[ -n "$(ss -H "$1" "( sport = :$2 )" 2>/dev/null)" ]
}

p=$(free_port)
is "$(rc svccheck --listen "127.0.0.1:$p")" 1 "nothing on $p: 1"
is "$(svccheck --listen "127.0.0.1:$p")" "down 127.0.0.1:$p" "down line"

serve "TCP-LISTEN:$p,bind=127.0.0.1,reuseaddr"; TCP=$P
wait_for 10 ss_has -ltn "$p"
ok "(ss -ltn sees the listener)" ss_has -ltn "$p"
is "$(svccheck --listen "127.0.0.1:$p")" "up 127.0.0.1:$p sockets=1" \
    "TCP listener on 127.0.0.1:$p: up"
is "$(rc svccheck --listen "$p")" 0 "bare port: any address"
is "$(rc svccheck --listen "*:$p/tcp")" 0 "*:PORT/tcp"
is "$(rc svccheck --listen "127.0.0.2:$p")" 1 "bound to 127.0.0.1 only: 127.0.0.2 is 1"
is "$(rc svccheck --listen "$p/udp")" 1 "no UDP socket there: 1"
is "$(rc svccheck --listen "127.0.0.1:$p" --listen "$p/udp")" 1 \
    "all conditions must hold"
is "$(rc svccheck --any --listen "127.0.0.1:$p" --listen "$p/udp")" 0 \
    "--any: one is enough"
# a connected client is not a listener
socat -u "TCP:127.0.0.1:$p" - </dev/null >/dev/null 2>&1 &
kill "$TCP"; wait "$TCP" 2>/dev/null
wait_for 10 sh -c "! ss -Hltn '( sport = :$p )' | grep -q ."
is "$(rc svccheck --listen "127.0.0.1:$p")" 1 "listener gone: 1"
ok "(ss -ltn agrees)" test -z "$(ss -Hltn "( sport = :$p )")"

p=$(free_port)
serve "TCP-LISTEN:$p,bind=0.0.0.0,reuseaddr"
wait_for 10 ss_has -ltn "$p"
is "$(rc svccheck --listen "127.0.0.9:$p")" 0 "0.0.0.0 covers 127.0.0.9"

p=$(free_port)
serve "UDP-RECV:$p,bind=127.0.0.1"; UDP=$P
wait_for 10 ss_has -lun "$p"
ok "(ss -lun sees the UDP socket)" ss_has -lun "$p"
is "$(rc svccheck --listen "127.0.0.1:$p/udp")" 0 "bound UDP socket: up"
is "$(rc svccheck --listen "127.0.0.1:$p")" 1 "the same port in TCP: 1"
kill "$UDP"; wait "$UDP" 2>/dev/null
wait_for 10 sh -c "! ss -Hlun '( sport = :$p )' | grep -q ."
is "$(rc svccheck --listen "127.0.0.1:$p/udp")" 1 "UDP socket closed: 1"

if lo_has_ipv6; then
	p=$(free_port)
	serve "TCP6-LISTEN:$p,bind=[::1],ipv6only=1,reuseaddr"
	wait_for 10 ss_has -ltn "$p"
	is "$(rc svccheck --listen "[::1]:$p")" 0 "IPv6 listener on [::1]"
	is "$(rc svccheck --listen "127.0.0.1:$p")" 1 "... not on 127.0.0.1"
	p=$(free_port)
	serve "TCP6-LISTEN:$p,bind=[::],ipv6only=0,reuseaddr"
	wait_for 10 ss_has -ltn "$p"
	is "$(rc svccheck --listen "127.0.0.1:$p")" 0 "dual-stack [::] covers 127.0.0.1"
	p=$(free_port)
	serve "TCP6-LISTEN:$p,bind=[::],ipv6only=1,reuseaddr"
	wait_for 10 ss_has -ltn "$p"
	is "$(rc svccheck --listen "127.0.0.1:$p")" 1 "v6only [::] does not"
	is "$(rc svccheck --listen "[::1]:$p")" 0 "... but covers [::1]"
else
	skip_optional 5 "no IPv6 on lo"
fi
out=$(svccheck --nagios --listen "127.0.0.1:$p/udp"); r=$?
is "$r" 2 "--nagios --listen CRITICAL: 2"
is "$out" "SVCCHECK CRITICAL - 127.0.0.1:$p/udp: not listening | '127.0.0.1:$p/udp'=0;;1:;0" \
    "--nagios line for a port"
done_testing
