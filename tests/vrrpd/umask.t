#!/bin/bash
# SPDX-License-Identifier: ISC
# global_defs umask against keepalived 2.2.7, the same file for each
# daemon in turn on host a, both started from this shell (umask 022): a
# notify_master writes its umask and creates a file; with "umask 077"
# (a number) and "umask IWGRP|IWOTH|IROTH" (keepalived's bit names) both
# daemons' scripts get the same umask and make files of the same mode.
. "$(dirname "$0")/lib.sh"
needs_root
command -v keepalived >/dev/null || cannot_run "keepalived not installed"
topo a
umask 022

cat > "$T_TMP/m.sh" <<'EOS'
#!/bin/sh
# m.sh OUT: the umask, then a new file's mode
umask > "$1.tmp"
: > "$1.file"
stat -c %a "$1.file" >> "$1.tmp"
mv "$1.tmp" "$1"
EOS
chmod 755 "$T_TMP/m.sh"

conf() {	# conf NAME UMASK
	cat <<EOC
global_defs {
    umask $2
}
vrrp_instance VI_1 {
    interface eth0
    virtual_router_id 51
    priority 100
    advert_int 1
    notify_master "$T_TMP/m.sh $T_TMP/$1.m"
    virtual_ipaddress {
        $VIP/24
    }
}
EOC
}
for u in 077 'IWGRP|IWOTH|IROTH'; do
	for d in keepalived vrrpd; do
		n=$d-${u:0:3}
		conf "$n" "$u" > "$T_TMP/$n.conf"
		if [ $d = vrrpd ]; then
			ok "vrrpd -t accepts umask $u" vrrpd -t -f "$T_TMP/$n.conf"
		fi
		either_start $d a "$T_TMP/$n.conf"
		ok "$d, umask $u: notify_master ran" wait_for 15 test -s "$T_TMP/$n.m"
		either_stop $d a
		wait_for 10 no_vip a
	done
	is "$(cat "$T_TMP/vrrpd-${u:0:3}.m" | tr '\n' ' ')" \
	    "$(cat "$T_TMP/keepalived-${u:0:3}.m" | tr '\n' ' ')" \
	    "umask $u: vrrpd's script has keepalived's umask, makes its modes"
done
is "$(cat "$T_TMP/vrrpd-077.m" | tr '\n' ' ')" "0077 600 " "... 077: 0077, mode 600"
is "$(cat "$T_TMP/vrrpd-IWG.m" | tr '\n' ' ')" "0026 640 " "... IWGRP|IWOTH|IROTH: 0026, mode 640"
printf 'global_defs {\n    umask IWHAT\n}\n' > "$T_TMP/bad.conf"
like "$(vrrpd -t -f "$T_TMP/bad.conf" 2>&1)" 'bad.conf:2: .*umask: "IWHAT"' \
    "a bad umask: an error naming file:line"
done_testing
