# SPDX-License-Identifier: ISC
# TAP for shell tests.  Source it first; it also sources the other helpers.
#
#   . "$(dirname "$0")/../lib/tap.sh"
#   ok "svccheck finds named" svccheck -q named
#   is "$(cmd)" "want" "description"
#   done_testing
#
# Sets T_TOP (the source tree), T_ID (unique per test run), T_TMP (a
# private directory removed at exit) and puts the built programs on PATH.

# (no dirname, od or tr: every test file starts here, and each process
# is ~8 ms of CPU on this machine)
T_TOP=$(cd "${BASH_SOURCE[0]%/*}/../.." && pwd)
printf -v T_ID 'ht%04x%04x' $(($$ % 65536)) $((SRANDOM % 65536))
# every process the test starts inherits it: cleanup.sh finds them by it
export T_MARK=$T_ID
T_N=0
T_FAILED=0
T_PLANNED=
export PATH="$T_TOP/svccheck:$T_TOP/vrrpd:$T_TOP/hashproxy:$T_TOP/pgwatch:$T_TOP/dhcpsync:$PATH"

. "$T_TOP/tests/lib/cleanup.sh"
. "$T_TOP/tests/lib/wait.sh"

T_TMP=$(mktemp -d "/tmp/$T_ID.XXXXXX")
chmod 755 "$T_TMP"
cleanup_push "cleanup_mounts '$T_TMP'; rm -rf '$T_TMP'"
cleanup_push free_port_release

# python3 is the system's, which tests/lib/deps.sh installs: a version
# manager's shim first on PATH (pyenv's) runs bash scripts on every
# start, 0.1 s idle, seconds on a loaded machine.  And without site (-S):
# the tests' scripts use the standard library alone, and a .pth file in
# dist-packages runs at every start (this machine's imports certifi:
# 25 ms of CPU of a start's 40, and a make check starts python ~800 times).
if [ -x /usr/bin/python3 ]; then
	mkdir "$T_TMP/bin"
	printf '#!/bin/sh\nexec /usr/bin/python3 -S "$@"\n' >"$T_TMP/bin/python3"
	chmod 755 "$T_TMP/bin/python3"
	PATH="$T_TMP/bin:$PATH"
fi

_tap_result() {	# pass desc
	T_N=$((T_N + 1))
	if [ "$1" = 1 ]; then
		echo "ok $T_N - $2"
	else
		echo "not ok $T_N - $2"
		T_FAILED=$((T_FAILED + 1))
		echo "#   failed at ${BASH_SOURCE[2]##*/}:${BASH_LINENO[1]}"
	fi
	[ "$1" = 1 ]
}

# ok DESC CMD...: passes when CMD exits 0.  CMD's stdout is not TAP: it is
# dropped (its stderr shows).
ok() {
	local desc=$1; shift
	if "$@" >/dev/null; then _tap_result 1 "$desc"; else _tap_result 0 "$desc"; fi
}

# nok DESC CMD...: passes when CMD exits non-zero.
nok() {
	local desc=$1; shift
	if "$@" >/dev/null; then _tap_result 0 "$desc"; else _tap_result 1 "$desc"; fi
}

# is GOT WANT DESC
is() {
	if [ "$1" = "$2" ]; then
		_tap_result 1 "$3"
	else
		_tap_result 0 "$3"
		printf '#   got:  %s\n#   want: %s\n' "$1" "$2" | head -40
		return 1
	fi
}

# like GOT REGEX DESC.  A newline in REGEX would make grep match anything
# (each line is an alternative): such a check cannot fail, so it fails.
like() {
	case $2 in *$'\n'*)
		_tap_result 0 "$3 (pattern has a newline: it would match anything)"
		return 1 ;;
	esac
	if printf '%s\n' "$1" | grep -Eq -- "$2"; then
		_tap_result 1 "$3"
	else
		_tap_result 0 "$3"
		printf '#   got:  %s\n#   want match: %s\n' "$1" "$2" | head -40
		return 1
	fi
}

# exit_is WANT DESC CMD...: passes when CMD exits with WANT.
exit_is() {
	local want=$1 desc=$2 rc=0; shift 2
	"$@" || rc=$?
	is "$rc" "$want" "$desc (exit $want)"
}

diag() { printf '# %s\n' "$*"; }
note() { printf '# %s\n' "$*"; }
bail() { echo "Bail out! $*"; exit 255; }

plan() { T_PLANNED=$1; echo "1..$1"; }

# cannot_run REASON: the test cannot run here.  make check installs every
# package (tests/lib/deps.sh) and builds everything the tests use, and the
# README makes nothing else optional, so a test that cannot run fails: a
# skip that passes would hide a broken dependency step or a missing build.
cannot_run() {
	local n=${#BASH_LINENO[@]}
	[ -z "$T_PLANNED" ] && [ "$T_N" = 0 ] && echo "1..1"
	T_N=$((T_N + 1))
	echo "not ok $T_N - cannot run: $*"
	# where the test asked (through needs_root or skip_all, if so)
	echo "#   at ${BASH_SOURCE[n - 1]##*/}:${BASH_LINENO[n - 2]}"
	exit 1
}
# skip_all is the old name; it fails the same way.
skip_all() { cannot_run "$@"; }

# skip_optional N REASON: skips the next N checks for something the README
# documents as optional (IPv6 on the loopback).  Each shows as a TAP skip;
# "make test" prints them, with their reasons, after prove's summary.
skip_optional() {
	local i
	for ((i = 0; i < $1; i++)); do
		T_N=$((T_N + 1))
		echo "ok $T_N # skip $2"
	done
	[ -n "$HATOOLS_SKIPS" ] &&
		printf '%s: %d skipped: %s\n' "${0#"$T_TOP"/}" "$1" "$2" >>"$HATOOLS_SKIPS"
	return 0
}

# lo_has_ipv6: the loopback has ::1, which the README makes optional (a
# kernel booted with ipv6.disable=1).  Only the machine is asked, never the
# program under test: a test skips what this says is missing, no more.
lo_has_ipv6() { [ -e /proc/net/if_inet6 ] && ip -6 addr show dev lo | grep -q ' ::1/128'; }

# needs_root: network namespaces, raw sockets and postgres need root here.
needs_root() { [ "$(id -u)" = 0 ] || cannot_run "needs root"; }

# no_dns CMD [ARG...]: CMD in a mount namespace of its own whose
# /etc/nsswitch.conf says "hosts: files", so that a name /etc/hosts lacks
# fails at once and no DNS query leaves the machine (tests talk to
# 127.0.0.0/8 and their own namespaces only); exec keeps CMD's pid
no_dns() {
	[ -f "$T_TMP/nsswitch.files" ] ||
	    printf 'hosts: files\n' >"$T_TMP/nsswitch.files"
	unshare -m sh -c 'mount --bind "$0" /etc/nsswitch.conf && exec "$@"' \
	    "$T_TMP/nsswitch.files" "$@"
}

done_testing() {
	[ -z "$T_PLANNED" ] && echo "1..$T_N"
	[ "$T_FAILED" = 0 ]
}
