#!/bin/bash
# SPDX-License-Identifier: ISC
# show stat's edges beside haproxy 2.6 on one config: a frontend whose
# clients are closed at once (no backend, a use_backend rule naming a
# disabled backend, a tcp-request connection or content reject) still
# had them as sessions, and its peak (smax) says so.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/hp.sh"
command -v haproxy >/dev/null || cannot_run "haproxy 2.6 is the reference"

# nothing listens there: no client of this test reaches a server
sp=$(free_port)
# cfg NOB OFF CONNREJ CONTREJ
cfg() {
	cat <<EOC
defaults
    mode tcp
    timeout connect 1s
    timeout client 10s
    timeout server 10s
frontend nob
    bind 127.0.0.1:$1
frontend toff
    bind 127.0.0.1:$2
    use_backend off if { always_true }
    default_backend b1
frontend connrej
    bind 127.0.0.1:$3
    tcp-request connection reject
    default_backend b1
frontend contrej
    bind 127.0.0.1:$4
    tcp-request content reject
    default_backend b1
backend b1
    server s1 127.0.0.11:$sp
backend off
    disabled
    server s2 127.0.0.12:$sp
EOC
}
hp_cfgs 4
hp_both_start
H=$T_TMP/hp.sock A=$T_TMP/ha.sock

# one client on each frontend: each is closed at once
for i in 0 1 2 3; do
	curl -s --max-time 5 "http://127.0.0.1:${HP_PORTS[i]}/" >/dev/null
	curl -s --max-time 5 "http://127.0.0.1:${HA_PORTS[i]}/" >/dev/null
done
# rows SOCK FILE: "PROXY SVNAME COL=VALUE..." for the columns this test
# reads, once no session is left (a client sees its close a moment
# before the proxy has ended the session)
rows() {
	ctl "$1" "show stat" | awk -F, '
	    NR == 1 { for (i = 1; i <= NF; i++) { h = $i; sub(/^# /, "", h); c[h] = i }; next }
	    $2 == "FRONTEND" || $2 == "BACKEND" {
		printf "%s %s", $1, $2
		split("scur smax stot dreq", f, " ")
		for (k = 1; k <= 4; k++) printf " %s=%s", f[k], $c[f[k]]
		printf "\n" }' >"$2" && [ -s "$2" ] && ! grep -q 'scur=[^0]' "$2"
}
ok "haproxy's sessions end" wait_for 5 rows "$A" "$T_TMP/ha.rows"
ok "hashproxy's too" wait_for 5 rows "$H" "$T_TMP/hp.rows"
fe_smax() { awk '$2 == "FRONTEND" { print $1, $4 }' "$1"; }
is "$(fe_smax "$T_TMP/hp.rows")" "$(fe_smax "$T_TMP/ha.rows")" \
    "each frontend's smax counts the client it closed at once, as haproxy's"
like "$(fe_smax "$T_TMP/ha.rows" | paste -sd' ')" \
    "^nob smax=1 toff smax=1 connrej smax=1 contrej smax=1$" \
    "(haproxy: 1 on each)"
done_testing
