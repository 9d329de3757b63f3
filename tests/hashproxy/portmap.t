#!/bin/bash
# SPDX-License-Identifier: ISC
# Servers without a port, with port 0, +N or -N (haproxy's mapped ports):
# the port a client connected to, moved by N, decides the server's port.
# haproxy 2.6 and hashproxy run the same file one after the other, on
# frontends binding several ports (a list and a range); each backend on
# 127.0.0.x answers its own address and port.  "show stat" and "show
# servers state" print these servers as haproxy does, and -c gives
# haproxy's verdict on the edge cases (port 0, +0, past 65535, a check
# with no port, "+1x" read as C's atoi reads it).  Behind a netfilter
# REDIRECT the port the client asked for decides, for both.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/hp.sh"
. "$T_TOP/tests/lib/netns.sh"

command -v haproxy >/dev/null || cannot_run "haproxy is not installed"
command -v nft >/dev/null || cannot_run "nft is not installed"
needs_root

# frontend ports: a list (a, b), a range (c, c+1), one each for -N, 0, wrap,
# +1x
a=$(free_port) b=$(free_port) c=$(free_port 2) e=$(free_port) f=$(free_port)
g=$(free_port) q=$(free_port) t=$(free_port)
# server ports: each answers "IP:PORT"
for s in 127.0.0.2:$a 127.0.0.2:$b 127.0.0.3:$((c + 1000)) \
    127.0.0.3:$((c + 1001)) 127.0.0.4:$((e - 1000)) 127.0.0.5:$f \
    127.0.0.5:$q 127.0.0.6:$((g + 7)) 127.0.0.7:$((t + 1)); do
	hp_backend "$s" "${s%:*}" "${s##*:}"
done

cat >"$T_TMP/pm.cfg" <<EOC
global
    stats socket $T_TMP/px.sock mode 600 level admin

defaults
    mode tcp
    timeout connect 5s
    timeout client 10s
    timeout server 10s

listen same
    bind 127.0.0.1:$a,127.0.0.1:$b
    server s2 127.0.0.2

listen plus
    bind 127.0.0.1:$c-$((c + 1))
    server s3 127.0.0.3:+1000

listen minus
    bind 127.0.0.1:$e
    server s4 127.0.0.4:-1000

listen zero
    bind 127.0.0.1:$f
    server s5 127.0.0.5:0 check inter 100ms port $q

listen wrap
    bind 127.0.0.1:$g
    server s6 127.0.0.6:+65543

listen typo
    bind 127.0.0.1:$t
    server s7 127.0.0.7:+1x
EOC

# answers PROXY: what each frontend port reaches, one line
answers() {
	local p out=
	for p in $a $b $c $((c + 1)) $e $f $g $t; do
		out+="$p>$(req 127.0.0.1 "$p") "
	done
	echo "$out"
}
want="$a>127.0.0.2:$a $b>127.0.0.2:$b $c>127.0.0.3:$((c + 1000)) $((c + 1))>127.0.0.3:$((c + 1001)) $e>127.0.0.4:$((e - 1000)) $f>127.0.0.5:$f $g>127.0.0.6:$((g + 7)) $t>127.0.0.7:$((t + 1)) "

