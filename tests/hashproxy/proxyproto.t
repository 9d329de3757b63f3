#!/bin/bash
# SPDX-License-Identifier: ISC
# The PROXY protocol, hashproxy beside a real haproxy 2.6 on one config:
# send-proxy and send-proxy-v2 (on a server line, from default-server,
# undone by no-send-proxy) put the same header before the client's bytes
# as haproxy does, IPv4 and IPv6; an accept-proxy bind takes a client's
# v1 or v2 header and balances on the source it claims as haproxy does,
# matches the src ACL on it, passes it on to a send-proxy server, and
# closes on garbage.  Health checks send the header when haproxy does.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/hp.sh"

PPS=$T_TOP/tests/hashproxy/ppserver.py
sp=$(free_port) bp=$(free_port) cport=$(free_port)
# every server in one process (a python start is ~40 ms of CPU): the
# send-proxy servers' 127.0.0.21, the maas backend's three, named, and
# below the check servers
srvs=(127.0.0.21 "$sp" "$T_TMP/seen" -)
for n in localhost:11 maas-api-1:12 maas-api-2:13; do
	srvs+=("127.0.0.${n#*:}" "$bp" "$T_TMP/seen.${n%:*}" "${n%:*}")
done

# cfg V1 V2 V2SIX V1SIX NONE AP CHAIN CHECKS DEAD RETRY RULES: a frontend
# port each, the port of the servers the checks reach (one each for
# either proxy), and one nobody listens on
cfg() {
	cat <<EOC
defaults
    mode tcp
    timeout connect 5s
    timeout client 10s
    timeout server 10s

listen v1
    bind 127.0.0.1:$1
    server s 127.0.0.21:$sp send-proxy

listen v2
    bind 127.0.0.1:$2
    server s 127.0.0.21:$sp send-proxy-v2

listen v2six
    bind [::1]:$3
    default-server send-proxy-v2
    server s 127.0.0.21:$sp

listen v1six
    bind [::1]:$4
    server s 127.0.0.21:$sp send-proxy

listen none
    bind 127.0.0.1:$5
    default-server send-proxy
    server s 127.0.0.21:$sp no-send-proxy

frontend ap
    bind 127.0.0.1:$6 accept-proxy
    timeout client 1s
    use_backend chain if { src 192.0.2.0/24 }
    default_backend maas

frontend chain
    bind 127.0.0.1:$7 accept-proxy
    default_backend chain

backend chain
    server s 127.0.0.21:$sp send-proxy

listen retry
    bind 127.0.0.1:${10}
    balance first
    retries 1
    option redispatch
    server dead 127.0.0.21:$9 send-proxy
    server s 127.0.0.21:$sp send-proxy

frontend rules
    bind 127.0.0.1:${11} accept-proxy
    tcp-request connection reject if { src 127.0.0.7 }
    tcp-request connection reject if { src 192.0.2.66 }
    tcp-request content reject if { src 192.0.2.77 }
    default_backend maas

backend chk1
    server s 127.0.0.22:$8 send-proxy check inter 300ms

backend chk2
    server s 127.0.0.23:$8 send-proxy-v2 check inter 300ms

backend chk3
    server s 127.0.0.24:$8 send-proxy check inter 300ms addr 127.0.0.24

backend chk4
    option tcp-check
    tcp-check send ping\\n
    server s 127.0.0.25:$8 send-proxy check inter 300ms

backend chk5
    option tcp-check
    tcp-check connect
    tcp-check send ping\\n
    server s 127.0.0.26:$8 check-send-proxy check inter 300ms

backend chk6
    server s 127.0.0.27:$8 check-send-proxy check inter 300ms

backend maas
    balance source
    hash-type consistent
    server localhost 127.0.0.11:$bp
    server maas-api-1 127.0.0.12:$bp
    server maas-api-2 127.0.0.13:$bp
EOC
}
hp_cfgs 11
for who in HP HA; do
	eval "p=\${${who}_PORTS[7]}"
	for i in 2 3 4 5 6 7; do
		srvs+=("127.0.0.2$i" "$p" "$T_TMP/chk.$who.$i" -)
	done
