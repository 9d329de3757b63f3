#!/bin/bash
# SPDX-License-Identifier: ISC
# --lookup runs the first frontend's rules (tcp-request, use_backend on
# src and dst_port) for each address, then its backend's hash: for a set
# of sources it names the server haproxy 2.6 and hashproxy itself send
# a real client from that source to, and "-" for one the rules reject or
# no backend takes (this frontend has no default_backend).
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/hp.sh"

command -v haproxy >/dev/null || cannot_run "haproxy is not installed"

sp=$(free_port) f=$(free_port)
hp_backend a 127.0.0.61 "$sp"
hp_backend b 127.0.0.62 "$sp"
hp_backend c 127.0.0.63 "$sp"
hp_backend d 127.0.0.64 "$sp"
hp_backend e 127.0.0.65 "$sp"

cat >"$T_TMP/lk.cfg" <<EOF
global
    stats socket $T_TMP/px.sock mode 600 level admin

defaults
    mode tcp
    balance source
    timeout connect 2s
    timeout client 10s
    timeout server 10s

frontend sw
    bind 127.0.0.1:$f
    tcp-request connection reject if { src 127.66.0.0/16 }
    use_backend two if { src 127.10.0.0/16 }
    use_backend three if { src 127.11.0.0/16 } { dst_port $f }
    use_backend three if { src 127.12.0.0/16 } { dst_port 1 }
    use_backend three if { src 127.13.0.0/16 } { dst 127.0.0.1 }

backend two
    server a 127.0.0.61:$sp
    server b 127.0.0.62:$sp
    server e 127.0.0.65:$sp

backend three
    server c 127.0.0.63:$sp
    server d 127.0.0.64:$sp
EOF

src=()
for n in 10 11 12 13 66 20; do
	for ((i = 1; i <= 12; i++)); do src+=("127.$n.$((i * 37 % 250 + 1)).$((i * 91 % 254 + 1))"); done
done
# the server each source reaches, "-" unanswered
live() { map_of "$f" "${src[@]}" | sed 's/ $/ -/'; }

haproxy -f "$T_TMP/lk.cfg" -db >>"$T_TMP/ha.log" 2>&1 &
ha=$!
cleanup_push "kill $ha"
ok "haproxy runs the file" wait_for 10 ha_answers "$T_TMP/px.sock"
live >"$T_TMP/ha.map"
kill "$ha"
wait "$ha" 2>/dev/null
wait_for 10 eval '! _hp_port_open 127.0.0.1 "$f"'
like "$(cut -d' ' -f2 "$T_TMP/ha.map" | sort -u | tr '\n' ' ')" "^- a b c d e $" \
    "haproxy: the sources reach every server, and some none"

printf '%s\n' "${src[@]}" | hashproxy -f "$T_TMP/lk.cfg" --lookup - \
    >"$T_TMP/lk.map" 2>"$T_TMP/lk.err"
is "$?" 0 "--lookup runs the rules of a frontend without default_backend"
is "$(diff "$T_TMP/ha.map" "$T_TMP/lk.map")" "" "--lookup names the server haproxy reaches, or -"

ok "hashproxy runs the same file" hp_start "$T_TMP/lk.cfg"
live >"$T_TMP/hp.map"
is "$(diff "$T_TMP/hp.map" "$T_TMP/lk.map")" "" "--lookup names the server hashproxy reaches, or -"

# --down: a server of a backend only use_backend reaches
printf '%s\n' "${src[@]}" | hashproxy -f "$T_TMP/lk.cfg" --lookup - --down c \
    >"$T_TMP/down.map" 2>/dev/null
is "$(awk '$2 == "c"' "$T_TMP/down.map")" "" "--down c: no source maps to c"
is "$(awk '$2 == "d"' "$T_TMP/down.map" | wc -l)" \
    "$(awk '$2 == "c" || $2 == "d"' "$T_TMP/lk.map" | wc -l)" "its sources go to d"
hashproxy -f "$T_TMP/lk.cfg" --lookup 127.0.0.1 --down nosuch >/dev/null 2>"$T_TMP/err"
is "$?" 2 "--down of no server: a usage error"
like "$(cat "$T_TMP/err")" "--down nosuch: no such server" "saying which"
done_testing
