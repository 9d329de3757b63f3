#!/bin/bash
# SPDX-License-Identifier: ISC
# hashproxy -c and the command line: exit codes, file:line messages.
. "$(dirname "$0")/../lib/tap.sh"

cfg=$T_TMP/h.cfg

exit_is 0 "the seed's config (contrib) checks" \
    hashproxy -c -f "$T_TOP/contrib/hashproxy/haproxy.cfg.seed"
out=$(hashproxy -c -f "$T_TOP/contrib/hashproxy/haproxy.cfg.seed" 2>&1)
like "$out" "notice: .*haproxy.cfg.seed:8: frontend maas: option http-server-close: ignored \(HTTP-only" \
    "http-server-close: one notice with file:line"
like "$out" "notice: .*haproxy.cfg.seed:4: frontend maas: 'retries 3' and 'option redispatch' applied to backend maas" \
    "frontend retries/redispatch: one notice line"

cat >"$cfg" <<'EOC'
frontend f
    bind *:80
    option forwardfor
    mode http
    default_backend b
backend b
    balance uri
    server s 192.0.2.1:80 check inter x
EOC
exit_is 2 "a config with errors exits 2" hashproxy -c -f "$cfg"
out=$(hashproxy -c -f "$cfg" 2>&1)
like "$out" "h.cfg:3: frontend f: option forwardfor: not supported in mode http" "forwardfor: error at line 3"
like "$out" "h.cfg:7: backend b: balance \"uri\": not supported" "balance uri: error at line 7"
like "$out" "h.cfg:8: backend b: inter \"x\": not a duration" "bad inter: error at line 8"
like "$out" "3 errors" "all errors in one run"

printf 'frontend f\n bind *:80\n default_backend b\nbackend b\n server s no-such-host.invalid:80\n' >"$cfg"
# no_dns: the name fails from /etc/hosts, no DNS query leaves the machine
exit_is 2 "an unresolvable host name exits 2" no_dns hashproxy -c -f "$cfg"
like "$(no_dns hashproxy -c -f "$cfg" 2>&1)" "h.cfg:5: \"no-such-host.invalid\"" "named with file:line"

exit_is 2 "a missing file exits 2" hashproxy -c -f "$T_TMP/none.cfg"
exit_is 2 "an unknown option exits 2" hashproxy --frob
exit_is 2 "a bad --hash exits 2" hashproxy --hash nope -c -f "$cfg"
exit_is 0 "--help exits 0" hashproxy --help
like "$(hashproxy -V)" "^hashproxy \(hatools\) [0-9]" "--version"
# with several -f, a missing-timeout warning names the file the proxy is in
printf 'frontend f\n    bind 127.0.0.1:1\n    default_backend b\n' > "$T_TMP/w1.cfg"
printf '\nbackend b\n    server s 127.0.0.1:2\n' > "$T_TMP/w2.cfg"
warn=$(hashproxy -c -f "$T_TMP/w1.cfg" -f "$T_TMP/w2.cfg" 2>&1)
like "$warn" "warning: $T_TMP/w1.cfg:1: frontend f: missing timeout client" \
    "several -f: the frontend's warning names its file"
like "$warn" "warning: $T_TMP/w2.cfg:2: backend b: missing timeout connect" \
    "several -f: the backend's warning names its own file, not the first"
# a listen section is a "proxy" in haproxy's warning and in ours
printf 'listen l\n    bind 127.0.0.1:1\n    server s 127.0.0.1:2\nfrontend f\n    bind 127.0.0.1:3\n    default_backend b\nbackend b\n    server s 127.0.0.1:2\n' > "$T_TMP/w3.cfg"
warn=$(hashproxy -c -f "$T_TMP/w3.cfg" 2>&1)
hawarn=$(haproxy -c -f "$T_TMP/w3.cfg" 2>&1)
like "$hawarn" "missing timeouts for proxy 'l'" "listen: haproxy says proxy"
like "$warn" "warning: $T_TMP/w3.cfg:1: proxy l: missing timeout client" \
    "listen: our warning says proxy too"
nok "listen: never frontend l or backend l" grep -q "frontend l\|backend l" <<<"$warn"
like "$hawarn" "missing timeouts for frontend 'f'" "frontend: haproxy says frontend"
like "$warn" "w3.cfg:4: frontend f: missing timeout client" "frontend: so do we"
like "$warn" "w3.cfg:7: backend b: missing timeout connect" "backend: so do we"
done_testing
