#!/bin/bash
# SPDX-License-Identifier: ISC
# use_backend with the L4 ACLs and tcp-request accept|reject rules, beside
# haproxy 2.6 running the same file (ports filled in per proxy): for a
# matrix of client sources (and destination addresses and ports, and
# source ports), the backend each client reaches is the one haproxy
# sends it to, and the one the rules name; a rejected client's
# connection is closed without reaching any server, for both, counted in
# dcon/dreq for both; a backend only use_backend reaches is checked and
# listed as a default one; and bad rules are refused with file:line.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/hp.sh"

command -v haproxy >/dev/null || cannot_run "haproxy is not installed"
command -v curl >/dev/null || cannot_run "curl is not installed"

sp=$(free_port)
hp_backend one 127.0.0.51 "$sp"
hp_backend two 127.0.0.52 "$sp"
hp_backend three 127.0.0.53 "$sp"
hp_backend guard 127.0.0.54 "$sp"

# networks from a file: comments, blank lines, blanks before a value
cat >"$T_TMP/nets.lst" <<'EOF'
# clients of the third backend
127.14.0.0/16

   127.15.1.1
# an IPv6 network beside them
2001:db8::/32
EOF

# src_port: curl binds one; a base per run keeps the 4-tuples apart.
# Below the kernel's ephemeral range: a client without --local-port gets
# a port from it, and one in lowport's range went to backend three
# (haproxy's client from 127.0.0.1 did in a make check run)
read -r eph_lo _ < /proc/sys/net/ipv4/ip_local_port_range
lp=$(( 10000 + $(od -An -N2 -tu2 /dev/urandom | tr -d ' ') % (eph_lo - 10200) / 100 * 100 ))

cat >"$T_TMP/cfg" <<EOF
defaults
    mode tcp
    timeout connect 2s
    timeout client 30s
    timeout server 30s

# use_backend: first match wins, else the default_backend
frontend sw
    bind 127.0.0.1:@F1@
    acl net10 src 127.10.0.0/16 127.12.0.1
    acl fromfile src -f $T_TMP/nets.lst
    acl lowport src_port $lp:$((lp + 49))
    acl lowport src_port eq $((lp + 90))
    acl yes always_true
    use_backend strict if { src 127.70.0.0/15 } yes
    use_backend two if net10 !{ src 127.10.9.0/24 }
    use_backend three if fromfile or { src 127.13.0.0/16 } || lowport
    use_backend two unless { src 127.0.0.0/9 } or { src 127.250.0.0/16 }
    default_backend one

# dst and dst_port, and a frontend without a default_backend
frontend dst
    bind 127.0.0.1:@F2@
    bind 127.0.0.2:@F2@
    bind 127.0.0.1:@F3@
    use_backend two if { dst 127.0.0.2 }
    use_backend three if { dst_port @F3@ }
    use_backend one if { src 127.20.0.0/16 }

# tcp-request: accept and reject, connection and content, in order
listen guard
    bind 127.0.0.1:@F4@
    tcp-request inspect-delay 5s
    acl bad src 127.66.0.0/16
    tcp-request connection accept if { src 127.66.1.1 }
    tcp-request connection reject if bad
    tcp-request content reject if { src 127.67.0.1 } || { src 127.67.0.2 }
    tcp-request content accept if TRUE
    tcp-request content reject if LOCALHOST
    server g 127.0.0.54:$sp

backend one
    server s 127.0.0.51:$sp
backend two
    server s 127.0.0.52:$sp
backend three
    server s 127.0.0.53:$sp check inter 200ms
# a backend's own tcp-request content rules, after use_backend
backend strict
    acl bad src 127.70.0.0/16
    tcp-request content reject if bad
    server s 127.0.0.53:$sp
EOF

# IPv6 where the loopback has it (the README makes it optional)
if lo_has_ipv6; then
	cat >>"$T_TMP/cfg" <<EOF
frontend v6
    bind [::1]:@F5@
    acl v6lo src ::1
    use_backend three if { src 2001:db8::/32 } or { dst 127.0.0.1 }
    use_backend two if v6lo { dst ::1/128 } { dst_port @F5@ }
    default_backend one
EOF
fi

