#!/bin/bash
# SPDX-License-Identifier: ISC
# A partition of 10 s between the proxy's host and a server's (nftables
# drop both ways, as make faults does between api1 and api2), healed while
# a check is in flight: the seed's "check" (inter 2s, fall 3, rise 2, no
# "timeout check": a check times out after inter).  The cut comes 1.5 s
# after a check, so the third check of the cut starts 1.5 s before the
# heal, its SYN retransmission (1 s) is dropped too, the next (3 s) comes
# after its timeout: it fails 0.5 s after the heal and that third failure
# marks the server down with the network whole again; rise 2 brings it
# back two inters later.  hashproxy and haproxy 2.6 with the same cfg side
# by side in the same namespace, cut and healed together: hashproxy must
# do no worse (down no later, up no later), and both must be up again
# within the window make faults allows after a heal (tests/faults/
# faults.sh): timeout + rise x inter after it.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/hp.sh"
. "$T_TOP/tests/lib/netns.sh"
needs_root
command -v haproxy >/dev/null || cannot_run "haproxy missing"
command -v nft >/dev/null || cannot_run "nft missing"

INTER=2000 RISE=2 CUT=10000

ns_switch sw
ns_host sw px 10.0.0.1/24
ns_host sw srv 10.0.0.2/24
# one port per proxy, so each one's checks are told apart; the SYNs
# are seen even while the cut drops them
ns_run srv python3 "$T_TOP/tests/hashproxy/synlog.py" eth0 10.0.0.2 5240 5241 \
    >"$T_TMP/syns" 2>"$T_TMP/synlog.err" &
wait_for 5 ns_run px bash -c "exec 3<>/dev/tcp/10.0.0.2/5240"

for f in hp ha; do
	p=5240; [ $f = ha ] && p=5241
	cat >"$T_TMP/$f.cfg" <<EOF
frontend maas
    bind    127.0.0.1:$((8000 + p - 5240))
    retries 3
    option  redispatch
    option  http-server-close
    default_backend maas

backend maas
    timeout server 90s
    balance source
    hash-type consistent
    server maas-api-2 10.0.0.2:$p check
EOF
done

