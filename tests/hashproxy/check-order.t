#!/bin/bash
# SPDX-License-Identifier: ISC
# The order of tcp-check and http-check rules: haproxy 2.6 refuses a
# connect whose list does not start with one (comments aside), an http
# send with no connect before it, and so on.  Every sequence of up to
# three rules (comment, connect, send, expect) with a connect gets the
# same -c verdict from hashproxy as from haproxy, and a refusal names
# file:line.
. "$(dirname "$0")/../lib/tap.sh"

command -v haproxy >/dev/null || cannot_run "haproxy is not installed"

declare -A tcp=([C]="comment c1" [N]="connect" [S]="send x"
    [E]="expect string ok")
declare -A http=([C]="comment c1" [N]="connect" [S]="send meth GET uri /"
    [E]="expect status 200")

cfg() {	# KIND SEQ: a listen section with those rules
	local kind=$1 seq=$2 i c opt=tcp-check
	[ "$kind" = http ] && opt=httpchk
	printf 'defaults\n    mode tcp\n    timeout client 1s\n    timeout server 1s\n    timeout connect 1s\nlisten p\n    bind 127.0.0.1:1\n    option %s\n' "$opt"
	for ((i = 0; i < ${#seq}; i++)); do
		c=${seq:i:1}
		if [ "$kind" = tcp ]; then
			printf '    tcp-check %s\n' "${tcp[$c]}"
		else
			printf '    http-check %s\n' "${http[$c]}"
		fi
	done
	printf '    server s1 127.0.0.3:80 check\n'
}

for kind in tcp http; do
	bad=
	n=0
	for a in C N S E; do for b in '' C N S E; do for c in '' C N S E; do
		[ -z "$b" ] && [ -n "$c" ] && continue
		seq=$a$b$c
		case $seq in *N*) ;; *) continue ;; esac
		n=$((n + 1))
		cfg "$kind" "$seq" >"$T_TMP/o.cfg"
		haproxy -c -f "$T_TMP/o.cfg" >/dev/null 2>&1 && h=ok || h=no
		hashproxy -c -f "$T_TMP/o.cfg" >/dev/null 2>&1
		case $? in 0) x=ok ;; 2) x=no ;; *) x="exit $?" ;; esac
		[ "$h" = "$x" ] || bad+="$seq:haproxy=$h,hashproxy=$x "
	done; done; done
	is "$bad" "" "$kind-check: the $n sequences of comment (C), connect (N), send (S), expect (E) with a connect: -c as haproxy's"
done

# the finding: a comment, then a send, then a connect
cfg tcp CSN >"$T_TMP/o.cfg"
out=$(hashproxy -c -f "$T_TMP/o.cfg" 2>&1)
is "$?" 2 "tcp-check comment, send, connect: refused"
like "$out" "o.cfg:11: .*tcp-check connect: first step MUST also be a 'connect'" \
    "with file:line and haproxy's words"
cfg tcp CNSN >"$T_TMP/o.cfg"
ok "tcp-check comment, connect, send, connect: accepted" \
    hashproxy -c -f "$T_TMP/o.cfg"
done_testing
