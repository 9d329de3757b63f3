#!/bin/bash
# SPDX-License-Identifier: ISC
# Track script lines that ask for a process by name (killall -0 haproxy,
# pidof nginx, pgrep haproxy, pgrep -x keepalived, ps -C nginx: the corpus's
# and their usual forms) beside svccheck -q NAME, over the situations they
# tell apart.  Where an original says otherwise the reason is the one the
# MIGRATION table of man/svccheck.1 gives.
. "$(dirname "$0")/track-lib.sh"

whyof() {	# whyof FORM [FORM=WHY]...: the WHY given for FORM
	local f=$1 a; shift
	for a; do [ "${a%%=*}" = "$f" ] && { echo "${a#*=}"; return; }; done
}
# row SITUATION NAME WANT K P G X C [FORM=WHY]...: svccheck -q NAME exits
# WANT; killall -0, pidof, pgrep, pgrep -x and ps -C NAME say K P G X C
row() {
	local sit=$1 name=$2 want=$3 i
	local forms=("killall -0" pidof pgrep "pgrep -x" "ps -C")
	local got=("$4" "$5" "$6" "$7" "$8"); shift 8
	svc "$sit" "$want" "$name"
	for i in 0 1 2 3 4; do
		compare "$sit" "$want" "${forms[i]} $name" "${got[i]}" \
		    "$(whyof "${forms[i]}" "$@")"
	done
}

prog haproxy haproxy-exporter nginx prometheus-node-exporter other
ZOMBIE_WHY="a zombie has exited: only the reaping is missing"

row "nothing runs" haproxy 1  1 1 1 1 1
start "$B/haproxy" 1000; H=$P
row "haproxy runs" haproxy 0  0 0 0 0 0
start "$B/haproxy" 1000; H2=$P
row "two instances" haproxy 0  0 0 0 0 0
kill -STOP "$H" "$H2"
wait_for 5 grep -q '^State:.*T' "/proc/$H2/status"
row "both stopped (kill -STOP)" haproxy 0  0 0 0 0 0
kill -CONT "$H" "$H2"
stop "$H2"

# keepalived's enable_script_security runs scripts as keepalived_script;
# killall -0 then gets EPERM from a root process, and fails
RUNAS="runuser -u nobody --" row "root's haproxy, checked as nobody" \
    haproxy 0  1 0 0 0 0 \
    "killall -0=killall -0 sends a signal: EPERM from another user's process"
stop "$H"
start runuser -u nobody -- "$B/haproxy" 1000
ok "(nobody's haproxy started)" wait_for 5 pgrep -x -u nobody haproxy
H=$(pgrep -x -u nobody haproxy); PIDS+=("$H")
row "nobody's haproxy, checked as root" haproxy 0  0 0 0 0 0
RUNAS="runuser -u nobody --" row "nobody's haproxy, checked as nobody" \
    haproxy 0  0 0 0 0 0
stop "$H"; wait_gone 5 "$H"

# two names: killall -0 wants both, pidof either (svccheck --any)
both() {	# both SITUATION ALL ANY
	svc "$1" "$2" haproxy nginx
	compare "$1" "$2" "killall -0 haproxy nginx" "$2"
	svc "$1" "$3" --any haproxy nginx
	compare "$1" "$3" "pidof haproxy nginx" "$3"
}
both "two names, neither runs" 1 1
start "$B/nginx" 1000; X=$P
both "two names, nginx runs" 1 0
start "$B/haproxy" 1000; H=$P
both "two names, both run" 0 0
stop "$X" "$H"

# a parent that does not reap: sh starts haproxy, then becomes other
startas other sh -c "\"$B/haproxy\" 1000 & echo \$! >\"$T_TMP/zpid\"; exec \"$B/other\" 1000"
wait_for 5 test -s "$T_TMP/zpid"
Z=$(cat "$T_TMP/zpid"); PIDS+=("$Z")
kill -9 "$Z"
ok "(haproxy is a zombie)" wait_for 5 grep -q '^State:.*Z' "/proc/$Z/status"
row "haproxy a zombie" haproxy 1  0 1 0 0 0 \
    "killall -0=$ZOMBIE_WHY" "pgrep=$ZOMBIE_WHY" "pgrep -x=$ZOMBIE_WHY" \
    "ps -C=$ZOMBIE_WHY"
stop "$P"
# orphaned, the zombie is reaped by this namespace's init: this test
ok "(the zombie is reaped)" wait_for 5 test ! -e "/proc/$Z"

start "$B/haproxy-exporter" 1000; E=$P
row "only haproxy-exporter runs" haproxy 1  1 1 0 1 1 \
    "pgrep=pgrep's NAME is a regular expression: a part of a name matches"
stop "$E"

# exec -a changes argv[0], not the program: comm stays nginx
startas nginx bash -c "exec -a haproxy \"$B/nginx\" 1000"; R=$P
APP_WHY="pidof reads argv[0], which a program chooses; comm it cannot"
row "nginx started as 'exec -a haproxy'" haproxy 1  1 0 1 1 1 "pidof=$APP_WHY"
row "nginx started as 'exec -a haproxy' (nginx)" nginx 0  0 1 0 0 0 \
    "pidof=$APP_WHY"
stop "$R"

