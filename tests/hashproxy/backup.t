#!/bin/bash
# SPDX-License-Identifier: ISC
# backup servers with balance source, active servers down: without
# "option allbackups" every client goes to the first usable backup; with
# it the backups share the clients by source hash, on their own map or
# ring (haproxy keeps one for the backups).  Each client lands on the same
# server as with a real haproxy 2.6, consistent and map-based, and again
# once the first backup fails too.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/hp.sh"

sp=$(free_port)
hp_backend b1 127.0.0.71 "$sp"
hp_backend b2 127.0.0.72 "$sp"
hp_backend b3 127.0.0.73 "$sp"
# the active servers, 127.0.0.74 and .75, have nothing listening: down

px() {	# NAME PORT HASHTYPE [option allbackups]
	cat <<EOC
listen $1
    bind 127.0.0.1:$2
    balance source
    hash-type $3
${4:+    $4}
    server a1 127.0.0.74:$sp check
    server a2 127.0.0.75:$sp check
    server b1 127.0.0.71:$sp check backup
    server b2 127.0.0.72:$sp check backup weight 3
    server b3 127.0.0.73:$sp check backup
EOC
}
cfg() {
	printf 'defaults\n    mode tcp\n    timeout connect 2s\n    default-server inter 300ms rise 1 fall 1\n'
	px cons_all "$1" consistent "option allbackups"
	px map_all "$2" map-based "option allbackups"
	px cons_first "$3" consistent
	px map_first "$4" map-based
}
hports=() aports=()
for i in 1 2 3 4; do hports+=("$(free_port)"); aports+=("$(free_port)"); done
cfg "${hports[@]}" >"$T_TMP/hp.cfg"
cfg "${aports[@]}" >"$T_TMP/ha.cfg"
ok "hashproxy starts" hp_start "$T_TMP/hp.cfg"
ok "haproxy starts" ha_start "$T_TMP/ha.cfg"
names=(cons_all map_all cons_first map_first)
actives_down() {
	local n
	for n in "${names[@]}"; do
		stat_has "$1" "^$n,a1,.*,DOWN," && stat_has "$1" "^$n,a2,.*,DOWN," || return 1
	done
}
ok "hashproxy: the active servers are down" wait_for 30 actives_down "$T_TMP/hp.sock"
ok "haproxy: the same" wait_for 30 actives_down "$T_TMP/ha.sock"

mapfile -t src < <(hp_sources 60)
compare() {	# WHAT
	local i
	for i in 0 1 2 3; do
		map_of "${hports[i]}" "${src[@]}" >"$T_TMP/m.hp"
		map_of "${aports[i]}" "${src[@]}" >"$T_TMP/m.ha"
		is "$(diff "$T_TMP/m.ha" "$T_TMP/m.hp")" "" \
		    "${names[i]}, $1: ${#src[@]} sources on the same server as haproxy"
		cut -d' ' -f2 "$T_TMP/m.hp" | sort -u | tr '\n' ' ' >"$T_TMP/used.${names[i]}"
	done
}
compare "actives down"
is "$(cat "$T_TMP/used.cons_all")" "b1 b2 b3 " "allbackups, consistent: all three backups serve"
is "$(cat "$T_TMP/used.map_all")" "b1 b2 b3 " "allbackups, map-based: all three backups serve"
is "$(cat "$T_TMP/used.cons_first")" "b1 " "without allbackups only the first backup serves"
is "$(cat "$T_TMP/used.map_first")" "b1 " "the same with map-based"
printf '%s\n' "${src[@]}" | hashproxy -f "$T_TMP/hp.cfg" --lookup - --down a1 --down a2 \
    2>/dev/null >"$T_TMP/lk"
map_of "${hports[0]}" "${src[@]}" >"$T_TMP/m.hp"
is "$(diff "$T_TMP/m.hp" "$T_TMP/lk")" "" "--lookup --down agrees (the first frontend)"

hp_backend_kill b1
b1_down() { local n; for n in "${names[@]}"; do stat_has "$1" "^$n,b1,.*,DOWN," || return 1; done; }
ok "hashproxy: b1 is down" wait_for 30 b1_down "$T_TMP/hp.sock"
ok "haproxy: the same" wait_for 30 b1_down "$T_TMP/ha.sock"
compare "b1 down too"
is "$(cat "$T_TMP/used.cons_first")" "b2 " "without allbackups the next backup takes over"
done_testing
