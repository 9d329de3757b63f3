#!/bin/bash
# SPDX-License-Identifier: ISC
# Scene: the seed's whole region-controller HA, rebuilt from the parts in
# network namespaces, then failed over piece by piece.
#
#   client 192.0.2.5x ──LAN──► VIP 192.0.2.100 (vrrpd, the seed's keepalived.conf)
#     api1 192.0.2.1: named, vrrpd prio 150, hashproxy :80 (the seed's haproxy.cfg), API :5240
#     api2 192.0.2.2: named, vrrpd prio 100, hashproxy :80,                          API :5240
#   PostgreSQL primary + streaming standby on 127.0.0.1, watched by pgwatch
#
# Each API host has its own network, PID and mount namespace (so killall
# sees only its own named, and /etc/hosts names api1 and api2).  Plain
# narrated text, not TAP; the exit status is non-zero when a step that
# should work does not.
. "$(dirname "$0")/../lib/tap.sh"
. "$T_TOP/tests/lib/netns.sh"
. "$T_TOP/tests/lib/pg.sh"
[ "$(id -u)" = 0 ] || { echo "needs root (namespaces, PostgreSQL)"; exit 0; }
for p in vrrpd hashproxy svccheck pgwatch socat curl killall nsenter; do
	command -v "$p" >/dev/null || { echo "skipped: $p missing"; exit 0; }
done

VIP=192.0.2.100
T_START=$(date +%s%N)
say() { printf '  %s\n' "$*"; }
step() { printf '\n== %s\n' "$*"; }
fail() {	# the step, then the last words of every daemon that complained
	local f
	printf '  FAILED: %s\n' "$*"
	for f in "$T_TMP"/*.err; do
		# (socat's are health checks that hang up before the answer)
		[ -s "$f" ] && [ "${f%.api.err}" = "$f" ] && tail -3 "$f" | sed "s|^|    ${f##*/}: |"
	done
	exit 1
}
ms() { echo $(( $(date +%s%N) / 1000000 )); }
# tl ROW WHAT MS: one measured moment for the timeline drawn at the end
# (tests/demo/timeline.py: build/demo/timeline.svg)
tl() { printf '%s\t%s\t%s\n' "$@" >>"$T_TMP/timeline"; }

# --- hosts -------------------------------------------------------------

# (host_init H, in_host H CMD..., host_spawn: tests/lib/netns.sh)

# run_in H VAR LOG CMD...: CMD in the background in H (stdout and stderr
# to LOG.out and LOG.err); VAR = its pid as seen from here.
run_in() {
	local h=$1 var=$2 log=$3; shift 3
	host_spawn "$h" "$var" "$@" </dev/null >>"$log.out" 2>>"$log.err"
}

listening() { [ -n "$(ns_run "$1" ss -Hlnt "sport = :$2")" ]; }
has_vip() { ip -n "$(_ns_name "$1")" -4 addr show dev eth0 | grep -q " $VIP/"; }
holder() {
	local h out=
	for h in api1 api2; do has_vip $h && out="$out$h "; done
	echo "${out% }"
}
only() { [ "$(holder)" = "$1" ]; }
mac() { ip -n "$(_ns_name "$1")" -br link show dev eth0 | awk '{print $3}'; }

named_start() {	# a copy of sleep called named, in H's PID namespace
	run_in "$1" "NAMED_$1" "$T_TMP/$1.named" "$T_TMP/$1/named" 100000
}

