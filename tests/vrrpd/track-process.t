#!/bin/bash
# SPDX-License-Identifier: ISC
# vrrp_track_process against real keepalived 2.2.7.  The kernel's process
# events (the proc connector) reach only the initial network and PID
# namespaces (keepalived says "Failed to set/clear process event listen -
# errno 111" anywhere else, acassen/keepalived#1469), so both daemons run
# there, each on one end of a veth pair of its own that leads nowhere,
# with addresses of 127.0.0.0/8 only (route_localnet, accept_local on the
# pair alone): vrrpd 127.77.R.2, keepalived 127.77.R.3, the VIP
# 127.77.R.100/32.  The tracked processes carry T_ID in their names.
# VI_1: vrrpd (150) master, keepalived (100) backup, weight -100; VI_2 the
# other way round, weight 0 (FAULT).  Killing the tracked process on
# vrrpd's side hands VI_1 to keepalived, restarting it brings VI_1 back;
# the same on keepalived's side for VI_2.  "weight N reverse" (the
# block's, and a track line's own reverse or noreverse over it) and
# "weight 0 reverse": each daemon's own instances, alone on the link,
# advertise their priorities while the process runs and once it is gone;
# keepalived 2.2.7 weighs a process as a script (vrrp_track.c), so does
# vrrpd (inst_weigh()).  vrrpd alone: quorum 2 and terminate_delay.
# VRRPv3 at 0.3 s adverts (what is compared works alike in v2 and v3):
# each take-over waits ~1 s for a master down interval, not 3.6 s.
. "$(dirname "$0")/lib.sh"
needs_root
B=$T_TMP/bin
mkdir -p "$B"
PA=pa$T_ID PB=pb$T_ID
cp /bin/sleep "$B/$PA"; cp /bin/sleep "$B/$PB"
R=$(( 1 + RANDOM % 250 ))
V1=$(( 16 + RANDOM % 200 )); V2=$((V1 + 1)); V3=$((V1 + 2))
IA=va${T_ID#ht} IK=vk${T_ID#ht}
SA=127.77.$R.2 SK=127.77.$R.3 VIP1=127.77.$R.100 VIP2=127.77.$R.101
cleanup_push "pkill -9 -x $PA; pkill -9 -x $PB"
ip link add "$IA" type veth peer name "$IK" || bail "veth"
cleanup_push "ip link del $IA"
for i in "$IA" "$IK"; do
	sysctl -qw "net.ipv4.conf.$i.route_localnet=1" \
	    "net.ipv4.conf.$i.accept_local=1" || bail "sysctl"
	ip link set "$i" up
done
ip addr add "$SA/32" dev "$IA"; ip addr add "$SK/32" dev "$IK"

# proc_start NAME: one more process NAME; proc_kill NAME: all gone
proc_start() { "$B/$1" 100000 & disown; }
proc_kill() { pkill -9 -x "$1"; }
proc_n() { [ "$(pgrep -x -c "$1")" = "$2" ]; }
# on IF ADDR: IF holds ADDR
on() { ip addr show dev "$1" | grep -q "inet $2/32"; }
# only_on IF ADDR: IF holds ADDR, the other end does not
only_on() {
	local o=$IA; [ "$1" = "$IA" ] && o=$IK
	on "$1" "$2" && ! on "$o" "$2"
}

# conf PRIO PROCESS IFACE
conf() {
	cat <<EOC
vrrp_track_process daemon {
    process $2
    weight -100
}
vrrp_instance VI_1 {
    state BACKUP
    interface $3
    virtual_router_id $V1
    priority $1
    version 3
    advert_int 0.3
    track_process {
        daemon
    }
    virtual_ipaddress {
        $VIP1/32
    }
}
vrrp_instance VI_2 {
    state BACKUP
    interface $3
    virtual_router_id $V2
    priority $((250 - $1))
    version 3
    advert_int 0.3
    track_process {
        daemon weight 0
    }
    virtual_ipaddress {
        $VIP2/32
    }
}
EOC
}
# conf_rev PROCESS IFACE VRID N: "reverse", three instances of priority
# 100, each alone on the link (VRIDs VRID, +1, +2; VIPs 127.77.R.N, +1,
# +2) so that its own adverts say its priority: VI_B takes the reverse of
# its vrrp_track_process blocks, VI_L its track lines' own (over their
# blocks'), VI_F weight 0 reverse (FAULT while the process runs).
conf_rev() {
	cat <<EOC
vrrp_track_process rdown {
    process $1
    weight -30 reverse
}
vrrp_track_process rup {
    process $1
    weight 20 reverse
}
vrrp_track_process lno {
    process $1
    weight -30 reverse
}
vrrp_track_process lrev {
    process $1
    weight 5
}
vrrp_track_process rfault {
    process $1
    weight 0 reverse
}
vrrp_instance VI_B {
    interface $2
    virtual_router_id $3
    priority 100
    version 3
    advert_int 0.3
    track_process {
        rdown
        rup
    }
    virtual_ipaddress {
        127.77.$R.$4/32
    }
}
vrrp_instance VI_L {
    interface $2
    virtual_router_id $(($3 + 1))
    priority 100
    version 3
    advert_int 0.3
    track_process {
        lno weight 40 noreverse
        lrev weight -8 reverse
    }
    virtual_ipaddress {
        127.77.$R.$(($4 + 1))/32
    }
}
vrrp_instance VI_F {
    interface $2
    virtual_router_id $(($3 + 2))
    priority 100
    version 3
    advert_int 0.3
    track_process {
        rfault
    }
    virtual_ipaddress {
        127.77.$R.$(($4 + 2))/32
    }
}
EOC
}
RA=$((V1 + 3)) RK=$((V1 + 6))
{ conf 150 "$PA" "$IA"; conf_rev "$PA" "$IA" $RA 110; } > "$T_TMP/a.conf"
{ conf 100 "$PB" "$IK"; conf_rev "$PB" "$IK" $RK 113; } > "$T_TMP/b.conf"
cat >> "$T_TMP/a.conf" <<EOC
vrrp_track_process two {
    process $PA
    quorum 2
    weight 0
    terminate_delay 2
}
vrrp_instance VI_3 {
    interface $IA
    virtual_router_id $V3
    priority 100
    track_process {
        two
    }
    virtual_ipaddress {
        127.77.$R.102/32
    }
}
EOC
st() { ctl "$1" "show instances" | sed -n "s/^instance $2 state=\([A-Z]*\).*/\1/p"; }
st_is() { [ "$(st "$1" "$2")" = "$3" ]; }

proc_start "$PA"; proc_start "$PB"
ok "tracked processes run" wait_for 5 proc_n "$PA" 1
wait_for 5 proc_n "$PB" 1
ok "vrrpd -t accepts the config" vrrpd -t -f "$T_TMP/a.conf"
# every track line as written, none dropped with a warning
is "$(keepalived -t -n -l -f "$T_TMP/b.conf" 2>&1)" "" \
    "keepalived -t takes its config without a word"
(tcpdump -l -n -tt -i "$IA" "ip proto 112" >"$T_TMP/cap" 2>"$T_TMP/cap.err" &)
wait_for 5 grep -q listening "$T_TMP/cap.err" || bail "tcpdump"
keepalived -n -l -D -f "$T_TMP/b.conf" -p "$T_TMP/b.kpid" \
    -r "$T_TMP/b.vpid" -c "$T_TMP/b.cpid" >>"$T_TMP/b.out" 2>&1 &
KA=$!
cleanup_push "kill $KA 2>/dev/null; wait_gone 10 $KA"
vrrpd --control "$T_TMP/a.sock" -f "$T_TMP/a.conf" \
    >>"$T_TMP/a.out" 2>>"$T_TMP/a.err" &
VR=$!
cleanup_push "kill $VR 2>/dev/null; wait_gone 10 $VR"
ok "vrrpd's control socket" wait_for 10 test -S "$T_TMP/a.sock"
ok "VI_1: vrrpd master" wait_for 10 st_is a VI_1 MASTER
ok "... the VIP on its side only" wait_for 10 only_on "$IA" $VIP1
ok "VI_2: keepalived master" wait_for 10 only_on "$IK" $VIP2
like "$(cat "$T_TMP/a.err")" "track_process daemon: up \(1 running\)" \
    "vrrpd found the running process at start"

prio() { wait_advert "$T_TMP/cap" "$4" "$1" "vrid $3, prio $2,"; }
# prio_now SRC VRID P: SRC's last advert for VRID says priority P
prio_now() {
	[ "$(awk -v s="$1" -v re="vrid $2, prio " '
	    $3 == s && index($0, re) { p = $0 }
	    END { sub(/.*prio /, "", p); sub(/,.*/, "", p); print p }' \
	    "$T_TMP/cap")" = "$3" ]
}
# reversed WHO SRC VRID B L: WHO's VI_B (VRID) advertises B, VI_L L
reversed() {
	ok "$1: VI_B advertises $4" wait_for 5 prio_now "$2" "$3" "$4"
	ok "$1: VI_L advertises $5" wait_for 5 prio_now "$2" $(($3 + 1)) "$5"
}
# first_advert SRC VRID: epoch ms of SRC's first advert for VRID, or 0
first_advert() {
	local a; a=$(advert_ms "$T_TMP/cap" 0 "$1" "vrid $2, "); echo "${a:-0}"
}
# running, blocks: -30 reverse counts nothing, 20 reverse -20; lines:
# 40 noreverse (over its block's reverse) +40, -8 reverse nothing
reversed vrrpd $SA $RA 80 140
reversed keepalived $SK $RK 80 140
ok "vrrpd: VI_F (weight 0 reverse) FAULT while the process runs" \
    st_is a VI_F FAULT
t0=$(ms); proc_kill "$PA"
ok "process killed on vrrpd's side: VI_1 goes to keepalived" \
    wait_for 10 only_on "$IK" $VIP1
ok "... vrrpd advertised 150 - 100 = 50 first" prio $SA 50 $V1 "$t0"
ok "... VI_2 (weight 0) FAULT in vrrpd" wait_for 5 st_is a VI_2 FAULT
like "$(ctl a 'show instances' | grep '^instance VI_2')" 'fault=process-daemon' \
    "... fault=process-daemon"
# gone: -30 reverse +30, 20 reverse nothing; 40 noreverse nothing, -8
# reverse +8; weight 0 reverse no longer a FAULT
reversed "... vrrpd" $SA $RA 130 108
ok "... vrrpd: VI_F advertises 100" wait_for 5 prio_now $SA $((RA + 2)) 100
ok "... its first advert since vrrpd started" \
    test "$(first_advert $SA $((RA + 2)))" -ge "$t0"
t0=$(ms); proc_start "$PA"
ok "restarted: VI_1 back with vrrpd" wait_for 10 only_on "$IA" $VIP1
ok "... at priority 150" prio $SA 150 $V1 "$t0"
ok "... VI_2 BACKUP again" wait_for 5 st_is a VI_2 BACKUP
reversed "... vrrpd" $SA $RA 80 140
ok "... vrrpd: VI_F leaves with priority 0" \
    wait_for 5 prio_now $SA $((RA + 2)) 0
ok "... FAULT" st_is a VI_F FAULT

t0=$(ms); proc_kill "$PB"
ok "process killed on keepalived's side: VI_2 goes to vrrpd" \
    wait_for 10 only_on "$IA" $VIP2
ok "... keepalived sent priority 0 (FAULT)" prio $SK 0 $V2 "$t0"
ok "... VI_1 stays with vrrpd" st_is a VI_1 MASTER
reversed "... keepalived" $SK $RK 130 108
ok "... keepalived: VI_F advertises 100" \
    wait_for 5 prio_now $SK $((RK + 2)) 100
ok "... its first advert since keepalived started" \
    test "$(first_advert $SK $((RK + 2)))" -ge "$t0"
t0=$(ms); proc_start "$PB"
ok "restarted: VI_2 back with keepalived" wait_for 10 only_on "$IK" $VIP2
ok "... at priority 150" prio $SK 150 $V2 "$t0"
reversed "... keepalived" $SK $RK 80 140
ok "... keepalived: VI_F leaves with priority 0" \
    wait_for 5 prio_now $SK $((RK + 2)) 0

# quorum 2 (vrrpd only): one process is not enough
ok "quorum 2, one running: VI_3 FAULT" wait_for 5 st_is a VI_3 FAULT
proc_start "$PA"
ok "a second one: VI_3 MASTER" wait_for 10 st_is a VI_3 MASTER
# terminate_delay 2: a restart within it does not bounce the instance
n=$(file_lines "$T_TMP/a.out")
pkill -9 -n -x "$PA"; proc_start "$PA"
ok "(back to two)" wait_for 5 proc_n "$PA" 2
nok "... a restart within terminate_delay: VI_3 stays MASTER" \
    wait_file_line_after 3 "$T_TMP/a.out" "$n" '^FAULT VI_3'
pkill -9 -n -x "$PA"
t0=$(ms)
ok "one killed for good: FAULT" wait_for 10 st_is a VI_3 FAULT
ok "... not before terminate_delay" test $(( $(ms) - t0 )) -ge 1500

# a reload watches afresh and moves nothing that holds
n=$(file_lines "$T_TMP/a.err")
kill -HUP "$VR"
ok "SIGHUP: reloaded" wait_file_line_after 10 "$T_TMP/a.err" "$n" 'reloaded'
ok "... VI_1 still with vrrpd" only_on "$IA" $VIP1
t0=$(ms); proc_kill "$PA"
ok "... the new watch sees a kill: VI_1 goes to keepalived" \
    wait_for 10 only_on "$IK" $VIP1
proc_start "$PA"
ok "... and the restart: back" wait_for 10 only_on "$IA" $VIP1

kill "$VR"
ok "vrrpd stops" wait_gone 10 "$VR"
ok "... its VIPs are gone" eval "! on $IA $VIP1 && ! on $IA $VIP2"
done_testing
