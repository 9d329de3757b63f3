#!/bin/bash
# SPDX-License-Identifier: ISC
# "track [BACKEND/]SERVER" beside the real haproxy 2.6 on the same
# config: be1's servers are checked, be2's track them (the pool is
# checked once), be3's c tracks be2/a (a chain).  The check of a goes to
# its own port (statussrv.py), so a fails its check while it still
# serves: clients leave it because of the state it took, not because
# its connections fail.  Then haproxy -c and hashproxy -c on the
# configurations haproxy refuses, hashproxy naming the same line.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/hp.sh"
command -v haproxy >/dev/null || cannot_run "haproxy is not installed"

sp=$(free_port); cp=$(free_port)
hp_backend a 127.0.0.11 "$sp"
hp_backend b 127.0.0.12 "$sp"
for s in a b; do
	echo "200 OK" >"$T_TMP/health.$s"
done
# health_srv NAME IP: NAME's check answers what $T_TMP/health.NAME holds
health_srv() {
	python3 "$T_TOP/tests/hashproxy/statussrv.py" "$2" "$cp" \
	    "$T_TMP/health.$1" >/dev/null 2>&1 &
	cleanup_push "kill $!"
	wait_for 10 _hp_port_open "$2" "$cp"
}
health_srv a 127.0.0.11 || bail "a's check server did not start"
health_srv b 127.0.0.12 || bail "b's check server did not start"

cfg() {
	cat <<EOC
defaults
    timeout connect 1s
    timeout client 10s
    timeout server 10s
    timeout check 1s
frontend fe
    bind 127.0.0.1:$1
    default_backend be2
backend be1
    option httpchk GET /
    default-server inter 300ms rise 2 fall 2 port $cp
    server a 127.0.0.11:$sp check
    server b 127.0.0.12:$sp check
backend be2
    balance source
    hash-type consistent
    server a 127.0.0.11:$sp track be1/a
    server b 127.0.0.12:$sp track be1/b
backend be3
    server c 127.0.0.11:$sp track be2/a
EOC
}
hp_cfgs 1
hp_both_start
srv_same_check 20 "every server UP, the trackers without a check" be1 be2 be3

# rows: statcmp.py's differences between the last snapshots (objects,
# fields and their places, status), then the tracked column of each
statcmp() { python3 "$T_TOP/tests/hashproxy/statcmp.py" "$1" csv \
    "$T_TMP/hp.st" "$T_TMP/ha.st" 2>&1; }
# tracked FILE: "PROXY SERVER TRACKED" per server of a snapshot
tracked() {
	awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) { h = $i; sub(/^# /, "", h); c[h] = i }; next }
	    $2 != "BACKEND" && $2 != "FRONTEND" { print $1, $2, $c["tracked"] }' "$1"
}
# filled FILE: "PROXY SERVER COLUMN..." per server, the check columns
# it fills (a tracking server has no check of its own: none)
filled() {
	awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) { h = $i; sub(/^# /, "", h); c[h] = i }; next }
	    $2 != "BACKEND" && $2 != "FRONTEND" { l = $1 " " $2
		n = split("chkfail chkdown downtime check_status check_code " \
		    "last_chk check_rise check_fall check_health", k, " ")
		for (i = 1; i <= n; i++) if ($c[k[i]] != "") l = l " " k[i]
		print l }' "$1"
}
# same A B: A is B, and not empty (no snapshot is not the same)
same() { [ -n "$1" ] && [ "$1" = "$2" ]; }
wait_for 20 at_rest
is "$(statcmp up)" "" "show stat rows as haproxy's, servers up"
ok "the check columns filled as in haproxy's (none for a tracking server)" \
    same "$(filled "$T_TMP/hp.st")" "$(filled "$T_TMP/ha.st")"
ok "tracked column as haproxy's" \
    same "$(tracked "$T_TMP/hp.st")" "$(tracked "$T_TMP/ha.st")"
like "$(tracked "$T_TMP/hp.st" | tr '\n' ' ')" 'be2 a be1/a be2 b be1/b be3 c be2/a' \
    "the tracked column names the servers tracked"

# A status such as "MAINT (via be1/a)" is never "settled" for srv_same
# (it has a slash): at_both waits for the one both proxies should show.
both() { ctl "$T_TMP/hp.sock" "$1" >"$T_TMP/hp.ans"; ctl "$T_TMP/ha.sock" "$1" >"$T_TMP/ha.ans"; }
# at_both PROXY STATES: both show PROXY's servers as STATES (srv_states'
# lines joined with ";")
at_both() {
	local side
	for side in hp ha; do
		srv_snapshot "$T_TMP/$side.sock" "$T_TMP/$side.st" || return 1
		[ "$(srv_states "$T_TMP/$side.st" "$1" | paste -sd';')" = "$2" ] ||
		    return 1
	done
}
mapfile -t src < <(hp_sources 24)
# spread: "a=N b=M / a=N b=M", where the clients go through be2 in
# hashproxy, then in haproxy (into $T_TMP/spread too)
spread() {
	local p out=""
	for p in "${HP_PORTS[0]}" "${HA_PORTS[0]}"; do
		map_of "$p" "${src[@]}" >"$T_TMP/map"
		out+="${out:+ / }a=$(grep -c ' a$' "$T_TMP/map") b=$(grep -c ' b$' "$T_TMP/map")"
	done
	echo "$out" | tee "$T_TMP/spread"
}
# on_both: every client answered, some by a and some by b, in both
on_both() {
	spread | awk -F'[ =/]+' '{ exit !($2 > 0 && $4 > 0 && $6 > 0 && $8 > 0 &&
	    $2 + $4 == 24 && $6 + $8 == 24) }'
}
ok "clients on a and b through be2 in both" on_both
diag "spread: $(cat "$T_TMP/spread")"

