#!/bin/bash
# SPDX-License-Identifier: ISC
# option external-check beside the real haproxy 2.6 on the same config:
# one script checks for both, writes down what it was given (its
# arguments and environment, per proxy: its parent's pid) and exits as
# the test says per server (0, 3, or hangs past inter).  Both must give
# the script the same, and show the same rows for each answer.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/hp.sh"
command -v haproxy >/dev/null || cannot_run "haproxy is not installed"

sp=$(free_port)
hp_backend a 127.0.0.11 "$sp" || bail "backend a did not start"
chk=$T_TMP/chk.sh
cat >"$chk" <<EOF
#!/bin/sh
# its environment has no PATH but the config's: full paths
d=$T_TMP
{ for a in "\$@"; do echo "arg \$a"; done; /usr/bin/env | /usr/bin/sort; } \\
    >"\$d/dump.\$PPID.\$HAPROXY_SERVER_NAME.tmp"
/usr/bin/mv "\$d/dump.\$PPID.\$HAPROXY_SERVER_NAME.tmp" "\$d/dump.\$PPID.\$HAPROXY_SERVER_NAME"
read -r what <"\$d/want.\$HAPROXY_SERVER_NAME"
case \$what in
up) exit 0 ;;
down) exit 3 ;;
hang) exec /usr/bin/sleep 30 ;;
esac
exit 1
EOF
chmod +x "$chk"
echo up >"$T_TMP/want.a"
echo up >"$T_TMP/want.b"

# a: in a listen section (the proxy's address is its first bind), found
# through external-check path; b: in a backend, by its full path.  A
# stats socket in both configs (haproxy gets one more from ha_start):
# with one, haproxy numbers proxies from 2, and HAPROXY_PROXY_ID is that
cfg() {
	cat <<EOC
global
    external-check
    insecure-fork-wanted
    stats socket $T_TMP/cfg.$1.sock
defaults
    timeout connect 1s
    timeout client 10s
    timeout server 10s
listen li
    bind 127.0.0.1:$1
    bind 127.0.0.1:$2
    option external-check
    external-check command chk.sh
    external-check path "/nonexistent:$T_TMP"
    server a 127.0.0.11:$sp check inter 500ms maxconn 7
backend be
    option external-check
    external-check command $chk
    server b 127.0.0.11:$sp check inter 1s rise 1 fall 1
backend nocmd
    option external-check
    external-check command $T_TMP/missing.sh
    server c 127.0.0.11:$sp check inter 1s
EOC
}
hp_cfgs 2
hp_both_start

# dump PID NAME: what the script got from PID for server NAME, the
# proxy's own port as PORT; PWD is the shell's, not the proxy's
dump() {
	local f=$T_TMP/dump.$1.$2
	[ -s "$f" ] || return 1
	sed "s/\b\(${HP_PORTS[0]}\|${HA_PORTS[0]}\)\b/PORT/" "$f" | grep -v '^PWD='
}
ok "hashproxy ran the command for a and b" wait_for 10 sh -c \
    "test -s '$T_TMP/dump.$HP_PID.a' && test -s '$T_TMP/dump.$HP_PID.b'"
ok "haproxy ran it for a and b" wait_for 10 sh -c \
    "test -s '$T_TMP/dump.$HA_PID.a' && test -s '$T_TMP/dump.$HA_PID.b'"
for s in a b; do
	diag "$s: $(dump "$HP_PID" $s | paste -sd' ')"
	is "$(dump "$HP_PID" $s)" "$(dump "$HA_PID" $s)" \
	    "server $s: the same arguments and environment as haproxy's"
done
like "$(dump "$HP_PID" a | head -2 | paste -sd' ')" '^arg 127\.0\.0\.1 arg PORT$' \
    "a listen section's first bind is the proxy address"
like "$(dump "$HP_PID" b | head -2 | paste -sd' ')" '^arg NOT_USED arg NOT_USED$' \
    "a backend has none: NOT_USED"

# rows SOCK: per server, the check columns
rows() {
	ctl "$1" "show stat" | awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) { h = $i; sub(/^# /, "", h); c[h] = i }; next }
	    NF > 2 && $2 != "BACKEND" && $2 != "FRONTEND" {
		st = $c["check_status"]; sub(/^\* /, "", st)
		print $2, $c["status"], st, $c["check_code"], $c["check_desc"] }' | paste -sd';'
}
# at_both ROWS: both show ROWS
at_both() {
	HP_ROWS=$(rows "$T_TMP/hp.sock") HA_ROWS=$(rows "$T_TMP/ha.sock")
	[ "$HP_ROWS" = "$1" ] && [ "$HA_ROWS" = "$1" ]
}
A="a UP PROCOK 0 External check passed"
# c's command is not there: haproxy's child, whose exec fails, exits 255
C="c DOWN PROCERR 255 External check error"
# say B WANT ROWS DESC: b's command does WANT; both show ROWS for b
say() {
	echo "$1" >"$T_TMP/want.b"
	ok "b's command: $3" wait_for 20 at_both "$A;$2;$C"
	diag "hashproxy: $HP_ROWS"
	diag "haproxy: $HA_ROWS"
}
say up "b UP PROCOK 0 External check passed" \
    "exit 0, UP (PROCOK) in both; c's missing command DOWN (PROCERR 255)"
n=$(file_lines "$T_TMP/hp.ev")
say down "b DOWN PROCERR 3 External check error" "exit 3, DOWN (PROCERR, code 3) in both"
ok "hashproxy's down line says why" wait_file_line_after 5 "$T_TMP/hp.ev" "$n" \
    '^down backend=be server=b reason="External check error, code: 3, check duration: [0-9]+ms" check=PROCERR'
say up "b UP PROCOK 0 External check passed" "exit 0 again, UP in both"
n=$(file_lines "$T_TMP/hp.ev")
say hang "b DOWN PROCTOUT 0 External check timeout" \
    "still running after inter: DOWN (PROCTOUT) in both, the last code kept"
ok "hashproxy's down line says why" wait_file_line_after 5 "$T_TMP/hp.ev" "$n" \
    '^down backend=be server=b reason="External check timeout, code: 0, check duration: [0-9]+ms" check=PROCTOUT'
echo up >"$T_TMP/want.b"
# the command killed at the time-out is gone (SIGTERM): no sleep left
# that hashproxy started
gone() { ! pgrep -P "$HP_PID" -f 'sleep 30' >/dev/null; }
ok "the command that timed out was killed" wait_for 10 gone
say up "b UP PROCOK 0 External check passed" "exit 0 again, UP in both"

# what haproxy -c refuses, hashproxy -c refuses
printf 'backend b\n    option external-check\n    external-check command /bin/true\n    server s 127.0.0.1:1 check\n' >"$T_TMP/c1.cfg"
printf 'global\n    external-check\nbackend b\n    option external-check\n    server s 127.0.0.1:1 check\n' >"$T_TMP/c2.cfg"
for c in c1 c2; do
	nok "$c: haproxy -c refuses it" haproxy -c -q -f "$T_TMP/$c.cfg"
done
like "$(hashproxy -c -f "$T_TMP/c1.cfg" 2>&1)" 'c1\.cfg:1: .*option external-check needs external-check in the global section' \
    "no global external-check: hashproxy -c refuses it too, saying why"
like "$(hashproxy -c -f "$T_TMP/c2.cfg" 2>&1)" 'c2\.cfg:3: .*option external-check without external-check command' \
    "no command: refused too"

done_testing
