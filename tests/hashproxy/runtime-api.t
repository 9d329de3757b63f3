#!/bin/bash
# SPDX-License-Identifier: ISC
# The stats socket's runtime API beside haproxy 2.6, on the same config:
# show stat's filter form and its typed/json formats, set/get weight, set
# server addr, shutdown sessions server, show servers conn, and the
# errors, each answered as haproxy answers.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/hp.sh"
command -v haproxy >/dev/null || cannot_run "haproxy 2.6 is the reference"

sp=$(free_port); sp2=$(free_port); dead=$(free_port)
hfp=$(free_port); hfp2=$(free_port); afp=$(free_port); afp2=$(free_port)
hp_backend s1 127.0.0.21 "$sp"
hp_backend s2 127.0.0.22 "$sp"
hp_backend o1 127.0.0.23 "$sp"
hp_backend moved 127.0.0.26 "$sp2"

# cfg FILE FRONTPORT FRONTPORT2: the same proxies for both
cfg() {
	cat >"$1" <<EOC
defaults
    mode tcp
    timeout connect 1s
    timeout client 30s
    timeout server 30s
frontend web
    bind 127.0.0.1:$2
    default_backend app
frontend web2
    bind 127.0.0.1:$3
    default_backend other
backend app
    balance source
    hash-type consistent
    server s1 127.0.0.21:$sp check inter 100ms
    server s2 127.0.0.22:$sp check inter 100ms
backend other
    balance roundrobin
    server o1 127.0.0.23:$sp
    server o2 127.0.0.24:$sp disabled
    server o3 127.0.0.25:$dead check inter 100ms fall 1 downinter 1h
backend static
    balance source
    server m1 127.0.0.23:$sp
backend srr
    balance static-rr
    server r1 127.0.0.23:$sp
EOC
}
cfg "$T_TMP/hp.cfg" "$hfp" "$hfp2"
cfg "$T_TMP/ha.cfg" "$afp" "$afp2"
hp_start "$T_TMP/hp.cfg" || bail "hashproxy did not start"
ha_start "$T_TMP/ha.cfg" || bail "haproxy did not start"
H=$T_TMP/hp.sock A=$T_TMP/ha.sock
both() { ctl "$H" "$1" >"$T_TMP/ours"; ctl "$A" "$1" >"$T_TMP/theirs"; }
o3_down() { ctl "$1" "show stat" | grep -q '^other,o3,.*,DOWN,'; }
ok "o3 (nothing listening) is down for hashproxy" wait_for 10 o3_down "$H"
ok "and for haproxy" wait_for 10 o3_down "$A"