# The API server: socat runs one tiny HTTP exchange per connection that
# names the host and the address it was reached at, so the answer shows
# which of hashproxy's server entries was used (localhost = 127.0.0.1).
cat >"$T_TMP/api-answer" <<'EOF'
#!/bin/bash
while IFS= read -r -t 5 l && [ -n "${l%$'\r'}" ]; do :; done
b="$1 at $SOCAT_SOCKADDR"
printf 'HTTP/1.0 200 OK\r\nContent-Length: %d\r\nConnection: close\r\n\r\n%s\n' \
    $((${#b} + 1)) "$b"
EOF
chmod 755 "$T_TMP/api-answer"
api_start() {
	run_in "$1" "API_$1" "$T_TMP/$1.api" socat -T 10 \
	    TCP4-LISTEN:5240,fork,reuseaddr,backlog=128 \
	    EXEC:"$T_TMP/api-answer $1" || return 1
	wait_for 5 listening "$1" 5240
}

# --- the client ----------------------------------------------------------

ask() { ns_run cl curl -s --max-time "${2:-3}" --interface "$1" "http://$VIP/"; }
arp_is() { ip -n "$(_ns_name cl)" neigh show "$VIP" | grep -q "lladdr $1"; }
# answered_via H: the client's next request is answered, through H (no
# request while the client's ARP entry for the VIP still names another).
answered_via() {
	local m; m=$(mac "$1")
	if ip -n "$(_ns_name cl)" neigh show "$VIP" | grep -q lladdr; then
		arp_is "$m" || return 1
	fi
	[ -n "$(ask "${SRC[0]}" 1)" ] && arp_is "$m"
}

# what a client hashed to ENTRY must get while HOLDER holds the VIP
expect() {
	case $1 in
	localhost)	echo "$2 at 127.0.0.1" ;;
	maas-api-1)	echo "api1 at 192.0.2.1" ;;
	maas-api-2)	echo "api2 at 192.0.2.2" ;;
	esac
}

# table ROUNDS HOLDER [DEAD-ENTRY]: every client asks ROUNDS times; prints
# one line each, checks stickiness and the expected server (clients of
# DEAD-ENTRY must have moved to a live one).
declare -a SRC ENTRY
declare -A LAST
table() {
	local n=$1 h=$2 dead=${3:-} i r a x same note bad=0
	for i in "${!SRC[@]}"; do
		same=1
		for ((r = 0; r < n; r++)); do
			x=$(ask "${SRC[i]}")
			[ "$r" = 0 ] && a=$x
			[ "$x" = "$a" ] || same=0
		done
		note="${n}x the same"
		[ "$same" = 1 ] || { note="ANSWERS DIFFER"; bad=1; }
		if [ -z "$a" ]; then
			note="NO ANSWER"; bad=1
		elif [ "${ENTRY[i]}" = "$dead" ]; then
			[ "$a" != "$(expect "$dead" "$h")" ] || { note="NOT MOVED"; bad=1; }
		elif [ "$a" != "$(expect "${ENTRY[i]}" "$h")" ]; then
			note="WRONG SERVER (want $(expect "${ENTRY[i]}" "$h"))"; bad=1
		fi
		[ -n "${LAST[${SRC[i]}]}" ] && [ "${LAST[${SRC[i]}]}" != "$a" ] &&
		    note="$note, moved (was ${LAST[${SRC[i]}]})"
		LAST[${SRC[i]}]=$a
		printf '    %-11s %-10s -> %-18s %s\n' "${SRC[i]}" "${ENTRY[i]}" "$a" "$note"
	done
	return $bad
}

# failover: kill named on api1 now; sets NOTICED (api1 let go of the VIP),
# MOVED (api2 holds it) and ANSWERED (the client got an answer through
# api2), in ms after the kill.
failover() {
	local t0 t1 t2 t3
	t0=$(ms)
	kill -9 "$NAMED_api1"
	wait_for 15 no_vip api1 || fail "api1 kept the VIP"
	t1=$(ms)
	wait_for 15 has_vip api2 || fail "the VIP did not move to api2"
	t2=$(ms)
	wait_for 10 answered_via api2 || fail "no answer through api2"
	t3=$(ms)
	NOTICED=$((t1 - t0)) MOVED=$((t2 - t0)) ANSWERED=$((t3 - t0))
}
no_vip() { ! has_vip "$1"; }
# tl_failover ROW: the last failover's three moments on the timeline
tl_failover() {
	tl "$1" "api1 let go" "$NOTICED"
	tl "$1" "api2 holds the VIP" "$MOVED"
	tl "$1" "client answered" "$ANSWERED"
}
report() {
	say ">>> named killed -> api1 let go of the VIP after $NOTICED ms, api2 held it"
	say "    after $MOVED ms, the client answered through api2 after $ANSWERED ms"
}

# --- build it -------------------------------------------------------------

step "the seed's topology in network namespaces (LAN 192.0.2.0/24)"
ns_switch sw || fail "cannot make namespaces"
ns_host sw api1 192.0.2.1/24 && ns_host sw api2 192.0.2.2/24 &&
    ns_host sw cl 192.0.2.50/24 || fail "cannot make hosts"
