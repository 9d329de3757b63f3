#!/bin/bash
# SPDX-License-Identifier: ISC
# ACLs on the backends' state beside the real haproxy 2.6, on one config:
# nbsrv([BACKEND]) and srv_is_up([BACKEND/]SERVER) (configuration.txt
# 7.3.2).  The failover pattern "use_backend backup if { nbsrv(primary)
# lt 1 }": clients reach the backup backend once no primary server is
# usable (down after its check, draining, or in maintenance), and come
# back.  srv_is_up counts a draining server as up, one down or in
# maintenance as not.  argocd's Redis Sentinel pattern: use-server R0 if
# { srv_is_up(R0) } { nbsrv(check_R0) ge 2 }, the clients moving to R1
# once check_R0 has one server left.  nbsrv with backup servers and
# allbackups.  be_conn, queue, avg_queue, srv_conn, srv_queue with quiet
# clients queued behind a maxconn 1 server; be_conn counting the
# connection a backend's content rule judges; connslots from maxconn and
# maxqueue.  A reload that numbers the backends anew (hashproxy alone).
# haproxy -c and hashproxy -c agree on bad arguments.  Before, hashproxy
# refused every one of these criteria.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/hp.sh"
command -v haproxy >/dev/null || cannot_run "haproxy is not installed"

sp=$(free_port)
hp_backend p1 127.0.0.101 "$sp"
hp_backend p2 127.0.0.102 "$sp"
hp_backend bk 127.0.0.103 "$sp"
hp_backend R0 127.0.0.104 "$sp"
hp_backend R1 127.0.0.105 "$sp"
hp_backend c0a 127.0.0.106 "$sp"
hp_backend c0b 127.0.0.107 "$sp"
hp_backend c1a 127.0.0.108 "$sp"
hp_backend c1b 127.0.0.109 "$sp"

cfg() {
	cat <<EOC
defaults
    mode tcp
    timeout connect 1s
    timeout client 5s
    timeout server 5s
    default-server inter 100ms fall 1 rise 1
frontend fe
    bind 127.0.0.1:$1
    use_backend backup if { nbsrv(primary) lt 1 }
    default_backend primary
frontend fe2
    bind 127.0.0.1:$2
    acl p1_up srv_is_up(primary/p1)
    use_backend backup unless p1_up
    default_backend primary
backend primary
    server p1 127.0.0.101:$sp check
    server p2 127.0.0.102:$sp check
backend backup
    server bk 127.0.0.103:$sp
listen redis
    bind 127.0.0.1:$3
    balance roundrobin
    use-server R0 if { srv_is_up(R0) } { nbsrv(check_R0) ge 2 }
    use-server R1 if { srv_is_up(R1) } { nbsrv(check_R1) ge 2 }
    server R0 127.0.0.104:$sp
    server R1 127.0.0.105:$sp
backend check_R0
    server c0a 127.0.0.106:$sp check
    server c0b 127.0.0.107:$sp check
backend check_R1
    server c1a 127.0.0.108:$sp check
    server c1b 127.0.0.109:$sp check
frontend fe4
    bind 127.0.0.1:$4
    use_backend backup if { nbsrv(pb) eq 1 }
    default_backend pb
backend pb
    server a1 127.0.0.101:$sp
    server a2 127.0.0.102:$sp
    server b1 127.0.0.104:$sp backup
    server b2 127.0.0.105:$sp backup
frontend fe5
    bind 127.0.0.1:$5
    use_backend backup if { nbsrv(pball) eq 1 }
    default_backend pball
backend pball
    option allbackups
    server a1 127.0.0.101:$sp
    server b1 127.0.0.104:$sp backup
    server b2 127.0.0.105:$sp backup
frontend fe6
    bind 127.0.0.1:$6
    timeout client 1m
    use_backend backup if { be_conn(busy) ge 3 }
    default_backend busy
frontend fe7
    bind 127.0.0.1:$7
    use_backend backup if { queue(busy) ge 2 }
    default_backend busy
frontend fe8
    bind 127.0.0.1:$8
    use_backend backup if { srv_conn(busy/s) eq 1 } { srv_queue(busy/s) eq 0 }
    default_backend busy
backend busy
    timeout server 1m
    timeout queue 1m
    server s 127.0.0.101:$sp maxconn 1
frontend fe10
    bind 127.0.0.1:${10}
    use_backend backup if { avg_queue(busy) eq 2 }
    default_backend busy
frontend fe11
    bind 127.0.0.1:${11}
    default_backend gate2
backend gate2
    tcp-request content reject if { be_conn ge 1 }
    server g 127.0.0.103:$sp
frontend fe12
    bind 127.0.0.1:${12}
    use_backend backup if { connslots(slots) eq 5 }
    default_backend slots
backend slots
    server s 127.0.0.101:$sp maxconn 2 maxqueue 1
    server t 127.0.0.101:$sp maxconn 1 maxqueue 1
frontend fe13
    bind 127.0.0.1:${13}
    use_backend backup if { connslots(slots2) lt 0 }
    default_backend slots2
backend slots2
    server s 127.0.0.101:$sp maxconn 2 maxqueue 1
    server t 127.0.0.101:$sp maxconn 1
frontend fe9
    bind 127.0.0.1:$9
    default_backend gate
backend gate
    tcp-request content reject if { nbsrv(pb) lt 1 }
    server g 127.0.0.103:$sp
EOC
}
hp_cfgs 13
hp_both_start

