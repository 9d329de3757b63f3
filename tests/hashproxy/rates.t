#!/bin/bash
# SPDX-License-Identifier: ISC
# show info's ConnRate, MaxConnRate, SessRate, MaxSessRate and show stat's
# rate, rate_max, conn_rate, conn_rate_max beside the real haproxy 2.6 on
# the same config: one burst of N clients at once through each (they
# take well under a second), then both read.  The maxima do not decay,
# so they are compared closely; the current rates are read right after
# the burst, within its second, and compared loosely, since the two
# reads are some milliseconds apart.  Then, once haproxy's current rates
# are back to 0 (a second or two later), hashproxy's must follow, with
# the maxima unchanged.  Beside it, M clients on a frontend whose
# tcp-request connection rule refuses them: accepts (ConnRate,
# conn_rate), never sessions (SessRate, rate).
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/hp.sh"
command -v haproxy >/dev/null || cannot_run "haproxy is not installed"

N=40 M=10
sp=$(free_port)
hp_backend a 127.0.0.11 "$sp" || bail "backend a did not start"
hp_backend b 127.0.0.12 "$sp" || bail "backend b did not start"

cfg() {
	cat <<EOC
defaults
    timeout connect 1s
    timeout client 10s
    timeout server 10s
frontend fe
    bind 127.0.0.1:$1
    default_backend be
frontend rej
    bind 127.0.0.1:$2
    tcp-request connection reject
    default_backend be
backend be
    balance roundrobin
    server a 127.0.0.11:$sp
    server b 127.0.0.12:$sp
EOC
}
hp_cfgs 2
hp_both_start

# rates SOCK: "NAME VALUE" per line, the fields this test is about
rates() {
	ctl "$1" "show info" | awk -F': ' '$1 ~ /^(Max)?(Conn|Sess)Rate$/ { print $1, $2 }'
	ctl "$1" "show stat" | awk -F, '
	    NR == 1 { for (i = 1; i <= NF; i++) { h = $i; sub(/^# /, "", h); c[h] = i }; next }
	    { n = split("rate rate_max conn_rate conn_rate_max", w, " ")
	      for (i = 1; i <= n; i++)
		if ($c[w[i]] != "") print $1 "/" $2 "." w[i], $c[w[i]] }'
}
# current NAME: whether NAME is a current rate (else a maximum)
current() { [[ $1 =~ ^(ConnRate|SessRate|.*\.rate|.*\.conn_rate)$ ]]; }

# compare WHICH TOL: for each of haproxy's fields of WHICH (current or
# max), hashproxy's value within TOL of it; one line per field that is
# not, "ok" if none
compare() {
	local name v want got bad=0
	declare -A hp
	while read -r name v; do hp[$name]=$v; done <"$T_TMP/hp.rates"
	while read -r name want; do
		if [ "$1" = current ]; then current "$name" || continue
		else ! current "$name" || continue; fi
		got=${hp[$name]:-none}
		if [ "$got" = none ] || [ "$got" -lt $((want - $2)) ] ||
		    [ "$got" -gt $((want + $2)) ]; then
			echo "$name: hashproxy $got, haproxy $want"
			bad=1
		fi
	done <"$T_TMP/ha.rates"
	[ $bad = 0 ] && echo ok
}

# one burst through both at once, and the refused ones beside it
pids=()
for side in hp ha; do
	if [ $side = hp ]; then ports=("${HP_PORTS[@]}"); else ports=("${HA_PORTS[@]}"); fi
	python3 "$T_TOP/tests/hashproxy/burst.py" "${ports[0]}" "$N" 30 >"$T_TMP/$side.burst" &
	pids+=($!)
	python3 "$T_TOP/tests/hashproxy/burst.py" "${ports[1]}" "$M" 30 >"$T_TMP/$side.rej" &
	pids+=($!)
done
wait "${pids[@]}"
rates "$T_TMP/hp.sock" >"$T_TMP/hp.rates"
rates "$T_TMP/ha.sock" >"$T_TMP/ha.rates"
diag "hashproxy: $(head -1 "$T_TMP/hp.burst"); haproxy: $(head -1 "$T_TMP/ha.burst")"
diag "haproxy: $(paste -sd' ' "$T_TMP/ha.rates")"
diag "hashproxy: $(paste -sd' ' "$T_TMP/hp.rates")"

is "$(tail -2 "$T_TMP/hp.burst" | paste -sd' ')" "refused 0 unanswered 0" \
    "hashproxy answers the burst of $N"
# haproxy fills these 18 for two frontends, one backend and two servers
is "$(wc -l <"$T_TMP/ha.rates")" 18 "haproxy shows 18 rate fields"
# (what the comparisons below then hold hashproxy to)
is "$(awk '$1 == "rej/FRONTEND.rate_max" { s = $2 } $1 == "rej/FRONTEND.conn_rate_max" { c = $2 }
    END { print "sessions " s ", connections " (c > 0 ? "some" : c) }' "$T_TMP/ha.rates")" \
    "sessions 0, connections some" \
    "haproxy: the refused clients count as connections, not sessions"
# one client more or less in a second, as a late answer may make
is "$(compare max 1)" ok \
    "after a burst of $N: MaxConnRate, MaxSessRate and every rate_max, conn_rate_max as haproxy's (within 1)"
is "$(compare current $((N / 4)))" ok \
    "right after it: ConnRate, SessRate, every rate, conn_rate as haproxy's (within $((N / 4)))"

# zero FILE: FILE has its 9 current rates, each 0
zero() {
	awk '$1 ~ /^(ConnRate|SessRate|.*\.rate|.*\.conn_rate)$/ { n++; if ($2 != 0) bad = 1 }
	    END { exit bad || n != 9 }' "$1"
}
ha_zero() { rates "$T_TMP/ha.sock" >"$T_TMP/ha.rates" && zero "$T_TMP/ha.rates"; }
hp_zero() { rates "$T_TMP/hp.sock" >"$T_TMP/hp.rates" && zero "$T_TMP/hp.rates"; }
ok "haproxy's current rates fall back to 0 once the burst is past a second" \
    wait_for 10 ha_zero
ok "hashproxy's too, within two seconds of haproxy's" wait_for 2 hp_zero
is "$(compare max 1)" ok "the maxima stay as they were"

# the same maxima in show metrics, under the exporter's names
m() { ctl "$T_TMP/hp.sock" "show metrics" | awk -v k="$1" '$1 == k { print $2 }'; }
r() { awk -v k="$1" '$1 == k { print $2 }' "$T_TMP/hp.rates"; }
is "$(m haproxy_process_max_connection_rate) $(m haproxy_process_max_session_rate) $(m 'haproxy_frontend_max_session_rate{proxy="fe"}') $(m 'haproxy_frontend_connections_rate_max{proxy="fe"}') $(m 'haproxy_backend_max_session_rate{proxy="be"}') $(m 'haproxy_server_max_session_rate{proxy="be",server="a"}')" \
    "$(r MaxConnRate) $(r MaxSessRate) $(r fe/FRONTEND.rate_max) $(r fe/FRONTEND.conn_rate_max) $(r be/BACKEND.rate_max) $(r be/a.rate_max)" \
    "show metrics: the maxima as show info and show stat give them"

done_testing
