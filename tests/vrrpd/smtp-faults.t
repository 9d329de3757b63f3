#!/bin/bash
# SPDX-License-Identifier: ISC
# no_email_faults against keepalived 2.2.7: the same keepalived.conf
# (smtp_alert on an instance and its sync group, notify_fifo to follow
# the states) on host a for each daemon in turn, the same sequence:
# a alone (BACKUP, then MASTER), b (vrrpd, priority 200) preempts
# (BACKUP), a's link down (FAULT) and up (BACKUP), b stops (MASTER), a's
# link down (FAULT) and up (BACKUP, then MASTER alone).  Neither mails
# FAULT, nor the way back to the state mailed before it: the instance's
# mails are BACKUP, MASTER, BACKUP, MASTER, BACKUP, MASTER, the group's
# the same, and vrrpd's are keepalived's.  The FIFO lines show each FAULT
# and each return was reached, so a mail for one would be in the list.
. "$(dirname "$0")/lib.sh"
needs_root
command -v keepalived >/dev/null || cannot_run "keepalived not installed"
/usr/bin/python3 -c 'import smtpd' 2>/dev/null ||
    cannot_run "python3 without the smtpd module"
topo a b

fifo_reader

conf() {	# conf NAME PORT PRIO
	cat <<EOC
global_defs {
    router_id RT_$T_ID
    notification_email {
        ops@example.org
    }
    smtp_server 127.0.0.1 $2
    smtp_connect_timeout 5
    no_email_faults
    notify_fifo $T_TMP/$1.fifo
    notify_fifo_script "$T_TMP/reader.sh $T_TMP/$1.lines"
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
    priority $3
    version 3
    advert_int 0.3
    smtp_alert
    virtual_ipaddress {
        $VIP/24
    }
}
EOC
}
conf b 1 200 | sed '/smtp_alert\|fifo\|no_email/d; /^vrrp_sync_group/,/^}/d' \
    > "$T_TMP/b.conf"

subjects() {	# subjects D Instance|Group: the states mailed, one a line
	sed -n "s/^Subject: \[RT_$T_ID\] VRRP $2 [A-Z0-9_]* - Entering \([A-Z]*\) state$/\1/p" \
	    "$T_TMP/$1.mail" 2>/dev/null
}
mailed() { [ "$(subjects "$1" Instance | tr '\n' ' ')" = "$2" ]; }
gmailed() { [ "$(subjects "$1" Group | tr '\n' ' ')" = "$2" ]; }
fifo_ge() {	# fifo_ge D STATE N: N instance lines entering STATE
	[ "$(grep -c "^INSTANCE \"VI_1\" $2 " "$T_TMP/$1.lines" 2>/dev/null)" -ge "$3" ]
}

port=25350
for d in keepalived vrrpd; do
	port=$((port + 1))
	: > "$T_TMP/$d.mail"
	ok "$d: SMTP server up" smtp_sink a $port "$T_TMP/$d.mail"
	conf $d $port 150 > "$T_TMP/$d.conf"
	either_start $d a "$T_TMP/$d.conf"
	ok "$d: master" wait_for 10 has_vip a
	ok "$d: mailed MASTER" wait_for 10 mailed $d "BACKUP MASTER "
	vr_start b -f "$T_TMP/b.conf" || bail "vrrpd b"
	ok "$d: b preempts" wait_for 10 only b a b
	ok "$d: mailed BACKUP" wait_for 10 mailed $d "BACKUP MASTER BACKUP "
	ns_link a eth0 down
	ok "$d: in FAULT" wait_for 10 fifo_ge $d FAULT 1
	ns_link a eth0 up
	ok "$d: BACKUP again" wait_for 10 fifo_ge $d BACKUP 2
	kill -TERM "$VR_b"
	wait_gone 5 "$VR_b"
	ok "$d: a master again" wait_for 10 has_vip a
	ok "$d: mailed MASTER, not FAULT nor BACKUP again" \
	    wait_for 10 mailed $d "BACKUP MASTER BACKUP MASTER "
	ns_link a eth0 down
	ok "$d: in FAULT again" wait_for 10 fifo_ge $d FAULT 2
	ns_link a eth0 up
	ok "$d: master after FAULT" wait_for 10 fifo_ge $d MASTER 3
	ok "$d: mailed BACKUP and MASTER, not FAULT" \
	    wait_for 10 mailed $d "BACKUP MASTER BACKUP MASTER BACKUP MASTER "
	ok "$d: the group's mails the same" \
	    wait_for 10 gmailed $d "BACKUP MASTER BACKUP MASTER BACKUP MASTER "
	either_stop $d a
	diag "$d's mails: $(subjects $d Instance | tr '\n' ' ')/ group: $(subjects $d Group | tr '\n' ' ')"
done
is "$(subjects vrrpd Instance)" "$(subjects keepalived Instance)" \
    "vrrpd's instance mails are keepalived's"
is "$(subjects vrrpd Group)" "$(subjects keepalived Group)" \
    "vrrpd's group mails are keepalived's"
ok "vrrpd: no FAULT mail" bash -c "! grep -q 'Entering FAULT' '$T_TMP/vrrpd.mail'"
done_testing