# a program that names itself with prctl(PR_SET_NAME), as haproxy's
# and many daemons' workers do
startas haproxy python3 -c 'import ctypes, time
ctypes.CDLL(None).prctl(15, b"haproxy", 0, 0, 0)
time.sleep(1000)'; W=$P
ok "(python3 renamed itself haproxy)" wait_for 5 pgrep -x haproxy
row "python3 named haproxy by prctl" haproxy 0  0 1 0 0 0 \
    "pidof=pidof reads argv[0] and the executable, not the name a process set"
stop "$W"

# package upgrade: the running file was replaced
cp /bin/sleep "$B/upgraded"
start "$B/upgraded" 1000; U=$P
rm "$B/upgraded"
row "running file deleted (upgrade)" upgraded 0  0 0 0 0 0
stop "$U"

# a path names the file the process runs (killall -0 PATH, pidof PATH):
# through a symlink too, as /bin/sleep is /usr/bin/sleep on a merged /usr
# and /usr/bin/java an alternatives link
pathrow() {	# pathrow SITUATION PATH WANT K P [FORM=WHY]...
	local sit=$1 path=$2 want=$3 k=$4 p=$5; shift 5
	svc "$sit" "$want" "$path"
	svc "$sit" "$want" --exe "$path"
	compare "$sit" "$want" "killall -0 $path" "$k" "$(whyof "killall -0" "$@")"
	compare "$sit" "$want" "pidof $path" "$p" "$(whyof pidof "$@")"
}
ln -s bin "$T_TMP/merged"
ln -s haproxy "$B/haproxy-alt"
pathrow "nothing runs" "$B/haproxy" 1  1 1
start "$B/haproxy" 1000; H=$P
pathrow "haproxy runs" "$B/haproxy" 0  0 0
pathrow "haproxy runs, asked through a symlinked directory" \
    "$T_TMP/merged/haproxy" 0  0 0
pathrow "haproxy runs, asked through a symlink to it" "$B/haproxy-alt" 0  0 0
pathrow "haproxy runs, another file asked" "$B/other" 1  1 1
cp /bin/sleep "$B/haproxy.new"
mv "$B/haproxy.new" "$B/haproxy"
pathrow "haproxy runs, its file replaced (upgrade)" "$B/haproxy" 0  1 0 \
    "killall -0=killall compares the file now at PATH, which is a new one"
stop "$H"

# names longer than the kernel's 15-character comm
LONG=prometheus-node-exporter
start "$B/$LONG" 1000; L=$P
LONG_WHY="the kernel keeps 15 characters of the name"
row "$LONG runs" "$LONG" 0  0 0 1 1 0 \
    "pgrep=$LONG_WHY; pgrep only warns" "pgrep -x=$LONG_WHY; pgrep only warns"
row "$LONG runs, prometheus-node-reloader asked" prometheus-node-reloader 1 \
    1 1 1 1 0 "ps -C=ps -C compares the first 15 characters only"
# prometheus-node: the 15 characters the kernel keeps of that name
row "$LONG runs, prometheus-node asked" prometheus-node 1  1 1 0 0 0 \
    "pgrep=$LONG_WHY" "pgrep -x=$LONG_WHY" "ps -C=$LONG_WHY"
stop "$L"
startas "$LONG" bash -c "exec -a pne \"$B/$LONG\" 1000"; L=$P
row "$LONG as 'exec -a pne'" "$LONG" 0  0 1 1 1 0 "pidof=$APP_WHY" \
    "pgrep=$LONG_WHY; pgrep only warns" "pgrep -x=$LONG_WHY; pgrep only warns"
row "$LONG as 'exec -a pne', prometheus-node-reloader asked" \
    prometheus-node-reloader 1  0 1 1 1 0 \
    "killall -0=killall falls back to the first 15 characters when argv[0] is not the name" \
    "ps -C=ps -C compares the first 15 characters only"
stop "$L"

# scripts: run directly, their name is the file's
printf '#!/bin/sh\nwhile :; do sleep 1000; done\n' >"$B/chk.sh"
chmod 755 "$B/chk.sh"
start "$B/chk.sh"; S=$P
row "chk.sh runs" chk.sh 0  0 1 0 0 0 "pidof=pidof needs -x for scripts"
compare "chk.sh runs" 0 "pidof -x chk.sh" 0
stop "$S"
# a name of exactly 15 characters, as fail2ban-server's: the kernel's
# whole name, not a truncated longer one
cp "$B/chk.sh" "$B/fail2ban-server"
start "$B/fail2ban-server"; S=$P
row "fail2ban-server (15 characters) runs" fail2ban-server 0  0 1 0 0 0 \
    "pidof=pidof needs -x for scripts"
stop "$S"
# an interpreter that runs it: the process is sh, its script chk.sh
start sh "$B/chk.sh"; S=$P
row "sh chk.sh runs" chk.sh 0  1 1 1 1 1 \
    "killall -0=the process is sh; svccheck counts its script, as pidof -x" \
    "pidof=pidof needs -x for scripts" \
    "pgrep=the process is sh; svccheck counts its script, as pidof -x" \
    "pgrep -x=the process is sh; svccheck counts its script, as pidof -x" \
    "ps -C=the process is sh; svccheck counts its script, as pidof -x"
compare "sh chk.sh runs" 0 "pidof -x chk.sh" 1 \
    "procps-ng's pidof -x finds only a script run directly"
stop "$S"
done_testing
