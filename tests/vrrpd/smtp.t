#!/bin/bash
# SPDX-License-Identifier: ISC
# smtp_alert against keepalived 2.2.7: the same global_defs (router_id,
# notification_email with two recipients, the default sender, smtp_server
# on 127.0.0.1 in host a, a port per daemon), instance and sync group (each
# with smtp_alert) on host a for each daemon in turn, the same failover
# sequence: a alone (MASTER), b (vrrpd, priority 200) preempts (BACKUP),
# a's link down (FAULT) and up again (BACKUP), b stops (MASTER).  Each
# daemon's SMTP server must receive the same mails (envelope, From, To,
# Subject): the instance's in the same order, the group's in the same
# order (at start-up keepalived mails the group's BACKUP before the
# instance's, vrrpd after, as with notify_fifo).  The server is on a's
# loopback so a FAULT mail still goes out with the link down.
# VRRPv3 at 0.3 s adverts (what is compared works alike in v2 and v3):
# each take-over waits ~1 s for a master down interval, not 3.6 s.
. "$(dirname "$0")/lib.sh"
needs_root
command -v keepalived >/dev/null || cannot_run "keepalived not installed"
/usr/bin/python3 -c 'import smtpd' 2>/dev/null ||
    cannot_run "python3 without the smtpd module"
topo a b

conf() {	# conf PORT PRIO
	cat <<EOC
global_defs {
    router_id RT_$T_ID
    notification_email {
        ops@example.org
        oncall@example.org
    }
    smtp_server 127.0.0.1 $1
    smtp_helo_name a.example.org
    smtp_connect_timeout 5
}
vrrp_sync_group G1 {
    group {
        VI_1
    }
    smtp_alert
}
vrrp_instance VI_1 {
    interface eth0
    virtual_router_id 51
    priority $2
    version 3
    advert_int 0.3
    smtp_alert
    virtual_ipaddress {
        $VIP/24
    }
}
EOC
}
conf 1 200 | sed '/smtp_alert/d; /^vrrp_sync_group/,/^}/d' > "$T_TMP/b.conf"

mails() { grep -c '^Subject:' "$T_TMP/$1.mail" 2>/dev/null; }
subjects() { grep "^Subject: .* VRRP $2 " "$T_TMP/$1.mail" 2>/dev/null; }
last_is() { [ "$(subjects "$1" Instance | tail -1)" = "Subject: [RT_$T_ID] VRRP Instance VI_1 - Entering $2 state" ]; }
glast_is() { [ "$(subjects "$1" Group | tail -1)" = "Subject: [RT_$T_ID] VRRP Group G1 - Entering $2 state" ]; }
port=25250
for d in keepalived vrrpd; do
	port=$((port + 1))
	: > "$T_TMP/$d.mail"
	ok "$d: SMTP server up" smtp_sink a $port "$T_TMP/$d.mail"
	conf $port 150 > "$T_TMP/$d.conf"
	if [ $d = vrrpd ]; then
		vr_start a -f "$T_TMP/$d.conf" || bail "vrrpd a"
	else
		ka_start a "$T_TMP/$d.conf" || bail "keepalived a"
	fi
	ok "$d: master" wait_for 10 has_vip a
	ok "$d: mailed MASTER" wait_for 10 last_is $d MASTER
	vr_start b -f "$T_TMP/b.conf" || bail "vrrpd b"
	ok "$d: b preempts" wait_for 10 only b a b
	ok "$d: mailed BACKUP" wait_for 10 last_is $d BACKUP
	ns_link a eth0 down
	ok "$d: mailed FAULT" wait_for 10 last_is $d FAULT
	ns_link a eth0 up
	ok "$d: mailed BACKUP again" wait_for 10 last_is $d BACKUP
	kill -TERM "$VR_b"
	wait_gone 5 "$VR_b"
	ok "$d: a master again" wait_for 10 has_vip a
	ok "$d: mailed MASTER again" wait_for 10 last_is $d MASTER
	ok "$d: the group too" wait_for 10 glast_is $d MASTER
	n=$(mails $d)
	if [ $d = vrrpd ]; then
		kill -TERM "$VR_a"
		wait_gone 10 "$VR_a"
	else
		kill -TERM "$(pgrep -P "$KA_a")"
		wait_gone 15 "$KA_a"
	fi
	diag "$d's mails:"
	sed 's/^/#   /' "$T_TMP/$d.mail"
	is "$(mails $d)" "$n" "$d: no mail at stop"
done
is "$(subjects vrrpd Instance)" "$(subjects keepalived Instance)" \
    "vrrpd's instance mails are keepalived's (Subject, order)"
is "$(subjects vrrpd Group)" "$(subjects keepalived Group)" \
    "vrrpd's group mails are keepalived's (Subject, order)"
is "$(sort "$T_TMP/vrrpd.mail")" "$(sort "$T_TMP/keepalived.mail")" \
    "the same mails (envelope, default From, To, Subject)"
ok "vrrpd logged each mail sent" lines_ge "$T_TMP/a.err" 'smtp_alert: .* sent' 10

# A server that takes the connection and never answers: each mail ends
# at smtp_connect_timeout with one log line, and failover does not wait.
ip netns exec "$(_ns_name a)" /usr/bin/python3 -c '
import socket, time
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", 25260)); s.listen(64); c = []
while True: c.append(s.accept())' &
ok "a silent server up" wait_for 10 ns_run a bash -c \
    "exec 3<>/dev/tcp/127.0.0.1/25260"
conf 25260 150 | sed 's/smtp_connect_timeout 5/smtp_connect_timeout 1/' \
    > "$T_TMP/silent.conf"
: > "$T_TMP/a.err"
vr_start a -f "$T_TMP/silent.conf" || bail "vrrpd a"
ok "silent server: a master all the same" wait_for 10 has_vip a
ok "silent server: each mail ends at smtp_connect_timeout, logged" \
    wait_for 15 lines_ge "$T_TMP/a.err" 'smtp_alert: .* not sent: smtp_connect_timeout' 4
kill -TERM "$VR_a"
wait_gone 10 "$VR_a"

# No server at all: the refused connection is one line per mail.
conf 25261 150 > "$T_TMP/none.conf"
: > "$T_TMP/a.err"
vr_start a -f "$T_TMP/none.conf" || bail "vrrpd a"
ok "no server: a master all the same" wait_for 10 has_vip a
ok "no server: each mail one line, with the reason" \
    wait_for 10 lines_ge "$T_TMP/a.err" 'smtp_alert: .* not sent: connection failed: Connection refused' 4
done_testing
