#!/bin/bash
# SPDX-License-Identifier: ISC
# Proxy and server names past 64 characters, as generated configs write
# them (namespace, service and port): haproxy 2.6 takes names of any
# length, and so does hashproxy, beside it on one config with a
# 200-character backend that use_backend and default_backend name, a
# 300-character server in it, a 100-character frontend, an 80-character
# listen section and a 1500-character server.  Both accept and run it, clients reach
# the long backend's servers, and every place a name comes out carries
# it whole: show stat, show servers state, a runtime command on the long
# server, the Prometheus series (haproxy's exporter beside ours) and the
# config's error messages.  And an HTTP check's 150-character reason
# phrase: last_chk as haproxy's, which keeps 127 characters of it.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/hp.sh"
command -v haproxy >/dev/null || cannot_run "haproxy 2.6 is the reference"
haproxy -vv 2>/dev/null | grep -q 'prometheus-exporter' ||
    cannot_run "haproxy built without its Prometheus exporter"

# name PREFIX N: PREFIX then letters and dashes up to N characters
name() {
	local s=$1
	while [ ${#s} -lt "$2" ]; do s+="-svc.ns$((${#s} % 97))"; done
	echo "${s:0:$2}"
}
BE=$(name be 200) SRV=$(name srv 300) FE=$(name fe 100) LI=$(name li 80)
WIDE=$(name wide 1500)	# past the 1024 bytes a command had
SRVP=$(free_port) HA_METRICS=$(free_port)
hp_backend one 127.0.0.11 "$SRVP"
hp_backend two 127.0.0.12 "$SRVP"
hp_backend short 127.0.0.13 "$SRVP"
CHKP=$(free_port)
echo "503 Down $(name for-maintenance 146)" >"$T_TMP/status"
python3 "$T_TOP/tests/hashproxy/statussrv.py" 127.0.0.1 "$CHKP" "$T_TMP/status" \
    >/dev/null 2>&1 &
cleanup_push "kill $!"
wait_for 5 _hp_port_open 127.0.0.1 "$CHKP" || bail "the check server did not start"

# the frontend routes by use_backend (its default is another backend);
# the listen section and a second frontend by default_backend
cfg() {
	cat <<EOC
global
    stats socket $T_TMP/cfg-$1.sock mode 600 level admin
defaults
    mode tcp
    timeout connect 1s
    timeout client 10s
    timeout server 10s
    default-server inter 200ms
frontend $FE
    bind 127.0.0.1:$1
    use_backend $BE if { always_true }
    default_backend short
frontend plain
    bind 127.0.0.1:$2
    default_backend $BE
backend $BE
    server $SRV 127.0.0.11:$SRVP check
    server two 127.0.0.12:$SRVP check
backend short
    server short 127.0.0.13:$SRVP
listen $LI
    bind 127.0.0.1:$3
    server $SRV 127.0.0.12:$SRVP
backend short-too
    server $WIDE 127.0.0.13:$SRVP
backend reason
    option httpchk GET /
    server r 127.0.0.1:$CHKP check fall 1 downinter 1h
EOC
}
hp_cfgs 3
cat >>"$T_TMP/ha.cfg" <<EOC
frontend prom
    mode http
    bind 127.0.0.1:$HA_METRICS
    http-request use-service prometheus-exporter if { path /metrics }
EOC
hp_both_start
H=$T_TMP/hp.sock A=$T_TMP/ha.sock

# up2 SOCKET: both servers of the long backend are up
up2() { [ "$(ctl "$1" "show stat -1 4 -1" | grep "^$BE," | grep -c ',UP,')" = 2 ]; }
ok "hashproxy checks the long backend's servers up" wait_for 10 up2 "$H"
ok "haproxy too" wait_for 10 up2 "$A"

# --- clients reach the long backend
for p in "${HP_PORTS[0]}" "${HP_PORTS[1]}"; do
	like "$(req 127.0.0.1 "$p")" '^(one|two)$' "port $p: answered by a server of the long backend"
done
is "$(req 127.0.0.1 "${HP_PORTS[2]}")" two "the long listen section answers"

# --- show stat: the same objects, whole names, in haproxy's order
ctl "$H" "show stat" >"$T_TMP/ours.csv"
# haproxy's own "prom" frontend (its exporter) is not in ours
ctl "$A" "show stat" | grep -v '^prom,' >"$T_TMP/theirs.csv"
names() { grep -v '^#' "$1" | cut -d, -f1,2; }
is "$(names "$T_TMP/ours.csv")" "$(names "$T_TMP/theirs.csv")" \
    "show stat: pxname and svname of every row as haproxy's"
is "$(grep -c "^$BE,$SRV," "$T_TMP/ours.csv")" 1 \
    "show stat: the 200-character backend and 300-character server whole"
is "$(grep -c "^$FE,FRONTEND," "$T_TMP/ours.csv") $(grep -c "^$LI,FRONTEND," "$T_TMP/ours.csv")" \
    "1 1" "show stat: the frontend and listen names whole"
ctl "$H" "show stat $BE -1 -1 typed" >"$T_TMP/ours.typed"
ctl "$A" "show stat $BE -1 -1 typed" >"$T_TMP/theirs.typed"
python3 "$T_TOP/tests/hashproxy/statcmp.py" --order f csv "$T_TMP/ours.csv" \
    "$T_TMP/theirs.csv" t typed "$T_TMP/ours.typed" "$T_TMP/theirs.typed" \
    >"$T_TMP/order" 2>&1
is "$(cat "$T_TMP/order")" "" "statcmp.py --order: the rows and ids as haproxy's (the long proxy as filter too)"
ok "the filter by the long backend's name finds its rows" grep -q "$SRV" "$T_TMP/ours.typed"

# --- show servers state: backend and server names whole
st() { ctl "$1" "show servers state $BE" | awk '!/^#/ && NF > 3 { print $2, $4 }'; }
is "$(st "$H")" "$(st "$A")" "show servers state BACKEND: the names as haproxy's"
like "$(st "$H")" "^$BE $SRV" "and whole"

# --- a runtime command on the long server
hpans=$(ctl "$H" "disable server $BE/$SRV")
haans=$(ctl "$A" "disable server $BE/$SRV")
maint() { ctl "$1" "show stat" | grep "^$BE,$SRV," | cut -d, -f18; }
is "$hpans|$(maint "$H")" "$haans|MAINT" "disable server BE/SRV: haproxy's answer, the long server in MAINT"
is "$(maint "$A")" MAINT "haproxy's in MAINT too"
logged() { grep -qF "\"disable server $BE/$SRV\" by uid" "$T_TMP/hp.err"; }
ok "the stats socket's log line names the command whole" wait_for 5 logged
# a reload keeps a server's state when its name stays: found by the
# long name, the copy it holds its own (the old config is freed)
kill -HUP "$HP_PID"
reloaded() { grep -q '^reload result=ok' "$T_TMP/hp.ev"; }
ok "hashproxy reloads the config" wait_for 10 reloaded
is "$(maint "$H")" MAINT "after the reload: the long server whole, still in MAINT"
is "$(ctl "$H" "get weight $BE/$SRV")" "$(ctl "$A" "get weight $BE/$SRV")" \
    "get weight BE/SRV: haproxy's answer"
ctl "$H" "set weight short-too/$WIDE 7" >"$T_TMP/ours.w"
ctl "$A" "set weight short-too/$WIDE 7" >"$T_TMP/theirs.w"
is "$(cat "$T_TMP/ours.w"; ctl "$H" "get weight short-too/$WIDE")" \
    "$(cat "$T_TMP/theirs.w"; ctl "$A" "get weight short-too/$WIDE")" \
    "set and get weight of a 1500-character server: haproxy's answers"

# --- Prometheus: haproxy's exporter and ours name the same series
ctl "$H" "show metrics" >"$T_TMP/o"
curl -sf --max-time 5 "http://127.0.0.1:$HA_METRICS/metrics" >"$T_TMP/t"
sts() { grep '^haproxy_server_status{' "$1" | grep -v 'proxy="prom"' | sort; }
ok "show metrics: the long server's MAINT series, names whole" \
    grep -qF "haproxy_server_status{proxy=\"$BE\",server=\"$SRV\",state=\"MAINT\"} 1" "$T_TMP/o"
is "$(sts "$T_TMP/o")" "$(sts "$T_TMP/t")" "haproxy_server_status: every series as haproxy's exporter"
fst() { grep "^haproxy_frontend_status{proxy=\"$FE\"" "$1"; }
is "$(fst "$T_TMP/o")" "$(fst "$T_TMP/t")" "haproxy_frontend_status of the long frontend as haproxy's"

# --- messages name the whole name, with file and line
printf 'frontend x\n bind 127.0.0.1:1\n default_backend %s\n' "$BE-missing" >"$T_TMP/bad.cfg"
like "$(hashproxy -c -f "$T_TMP/bad.cfg" 2>&1)" "bad.cfg:1: frontend x: default_backend \"$BE-missing\": no such backend" \
    "a missing long default_backend: named whole, with file:line"
printf 'listen %s\n bind 127.0.0.1:1\n server %s 127.0.0.1:2\n server %s 127.0.0.1:3\n' \
    "$LI" "$SRV" "$SRV" >"$T_TMP/bad.cfg"
like "$(hashproxy -c -f "$T_TMP/bad.cfg" 2>&1)" "bad.cfg:4: listen $LI: server \"$SRV\" defined twice" \
    "a long server defined twice: both names whole"
# --- a check's 150-character reason phrase
# checked SOCKET: the reason server is down, its check over
checked() { ctl "$1" "show stat reason 4 -1" | grep -q ',DOWN,.*,L7STS,'; }
ok "hashproxy's check of the reason server is done" wait_for 10 checked "$H"
ok "haproxy's too" wait_for 10 checked "$A"
field() { ctl "$1" "show stat reason 4 -1 typed" >"$T_TMP/f" &&
	python3 "$T_TOP/tests/hashproxy/statcmp.py" --field last_chk typed "$T_TMP/f"; }
theirs=$(field "$A")
is "$(field "$H")" "$theirs" "last_chk: a 150-character reason as haproxy shows it (${#theirs} characters with the ids)"
done_testing
