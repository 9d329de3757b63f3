#!/bin/bash
# SPDX-License-Identifier: ISC
# fifo_write_vrrp_states_on_reload against keepalived 2.2.7: the same
# keepalived.conf on host a for each daemon in turn, a notify_fifo read
# by the test.  VI_1 (in sync group G1) and VI_2 are masters, VI_3 (in
# G2) a backup to vrrpd on b, VI_4 in FAULT (its tracked interface, a
# veth, is down).  After a SIGHUP both daemons write the same lines: each
# group's state, then the backup and the faulty instance's (keepalived
# 2.2.7 writes none for a master instance).  Without the keyword a
# reload writes nothing.
. "$(dirname "$0")/lib.sh"
needs_root
command -v keepalived >/dev/null || cannot_run "keepalived not installed"
topo a b
ip -n "$(_ns_name a)" link add dummy0 type veth peer name dummy1 ||
    bail "dummy0"

cat > "$T_TMP/reader.sh" <<'EOS'
#!/bin/sh
# FIFO OUT: read-write, so a daemon's reopening ends nothing
while read -r line; do echo "$line" >> "$2"; done <> "$1"
EOS
chmod 755 "$T_TMP/reader.sh"

inst() {	# NAME VRID PRIO VIP [LINES]
	cat <<EOC
vrrp_instance $1 {
    version 3
    interface eth0
    virtual_router_id $2
    priority $3
    advert_int 0.1
    virtual_ipaddress {
        $4/24
    }
$5
}
EOC
}
conf() {	# conf FIFO [GLOBAL-LINE]
	cat <<EOC
global_defs {
    notify_fifo $1
    $2
}
vrrp_sync_group G1 {
    group {
        VI_1
    }
}
vrrp_sync_group G2 {
    group {
        VI_3
    }
}
EOC
	inst VI_1 51 150 192.0.2.100
	inst VI_2 52 150 192.0.2.101
	inst VI_3 53 100 192.0.2.102
	inst VI_4 54 100 192.0.2.103 "    track_interface {
        dummy0
    }"
}
inst VI_3 53 200 192.0.2.102 > "$T_TMP/b.conf"
vr_start b -f "$T_TMP/b.conf" || bail "vrrpd b"
ok "b masters VI_3" wait_for 10 has_vip b 192.0.2.102

after() { sed -n '/^reload$/,$p' "$T_TMP/$1.lines" | sed 1d; }
after_is() { [ "$(after "$1")" = "$2" ]; }
has() { grep -qx -- "$2" "$T_TMP/$1.lines"; }
want='GROUP "G1" MASTER 0
GROUP "G2" BACKUP 0
INSTANCE "VI_3" BACKUP 100
INSTANCE "VI_4" FAULT 100'
hup() {	# hup D: reload D on a
	if [ "$1" = vrrpd ]; then
		kill -HUP "$VR_a"
	else
		kill -HUP "$(pgrep -P "$KA_a")"
	fi
}
for d in keepalived vrrpd; do
	mkfifo "$T_TMP/$d.fifo"
	: > "$T_TMP/$d.lines"
	"$T_TMP/reader.sh" "$T_TMP/$d.fifo" "$T_TMP/$d.lines" &
	RD=$!
	cleanup_push "kill $RD"
	conf "$T_TMP/$d.fifo" > "$T_TMP/$d.conf"
	either_start $d a "$T_TMP/$d.conf"
	ok "$d: VI_1, VI_2 master" wait_for 10 eval \
	    'has_vip a 192.0.2.100 && has_vip a 192.0.2.101'
	ok "$d: VI_3 backup, VI_4 in FAULT" wait_for 10 eval \
	    "has $d 'INSTANCE \"VI_3\" BACKUP 100' && has $d 'INSTANCE \"VI_4\" FAULT 100'"
	ok "$d: G1 master, its lines written" wait_for 10 eval \
	    "has $d 'GROUP \"G1\" MASTER 0' && has $d 'INSTANCE \"VI_1\" MASTER 150' && has $d 'INSTANCE \"VI_2\" MASTER 150'"

	# without the keyword a reload writes nothing: a second reload,
	# with it, writes the states after the first one's (none)
	echo reload >> "$T_TMP/$d.lines"
	hup $d
	if [ $d = vrrpd ]; then
		ok "$d: reloaded" wait_file_line 10 "$T_TMP/a.err" 'reloaded: 4'
	else
		ok "$d: reloaded" wait_file_line 10 "$T_TMP/a.out" 'Reload complete'
	fi
	conf "$T_TMP/$d.fifo" fifo_write_vrrp_states_on_reload > "$T_TMP/$d.conf"
	hup $d
	ok "$d: the states written after the reload" \
	    wait_for 10 after_is $d "$want"
	printf -v "AFTER_$d" '%s' "$(after $d)"
	ok "$d: the VIPs stay" eval 'has_vip a 192.0.2.100 && has_vip a 192.0.2.101'
	either_stop $d a
done
is "$AFTER_vrrpd" "$AFTER_keepalived" "vrrpd's lines are keepalived's"
done_testing