src=(127.0.5.1 127.0.5.2 127.0.5.3 127.0.5.4)
# answers PORT: where the clients of src went, "NAME=COUNT ...", the
# names in sort's order ("" for no answer).  The testclient map_of runs,
# the counting in the shell: a sed, an awk, a sort, a uniq, an awk and an
# xargs an answer were most of the test's processes (~1,000)
printf '%s\n' "${src[@]}" >"$T_TMP/src"
answers() {
	local s n k i j out=()
	local -a names=()
	local -A c=()
	"$HP_CLIENT" 127.0.0.1 "$1" "$T_TMP/src" >"$T_TMP/answers.$1"
	while read -r s n _; do
		[ "$n" = - ] && n=	# testclient's "no answer"
		[ -n "${c[x$n]}" ] || names+=("$n")
		c[x$n]=$((${c[x$n]:-0} + 1))
	done <"$T_TMP/answers.$1"
	# [[ > ]] collates as sort does, in the locale's order
	for ((i = 1; i < ${#names[@]}; i++)); do
		k=${names[i]}
		for ((j = i - 1; j >= 0; j--)); do
			[[ ${names[j]} > $k ]] || break
			names[j + 1]=${names[j]}
		done
		names[j + 1]=$k
	done
	for k in "${names[@]}"; do out+=("$k=${c[x$k]}"); done
	echo "${out[*]}"
}
# both_answer N WANT: frontend N of each proxy sends the clients to WANT
both_answer() {
	[ "$(answers "${HP_PORTS[$1]}")" = "$2" ] && [ "$(answers "${HA_PORTS[$1]}")" = "$2" ]
}
# check N WANT DESC: waits until both do, then says what each did
check() {
	local n=$1 want=$2 desc=$3
	wait_for 10 both_answer "$n" "$want"
	is "$(answers "${HP_PORTS[$n]}")" "$want" "hp: $desc"
	is "$(answers "${HA_PORTS[$n]}")" "$want" "ha: $desc"
}
both() { ctl "$T_TMP/hp.sock" "$1" >/dev/null; ctl "$T_TMP/ha.sock" "$1" >/dev/null; }
# primary: the clients on p1 and p2 (balance roundrobin, any share)
on_primary() { [[ "$(answers "${HP_PORTS[$1]}")" =~ ^(p1=[0-9]+ ?)?(p2=[0-9]+)?$ ]] &&
    [[ "$(answers "${HA_PORTS[$1]}")" =~ ^(p1=[0-9]+ ?)?(p2=[0-9]+)?$ ]]; }

ok "fe: both primary servers up: nbsrv(primary) is 2, the clients on primary" on_primary 0
ok "fe2: p1 up: the clients on primary" on_primary 1
check 2 "R0=4" "redis: R0 up, check_R0 has 2 servers: use-server R0"

# the Redis pattern: check_R0 down to one server, R1's rule holds
hp_backend_kill c0a
check 2 "R1=4" "redis: nbsrv(check_R0) is 1 (c0a down): use-server R1"
hp_backend c0a 127.0.0.106 "$sp"
check 2 "R0=4" "redis: c0a back: use-server R0 again"
both "disable server redis/R0"
check 2 "R1=4" "redis: R0 in maintenance: use-server R1, the next rule"
both "enable server redis/R0"
check 2 "R0=4" "redis: R0 ready: back on R0"

# the failover pattern, one primary server at a time
hp_backend_kill p1
check 0 "p2=4" "fe: p1 down: nbsrv(primary) is 1, primary still"
check 1 "bk=4" "fe2: p1 down: srv_is_up(primary/p1) false, backup"
both "set server primary/p2 state drain"
check 0 "bk=4" "fe: p2 draining, p1 down: nbsrv(primary) is 0, backup"
hp_backend p1 127.0.0.101 "$sp"
check 0 "p1=4" "fe: p1 up again: nbsrv(primary) is 1, primary"
check 1 "p1=4" "fe2: p1 up again: primary"
both "set server primary/p1 state drain"
both "set server primary/p2 state ready"
check 1 "p2=4" "fe2: p1 draining is up to srv_is_up: primary (p2 takes them)"
both "disable server primary/p1"
check 1 "bk=4" "fe2: p1 in maintenance: srv_is_up false, backup"
check 0 "p2=4" "fe: p1 in maintenance, p2 ready: nbsrv(primary) is 1"
both "disable server primary/p2"
check 0 "bk=4" "fe: both in maintenance: nbsrv(primary) is 0, backup"
both "enable server primary/p1"
both "enable server primary/p2"
ok "fe: both ready: primary again" wait_for 10 on_primary 0

# backups: with no active server left, nbsrv is 1 (the first backup
# takes every client), or the usable backups under option allbackups
ok "fe4: two active servers: nbsrv(pb) is 2, pb" on_primary 3
check 8 "bk=4" "fe9: a backend's content rule, nbsrv(pb) is 2: gate takes them"
both "disable server pb/a1"
check 3 "bk=4" "fe4: one active left: nbsrv(pb) is 1, backup"
both "disable server pb/a2"
check 3 "bk=4" "fe4: no active, two backups: nbsrv(pb) is 1 still"
both "disable server pb/b1"
both "disable server pb/b2"
check 3 "=4" "fe4: nothing usable: nbsrv(pb) is 0, pb, which answers nobody"
check 8 "=4" "fe9: nbsrv(pb) lt 1: gate's content rule rejects them (a frontend with no rules)"
both "disable server pball/a1"
check 4 "R0=2 R1=2" "fe5: allbackups: nbsrv(pball) is 2, the two backups of pball"
both "disable server pball/b2"
check 4 "bk=4" "fe5: one backup left: nbsrv(pball) is 1, backup"

# be_conn, queue, srv_conn, srv_queue: three quiet clients of fe6 on busy,
# whose one server takes one at a time (haproxy queues the others in the
# backend: balance roundrobin)
for n in 5 6; do check $n "p1=4" "fe$((n + 1)): busy has no client: busy"; done
# connslots: free connection and queue slots of the servers not stopped
check 11 "bk=4" "fe12: connslots(slots) is 2+1 + 1+1: backup"
both "disable server slots/t"
check 11 "p1=4" "fe12: t in maintenance: connslots(slots) is 3, slots"
check 12 "bk=4" "fe13: a server with no maxqueue: connslots(slots2) is -1, backup"

# in a backend's content rules the connection counts in its be_conn
check 10 "=4" "fe11: gate2's be_conn ge 1 holds for the connection it judges: rejected"
mkfifo "$T_TMP/hold"
exec 7<>"$T_TMP/hold"
echo 127.0.6.1 >"$T_TMP/idle.src"
for p in "${HP_PORTS[5]}" "${HA_PORTS[5]}"; do
	# without fd 7: the fifo ends for them once the test closes it
	python3 "$T_TOP/tests/hashproxy/idle-clients.py" 127.0.0.1 "$p" 3 \
	    "$T_TMP/idle.src" <"$T_TMP/hold" >/dev/null 7>&- &
	cleanup_push "kill $!"
done
check 5 "bk=4" "fe6: three clients on busy (one served, two queued): be_conn(busy) ge 3, backup"
check 6 "bk=4" "fe7: queue(busy) is 2: backup"
check 9 "bk=4" "fe10: avg_queue(busy) is 2 (two queued, one usable server): backup"
check 7 "bk=4" "fe8: srv_conn(busy/s) is 1, srv_queue(busy/s) 0 (the queue is the backend's): backup"
exec 7>&-
check 5 "p1=4" "fe6: the quiet clients gone: be_conn(busy) is 0, busy"
check 6 "p1=4" "fe7: queue(busy) is 0: busy"
check 9 "p1=4" "fe10: avg_queue(busy) is 0: busy"

# --lookup reads the state at start: every server up, no check run yet
is "$(printf '%s\n' "${src[@]}" | hashproxy -f "$T_TMP/hp.cfg" --lookup - |
    awk '{ print $2 }' | sort -u | xargs)" "p1 p2" "--lookup: nbsrv(primary) is 2, primary"

# a reload that numbers the backends anew: the rules read the right ones
cfg "${HP_PORTS[@]}" | sed "0,/^frontend fe\$/s//backend first\n    server f1 127.0.0.103:$sp\nfrontend fe/" >"$T_TMP/hp.cfg"
ok "the new config has a backend before the others" grep -q '^backend first' "$T_TMP/hp.cfg"
kill -HUP "$HP_PID"
ok "hashproxy reloads" wait_for 10 grep -q '^reload result=ok' "$T_TMP/hp.ev"
hp_answers() { [ "$(answers "${HP_PORTS[$1]}")" = "$2" ]; }
ctl "$T_TMP/hp.sock" "disable server primary/p1" >/dev/null
ctl "$T_TMP/hp.sock" "disable server primary/p2" >/dev/null
ok "reloaded, primary in maintenance: nbsrv(primary) is 0, backup" wait_for 10 hp_answers 0 "bk=4"
ctl "$T_TMP/hp.sock" "enable server primary/p1" >/dev/null
ok "p1 ready: primary again" wait_for 10 hp_answers 0 "p1=4"
ctl "$T_TMP/hp.sock" "disable server primary/p1" >/dev/null
ok "fe2: p1 in maintenance: srv_is_up(primary/p1) false, backup" wait_for 10 hp_answers 1 "bk=4"

# bad arguments: refused by both, hashproxy with file:line
bad() {
	printf 'defaults\n mode tcp\nfrontend f\n bind 127.0.0.1:1\n %s\n default_backend b\nbackend b\n server s1 127.0.0.1:2\n' \
	    "$1" >"$T_TMP/bad.cfg"
}
for t in "acl x nbsrv(nope) lt 1" "acl x nbsrv lt 1" "acl x nbsrv(f) lt 1" \
    "acl x nbsrv(b) foo" "acl x nbsrv(b,c) 1" "acl x srv_is_up(b/zz)" \
    "acl x srv_is_up(zz/s1)" "acl x srv_is_up(b/)" "acl x srv_is_up" \
    "acl x srv_is_up(s1)" "acl x srv_conn(b/zz) 1" "acl x be_conn(nope) 1" \
    "acl x connslots(b) -- -5:-2" "acl x connslots(b) -1"; do
	bad "$t"
	nok "haproxy -c refuses $t" haproxy -c -q -f "$T_TMP/bad.cfg"
	like "$(hashproxy -c -f "$T_TMP/bad.cfg" 2>&1)" 'bad.cfg:5: .*(nbsrv|srv_|be_conn|acl x)' \
	    "so does hashproxy, with file:line"
done
bad "acl x nbsrv(b) lt 1"
ok "haproxy -c takes nbsrv(b) lt 1" haproxy -c -q -f "$T_TMP/bad.cfg"
ok "so does hashproxy" hashproxy -c -f "$T_TMP/bad.cfg"
for t in "acl x srv_is_up(b/s1)" "acl x connslots(b) eq -1" \
    "acl x avg_queue(b) -- -1" "acl x srv_queue(b/s1) 0:3"; do
	bad "$t"
	ok "haproxy -c takes $t" haproxy -c -q -f "$T_TMP/bad.cfg"
	ok "so does hashproxy" hashproxy -c -f "$T_TMP/bad.cfg"
done
done_testing
