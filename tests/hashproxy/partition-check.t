#!/bin/bash
# SPDX-License-Identifier: ISC
# A partition of 10 s between the proxy's host and a server's (nftables
# drop both ways, as make faults does between api1 and api2), healed while
# a check is in flight: the seed's "check" (inter 2s, fall 3, rise 2, no
# "timeout check": a check times out after inter).  The cut comes 1.5 s
# after a check; the third check of the cut has its SYN retransmission
# (1 s) dropped too, and then the heal comes: the next retransmission
# (3 s) comes after its timeout, it fails up to 1 s after the heal, and
# that third failure marks the server down with the network whole again;
# rise 2 brings it back two inters later.  hashproxy and haproxy 2.6 with the same cfg side
# by side in the same namespaces, each checking a port of its own, which
# is cut and healed on that proxy's own check schedule (one round each):
# hashproxy must do no worse (down no later, up no later, after the
# heal), and be up again within the window make faults allows after a
# heal (tests/faults/faults.sh): timeout + rise x inter after it.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/hp.sh"
. "$T_TOP/tests/lib/netns.sh"
needs_root
command -v haproxy >/dev/null || cannot_run "haproxy missing"
command -v nft >/dev/null || cannot_run "nft missing"

INTER=2000 RISE=2

ns_switch sw
ns_host sw px 10.0.0.1/24
ns_host sw srv 10.0.0.2/24
# one port per proxy, so each one's checks are told apart; the SYNs
# are seen even while the cut drops them, and synlog.py makes the cut
# on the checks' schedule (commands on a fifo)
mkfifo "$T_TMP/synlog.in"
ns_run srv python3 "$T_TOP/tests/hashproxy/synlog.py" eth0 10.0.0.2 10.0.0.1 \
    5240 5241 <"$T_TMP/synlog.in" >"$T_TMP/syns" 2>"$T_TMP/synlog.err" &
exec {CMD}>"$T_TMP/synlog.in"
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
ns_run px "$HP_BIN" -f "$T_TMP/hp.cfg" 2>>"$T_TMP/hp.err" | stamp "$T_TMP/hp.ev" &
ns_run px haproxy -f "$T_TMP/ha.cfg" -db 2>&1 | stamp "$T_TMP/ha.ev" &
# checks PORT: how many checks (first SYNs) reached PORT
checks() { grep -c "^$1 .* first$" "$T_TMP/syns"; }
checked() { [ "$(checks "$1")" -ge "$2" ]; }
ok "hashproxy's and haproxy's checks reach the server" \
    wait_for 15 eval 'checked 5240 2 && checked 5241 2'

# first_after FILE MS RE: the epoch ms of FILE's first line from MS on
# matching RE
first_after() { awk -v t="$2" -v re="$3" '$1 >= t && $0 ~ re { print $1; exit }' "$1"; }
has_after() { [ -n "$(first_after "$@")" ]; }
wait_up() { wait_for 20 has_after "$@"; }
heals() { grep -c "^heal $1 " "$T_TMP/syns"; }
# began_after PORT MS: a check to PORT began after MS (the one before
# it has ended)
began_after() {
	awk -v p="$1" -v t="$2" '$1 == p && $4 == "first" && $3 > t { f = 1 }
	    END { exit !f }' "$T_TMP/syns"
}

