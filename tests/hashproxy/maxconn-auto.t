#!/bin/bash
# SPDX-License-Identifier: ISC
# Without a maxconn, the global one hashproxy derives from the file limit
# is haproxy 2.6's (show info's Maxconn): under the same limits, set here
# (a soft limit below the hard one: both go by the hard one), on configs
# whose binds, checks, agents, stats socket and "stats maxconn" each take
# descriptors from it.  A maxconn set beyond the file limit stops the
# start, as haproxy's strict-limits, unless "no strict-limits".
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/hp.sh"
command -v haproxy >/dev/null || cannot_run "haproxy 2.6 is the reference"

sp=$(free_port)
# cfg FRONT1 FRONT2 BIND2 [GLOBAL-LINE]: two frontends, the first with two
# binds; a checked server and one with an agent too (nothing listens:
# they only need their descriptors counted)
cfg() {
	cat <<EOC
global
    ${4:-}
defaults
    mode tcp
    timeout connect 1s
    timeout client 10s
    timeout server 10s
frontend f1
    bind 127.0.0.1:$1
    bind 127.0.0.1:$3
    default_backend b
frontend f2
    bind 127.0.0.1:$2
    default_backend b
backend b
    server s1 127.0.0.11:$sp
    server s2 127.0.0.12:$sp check inter 10s
    server s3 127.0.0.13:$sp check inter 10s agent-check agent-port $sp agent-inter 10s
EOC
}
info() { ctl "$1" "show info" | awk -F': ' -v k="$2" '$1 == k { print $2 }'; }
# maxconns SOFT HARD [GLOBAL-LINE]: "hashproxy N haproxy M" under those
# limits; each proxy stopped after
maxconns() {
	local h a hp ha
	free_ports P1 P2 P3 Q1 Q2 Q3
	cfg "$P1" "$P2" "$P3" "${3:-}" >"$T_TMP/hp.cfg"
	cfg "$Q1" "$Q2" "$Q3" "${3:-}" >"$T_TMP/ha.cfg"
	sed -i "1a\\    stats socket $T_TMP/ha.sock mode 600 level admin" "$T_TMP/ha.cfg"
	rm -f "$T_TMP/hp.sock" "$T_TMP/ha.sock"
	(ulimit -S -n "$1" && ulimit -H -n "$2" &&
	    exec "$HP_BIN" -f "$T_TMP/hp.cfg" --control "$T_TMP/hp.sock" \
	    "${HP_THREADARGS[@]}") >>"$T_TMP/hp.ev" 2>>"$T_TMP/hp.err" &
	hp=$!
	(ulimit -S -n "$1" && ulimit -H -n "$2" &&
	    exec haproxy -f "$T_TMP/ha.cfg" -db) >>"$T_TMP/ha.log" 2>&1 &
	ha=$!
	cleanup_push "kill $hp $ha"
	wait_for 10 ha_answers "$T_TMP/hp.sock" && h=$(info "$T_TMP/hp.sock" Maxconn)
	wait_for 10 ha_answers "$T_TMP/ha.sock" && a=$(info "$T_TMP/ha.sock" Maxconn)
	ctl "$T_TMP/hp.sock" "show info" >"$T_TMP/hp.info"
	ctl "$T_TMP/ha.sock" "show info" >"$T_TMP/ha.info"
	kill "$hp" "$ha"
	wait "$hp" "$ha" 2>/dev/null
	echo "hashproxy ${h:-none} haproxy ${a:-none}"
}
r=$(maxconns 3000 3000)
is "${r% haproxy*}" "hashproxy ${r##* }" "file limit 3000: Maxconn as haproxy's ($r)"

# show info: haproxy's lines in its order, but those with no meaning in
# hashproxy (left out) and hashproxy's own (at the end); the values the
# config and the limits decide as haproxy's
keys() { cut -d: -f1 "$1" | grep -vxE "$2"; }
is "$(keys "$T_TMP/hp.info" 'Reloads|CumConns_thread[0-9]+')" \
    "$(keys "$T_TMP/ha.info" 'Release_date|Tasks|Run_queue|FailedResolutions|BytesOutRate')" \
    "show info: haproxy's lines, in its order"
vals() { grep -E '^(Nbthread|Nbproc|Process_num|Ulimit-n|Maxsock|Maxconn|Hard_maxconn|CurrConns|MaxSslConns|Maxpipes|CompressBpsRateLim|node|Stopping|Jobs|Listeners|ActivePeers|TotalSplicdedBytesOut|Tainted):' "$1"; }
is "$(vals "$T_TMP/hp.info")" "$(vals "$T_TMP/ha.info")" "show info: those lines' values, haproxy's"
r=$(maxconns 1024 5000 "stats maxconn 25")
is "${r% haproxy*}" "hashproxy ${r##* }" "soft 1024, hard 5000, stats maxconn 25: as haproxy's ($r)"
like "$r" "haproxy 2[0-9]{3}$" "(haproxy: by the hard limit, 5000)"

# A global maxconn the file limit cannot hold (two descriptors each, and
# the binds', checks', threads'): haproxy 2.6 (strict-limits, its
# default) does not start; with "no strict-limits" it warns and starts.
# refused SOFT HARD GLOBAL-LINE: "hashproxy STATUS WANT LIMIT haproxy
# STATUS WANT LIMIT", the numbers its message names ("- -" for none)
refused() {
	local out=
	free_ports P1 P2 P3
	cfg "$P1" "$P2" "$P3" "$3" >"$T_TMP/lim.cfg"
	for d in hashproxy haproxy; do
		if [ $d = hashproxy ]; then set -- "$1" "$2" "$HP_BIN" -f "$T_TMP/lim.cfg" "${HP_THREADARGS[@]}"
		else set -- "$1" "$2" haproxy -f "$T_TMP/lim.cfg" -db; fi
		# one that starts is stopped after 10 s: the answer is then 124
		(ulimit -S -n "$1" && ulimit -H -n "$2" && shift 2 &&
		    exec timeout 10 "$@") >"$T_TMP/lim.$d" 2>&1
		out+="$d $? $(sed -n 's/.*annot raise .* to \([0-9]*\), limit is \([0-9]*\).*/\1 \2/p' \
		    "$T_TMP/lim.$d" | head -1) "
	done
	echo "${out% }"
}
r=$(refused 3000 3000 "maxconn 1500")
is "${r% haproxy*}" "hashproxy ${r#* haproxy }" "maxconn 1500, file limit 3000: refused as haproxy ($r)"
like "$r" "^hashproxy 1 [0-9]+ 3000 " "(exit 1, the descriptors wanted and the limit named)"
r=$(maxconns 3000 3000 $'maxconn 5000\n    no strict-limits')
is "$r" "hashproxy 5000 haproxy 5000" "no strict-limits: both start with maxconn 5000 all the same"
done_testing