printf '127.0.0.1 localhost\n192.0.2.1 api1\n192.0.2.2 api2\n' >"$T_TMP/hosts"

# haproxy.cfg: the seed's block, $PRIMARY/$SECONDARY_API_SERVER_IP = api1/api2
grep -v '^#' "$T_TOP/contrib/hashproxy/haproxy.cfg.seed" |
    sed 's/127\.0\.0\.2:5240/api1:5240/; s/127\.0\.0\.3:5240/api2:5240/' \
    >"$T_TMP/haproxy.cfg"
# keepalived.conf: the seed's block as in contrib (eth0, VIP 192.0.2.100,
# auth_pass s3cret); api2 has priority 100
cp "$T_TOP/contrib/vrrpd/keepalived.conf.seed" "$T_TMP/api1.conf"
sed 's/priority 150/priority 100/' "$T_TMP/api1.conf" >"$T_TMP/api2.conf"

for h in api1 api2; do
	host_init $h || fail "$h: no PID namespace"
	in_host $h mount --bind "$T_TMP/hosts" /etc/hosts || fail "$h: /etc/hosts"
	mkdir -p "$T_TMP/$h" && cp /bin/sleep "$T_TMP/$h/named"
	named_start $h || fail "$h: named"
	api_start $h || fail "$h: API server"
done
for h in api1 api2; do
	run_in $h "HP_$h" "$T_TMP/$h.hp" hashproxy -f "$T_TMP/haproxy.cfg" \
	    --control "$T_TMP/$h.hp.sock" || fail "$h: hashproxy"
	wait_for 10 listening $h 80 || fail "$h: hashproxy not listening"
	run_in $h "VR_$h" "$T_TMP/$h.vr" vrrpd -f "$T_TMP/$h.conf" \
	    --control "$T_TMP/$h.vr.sock" || fail "$h: vrrpd"
done
say "api1 192.0.2.1  named, vrrpd -f keepalived.conf (priority 150), hashproxy -f haproxy.cfg, API :5240"
say "api2 192.0.2.2  named, vrrpd -f keepalived.conf (priority 100), hashproxy -f haproxy.cfg, API :5240"
say "client 192.0.2.50 (and more source addresses) -> http://$VIP/"
say "haproxy.cfg servers (the seed's, with api1/api2 for the variables):"
grep '^ *server ' "$T_TMP/haproxy.cfg" | sed 's/^ */      /'
say "keepalived.conf: the seed's block (chk_named: killall -0 named, interval 2; VRID 51;"
say "PASS s3cret; VIP $VIP), only the priority differs"
say "each API server answers with its host name and the address it was reached at"

step "the VIP"
wait_for 15 only api1 || fail "api1 did not become the one master (holder: $(holder))"
wait_file_line 5 "$T_TMP/api1.vr.out" '^MASTER' || fail "no MASTER line"
say "api1: $(grep '^MASTER' "$T_TMP/api1.vr.out")"
wait_file_line 5 "$T_TMP/api2.vr.out" '^BACKUP' || fail "no BACKUP line"
say "api2: $(tail -1 "$T_TMP/api2.vr.out")"

step "PostgreSQL: a primary and a streaming hot standby (on 127.0.0.1 in the root namespace)"
pg_pair_start || fail "could not start PostgreSQL"
P="host=127.0.0.1 port=$PG_PRIMARY_PORT user=postgres"
S="host=127.0.0.1 port=$PG_STANDBY_PORT user=postgres"
say "\$ pgwatch --expect primary,standby --require-streaming '$P' '$S'"
pgwatch --expect primary,standby --require-streaming "$P" "$S" >"$T_TMP/pg1" ||
    { sed 's/^/    /' "$T_TMP/pg1"; fail "pgwatch: not healthy"; }
cut -d' ' -f1-6 "$T_TMP/pg1" | sed 's/^/    /'
say "(exit 0: healthy)"
pgwatch --watch --interval 200ms "$P" "$S" >"$T_TMP/pgwatch" 2>/dev/null &
cleanup_push "kill $!"

step "clients -> VIP -> hashproxy on api1 -> API (balance source, hash-type consistent)"
# two source addresses per server entry, as hashproxy itself maps them
for i in $(seq 51 99); do echo "192.0.2.$i"; done |
    in_host api1 hashproxy -f "$T_TMP/haproxy.cfg" --lookup - >"$T_TMP/lookup" 2>/dev/null ||
    fail "hashproxy --lookup"
