#!/bin/bash
# SPDX-License-Identifier: ISC
# Environment variables in addresses, unquoted, as docker and Kubernetes
# templates write them ("bind *:$PORT", "server db ${DB_HOST}:5432"):
# haproxy 2.6 expands $NAME and ${NAME} in every address it parses
# (str2sa_range), quotes or not.  The same file to haproxy -c and
# hashproxy -c, then hashproxy running it: a client reaches the server
# the variables name through the address they name.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/hp.sh"

command -v haproxy >/dev/null || cannot_run "haproxy is not installed"
command -v curl >/dev/null || cannot_run "curl is not installed"

sp=$(free_port)
hp_backend one 127.0.0.61 "$sp"
fp=$(free_port)
fp2=$(free_port)

export HPT_ADDR=127.0.0.1 HPT_PORT=$fp HPT_PORT2=$fp2 HPT_NSPORT=$(free_port)
export HPT_SRV=127.0.0.61 HPT_SPORT=$sp HPT_SRVPORT=127.0.0.61:$sp
unset HPT_UNSET
cat >"$T_TMP/cfg" <<'EOF'
defaults
    mode tcp
    timeout connect 2s
    timeout client 30s
    timeout server 30s

resolvers dns
    nameserver ns1 ${HPT_ADDR}:$HPT_NSPORT

frontend fe
    bind ${HPT_ADDR}:$HPT_PORT
    bind 127.0.0.1:${HPT_UNSET}${HPT_PORT2}
    default_backend be

backend be
    server one ${HPT_SRV}:${HPT_SPORT} check addr $HPT_SRV
    server two $HPT_SRVPORT check
    server three ${HPT_SRV}:$HPT_SPORT source $HPT_ADDR check
EOF

out=$(haproxy -c -f "$T_TMP/cfg" 2>&1)
is "$?" 0 "haproxy 2.6 takes unquoted variables in bind, server, addr, source and nameserver addresses" ||
    diag "$out"
out=$(hashproxy -c -f "$T_TMP/cfg" 2>&1)
is "$?" 0 "hashproxy takes them too" || diag "$out"

hp_start "$T_TMP/cfg"
is "$(curl -sf --max-time 5 "http://127.0.0.1:$fp/")" one \
    "a client at \${HPT_ADDR}:\$HPT_PORT reaches the server \${HPT_SRV}:\${HPT_SPORT}"
is "$(curl -sf --max-time 5 "http://127.0.0.1:$fp2/")" one \
    "an unset variable is empty, as in haproxy: 127.0.0.1:\${HPT_UNSET}\${HPT_PORT2} is port $fp2"

# a value does not fit: refused with file:line, not cut
export HPT_LONG=$(printf '%0300d' 0)
printf 'listen l\n    bind ${HPT_LONG}:1\n' >"$T_TMP/long.cfg"
out=$(hashproxy -c -f "$T_TMP/long.cfg" 2>&1)
is "$?" 2 "an address longer than hashproxy takes after expansion is refused"
like "$out" "long.cfg:2: .*bind" "with file:line"
done_testing
