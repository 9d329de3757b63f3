# SPDX-License-Identifier: ISC
# privtmp PID: a tmpfs on /tmp in PID's mount namespace, which must be
# one of its own (ns_spawn's, host_init's), with $T_TMP still there,
# moved onto it.  What the process then writes to /tmp (vrrpd's and
# keepalived's /tmp/keepalived.* on their signals) is its own: not the
# machine's, not another test's.
privtmp() {
	local st=/run/$T_ID-tmp-$1
	# never the test's own namespace: that /tmp is the machine's
	[ "$(readlink "/proc/$1/ns/mnt")" != "$(readlink /proc/self/ns/mnt)" ] ||
		return 1
	nsenter -t "$1" -m sh -c "mkdir -p '$st' &&
	    mount --bind '$T_TMP' '$st' && mount -t tmpfs tmpfs /tmp &&
	    mkdir -p '$T_TMP' && mount --move '$st' '$T_TMP' && rmdir '$st'"
}