echo "500 Bad" >"$T_TMP/health.a"
ok "a fails its check: be1/a DOWN in both" \
    wait_for 20 at_both be1 "a DOWN L7STS;b UP L7OK"
ok "be2/a DOWN with it in both, b UP" wait_for 20 at_both be2 "a DOWN ;b UP "
ok "be3/c DOWN with be2/a in both" wait_for 20 at_both be3 "c DOWN "
wait_for 20 at_rest
is "$(statcmp down)" "" "show stat rows as haproxy's, a down"
ok "the check columns filled as in haproxy's, a down" \
    same "$(filled "$T_TMP/hp.st")" "$(filled "$T_TMP/ha.st")"
# down_told: haproxy's log and hashproxy's events say be2/a is down via
# be1/a, with be1/a's reason in hashproxy's
down_told() {
	grep -q 'Server be2/a is DOWN via be1/a' "$T_TMP/ha.log" &&
	    grep -Eq '^down backend=be2 server=a via=be1/a reason="Layer7 wrong status, code: 500' "$T_TMP/hp.ev"
}
ok "haproxy logs be2/a DOWN via be1/a, hashproxy an event line so" \
    wait_for 5 down_told
ok "and be3/c via be2/a" \
    wait_file_line 5 "$T_TMP/hp.ev" '^down backend=be3 server=c via=be2/a '
is "$(spread)" "a=0 b=24 / a=0 b=24" "no client reaches a through be2, in both"

# a reload keeps the trackers' state, and a tracker it adds takes the
# state of the server it tracks at once
printf 'backend be4\n    server d 127.0.0.11:%s track be1/a\n' "$sp" >>"$T_TMP/hp.cfg"
kill -HUP "$HP_PID"
ok "hashproxy reloads" wait_file_line 10 "$T_TMP/hp.ev" '^reload result=ok'
srv_same_check 20 "after a reload, be2/a still DOWN with be1/a" be1 be2 be3
is "$(srv_states "$T_TMP/hp.st" be2 | paste -sd';')" "a DOWN ;b UP " \
    "after the reload: be2/a DOWN"
is "$(srv_states "$T_TMP/hp.st" be4)" "d DOWN " \
    "a tracker the reload added is DOWN with be1/a from the start"

echo "200 OK" >"$T_TMP/health.a"
ok "a passes its check again: be1/a UP in both" \
    wait_for 20 at_both be1 "a UP L7OK;b UP L7OK"
ok "be2/a UP in both" wait_for 20 at_both be2 "a UP ;b UP "
ok "be3/c UP in both" wait_for 20 at_both be3 "c UP "
ok "hashproxy: be2/a up via be1/a" \
    wait_file_line 5 "$T_TMP/hp.ev" '^up backend=be2 server=a via=be1/a '
ok "clients reach a again through be2, in both" on_both
diag "spread: $(cat "$T_TMP/spread")"

both "set server be1/a state maint"
ok "be1/a in MAINT: both show be2/a MAINT (via be1/a)" \
    wait_for 20 at_both be2 "a MAINT (via be1/a) ;b UP "
