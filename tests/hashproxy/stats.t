#!/bin/bash
# SPDX-License-Identifier: ISC
# The stats socket: haproxy's "show stat" columns, show info, show servers
# state, and disable/enable/set server state moving clients.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/hp.sh"

sp=$(free_port); php=$(free_port); pha=$(free_port)
hp_backend localhost 127.0.0.11 "$sp"
hp_backend maas-api-1 127.0.0.12 "$sp"
hp_backend maas-api-2 127.0.0.13 "$sp"
hp_seed "$T_TMP/hp.cfg" "$php" "$sp" "default-server inter 300ms"
sed -i "1i global\n    stats socket $T_TMP/cfg.sock mode 600 level admin\n" "$T_TMP/hp.cfg"
hp_start "$T_TMP/hp.cfg"
S=$T_TMP/hp.sock

ok "--control wins over the config's stats socket" test -S "$S" -a ! -e "$T_TMP/cfg.sock"
# a server not checked yet is "UP 1/3" (health at rise, as haproxy 2.6):
# the rows below are read once every server has had its first check
checked() { [ "$(ctl "$S" "show stat" | grep -c ',L4OK,')" = 3 ]; }
ok "every server checked" wait_for 5 checked
stat=$(ctl "$S" "show stat")
hp_seed "$T_TMP/ha.cfg" "$pha" "$sp" "timeout connect 5s" "timeout client 1m"
ha_start "$T_TMP/ha.cfg" || bail "haproxy did not start (its stats socket is the reference)"
hah=$(ctl "$T_TMP/ha.sock" "show stat" | head -1)
ours=$(echo "$stat" | head -1)
is "${hah:0:${#ours}}" "$ours" "show stat header: haproxy 2.6's columns, same order"
is "$(ctl "$T_TMP/ha.sock" "show servers state" | sed -n 2p)" \
    "$(ctl "$S" "show servers state" | sed -n 2p)" "show servers state: haproxy's header"
# col CSV COLUMN PX,SV: one field of "show stat", by its header name
col() {
	awk -F, -v c="$2" -v r="$3" 'NR == 1 { sub(/^# /, ""); for (i = 1; i <= NF; i++) if ($i == c) n = i; next }
	    $1 "," $2 == r { print $n }' <<<"$1"
}
is "$(col "$stat" lastsess maas,maas-api-1)" -1 "lastsess -1 before any connection"
is "$(col "$(ctl "$T_TMP/ha.sock" "show stat")" lastsess maas,maas-api-1)" -1 \
    "haproxy says -1 too"
like "$stat" '^maas,FRONTEND,' "a FRONTEND row"
like "$stat" '^maas,maas-api-1,.*,UP,1,1,0,' "server rows: status, weight, act, bck"
like "$stat" '^maas,BACKEND,.*,UP,3,3,0,.*,tcp,source,' "a BACKEND row with algo"
info=$(ctl "$S" "show info")
like "$info" '^Name: hashproxy$' "show info: Name"
like "$info" '^CurrConns: 0$' "show info: CurrConns"
# be_id 3, as haproxy numbers the proxies: the config's stats socket's
# own proxy 1, frontend maas 2, backend maas 3
like "$(ctl "$S" "show servers state maas")" '^3 maas 2 maas-api-1 127.0.0.12 2 0 1 1 ' \
    "show servers state rows"

mapfile -t src < <(hp_sources 24)
map_of "$php" "${src[@]}" >"$T_TMP/before"
stat=$(ctl "$S" "show stat")
ok "lastsess: seconds since the last connection ($(col "$stat" lastsess maas,maas-api-1))" \
    test "$(col "$stat" lastsess maas,maas-api-1)" -ge 0 -a "$(col "$stat" lastsess maas,maas-api-1)" -le 1
ok "the backend's too" test "$(col "$stat" lastsess maas,BACKEND)" -ge 0 -a "$(col "$stat" lastsess maas,BACKEND)" -le 1
is "$(col "$stat" stot maas,maas-api-1)" "$(grep -c ' maas-api-1$' "$T_TMP/before")" \
    "stot counts maas-api-1's clients"
is "$(ctl "$S" "disable server maas/maas-api-2")" "" "disable server: empty reply"
ok "maint event line" wait_file_line 2 "$T_TMP/hp.ev" '^maint backend=maas server=maas-api-2 active=2$'
map_of "$php" "${src[@]}" >"$T_TMP/during"
is "$(grep -c ' maas-api-2$' "$T_TMP/during")" 0 "no client sent to a disabled server"
is "$(join "$T_TMP/before" "$T_TMP/during" | awk '$2 != $3 && $2 != "maas-api-2"' | wc -l)" 0 \
    "only its clients moved"
