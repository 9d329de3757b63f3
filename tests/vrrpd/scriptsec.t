#!/bin/bash
# SPDX-License-Identifier: ISC
# enable_script_security, keepalived's rule: a script run as root whose
# file or any directory on its path (links resolved) is owned by, or
# writable by, a non-root user is refused: -t and start-up exit 2 naming
# file:line and the culprit, the script never runs, a reload is refused
# and changes nothing.  Without the keyword, or with a non-root
# script_user, the same script is accepted.
# startup_script and shutdown_script are the exception, as in keepalived
# 2.2.7: an unsafe one is disabled with a log line, the daemon starts,
# keepalived -t passes the file (vrrpd -t: 0 with a warning); a safe one
# runs.  Both daemons, the same files.
# With the keyword but neither script_user nor a keepalived_script user,
# keepalived has no user for commands that name none and drops them: a
# failing track script does not count, a notify_master never runs.  Both
# daemons, same file: master with the VIP, nothing ran; vrrpd -t exits 3
# (runs, with what keepalived -t reports as errors), keepalived -t non-0.
. "$(dirname "$0")/lib.sh"
needs_root
q() { "$@" >/dev/null 2>&1; }
S=$T_TMP/sec
mkdir -m 0755 "$S" "$S/bin"
printf '#!/bin/sh\ntouch %s/ran\nexit 0\n' "$T_TMP" > "$S/bin/chk"
chmod 0755 "$S/bin/chk"

conf() {	# conf GLOBALS SCRIPT [NOTIFY]
	printf 'global_defs {\n%s\n}\n' "$1"
	printf 'vrrp_script chk {\n    script "%s"\n    interval 0.2\n    timeout 3\n}\n' "$2"
	printf 'vrrp_instance VI_1 {\n    version 3\n    interface eth0\n'
	printf '    virtual_router_id 51\n    priority 150\n    advert_int 0.1\n'
	[ -n "$3" ] && printf '    notify_master "%s"\n' "$3"
	printf '    track_script {\n        chk\n    }\n'
	printf '    virtual_ipaddress {\n        192.0.2.100/24\n    }\n}\n'
}
# scripts run as root: an explicit script_user root (without one, and
# with no keepalived_script user, keepalived drops them: see the end)
SEC=$'    enable_script_security\n    script_user root'
C=$T_TMP/k.conf
TAIL='; enable_script_security refuses to run it as root'

conf "$SEC" "$S/bin/chk" > "$C"
exit_is 0 "root-owned script in root-owned directories passes -t" q vrrpd -t -f "$C"

chmod o+w "$S/bin/chk"
exit_is 2 "world-writable script: -t exits 2" q vrrpd -t -f "$C"
like "$(vrrpd -t -f "$C" 2>&1)" "k\.conf:5: vrrp_script chk: $S/bin/chk is writable by everyone$TAIL" \
    "error names file:line, the script and why"
conf "" "$S/bin/chk" > "$C"
exit_is 0 "the same without enable_script_security: accepted" q vrrpd -t -f "$C"
conf "$SEC"$'\n    script_user nobody' "$S/bin/chk" > "$C"
exit_is 0 "the same run as script_user nobody: accepted" q vrrpd -t -f "$C"
conf "$SEC"$'\n    script_user root' "$S/bin/chk" > "$C"
exit_is 2 "script_user root is still root: refused" q vrrpd -t -f "$C"
chmod o-w "$S/bin/chk"

conf "$SEC" "$S/bin/chk arg" > "$C"
chgrp nogroup "$S/bin" && chmod g+w "$S/bin"
like "$(vrrpd -t -f "$C" 2>&1)" "vrrp_script chk: $S/bin is writable by group $(getent group nogroup | cut -d: -f3)$TAIL" \
    "a directory writable by a non-root group names the directory"
chgrp root "$S/bin"
exit_is 0 "group-writable by root's group: fine" q vrrpd -t -f "$C"
chmod g-w "$S/bin"
chown nobody "$S"
like "$(vrrpd -t -f "$C" 2>&1)" "vrrp_script chk: $S is owned by uid $(id -u nobody)$TAIL" \
    "a directory owned by a non-root user higher up names it"
