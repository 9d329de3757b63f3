#!/bin/bash
# SPDX-License-Identifier: ISC
# The INIT hold, against keepalived 2.2.7, the same config text on both
# hosts (their own VRIDs): an instance that tracks a vrrp_script with
# weight 0 (no init_fail) stays in INIT until that script's first result:
# no advert, no notify, no VIP.  The scripts wait 5 s for the test's go
# before their first answer, longer than the master down interval
# (3.6 s), so an instance not held would be master before the answer.
#  - VI_H: its script then succeeds: BACKUP (notify) only after the
#    answer, then MASTER; its first advert comes after the answer;
#  - VI_D: its script then fails: INIT to FAULT (notify_fault, never a
#    BACKUP first), never an advert.
# Both scripts log "done NAME" when they answer, and every notify logs
# "notify INSTANCE STATE" to the same per-host file: the order of those
# lines is what a user sees.
. "$(dirname "$0")/lib.sh"
needs_root
command -v keepalived >/dev/null || cannot_run "keepalived not installed"
topo a b
host_init a || bail "host a"
host_init b || bail "host b"

cat > "$T_TMP/answer.sh" <<'EOS'
#!/bin/sh
# answer.sh LOG NAME RC: no answer before the test says go (LOG.go);
# keepalived starts a new run each interval while one still waits: only
# the first to get through logs, and no run answers before its line is
# written (one that lost the race and exited at once was an answer
# before the line: a loaded run saw the notify first)
while [ ! -e "$1.go" ]; do sleep 0.1; done
if mkdir "$1.$2.d" 2>/dev/null; then
	echo "done $2" >> "$1"
	: > "$1.$2.logged"
fi
while [ ! -e "$1.$2.logged" ]; do sleep 0.05; done
exit "$3"
EOS
cat > "$T_TMP/notify.sh" <<'EOS'
#!/bin/sh
# notify.sh LOG TYPE NAME STATE PRIO
echo "notify $3 $4" >> "$1"
EOS
chmod 755 "$T_TMP/answer.sh" "$T_TMP/notify.sh"

# conf HOST BASE: VRIDs BASE+1.., VIPs 192.0.2.BASE+101..
conf() {
	local log=$T_TMP/$1.log
	cat <<EOC
global_defs {
    router_id $1
    enable_script_security
    script_user root
}
vrrp_script up_late {
    script "$T_TMP/answer.sh $log up 0"
    interval 1
    timeout 30
}
vrrp_script down_late {
    script "$T_TMP/answer.sh $log down 1"
    interval 1
    timeout 30
}
vrrp_instance VI_H {
    interface eth0
    virtual_router_id $(($2 + 1))
    priority 100
    advert_int 1
    track_script {
        up_late
    }
    notify "$T_TMP/notify.sh $log"
    virtual_ipaddress {
        192.0.2.$(($2 + 101))/24
    }
}
vrrp_instance VI_D {
    interface eth0
    virtual_router_id $(($2 + 2))
    priority 100
    advert_int 1
    track_script {
        down_late
    }
    notify "$T_TMP/notify.sh $log"
    virtual_ipaddress {
        192.0.2.$(($2 + 102))/24
    }
}
EOC
}
conf a 60 > "$T_TMP/a.conf"
conf b 70 > "$T_TMP/b.conf"
ok "vrrpd -t accepts the config" vrrpd -t -f "$T_TMP/a.conf"

vrrp_capture cl "$T_TMP/cap" || bail "tcpdump"
t0=$(ms)
vr_in a -f "$T_TMP/a.conf" || bail "vrrpd"
# keepalived, without ka_in's wait for "Entering BACKUP": none comes
nsenter -t "$P1_b" -a keepalived -n -l -D -P -f "$T_TMP/b.conf" \
    -p "$T_TMP/b.kpid" -r "$T_TMP/b.vpid" -c "$T_TMP/b.cpid" \
    >>"$T_TMP/b.out" 2>&1 &
disown
ok "keepalived running" wait_for 5 test -s "$T_TMP/b.vpid"
log() { cat "$T_TMP/$1.log" 2>/dev/null; }
wait_for 10 eval 'test "$(ms)" -ge $((t0 + 5000))'
is "$(log a; log b)" "" "5 s on, no answer and no notify on either host"
like "$(ctl a 'show instances')" "VI_H .*state=INIT" "vrrpd: VI_H in INIT"
like "$(ctl a 'show instances')" "VI_D .*state=INIT" "vrrpd: VI_D in INIT"
is "$(grep -c "vrid [67][12]," "$T_TMP/cap")" 0 "no advert from either"
go_ms=$(ms)
touch "$T_TMP/a.log.go" "$T_TMP/b.log.go"
ok "both scripts answered on both hosts" wait_for 20 eval '
    [ "$(log a | grep -c "^done")" = 2 ] && [ "$(log b | grep -c "^done")" = 2 ]'
ok "VI_H master on both" wait_for 15 eval '
    log a | grep -qx "notify VI_H MASTER" && log b | grep -qx "notify VI_H MASTER"'
ok "VI_D fault on both" wait_for 10 eval '
    log a | grep -qx "notify VI_D FAULT" && log b | grep -qx "notify VI_D FAULT"'

for h in b a; do
	d=$([ $h = a ] && echo vrrpd || echo keepalived)
	grep -q . "$T_TMP/$h.log" && log $h | sed "s/^/# $d: /"
	# SCRIPT INSTANCE's lines of the log, in order
	seq_of() { log $h | awk -v s="$1" -v i="$2" '
	    $2 == s || $2 == i { printf "%s;", $0 }'; }
	is "$(seq_of up VI_H | sed 's/;notify VI_H MASTER.*//')" \
	    "done up;notify VI_H BACKUP" \
	    "$d: VI_H: its script's answer, then BACKUP, then MASTER"
	is "$(seq_of down VI_D)" "done down;notify VI_D FAULT;" \
	    "$d: VI_D: its script's answer, then FAULT, nothing before"
done

first_adv() { advert_ms "$T_TMP/cap" "$t0" "$1" "vrid $2,"; }
for x in "a 192.0.2.1 61 62 vrrpd" "b 192.0.2.2 71 72 keepalived"; do
	set -- $x
	f=$(first_adv "$2" "$3")
	ok "$5: VI_H's first advert (+$((f - t0)) ms) after the go (+$((go_ms - t0)) ms)" \
	    test "$f" -ge "$go_ms"
	is "$(grep -c "$2 > .*vrid $4," "$T_TMP/cap")" 0 "$5: no VI_D advert"
done
ok "VI_H's VIP on each" eval 'has_vip a 192.0.2.161 && has_vip b 192.0.2.171'
ok "no VI_D VIP" eval '! has_vip a 192.0.2.162 && ! has_vip b 192.0.2.172'

kill "$VR_a"
ok "vrrpd stops" wait_gone 10 "$VR_a"
done_testing
