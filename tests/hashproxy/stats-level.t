#!/bin/bash
# SPDX-License-Identifier: ISC
# The stats socket's levels beside haproxy 2.6 (issue #16, #14): several
# "stats socket" lines, each with its level (user, operator, admin; none
# given is operator), mode and owner; the same commands on each socket of
# each proxy get the same answers ("Permission denied" below the level);
# "operator"/"user" lower a session's level, expert-mode and
# experimental-mode are accepted; "set server" health, check-port,
# check-addr, agent, fqdn answered as haproxy; an idle client is closed
# after "stats timeout"; past "stats maxconn" a client gets one line and
# is closed while the others are served; a command that changes state
# logs the client's uid and pid.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/hp.sh"
command -v haproxy >/dev/null || cannot_run "haproxy 2.6 is the reference"
command -v socat >/dev/null || cannot_run "socat is the client"

sp=$(free_port); dead=$(free_port); hfp=$(free_port); afp=$(free_port)
hp_backend s1 127.0.0.21 "$sp"
hp_backend s2 127.0.0.22 "$sp"
mkdir "$T_TMP/hp" "$T_TMP/ha"

# cfg DIR FRONTPORT: the same sockets and proxies for both
cfg() {
	cat >"$1/cfg" <<EOC
global
    stats socket $1/def.sock
    stats socket $1/user.sock level user mode 640
    stats socket $1/op.sock level operator uid 65534 gid 65534
    stats socket $1/adm.sock level admin mode 600
    stats timeout 3s
    stats maxconn 3
defaults
    mode tcp
    timeout connect 1s
    timeout client 30s
    timeout server 30s
frontend web
    bind 127.0.0.1:$2
    default_backend app
backend app
    balance source
    hash-type consistent
    server s1 127.0.0.21:$sp check inter 100ms rise 1 fall 1
    server s2 127.0.0.22:$sp
EOC
}
cfg "$T_TMP/hp" "$hfp"
cfg "$T_TMP/ha" "$afp"
: >"$T_TMP/hp.ready"
hashproxy -f "$T_TMP/hp/cfg" --ready-fd 3 3>"$T_TMP/hp.ready" \
    >>"$T_TMP/hp.ev" 2>>"$T_TMP/hp.err" &
cleanup_push "kill $!"
ok "hashproxy starts with four stats sockets" wait_for 10 test -s "$T_TMP/hp.ready"
haproxy -f "$T_TMP/ha/cfg" -db >>"$T_TMP/ha.log" 2>&1 &
cleanup_push "kill $!"
ok "haproxy starts" wait_for 10 ha_answers "$T_TMP/ha/adm.sock"

for s in user adm; do
	is "$(stat -c '%a %u:%g' "$T_TMP/hp/$s.sock")" \
	    "$(stat -c '%a %u:%g' "$T_TMP/ha/$s.sock")" "$s.sock: haproxy's mode and owner"
done
is "$(stat -c '%U:%G %a' "$T_TMP/hp/op.sock")" "nobody:nogroup 660" "op.sock: uid and gid as given, mode 0660"
is "$(stat -c %a "$T_TMP/hp/def.sock")" 660 "no mode given: 0660 (DESIGN.md)"
s1up() { ctl "$1" "show stat" | grep -q '^app,s1,.*,UP,'; }
ok "s1 is up for hashproxy" wait_for 10 s1up "$T_TMP/hp/adm.sock"
ok "and for haproxy" wait_for 10 s1up "$T_TMP/ha/adm.sock"

# answer DIR SOCK COMMAND: the answer, haproxy's missing last empty line
# and the socket directory made alike
answer() {
	ctl "$1/$2.sock" "$3" | sed "s|$1/|DIR/|g" |
	    awk '{ l[NR] = $0 } END { n = NR; while (n > 0 && l[n] == "") n--;
		for (i = 1; i <= n; i++) print l[i] }'
}
# Each line leaves both proxies as it found them (when admin); ';' runs
# several commands on one connection, and "operator"/"user" last lower
# the level for the rest of the line only.
lines=(
	"show cli level; show cli sockets; get weight app/s2; user; show cli level"
	"operator; show cli level" "user; operator; show cli level"
	"expert-mode; experimental-mode; expert-mode on; expert-mode; experimental-mode on; experimental-mode; expert-mode off; experimental-mode off; expert-mode"
	"disable server app/s2; enable server app/s2; set weight app/s2 10; get weight app/s2; set weight app/s2 1; set server app/s2 weight 1"
	"set server app/s2 state drain; set server app/s2 state ready; set server app/s2 addr 127.0.0.22; shutdown sessions server app/s2"
	"operator; disable server app/s2" "user; get weight app/s2; set weight app/s2 3"
	"set server app/nosuch health up; set server app/s1 health bogus; set server app/s1 health; set server nob/s1 health up"
	"set server app/s2 check-port 81; set server app/s2 check-addr bad; set server app/s2 check-port; set server app/s1 check-port x; set server app/s1 check-port 70000"
	"set server app/s1 check-addr; set server app/s1 check-addr bad; set server app/s1 check-addr 127.0.0.5 port x"
	"set server app/s1 agent up; set server app/s1 agent-send x; set server app/s1 agent-addr 127.0.0.1; set server app/s1 agent-port 99; set server app/s1 agent-addr; set server app/s1 agent-port"
	"set server app/s1 fqdn foo.example; set server app/s1 fqdn; set server app/s1 ssl on; set server app/s1 frob; set server app/s1"
)
# lines whose answers have no empty line inside: haproxy leaves it out
# after some messages; those are compared without their empty lines
flat() { grep -v '^$'; }
for s in def user op adm; do
	for c in "${lines[@]}"; do
		is "$(answer "$T_TMP/hp" "$s" "$c" | flat)" \
		    "$(answer "$T_TMP/ha" "$s" "$c" | flat)" "$s.sock: $c"
	done