done
python3 "$PPS" serve "${srvs[@]}" & cleanup_push "kill $!"
for ((n = 0; n < ${#srvs[@]}; n += 4)); do
	wait_for 10 _hp_port_open "${srvs[n]}" "${srvs[n + 1]}"
done
hp_both_start

hex() { xxd -p -c 4096 | tr -d "\n"; }
# thex: the same for text (no NUL byte), in the shell: the headers and
# lines below are ~130 of them, an xxd and a tr each
thex() {
	local LC_ALL=C s i out=
	IFS= read -rd '' s
	for ((i = 0; i < ${#s}; i++)); do
		printf -v out '%s%02x' "$out" "'${s:i:1}"
	done
	printf '%s' "$out"
}
HELLO=$(printf hello | thex)
# seen FRONTPORT LINE: LINE of what the server got, in hex, the port the
# client reached (each proxy's own: it ends the header, just before
# "hello") written FRONT
seen() {
	local h=$2
	h=${h//$(printf ' %s\r\n' "$1" | thex)$HELLO/[ FRONT CRLF]hello}
	h=${h//$(printf '%04x' "$1")$HELLO/[FRONT]hello}
	echo "$h"
}
# sends: ppserver.py's sends, each answer followed by a space
sends() {
	local r
	python3 "$PPS" sends | { mapfile -t r; printf '%s ' "${r[@]}"; }
}
# through PROXY SRC HEX: what the server got for HEX sent from SRC
# through the frontend of that index (hashproxy's, then haproxy's): the
# two lines the two sends, one after the other, added to its file
through() {
	local i=$1 src=$2 hex=$3 addr=127.0.0.1 n l
	[[ $src == *::* ]] && addr=::1
	mapfile -t l <"$T_TMP/seen"
	n=${#l[@]}
	printf '%s %s %s %s\n' "$addr" "${HP_PORTS[$i]}" "$src" "$hex" \
	    "$addr" "${HA_PORTS[$i]}" "$src" "$hex" | python3 "$PPS" sends >/dev/null
	mapfile -t l <"$T_TMP/seen"
	echo "HP: $(seen "${HP_PORTS[$i]}" "${l[n]}") HA: $(seen "${HA_PORTS[$i]}" "${l[n + 1]}") "
}
# same "HP: X HA: Y": X = Y, and not empty
same() {
	local hp=${1#HP: } ha=${1#* HA: }
	hp=${hp%% HA: *}
	[ -n "$hp" ] && [ "$hp" = "${ha% }" ] ||
	    { diag "hashproxy: $hp"; diag "haproxy:   $ha"; return 1; }
}

r=$(through 0 "127.0.0.5:$cport" "$HELLO")
ok "send-proxy: the v1 line before the client's bytes, as haproxy's" same "$r"
like "$r" "^HP: $(printf 'PROXY TCP4 127.0.0.5 127.0.0.1 %d' "$cport" | thex)" \
    "  it names the client's address and port"
r=$(through 1 "127.0.0.5:$cport" "$HELLO")
ok "send-proxy-v2: the binary header, as haproxy's" same "$r"
like "$r" "^HP: 0d0a0d0a000d0a515549540a2111000c7f0000057f000001$(printf %04x "$cport")" \
    "  PROXY command, TCP over IPv4, the client's address and port"
r=$(through 2 "[::1]:$cport" "$HELLO")
ok "send-proxy-v2 from default-server, a client on ::1: as haproxy's" same "$r"
like "$r" "^HP: 0d0a0d0a000d0a515549540a21210024" "  TCP over IPv6"
r=$(through 3 "[::1]:$cport" "$HELLO")
ok "send-proxy, a client on ::1: as haproxy's" same "$r"
like "$r" "^HP: $(printf 'PROXY TCP6 ::1 ::1 %d' "$cport" | thex)" "  TCP6"
r=$(through 9 "127.0.0.5:$cport" "$HELLO")
ok "a refused server, the retry redispatched: one header, as haproxy's" same "$r"
like "$r" "^HP: $(printf 'PROXY TCP4 127.0.0.5 127.0.0.1 %d' "$cport" | thex)\\[ FRONT CRLF\\]hello HA" \
    "  the header the retry built, once"
r=$(through 4 "127.0.0.5:$cport" "$HELLO")
ok "no-send-proxy after default-server send-proxy: no header" same "$r"
is "${r%% HA*}" "HP: $HELLO" "  only the client's bytes"

# accept-proxy: a client behind a front balancer, its header first
REQ=$(printf 'GET / HTTP/1.0\r\n\r\n' | thex)
v1hdr() { printf 'PROXY TCP%s %s %s 5555 80\r\n' "$1" "$2" "$3" | thex; }
v2hdr() {	# IPv4 SRC: PROXY command, TCP over IPv4, to 127.0.0.1:80
	local IFS=. a
	read -ra a <<<"$1"
	printf '0d0a0d0a000d0a515549540a2111000c%02x%02x%02x%02x7f000001%04x%04x' \
	    "${a[@]}" 5555 80
}
# names PORT HEADER SOURCES...: the server each claimed source reaches
names() {
	local p=$1 h=$2 src; shift 2
	for src; do
		printf '127.0.0.1 %s 127.0.0.1 %s\n' "$p" "$($h "$src")$REQ"
	done | sends
}
# names_both HEADER SOURCES...: names through hashproxy's frontend 5 (all
# of them first), then through haproxy's, into hp and ha: one ppserver.py
names_both() {
	local h=$1 src p r=() hx=(); shift
	for src; do hx+=("$($h "$src")$REQ"); done
	for p in "${HP_PORTS[5]}" "${HA_PORTS[5]}"; do
		printf "127.0.0.1 $p 127.0.0.1 %s\n" "${hx[@]}"
	done | python3 "$PPS" sends >"$T_TMP/names"
	mapfile -t r <"$T_TMP/names"
	printf -v hp '%s ' "${r[@]:0:$#}"
	printf -v ha '%s ' "${r[@]:$#}"
}
v1four() { v1hdr 4 "$1" 127.0.0.1; }
v1six() { v1hdr 6 "$1" ::1; }
srcs=$(hp_sources 12)
names_both v1four $srcs
is "$hp" "$ha" "accept-proxy, v1 headers from 12 claimed sources: balance source picks haproxy's servers"
ok "  the claimed source is hashed, not the front balancer's (several servers)" \
    test "$(tr ' ' '\n' <<<"$hp" | grep -v '^$' | sort -u | grep -vc closed)" -ge 2
names_both v2hdr $srcs
is "$hp" "$ha" "v2 headers: the same servers as haproxy"
srcs6="2001:db8::1 2001:db8::2:7 2001:db8:5::9 fd00::1234 2001:db8::ff 2001:db8:1::1"
names_both v1six $srcs6
is "$hp" "$ha" "TCP6 headers (IPv6 sources): the same servers as haproxy"
garbage() { printf 'GARBAGE\r\n' | thex; }
nohdr() { :; }
call() { "$1"; }
names_both call garbage nohdr
is "$hp|$ha" "closed closed |closed closed " \
    "garbage, or no header at all: both close the connection"
like "$(cat "$T_TMP/hp.err")" "frontend ap: client 127\.0\.0\.1:[0-9]+: not a PROXY header, closed" \
    "  hashproxy logs it"

# a header in two segments: the first part waits for the rest, as the
# protocol asks (haproxy 2.6 closes it: it peeks at the socket and cannot
# wait on bytes it left there; hashproxy(8) CAVEATS)
split() {
	local h
	h=$($1 "$2")
	printf '127.0.0.1 %s 127.0.0.1 %s %s\n' "${HP_PORTS[5]}" "${h:0:$3}" "${h:$3}$REQ"
}
is "$({ split v1four 127.9.9.9 20; split v2hdr 127.9.9.9 40; } | sends)" \
    "$(names "${HP_PORTS[5]}" v1four 127.9.9.9)$(names "${HP_PORTS[5]}" v2hdr 127.9.9.9)" \
    "a v1 or v2 header in two segments: the server it reaches whole"
# half a header, then nothing: closed once "timeout client" (1s) is up
hp=$(python3 "$PPS" stall 127.0.0.1 "${HP_PORTS[5]}" "$(v1four 127.9.9.9 | head -c 20)" 5)
ha=$(python3 "$PPS" stall 127.0.0.1 "${HA_PORTS[5]}" "$(v1four 127.9.9.9 | head -c 20)" 5)
like "$hp|$ha" "^closed [0-9]+\|closed [0-9]+$" "half a header: both close the connection"
ok "  hashproxy after timeout client, 1s (${hp#closed } ms)" \
    test "${hp#closed }" -ge 900 -a "${hp#closed }" -lt 4000
like "$(cat "$T_TMP/hp.err")" "client 127\.0\.0\.1:[0-9]+: no PROXY header in time, closed" \
    "  logged"
# (after the lines above: the log is rate limited, 10 lines a site per 5s)
# odd headers, each taken or refused as haproxy 2.6 does: it reads v1
# leniently, refuses v2 families other than TCP, checks TLVs' lengths
odd() {
	case $1 in
	port) printf 'PROXY TCP4 127.1.2.3 127.0.0.1 1 65536\r\n' | thex ;;
	noport) printf 'PROXY TCP4 127.1.2.3 127.0.0.1  2\r\n' | thex ;;
	octet) printf 'PROXY TCP4 127.3.2.400 127.0.0.1 1 2\r\n' | thex ;;
	three) printf 'PROXY TCP4 127.8.9 127.0.0.1 1 2\r\n' | thex ;;
	zeros) printf 'PROXY TCP4 0127.05.006.7 127.0.0.1 1 2\r\n' | thex ;;
	five) printf 'PROXY TCP4 1.2.3.4.5 5.6.7.8 1 2\r\n' | thex ;;
	tcp5) printf 'PROXY TCP5 1.2.3.4 5.6.7.8 1 2\r\n' | thex ;;
	six4) printf 'PROXY TCP6 1.2.3.4 5.6.7.8 1 2\r\n' | thex ;;
	mapped) printf 'PROXY TCP6 ::ffff:127.4.5.6 ::1 1 2\r\n' | thex ;;
	space) printf 'PROXY TCP4 1.2.3.4 5.6.7.8 1 2 \r\n' | thex ;;
	lf) printf 'PROXY TCP4 1.2.3.4 5.6.7.8 1 2\n' | thex ;;
	unknown) printf 'PROXY UNKNOWN\r\n' | thex ;;
	unknownx) printf 'PROXY UNKNOWN what ever\r\n' | thex ;;
	v3) echo 0d0a0d0a000d0a515549540a3111000c7f0000057f00000115b30050 ;;
	cmd2) echo 0d0a0d0a000d0a515549540a2211000c7f0000057f00000115b30050 ;;
	short) echo 0d0a0d0a000d0a515549540a211100087f0000057f000001 ;;
	udp) echo 0d0a0d0a000d0a515549540a2112000c7f0000057f00000115b30050 ;;
	unspec) echo 0d0a0d0a000d0a515549540a21000000 ;;
	tlv) echo 0d0a0d0a000d0a515549540a21110011c8000205c800020615b30050040002787a ;;
	badtlv) echo 0d0a0d0a000d0a515549540a21110011c8000205c800020615b30050040009787a ;;
	localjunk) echo 0d0a0d0a000d0a515549540a20110005ffffffffff ;;
	esac
}
oddkinds="port noport octet three zeros five tcp5 six4 mapped space lf unknown
unknownx v3 cmd2 short udp unspec tlv badtlv localjunk"
names_both odd $oddkinds
is "$hp" "$ha" "odd headers ($(echo $oddkinds)): taken or refused, and hashed, as by haproxy"

