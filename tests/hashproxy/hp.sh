# SPDX-License-Identifier: ISC
# Helpers for hashproxy's tests: real HTTP backends on 127.0.0.x, the
# seed's config with its variables filled in, hashproxy and a real haproxy
# side by side.  Source after ../lib/tap.sh.

HP_BACKEND="$T_TOP/build/hashproxy/testbackend"
HP_CLIENT="$T_TOP/build/hashproxy/testclient"
[ -x "$HP_BACKEND" ] && [ -x "$HP_CLIENT" ] ||
    skip_all "build/hashproxy/testbackend or testclient missing (make -C hashproxy unit)"

declare -A HP_BPID

# hp_backend NAME IP PORT: starts a backend that answers NAME.
hp_backend() {
	"$HP_BACKEND" "$1" "$2" "$3" >/dev/null 2>&1 &
	HP_BPID[$1]=$!
	cleanup_push "kill ${HP_BPID[$1]}"
	wait_for 5 _hp_port_open "$2" "$3"
}
hp_backend_kill() {
	kill "${HP_BPID[$1]}" 2>/dev/null
	wait "${HP_BPID[$1]}" 2>/dev/null
}
_hp_port_open() { (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null; }
# hp_agent IP PORT FILE: an agent-check agent (agentsrv.py) on IP:PORT
# answering what FILE holds at each connection; false if it does not
# listen within 10 s.
hp_agent() {
	python3 "$T_TOP/tests/hashproxy/agentsrv.py" "$1" "$2" "$3" >/dev/null 2>&1 &
	cleanup_push "kill $!"
	wait_for 10 _hp_port_open "$1" "$2"
}

# hp_seed FILE FRONTPORT SRVPORT [EXTRA-DEFAULTS...]: the seed's block.
hp_seed() {
	local f=$1 fp=$2 sp=$3; shift 3
	{
		if [ $# -gt 0 ]; then
			echo "defaults"
			printf '    %s\n' "$@"
		fi
		cat <<EOC
frontend maas
    bind    127.0.0.1:$fp
    retries 3
    option  redispatch
    option  http-server-close
    default_backend maas

backend maas
    timeout server 90s
    balance source
    hash-type consistent
    server localhost 127.0.0.11:$sp check
    server maas-api-1 127.0.0.12:$sp check
    server maas-api-2 127.0.0.13:$sp check
EOC
	} >"$f"
}

# HP_BIN=PATH runs that binary as the daemon instead (the ThreadSanitizer
# build: make -C hashproxy tsan); HP_THREADS=N runs every hashproxy daemon
# of the suite with --threads N (default: one per CPU, as haproxy).
HP_BIN=${HP_BIN:-hashproxy}
HP_THREADARGS=()
[ -n "${HP_THREADS:-}" ] && HP_THREADARGS=(--threads "$HP_THREADS")

# hp_start CFG [ARGS...]: hashproxy in the background, ready when it
# returns; events in $T_TMP/hp.ev, log in $T_TMP/hp.err, pid in HP_PID.
hp_start() {
	local cfg=$1; shift
	: >"$T_TMP/hp.ready"
	"$HP_BIN" -f "$cfg" --control "$T_TMP/hp.sock" --ready-fd 3 \
	    "${HP_THREADARGS[@]}" "$@" \
	    3>"$T_TMP/hp.ready" >>"$T_TMP/hp.ev" 2>>"$T_TMP/hp.err" &
	HP_PID=$!
	cleanup_push "kill $HP_PID"
	wait_for 10 test -s "$T_TMP/hp.ready"
}

# ha_answers SOCK: haproxy's stats socket SOCK answers.  haproxy binds
# a stats socket under a temporary name, renames it, and only then
# listens on it (strace: bind, rename, listen; its frontends listen
# before that): the file is there a moment before a client can connect.
ha_answers() { ctl "$1" "show info" 2>/dev/null | grep -q '^Pid: '; }

# ha_start CFG: the real haproxy, stats socket $T_TMP/ha.sock; it
# returns once the socket answers (its frontends listen by then).
ha_start() {
	local cfg=$1
	sed -i "1i global\n    stats socket $T_TMP/ha.sock mode 600 level admin\n" "$cfg"
	haproxy -f "$cfg" -db >>"$T_TMP/ha.log" 2>&1 &
	HA_PID=$!
	cleanup_push "kill $HA_PID"
	wait_for 10 ha_answers "$T_TMP/ha.sock"
}

# hp_metrics_pair: the seed's three backends (port HP_SRV), hashproxy on
# them with --metrics 127.0.0.1:$HP_METRICS, and the real haproxy on the
# same config with its own Prometheus exporter (127.0.0.1:$HA_METRICS
# /metrics); checks every 200 ms.  Frontends on HP_FRONT and HA_FRONT.
# A haproxy built without the exporter cannot run the test.
hp_metrics_pair() {
	haproxy -vv 2>/dev/null | grep -q 'prometheus-exporter' ||
	    cannot_run "haproxy built without its Prometheus exporter"
	free_ports HP_SRV HP_FRONT HA_FRONT HP_METRICS HA_METRICS
	hp_backend localhost 127.0.0.11 "$HP_SRV"
	hp_backend maas-api-1 127.0.0.12 "$HP_SRV"
	hp_backend maas-api-2 127.0.0.13 "$HP_SRV"
	hp_seed "$T_TMP/hp.cfg" "$HP_FRONT" "$HP_SRV" "default-server inter 200ms"
	hp_start "$T_TMP/hp.cfg" --metrics "127.0.0.1:$HP_METRICS" ||
	    bail "hashproxy did not start"
	hp_seed "$T_TMP/ha.cfg" "$HA_FRONT" "$HP_SRV" "timeout connect 5s" \
	    "timeout client 1m" "timeout server 1m" "default-server inter 200ms"
	cat >> "$T_TMP/ha.cfg" <<EOC

frontend prom
    mode http
    bind 127.0.0.1:$HA_METRICS
    http-request use-service prometheus-exporter if { path /metrics }
EOC
	ha_start "$T_TMP/ha.cfg" || bail "haproxy did not start"
}

# Tests that run one config through both (the test defines cfg PORT...,
# a config whose frontends bind the PORTs):
#   hp_cfgs N          cfg with N fresh ports into $T_TMP/hp.cfg, and with
#                      N others into ha.cfg; the ports in HP_PORTS, HA_PORTS
#   hp_both_start [HP-DESC HA-DESC]
#                      four checks: haproxy -c and hashproxy -c accept the
#                      files, each starts (hp_start, ha_start)
#   srv_now SOCKET PROXY   srv_states of a "show stat" taken now
#   srv_same_check SECONDS DESC PROXY...
#                      once srv_same holds (within SECONDS), a check for
#                      each PROXY ("PROXY: DESC"): its servers' states and
#                      check statuses in hashproxy are haproxy's, in the
#                      snapshots srv_same held on ($T_TMP/hp.st, ha.st:
#                      read them for more checks on that moment)
hp_cfgs() {
	local i names=()
	HP_PORTS=() HA_PORTS=()
	for ((i = 0; i < $1; i++)); do
		names+=("HP_PORTS[$i]" "HA_PORTS[$i]")
	done
	free_ports "${names[@]}"
	cfg "${HP_PORTS[@]}" >"$T_TMP/hp.cfg"
	cfg "${HA_PORTS[@]}" >"$T_TMP/ha.cfg"
}
hp_both_start() {
	ok "haproxy -c accepts the config" haproxy -c -q -f "$T_TMP/ha.cfg"
	ok "hashproxy -c accepts it" hashproxy -c -f "$T_TMP/hp.cfg"
	ok "${1:-hashproxy starts}" hp_start "$T_TMP/hp.cfg"
	ok "${2:-haproxy starts}" ha_start "$T_TMP/ha.cfg"
}
srv_now() { srv_snapshot "$1" "$T_TMP/now.st" && srv_states "$T_TMP/now.st" "$2"; }
# The checks read the two snapshots srv_same last took (in hp.st, ha.st),
# not new ones: a check that ends on one proxy between two readings made
# after the wait (a backend late on a loaded machine) would compare two
# moments.  A PROXY that was not settled in both reads as such.
srv_same_check() {
	local secs=$1 desc=$2 px ours; shift 2
	wait_for "$secs" srv_same "$@"
	for px in "$@"; do
		ours=$(srv_states "$T_TMP/hp.st" "$px")
		srv_settled "$T_TMP/hp.st" "$px" && srv_settled "$T_TMP/ha.st" "$px" ||
		    ours+=" (not settled)"
		is "$ours" "$(srv_states "$T_TMP/ha.st" "$px")" "$px: $desc"
	done
}

# ctl SOCKET COMMAND: one stats socket command.
ctl() { echo "$2" | socat -t 5 stdio "unix-connect:$1"; }

# req SRC PORT: the backend name that answers a client at SRC.
req() { curl -sf --max-time 5 --interface "$1" "http://127.0.0.1:$2/"; }

# hp_sources N: N distinct pseudo-random client addresses in 127/8.
hp_sources() {
	local i
	for ((i = 1; i <= $1; i++)); do
		echo "127.$(( (i * 37) % 250 + 1 )).$(( (i * 91) % 254 + 1 )).$(( (i * 13) % 250 + 2 ))"
	done
}

# map_of PORT SOURCES...: "SRC NAME" per line.
map_of() {
	local p=$1; shift
	printf '%s\n' "$@" >"$T_TMP/map_of.src"
	# "SRC " when unanswered, as curl would leave it
	"$HP_CLIENT" 127.0.0.1 "$p" "$T_TMP/map_of.src" | sed 's/ -$/ /'
}

# stat_has SOCKET REGEX: "show stat" has a line matching REGEX.
stat_has() { ctl "$1" "show stat" | grep -q -- "$2"; }

# load [-S STOPFILE] PORT OUT N SOURCES...: N requests cycling over
# SOURCES, one after the other, one result line per request in OUT as it
# comes (the tests wait on them): the backend's name, or "fail SRC" when
# no answer.  -S: fewer once STOPFILE exists (the load a test needs
# until then, with N as a bound, not N handshakes of CPU after it).
load() {
	local stop=() p out n i
	[ "$1" = -S ] && { stop=(-S "$2"); shift 2; }
	p=$1 out=$2 n=$3; shift 3
	local -a s=("$@")
	for ((i = 0; i < n; i++)); do echo "${s[i % ${#s[@]}]}"; done >"$out.src"
	: >"$out"
	"$HP_CLIENT" "${stop[@]}" 127.0.0.1 "$p" "$out.src" |
	    awk '{ print ($2 == "-" ? "fail " $1 : $2); fflush() }' >>"$out"
}
lines() { [ -f "$1" ] && [ "$(wc -l <"$1")" -ge "$2" ]; }

# keepalive_get FD: one HTTP/1.1 request on an open connection; prints
# the body (the backend's name).
keepalive_get() {
	local fd=$1 line i
	printf 'GET / HTTP/1.1\r\nHost: x\r\n\r\n' >&"$fd"
	for i in 1 2 3 4 5; do
		IFS= read -r -t 5 -u "$fd" line || return 1
	done
	echo "$line"
}

# Every server's state beside haproxy's, one "show stat" of each per poll
# (a poll per proxy and per question forked six socats: seconds a proxy
# on a loaded machine).
#   srv_states FILE PROXY  "SERVER STATUS CHECK_STATUS" per server of
#                          PROXY in FILE (srv_snapshot's), sorted; the
#                          check status without haproxy's "* " mark
#   srv_snapshot SOCKET FILE   show stat's servers, as CSV, into FILE
#   srv_settled FILE PROXY     PROXY has servers, none INI or in a
#                              transition ("UP 1/2")
#   srv_same PROXY...      hp.sock's and ha.sock's snapshots (in $T_TMP/
#                          hp.st and ha.st, taken now) have each PROXY
#                          settled and the same in both: wait_for it,
#                          then compare srv_states of the two files
srv_snapshot() { ctl "$1" "show stat" >"$2.new" && mv "$2.new" "$2"; }
# (px empty: every proxy's, each row after its proxy's name)
_SRV_ROWS='
    NR == 1 { for (i = 1; i <= NF; i++) { h = $i; sub(/^# /, "", h); c[h] = i }; next }
    $1 != "" && $2 != "BACKEND" && $2 != "FRONTEND" && (px == "" || $1 == px) {
	st = $c["check_status"]; sub(/^\* /, "", st)
	print (px == "" ? $1 " " : "") $2, $c["status"], st }'
srv_states() { awk -F, -v px="$2" "$_SRV_ROWS" "$1" | sort; }
srv_settled() { _srv_settled_rows "$(srv_states "$1" "$2")"; }
_srv_settled_rows() { [[ -n $1 && $1 != *" INI"* && $1 != */* ]]; }
# srv_done PROXY SERVER...: one poll of both proxies' show stat; true
# once each SERVER's check has been seen ended in each (wait_for it).  A
# check under way ("* ") shows code 0 and no text in both until it ends,
# and on a loaded machine one of them (a timeout's) always is: each
# server's row comes from a poll where its own check was done.  Then
# "srv_done_rows SRV_OURS" and "srv_done_rows SRV_THEIRS" are the rows
# "SERVER STATUS CHECK_STATUS CODE INFO|", sorted.
declare -A SRV_OURS SRV_THEIRS
_srv_done_of() {	# FILE PROXY
	awk -F, -v px="$2" '
	    NR == 1 { for (i = 1; i <= NF; i++) { h = $i; sub(/^# /, "", h); c[h] = i }; next }
	    $1 == px && $2 != "BACKEND" && $2 != "FRONTEND" &&
	    $c["check_status"] !~ /^\* / {
		print $2, $c["status"], $c["check_status"], $c["check_code"], $c["last_chk"] }' "$1"
}
srv_done() {
	local px=$1 l srv n=0; shift
	srv_snapshot "$T_TMP/hp.sock" "$T_TMP/hp.st" &&
	    srv_snapshot "$T_TMP/ha.sock" "$T_TMP/ha.st" || return 1
	# whole lines: an empty code and text are trailing spaces to keep
	while IFS= read -r l; do SRV_OURS[${l%% *}]=${l#* }; done < <(_srv_done_of "$T_TMP/hp.st" "$px")
	while IFS= read -r l; do SRV_THEIRS[${l%% *}]=${l#* }; done < <(_srv_done_of "$T_TMP/ha.st" "$px")
	for srv in "$@"; do
		[ -n "${SRV_OURS[$srv]:-}" ] && [ -n "${SRV_THEIRS[$srv]:-}" ] && n=$((n + 1))
	done
	[ "$n" = $# ]
}
srv_done_rows() {
	local -n a=$1
	local k
	for k in "${!a[@]}"; do echo "$k ${a[$k]}"; done | sort | tr '\n' '|'
}
# srv_rest FILE...: no check or agent run under way in these snapshots
# ("* " before a check or agent status).  During a run haproxy's row has
# code 0, no last_chk and no last_agt (hashproxy's too), while
# hashproxy's, on a schedule of its own, may be done: whole rows (statcmp.py) from such snapshots differ by that moment
# alone (track.t once in 353 files, Dec 7 19:02; 11 of 300 pairs of
# agent.t's config taken at random, Dec 7 20:18).
srv_rest() { ! grep -q ',\* ' "$@"; }
# at_rest: new snapshots of both (hp.st, ha.st), at rest: wait_for it
# before comparing whole rows.  The states the waits before found stay.
at_rest() {
	srv_snapshot "$T_TMP/hp.sock" "$T_TMP/hp.st" &&
	    srv_snapshot "$T_TMP/ha.sock" "$T_TMP/ha.st" &&
	    srv_rest "$T_TMP/hp.st" "$T_TMP/ha.st"
}
# One poll reads each snapshot once for every PROXY (an awk and a sort
# each), not once per proxy and question (six awks, sorts and greps a
# proxy: the most of httpcheck-forms.t's CPU, with its 17 proxies).
declare -A SRV_HP SRV_HA
srv_same() {
	local px
	# a snapshot that fails leaves no older one behind
	rm -f "$T_TMP/hp.st" "$T_TMP/ha.st"
	srv_snapshot "$T_TMP/hp.sock" "$T_TMP/hp.st" || return 1
	srv_snapshot "$T_TMP/ha.sock" "$T_TMP/ha.st" || return 1
	_srv_by_proxy "$T_TMP/hp.st" SRV_HP
	_srv_by_proxy "$T_TMP/ha.st" SRV_HA
	for px in "$@"; do
		_srv_settled_rows "${SRV_HP[$px]:-}" &&
		    _srv_settled_rows "${SRV_HA[$px]:-}" &&
		    [ "${SRV_HP[$px]}" = "${SRV_HA[$px]}" ] || return 1
	done
}
# _srv_by_proxy FILE ARRAY: ARRAY[PROXY] = srv_states FILE PROXY, for
# every proxy of FILE
_srv_by_proxy() {
	local -n by=$2
	local px row
	by=()
	while read -r px row; do
		by[$px]+=${by[$px]:+$'\n'}$row
	done < <(awk -F, -v px= "$_SRV_ROWS" "$1" | sort)
}