# ten ports, all different (free_port binds none of them)
# ports() P: P's five ports, all different (free_port binds none of them),
# picked right before P starts: other tests on this host pick too
declare -A F
used=" $sp "
ports() {
	local p=$1 i
	for i in 1 2 3 4 5; do
		until F[$p$i]=$(free_port); [[ $used != *" ${F[$p$i]} "* ]]; do :; done
		used+="${F[$p$i]} "
	done
	sed "s/@F1@/${F[${p}1]}/; s/@F2@/${F[${p}2]}/g; s/@F3@/${F[${p}3]}/g; s/@F4@/${F[${p}4]}/; s/@F5@/${F[${p}5]}/g" \
	    "$T_TMP/cfg" >"$T_TMP/$p.cfg"
}
# start P CMD LOG: one more try with other ports when one was taken since
start() {
	local p=$1 cmd=$2 log=$3 try
	for try in 1 2 3; do
		ports "$p"
		"$cmd" "$T_TMP/$p.cfg" && return 0
		grep -q "Address already in use" "$log" || break
		diag "$p: a port was taken meanwhile; other ports"
	done
	bail "$cmd did not start: $(tail -3 "$log")"
}
# ha_start adds its stats socket to the file it runs
start ha ha_start "$T_TMP/ha.log"
start hp hp_start "$T_TMP/hp.err"
ok "hashproxy runs the rules" kill -0 "$HP_PID"

# clients from sources on 127/8: what each reaches ("SRC NAME")
srcs=(127.0.0.1 127.10.1.1 127.10.9.9 127.12.0.1 127.12.0.2 127.13.5.5
    127.14.200.1 127.15.1.1 127.15.1.2 127.128.0.1 127.200.3.4 127.250.0.9
    127.70.0.1 127.71.0.1)
want="127.0.0.1 one
127.10.1.1 two
127.10.9.9 one
127.12.0.1 two
127.12.0.2 one
127.13.5.5 three
127.14.200.1 three
127.15.1.1 three
127.15.1.2 one
127.128.0.1 two
127.200.3.4 two
127.250.0.9 one
127.70.0.1 
127.71.0.1 three"
ha=$(map_of "${F[ha1]}" "${srcs[@]}")
is "$ha" "$want" "haproxy: use_backend with src, -f, !, or, ||, unless, { }"
is "$(map_of "${F[hp1]}" "${srcs[@]}")" "$ha" "hashproxy: every client reaches the backend haproxy sends it to"

# src_port: a chosen source port, from another address for each proxy (a
# port in TIME_WAIT cannot be bound again on the same one)
byport() {	# SRC FRONTPORT SRCPORT
	curl -s --max-time 5 --interface "$1" --local-port "$3" "http://127.0.0.1:$2/"
}
for sport in $lp $((lp + 49)) $((lp + 50)) $((lp + 90)) $((lp + 91)); do
	h=$(byport 127.0.0.2 "${F[ha1]}" "$sport")
	x=$(byport 127.0.0.3 "${F[hp1]}" "$sport")
	case $sport in $lp|$((lp + 49))|$((lp + 90))) w=three ;; *) w=one ;; esac
	is "$h/$x" "$w/$w" "src_port $sport (ranges, eq): haproxy and hashproxy reach $w"
done

# dst and dst_port; no default_backend: an unmatched client is closed
dst_of() {	# ADDR PORT SOURCES...
	local a=$1 p=$2; shift 2
	printf '%s\n' "$@" >"$T_TMP/dst.src"
	"$HP_CLIENT" "$a" "$p" "$T_TMP/dst.src" | sed 's/ -$/ /'
}
for p in ha hp; do
	r[0]=$(dst_of 127.0.0.2 "${F[${p}2]}" 127.0.0.1 127.20.0.1)
	r[1]=$(dst_of 127.0.0.1 "${F[${p}3]}" 127.0.0.1 127.20.0.1)
	r[2]=$(dst_of 127.0.0.1 "${F[${p}2]}" 127.0.0.1 127.20.0.1)
	is "${r[*]}" "127.0.0.1 two
127.20.0.1 two 127.0.0.1 three
127.20.0.1 three 127.0.0.1 
127.20.0.1 one" "$p: dst, then dst_port, then src; no match and no default_backend: closed, unanswered"
done

