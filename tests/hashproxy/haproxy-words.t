#!/bin/bash
# SPDX-License-Identifier: ISC
# What a real haproxy 2.6 takes in a global or listen section or on a
# server or bind line, hashproxy does not call unknown: it implements the word, ignores it with a notice
# saying why, or refuses it saying why.  The words are haproxy 2.6's
# (configuration.txt, 3, 4.1, 5.1 and 5.2, and the no-/force- forms); haproxy -c
# itself says which it knows, so the list may hold words it does not.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/hp.sh"

server_words="addr agent-addr agent-check agent-inter agent-port agent-send
allow-0rtt alpn backup ca-file check check-alpn check-proto check-send-proxy
check-sni check-ssl check-via-socks4 ciphers ciphersuites cookie crl-file crt
curves disabled downinter enabled error-limit fall fastinter force-sslv3
force-tlsv10 force-tlsv11 force-tlsv12 force-tlsv13 id init-addr inter
log-proto maxconn maxqueue max-reuse minconn namespace no-agent-check
no-backup no-check no-check-send-proxy no-check-ssl no-send-proxy
no-send-proxy-v2 no-send-proxy-v2-ssl no-send-proxy-v2-ssl-cn no-ssl
no-ssl-reuse no-sslv3 no-tfo no-tls-tickets no-tlsv10 no-tlsv11 no-tlsv12
no-tlsv13 no-verifyhost non-stick npn observe on-error on-marked-down on-marked-up
pool-low-conn pool-max-conn pool-purge-delay port proto proxy-v2-options
redir resolve-net resolve-opts resolve-prefer resolvers rise send-proxy
send-proxy-v2 send-proxy-v2-ssl send-proxy-v2-ssl-cn shard slowstart sni
socks4 source ssl ssl-max-ver ssl-min-ver ssl-reuse stick tcp-ut tfo
tls-tickets track usesrc verify verifyhost weight ws"
bind_words="accept-netscaler-cip accept-proxy allow-0rtt alpn backlog ca-file
ca-ignore-err ca-sign-file ca-sign-pass ca-verify-file ciphers ciphersuites
crl-file crt crt-ignore-err crt-list curves defer-accept ecdhe expose-fd
force-sslv3 force-tlsv10 force-tlsv11 force-tlsv12 force-tlsv13
generate-certificates gid group id interface level maxconn mode mss name
namespace nice no-ca-names no-sslv3 no-tls-tickets no-tlsv10 no-tlsv11
no-tlsv12 no-tlsv13 npn prefer-client-ciphers process proto severity-output
shards ssl ssl-max-ver ssl-min-ver strict-sni tcp-ut tfo thread
tls-ticket-keys transparent uid user v4v6 v6only verify"

proxy_words="acl backlog balance bind bind-process capture clitcpka-cnt
clitcpka-idle clitcpka-intvl compression cookie declare default-server
description disabled dispatch dynamic-cookie-key email-alert enabled errorfile
errorfiles errorloc errorloc302 errorloc303 error-log-format external-check
filter force-persist fullconn grace hash-balance-factor hash-type
http-after-response http-check http-error http-request http-response
http-reuse http-send-name-header id ignore-persist
load-server-state-from-file log log-format log-format-sd log-tag
max-keep-alive-queue max-session-srv-conns maxconn mode monitor monitor-uri
option persist rate-limit redirect retries retry-on server
server-state-file-name server-template source srvtcpka-cnt srvtcpka-idle
srvtcpka-intvl stats stick stick-table tcp-check tcp-request tcp-response
timeout transparent unique-id-format unique-id-header use-fcgi-app use-server
use_backend default_backend"
global_words="busy-polling ca-base chroot close-spread-time cluster-secret
cpu-map crt-base daemon default-path description expose-experimental-directives
external-check fd-hard-limit gid grace group h1-accept-payload-with-any-method
h1-case-adjust h1-case-adjust-file h2-workaround-bogus-websocket-clients
hard-stop-after httpclient.resolvers.id httpclient.resolvers.prefer
httpclient.ssl.ca-file httpclient.ssl.verify insecure-fork-wanted
insecure-setuid-wanted issuers-chain-path localpeer log log-send-hostname
log-tag lua-load lua-load-per-thread lua-prepend-path master-worker
max-spread-checks maxcompcpuusage maxcomprate maxconn maxconnrate maxpipes
maxsessrate maxsslconn maxsslrate maxzlibmem mworker-max-reloads nbthread
no-memory-trimming node noepoll noevports nogetaddrinfo nokqueue nopoll
noreuseport nosplice numa-cpu-mapping pidfile pp2-never-send-local presetenv
profiling.memory profiling.tasks quiet resetenv set-dumpable set-var
set-var-fmt setenv spread-checks ssl-default-bind-ciphers ssl-dh-param-file
ssl-load-extra-files ssl-server-verify ssl-skip-self-issued-ca stats
strict-limits thread-group thread-groups tune.bufsize uid ulimit-n unix-bind
unsetenv user zero-warning"