# tcp-request connection rules run before the header, on the socket's
# source; content rules after it, on the header's
rules() {
	local r
	r=$(printf '127.0.0.1 %s %s %s\n' \
	    "$1" 127.0.0.7 "$(v1four 127.5.5.5)$REQ" \
	    "$1" 127.0.0.1 "$(v1four 192.0.2.66)$REQ" \
	    "$1" 127.0.0.1 "$(v1four 192.0.2.77)$REQ" | sends)
	echo "${r% }"
}
hp=$(rules "${HP_PORTS[10]}") ha=$(rules "${HA_PORTS[10]}")
is "$hp" "$ha" "tcp-request connection on the socket's source, content on the header's: as haproxy"
like "$hp" "^closed (localhost|maas-api-1|maas-api-2) closed$" \
    "  the front balancer's address rejected, a claimed one only by content"

# chained: the claimed addresses go on to a send-proxy server
r=$(through 6 "127.0.0.5:$cport" "$(v1hdr 4 192.0.2.7 198.51.100.9)$HELLO")
ok "accept-proxy then send-proxy: the original client passed on, as haproxy" same "$r"
like "$r" "^HP: $(printf 'PROXY TCP4 192.0.2.7 198.51.100.9 5555 80\r\n' | thex)$HELLO " \
    "  the header's addresses, not the front balancer's"
