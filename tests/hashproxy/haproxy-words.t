#!/bin/bash
# SPDX-License-Identifier: ISC
# What a real haproxy 2.6 takes on a server or bind line, hashproxy does
# not call unknown: it implements the word, ignores it with a notice
# saying why, or refuses it saying why.  The words are haproxy 2.6's
# (configuration.txt, 5.1 and 5.2, and the no-/force- forms); haproxy -c
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

# one line per word, 40 words a file: haproxy -c stops at 50 errors
# (a word without its value is one); unknown: the words each program
# calls unknown (haproxy: "unknown keyword"; hashproxy: an error without
# a reason in parentheses)
words() {	# KIND WORD...: "KIND WORD" lines
	local k=$1 w; shift
	for w in "$@"; do echo "$k $w"; done
}
{ words bind $bind_words; words server $server_words; } | split -l 40 - "$T_TMP/chunk."
: >"$T_TMP/ha.unknown"; : >"$T_TMP/hp.unknown"
for c in "$T_TMP"/chunk.*; do
	{
		printf 'defaults\n    mode tcp\n    timeout connect 1s\n'
		printf '    timeout client 1s\n    timeout server 1s\nlisten l\n'
		awk '$1 == "bind" { print "    bind 127.0.0.1:1 " $2 }
		    $1 == "server" { print "    server s" NR " 127.0.0.1:2 " $2 }' "$c"
	} >"$c.cfg"
	haproxy -c -f "$c.cfg" 2>&1 |
	    sed -n 's/.*w*\.cfg:\([0-9]*\)\].*unknown keyword.*/\1/p' |
	    while read -r l; do sed -n "$((l - 6))p" "$c"; done >>"$T_TMP/ha.unknown"
	hashproxy -c -f "$c.cfg" 2>&1 |
	    sed -n 's/^hashproxy: error: [^:]*\.cfg:\([0-9]*\): .* not supported$/\1/p' |
	    while read -r l; do sed -n "$((l - 6))p" "$c"; done >>"$T_TMP/hp.unknown"
done
all=$(cat "$T_TMP"/chunk.?? | wc -l)
known=$((all - $(wc -l <"$T_TMP/ha.unknown")))
diag "haproxy 2.6 knows $known of the $all words; not: $(sort "$T_TMP/ha.unknown" | tr '\n' ',')"
ok "haproxy knows most of them (the list is its words: $known)" test "$known" -gt 150
ok "hashproxy names unknown ones (curves, which haproxy 2.6 does not take on a server line either)" \
    grep -qx "server curves" "$T_TMP/hp.unknown"
is "$(sort "$T_TMP/hp.unknown" | comm -13 <(sort "$T_TMP/ha.unknown") - | tr '\n' ';')" "" \
    "every word haproxy takes on a server or bind line, hashproxy knows"
done_testing