for e in localhost maas-api-1 maas-api-2; do
	for a in $(awk -v e=$e '$2 == e { print $1 }' "$T_TMP/lookup" | head -2); do
		SRC+=("$a"); ENTRY+=("$e")
		ip -n "$(_ns_name cl)" addr add "$a/24" dev eth0 || fail "client address"
	done
done
[ "${#SRC[@]}" = 6 ] || fail "hashproxy --lookup gave no two sources per server"
wait_for 10 answered_via api1 || fail "the client gets no answer through api1"
say "source        hashed to     answer"
table 3 api1 || fail "unexpected answers"

# --- failover 1: the seed's polling track script -------------------------

step "named dies on api1; the seed's track script polls: killall -0 named, every 2 s"
failover
wait_file_line 5 "$T_TMP/api2.vr.out" '^MASTER' || fail "no MASTER line on api2"
say "api1: $(grep -v '^BACKUP .*reason=start' "$T_TMP/api1.vr.out" | tail -1)"
say "api2: $(tail -1 "$T_TMP/api2.vr.out")"
report
POLL_NOTICED=$NOTICED POLL_ANSWERED=$ANSWERED
tl_failover "named killed, killall -0 every 2 s"
table 2 api2 || fail "unexpected answers"
say "the seed's 'server localhost' is each proxy's own host: those clients moved with"
say "the VIP; maas-api-1's and maas-api-2's clients kept their server"

# --- failover 2: event-driven ----------------------------------------------

step "the same, event-driven: svccheck --watch named | vrrpd ... --track-fd 0"
kill -TERM "$VR_api1" "$VR_api2"
wait_gone 5 "$VR_api1" && wait_gone 5 "$VR_api2" || fail "vrrpd did not stop"
named_start api1 || fail "api1: named"
for h in api1 api2; do
	p=150; [ $h = api2 ] && p=100
	v="P1_$h"
	mkfifo "$T_TMP/$h.pipe"
	# svccheck --watch needs the initial PID namespace (the proc
	# connector): it runs out here and tells the hosts' named apart by
	# their executable (-e)
	svccheck --watch -e "$T_TMP/$h/named" named \
	    >"$T_TMP/$h.pipe" 2>>"$T_TMP/$h.sv.err" &
	cleanup_push "kill $!"
	# (tee only keeps a copy of the lines for this narration)
	tee -a "$T_TMP/$h.sv.out" <"$T_TMP/$h.pipe" |
	    nsenter -t "${!v}" -a vrrpd --control "$T_TMP/$h.vr2.sock" -i eth0 \
	    --vrid 51 --priority $p --vip $VIP --auth-pass s3cret --track-fd 0 \
	    >>"$T_TMP/$h.vr2.out" 2>>"$T_TMP/$h.vr2.err" &
	o=$!; disown
	ns_child "VR_$h" "$o" || fail "$h: vrrpd --track-fd"
done
say "api1: svccheck --watch -e .../api1/named named | vrrpd -i eth0 --vrid 51 --priority 150 --vip $VIP --auth-pass s3cret --track-fd 0"
say "api2: the same with priority 100 (svccheck runs in the root PID namespace, -e tells the hosts apart)"
wait_for 15 only api1 || fail "api1 did not become master again"
wait_for 10 answered_via api1 || fail "no answer through api1"
wait_file_line 5 "$T_TMP/api1.vr2.out" '^MASTER' || fail "no MASTER line on api1"
say "api1 is master again: $(grep '^MASTER' "$T_TMP/api1.vr2.out" | tail -1)"
failover
wait_file_line 5 "$T_TMP/api2.vr2.out" '^MASTER' || fail "no MASTER line on api2"
wait_file_line 5 "$T_TMP/api1.sv.out" '^down' || fail "svccheck printed no down line"
say "api1 svccheck: $(grep '^down' "$T_TMP/api1.sv.out" | tail -1)"
say "api1 vrrpd:    $(tail -1 "$T_TMP/api1.vr2.out")"
say "api2: $(tail -1 "$T_TMP/api2.vr2.out")"
report
tl_failover "named killed, svccheck --watch"
say "    polling: noticed after $POLL_NOTICED ms (0 to 2000 ms: where the kill fell in the"
say "    2 s interval), answered after $POLL_ANSWERED ms; event-driven: noticed after $NOTICED ms,"
say "    answered after $ANSWERED ms.  What remains is VRRP's: a master that gives up"
say "    sends priority 0 and the backup waits its skew time, (256-100)/256 s = 609 ms"

