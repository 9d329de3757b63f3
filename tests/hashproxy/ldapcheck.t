#!/bin/bash
# SPDX-License-Identifier: ISC
# option ldap-check beside haproxy 2.6 on the same servers: two real
# slapd (one takes anonymous binds, one refuses them) and test servers
# that answer the bind as RFC 4511 encodes it: success, an error code,
# Active Directory's long lengths, another message's answer, a cut
# reply, none, and a server that is not LDAP.  hashproxy shows what
# haproxy shows (status, code, text); the option was refused before.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/hp.sh"
needs_root
command -v slapd >/dev/null || [ -x /usr/sbin/slapd ] ||
    cannot_run "no slapd (tests/lib/deps.sh)"
SLAPD=$(command -v slapd || echo /usr/sbin/slapd)

LDAP="$T_TOP/tests/hashproxy/ldapsrv.py"
CHK="$T_TOP/tests/hashproxy/chkserver.py"
lp=$(free_port)

# slapd IP NAME [CONF-LINE]: a slapd without a database (a bind needs none)
slapd() {
	local d="$T_TMP/$2"
	mkdir -p "$d"
	printf 'pidfile %s/pid\nargsfile %s/args\n%s\n' "$d" "$d" "${3:-}" >"$d/slapd.conf"
	"$SLAPD" -f "$d/slapd.conf" -h "ldap://$1:$lp/" -d 0 >"$d/log" 2>&1 &
	cleanup_push "kill $!"
	wait_for 30 _hp_port_open "$1" "$lp" || bail "slapd $2 does not start"
}
slapd 127.0.0.91 anon
slapd 127.0.0.92 noanon 'disallow bind_anon'

# srv IP PROG MODE...: a test server
srv() {
	local ip=$1 prog=$2; shift 2
	python3 "$prog" "$ip" "$lp" "$@" >/dev/null 2>&1 &
	cleanup_push "kill $!"
	wait_for 30 _hp_port_open "$ip" "$lp"
}
srv 127.0.0.93 "$LDAP" 0
srv 127.0.0.94 "$LDAP" 49
srv 127.0.0.95 "$LDAP" long
srv 127.0.0.96 "$LDAP" otherid
srv 127.0.0.97 "$LDAP" short
srv 127.0.0.98 "$LDAP" close
srv 127.0.0.99 "$CHK" reply 'HTTP/1.0 400 Bad request\r\n\r\n'

cfg() {
	cat <<EOC
defaults
    mode tcp
    timeout connect 2s
    timeout client 10s
    timeout server 10s
    timeout check 1s
    default-server inter 300ms rise 1 fall 1
listen ldap
    bind 127.0.0.1:$1
    option ldap-check
    server slapd 127.0.0.91:$lp check
    server noanon 127.0.0.92:$lp check
    server ok 127.0.0.93:$lp check
    server invalid 127.0.0.94:$lp check
    server ad 127.0.0.95:$lp check
    server otherid 127.0.0.96:$lp check
    server short 127.0.0.97:$lp check
    server silent 127.0.0.98:$lp check
    server http 127.0.0.99:$lp check
EOC
}
hp_cfgs 1
hp_both_start

srv_same_check 60 "the same state and check status as haproxy" ldap

ok "every server's check has ended once in both proxies" wait_for 30 srv_done ldap \
    ad http invalid noanon ok otherid short silent slapd
is "$(srv_done_rows SRV_OURS)" "$(srv_done_rows SRV_THEIRS)" \
    "show stat: the same check_code and last_chk as haproxy for every server"
rfc='See RFC: http://tools.ietf.org/html/rfc4511#section-4.1.9'
is "$(srv_done_rows SRV_OURS)" \
    "ad UP L7OK 0 |http DOWN L7RSP  Not LDAPv3 protocol|invalid DOWN L7STS 49 $rfc|noanon DOWN L7STS 48 $rfc|ok UP L7OK 0 |otherid DOWN L7RSP  Not LDAPv3 protocol|short DOWN L7RSP  |silent DOWN L7RSP  TCPCHK got an empty response at step 2|slapd UP L7OK 0 |" \
    "each server's status, code and text, as haproxy 2.6.12 showed them"
like "$(grep '^down backend=ldap server=noanon ' "$T_TMP/hp.ev")" \
    'reason="Layer7 wrong status, code: 48, info: See RFC' \
    "slapd refusing an anonymous bind: its resultCode in the down event"

bad() { printf 'listen x\n bind 127.0.0.1:1\n %s\n server s 127.0.0.1:2 check\n' "$1" >"$T_TMP/bad.cfg"
	hashproxy -c -f "$T_TMP/bad.cfg" 2>&1; }
like "$(bad 'option ldap-check x')" 'bad.cfg:3: .*option ldap-check: no argument expected' \
    "ldap-check takes no argument"
done_testing