ok "and be3/c MAINT (via be2/a), the server it tracks" \
    wait_for 20 at_both be3 "c MAINT (via be2/a) "
# adm: be2/a's srv_admin_state in show servers state, hashproxy's then
# haproxy's (2: maintenance inherited, 16: drain inherited)
adm() {
	local side
	for side in hp ha; do
		ctl "$T_TMP/$side.sock" "show servers state be2" |
		    awk '$4 == "a" { printf "%s ", $7 }'
	done
}
is "$(adm)" "2 2 " "show servers state: be2/a's maintenance inherited, as haproxy's"
both "set server be2/a state ready"
ok "ready on the tracker: still MAINT (via be1/a) in both" \
    wait_for 20 at_both be2 "a MAINT (via be1/a) ;b UP "
both "set server be1/a state drain"
ok "be1/a drained: be2/a DRAIN in both" \
    wait_for 20 at_both be2 "a DRAIN ;b UP "
ok "and be3/c DRAIN" wait_for 20 at_both be3 "c DRAIN "
is "$(adm)" "16 16 " "show servers state: be2/a's drain inherited, as haproxy's"
both "set server be1/a state ready"
ok "be1/a ready: be2/a UP in both" wait_for 20 at_both be2 "a UP ;b UP "
ok "and be3/c UP" wait_for 20 at_both be3 "c UP "
both "set server be2/a health down"
is "$(cat "$T_TMP/hp.ans")" "$(cat "$T_TMP/ha.ans")" \
    "set server health on a tracking server: haproxy's refusal"
like "$(cat "$T_TMP/hp.ans")" "tracking server" "(it is one)"

# haproxy -c and hashproxy -c on what haproxy refuses
base() {
	cat <<EOC
defaults
    timeout connect 1s
    timeout client 1s
    timeout server 1s
frontend fe
    bind 127.0.0.1:${HP_PORTS[0]}
    default_backend be1
EOC
}
declare -A bad=(
	[no-check]="backend be1|server s1 127.0.0.11:$sp|backend be2|server s1 127.0.0.11:$sp track be1/s1"
	[no-backend]="backend be1|server s1 127.0.0.11:$sp check|backend be2|server s1 127.0.0.11:$sp track nobe/s1"
	[no-server]="backend be1|server s1 127.0.0.11:$sp check|backend be2|server s1 127.0.0.11:$sp track be1/zz"
	[loop]="backend be1|server s1 127.0.0.11:$sp track be2/s1|backend be2|server s1 127.0.0.11:$sp track be1/s1"
	[self]="backend be1|server s1 127.0.0.11:$sp track s1"
	[check-too]="backend be1|server s1 127.0.0.11:$sp check|backend be2|server s1 127.0.0.11:$sp check track be1/s1"
	[disable-on-404]="backend be1|option httpchk|http-check disable-on-404|server s1 127.0.0.11:$sp check|backend be2|server s1 127.0.0.11:$sp track be1/s1"
)
for k in no-check no-backend no-server loop self check-too disable-on-404; do
	f=$T_TMP/$k.cfg
	{ base; tr '|' '\n' <<<"${bad[$k]}" | sed '/^backend/!s/^/    /'; } >"$f"
	line=$(haproxy -c -f "$f" 2>&1 | sed -n "s/.*\[[^]]*\/$k\.cfg:\([0-9]*\)\].*/\1/p" | head -1)
	rc=0
	hashproxy -c -f "$f" >"$T_TMP/c.out" 2>&1 || rc=$?
	# haproxy's line or none, hashproxy's exit status and first error
	like "${line:-none} $rc $(grep ': error: ' "$T_TMP/c.out" | head -1)" \
	    "^[0-9]+ 2 hashproxy: error: $f:$line: server s1: (track|check and track)" \
	    "$k: both -c refuse it, hashproxy naming haproxy's line and the server"
done
# a chain ending at a checked server, and track in default-server
{ base; cat <<EOC
backend be1
    server s1 127.0.0.11:$sp check
backend be2
    default-server track be1/s1
    server s1 127.0.0.11:$sp
    server s2 127.0.0.12:$sp track s1
EOC
} >"$T_TMP/chain.cfg"
ok "a chain and default-server track: both -c accept it" \
    sh -c 'haproxy -c -q -f "$1" && hashproxy -c -f "$1"' sh "$T_TMP/chain.cfg"
done_testing