r=$(through 5 "127.0.0.5:$cport" "$(v1hdr 4 192.0.2.9 127.0.0.1)$HELLO")
ok "the src ACL sees the claimed source (use_backend if src), as haproxy" same "$r"
like "$r" "^HP: $(printf 'PROXY TCP4 192.0.2.9 127.0.0.1 5555 80\r\n' | thex)$HELLO " \
    "  it went to the backend the rule names"
# a v2 header with a TLV (type 4, NOOP) before the client's bytes
tlv=0d0a0d0a000d0a515549540a21110011c0000205c000020615b30050040002787a
r=$(through 6 "127.0.0.5:$cport" "$tlv$HELLO")
ok "a v2 header with a TLV, chained: as haproxy" same "$r"
like "$r" "^HP: $(printf 'PROXY TCP4 192.0.2.5 192.0.2.6 5555 80\r\n' | thex)$HELLO " \
    "  the TLV skipped, the addresses passed on"
local2=0d0a0d0a000d0a515549540a20000000
r=$(through 6 "127.0.0.5:$cport" "$local2$HELLO")
ok "a v2 LOCAL header: the connection's own addresses go on, as haproxy" same "$r"
like "$r" "^HP: $(printf 'PROXY TCP4 127.0.0.5 127.0.0.1 %d' "$cport" | thex)" \
    "  the front balancer's address"

