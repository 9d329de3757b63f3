#!/bin/bash
# SPDX-License-Identifier: ISC
# SIGHUP reloads in-process: listeners and established connections stay,
# no request is refused under load; a broken config keeps the old one.
# SIGTERM stops accepting, lets open connections finish, exits 0.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/hp.sh"

sp=$(free_port); php=$(free_port)
hp_backend localhost 127.0.0.11 "$sp"
hp_backend maas-api-1 127.0.0.12 "$sp"
hp_backend maas-api-2 127.0.0.13 "$sp"
hp_seed "$T_TMP/hp.cfg" "$php" "$sp" "default-server inter 300ms"
cp "$T_TMP/hp.cfg" "$T_TMP/a.cfg"
sed 's/maas-api-2 \(.*\) check/maas-api-2 \1 check weight 2/' "$T_TMP/a.cfg" >"$T_TMP/b.cfg"
hp_start "$T_TMP/hp.cfg"

exec 3<>"/dev/tcp/127.0.0.1/$php"
first=$(keepalive_get 3)
like "$first" "^(localhost|maas-api-[12])$" "a keep-alive connection is served"

mapfile -t src < <(hp_sources 20)
pids=()
# the loads run until the reloads are done (N: a bound, never reached)
N=8000
for i in 1 2 3; do load -S "$T_TMP/stop" "$php" "$T_TMP/l$i" $N "${src[@]}" & pids+=($!); done
reloads() { [ "$(grep -c '^reload result=ok' "$T_TMP/hp.ev")" -ge "$1" ]; }
for i in 1 2 3 4 5 6; do
	wait_for 20 lines "$T_TMP/l1" $((i * 40))
	if [ $((i % 2)) = 0 ]; then cp "$T_TMP/b.cfg" "$T_TMP/hp.cfg"; else cp "$T_TMP/a.cfg" "$T_TMP/hp.cfg"; fi
	kill -HUP "$HP_PID"
	# one at a time: signals sent faster than the loop turns coalesce
	wait_for 5 reloads "$i"
done
under=$(wc -l <"$T_TMP/l1")
touch "$T_TMP/stop"
wait "${pids[@]}"
# each load stopped by the file, not at its end: running through all six
below() { local f; for f in "$@"; do [ "$(wc -l <"$f")" -lt $N ] || return 1; done; }
ok "the reloads happened under load (l1 had done $under requests by then)" \
    below "$T_TMP"/l[123]
is "$(grep -c '^reload result=ok' "$T_TMP/hp.ev")" 6 "six reloads done"
is "$(cat "$T_TMP"/l[123] | grep -c '^fail')" 0 \
    "no request refused or failed during reloads ($(cat "$T_TMP"/l[123] | wc -l) requests)"
is "$(keepalive_get 3)" "$first" "the connection opened before the reloads still works"
like "$(ctl "$T_TMP/hp.sock" "show info")" "Reloads: 6" "show info counts reloads"
like "$(ctl "$T_TMP/hp.sock" "show stat")" "maas,maas-api-2,.*,UP,2," "the new weight is in force"

echo "frontend broken" >"$T_TMP/hp.cfg"
kill -HUP "$HP_PID"
ok "a broken config is refused" wait_file_line 5 "$T_TMP/hp.ev" '^reload result=failed'
like "$(req 127.0.0.1 "$php")" "^(localhost|maas-api-[12])$" "and the old one keeps serving"

kill -TERM "$HP_PID"
ok "SIGTERM: stops accepting" wait_for 5 sh -c "! curl -s --max-time 1 http://127.0.0.1:$php/"
is "$(keepalive_get 3)" "$first" "an open connection is still served while draining"
ok "hashproxy is still draining it" kill -0 "$HP_PID"
exec 3>&-
ok "exits once the last connection closed" wait_gone 5 "$HP_PID"
wait "$HP_PID"; is "$?" 0 "exit status 0"
done_testing
