#!/bin/bash
# SPDX-License-Identifier: ISC
# http-check expect in the forms haproxy 2.6 takes: status lists and
# ranges, rstatus, string, rstring, each negated with "!", several rules
# in a row.  hashproxy and a real haproxy with the same config agree on
# which servers are up, with the same check status.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/hp.sh"

sp=$(free_port)
# NAME IP STATUS: a backend answering STATUS with its NAME as the body
for b in "s200 127.0.0.61 200" "s302 127.0.0.62 302" "s503 127.0.0.63 503" \
    "s404 127.0.0.64 404"; do
	set -- $b
	"$HP_BACKEND" "$1" "$2" "$sp" "$3" >/dev/null 2>&1 &
	cleanup_push "kill $!"
	wait_for 10 _hp_port_open "$2" "$sp"
done

px() {	# NAME PORT EXPECT-LINES...
	local n=$1 p=$2 l; shift 2
	printf 'listen %s\n    bind 127.0.0.1:%s\n    option httpchk GET /health\n' "$n" "$p"
	for l in "$@"; do printf '    %s\n' "$l"; done
	printf '    server s200 127.0.0.61:%s check\n    server s302 127.0.0.62:%s check\n' "$sp" "$sp"
	printf '    server s503 127.0.0.63:%s check\n    server s404 127.0.0.64:%s check\n' "$sp" "$sp"
}
cfg() {
	cat <<EOC
defaults
    mode tcp
    timeout connect 2s
    timeout check 3s
    default-server inter 300ms rise 1 fall 1
EOC
	px h0 "$1"
	px h1 "$2" 'http-check expect status 200-399'
	px h2 "$3" 'http-check expect ! status 500-599'
	px h3 "$4" 'http-check expect status 200,404'
	px h4 "$5" 'http-check expect rstatus ^[23]'
	px h5 "$6" 'http-check expect string s200'
	px h6 "$7" 'http-check expect rstring ^s[0-9]+3$'
	px h7 "$8" 'http-check expect !string 5'
	px h8 "$9" 'http-check expect status 200-499' 'http-check expect ! rstring 4'
}
hp_cfgs 9
hp_both_start

# hashproxy's snapshot that agreed with haproxy's (srv_same_check's)
up() { srv_states "$T_TMP/hp.st" "$1" | awk '$2 == "UP" { printf "%s ", $1 }'; }

pxs=(h0 h1 h2 h3 h4 h5 h6 h7 h8)
srv_same_check 60 "the same servers up, the same check status as haproxy" "${pxs[@]}"
is "$(up h0)" "s200 s302 " "no expect: 2xx and 3xx pass"
is "$(up h1)" "s200 s302 " "status 200-399"
is "$(up h2)" "s200 s302 s404 " "! status 500-599"
is "$(up h3)" "s200 s404 " "status 200,404"
is "$(up h4)" "s200 s302 " "rstatus ^[23]"
is "$(up h5)" "s200 " "string: the body has it"
is "$(up h6)" "s503 " "rstring on the body"
is "$(up h7)" "s200 s302 s404 " "!string: the body must not have it"
is "$(up h8)" "s200 s302 " "two rules, both must pass"
like "$(grep '^down backend=h5 server=s302 ' "$T_TMP/hp.ev")" \
    'reason="Layer7 invalid response, info: HTTP content check did not match' \
    "a content mismatch: L7RSP"
like "$(grep '^down backend=h1 server=s503 ' "$T_TMP/hp.ev")" \
    'reason="Layer7 wrong status, code: 503' "a status mismatch: L7STS"

bad() { printf 'listen x\n bind 127.0.0.1:1\n option httpchk\n %s\n server s 127.0.0.1:2 check\n' "$1" >"$T_TMP/bad.cfg"
	hashproxy -c -f "$T_TMP/bad.cfg" 2>&1; }
like "$(bad 'http-check expect status 200-99')" 'bad.cfg:4: .*http-check expect status "200-99": codes or ranges' \
    "a backwards range"
like "$(bad 'http-check expect status-code x')" 'bad.cfg:4: .*http-check expect status-code: sample expressions are not supported' \
    "sample expressions are refused"
like "$(bad 'http-check expect rstring [')" 'bad.cfg:4: .*bad regular expression' "a bad regex"
done_testing