# --- show stat, its filter and formats
# iid PROXY SOCKET: a proxy's id as that process numbers it
iid() { ctl "$2" "show stat" | awk -F, -v p="$1" '$1 == p && $2 == "BACKEND" { print $28 }'; }
hiid=$(iid app "$H"); aiid=$(iid app "$A")
cmp=(); what=()
for f in "-1 -1 -1" "-1 2 -1" "app 4 -1" "web 1 -1" "other 4 3" "ID 7 -1" \
    "-1 4 -1 up" "-1 4 -1 no-maint"; do
	for fmt in csv typed json; do
		x=; [ "$fmt" != csv ] && x=" $fmt"
		k=${#cmp[@]}
		ctl "$H" "show stat ${f/ID/$hiid}$x" >"$T_TMP/ours.$k"
		ctl "$A" "show stat ${f/ID/$aiid}$x" >"$T_TMP/theirs.$k"
		cmp+=("$k" "$fmt" "$T_TMP/ours.$k" "$T_TMP/theirs.$k")
		what[k]="show stat $f$x"
	done
done
python3 "$T_TOP/tests/hashproxy/statcmp.py" "${cmp[@]}" >"$T_TMP/statcmp" 2>&1
for k in "${!what[@]}"; do
	is "$(grep "^$k: " "$T_TMP/statcmp")" "" "${what[k]}: haproxy's objects and fields"
done
is "$(grep -v '^[0-9]*: ' "$T_TMP/statcmp")" "" "statcmp.py ran"
ctl "$H" "show stat -1 4 -1 up" >"$T_TMP/ours"
is "$(cut -d, -f1,2 "$T_TMP/ours" | sed 1d | grep . | sort | tr '\n' ' ')" \
    "app,s1 app,s2 other,o1 srr,r1 static,m1 " "up: neither the down o3 nor the disabled o2"
like "$(ctl "$H" "show stat -1 4 -1 json")" '^\[\[\{"objType":"Server","proxyId":' "json: an array of objects"
both "show stat nope 1 -1"
is "$(cat "$T_TMP/ours")" "$(cat "$T_TMP/theirs")" "an unknown proxy: haproxy's answer ($(head -1 "$T_TMP/theirs"))"

# --- set weight / get weight
mapfile -t src < <(hp_sources 200)
both "set weight app/s1 0"
is "$(cat "$T_TMP/ours")" "$(cat "$T_TMP/theirs")" "set weight: the same (empty) answer"
both "get weight app/s1"
is "$(cat "$T_TMP/ours")" "$(cat "$T_TMP/theirs")" "get weight: $(head -1 "$T_TMP/theirs")"
map_of "$hfp" "${src[@]}" >"$T_TMP/hmap0"
map_of "$afp" "${src[@]}" >"$T_TMP/amap0"
is "$(grep -c ' s1$' "$T_TMP/hmap0")" 0 "weight 0: hashproxy sends no new source to s1"
is "$(grep -c ' s1$' "$T_TMP/amap0")" 0 "nor does haproxy"
is "$(grep -c ' s2$' "$T_TMP/hmap0")" 200 "all to s2"
ctl "$H" "set weight app/s1 1; set weight app/s2 3" >/dev/null
ctl "$A" "set weight app/s1 1; set weight app/s2 3" >/dev/null
map_of "$hfp" "${src[@]}" >"$T_TMP/hmap13"
map_of "$afp" "${src[@]}" >"$T_TMP/amap13"
is "$(diff "$T_TMP/hmap13" "$T_TMP/amap13")" "" \
    "weights 1 and 3: the 200 sources map as haproxy maps them"
n2=$(grep -c ' s2$' "$T_TMP/hmap13")
ok "s2 takes about three quarters ($n2 of 200)" test "$n2" -gt 120 -a "$n2" -lt 185
ctl "$H" "set weight app/s2 1" >/dev/null
ctl "$A" "set weight app/s2 1" >/dev/null
map_of "$hfp" "${src[@]}" >"$T_TMP/hmap11"
is "$(join "$T_TMP/hmap13" "$T_TMP/hmap11" | awk '$2 != $3 && $2 != "s2"' | wc -l)" 0 \
    "lowering s2's weight moves only s2's sources"
both "set weight app/s2 300%; get weight app/s2"
like "$(cat "$T_TMP/ours")" "3 \\(initial 1\\)" "300% of 1 is 3"
is "$(cat "$T_TMP/ours")" "$(cat "$T_TMP/theirs")" "a relative weight: $(head -1 "$T_TMP/theirs")"
both "show servers state app"
sw() { awk 'NR > 2 && NF { print $4, $8, $9 }' "$1"; }
is "$(sw "$T_TMP/ours")" "$(sw "$T_TMP/theirs")" "show servers state: srv_uweight and srv_iweight as haproxy's ($(sw "$T_TMP/ours" | tr '\n' ' '))"
ctl "$H" "set weight app/s2 1" >/dev/null
ctl "$A" "set weight app/s2 1" >/dev/null

# --- errors, each as haproxy words it (one line of commands each)
errs=("set weight app/nope 1" "set weight nope/s1 1" "set weight app/s1 300"
    "set weight app/s1 -5%" "set weight app/s1" "set weight app 1" "get weight app/nope"
    "get weight nope/x" "get weight app" "set weight static/m1 2" "set weight srr/r1 2"
    "set server app/s1 addr foo"
    "set server app/nope addr 127.0.0.1" "set server nope/s1 addr 127.0.0.1"
    "set server app/s1 addr" "set server app/s1 addr 127.0.0.21 port x"
    "shutdown sessions server nope/x" "shutdown sessions server app/nope"
    "shutdown sessions server app" "enable server nope/x" "disable server app/nope"
    "show servers conn nope" "show stat 0 1 -1" "set server app/s1 state up")
line=$(printf '%s; ' "${errs[@]}")
both "${line%; }"
is "$(cat "$T_TMP/ours")" "$(cat "$T_TMP/theirs")" "${#errs[@]} bad commands: haproxy's answers"
ok "the answers are errors ($(grep -c . "$T_TMP/ours") lines)" test "$(grep -c . "$T_TMP/ours")" -ge 20
for c in "set weight app/s1 x" "set weight app/s1 3x"; do
	both "$c"
	is "$(head -1 "$T_TMP/ours")" "$(head -1 "$T_TMP/theirs")" "$c: $(head -1 "$T_TMP/theirs")"
done
# --- prompt: haproxy's interactive mode (socat readline users)
inter() { printf 'prompt\nget weight app/s1\nset weight app/s1 1\nquit\n' | socat -t 5 stdio "unix-connect:$1" | od -c; }
is "$(inter "$H")" "$(inter "$A")" "prompt: one connection, '> ' after each answer, quit closes, as haproxy"
like "$(inter "$H" | tr -d ' \n')" "1\\(initial1\\)" "the commands were answered"
is "$(ctl "$H" "get weight static/m1")" "1 (initial 1)" "the static backend kept its weight"
like "$(ctl "$H" "set weight app/s1 $(printf 'x%.0s' {1..5000})")" "Command too long" "an overlong line"
ok "hashproxy still answers" ctl "$H" "show info"

# --- set server addr: new connections and checks go to the new address
exec 3<>"/dev/tcp/127.0.0.1/$hfp" 4<>"/dev/tcp/127.0.0.1/$afp"
hs=$(keepalive_get 3); as=$(keepalive_get 4)
is "$hs" "$as" "127.0.0.1 lands on the same server on both ($hs)"
both "set server app/$hs addr 127.0.0.26 port $sp2"
is "$(cat "$T_TMP/ours")" "$(cat "$T_TMP/theirs")" "set server addr: $(head -1 "$T_TMP/theirs")"
is "$(req 127.0.0.1 "$hfp")" moved "hashproxy's next connection reaches the new address"
is "$(req 127.0.0.1 "$afp")" moved "haproxy's too"
is "$(keepalive_get 3)" "$hs" "an established connection stays on the old address (hashproxy)"
is "$(keepalive_get 4)" "$as" "(haproxy)"
exec 3<&- 4<&-
like "$(ctl "$H" "show stat -1 4 -1")" "^app,$hs,.*,127\\.0\\.0\\.26:$sp2," "show stat shows the new address"
both "show servers state app"
is "$(sed 1,2d "$T_TMP/ours" | awk -v s="$hs" '$4 == s { print $5 }')" 127.0.0.26 "show servers state too"
both "set server app/$hs addr 127.0.0.25 port $dead"
srv_down() { ctl "$1" "show stat -1 4 -1" | grep -q "^app,$2,.*,DOWN,"; }
ok "checks follow the address: $hs goes down at a dead one (hashproxy)" wait_for 10 srv_down "$H" "$hs"
ok "(haproxy)" wait_for 10 srv_down "$A" "$hs"
both "set server app/$hs addr 127.0.0.2${hs#s} port $sp"
srv_up() { ctl "$1" "show stat -1 4 -1" | grep -q "^app,$2,.*,UP,"; }
ok "and up again back home (hashproxy)" wait_for 10 srv_up "$H" "$hs"
ok "(haproxy)" wait_for 10 srv_up "$A" "$hs"
ok "hashproxy's addr event line" grep -q "^addr backend=app server=$hs addr=127.0.0.26 port=$sp2 reason=\"stats socket command\"$" "$T_TMP/hp.ev"

# --- show servers conn, shutdown sessions server
exec 3<>"/dev/tcp/127.0.0.1/$hfp" 4<>"/dev/tcp/127.0.0.1/$hfp" 5<>"/dev/tcp/127.0.0.1/$hfp2"
exec 6<>"/dev/tcp/127.0.0.1/$afp" 7<>"/dev/tcp/127.0.0.1/$afp" 8<>"/dev/tcp/127.0.0.1/$afp2"
for fd in 3 4 6 7; do is "$(keepalive_get $fd)" "$hs" "held connection $fd on $hs"; done
for fd in 5 8; do is "$(keepalive_get $fd)" o1 "held connection $fd on o1"; done
both "show servers conn"
is "$(head -1 "$T_TMP/ours")" "$(head -1 "$T_TMP/theirs")" "show servers conn: haproxy's header"
# name, svid, addr, port, -, purge_delay (haproxy counts no TCP
# connection in used_cur: its pools are for HTTP; ours counts them)
conn() { awk 'NR > 1 && NF { split($2, id, "/"); print $1, id[2], $3, $4, $5, $6 }' "$1"; }
is "$(conn "$T_TMP/ours")" "$(conn "$T_TMP/theirs")" "show servers conn: the same rows"
is "$(awk -v s="app/$hs" '$1 == s { print $7 }' "$T_TMP/ours")" 2 "used_cur: the 2 held on $hs"
is "$(awk 'NR > 1 { print NF }' "$T_TMP/ours" | sort -u)" "$(awk 'NR > 1 { print NF }' "$T_TMP/theirs" | sort -u)" \
    "as many columns as haproxy"
both "show servers conn other"
is "$(conn "$T_TMP/ours")" "$(conn "$T_TMP/theirs")" "show servers conn BACKEND"
both "shutdown sessions server app/$hs"
is "$(cat "$T_TMP/ours")" "$(cat "$T_TMP/theirs")" "shutdown sessions server: the same (empty) answer"
# closed FD: the proxy closed it (EOF, not a timeout)
closed() { local l; IFS= read -r -t 5 -u "$1" l; [ $? = 1 ]; }
for fd in 3 4 6 7; do ok "held connection $fd to $hs closed at once" closed $fd; done
is "$(keepalive_get 5)" o1 "another server's session untouched (hashproxy)"
is "$(keepalive_get 8)" o1 "(haproxy)"
exec 3<&- 4<&- 5<&- 6<&- 7<&- 8<&-
ok "hashproxy still runs" kill -0 "$HP_PID"
done_testing
