#!/bin/bash
# SPDX-License-Identifier: ISC
# Every document names a daemon's control socket where its unit puts it.
# The units of contrib/systemd/ are the reference (ExecStart's --control
# PATH); the README, the man pages, contrib/ (recipes, example configs)
# and doc/ may name no other control socket under /run for that program
# (a path "/run/PROG..." ending in .sock or control), and the program's
# own man page and the README name its PROG.service's path at least once.
. "$(dirname "$0")/../lib/tap.sh"

cd "$T_TOP" || bail "no tree"
declare -A paths main	# PROG -> " path path " of its units; PROG.service's
for u in contrib/systemd/*.service; do
	line=$(grep -m1 '^ExecStart=' "$u") || continue
	set -- ${line#ExecStart=}
	prog=${1##*/}
	path=
	while [ $# -gt 0 ]; do
		case $1 in --control) path=$2; break ;; --control=*) path=${1#*=}; break ;; esac
		shift
	done
	[ -n "$path" ] || continue
	paths[$prog]="${paths[$prog]:- }$path "
	[ "${u##*/}" = "$prog.service" ] && main[$prog]=$path
	ok "$u: $prog's control socket $path is under its RuntimeDirectory" \
	    grep -qx "RuntimeDirectory=$(basename "$(dirname "$path")")" "$u"
done
ok "units name control sockets (vrrpd, hashproxy, dhcpsync)" \
    test -n "${paths[vrrpd]:-}" -a -n "${paths[hashproxy]:-}" -a -n "${paths[dhcpsync]:-}"

docs=(README.md man/*.[178] $(find contrib doc -type f 2>/dev/null | sort))
for prog in "${!paths[@]}"; do
	# every control-socket-looking path of PROG, as FILE:PATH
	grep -oHE "/(var/)?run/$prog[A-Za-z0-9_.-]*(/[A-Za-z0-9_.-]+)?" "${docs[@]}" |
	    grep -E '(\.sock|control)$' | sort -u >"$T_TMP/found"
	bad=$(while IFS=: read -r f p; do
		case "${paths[$prog]}" in *" $p "*) ;; *) echo "$f: $p" ;; esac
	done <"$T_TMP/found")
	is "$bad" "" "$prog: every document names the unit's control socket (${paths[$prog]# })"
	for f in README.md "man/$prog".[18]; do
		ok "$f names $prog's socket ${main[$prog]}" grep -qF -- "${main[$prog]}" "$f"
	done
done
done_testing
