#!/bin/bash
# The stats socket: haproxy's "show stat" columns, show info, show servers
# state, and disable/enable/set server state moving clients.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/hp.sh"
command -v socat >/dev/null || skip_all "socat missing"

sp=$(free_port); php=$(free_port); pha=$(free_port)
hp_backend localhost 127.0.0.11 "$sp"
hp_backend maas-api-1 127.0.0.12 "$sp"
hp_backend maas-api-2 127.0.0.13 "$sp"
hp_seed "$T_TMP/hp.cfg" "$php" "$sp" "default-server inter 300ms"
sed -i "1i global\n    stats socket $T_TMP/cfg.sock mode 600 level admin\n" "$T_TMP/hp.cfg"
hp_start "$T_TMP/hp.cfg"
S=$T_TMP/hp.sock

ok "--control wins over the config's stats socket" test -S "$S" -a ! -e "$T_TMP/cfg.sock"
stat=$(ctl "$S" "show stat")
if command -v haproxy >/dev/null; then
	hp_seed "$T_TMP/ha.cfg" "$pha" "$sp" "timeout connect 5s" "timeout client 1m"
	ha_start "$T_TMP/ha.cfg"
	hah=$(ctl "$T_TMP/ha.sock" "show stat" | head -1)
	ours=$(echo "$stat" | head -1)
	is "${hah:0:${#ours}}" "$ours" "show stat header: haproxy 2.6's columns, same order"
	is "$(ctl "$T_TMP/ha.sock" "show servers state" | sed -n 2p)" \
	    "$(ctl "$S" "show servers state" | sed -n 2p)" "show servers state: haproxy's header"
fi
like "$stat" $'\nmaas,FRONTEND,' "a FRONTEND row"
like "$stat" $'\nmaas,maas-api-1,.*,UP,1,1,0,' "server rows: status, weight, act, bck"
like "$stat" $'\nmaas,BACKEND,.*,UP,3,3,0,.*,tcp,source,' "a BACKEND row with algo"
like "$(ctl "$S" "show info")" $'Name: hashproxy\n.*CurrConns: 0' "show info"
like "$(ctl "$S" "show servers state maas")" $'\n2 maas 2 maas-api-1 127.0.0.12 2 0 1 1 ' \
    "show servers state rows"

mapfile -t src < <(hp_sources 24)
map_of "$php" "${src[@]}" >"$T_TMP/before"
is "$(ctl "$S" "disable server maas/maas-api-2")" "" "disable server: empty reply"
ok "maint event line" wait_file_line 2 "$T_TMP/hp.ev" '^maint backend=maas server=maas-api-2 active=2$'
map_of "$php" "${src[@]}" >"$T_TMP/during"
is "$(grep -c ' maas-api-2$' "$T_TMP/during")" 0 "no client sent to a disabled server"
is "$(join "$T_TMP/before" "$T_TMP/during" | awk '$2 != $3 && $2 != "maas-api-2"' | wc -l)" 0 \
    "only its clients moved"
like "$(ctl "$S" "show stat")" $'\nmaas,maas-api-2,.*,MAINT,' "show stat: MAINT"
ctl "$S" "enable server maas/maas-api-2" >/dev/null
map_of "$php" "${src[@]}" >"$T_TMP/after"
is "$(diff "$T_TMP/before" "$T_TMP/after")" "" "enable server: its clients come back"
ctl "$S" "set server maas/maas-api-1 state drain" >/dev/null
like "$(ctl "$S" "show stat")" $'\nmaas,maas-api-1,.*,DRAIN,' "set server state drain"
is "$(map_of "$php" "${src[@]}" | grep -c ' maas-api-1$')" 0 "drain: no new connection"
ctl "$S" "set server maas/maas-api-1 state ready" >/dev/null
like "$(ctl "$S" "show stat")" $'\nmaas,maas-api-1,.*,UP,' "set server state ready"
like "$(ctl "$S" "disable server maas/nope")" "No such server." "unknown server"
like "$(ctl "$S" "set server maas/x state up")" "expects 'ready', 'drain' and 'maint'" "bad state"
like "$(ctl "$S" "frob")" "Unknown command" "unknown command"
like "$(ctl "$S" "show info; show stat")" $'CurrConns.*\n# pxname' "two commands on one line"
is "$(stat -c %a "$S")" 660 "socket mode 0660"
ok "still running" kill -0 "$HP_PID"
done_testing