like "$(ctl "$S" "show stat")" '^maas,maas-api-2,.*,MAINT,' "show stat: MAINT"
ctl "$S" "enable server maas/maas-api-2" >/dev/null
map_of "$php" "${src[@]}" >"$T_TMP/after"
is "$(diff "$T_TMP/before" "$T_TMP/after")" "" "enable server: its clients come back"
ctl "$S" "set server maas/maas-api-1 state drain" >/dev/null
like "$(ctl "$S" "show stat")" '^maas,maas-api-1,.*,DRAIN,' "set server state drain"
is "$(map_of "$php" "${src[@]}" | grep -c ' maas-api-1$')" 0 "drain: no new connection"
ctl "$S" "set server maas/maas-api-1 state ready" >/dev/null
like "$(ctl "$S" "show stat")" '^maas,maas-api-1,.*,UP,' "set server state ready"
like "$(ctl "$S" "disable server maas/nope")" "No such server." "unknown server"
like "$(ctl "$S" "set server maas/x state up")" "expects 'ready', 'drain' and 'maint'" "bad state"
like "$(ctl "$S" "frob")" "Unknown command" "unknown command"
both=$(ctl "$S" "show info; show stat")
ok "two commands on one line: show info, then show stat" \
    test "$(echo "$both" | grep -n '^CurrConns:' | cut -d: -f1)" -lt \
    "$(echo "$both" | grep -n '^# pxname' | cut -d: -f1)"
# SIGUSR1: the state in the log, with the counters show stat has
stot=$(ctl "$S" "show stat" | awk -F, '$1 == "maas" && $2 == "maas-api-2" { print $8 }')
ok "maas-api-2 served some requests ($stot)" test "${stot:-0}" -gt 0
# out of maintenance maas-api-2 is "UP 1/3" (health rise, as haproxy)
# until its checks pass: the lines below want it UP
wait_for 5 stat_has "$S" '^maas,maas-api-2,.*,UP,'
exec 3<>"/dev/tcp/127.0.0.1/$php"
ok "one connection open" wait_for 5 sh -c "echo 'show info' | socat -t 5 stdio unix-connect:$S | grep -q '^CurrConns: 1$'"
kill -USR1 "$HP_PID"
ok "SIGUSR1: a summary line" wait_file_line 5 "$T_TMP/hp.err" '^hashproxy: state: 1 connection, [0-9]+ total, 0 reloads$'
ok "SIGUSR1: the frontend" wait_file_line 5 "$T_TMP/hp.err" '^hashproxy: frontend maas cur=1 max=[0-9]+ tot=[0-9]+ backend=maas$'
ok "SIGUSR1: every server, with show stat's counters" \
    wait_file_line 5 "$T_TMP/hp.err" "^hashproxy: server maas/maas-api-2 UP cur=0 tot=$stot queue=0 econ=0 check=L4OK\$"
is "$(grep -c "^hashproxy: server maas/[^ ]* [A-Z]* cur=" "$T_TMP/hp.err")" 3 "three server lines"
exec 3>&-

# bin/bout: one request through each proxy, from one source (so one
# server), counted alike on the frontend, the backend and the server
bytes() {	# SOCK -> bin and bout of FRONTEND, BACKEND, all servers summed
	ctl "$1" "show stat" | awk -F, '
		NR == 1 { for (i = 1; i <= NF; i++) { if ($i == "bin") bi = i; if ($i == "bout") bo = i }; next }
		$1 != "maas" { next }
		$2 == "FRONTEND" { f = $bi " " $bo; next } $2 == "BACKEND" { b = $bi " " $bo; next }
		{ si += $bi; so += $bo } END { print f, b, si, so }'
}
conns0() { ctl "$1" "show info" | grep -q '^CurrConns: 0$'; }
delta() {	# SOCK PORT -> the counters' growth for one request
	local b0 b1
	wait_for 5 conns0 "$1"
	b0=$(bytes "$1")
	curl -sf --max-time 5 -H "Host: x" --interface 127.0.0.1 "http://127.0.0.1:$2/" >/dev/null
	wait_for 5 conns0 "$1"
	b1=$(bytes "$1")
	paste -d' ' <(tr ' ' '\n' <<<"$b1") <(tr ' ' '\n' <<<"$b0") |
	    awk '{ printf("%s%d", NR > 1 ? " " : "", $1 - $2) }'
}
d=$(delta "$S" "$php")
ok "bin/bout grew on one request ($d)" test "${d%% *}" -gt 0
is "$(awk '{ print ($1 == $3 && $3 == $5) ($2 == $4 && $4 == $6) }' <<<"$d")" 11 \
    "frontend, backend and server count the same bytes"
is "$d" "$(delta "$T_TMP/ha.sock" "$pha")" \
    "the same bin/bout as haproxy for the same request"
is "$(stat -c %a "$S")" 660 "socket mode 0660"
ok "still running" kill -0 "$HP_PID"
done_testing
