#!/bin/bash
# SPDX-License-Identifier: ISC
# option ssl-hello-chk: hashproxy and haproxy 2.6 side by side with the
# same config.  A TLS server (openssl s_server; it refuses the SSLv3
# hello with an alert, which is still TLS) is UP with L6OK; an HTTP
# server and a server that never answers are DOWN (L6RSP, L6TOUT).  The
# option was refused before.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/hp.sh"
command -v haproxy >/dev/null || cannot_run "haproxy is not installed"
command -v openssl >/dev/null || cannot_run "no openssl (tests/lib/deps.sh)"

CHK="$T_TOP/tests/hashproxy/chkserver.py"
tp=$(free_port)
openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=sslhello \
    -keyout "$T_TMP/key.pem" -out "$T_TMP/cert.pem" >/dev/null 2>&1 ||
    bail "openssl cannot make a certificate"
openssl s_server -accept "127.0.0.61:$tp" -cert "$T_TMP/cert.pem" \
    -key "$T_TMP/key.pem" -quiet </dev/null >"$T_TMP/s_server.log" 2>&1 &
cleanup_push "kill $!"
python3 "$CHK" 127.0.0.62 "$tp" reply 'HTTP/1.0 400 Bad request\r\n\r\n' >/dev/null 2>&1 &
cleanup_push "kill $!"
python3 "$CHK" 127.0.0.63 "$tp" mute >/dev/null 2>&1 &
cleanup_push "kill $!"
wait_for 30 _hp_port_open 127.0.0.61 "$tp" || bail "s_server does not listen"
wait_for 30 _hp_port_open 127.0.0.62 "$tp"
wait_for 30 _hp_port_open 127.0.0.63 "$tp"

cfg() {
	cat <<EOC
defaults
    mode tcp
    timeout connect 2s
    timeout client 5s
    timeout server 5s
    timeout check 1s
    default-server inter 300ms rise 1 fall 1
listen tls
    bind 127.0.0.1:$1
    option ssl-hello-chk
    server tls 127.0.0.61:$tp check
    server http 127.0.0.62:$tp check
    server mute 127.0.0.63:$tp check
EOC
}
hp_cfgs 1
hp_both_start

# st SOCKET: "server status check_status" for each server, on one line
st() { srv_now "$1" tls | tr '\n' ' '; }
# st_is SOCKET: st is $want; the checks read the reading the wait held
# on (in $T_TMP/st), not a new one taken while a check may be ending
st_is() { st "$1" >"$T_TMP/st"; [ "$(cat "$T_TMP/st")" = "$want" ]; }
want="http DOWN L6RSP mute DOWN L6TOUT tls UP L6OK "
wait_for 60 st_is "$T_TMP/ha.sock"
is "$(cat "$T_TMP/st")" "$want" "haproxy: TLS up, HTTP and mute down"
wait_for 60 st_is "$T_TMP/hp.sock"
is "$(cat "$T_TMP/st")" "$want" "hashproxy: the same states and check statuses"
like "$(grep '^down backend=tls server=http ' "$T_TMP/hp.ev")" \
    'reason="Layer6 invalid response' "the HTTP server's down line says why"

bad() { printf 'listen x\n bind 127.0.0.1:1\n %s\n server s 127.0.0.1:2 check\n' "$1" >"$T_TMP/bad.cfg"
	hashproxy -c -f "$T_TMP/bad.cfg" 2>&1; }
like "$(bad 'option ssl-hello-chk x')" 'bad.cfg:3: .*option ssl-hello-chk: no argument expected' \
    "an argument is an error"
done_testing