chown root "$S"

# links are resolved: a safe link to an unsafe place is unsafe
mkdir -m 0777 "$T_TMP/open"
cp -p "$S/bin/chk" "$T_TMP/open/real"
ln -s "$T_TMP/open/real" "$S/bin/link"
conf "$SEC" "$S/bin/link" > "$C"
like "$(vrrpd -t -f "$C" 2>&1)" "vrrp_script chk: $T_TMP/open is writable by everyone$TAIL" \
    "a symbolic link is followed to the real directory"
# a bare name is looked up in PATH, as it will be run
conf "$SEC" "real" > "$C"
like "$(PATH=$T_TMP/open:$PATH vrrpd -t -f "$C" 2>&1)" "vrrp_script chk: $T_TMP/open is writable by everyone" \
    "a bare name found in PATH is checked where it was found"
# notify commands too, with the instance's file:line
conf "$SEC" "$S/bin/chk" "$T_TMP/open/real" > "$C"
like "$(vrrpd -t -f "$C" 2>&1)" "k\.conf:10: vrrp_instance VI_1: notify_master: $T_TMP/open is writable by everyone$TAIL" \
    "notify_master checked, error names the instance and its line"

# the daemon: refuses to start, never runs the script; reload refused
topo a
ns_run a vrrpd -f "$C" >/dev/null 2>"$T_TMP/start.err"
is "$?" 2 "vrrpd refuses to start with an unsafe notify command"
ok "and said why" grep -q "notify_master: $T_TMP/open is writable by everyone" "$T_TMP/start.err"
ok "the track script never ran" test ! -e "$T_TMP/ran"

conf "$SEC" "$S/bin/chk" > "$C"
vr_start a -f "$C" || bail "vrrpd a"
ok "safe config: a becomes master" wait_for 5 has_vip a
ok "the root-run track script runs" wait_for 5 test -e "$T_TMP/ran"
chmod o+w "$S/bin/chk"
like "$(ctl a reload)" "^error: .*k\.conf:5: vrrp_script chk: $S/bin/chk is writable by everyone" \
    "reload of a now-unsafe script refused over the socket"
ok "VIP kept" has_vip a
is "$(state a)" MASTER "still master"
kill -TERM "$VR_a"
wait_gone 5 "$VR_a"

# stop DAEMON: stops what runs on a, waits for it and for the VIP to go
stop() {
	if [ "$1" = vrrpd ]; then
		kill -TERM "$VR_a"; wait_gone 15 "$VR_a"
	else
		kill -TERM "$(pgrep -P "$KA_a")"; wait_gone 15 "$KA_a"
	fi
	ok "$1: VIP released" wait_for 5 no_vip a
}
# hooks write hook.NAME: "start" and "stop"
printf '#!/bin/sh\necho "$1" >> %s/hook.$2\n' "$T_TMP" > "$S/bin/hook"
chmod 0755 "$S/bin/hook" && chmod o-w "$S/bin/chk"
cp -p "$S/bin/hook" "$T_TMP/open/hook"
# hconf DIR NAME: safe track script (every second: keepalived -t
# refuses 0.2), hooks from DIR
hconf() {
	conf "$SEC"$'\n'"    startup_script \"$1/hook start $2\""$'\n'"    shutdown_script \"$1/hook stop $2\"" \
	    "$S/bin/chk" | sed 's/^    interval 0.2$/    interval 1/' \
	    > "$T_TMP/$2.conf"
}
hconf "$T_TMP/open" x
like "$(vrrpd -t -f "$T_TMP/x.conf" 2>&1)" "x\.conf:4: warning: startup_script: $T_TMP/open is writable by everyone; enable_script_security: not run, as keepalived" \
    "unsafe startup_script: a warning naming file:line and why"
like "$(vrrpd -t -f "$T_TMP/x.conf" 2>&1)" "x\.conf:5: warning: shutdown_script: $T_TMP/open is writable by everyone" \
    "... and shutdown_script"
