#!/bin/bash
# SPDX-License-Identifier: ISC
# Real keepalived.conf files from public projects (tests/vrrpd/corpus/,
# sources in its README): keepalived 2.2.7's -t and vrrpd -t give the same
# verdict on each.  keepalived -t checks the host too, so each file runs
# in a namespace that has the interfaces it names (veth pairs) and, in a
# private mount namespace, stub scripts at the paths it names under
# /etc/keepalived and /opt: what is compared is the file, not this host.
# vrrpd -t runs there too.  keepalived -t exits 6 for "scripts run as root
# without enable_script_security" whether or not the file has errors
# (exit 5): on a 6 the verdict is that of a copy with enable_script_security
# added (the stubs are root's and safe, so that copy passes unless the file
# has errors).
# corpus/pending lists files whose verdict waits for a feature another
# change brings (vrrp_sync_group, use_vmac, track_process...): those are
# reported as TODO, visibly, until the line is removed.
. "$(dirname "$0")/lib.sh"
needs_root
command -v keepalived >/dev/null || cannot_run "keepalived not installed"
C=$T_TOP/tests/vrrpd/corpus

. "$T_TOP/tests/vrrpd/corpus.sh"

# VERDICT, run by bash in a private mount namespace with $1 = the file,
# $2 = its scripts, $D = a directory: prints "KEEPALIVED VRRPD" verdicts,
# each accepted or refused; each program's output in $D/last.PROGRAM.
VERDICT='
	for d in /etc/keepalived /opt; do
		# the stubs go on a tmpfs, never on the host: no $d, no run
		[ -d "$d" ] && mount -t tmpfs -o mode=755 none "$d" || exit 1
	done
	for s in $2; do
		mkdir -p "${s%/*}" && printf "#!/bin/sh\nexit 0\n" > "$s" &&
		    chmod 755 "$s"
	done
	v() { "$@" >"$D/last.$1" 2>&1 && echo accepted || echo refused; }
	ka() {
		keepalived -t -n -l -f "$1" >"$D/last.keepalived" 2>&1
		case $? in
		0) echo accepted ;;
		6)	{ printf "global_defs {\n enable_script_security\n script_user root\n}\n"
			  cat "$1"; } > "$D/secure.conf"
			v keepalived -t -n -l -f "$D/secure.conf"
			rm -f "$D/secure.conf" ;;
		*) echo refused ;;
		esac
	}
	echo "$(ka "$1") $(v vrrpd -t -f "$1")"
'

# in_netns 'IFACES' LIST: in a new network namespace with those
# interfaces (veth pairs, up) and nothing else, the verdicts of each file
# in LIST (lines "DIR FILE SCRIPTS..."), each in a mount namespace of its
# own with its own stubs, into DIR/verdicts.  keepalived -t and vrrpd -t
# change nothing in the namespace: the files that name the same
# interfaces share one.  unshare's namespaces go with their last process
# (none to name or remove); /sys is the new namespace's, as ip netns exec
# mounts it.
in_netns() {
	VERDICT=$VERDICT unshare -n -m bash -c '
		mount --make-rprivate /
		umount -l /sys && mount -t sysfs none /sys || exit 1
		for i in $1; do
			ip link add "$i" type veth peer name "p${i:0:13}" &&
			    ip link set "$i" up
		done
		while read -r d f s; do
			D=$d unshare -m bash -c "$VERDICT" _ "$f" "$s" >"$d/verdicts"
		done <"$2"
		' _ "$1" "$2"
}

# corpus.t [FILE.conf...]: only those (while collecting); all by default
[ $# -gt 0 ] && files=("$@") || files=("$C"/*.conf)

# The files grouped by the interfaces they name, four groups at a time: a
# group's time goes mostly to making and removing its namespace and veth
# pairs, which waits on the kernel, not on a CPU.
declare -A group
n=0
for f in "${files[@]}"; do
	n=$((n + 1))
	mkdir "$T_TMP/$n"
	i=$(ifnames "$f" | tr '\n' ' ')
	[ -n "${group[$i]:-}" ] || group[$i]=$T_TMP/group.$n
	echo "$T_TMP/$n $f $(scripts "$f" | tr '\n' ' ')" >>"${group[$i]}"
done
for i in "${!group[@]}"; do
	in_netns "$i" "${group[$i]}" &
	while [ "$(jobs -rp | wc -l)" -ge 4 ]; do wait -n; done
done
wait

n=0
for f in "${files[@]}"; do
	b=${f##*/}
	n=$((n + 1))
	k= v=
	[ -f "$T_TMP/$n/verdicts" ] && read -r k v <"$T_TMP/$n/verdicts"
	# no namespace, no verdict: a failure, never two empty strings alike
	[ -n "$k" ] || k="(none from keepalived)"
	[ -n "$v" ] || v="(none from vrrpd)"
	pending=$(awk -v b="$b" '$1 == b { $1 = ""; print substr($0, 2) }' \
	    "$C/pending")
	if [ -n "$pending" ]; then
		T_N=$((T_N + 1))
		[ "$k" = "$v" ] && r=ok || r="not ok"
		echo "$r $T_N - $b: keepalived $k, vrrpd $v # TODO $pending"
		continue
	fi
	is "$v" "$k" "$b: same verdict (keepalived: $k)" ||
	    grep -hv 'warning\|^$' "$T_TMP/$n/last.keepalived" "$T_TMP/$n/last.vrrpd" |
	    sed 's/^/#   /' | head -8
done
[ $# -gt 0 ] ||
    ok "at least 50 files in the corpus ($n)" test "$n" -ge 50

done_testing
