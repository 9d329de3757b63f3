#!/bin/bash
# SPDX-License-Identifier: ISC
# The KEYWORDS list of hashproxy(8) is the parser's tables: hashproxy
# --keywords prints the tables, the man page must say the same, keyword
# for keyword, kind and reason.  And each kind does what the list says.
. "$(dirname "$0")/../lib/tap.sh"

man=$T_TOP/man/hashproxy.8
hashproxy --keywords >"$T_TMP/tables"
ok "--keywords exits 0" test $? = 0
ok "--keywords lists over 300 keywords" test "$(wc -l <"$T_TMP/tables")" -gt 300
# the lists, from the first ".Ss Keywords:" to ".Sh EVENT LINES"
awk '/^\.Ss Keywords: /, /^\.Sh EVENT LINES/' "$man" | sed '$d' >"$T_TMP/man"
awk -f "$T_TOP/tests/hashproxy/keywords-mdoc.awk" "$T_TMP/tables" >"$T_TMP/want"
is "$(diff "$T_TMP/want" "$T_TMP/man")" "" "man page KEYWORDS = the parser's tables" ||
	diag "regenerate: hashproxy --keywords | awk -f tests/hashproxy/keywords-mdoc.awk"

# every kind behaves as documented, one example each
cfg=$T_TMP/k.cfg
check() {	# table keyword -> its kind in the list
	awk -F'\t' -v t="$1" -v k="$2" '$1 == t && $2 == k { print $3 }' "$T_TMP/tables"
}
is "$(check global tune.*)" harmless "tune.* is harmless"
printf 'global\n    tune.bufsize 16384\nlisten l\n    bind 127.0.0.1:1\n    server s 127.0.0.1:2\n' >"$cfg"
like "$(hashproxy -c -f "$cfg" 2>&1)" "notice: .*k.cfg:2: tune.bufsize: ignored \(tuning only\)" \
    "harmless: a notice with file:line and why"
is "$(check proxy tcp-response)" refused "tcp-response is refused"
printf 'listen l\n    bind 127.0.0.1:1\n    tcp-response content reject\n    server s 127.0.0.1:2\n' >"$cfg"
like "$(hashproxy -c -f "$cfg" 2>&1)" "error: .*k.cfg:3: listen l: tcp-response: not supported \(responses would not be inspected" \
    "refused: an error with file:line and why"
exit_is 2 "refused: hashproxy -c exits 2" sh -c 'hashproxy -c -f "$1" 2>/dev/null' _ "$cfg"
is "$(check proxy http-request)" http "http-request is HTTP only"
is "$(check bind ssl)" refused "bind ssl is refused"
is "$(check server curves)" "" "an unknown server parameter is not listed"

# a word haproxy 2.6 refuses saying what to use instead: hashproxy refuses
# it too (haproxy -c exits 1, hashproxy -c 2: both an error) with the hint
peer_cfg() {	# SECTION LINE: a config with LINE on line 8 in SECTION
	printf 'global\n'
	[ "$1" = global ] && printf '    %s\n' "$2"
	printf 'defaults\n    mode tcp\n    timeout connect 1s\n'
	printf '    timeout client 1s\n    timeout server 1s\nlisten l\n'
	[ "$1" = listen ] && printf '    %s\n' "$2"
	printf '    bind 127.0.0.1:1\n    server s 127.0.0.1:2\n'
}
refused_alike() {	# SECTION LINE HINT: both refuse LINE, saying HINT
	peer_cfg "$1" "$2" >"$cfg"
	local ha hp
	ha=$(haproxy -c -f "$cfg" 2>&1); ok "haproxy -c refuses \"$2\"" test $? = 1
	like "$ha" "ALERT.*k.cfg:[0-9]+\] ?: .*$3" "haproxy says $3"
	hp=$(hashproxy -c -f "$cfg" 2>&1); ok "hashproxy -c refuses \"$2\"" test $? = 2
	like "$hp" "error: .*k.cfg:[0-9]+: .*$3" "hashproxy says $3"
}
refused_alike listen "redispatch" "option redispatch"
refused_alike listen "redisp" "option redispatch"
refused_alike global "nbproc 2" "[Tt]hreads"
refused_alike listen "option forceclose" "option httpclose"
refused_alike listen "option http_proxy" "2\\.5"
refused_alike listen "option allredisp" "allredisp"
refused_alike listen "option http-use-htx" "http-use-htx"
# a global word hashproxy ignores still has haproxy's number of values: a
# flag takes none, a setting one (or two)
for l in "daemon 1" "noepoll yes" "zero-warning 1" "chroot" "chroot /a /b" \
    "pidfile" "log 127.0.0.1" "cpu-map 1" "ulimit-n 1 2" "master-worker a b"; do
	refused_alike global "$l" "${l%% *}"