# --- an API server dies ----------------------------------------------------

step "api1's API server dies (the VIP is on api2: its hashproxy uses localhost = api2)"
declare -A BEFORE; for k in "${!LAST[@]}"; do BEFORE[$k]=${LAST[$k]}; done
kill "$API_api1"; wait_gone 5 "$API_api1" || fail "API server did not stop"
t0=$(ms)
say "at once (hashproxy: retries 3, option redispatch):"
table 2 api2 maas-api-1 || fail "unexpected answers"
declare -A ATONCE; for k in "${!LAST[@]}"; do ATONCE[$k]=${LAST[$k]}; done
wait_file_line 20 "$T_TMP/api2.hp.out" '^down .*server=maas-api-1' ||
    fail "hashproxy on api2 did not mark maas-api-1 down"
t1=$(ms)
tl "API server killed" "hashproxy marked it down" $((t1 - t0))
say "hashproxy on api2, $((t1 - t0)) ms later (check, fall 3):"
say "  $(grep '^down .*server=maas-api-1' "$T_TMP/api2.hp.out")"
for k in "${!BEFORE[@]}"; do LAST[$k]=${BEFORE[$k]}; done
table 2 api2 maas-api-1 || fail "unexpected answers"
for i in "${!SRC[@]}"; do
	a=${SRC[i]}
	[ "${ENTRY[i]}" != maas-api-1 ] || [ "${LAST[$a]}" = "${ATONCE[$a]}" ] ||
	    fail "$a moved twice: ${ATONCE[$a]}, then ${LAST[$a]}"
done
say "only maas-api-1's clients moved, and once: a redispatched connection already"
say "goes where the ring sends it once maas-api-1 is down; everyone else kept their server"

# --- PostgreSQL failover -----------------------------------------------------

step "PostgreSQL: the primary stops, pgwatch --watch notices; the standby is promoted"
seen=$(wc -l <"$T_TMP/pgwatch")
newlines() {
	tail -n +$((seen + 1)) "$T_TMP/pgwatch" | cut -c1-110 | sed 's/^/    watch: /'
	seen=$(wc -l <"$T_TMP/pgwatch")
}
t0=$(ms)
pg_primary_stop fast || fail "pg_ctl stop"
wait_file_line 10 "$T_TMP/pgwatch" "^down 127.0.0.1:$PG_PRIMARY_PORT" ||
    fail "pgwatch did not notice the primary stop"
t1=$(ms)
wait_file_line 5 "$T_TMP/pgwatch" "^streaming 127.0.0.1:$PG_STANDBY_PORT .*state=lost"
newlines
tl "PostgreSQL primary stopped" "pgwatch noticed" $((t1 - t0))
say ">>> pgwatch noticed $((t1 - t0)) ms after pg_ctl stop was started"
t0=$(ms)
_pg_as "$PG_BIN/pg_ctl" -D "$PG_STANDBY" -w promote >/dev/null || fail "pg_ctl promote"
wait_file_line 15 "$T_TMP/pgwatch" "^role 127.0.0.1:$PG_STANDBY_PORT .*role=primary" ||
    fail "pgwatch did not report the new primary"
t1=$(ms)
newlines
tl "standby promoted" "pgwatch saw the new primary" $((t1 - t0))
say ">>> pgwatch reported the new primary $((t1 - t0)) ms after pg_ctl promote was started"
say "\$ pgwatch --expect primary '$S'"
pgwatch --expect primary "$S" >"$T_TMP/pg2" || { cat "$T_TMP/pg2"; fail "new primary not healthy"; }
cut -d' ' -f1-6 "$T_TMP/pg2" | sed 's/^/    /'
say "(exit 0)"

mkdir -p "$T_TOP/build/demo"
if python3 "$T_TOP/tests/demo/timeline.py" "$T_TMP/timeline" "$T_TOP/build/demo/timeline.svg"; then
	say "the failovers above, drawn: build/demo/timeline.svg"
else
	fail "could not draw the timeline"
fi

echo
say "scene done in $(( ($(date +%s%N) - T_START) / 1000000000 )) s"
exit 0