# IPv6: src and dst networks, dst_port
if lo_has_ipv6; then
	for p in ha hp; do
		is "$(dst_of ::1 "${F[${p}5]}" ::1)" "::1 two" "$p: an IPv6 client by src, dst and dst_port"
	done
else
	skip_optional 2 "no IPv6 on the loopback"
fi

# tcp-request: rejected clients get nothing, and no server sees them
gsrcs=(127.0.0.1 127.66.1.1 127.66.2.2 127.67.0.1 127.67.0.2 127.68.0.1)
want="127.0.0.1 guard
127.66.1.1 guard
127.66.2.2 
127.67.0.1 
127.67.0.2 
127.68.0.1 guard"
is "$(map_of "${F[ha4]}" "${gsrcs[@]}")" "$want" "haproxy: tcp-request connection/content accept|reject in order"
is "$(map_of "${F[hp4]}" "${gsrcs[@]}")" "$want" "hashproxy: the same clients pass, the same are closed"

# column NAME of the row PXNAME,SVNAME of show stat on SOCKET
col() {
	ctl "$1" "show stat" | awk -F, -v px="$2" -v sv="$3" -v c="$4" '
	    NR == 1 { sub(/^# /, ""); for (i = 1; i <= NF; i++) if ($i == c) n = i; next }
	    $1 == px && $2 == sv { print $n }'
}
for c in guard:dcon guard:dreq guard:stot guard:conn_tot dst:stot dst:conn_tot; do
	h=$(col "$T_TMP/ha.sock" "${c%:*}" FRONTEND "${c#*:}")
	x=$(col "$T_TMP/hp.sock" "${c%:*}" FRONTEND "${c#*:}")
	is "$x" "$h" "show stat ${c%:*} FRONTEND ${c#*:}: hashproxy $x, haproxy $h"
done
is "$(col "$T_TMP/hp.sock" sw FRONTEND dreq)/$(col "$T_TMP/hp.sock" strict BACKEND stot)" \
    "$(col "$T_TMP/ha.sock" sw FRONTEND dreq)/$(col "$T_TMP/ha.sock" strict BACKEND stot)" \
    "a backend's content reject: the frontend's dreq and the backend's stot as haproxy's"
is "$(col "$T_TMP/hp.sock" sw FRONTEND dreq)/$(col "$T_TMP/hp.sock" strict s stot)" 1/1 \
    "... one rejected there, and its server saw only the other client"
is "$(col "$T_TMP/hp.sock" guard FRONTEND dcon)/$(col "$T_TMP/hp.sock" guard FRONTEND dreq)" 1/2 \
    "one client refused by a connection rule, two by content rules"
is "$(col "$T_TMP/hp.sock" guard g stot)/$(col "$T_TMP/ha.sock" guard g stot)" 3/3 \
    "the server saw only the three accepted clients, with either proxy"

# a backend only use_backend reaches: checked, and in show stat
ok "hashproxy checks backend three (only use_backend reaches it): UP" \
    wait_for 10 sh -c '[ "$(echo "show stat" | socat -t 5 stdio "unix-connect:$1" |
	awk -F, "\$1 == \"three\" && \$2 == \"s\" { print \$18 }")" = UP ]' _ "$T_TMP/hp.sock"
# "* L4OK" while the next check runs (haproxy's mark, hashproxy's too)
like "$(col "$T_TMP/hp.sock" three s check_status)" "^(\* )?L4OK$" "... its check ran (L4OK), as haproxy's: $(col "$T_TMP/ha.sock" three s check_status)"

# reload: the rules of the new file apply, the old ones are gone
sed -i 's/use_backend two if net10 !{ src 127.10.9.0\/24 }/use_backend three if net10/' "$T_TMP/hp.cfg"
kill -HUP "$HP_PID"
ok "reload: result=ok" wait_for 10 grep -q "result=ok" "$T_TMP/hp.ev"
is "$(map_of "${F[hp1]}" 127.10.1.1 127.10.9.9)" "127.10.1.1 three
127.10.9.9 three" "after a reload the new use_backend rules route"

# configuration errors: hashproxy -c exits 2 naming file:line, haproxy -c
# refuses the same file (or where it does not, the test says why)
n=0
bad() {	# WANT-HAPROXY(refuse|accept) REGEX DESC then the lines of a frontend
	local hwant=$1 re=$2 desc=$3 f h x out; shift 3
	n=$((n + 1))
	f=$T_TMP/bad$n.cfg
	{
		printf 'defaults\n    mode tcp\n    timeout connect 1s\n'
		printf '    timeout client 1s\n    timeout server 1s\n'
		printf 'frontend f\n    bind 127.0.0.1:%s\n' "$(free_port)"
		printf '    %s\n' "$@"
		printf 'backend b\n    server s 127.0.0.51:%s\n' "$sp"
	} >"$f"
	haproxy -c -f "$f" >"$T_TMP/bad.ha" 2>&1 && h=accept || h=refuse
	out=$(hashproxy -c -f "$f" 2>&1)
	x=$?
	is "$x/$h" "2/$hwant" "$desc: hashproxy -c exits 2, haproxy -c: $hwant"
	like "$out" "error: $f:$re" "$desc: the error names file:line and why"
}
bad refuse '9: frontend f: use_backend: no such ACL: "nosuch"' "unknown ACL" \
    'default_backend b' 'use_backend b if nosuch'
bad refuse '8: frontend f: use_backend "nope": no such backend' "missing backend" \
    'use_backend nope if TRUE' 'default_backend b'
bad refuse '8: frontend f: acl x: -f /nonexistent/nets.lst: No such file' "-f of a missing file" \
    'acl x src -f /nonexistent/nets.lst' 'default_backend b'
bad refuse '8: frontend f: acl x: "10.1.2.3/33" is not an IPv4' "a bad network" \
    'acl x src 10.1.2.3/33' 'default_backend b'
bad refuse '8: frontend f: acl x: "http" is not a port' "a bad port" \
    'acl x dst_port http' 'default_backend b'
bad refuse '8: frontend f: use_backend: "when": only "if" or "unless"' "if|unless" \
    'use_backend b when TRUE' 'default_backend b'
bad refuse '8: frontend f: acl a/b: name' "a bad ACL name" \
    'acl a/b src 10.0.0.1' 'default_backend b'
bad refuse '10: backend c: tcp-request connection: not allowed in a backend' "tcp-request connection in a backend" \
    'default_backend c' 'backend c' 'tcp-request connection reject' 'server s 127.0.0.51:1'
# haproxy runs these; an HTTP fetch or a payload one does not work at
# L4 and other actions would not be done: refused rather than ignored
bad accept '9: frontend f: use_backend: ACL h \(.*:8\): path_beg: HTTP only' "an HTTP criterion in a rule" \
    'acl h path_beg /img' 'use_backend b if h' 'default_backend b'
bad accept '8: frontend f: tcp-request content: req.ssl_sni: content inspection is not done at L4' \
    "a payload criterion" 'tcp-request content reject if { req.ssl_sni -m end .example }' 'default_backend b'
bad accept '8: frontend f: tcp-request connection expect-proxy: not supported \(only accept and reject\)' \
    "another tcp-request action" 'tcp-request connection expect-proxy layer4 if TRUE' 'default_backend b'
bad accept '8: frontend f: tcp-request content: ACL WAIT_END: content inspection' "WAIT_END" \
    'tcp-request content reject if WAIT_END' 'default_backend b'
bad accept '8: frontend f: use_backend "%\[src\]": a name made by log-format' "a log-format backend name" \
    'use_backend %[src]' 'default_backend b'
bad accept '8: frontend f: use_backend: if: a condition expected' "an empty condition (haproxy: never matches)" \
    'use_backend b if' 'default_backend b'
# an ACL that only an ignored HTTP rule uses is harmless, as in haproxy
f=$T_TMP/harmless.cfg
printf 'defaults\n    mode tcp\n    timeout connect 1s\n    timeout client 1s\n    timeout server 1s\nfrontend f\n    bind 127.0.0.1:1\n    acl h path_beg /img\n    http-request deny if h\n    default_backend b\nbackend b\n    server s 127.0.0.51:%s\n' "$sp" >"$f"
is "$(hashproxy -c -f "$f" >/dev/null 2>&1; echo $?)/$(haproxy -c -f "$f" >/dev/null 2>&1; echo $?)" 0/0 \
    "an HTTP ACL only an ignored http-request uses: both accept the file"
done_testing
