#!/bin/bash
# SPDX-License-Identifier: ISC
# vrrpd --track-fd reads the event lines of every producer in the project
# (DESIGN.md "Event lines"): up/down/weight move the instance, whoever wrote
# them; every other line (pgwatch's role/lag/streaming, hashproxy's
# ready/drain/maint, dhcpsync's, vrrpd's own state lines) changes nothing,
# is no error and does not stop vrrpd.  Fed through a fifo to a (150), with
# b (100) as the backup that shows a's effective priority.
. "$(dirname "$0")/../vrrpd/lib.sh"
needs_root

# The producers' lines, printed by the real programs here (not written by
# hand: a line that drifts from a program's format must fail this test).
R=$T_TMP/real
mkdir -p "$R"
port() { free_port; }
# hashproxy: one server, checked every 100ms; down, up, drain, maint, ready.
BP=$(port) FP=$(port)
cat > "$R/hp.cfg" <<C
frontend fe_api
    bind 127.0.0.1:$FP
    default_backend be_api
backend be_api
    balance source
    server api1 127.0.0.1:$BP check inter 100ms rise 1 fall 1
C
hashproxy -f "$R/hp.cfg" --control "$R/hp.sock" > "$R/hp.out" 2> "$R/hp.err" &
HPP=$!
cleanup_push "kill $HPP 2>/dev/null"
wait_file_line 10 "$R/hp.out" '^down backend=be_api' || bail "hashproxy down line"
socat TCP-LISTEN:$BP,bind=127.0.0.1,reuseaddr,fork /dev/null &
cleanup_push "kill $! 2>/dev/null"
wait_file_line 10 "$R/hp.out" '^up backend=be_api' || bail "hashproxy up line"
for st in drain maint ready; do
	echo "set server be_api/api1 state $st" | socat - "UNIX-CONNECT:$R/hp.sock" >/dev/null
	wait_file_line 10 "$R/hp.out" "^$st backend=be_api" || bail "hashproxy $st line"
done
hp_line() { grep -m1 "^$1 " "$R/hp.out"; }
# svccheck --watch: a process of a unique name starts, then goes away.
ln -s "$(command -v sleep)" "$R/n$T_ID"
svccheck --watch "n$T_ID" > "$R/sc.out" 2> "$R/sc.err" &
cleanup_push "kill $! 2>/dev/null"
wait_file_line 10 "$R/sc.out" "^down n$T_ID" || bail "svccheck down line"
"$R/n$T_ID" 600 &
SL=$!
wait_file_line 10 "$R/sc.out" "^up n$T_ID pid=" || bail "svccheck up line"
kill "$SL"; wait "$SL" 2>/dev/null
sc_line() { grep -m1 "^$1 " "$R/sc.out"; }
# pgwatch --watch on a port nobody listens on: its down line.
pgwatch --watch --interval 200ms "host=127.0.0.1 port=$(port) connect_timeout=2" \
    > "$R/pg.out" 2> "$R/pg.err" &
cleanup_push "kill $! 2>/dev/null"
wait_file_line 10 "$R/pg.out" '^down ' || bail "pgwatch down line"
pg_down=$(grep -m1 '^down ' "$R/pg.out")
# dhcpsync send | recv: synced, then peer-down when the sender goes away.
printf 'lease 10.0.0.1 {\n  starts 3 2024/01/10 12:00:00;\n  ends 3 2024/01/10 13:00:00;\n  binding state active;\n}\n' > "$R/a.leases"
: > "$R/b.leases"
{ dhcpsync send "$R/a.leases" 2> "$R/ds-send.err" & echo $! > "$R/send.pid"; wait; } |
    { dhcpsync recv "$R/b.leases" > "$R/ds.out" 2>&1 <&0 & echo $! > "$R/recv.pid"; wait; } &
wait_for 10 test -s "$R/send.pid" -a -s "$R/recv.pid" || bail "dhcpsync pipe"
cleanup_push "kill $(cat "$R/send.pid") $(cat "$R/recv.pid") 2>/dev/null"
wait_file_line 10 "$R/ds.out" '^synced ' || bail "dhcpsync synced line"
kill "$(cat "$R/recv.pid")"
wait_file_line 10 "$R/ds-send.err" 'peer-down' || bail "dhcpsync peer-down line"
# send's stderr is its log too: keep the event lines (a leading word, k=v)
ds_lines() {
	grep -ho -E '(peer-up|peer-down|synced|applied) [a-z_]+=.*' "$R/ds.out" "$R/ds-send.err"
}
{ cat "$R/hp.out" "$R/sc.out"; echo "$pg_down"; ds_lines; } | sed 's/^/# real: /'

topo a b

args=(-i eth0 --vrid 63 --vip $VIP/24 --advert 100ms --vrrp-version 3)
mkfifo "$T_TMP/fd.a"
exec 7<>"$T_TMP/fd.a"
vr_start a "${args[@]}" --priority 150 --track-fd 7 || bail "vrrpd a"
vr_start b "${args[@]}" --priority 100 || bail "vrrpd b"
ok "a becomes master" wait_file_line 5 "$T_TMP/a.out" '^MASTER VI_63 vrid=63 prio=150'
ok "a alone holds the VIP" wait_for 5 only a a b