done
# user level: show stat leaves the addr column (74) empty
addr() { ctl "$1" "show stat" | awk -F, '$2 == "s1" { print $74 }'; }
for s in user op; do
	is "$(addr "$T_TMP/hp/$s.sock")" "$(addr "$T_TMP/ha/$s.sock")" "$s.sock: show stat's addr as haproxy"
done
is "$(addr "$T_TMP/hp/user.sock")" "" "user.sock: no addr"

# interactive: the level holds for the session
sess() { printf 'prompt\noperator\nshow cli level\ndisable server app/s2\nquit\n' |
    socat -t 5 stdio "unix-connect:$1"; }
is "$(sess "$T_TMP/hp/adm.sock")" "$(sess "$T_TMP/ha/adm.sock")" "prompt session: operator holds"

# --- health, check-port, check-addr do what haproxy does
st() { ctl "$1/adm.sock" "show stat" | awk -F, -v s="$2" '$2 == s { print $18 }'; }
both_st() { [ "$(st "$T_TMP/hp" "$1")" = "$2" ] && [ "$(st "$T_TMP/ha" "$1")" = "$2" ]; }
for d in hp ha; do ctl "$T_TMP/$d/adm.sock" "set server app/s2 health down" >/dev/null; done
ok "health down: s2 (no checks) is DOWN on both" wait_for 10 both_st s2 DOWN
for d in hp ha; do ctl "$T_TMP/$d/adm.sock" "set server app/s2 health up" >/dev/null; done
ok "health up: up again on both" wait_for 10 both_st s2 "no check"
is "$(answer "$T_TMP/hp" adm "set server app/s2 health stopping")" \
    "'set server <srv> health stopping' is not supported by hashproxy (no stopping state; 'set server <srv> state drain' is the nearest)." \
    "health stopping: refused (no stopping state)"
for d in hp ha; do ctl "$T_TMP/$d/adm.sock" "set server app/s1 check-addr 127.0.0.29 port $dead" >/dev/null; done
ok "check-addr to a dead port: s1 DOWN on both" wait_for 10 both_st s1 DOWN
chk() { ctl "$1/adm.sock" "show servers state app" | awk '$4 == "s1" { print $22, $23 }'; }
is "$(chk "$T_TMP/hp")" "$(chk "$T_TMP/ha")" "show servers state: check port and addr as haproxy"
is "$(chk "$T_TMP/hp")" "$dead 127.0.0.29" "they are the ones set"
for d in hp ha; do ctl "$T_TMP/$d/adm.sock" "set server app/s1 check-addr 127.0.0.21 port $sp" >/dev/null; done
ok "check-addr back to the server: UP on both" wait_for 10 both_st s1 UP
for d in hp ha; do ctl "$T_TMP/$d/adm.sock" "set server app/s1 check-port $dead" >/dev/null; done
ok "check-port to a dead port: DOWN on both" wait_for 10 both_st s1 DOWN
for d in hp ha; do ctl "$T_TMP/$d/adm.sock" "set server app/s1 check-port $sp" >/dev/null; done
ok "check-port back: UP on both" wait_for 10 both_st s1 UP

# --- who changed what: uid and pid in the log
# Each such line is rate-limited (hashproxy(8) DIAGNOSTICS: 10 lines, then
# none until 5 s have passed since the first): the changes above may have
# used this window's ten, so a change is repeated (it is idempotent) until
# one is logged, by the next window at the latest.
logged_change() {
	local spid
	echo "disable server app/s2" | socat -t 5 stdio "unix-connect:$T_TMP/hp/adm.sock" >/dev/null &
	spid=$!
	wait "$spid"
	wait_for 1 grep -qF "stats socket $T_TMP/hp/adm.sock: \"disable server app/s2\" by uid $(id -u) pid $spid" "$T_TMP/hp.err"
}
ok "a state change logs the client's uid and pid" wait_for 12 logged_change
ctl "$T_TMP/hp/adm.sock" "enable server app/s2" >/dev/null
unlike() { ! grep -q "$1" "$T_TMP/hp.err"; }
ok "a report is not logged" unlike '"show stat" by uid'

# --- idle clients and the cap (hashproxy: stats timeout 3s, maxconn 3)
python3 "$T_TOP/tests/lib/ctlclients.py" idle "$T_TMP/hp/adm.sock" >"$T_TMP/idle"
is "$(sed -n 1p "$T_TMP/idle")" "answered admin" "another client is served while one idles"
like "$(sed -n 2p "$T_TMP/idle")" '^closed [2-6]\.' "the idle one is closed after stats timeout (3s)"
python3 "$T_TOP/tests/lib/ctlclients.py" idle "$T_TMP/ha/adm.sock" >"$T_TMP/idle.ha"
like "$(sed -n 2p "$T_TMP/idle.ha")" '^closed' "(haproxy closes its idle client too)"
python3 "$T_TOP/tests/lib/ctlclients.py" cap "$T_TMP/hp/adm.sock" 3 >"$T_TMP/cap"
is "$(cat "$T_TMP/cap")" "extra: Too many clients on this socket (at most 3); try again later.||
client 1: admin||
client 2: admin||
client 3: admin||" "stats maxconn 3: the fourth client gets one line, the three are served"
is "$(answer "$T_TMP/hp" adm "show cli level")" admin "the socket serves on"
kill -0 "$(pgrep -n -f "hashproxy -f $T_TMP/hp/cfg")" 2>/dev/null
ok "hashproxy is still running" test $? = 0
done_testing