done
for l in "daemon" "chroot /var/empty" "log 127.0.0.1 local0" \
    "cpu-map 1 0" "description a b c" "master-worker"; do
	peer_cfg global "$l" >"$cfg"
	ok "haproxy -c takes \"$l\"" haproxy -c -f "$cfg"
	ok "hashproxy -c takes \"$l\"" hashproxy -c -f "$cfg"
done
# and so does a proxy's word
for l in "backlog" "backlog 1 2" "log" "monitor-uri /a /b" "errorfile 503" \
    "log-format a b" "unique-id-header"; do
	refused_alike listen "$l" "${l%% *}"
done
for l in "backlog 10" "log global" "description a b c" "server-state-file-name"; do
	peer_cfg listen "$l" >"$cfg"
	ok "haproxy -c takes \"$l\"" haproxy -c -f "$cfg"
	ok "hashproxy -c takes \"$l\"" hashproxy -c -f "$cfg"
done
# an option takes values only where haproxy's does
for l in "option dontlognull 1" "option tcplog x" "option allbackups 1" \
    "option http-restrict-req-hdr-names"; do
	w=${l#option }
	refused_alike listen "$l" "${w%% *}"
done
for l in "option httpchk GET /" "option httplog clf" "option redispatch 2" \
    "option forwardfor except 127.0.0.1" "option tcpka"; do
	peer_cfg listen "$l" >"$cfg"
	ok "haproxy -c takes \"$l\"" haproxy -c -f "$cfg"
	ok "hashproxy -c takes \"$l\"" hashproxy -c -f "$cfg"
done
# haproxy 1.x words 2.x refuses naming what replaced them
refused_alike listen "block if TRUE" "http-request deny"
refused_alike listen "reqadd X-A:\\ b" "http-request add-header"
refused_alike listen "rsprep ^a b" "http-response replace-header"
refused_alike listen "monitor-net 10.0.0.0/8" "http-request return status 200"
refused_alike listen "appsession a" "1\\.6"
refused_alike listen "grace 10s" "2\\.5"
# "no option NAME": haproxy 2.6 refuses it for some options only
for o in tcpka tcplog httplog httpslog httpchk ssl-hello-chk tcp-check forwardfor \
    external-check; do
	refused_alike listen "no option $o" "negation"
done
# haproxy 2.6 takes option httpslog in mode tcp, falling back to tcplog
peer_cfg listen "option httpslog" >"$cfg"
ok "haproxy -c takes option httpslog" haproxy -c -f "$cfg"
ok "hashproxy -c takes option httpslog" hashproxy -c -f "$cfg"
for o in redispatch dontlognull transparent; do
	peer_cfg listen "no option $o" >"$cfg"
	ok "haproxy -c takes \"no option $o\"" haproxy -c -f "$cfg"
	ok "hashproxy -c takes \"no option $o\"" hashproxy -c -f "$cfg"
done
# "default option NAME": haproxy 2.6 keeps the last word twice after
# "default", so every option that counts its values refuses it, and the
# others refuse "default" as they refuse "no"; redispatch counts none
for o in persist allbackups clitcpka srvtcpka tcpka dontlognull httpchk; do
	refused_alike listen "default option $o" "$o"
done
# and the interval is read as atol() reads it, what follows unread
for l in "default option redispatch" "default option redispatch 2" \
    "option redispatch 2x" "option redispatch 1 2"; do
	peer_cfg listen "$l" >"$cfg"
	ok "haproxy -c takes \"$l\"" haproxy -c -f "$cfg"
	ok "hashproxy -c takes \"$l\"" hashproxy -c -f "$cfg"
done
like "$(hashproxy -c -f "$cfg" 2>&1)" "warning: .*k.cfg:8: .*\"2\" and after ignored" \
    "hashproxy says what it does not read"

# inet_aton's short form: "127/8" is 0.0.0.0/8 to haproxy 2.6 (127 is
# 0.0.0.127), which takes it without a word; hashproxy takes it alike and
# warns what network it means
peer_cfg listen "acl a src 127/8" >"$cfg"
ha=$(haproxy -c -f "$cfg" 2>&1); ok "haproxy -c takes src 127/8" test $? = 0
nok "haproxy does not warn" grep -q WARNING <<<"$ha"
hp=$(hashproxy -c -f "$cfg" 2>&1); ok "hashproxy -c takes src 127/8" test $? = 0
like "$hp" "warning: .*k.cfg:8: .*acl a: \"127/8\" means 0\.0\.0\.0/8" \
    "hashproxy warns with file:line that it means 0.0.0.0/8"
peer_cfg listen "acl a src 127.0.0.0/8 10.0.0.0/255.0.0.0 ::1" >"$cfg"
nok "no warning for full addresses" grep -q warning <<<"$(hashproxy -c -f "$cfg" 2>&1)"
done_testing
