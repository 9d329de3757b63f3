# SPDX-License-Identifier: ISC
# Sourced by corpus.t and corpus-run.t: what a keepalived.conf of the
# corpus needs from the host it is checked or run on.

# ifnames FILE: every interface FILE names
ifnames() {
	awk '
	{ sub(/[#!].*/, "") }
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
