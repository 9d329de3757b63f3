# SPDX-License-Identifier: ISC
# The README's migration paths, run as written.  Source after
# tests/vrrpd/lib.sh (hosts, host_init, in_host).
#
# The README shows each path as a shell session between
#   <!-- migrate NAME -->  and  <!-- /migrate -->
# where "HOST# command" is a command typed on HOST and the lines under it,
# up to the next prompt, are what it prints ("..." stands for anything;
# the test waits until the command's output has each such line, running
# it again).  Lines starting with "#" are comments.  The test runs every
# command, verbatim, on a test host that looks like a machine to it: its
# own network, PID and mount namespace, /run a tmpfs of its own, /etc/X
# the test's directory ($T_TMP/HOST/etc/X), /usr/local/bin and sbin the
# built programs (as "make install" puts them), and a systemctl that runs
# the real unit files (tests/doc/systemctl).  Change the README and the
# test runs the change; a command that fails fails the test.

MIGRATE_README=${MIGRATE_README:-$T_TOP/README.md}

# mhost H ETCDIR...: makes H a machine (host_init first) with /etc/ETCDIR
# from $T_TMP/H/etc/ETCDIR.
mhost() {
	local h=$1 d bin="$T_TMP/usr-local"; shift
	if [ ! -d "$bin" ]; then
		mkdir -p "$bin/bin" "$bin/sbin"
		for p in svccheck pgwatch; do
			ln -s "$T_TOP/$p/$p" "$bin/bin/$p"
		done
		for p in vrrpd hashproxy dhcpsync; do
			ln -s "$T_TOP/$p/$p" "$bin/sbin/$p"
		done
		ln -s "$T_TOP/tests/doc/systemctl" "$bin/sbin/systemctl"
		# ssh's transport (tests/doc/ssh): hosts have no sshd
		ln -s "$T_TOP/tests/doc/ssh" "$bin/bin/ssh"
	fi
	mkdir -p "$T_TMP/$h/log"
	in_host "$h" mount -t tmpfs -o mode=755 tmpfs /run || return 1
	in_host "$h" mount --bind "$bin/bin" /usr/local/bin || return 1
	in_host "$h" mount --bind "$bin/sbin" /usr/local/sbin || return 1
	for d in "$@"; do
		mkdir -p "$T_TMP/$h/etc/$d" /etc/"$d" 2>/dev/null
		in_host "$h" mount --bind "$T_TMP/$h/etc/$d" "/etc/$d" || return 1
	done
}

# local_init H: a machine H on this host's network (127.0.0.1 is ours),
# in its own PID and mount namespace; then mhost H as for the others.
local_init() {
	local outer
	unshare --pid --fork --mount-proc --kill-child bash -c "$NS_KEEPER" &
	outer=$!
	cleanup_push "kill $outer"
	ns_child "P1_$1" "$outer"
}

# mdir H DIR: /DIR in H is $T_TMP/H/DIR (e.g. var/lib/dhcp)
mdir() {
	mkdir -p "$T_TMP/$1/$2"
	in_host "$1" mount --bind "$T_TMP/$1/$2" "/$2"
}

# msshd H: H answers tests/doc/ssh (port 2222) in its namespaces.
msshd() {
	in_host "$1" socat TCP-LISTEN:2222,reuseaddr,fork \
	    "EXEC:$T_TOP/tests/doc/sshd" 2>>"$T_TMP/$1/log/sshd.err" &
	wait_for 5 on "$1" "ss -Hltn 'sport = :2222' | grep -q ."
}

# mfile H FILE: /FILE in H is $T_TMP/H/FILE (e.g. etc/hosts)
mfile() { in_host "$1" mount --bind "$T_TMP/$1/$2" "/$2"; }

# on H CMDLINE: runs CMDLINE in H as a root shell there would, with
# MIGRATE_ENV's "NAME=value" words as the machine's environment.
on() {
	local h=$1; shift
	in_host "$h" env -i HOME=/root TERM=dumb T_MARK="$T_MARK" ${MIGRATE_ENV:-} \
	    PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
	    MIGRATE_LOG="$T_TMP/$h/log" MIGRATE_UNITS="$T_TOP/contrib/systemd" \
	    bash -c "$*"
}

# readme_session NAME: the session's lines, from the README (fails when
# the markers are missing or the session has no command).
readme_session() {
	awk -v n="$1" '
	    $0 == "<!-- migrate " n " -->" { on = 1; next }
	    on && $0 == "<!-- /migrate -->" { on = 0; done = 1; next }
	    on && !/^```/ { print }
	    END { exit !done }' "$MIGRATE_README" >"$T_TMP/session.$1" &&
	    grep -q '^[a-z0-9]*# ' "$T_TMP/session.$1"
}

# _out_has FILE HOST CMD: CMD's output (into FILE) has every wanted line
# in $T_TMP/want, in any order.
_out_has() {
	on "$2" "$3" >"$1" 2>&1 || return 1
	local w re
	while IFS= read -r w; do
		re=$(printf '%s' "$w" | sed -e 's/[][\.*^$+?(){}|/]/\\&/g' -e 's/\\\.\\\.\\\./.*/g')
		grep -Eq -- "$re" "$1" || return 1
	done <"$T_TMP/want"
}

# _run_cmd HOST CMD: one command; its wanted lines waited for (20 s)
_run_cmd() {
	local h=$1 c=$2 rc=0
	T_STEP=$((T_STEP + 1))
	echo "$(ms) $h# $c" >>"$T_TMP/steps"
	if [ -s "$T_TMP/want" ]; then
		wait_for 20 _out_has "$T_TMP/out.$T_STEP" "$h" "$c"
		rc=$?
		[ "$rc" = 0 ] || sed 's/^/#   /' "$T_TMP/out.$T_STEP"
	else
		on "$h" "$c" >"$T_TMP/out.$T_STEP" 2>&1 || rc=$?
		[ "$rc" = 0 ] || sed 's/^/#   /' "$T_TMP/out.$T_STEP"
	fi
	ok "README: $h# $c" test "$rc" = 0
}

# run_session NAME [HOOK]: every command of the session, in order, one
# TAP check each.  HOOK, if given, is called with the host and the command
# before each one (the test's own measurements).  Each command's time
# (epoch ms) is in $T_TMP/steps: "MS HOST# COMMAND".
T_STEP=0
run_session() {
	local name=$1 hook=${2:-} line h= c=
	readme_session "$name" ||
	    { ok "README has the $name migration session" false; return 1; }
	: >"$T_TMP/want"
	while IFS= read -r line; do
		case $line in
		[a-z0-9]*'# '*)
			if [ -n "$h" ]; then _run_cmd "$h" "$c" || return 1; fi
			h=${line%%# *}; c=${line#*# }
			# a comment after the command is the reader's, not the shell's
			: >"$T_TMP/want"
			[ -n "$hook" ] && "$hook" "$h" "$c"
			;;
		'#'*|'') ;;
		*) [ -n "$h" ] && printf '%s\n' "$line" >>"$T_TMP/want" ;;
		esac
	done <"$T_TMP/session.$name"
	[ -z "$h" ] || _run_cmd "$h" "$c"
}
