#!/bin/bash
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

# ifnames FILE: every interface FILE names
ifnames() {
	awk '
	/track_interface[ \t]*\{/ { ti = 1; next }
	ti && /\}/ { ti = 0; next }
	ti { print $1; next }
	{ for (i = 1; i < NF; i++)
		if ($i == "interface" || $i == "dev" ||
		    $i == "lvs_sync_daemon_interface" ||
		    $i == "default_interface")
			print $(i + 1) }' "$1" |
	    grep -E '^[A-Za-z][A-Za-z0-9_.-]{0,14}$' | sort -u
}

# scripts FILE: absolute script paths under /etc/keepalived or /opt
scripts() {
	grep -oE '"?/(etc/keepalived|opt)/[A-Za-z0-9_./-]+' "$1" | tr -d '"' |
	    sort -u
}

# verdicts FILE: "KEEPALIVED VRRPD" verdicts, each accepted or refused
verdicts() {
	local f=$1 ns=$T_ID-c i
	ip netns add "$ns" || return 1
	for i in $(ifnames "$f"); do
		ip -n "$ns" link add "$i" type veth peer name "p${i:0:13}" &&
		    ip -n "$ns" link set "$i" up
	done
	T_TMP=$T_TMP ip netns exec "$ns" unshare -m bash -c '
		mount --make-rprivate /
		for d in /etc/keepalived /opt; do
			[ -d "$d" ] && mount -t tmpfs -o mode=755 none "$d"
		done
		for s in $2; do
			mkdir -p "${s%/*}" && printf "#!/bin/sh\nexit 0\n" > "$s" &&
			    chmod 755 "$s"
		done
		v() { "$@" >"$T_TMP/last.$1" 2>&1 && echo accepted ||
		    echo refused; }
		ka() {
			keepalived -t -n -l -f "$1" >"$T_TMP/last.keepalived" 2>&1
			case $? in
			0) echo accepted ;;
			6)	{ printf "global_defs {\n enable_script_security\n script_user root\n}\n"
				  cat "$1"; } > "$T_TMP/secure.conf"
				v keepalived -t -n -l -f "$T_TMP/secure.conf"
				rm -f "$T_TMP/secure.conf" ;;
			*) echo refused ;;
			esac
		}
		echo "$(ka "$1") $(v vrrpd -t -f "$1")"
		' _ "$f" "$(scripts "$f")" "$T_TMP"
	ip netns del "$ns"
}

# corpus.t [FILE.conf...]: only those (while collecting); all by default
[ $# -gt 0 ] && files=("$@") || files=("$C"/*.conf)
n=0
for f in "${files[@]}"; do
	b=${f##*/}
	n=$((n + 1))
	read -r k v <<< "$(verdicts "$f")"
	pending=$(awk -v b="$b" '$1 == b { $1 = ""; print substr($0, 2) }' \
	    "$C/pending")
	if [ -n "$pending" ]; then
		T_N=$((T_N + 1))
		[ "$k" = "$v" ] && r=ok || r="not ok"
		echo "$r $T_N - $b: keepalived $k, vrrpd $v # TODO $pending"
		continue
	fi
	is "$v" "$k" "$b: same verdict (keepalived: $k)" ||
	    grep -hv 'warning\|^$' "$T_TMP/last.keepalived" "$T_TMP/last.vrrpd" |
	    sed 's/^/#   /' | head -8
done
[ $# -gt 0 ] ||
    ok "at least 50 files in the corpus ($n)" test "$n" -ge 50

done_testing