# row SOCK PX SV COLUMN: one field of "show stat", by the header's name
row() {
	ctl "$1" "show stat" | awk -F, -v px="$2" -v sv="$3" -v col="$4" '
	    NR == 1 { sub(/^# /, ""); for (i = 1; i <= NF; i++) n[$i] = i }
	    $1 == px && $2 == sv { print $n[col] }'
}
# state SOCK: "NAME ADDR PORT CHECKPORT" per server of "show servers state"
# (then "show servers conn"'s address and port)
state() {
	ctl "$1" "show servers state" |
	    awk 'NF > 20 && $1 !~ /^#/ { print $4, $5, $19, $21 }' | sort
}
# stats SOCK: the addr column of each server, then the state
stats() {
	local s
	for s in same/s2 plus/s3 minus/s4 zero/s5 wrap/s6 typo/s7; do
		printf '%s=%s ' "$s" "$(row "$1" "${s%/*}" "${s#*/}" addr)"
	done
	echo
	state "$1"
	ctl "$1" "show servers conn" | awk 'NF > 4 && $1 !~ /^#/ { print $1, $3, $4 }'
}

# haproxy first
haproxy -f "$T_TMP/pm.cfg" -db >>"$T_TMP/ha.log" 2>&1 &
ha=$!
cleanup_push "kill $ha"
ok "haproxy runs the file" wait_for 10 ha_answers "$T_TMP/px.sock"
wait_for 10 _hp_port_open 127.0.0.1 "$g"
ok "haproxy: its check with port $q finds s5 UP" \
    wait_for 10 eval '[ "$(row "$T_TMP/px.sock" zero s5 status)" = UP ]'
is "$(answers)" "$want" "haproxy: each port reaches the server port it maps to"
ha_stats=$(stats "$T_TMP/px.sock")
like "$ha_stats" "same/s2=127.0.0.2:0 plus/s3=127.0.0.3:1000 minus/s4=127.0.0.4:-1000 " \
    "haproxy's show stat: the offset as the port"
like "$ha_stats" "s4 127.0.0.4 4294966296 0" "haproxy's show servers state: -1000 unsigned"
like "$ha_stats" "minus/s4 127.0.0.4 4294966296" "haproxy's show servers conn: the same"
kill "$ha"
wait "$ha" 2>/dev/null
wait_for 10 eval '! _hp_port_open 127.0.0.1 "$a"'

ok "hashproxy runs the same file" hp_start "$T_TMP/pm.cfg"
ok "hashproxy: its check with port $q finds s5 UP" \
    wait_for 10 eval '[ "$(row "$T_TMP/hp.sock" zero s5 status)" = UP ]'
is "$(answers)" "$want" "hashproxy: each port reaches the server port it maps to"
is "$(stats "$T_TMP/hp.sock")" "$ha_stats" \
    "show stat's addr, show servers state's and conn's ports as haproxy's"
like "$(cat "$T_TMP/hp.err")" "pm.cfg:28: .*server s6: port offset \+65543 wraps past 65535: the same as \+7" \
    "an offset past 65535: a warning naming file:line"

# A netfilter REDIRECT in front: the port the client asked for decides,
# as haproxy reads it (SO_ORIGINAL_DST), not the port the proxy bound.
# In a namespace of its own: its loopback, its nat table.
ns_switch nat
ns_run nat nft -f - <<EON
table ip pm {
	chain out {
		type nat hook output priority -100; policy accept;
		ip daddr 127.0.0.1 tcp dport { 20005, 20006 } redirect to :8000
	}
}
EON
for b in asked:20005 asked+1:20007 bound:8000; do
	ip netns exec "$NS_nat" "$HP_BACKEND" "${b%:*}" 127.0.0.2 "${b#*:}" >/dev/null 2>&1 &
	cleanup_push "kill $!"
done
printf 'defaults\n    mode tcp\n    timeout connect 5s\n    timeout client 5s\n    timeout server 5s\nlisten r\n    bind 127.0.0.1:8000\n    use_backend p1 if { src 127.0.0.3 }\n    server s 127.0.0.2\nbackend p1\n    server s 127.0.0.2:+1\n' >"$T_TMP/nat.cfg"
natreq() {	# the answers to 127.0.0.1:20005 from .1, 20006 from .3
	echo "$(ns_run nat curl -sf --max-time 5 --interface 127.0.0.1 http://127.0.0.1:20005/) $(ns_run nat curl -sf --max-time 5 --interface 127.0.0.3 http://127.0.0.1:20006/)"
}
for px in haproxy hashproxy; do
	if [ $px = haproxy ]; then bin=(haproxy -db); else bin=("$HP_BIN"); fi
	ip netns exec "$NS_nat" "${bin[@]}" -f "$T_TMP/nat.cfg" >>"$T_TMP/nat.log" 2>&1 &
	pid=$!
	cleanup_push "kill $pid"
	wait_for 10 ns_run nat bash -c "exec 3<>/dev/tcp/127.0.0.1/8000" 2>/dev/null
	is "$(natreq)" "asked asked+1" "$px: behind a REDIRECT, the port the client asked for (and +1)"
	kill "$pid"
	wait "$pid" 2>/dev/null
	wait_for 10 eval '! ns_run nat bash -c "exec 3<>/dev/tcp/127.0.0.1/8000" 2>/dev/null'
done

# -c verdicts: haproxy's, on the edge cases
verdict() {	# ADDR-AND-PARAMS [EXTRA-LINE]: "haproxy/hashproxy" accept or not
	printf 'defaults\n    mode tcp\n    timeout client 1s\n    timeout server 1s\n    timeout connect 1s\nlisten l\n    bind 127.0.0.1:%s\n    server s1 %s\n%s\n' \
	    "$a" "$1" "${2:-}" >"$T_TMP/v.cfg"
	local h x
	haproxy -c -f "$T_TMP/v.cfg" >/dev/null 2>&1 && h=ok || h=no
	hashproxy -c -f "$T_TMP/v.cfg" >"$T_TMP/v.out" 2>&1
	case $? in 0) x=ok ;; 2) x=no ;; *) x="exit $?" ;; esac
	echo "$h/$x"
}
for v in "127.0.0.2 ok" "127.0.0.2: ok" "127.0.0.2:0 ok" "127.0.0.2:00 ok" \
    "127.0.0.2:+0 ok" "127.0.0.2:-0 ok" "127.0.0.2:+65535 ok" \
    "127.0.0.2:-65536 ok" "127.0.0.2:+70000 ok" "[::1]:+5 ok" "[::1] ok" \
    "localhost:-5 ok" "127.0.0.2:65535 ok" "127.0.0.2:65536 no" \
    "127.0.0.2:1000-2000 no"; do
	is "$(verdict "${v% *}")" "${v##* }/${v##* }" "-c: server ${v% *}: as haproxy"
