#!/bin/bash
# SPDX-License-Identifier: ISC
# global_defs startup_script / shutdown_script (+ _timeout) against
# keepalived 2.2.7, the same file on host a for each daemon in turn.  The
# scripts and notify log to one file; the startup script takes 2 s and
# says whether the VIP is there, the shutdown script too.  Each daemon's
# log must read the same: the startup script ends before the instance's
# first state (BACKUP), it runs as root, the shutdown script runs after
# the instance's STOP with the VIP gone.  A startup script that hangs is
# killed after startup_script_timeout and the instances start anyway.
# The track script (every second) first runs once the startup script
# has ended or been killed, as keepalived starts its VRRP process then.
. "$(dirname "$0")/lib.sh"
needs_root
command -v keepalived >/dev/null || cannot_run "keepalived not installed"
topo a
host_init a || bail "host a"

cat > "$T_TMP/step.sh" <<'EOS'
#!/bin/sh
# step.sh LOG WHAT [SLEEP]: logs "WHAT begin", sleeps, logs "WHAT end vip=..."
echo "$2 begin uid=$(id -u)" >> "$1"
sleep "${3:-0}"
v=no; ip -4 addr show dev eth0 | grep -q "192.0.2.100/" && v=yes
echo "$2 end vip=$v" >> "$1"
EOS
cat > "$T_TMP/track.sh" <<'EOS'
#!/bin/sh
# track.sh LOG: a line a run, in a file of its own: is the startup
# script still running?
s=gone; pgrep -f "step.sh $1 startup" >/dev/null && s=running
echo "run startup=$s" >> "$1.track"
EOS
cat > "$T_TMP/notify.sh" <<'EOS'
#!/bin/sh
# notify.sh LOG TYPE NAME STATE PRIO
echo "notify $3 $4" >> "$1"
EOS
chmod 755 "$T_TMP/step.sh" "$T_TMP/notify.sh" "$T_TMP/track.sh"

conf() {	# conf NAME STARTUP-SLEEP [TIMEOUT]
	local log=$T_TMP/$1.log
	cat <<EOC
global_defs {
    startup_script "$T_TMP/step.sh $log startup $2"
    ${3:+startup_script_timeout $3}
    shutdown_script "$T_TMP/step.sh $log shutdown"
    shutdown_script_timeout 5
}
vrrp_script chk {
    script "$T_TMP/track.sh $log"
    interval 1
}
vrrp_instance VI_1 {
    interface eth0
    track_script {
        chk
    }
    virtual_router_id 51
    priority 100
    advert_int 1
    notify "$T_TMP/notify.sh $log"
    virtual_ipaddress {
        $VIP/24
    }
}
EOC
}
log() { cat "$T_TMP/$1.log" 2>/dev/null; }
has() { grep -qx "$2" "$T_TMP/$1.log" 2>/dev/null; }

start() {	# start DAEMON NAME
	if [ "$1" = vrrpd ]; then
		vr_in a -f "$T_TMP/$2.conf" || bail "vrrpd"
		PID=$VR_a
	else
		nsenter -t "$P1_a" -a keepalived -n -l -D -P \
		    -f "$T_TMP/$2.conf" -p "$T_TMP/$2.kpid" \
		    -r "$T_TMP/$2.vpid" -c "$T_TMP/$2.cpid" \
		    >>"$T_TMP/$2.out" 2>&1 &
		local outer=$!
		disown
		wait_for 5 pgrep -P "$outer" >/dev/null || bail "keepalived"
		PID=$(pgrep -P "$outer" | head -1)
	fi
}
for d in keepalived vrrpd; do
	conf $d 2 > "$T_TMP/$d.conf"
	[ $d = vrrpd ] && ok "vrrpd -t accepts the config" vrrpd -t -f "$T_TMP/$d.conf"
	start $d $d
	ok "$d: master" wait_for 15 has $d "notify VI_1 MASTER"
	kill -TERM "$PID"
	ok "$d: stopped" wait_gone 15 "$PID"
	ok "$d: the shutdown script ran" wait_for 10 has $d "shutdown end vip=no"
	log $d | sed "s/^/# $d: /"

	# a startup script that hangs: killed after its timeout
	conf $d-t 60 1 > "$T_TMP/$d-t.conf"
	t0=$(ms)
	start $d $d-t
	ok "$d: hung startup script: master all the same" \
	    wait_for 15 has $d-t "notify VI_1 MASTER"
	log $d-t | sed "s/^/# $d-t: /"
	kill -TERM "$PID"
	wait_gone 15 "$PID"
done
is "$(log vrrpd)" "$(log keepalived)" "vrrpd's order is keepalived's"
is "$(log vrrpd | head -3)" "startup begin uid=0
startup end vip=no
notify VI_1 BACKUP" "... the startup script (root) ends before the first state"
is "$(log vrrpd | tail -2)" "shutdown begin uid=0
shutdown end vip=no" "... the shutdown script last, the VIP gone"
tracks() { cat "$T_TMP/$1.log.track" 2>/dev/null; }
for r in keepalived keepalived-t vrrpd vrrpd-t; do
	like "$(tracks $r)" "startup=gone" "$r: the track script ran"
	is "$(tracks $r | grep -c startup=running)" 0 \
	    "... never while the startup script ran"
done
is "$(log vrrpd-t | grep -c 'startup end')" 0 "hung startup script killed (vrrpd)"
is "$(log keepalived-t | grep -c 'startup end')" 0 "... as keepalived"
# keepalived's range, 1 to 1000 seconds: outside it an error naming the line
printf 'global_defs {\n    startup_script_timeout 0\n}\n' > "$T_TMP/bad.conf"
out=$(vrrpd -t -f "$T_TMP/bad.conf" 2>&1); rc=$?
is "$rc" 2 "startup_script_timeout 0: a config error (exit 2)"
like "$out" "bad.conf:2: .*startup_script_timeout: 0 is not 1 to 1000 seconds" \
    "... naming file:line"
done_testing
