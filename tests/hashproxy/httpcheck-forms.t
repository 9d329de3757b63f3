#!/bin/bash
# SPDX-License-Identifier: ISC
# The http-check forms of haproxy 2.2+ that real configs use (kubeadm's
# "http-check send meth GET uri /healthz", connect port, send with
# headers and a body, the older "option httpchk ... HTTP/1.1\r\nHost:\ x",
# expect hdr / fhdr, rstring, several connect/send/expect in a row,
# connect addr and send-proxy): hashproxy and a real haproxy 2.6 with the
# same config mark the same servers up, with the same check status, a
# server that answers right and one that answers wrong for each form.
# tests/hashproxy/httpsrv.py echoes each request in its reply, so the
# expect rules also check what the check sent.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/hp.sh"
command -v haproxy >/dev/null || cannot_run "haproxy is not installed"

SRV="$T_TOP/tests/hashproxy/httpsrv.py"
sp=$(free_port) closed=$(free_port)
srv() {	# IP MODE
	python3 "$SRV" "$1" "$sp" "$2" >/dev/null 2>&1 &
	cleanup_push "kill $!"
	wait_for 30 _hp_port_open "$1" "$sp"
}
srv 127.0.0.81 good
srv 127.0.0.82 bad
python3 "$T_TOP/tests/hashproxy/chkserver.py" 127.0.0.83 "$sp" mute >/dev/null 2>&1 &
cleanup_push "kill $!"
wait_for 30 _hp_port_open 127.0.0.83 "$sp"

px() {	# NAME PORT SERVER-PORT CHECK-LINES...
	local n=$1 p=$2 s=$3 l; shift 3
	printf 'listen %s\n    bind 127.0.0.1:%s\n' "$n" "$p"
	for l in "$@"; do printf '    %s\n' "$l"; done
	printf '    server good 127.0.0.81:%s check\n' "$s"
	printf '    server bad 127.0.0.82:%s check\n' "$s"
}
cfg() {
	cat <<EOC
defaults
    mode tcp
    timeout connect 2s
    timeout client 5s
    timeout server 5s
    timeout check 3s
    default-server inter 200ms rise 1 fall 1
EOC
	px kubeadm "$1" "$sp" 'option httpchk' \
	    'http-check send meth GET uri /healthz' 'http-check expect status 200'
	px port "$2" "$closed" 'option httpchk' "http-check connect port $sp" \
	    'http-check send meth GET uri /healthz' 'http-check expect status 200-399'
	px send "$3" "$sp" 'option httpchk HEAD /x' \
	    'http-check connect' \
	    'http-check send meth POST uri /in ver HTTP/1.1 hdr Host example.org hdr X-Check "two words" body payload' \
	    'http-check expect status 200' \
	    'http-check expect rstring "POST /in HTTP/1.1\r\nhost: example.org\r\nx-check: two words\r\ncontent-length: 7\r\nconnection: close\r\n\r\npayload"'
	px oldform "$4" "$sp" 'option httpchk GET /healthz HTTP/1.1\r\nHost:\ x' \
	    'http-check expect status 200' \
	    'http-check expect string "GET /healthz HTTP/1.1\r\nhost: x\r\nconnection: close\r\n\r\n"'
	px inherit "$5" "$sp" 'option httpchk GET /from-option' \
	    'http-check send hdr Host h' 'http-check expect status 200' \
	    'http-check expect string "GET /from-option HTTP/1.0\r\nhost: h\r\n\r\n"'
	px hdr "$6" "$sp" 'option httpchk' 'http-check expect hdr name x-role value primary'
	px hdrm "$7" "$sp" 'option httpchk' \
	    'http-check expect hdr name -m beg X-RO value -m sub rim'
	px hdrlist "$8" "$sp" 'option httpchk' 'http-check expect hdr name x-list value b'
	px fhdr "$9" "$sp" 'option httpchk' 'http-check expect fhdr name x-list value "a, b"'
	px nothdr "${10}" "$sp" 'option httpchk' \
	    'http-check expect ! hdr name x-role value -m reg ^rep'
	px hdrname "${11}" "$sp" 'option httpchk' 'http-check expect hdr name x-list'
	px rstring "${12}" "$sp" 'option httpchk' 'http-check comment "role probe"' \
	    'http-check expect rstring role=prim[a-z]+'
	px seq "${13}" "$sp" 'option httpchk' 'http-check connect' \
	    'http-check send meth GET uri /one' 'http-check expect status 100-599' \
	    'http-check expect string "GET /one "' "http-check connect port $sp" \
	    'http-check send meth GET uri /two' 'http-check expect status 200'
	px proxyv1 "${14}" "$sp" 'option httpchk' 'http-check connect send-proxy linger' \
	    'http-check send meth GET uri /p' \
	    "http-check expect rstring \"^ok.*\\nPROXY TCP4 127(\\.[0-9]+){3} 127\\.0\\.0\\.81 [0-9]+ $sp\\r\\nGET /p \""
	px msgs "${15}" "$sp" 'option httpchk' \
	    'http-check expect on-success "all good" on-error "not the primary" status 200'
	# connect addr: every server's check goes to the good one
	printf 'listen addr\n    bind 127.0.0.1:%s\n    option httpchk\n' "${16}"
	printf '    http-check connect addr 127.0.0.81 port %s\n' "$sp"
	printf '    server elsewhere 127.0.0.89:%s check\n' "$closed"
	# a server that never answers: the expect's tout-status
	printf 'listen tout\n    bind 127.0.0.1:%s\n    option httpchk\n' "${17}"
	printf '    timeout check 300ms\n    timeout connect 300ms\n'
	printf '    http-check expect tout-status L4TOUT status 200\n'
	printf '    server mute 127.0.0.83:%s check\n' "$sp"
}
forms="kubeadm port send oldform inherit hdr hdrm hdrlist fhdr nothdr hdrname rstring seq proxyv1 msgs addr tout"
hp_cfgs $(wc -w <<<"$forms")
hp_both_start