# stamp FILE: stdin's lines to FILE, each after the epoch ms it came
stamp() {
	local l t
	while IFS= read -r l; do
		t=${EPOCHREALTIME//[!0-9]/}
		printf '%s %s\n' $((t / 1000)) "$l"
	done >>"$1"
}
now_ms() { local t=${EPOCHREALTIME//[!0-9]/}; echo $((t / 1000)); }
# until_ms T: the schedule of the cut (when it comes, how long it lasts),
# not a wait for a condition
until_ms() {
	local d=$(( $1 - $(now_ms) ))
	[ -n "${_WAIT_FD:-}" ] || exec {_WAIT_FD}<> <(:)
	[ $d -gt 0 ] && read -r -t "$(printf '%d.%03d' $((d / 1000)) $((d % 1000)))" \
	    -u "$_WAIT_FD" _
	return 0
}

# both at once: their first checks start together (position 0 of 1)
ns_run px "$HP_BIN" -f "$T_TMP/hp.cfg" 2>>"$T_TMP/hp.err" | stamp "$T_TMP/hp.ev" &
ns_run px haproxy -f "$T_TMP/ha.cfg" -db 2>&1 | stamp "$T_TMP/ha.ev" &
# checked PORT N: N checks reached PORT
checked() { [ "$(grep -c "^$1 .* first$" "$T_TMP/syns")" -ge "$2" ]; }
ok "hashproxy's and haproxy's checks reach the server" \
    wait_for 15 eval 'checked 5240 2 && checked 5241 2'

cut() {
	local h from
	for h in px srv; do
		from=10.0.0.2; [ $h = srv ] && from=10.0.0.1
		ns_run $h nft -f - <<-EOF
			table inet part {
				chain in {
					type filter hook input priority -10; policy accept;
					ip saddr $from drop
				}
			}
		EOF
	done
}
heal() { ns_run px nft delete table inet part; ns_run srv nft delete table inet part; }
# last PORT: the epoch ms of the last check that began (its first SYN)
last() { awk -v p="$1" '$1 == p && $4 == "first" { t = $3 } END { print t + 0 }' "$T_TMP/syns"; }
# at MS: the line (epoch ms first) of FILE matching RE, the first after MS
first_after() { awk -v t="$2" -v re="$3" '$1 >= t && $0 ~ re { print $1; exit }' "$1"; }

# The cut 1.5 s after the later proxy's last check (the shell may be late
# on a loaded machine: then both checks' offsets are out of 1..2 s and the
# round is taken again, at most three times).
tries=0 aligned=0
while [ $tries -lt 3 ] && [ $aligned = 0 ]; do
	tries=$((tries + 1))
	n=$(grep -c "^5240 .* first$" "$T_TMP/syns")
	wait_for 15 checked 5240 $((n + 1))
	a=$(last 5240) b=$(last 5241)
	m=$a; [ "$b" -gt "$m" ] && m=$b
	until_ms $((m + 1500))
	c=$(now_ms)
	cut
	oh=$((c - $(last 5240))) oa=$((c - $(last 5241)))
	if [ $oh -gt 1000 ] && [ $oh -lt 1950 ] && [ $oa -gt 1000 ] && [ $oa -lt 1950 ]; then
		aligned=1
	else
		diag "round $tries: cut $oh / $oa ms after the checks: again"
		heal
		n=$(grep -c "^5240 .* first$" "$T_TMP/syns")
		wait_for 20 checked 5240 $((n + 2))
	fi
done
ok "the cut came 1 to 2 s after both proxies' last check" test $aligned = 1
until_ms $((c + CUT))
h=$(now_ms)
heal
diag "cut $oh ms after hashproxy's check, $oa after haproxy's; healed after $((h - c)) ms"

ok "hashproxy: maas-api-2 up again" \
    wait_for 20 eval '[ -n "$(first_after "$T_TMP/hp.ev" $h "^[0-9]+ up backend=maas server=maas-api-2")" ]'
ok "haproxy: maas-api-2 up again" \
    wait_for 20 eval '[ -n "$(first_after "$T_TMP/ha.ev" $h "Server maas/maas-api-2 is UP")" ]'
hd=$(first_after "$T_TMP/hp.ev" "$c" "^[0-9]+ down backend=maas server=maas-api-2")
ad=$(first_after "$T_TMP/ha.ev" "$c" "Server maas/maas-api-2 is DOWN")
hu=$(first_after "$T_TMP/hp.ev" "$h" "^[0-9]+ up backend=maas server=maas-api-2")
au=$(first_after "$T_TMP/ha.ev" "$h" "Server maas/maas-api-2 is UP")
rel() { [ -n "$1" ] && echo $(($1 - h)) || echo never; }
diag "after the heal: hashproxy down $(rel "$hd") up $(rel "$hu") ms, haproxy down $(rel "$ad") up $(rel "$au") ms"
diag "checks begun (first SYN) before the heal: hashproxy $(awk -v h=$h '$1 == 5240 && $4 == "first" && $3 > h - 12000 && $3 < h { printf " %+d", $3 - h }' "$T_TMP/syns"), haproxy $(awk -v h=$h '$1 == 5241 && $4 == "first" && $3 > h - 12000 && $3 < h { printf " %+d", $3 - h }' "$T_TMP/syns")"
# le A B: both known and A <= B
le() { [ -n "$1" ] && [ -n "$2" ] && [ "$1" -le "$2" ]; }

# what haproxy does with the check in flight across the heal: it times
# out, and that third failure marks the server down after the heal
ok "haproxy marks it down after the heal (the check begun during the cut)" \
    le "$h" "$ad"
ok "hashproxy marks it down no later than haproxy (+300 ms)" \
    le "$hd" $((ad + 300))
ok "hashproxy has it up again no later than haproxy (+300 ms)" \
    le "$hu" $((au + 300))
# the window make faults allows: the check in flight at the heal ends
# within its timeout (inter), then rise checks inter apart
ok "hashproxy has it up within inter + rise x inter (+500 ms) of the heal" \
    le "$hu" $((h + INTER + RISE * INTER + 500))
done_testing