# one line per word, 40 words a file: haproxy -c stops at 50 errors
# (a word without its value is one); unknown: the words each program
# calls unknown (haproxy: "unknown keyword"; hashproxy: an error without
# a reason in parentheses)
words() {	# KIND WORD...: "KIND WORD" lines
	local k=$1 w; shift
	for w in "$@"; do echo "$k $w"; done
}
{ words bind $bind_words; words server $server_words; } | split -l 40 - "$T_TMP/chunk."
# a section's word without its value can end haproxy's parse: one a file
{ words listen $proxy_words; words global $global_words; } |
    split -l 1 -a 3 - "$T_TMP/chunk.l"
: >"$T_TMP/ha.unknown"; : >"$T_TMP/hp.unknown"
for c in $(ls "$T_TMP"/chunk.* | grep -v '\.cfg$'); do
	{
		printf 'defaults\n    mode tcp\n    timeout connect 1s\n'
		printf '    timeout client 1s\n    timeout server 1s\n'
		# line 6: the section the words on lines 7.. are in
		if grep -q '^global ' "$c"; then echo global; else echo "listen l"; fi
		awk '$1 == "bind" { print "    bind 127.0.0.1:1 " $2 }
		    $1 == "server" { print "    server s" NR " 127.0.0.1:2 " $2 }
		    $1 == "listen" || $1 == "global" { print "    " $2 }' "$c"
	} >"$c.cfg"
	haproxy -c -f "$c.cfg" 2>&1 |
	    sed -n 's/.*\.cfg:\([0-9]*\)\].*unknown keyword.*/\1/p' |
	    while read -r l; do sed -n "$((l - 6))p" "$c"; done >>"$T_TMP/ha.unknown"
	hashproxy -c -f "$c.cfg" 2>&1 |
	    sed -n -e 's/^hashproxy: error: [^:]*\.cfg:\([0-9]*\): .* not supported$/\1/p' \
	    -e 's/^hashproxy: error: [^:]*\.cfg:\([0-9]*\): .*"[^"]*": unknown keyword$/\1/p' |
	    while read -r l; do sed -n "$((l - 6))p" "$c"; done >>"$T_TMP/hp.unknown"
done
all=$(ls "$T_TMP"/chunk.* | grep -v '\.cfg$' | xargs cat | wc -l)
known=$((all - $(wc -l <"$T_TMP/ha.unknown")))
diag "haproxy 2.6 knows $known of the $all words; not: $(sort "$T_TMP/ha.unknown" | tr '\n' ',')"
ok "haproxy knows most of them (the lists are its words: $known)" test "$known" -gt 300
ok "hashproxy names unknown ones (curves, which haproxy 2.6 does not take on a server line either)" \
    grep -qx "server curves" "$T_TMP/hp.unknown"
is "$(sort "$T_TMP/hp.unknown" | comm -13 <(sort "$T_TMP/ha.unknown") - | tr '\n' ';')" "" \
    "every word haproxy takes in a global or listen section or on a server or bind line, hashproxy knows"
done_testing
