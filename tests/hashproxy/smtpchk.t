#!/bin/bash
# SPDX-License-Identifier: ISC
# option smtpchk [EHLO|HELO DOMAIN] beside haproxy 2.6 on the same
# servers: a banner, HELO (or EHLO) and QUIT answered with a 2xx code
# are up; a server that greets with an error, refuses HELO or QUIT, or
# is not SMTP at all is down with haproxy's status, code and text.  The
# option was refused before.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/hp.sh"
needs_root

SMTP="$T_TOP/tests/hashproxy/smtpsrv.py"
sp=$(free_port)

# smtp IP BANNER HELO-REPLY QUIT-REPLY [LOG]: a smtpsrv.py server
smtp() {
	local ip=$1; shift
	python3 "$SMTP" "$ip" "$sp" "$@" >/dev/null 2>&1 &
	cleanup_push "kill $!"
	wait_for 30 _hp_port_open "$ip" "$sp"
}
smtp 127.0.0.71 '220 mx ESMTP ready\r\n' '250-mx hello\r\n250 SIZE 1000\r\n' '221 bye\r\n'
smtp 127.0.0.72 '554 no service here\r\n' '250 hi\r\n' '221 bye\r\n'
smtp 127.0.0.73 '220 mx ready\r\n' '501 bad domain\r\n\c' '221 bye\r\n'
smtp 127.0.0.74 '220 mx ready\r\n' '250 hi\r\n' '500 no quitting\r\n'
smtp 127.0.0.75 '220 mx ready\r\n' '250 hi\r\n' '\c'
smtp 127.0.0.76 '220-mx hello\r\n220 ready\r\n' '250 hi\r\n' '221 bye\r\n'
smtp 127.0.0.77 '220 mx ready\r\n' '250 hi\r\n' '221-bye\r\n221 really\r\n'
smtp 127.0.0.78 '220 mx ready\r\n' '501-bad\r\n501 bad domain\r\n' '221 bye\r\n'
smtp 127.0.0.79 'SSH-2.0-OpenSSH_9.2\r\n' '250 hi\r\n' '221 bye\r\n'
# one for each proxy's EHLO check: what each server read is compared
smtp 127.0.0.81 '220 mx ready\r\n' '250 hi\r\n' '221 bye\r\n' "$T_TMP/hp.smtp"
smtp 127.0.0.82 '220 mx ready\r\n' '250 hi\r\n' '221 bye\r\n' "$T_TMP/ha.smtp"

# cfg PORT PORT EHLO-SERVER-IP
cfg() {
	cat <<EOC
defaults
    mode tcp
    timeout connect 2s
    timeout client 10s
    timeout server 10s
    timeout check 1s
    default-server inter 300ms rise 1 fall 1
listen smtp
    bind 127.0.0.1:$1
    option smtpchk
    server ok 127.0.0.71:$sp check
    server badbanner 127.0.0.72:$sp check
    server badhelo 127.0.0.73:$sp check
    server badquit 127.0.0.74:$sp check
    server noquit 127.0.0.75:$sp check
    server multibanner 127.0.0.76:$sp check
    server multiquit 127.0.0.77:$sp check
    server multierr 127.0.0.78:$sp check
    server ssh 127.0.0.79:$sp check
listen ehlo
    bind 127.0.0.1:$2
    option smtpchk EHLO mail.example.org
    server ok $3:$sp check
EOC
}
p1=$(free_port) p2=$(free_port) p3=$(free_port) p4=$(free_port)
cfg "$p1" "$p2" 127.0.0.81 >"$T_TMP/hp.cfg"
cfg "$p3" "$p4" 127.0.0.82 >"$T_TMP/ha.cfg"
hp_both_start

srv_same_check 60 "the same state and check status as haproxy" smtp ehlo

ok "every server's check has ended once in both proxies" wait_for 30 srv_done smtp \
    ok badbanner badhelo badquit noquit multibanner multiquit multierr ssh
is "$(srv_done_rows SRV_OURS)" "$(srv_done_rows SRV_THEIRS)" \
    "show stat: the same check_code and last_chk as haproxy for every server"
is "$(srv_done_rows SRV_OURS)" \
    "badbanner DOWN L7STS 554 no service here|badhelo DOWN L7STS 501 bad domain|badquit DOWN L7STS 500 no quitting|multibanner DOWN L7RSP  220-mx hello|multierr DOWN L7TOUT  |multiquit UP L7OK 221 bye|noquit DOWN L7STS 0 TCPCHK got an empty response at step 7|ok UP L7OK 221 bye|ssh DOWN L7RSP  SSH-2.0-OpenSSH_9.2|" \
    "each server's status, code and text, as haproxy 2.6.12 showed them"
like "$(grep '^down backend=smtp server=badbanner ' "$T_TMP/hp.ev")" \
    'reason="Layer7 wrong status, code: 554, info: no service here, ' \
    "the down event says the banner's code and text"
like "$(grep '^down backend=smtp server=ssh ' "$T_TMP/hp.ev")" \
    'reason="Layer7 invalid response, info: SSH-2.0-OpenSSH_9.2, ' \
    "a banner that is no SMTP reply: invalid response, the banner its text"

# both servers read the same bytes: EHLO with its domain, then QUIT
ok "hashproxy's checks said EHLO" wait_for 10 grep -q '^EHLO' "$T_TMP/hp.smtp"
is "$(head -c 60 "$T_TMP/hp.smtp" | od -c)" "$(head -c 60 "$T_TMP/ha.smtp" | od -c)" \
    "the server reads from hashproxy what it reads from haproxy"
is "$(head -2 "$T_TMP/hp.smtp" | od -An -c | tr -s ' ')" \
    "$(printf 'EHLO mail.example.org\r\nQUIT\r\n' | od -An -c | tr -s ' ')" \
    "EHLO mail.example.org, QUIT"

bad() { printf 'listen x\n bind 127.0.0.1:1\n %s\n server s 127.0.0.1:2 check\n' "$1" >"$T_TMP/bad.cfg"
	hashproxy -c -f "$T_TMP/bad.cfg" 2>&1; }
like "$(bad 'option smtpchk EHLO a b')" 'bad.cfg:3: .*option smtpchk: \[EHLO|HELO DOMAIN\] expected' \
    "at most two words after smtpchk, as in haproxy"
ok "haproxy takes the same words" haproxy -c -q -f <(printf 'defaults\n mode tcp\n timeout client 1s\n timeout server 1s\n timeout connect 1s\nlisten x\n bind 127.0.0.1:1\n option smtpchk ehlo x\n server s 127.0.0.1:2 check\n')
ok "hashproxy takes \"ehlo x\" too (haproxy then says HELO localhost)" \
    hashproxy -c -f <(printf 'listen x\n bind 127.0.0.1:1\n option smtpchk ehlo x\n server s 127.0.0.1:2 check\n') 2>/dev/null
done_testing
