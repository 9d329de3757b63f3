#!/bin/bash
# vrrpd --track-fd reads the event lines of every producer in the project
# (DESIGN.md "Event lines"): up/down/weight move the instance, whoever wrote
# them; every other line (pgwatch's role/lag/streaming, hashproxy's
# ready/drain/maint, dhcpsync's, vrrpd's own state lines) changes nothing,
# is no error and does not stop vrrpd.  Fed through a fifo to a (150), with
# b (100) as the backup that shows a's effective priority.
. "$(dirname "$0")/../vrrpd/lib.sh"
needs_root
topo a b

args=(-i eth0 --vrid 63 --vip $VIP/24 --advert 100ms --vrrp-version 3)
mkfifo "$T_TMP/fd.a"
exec 7<>"$T_TMP/fd.a"
vr_start a "${args[@]}" --priority 150 --track-fd 7 || bail "vrrpd a"
vr_start b "${args[@]}" --priority 100 || bail "vrrpd b"
ok "a becomes master" wait_file_line 5 "$T_TMP/a.out" '^MASTER VI_63 vrid=63 prio=150'
ok "a alone holds the VIP" wait_for 5 only a a b

P=127.0.0.1:5432 S=127.0.0.1:5433
# Lines no consumer acts on, as their producers print them (man pages).
noise() {
	cat >&7 <<-L
		role $P role=primary was=standby tli=2
		lag $S state=over lag_bytes=99999999 lag_s=40.000
		streaming $S state=lost wal=stopped
		lag $S state=under lag_bytes=0 lag_s=0.000
		streaming $S state=regained wal=streaming
		ready backend=be_api server=api1 active=2
		drain backend=be_api server=api1 active=1
		maint backend=be_api server=api2 active=0
		peer-up id=dhcp2 resume=42
		peer-down reason=eof
		applied n=120 seq=43 ms=3
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
mv "down n$T_ID" "svccheck's down line" '^FAULT .*reason=track-fd' b
noise
mv "up $P role=primary tli=1 lsn=0/3000060 conns=6/50 free=44 check=ok" \
    "pgwatch's up line" '^MASTER .*from=(FAULT|BACKUP)' a
mv "down $P reason=refused msg=\"connection refused\"" \
    "pgwatch's down line" '^FAULT .*reason=track-fd' b
noise
mv "up n$T_ID pid=1" "svccheck's up line" '^MASTER ' a
mv "down $P reason=expect role=standby tli=1 lsn=0/3000060 check=expect" \
    "pgwatch's down line for a failed condition" '^FAULT ' b
mv 'up backend=be_api server=api1 reason="Layer4 check passed check=L4OK active=1"' \
    "hashproxy's up line" '^MASTER ' a
mv 'down backend=be_api server=api1 reason="Layer4 connection problem check=L4CON active=0"' \
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
