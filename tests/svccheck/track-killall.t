#!/bin/bash
# SPDX-License-Identifier: ISC
# The edges of a process table where killall -0 NAME (psmisc) and pgrep
# (procps) could tell another status than svccheck -q NAME: a 15-character
# name beside a longer script's, a leader thread that exited while its
# other threads run, a path relative to the current directory, a thread
# named like the target, a script run by its #! interpreter, a removed
# file, a name set with prctl longer than 15 characters.  Safe beside
# the other test files: track-lib.sh runs it in a PID namespace of its
# own, so killall, pgrep and svccheck see only the processes it starts
# (sleep copies, sh and python3 sleeping), all killed at the end.
. "$(dirname "$0")/track-lib.sh"

# row SITUATION NAME WANT K G X [FORM=WHY]...: svccheck -q NAME exits WANT;
# killall -0, pgrep and pgrep -x NAME say K G X
row() {
	local sit=$1 name=$2 want=$3 i f w a
	local forms=("killall -0" pgrep "pgrep -x")
	local got=("$4" "$5" "$6"); shift 6
	svc "$sit" "$want" "$name"
	for i in 0 1 2; do
		f=${forms[i]} w=
		for a; do [ "${a%%=*}" = "$f" ] && w=${a#*=}; done
		compare "$sit" "$want" "$f $name" "${got[i]}" "$w"
	done
}
LONG_WHY="pgrep reads the 15 characters the kernel keeps of the name"

# comm is the script's file name cut at 15; killall finds the whole one
# among the arguments (/bin/sh SCRIPT) and compares it
printf '#!/bin/sh\nwhile :; do sleep 1000; done\n' >"$B/fail2ban-server.sh"
chmod 755 "$B/fail2ban-server.sh"
start "$B/fail2ban-server.sh"; S=$P
row "fail2ban-server.sh runs" fail2ban-server 1  1 0 0 \
    "pgrep=$LONG_WHY" "pgrep -x=$LONG_WHY"
row "fail2ban-server.sh runs" fail2ban-server.sh 0  0 1 1 \
    "pgrep=$LONG_WHY; pgrep only warns" "pgrep -x=$LONG_WHY; pgrep only warns"
stop "$S"

# a #! script: the kernel names the process after the script, not sh
cp "$B/fail2ban-server.sh" "$B/named"
start "$B/named"; S=$P
row "#!/bin/sh script named named runs" named 0  0 0 0
stop "$S"
# through env the kernel runs env, then sh: the process is sh
printf '#!/usr/bin/env sh\nwhile :; do sleep 1000; done\n' >"$B/named"
startas sh "$B/named"; S=$P
SH_WHY="the process is sh; svccheck counts its script, as pidof -x"
row "#!/usr/bin/env sh script named named runs" named 0  1 1 1 \
    "killall -0=$SH_WHY" "pgrep=$SH_WHY" "pgrep -x=$SH_WHY"
stop "$S"

# the leader calls pthread_exit: /proc/PID/stat says Z, the process runs
startas named python3 -c 'import ctypes, threading, time
libc = ctypes.CDLL(None)
libc.prctl(15, b"named", 0, 0, 0)
threading.Thread(target=time.sleep, args=(1000,)).start()
libc.pthread_exit(None)'; W=$P
ok "(its leader exited, a thread runs)" wait_for 5 eval \
    'grep -q "^State:.*Z" /proc/$W/status && grep -q "^Threads:.*2" /proc/$W/status'
row "named whose main thread exited runs" named 0  0 0 0
stop "$W"

# a thread named like the target is no process of that name, but to
# pgrep -w
startas python3 python3 -c 'import ctypes, threading, time
def named():
    ctypes.CDLL(None).prctl(15, b"named", 0, 0, 0)
    time.sleep(1000)
threading.Thread(target=named, daemon=True).start()
time.sleep(1000)'; W=$P
ok "(a thread of python3 is named named)" wait_for 5 eval \
    'grep -qx named /proc/$W/task/*/comm'
row "a python3 thread named named" named 1  1 1 1
compare "a python3 thread named named" 1 "pgrep -w -x named" 0 \
    "pgrep -w lists threads; svccheck, as killall -0, processes"
stop "$W"

# a path relative to the current directory, as killall stats it
prog haproxy other
start "$B/haproxy" 1000; H=$P
cd "$B" || exit 1
svc "haproxy runs" 0 ./haproxy
compare "haproxy runs" 0 "cd '$B' && killall -0 ./haproxy" 0
svc "haproxy runs, another file asked" 1 ./other
compare "haproxy runs, another file asked" 1 "cd '$B' && killall -0 ./other" 1
cd "$T_TMP" || exit 1
svc "haproxy runs, asked from its parent directory" 0 bin/haproxy
compare "haproxy runs, asked from its parent directory" 0 \
    "cd '$T_TMP' && killall -0 bin/haproxy" 0
svc "haproxy runs, a missing file asked" 1 bin/nothing
compare "haproxy runs, a missing file asked" 1 \
    "cd '$T_TMP' && killall -0 bin/nothing" 1
cd / || exit 1
# the file removed (a package removed, or upgraded by unlink and create)
rm "$B/haproxy"
svc "haproxy runs, its file removed" 0 "$B/haproxy"
compare "haproxy runs, its file removed" 0 "killall -0 $B/haproxy" 1 \
    "killall compares the file now at PATH, and there is none"
stop "$H"

# a 15-character name whose process's argv[0] and file say it is longer:
# killall falls back to comm when argv[0] is not the name
LONG=prometheus-node-exporter
prog "$LONG"
startas "$LONG" bash -c "exec -a pne \"$B/$LONG\" 1000"; L=$P
row "$LONG as 'exec -a pne'" prometheus-node 1  0 0 0 \
    "killall -0=killall falls back to the first 15 characters when argv[0] is not the name" \
    "pgrep=$LONG_WHY" "pgrep -x=$LONG_WHY"
stop "$L"
# a name set with prctl, cut at 15 by the kernel: the rest is lost
startas prometheus-node python3 -c "import ctypes, time
ctypes.CDLL(None).prctl(15, b'$LONG', 0, 0, 0)
time.sleep(1000)"; L=$P
row "python3 named $LONG by prctl" "$LONG" 1  0 1 1 \
    "killall -0=killall falls back to the first 15 characters when argv[0] is not the name"
stop "$L"
done_testing
