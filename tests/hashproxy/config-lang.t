#!/bin/bash
# SPDX-License-Identifier: ISC
# haproxy 2.6's configuration language (configuration.txt section 2), each
# file given to haproxy -c and hashproxy -c: "${VAR}" expansion, .if
# conditions, .notice/.warning/.alert, named defaults and "from", several
# -f and directories, harmless L4 keywords.  An .alert in a branch that
# must not be taken makes a wrong evaluation fail both.
. "$(dirname "$0")/../lib/tap.sh"

command -v haproxy >/dev/null || cannot_run "haproxy is not installed"
d=$T_TMP

# both: same exit status (0), and hashproxy's messages for the record
both() {	# desc args...
	local desc=$1 h x; shift
	haproxy -c "$@" >"$d/ha.out" 2>&1; h=$?
	hashproxy -c "$@" >"$d/hp.out" 2>&1; x=$?
	is "$h/$x" "0/0" "$desc: haproxy and hashproxy accept it" ||
		diag "$(grep -h 'ALERT\|error' "$d/ha.out" "$d/hp.out" | head -6)"
}
# both refuse: haproxy with an alert, hashproxy with file:line
both_refuse() {	# desc pattern args...
	local desc=$1 pat=$2 h x; shift 2
	haproxy -c "$@" >"$d/ha.out" 2>&1; h=$?
	hashproxy -c "$@" >"$d/hp.out" 2>&1; x=$?
	ok "$desc: haproxy refuses it ($h)" test "$h" != 0
	is "$x" 2 "$desc: hashproxy refuses it"
	like "$(cat "$d/hp.out")" "$pat" "$desc: hashproxy names it"
}

export HB_PORT=18080 HB_LIST="a b c" HB_EMPTY=
unset HB_NONE
cat >"$d/env.cfg" <<'C'
global
    maxconn 100
.if !streq("${HB_PORT}",18080)
    .alert "\${HB_PORT} not expanded"
.endif
.if !streq("${HB_NONE-dflt}",dflt)
    .alert "default not used"
.endif
.if !streq("x${HB_EMPTY-dflt}",x)
    .alert "the default replaced an empty value"
.endif
.if !streq('$HB_PORT',"\$HB_PORT")
    .alert "expanded inside single quotes"
.endif
.if defined(HB_NONE) || !defined(HB_PORT)
    .alert "defined() wrong"
.endif
.if version_before(2.6) || !version_atleast(2.4-dev19) || version_atleast(2.7)
    .alert "version wrong"
.endif
.if 0
    .alert "0 is true"
.elif 1 && (0 || 1)
    .notice "elif taken at ${.LINE}"
.else
    .alert "else taken"
.endif
.if 1
.elif 1
    .alert "a second branch taken"
.else
    .alert "else after a taken branch"
.endif
.if !streq($HB_PORT,"\$HB_PORT") || !streq(${HB_PORT},"\${HB_PORT}")
    .alert "expanded outside quotes"
.endif
defaults
    mode tcp
    timeout connect 5s
    timeout client 1m
    timeout server 1m
listen l
    bind "127.0.0.1:${HB_PORT}"
    server s "${HB_NONE-127.0.0.1}:1"
C
both "env expansion and .if" -f "$d/env.cfg"
like "$(cat "$d/hp.out")" "notice: .*env.cfg:24: elif taken at 24" ".notice with file:line"

printf 'global\n.warning "careful"\n.alert "stop ${HB_PORT}"\n' >"$d/alert.cfg"
cat "$d/env.cfg" >>"$d/alert.cfg"
both_refuse ".alert" "error: .*alert.cfg:3: stop 18080" -f "$d/alert.cfg"
like "$(cat "$d/hp.out")" "warning: .*alert.cfg:2: careful" ".warning is a warning"

# .diag: haproxy prints it only in its -dD diagnostic mode; -c says nothing
printf 'global\n.diag "only with -dD"\n' >"$d/diag.cfg"
cat "$d/env.cfg" >>"$d/diag.cfg"
both ".diag" -f "$d/diag.cfg"
is "$(grep -c 'only with -dD' "$d/hp.out" "$d/ha.out" | sed 's/.*://' | tr '\n' ' ')" "0 0 " \
    ".diag: printed by neither"

# stats timeout: haproxy's timers are int milliseconds (~24.8 days)
for t in 2d 24d; do
	printf 'global\n    stats timeout %s\n' "$t" >"$d/st.cfg"
	cat "$d/env.cfg" >>"$d/st.cfg"
	both "stats timeout $t" -f "$d/st.cfg"
done
printf 'global\n    stats timeout 25d\n' >"$d/st.cfg"
cat "$d/env.cfg" >>"$d/st.cfg"
both_refuse "stats timeout 25d" "st.cfg:2: stats timeout: a duration from 1ms to 2147483647ms" -f "$d/st.cfg"

printf 'global\n.if 1\n' >"$d/open.cfg"
both_refuse "an unclosed .if" "open.cfg:.*\.if without \.endif" -f "$d/open.cfg"

# named defaults and from
cat >"$d/named.cfg" <<'C'
defaults web
    mode http
    option httplog
    option forwardfor
    timeout connect 5s
    timeout client 1m
    timeout server 1m
defaults tcp from web
    mode tcp
frontend f from tcp
    bind 127.0.0.1:18081
    default_backend b
backend b from tcp
    balance source
    hash-type consistent
    server s 127.0.0.1:1
