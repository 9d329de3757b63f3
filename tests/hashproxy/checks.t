#!/bin/bash
# SPDX-License-Identifier: ISC
# Health checks beyond TCP connect: option httpchk + http-check expect
# status, rise/fall counting; backup servers; IPv6 frontends.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/hp.sh"

sp=$(free_port); php=$(free_port)
hp_backend a 127.0.0.11 "$sp"
hp_backend b 127.0.0.12 "$sp"
"$HP_BACKEND" c 127.0.0.13 "$sp" 503 >/dev/null 2>&1 &
cleanup_push "kill $!"
wait_for 5 _hp_port_open 127.0.0.13 "$sp"
hp_backend spare 127.0.0.14 "$sp"
cat >"$T_TMP/hp.cfg" <<EOC
defaults
    timeout connect 1s
    default-server inter 200ms rise 2 fall 2
frontend web
    bind 127.0.0.1:$php
    bind [::1]:$php
    default_backend api
backend api
    balance source
    hash-type consistent
    option httpchk GET /health HTTP/1.0
    http-check expect status 200
    server a 127.0.0.11:$sp check
    server b 127.0.0.12:$sp check
    server c 127.0.0.13:$sp check
    server spare 127.0.0.14:$sp check backup
EOC
hp_start "$T_TMP/hp.cfg"
ok "a server answering 503 is marked down" \
    wait_file_line 5 "$T_TMP/hp.ev" '^down backend=api server=c reason="Layer7 wrong status, code: 503.* check=L7STS '
# While a check runs the status reads "* L7STS" and the code 0, as in
# haproxy: wait for a snapshot between two checks.
ok "show stat: L7STS 503" wait_for 5 stat_has "$T_TMP/hp.sock" '^api,c,.*,DOWN,.*,L7STS,503,'
ok "a 200 is L7OK" wait_for 5 stat_has "$T_TMP/hp.sock" '^api,a,.*,UP,.*,L7OK,200,'
mapfile -t src < <(hp_sources 20)
is "$(map_of "$php" "${src[@]}" | grep -c ' c$\| spare$\| $')" 0 "no client sent to c or the backup"

if lo_has_ipv6; then
	like "$(curl -sf --max-time 5 "http://[::1]:$php/")" '^(a|b)$' "an IPv6 bind line serves"
else
	skip_optional 1 "no IPv6 on lo"
fi

hp_backend_kill a; hp_backend_kill b
ok "both actives down" wait_for 5 sh -c "[ \$(grep -c '^down backend=api server=[ab] ' '$T_TMP/hp.ev') = 2 ]"
is "$(map_of "$php" "${src[@]}" | cut -d' ' -f2 | sort -u)" spare "all clients go to the backup server"
# weight: the backup's, as haproxy 2.6 counts a backend served by backups
like "$(ctl "$T_TMP/hp.sock" "show stat")" '^api,BACKEND,.*,UP,1,0,1,' "BACKEND: weight 1 (the backup's), 0 active, 1 backup"

hp_backend a 127.0.0.11 "$sp"
ok "a returns after rise 2 checks" wait_file_line 5 "$T_TMP/hp.ev" '^up backend=api server=a '
is "$(map_of "$php" "${src[@]}" | cut -d' ' -f2 | sort -u)" a "the backup is left as soon as an active is up"
printf '%s\n' "${src[@]}" | hashproxy -f "$T_TMP/hp.cfg" --lookup - --down a --down b --down c \
    2>/dev/null | cut -d' ' -f2 | sort -u >"$T_TMP/lk"
is "$(cat "$T_TMP/lk")" spare "--lookup --down agrees"
done_testing