# st hp|ha PROXY: "server status check_status" of PROXY's servers in the
# last snapshot (srv_same_check's)
st() { srv_states "$T_TMP/$1.st" "$2"; }
up() { st hp "$1" | awk '$2 == "UP" { printf "%s ", $1 }'; }

srv_same_check 30 "the same servers up, the same check status as haproxy" $forms
for p in kubeadm port send oldform inherit hdr hdrm hdrlist fhdr nothdr \
    rstring seq proxyv1 msgs; do
	is "$(up "$p")" "good " "$p: the server that answers right is up, the other down"
done
is "$(up hdrname)" "bad good " "hdr with a name only: both have the header"
is "$(up addr)" "elsewhere " "connect addr: the check goes to that address"
is "$(st hp tout)" "mute DOWN L4TOUT" "a reply that never comes: the expect's tout-status"

# haproxy's last_chk (the check's info) ends hashproxy's check
# description, which its up and down event lines carry
desc() { ctl "$T_TMP/ha.sock" "show stat" | awk -F, -v px="$1" -v sv="$2" '
	NR == 1 { for (i = 1; i <= NF; i++) { h = $i; sub(/^# /, "", h); c[h] = i }; next }
	$1 == px && $2 == sv { print $c["last_chk"] }'; }
same_info() {	# PROXY SERVER up|down; haproxy's last_chk in $T_TMP/desc
	local d
	d=$(desc "$1" "$2")
	printf '%s' "$d" >"$T_TMP/desc"
	[ -n "$d" ] && grep "^$3 backend=$1 server=$2 " "$T_TMP/hp.ev" |
	    grep -qF "info: $d, check duration"
}
for f in "hdr bad down" "msgs bad down" "kubeadm bad down" "rstring bad down" \
    "fhdr bad down" "seq bad down"; do
	set -- $f
	# haproxy empties last_chk while a check runs, and a check slowed
	# down by a loaded machine may say something else once: compare
	# with the last_chk the wait saw, not with a second reading
	wait_for 10 same_info "$@"
	like "$(grep "^$3 backend=$1 server=$2 " "$T_TMP/hp.ev")" \
	    "info: $(cat "$T_TMP/desc"), check duration" "$1/$2: the same info as haproxy's last_chk"
done

bad() { printf 'listen x\n bind 127.0.0.1:1\n option httpchk\n%b server s 127.0.0.1:2 check\n' "$1" >"$T_TMP/bad.cfg"
	hashproxy -c -f "$T_TMP/bad.cfg" 2>&1; }
like "$(bad ' http-check connect ssl\n')" 'bad.cfg:4: .*http-check connect "ssl": not supported \(TLS' \
    "connect ssl: refused, no TLS"
like "$(bad ' http-check connect port 1 sni x\n')" 'bad.cfg:4: .*"sni": not supported \(TLS' \
    "connect sni: refused, no TLS"
like "$(bad ' http-check send meth GET\n http-check expect status 200\n http-check send uri /b\n')" \
    'bad.cfg:6: .*unable to add http-check send rule \(missing connect rule\)' \
    "a second send needs its own connect, as in haproxy"
like "$(bad ' http-check send meth GET\n http-check connect port 80\n')" \
    'bad.cfg:5: .*the first rule must then be a connect' "a connect after a send"
like "$(bad ' http-check send hdr Host %[src]\n')" 'bad.cfg:4: .*log-format' \
    "a log-format header value is refused"
like "$(bad ' http-check expect hdr name x value -m bad y\n')" \
    'bad.cfg:4: .*-m "bad": should be str, beg, end, sub or reg' "an unknown -m method"
like "$(bad ' http-check set-var(check.x) str(a)\n')" 'bad.cfg:4: .*ignored' \
    "set-var: a warning (nothing reads variables)"
done_testing
