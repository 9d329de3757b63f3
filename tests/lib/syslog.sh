# SPDX-License-Identifier: ISC
# with_syslog OUT CMD...: runs CMD in a private mount namespace whose /dev
# is a fresh tmpfs holding null, zero, urandom, fd and a /dev/log datagram
# socket; every message CMD sends to syslog(3) is appended to OUT, a line
# each ("<PRI>Mmm dd hh:mm:ss prog[pid]: text").  The host's /dev and any
# syslog daemon are left alone.  Returns CMD's exit status.
SYSLOG_READER='
import os, socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind("/dev/log")
os.chmod("/dev/log", 0o666)
with open(sys.argv[1], "a") as f:
    while True:
        d = s.recv(65536).decode(errors="replace").rstrip("\0\n")
        f.write(d + "\n")
        f.flush()
'
export SYSLOG_READER
with_syslog() {
	local out=$1; shift
	: > "$out"
	unshare -m --propagation private bash -c '
		out=$1; shift
		d=$(mktemp -d)
		mount --bind /dev "$d" || exit 99
		mount -t tmpfs -o mode=755 hatools-dev /dev || exit 99
		for n in null zero urandom random; do
			: > "/dev/$n" && mount --bind "$d/$n" "/dev/$n" || exit 99
		done
		ln -s /proc/self/fd /dev/fd
		umount "$d"; rmdir "$d"
		python3 -c "$SYSLOG_READER" "$out" &
		sl=$!
		for i in $(seq 600); do [ -S /dev/log ] && break; sleep 0.05; done
		rc=0; "$@" || rc=$?
		# let the last datagram through before the reader goes
		for i in $(seq 20); do [ -s "$out" ] && break; sleep 0.05; done
		kill $sl; wait $sl 2>/dev/null
		exit $rc' with_syslog "$out" "$@"
}