exit_is 0 "vrrpd -t: 0, as keepalived -t" q vrrpd -t -f "$T_TMP/x.conf"
exit_is 0 "keepalived -t: 0" q ns_run a keepalived -t -n -l -f "$T_TMP/x.conf"
for dmn in keepalived vrrpd; do
	for dir in "$S/bin" "$T_TMP/open"; do
		n=$dmn.${dir##*/}
		hconf "$dir" "$n"
		if [ $dmn = vrrpd ]; then
			vr_start a -f "$T_TMP/$n.conf" || bail "vrrpd a"
		else
			ka_start a "$T_TMP/$n.conf" || bail "keepalived a"
		fi
		ok "$n: master with the VIP" wait_for 8 has_vip a
		stop $dmn
		cp "$T_TMP/a.out" "$T_TMP/$n.out"
	done
	ok "$dmn: safe hooks ran, start and stop" \
	    wait_for 10 file_is "$T_TMP/hook.$dmn.bin" $'start\nstop'
	ok "$dmn: unsafe hooks never ran" test ! -e "$T_TMP/hook.$dmn.open"
done
like "$(cat "$T_TMP/keepalived.open.out")" "Unsafe permissions found for script '$T_TMP/open/hook' - disabling" \
    "keepalived said so"
like "$(cat "$T_TMP/a.err")" "startup_script: $T_TMP/open is writable by everyone; enable_script_security: not run" \
    "vrrpd said so"

getent passwd keepalived_script >/dev/null &&
    bail "this host has a keepalived_script user: cannot test without one"
printf '#!/bin/sh\ntouch %s/ran.$1\nexit 1\n' "$T_TMP" > "$S/bin/fail"
chmod 0755 "$S/bin/fail" && chmod o-w "$S/bin/chk"
SEC='    enable_script_security'
# nconf NAME: the track script and notify_master write ran.NAME*, the
# startup and shutdown scripts hook.NAME
nconf() {
	conf "$SEC"$'\n'"    startup_script \"$S/bin/hook start $1\""$'\n'"    shutdown_script \"$S/bin/hook stop $1\"" \
	    "$S/bin/fail $1" "$S/bin/fail ${1}_notify" |
	    sed 's/^    interval 0.2/&\n    weight 0/' > "$T_TMP/$1.conf"
}
nconf t
N=$T_TMP/t.conf
like "$(vrrpd -t -f "$N" 2>&1)" "t\.conf:6: warning: vrrp_script chk: enable_script_security, no script_user and no keepalived_script user: removed" \
    "no user for the script: dropped with a warning naming file:line"
like "$(vrrpd -t -f "$N" 2>&1)" "t\.conf:12: warning: vrrp_instance VI_1: notify_master: enable_script_security, no script_user and no keepalived_script user: not run" \
    "nor for notify_master: dropped with a warning"
like "$(vrrpd -t -f "$N" 2>&1)" "t\.conf:3: warning: startup_script: enable_script_security, no script_user and no keepalived_script user: not run" \
    "nor for startup_script"
like "$(vrrpd -t -f "$N" 2>&1)" "t\.conf:4: warning: shutdown_script: enable_script_security, no script_user and no keepalived_script user: not run" \
    "nor for shutdown_script"
exit_is 3 "vrrpd -t: 3, runs with what keepalived -t reports" q vrrpd -t -f "$N"
nok "keepalived -t does not pass it either" q ns_run a keepalived -t -n -l -f "$N"
for dmn in keepalived vrrpd; do
	nconf $dmn
	if [ $dmn = vrrpd ]; then
		vr_start a -f "$T_TMP/$dmn.conf" || bail "vrrpd a"
	else
		ka_start a "$T_TMP/$dmn.conf" || bail "keepalived a"
	fi
	ok "$dmn: master with the VIP (the failing script dropped)" \
	    wait_for 8 has_vip a
	ok "$dmn: the track script never ran" test ! -e "$T_TMP/ran.$dmn"
	ok "$dmn: nor notify_master" test ! -e "$T_TMP/ran.${dmn}_notify"
	stop $dmn
	ok "$dmn: nor the startup and shutdown scripts" \
	    test ! -e "$T_TMP/hook.$dmn"
done
done_testing