# round PORT EVFILE UP-RE DOWN-RE: synlog.py cuts PORT 1.5 s after a
# check began and heals it once the third check of the cut (begun about
# 10 s later; a check whose SYN passed before the cut is none) had its
# SYN retransmission (1 s) dropped; sets C (the cut), H (the heal
# ended), S (the kernel's time of the SYN of the check in flight then)
# and OFF = H - S.  The case: the heal after that retransmission (1 s,
# synlog.py waits for it) and before the check times out, inter after
# its connect (haproxy 2.6 tcpcheck_eval_connect, no "timeout check";
# hashproxy the same), 50 ms to spare: 1000 < OFF < 1950.  Checked
# after, since synlog.py's nft can be late on a loaded machine (three
# tries)
round() {
	local p=$1 ev=$2 up=$3 down=$4 n try w
	for try in 1 2 3; do
		n=$(heals "$p")
		echo "round $p" >&"$CMD"
		wait_for 40 eval '[ "$(heals "$p")" -gt "$n" ]' || return 1
		w=($(grep "^heal $p " "$T_TMP/syns" | tail -1))
		C=$(grep "^cut $p " "$T_TMP/syns" | tail -1 | cut -d' ' -f3)
		H=${w[3]} S=${w[4]} OFF=$((w[3] - w[4]))
		[ $OFF -gt 1000 ] && [ $OFF -lt 1950 ] && return 0
		diag "port $p, try $try: the heal came $OFF ms into the check: again"
		# the check in flight at the heal ends first (its failure can
		# take it down a second after the heal: the next round would
		# begin with it down); down or not: on once it is up
		wait_for 10 began_after "$p" "$S" || return 1
		[ -z "$(first_after "$ev" "$C" "$down")" ] ||
		    wait_up "$ev" "$H" "$up" || return 1
	done
	return 1
}
# rel T0 T: T - T0, empty when T is
rel() { [ -n "$2" ] && echo $(($2 - $1)); }
# le A B: both known and A <= B
le() { [ -n "$1" ] && [ -n "$2" ] && [ "$1" -le "$2" ]; }

HP_UP="^[0-9]+ up backend=maas server=maas-api-2"
HP_DOWN="^[0-9]+ down backend=maas server=maas-api-2"
HA_UP="Server maas/maas-api-2 is UP"
HA_DOWN="Server maas/maas-api-2 is DOWN"

# ha_down, ha_up...: ms after the heal ended; *_s: after the check in
# flight then began (what the two compare on: their heals differ)
ok "haproxy: a 10 s cut healed 1 to 2 s into a check" round 5241 "$T_TMP/ha.ev" "$HA_UP" "$HA_DOWN"
ok "haproxy: maas-api-2 up again" wait_up "$T_TMP/ha.ev" "$H" "$HA_UP"
d=$(first_after "$T_TMP/ha.ev" "$C" "$HA_DOWN") u=$(first_after "$T_TMP/ha.ev" "$H" "$HA_UP")
ha_down=$(rel "$H" "$d") ha_up=$(rel "$H" "$u") ha_down_s=$(rel "$S" "$d") ha_up_s=$(rel "$S" "$u")
diag "haproxy: cut $((H - C)) ms, healed $OFF ms into a check; down ${ha_down:-never}, up ${ha_up:-never} ms after the heal"

ok "hashproxy: a 10 s cut healed 1 to 2 s into a check" round 5240 "$T_TMP/hp.ev" "$HP_UP" "$HP_DOWN"
ok "hashproxy: maas-api-2 up again" wait_up "$T_TMP/hp.ev" "$H" "$HP_UP"
d=$(first_after "$T_TMP/hp.ev" "$C" "$HP_DOWN") u=$(first_after "$T_TMP/hp.ev" "$H" "$HP_UP")
hp_down=$(rel "$H" "$d") hp_up=$(rel "$H" "$u") hp_down_s=$(rel "$S" "$d") hp_up_s=$(rel "$S" "$u")
diag "hashproxy: cut $((H - C)) ms, healed $OFF ms into a check; down ${hp_down:-never}, up ${hp_up:-never} ms after the heal"

# what haproxy does with the check in flight across the heal: it times
# out, and that third failure marks the server down after the heal
ok "haproxy marks it down after the heal (the check begun during the cut)" \
    le 0 "$ha_down"
ok "hashproxy marks it down after the check's start no later than haproxy (+300 ms)" \
    le "$hp_down_s" $((ha_down_s + 300))
ok "hashproxy has it up after the check's start no later than haproxy (+300 ms)" \
    le "$hp_up_s" $((ha_up_s + 300))
# the window make faults allows: the check in flight at the heal ends
# within its timeout (inter), then rise checks inter apart
ok "hashproxy has it up within inter + rise x inter (+500 ms) of the heal" \
    le "$hp_up" $((INTER + RISE * INTER + 500))
done_testing
