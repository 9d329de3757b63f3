#!/bin/bash
# SPDX-License-Identifier: ISC
# Numbers are whole or refused: "12abc" is not 12, on the command line or
# in a file (lib/strnum.c), and a file haproxy refuses for it is refused
# with file:line.
. "$(dirname "$0")/../lib/tap.sh"

cfg=$T_TMP/h.cfg
cat >"$cfg" <<'EOC'
defaults
    mode tcp
    timeout connect 1s
    timeout client 5s
    timeout server 5s
frontend f
    bind 127.0.0.1:1 id 12abc
    default_backend b
backend b
    server s 127.0.0.1:2
EOC
exit_is 1 "haproxy -c refuses bind ... id 12abc" haproxy -c -q -f "$cfg"
like "$(haproxy -c -f "$cfg" 2>&1)" "h.cfg:7\] .*'id' : expects an integer argument, found '12abc'" \
    "haproxy names file:line"
exit_is 2 "so does hashproxy -c" hashproxy -c -f "$cfg"
like "$(hashproxy -c -f "$cfg" 2>&1)" \
    "error: $cfg:7: frontend f: bind option \"id\" \"12abc\": a positive integer expected \(invalid\)" \
    "with file:line and the keyword"
for v in 0 -3; do
	sed -i "s/ id .*/ id $v/" "$cfg"
	exit_is 1 "haproxy refuses bind ... id $v" haproxy -c -q -f "$cfg"
	exit_is 2 "so does hashproxy" hashproxy -c -f "$cfg"
done
sed -i "s/ id .*/ id/" "$cfg"
exit_is 1 "haproxy refuses bind ... id without a value" haproxy -c -q -f "$cfg"
like "$(hashproxy -c -f "$cfg" 2>&1)" "$cfg:7: .*bind option \"id\" \"\": a positive integer expected \(missing\)" \
    "so does hashproxy, with file:line"
sed -i "s/ id\$/ id 12/" "$cfg"
exit_is 0 "haproxy takes bind ... id 12" haproxy -c -q -f "$cfg"
exit_is 0 "so does hashproxy" hashproxy -c -f "$cfg"

# the command line: what atoi() read as 12 and 2 is refused
exit_is 2 "--maxconn 12abc is refused" hashproxy -c --maxconn 12abc -f "$cfg"
like "$(hashproxy -c --maxconn 12abc -f "$cfg" 2>&1)" \
    "--maxconn \"12abc\": should be a positive number \(invalid\)" "and named"
exit_is 2 "--maxconn past an int is refused, not wrapped" \
    hashproxy -c --maxconn 99999999999 -f "$cfg"
exit_is 0 "--maxconn 12 is taken" hashproxy -c --maxconn 12 -f "$cfg"
exit_is 2 "--threads 2abc is refused" hashproxy -c --threads 2abc -f "$cfg"
like "$(hashproxy -c --threads 2abc -f "$cfg" 2>&1)" \
    "--threads \"2abc\": should be 1\.\.[0-9]+ \(invalid\)" "and named"
exit_is 0 "--threads 2 is taken" hashproxy -c --threads 2 -f "$cfg"
done_testing