C
both "defaults NAME, defaults B from A, frontend from" -f "$d/named.cfg"
like "$(cat "$d/hp.out")" "notice: .*named.cfg:4: defaults web: option forwardfor: ignored in mode tcp" \
    "forwardfor in a defaults used by tcp proxies: a notice"
nok "and no warning or error" grep -q 'hashproxy: warning:\|hashproxy: error:' "$d/hp.out"
printf 'listen l from nope\n    bind :1\n    server s 127.0.0.1:1\n' >"$d/nofrom.cfg"
both_refuse "from an unknown defaults" "nofrom.cfg:1: .*no defaults section named \"nope\"" -f "$d/nofrom.cfg"

# several -f, a directory: *.cfg only, not hidden, in lexical order
mkdir "$d/conf.d"
printf 'defaults base\n    mode tcp\n    timeout connect 5s\n    timeout client 1m\n    timeout server 1m\n' >"$d/conf.d/10-defaults.cfg"
printf 'frontend f from base\n    bind 127.0.0.1:18082\n    default_backend b\n' >"$d/conf.d/20-frontend.cfg"
printf 'backend b from base\n    server s 127.0.0.1:1\n' >"$d/conf.d/30-backend.cfg"
printf 'this is not a config\n' >"$d/conf.d/notes.txt"
printf 'frobnicate\n' >"$d/conf.d/.hidden.cfg"
both "-f DIR" -f "$d/conf.d"
printf 'global\n    maxconn 100\n' >"$d/global.cfg"
both "-f FILE -f DIR" -f "$d/global.cfg" -f "$d/conf.d"
printf '    maxconn 10\n' >"$d/conf.d/25-more.cfg"
both_refuse "a file starts outside any section" "25-more.cfg:1: \"maxconn\": outside any section" -f "$d/conf.d"
rm "$d/conf.d/25-more.cfg"
printf 'backend b2\n    server s 127.0.0.1:2\n    frob\n' >"$d/conf.d/40-bad.cfg"
both_refuse "an error in a directory's file" "conf.d/40-bad.cfg:3: backend b2: \"frob\": unknown keyword" -f "$d/conf.d"

# harmless at L4: tuning, bind options, monitor-uri and log in tcp proxies
cat >"$d/harmless.cfg" <<'C'
global
    tune.bufsize 32768
    tune.maxrewrite 1024
    strict-limits
    zero-warning
    default-path config
    unix-bind mode 600
    max-spread-checks 1s
    log 127.0.0.1 local0
defaults
    mode tcp
    log global
    option tcplog
    timeout connect 5s
    timeout client 1m
    timeout server 1m
listen l
    bind 127.0.0.1:18083 name l1 interface lo tfo defer-accept backlog 100
    monitor-uri /health
    errorfile 503 /etc/haproxy/errors/503.http
    server s 127.0.0.1:1 check inter 2s
C
haproxy -c -f "$d/harmless.cfg" >"$d/ha.out" 2>&1; h=$?
hashproxy -c -f "$d/harmless.cfg" >"$d/hp.out" 2>&1; x=$?
is "$x" 0 "harmless keywords: hashproxy accepts them (haproxy: $h, zero-warning)"
nok "harmless keywords: no warning, no error" grep -q 'hashproxy: warning:\|hashproxy: error:' "$d/hp.out"
is "$(grep -c 'notice: .*tune\.' "$d/hp.out")" 1 "one notice for two tune.* lines"
like "$(cat "$d/hp.out")" "harmless.cfg:18: listen l: interface: ignored" "bind interface: one notice naming the line"

# backslashes as haproxy 2.6's parse_line(): dropped only before what
# they make special ("\$" only inside double quotes), kept before other
# characters and at the end of a line
cat >"$d/bslash.cfg" <<'C'
.if !streq(x\$y,'x\$y')
    .alert "unquoted \$: the backslash was dropped"
.endif
.if !streq("x\$y",'x$y')
    .alert "quoted \$: the backslash was kept"
.endif
.if !streq(a\+b,'a\+b') || !streq("a\+b",'a\+b')
    .alert "\+: the backslash was dropped"
.endif
.if !streq(a\ b,'a b') || !streq(a\#b,'a#b')
    .alert "\<space> or \#: the backslash was kept"
.endif
listen l
    bind 127.0.0.1:18085
    server s 127.0.0.1:1
C
both "backslashes" -f "$d/bslash.cfg"
printf 'listen l\n    bind 127.0.0.1:18086\n    zz\\\n' >"$d/bstrail.cfg"
both_refuse "a backslash ending the line" 'bstrail.cfg:3: listen l: "zz\\": unknown keyword' -f "$d/bstrail.cfg"

# out of scope: one error naming file:line and the keyword
printf 'listen l\n    mode http\n    bind 127.0.0.1:18084\n    http-request set-header X-A b\n    server s 127.0.0.1:1\n' >"$d/http.cfg"
haproxy -c -f "$d/http.cfg" >/dev/null 2>&1
is "$?/$(hashproxy -c -f "$d/http.cfg" >"$d/hp.out" 2>&1; echo $?)" "0/2" "http-request in mode http: haproxy accepts, hashproxy refuses"
like "$(cat "$d/hp.out")" "error: .*http.cfg:4: listen l: http-request: not supported in mode http \(" \
    "named with file:line and why"
is "$(grep -c 'error:' "$d/hp.out")" 1 "one error"
done_testing