# checks: what each check server got first (the line of wait_for's
# probe is empty), ports written P
chk() {
	grep -m 1 . "$T_TMP/chk.$1.$2" | xxd -r -p |
	    sed 's/ [0-9]* [0-9]*\r$/ P P\r/' | hex
}
chk_same() { [ "$(chk HP "$1")" = "$(chk HA "$1")" ]; }
# the probe's line and a check's at least (haproxy's connect-only check
# of chk3 resets before its handshake is over: the server sees none)
for i in 2 3 4 5 6 7; do
	wait_for 10 lines "$T_TMP/chk.HP.$i" 2
	[ $i = 4 ] || wait_for 10 lines "$T_TMP/chk.HA.$i" 2
done
ok "a check of a send-proxy server sends the v1 line, as haproxy" chk_same 2
is "$(chk HP 2 | xxd -r -p)" "$(printf 'PROXY TCP4 127.0.0.1 127.0.0.22 P P\r')" \
    "  the check connection's own addresses"
ok "send-proxy-v2: the check says v2 LOCAL, as haproxy" chk_same 3
is "$(chk HP 3)" 0d0a0d0a000d0a515549540a20000000 "  LOCAL, no address"
ok "a check with addr: no header, as haproxy" chk_same 4
is "$(chk HP 4)" "" "  the server got nothing from $(($(wc -l <"$T_TMP/chk.HP.4") - 1)) checks"
ok "tcp-check's implicit connect: the header, then the rules' bytes" chk_same 5
is "$(chk HP 5 | xxd -r -p)" "$(printf 'PROXY TCP4 127.0.0.1 127.0.0.25 P P\r\nping')" \
    "  header and ping"
ok "check-send-proxy, an explicit tcp-check connect: no header, as haproxy" chk_same 6
is "$(chk HP 6 | xxd -r -p)" ping "  only the rule's bytes"
ok "check-send-proxy on a server without send-proxy: the v1 line, as haproxy" chk_same 7
is "$(chk HP 7 | xxd -r -p)" "$(printf 'PROXY TCP4 127.0.0.1 127.0.0.27 P P\r')" \
    "  the check connection's own addresses"

# a reload drops accept-proxy from a bind it keeps: plain clients again
sed -i "s/^\(    bind 127.0.0.1:${HP_PORTS[5]}\) accept-proxy$/\1/" "$T_TMP/hp.cfg"
kill -HUP "$HP_PID"
wait_for 5 grep -q '^reload result=ok' "$T_TMP/hp.ev"
plain() { :; }
like "$(names "${HP_PORTS[5]}" plain x)" "^(localhost|maas-api-1|maas-api-2) $" \
    "reloaded without accept-proxy: a client without a header is served"
sed -i "s/^\(    bind 127.0.0.1:${HP_PORTS[5]}\)$/\1 accept-proxy/" "$T_TMP/hp.cfg"
kill -HUP "$HP_PID"
wait_for 5 test "$(grep -c '^reload result=ok' "$T_TMP/hp.ev")" -ge 2
is "$(names "${HP_PORTS[5]}" plain x)" "closed " "and with it again: closed"

done_testing