P=127.0.0.1:5432 S=127.0.0.1:5433
# Lines no consumer acts on: hashproxy's and dhcpsync's as printed above;
# pgwatch's role/lag/streaming need a promotion and a lagging standby, so
# they are written from pgwatch(1) WATCH LINES.
noise() {
	cat >&7 <<-L
		role $P role=primary was=standby tli=2
		lag $S state=over lag_bytes=99999999 lag_s=40.000
		streaming $S state=lost wal=stopped
		lag $S state=under lag_bytes=0 lag_s=0.000
		streaming $S state=regained wal=streaming
		$(hp_line ready)
		$(hp_line drain)
		$(hp_line maint)
		$(ds_lines)
		clamped addr=192.0.2.9 cltt=1828069712 to=1796533701 by=31536011
		out-of-subnet addr=10.99.0.2
		peer-refused id=00000000000000ab live=00000000000000cd
		peer-down reason=limit
		MASTER VI_1 vrid=1 prio=150 from=BACKUP reason=preempt iface=eth0 vip=192.0.2.9
		FAULT VI_1 vrid=1 prio=150 from=MASTER reason=track-fd iface=eth0 vip=192.0.2.9
		{"event":"role","host":"$P","role":"primary","was":"standby","tli":2}
	L
}
# mv LINE DESC STATE_REGEX HOLDER: LINE (after everything written before
# it) makes a print a state line matching STATE_REGEX and leaves HOLDER
# alone with the VIP.
new_since() { tail -n "+$(($1 + 1))" "$T_TMP/a.out" | grep -Eq -- "$2"; }
mv() {
	local n; n=$(wc -l < "$T_TMP/a.out")
	echo "$1" >&7
	ok "$2: a prints $3" wait_for 5 new_since "$n" "$3"
	ok "... VIP on $4 only" wait_for 5 only "$4" a b
}

noise
mv "weight -60" "weight -60 after noise: a's first change" \
    '^BACKUP VI_63 vrid=63 prio=90 ' b
noise
mv "weight 0" "weight 0: a preempts" '^MASTER VI_63 vrid=63 prio=150 ' a
noise
mv "$(sc_line down)" "svccheck's down line" '^FAULT .*reason=track-fd' b
noise
mv "up $P role=primary tli=1 lsn=0/3000060 conns=6/50 free=44 check=ok" \
    "pgwatch's up line" '^MASTER .*from=(FAULT|BACKUP)' a
mv "$pg_down" \
    "pgwatch's down line" '^FAULT .*reason=track-fd' b
noise
mv "$(sc_line up)" "svccheck's up line" '^MASTER ' a
mv "down $P reason=expect role=standby tli=1 lsn=0/3000060 check=expect" \
    "pgwatch's down line for a failed condition" '^FAULT ' b
mv "$(hp_line up)" \
    "hashproxy's up line" '^MASTER ' a
mv "$(hp_line down)" \
    "hashproxy's down line" '^FAULT ' b
mv "up" "plain up" '^MASTER ' a
mv "down" "plain down" '^FAULT ' b
mv '{"event":"up","name":"n'"$T_ID"'","pid":1}' "svccheck --json up" '^MASTER ' a
mv '{"event":"down","host":"'"$P"'","reason":"refused"}' "pgwatch --json down" '^FAULT ' b
mv "up $P role=primary check=ok"$'\r' "up line ending in CRLF" '^MASTER ' a
noise
mv "weight -60" "weight -60 again: b preempts" '^BACKUP .*prio=90 ' b

# Every state change of a, in order, is the one a moving line asked for:
# FAULT -> up is BACKUP (fault-cleared) then MASTER (preempt) as in keepalived.
# weight -60, weight 0, then 6 down lines each undone by an up line.
want="MASTER BACKUP MASTER"
for i in 1 2 3 4 5 6; do want="$want FAULT BACKUP MASTER"; done
want="$want BACKUP"
is "$(awk '{printf "%s%s", sep, $1; sep=" "}' "$T_TMP/a.out" | sed 's/^BACKUP //')" "$want" \
    "the noise never moved a: only up/down/weight did"
is "$(grep '^FAULT' "$T_TMP/a.out" | grep -vc 'reason=track-fd')" 0 "every FAULT says reason=track-fd"
ok "vrrpd a still runs" kill -0 "$VR_a"
like "$(ctl a status)" "^status vrrpd pid=[0-9]+ instances=1" "... and answers"
is "$(grep -ci 'error\|fatal' "$T_TMP/a.err")" 0 "no line made vrrpd log an error"
is "$(grep 'not understood' "$T_TMP/a.err")" "" \
    "other producers' lines are accepted silently"

# What is no event line at all, or a weight that is no number, is still
# worth a warning: someone piped the wrong thing in.
printf '%s\n' 'weight lots' '%%% garbage' >&7
ok "a malformed weight line is warned about" \
    wait_file_line 5 "$T_TMP/a.err" 'not understood: weight lots'
ok "so is a line that is no event line" \
    wait_file_line 5 "$T_TMP/a.err" 'not understood: %%% garbage'
done_testing