done
is "$(verdict "127.0.0.2 check")" "no/no" "-c: no port and a check without port: refused, as haproxy"
like "$(cat "$T_TMP/v.out")" "v.cfg:8: .*server s1: neither a service port nor a check port" \
    "with file:line and why"
is "$(verdict "127.0.0.2:+1 check")" "no/no" "-c: +1 and a check without port: refused"
is "$(verdict "127.0.0.2:0 check port 80")" "ok/ok" "-c: with \"port\": accepted"
is "$(verdict "127.0.0.2 check" "    option tcp-check
    tcp-check connect port 80")" "ok/ok" "-c: with a first tcp-check connect port: accepted"
is "$(verdict "127.0.0.2 check" "    option tcp-check
    tcp-check send x")" "no/no" "-c: a tcp-check without connect port: refused"
# haproxy reads a port as C's atoi: what follows the number is ignored
for v in "+x ok" "+1x ok" "-1x ok" "+ ok" "++1 ok" "+-1 ok" "80x ok" "0x ok" \
    "70000x no" "x no" "80-x no"; do
	is "$(verdict "127.0.0.2:${v% *}")" "${v##* }/${v##* }" "-c: server 127.0.0.2:${v% *}: as haproxy"
done
is "$(verdict "127.0.0.2:+99999999999")" "ok/no" \
    "-c: an offset past an int: refused (haproxy's atoi overflows)"
verdict "127.0.0.2:+1x" >/dev/null
like "$(cat "$T_TMP/v.out")" "v.cfg:8: .*port offset \"\+1x\" read as \+1, as haproxy" \
    "+1x: a warning with file:line and what it is read as"
done_testing
