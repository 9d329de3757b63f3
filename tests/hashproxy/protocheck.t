#!/bin/bash
# SPDX-License-Identifier: ISC
# option pgsql-check and option mysql-check against a real PostgreSQL and
# a real MariaDB, hashproxy and haproxy 2.6 side by side with the same
# config: the same servers up and down with the same check status.  A
# port that accepts TCP but does not speak the protocol is down (it was
# a plain connect check, or refused, before).
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/hp.sh"
. "$T_TOP/tests/lib/pg.sh"
needs_root
[ -x "$PG_BIN/initdb" ] || cannot_run "no PostgreSQL server (tests/lib/deps.sh)"
command -v mariadbd >/dev/null || cannot_run "no mariadb-server (tests/lib/deps.sh)"

CHK="$T_TOP/tests/hashproxy/chkserver.py"
pp=$(free_port); mp=$(free_port)

# PostgreSQL on 127.0.0.51: one user per authentication method
PG_DIR="$T_TMP/pg"; pgd="$PG_DIR/data"
mkdir -p "$PG_DIR" && chown postgres "$PG_DIR" && chmod 700 "$PG_DIR"
cleanup_push "_pg_ctl '$pgd' -m immediate stop"
pg_initdb "$pgd" || bail "initdb failed"
cat >>"$pgd/postgresql.conf" <<EOC
port = $pp
listen_addresses = '127.0.0.51'
unix_socket_directories = '$PG_DIR'
fsync = off
shared_buffers = 16MB
max_connections = 20
password_encryption = md5
EOC
cat >"$pgd/pg_hba.conf" <<EOC
local all all trust
host all hacheck 127.0.0.1/8 trust
host all md5user 127.0.0.1/8 md5
host all scramuser 127.0.0.1/8 scram-sha-256
host all all 127.0.0.1/8 reject
EOC
_pg_ctl "$pgd" -w -t 60 start || bail "postgres does not start"

# MariaDB on 127.0.0.52: a user without a password, as haproxy's doc says
myd="$T_TMP/my"
mariadb-install-db --no-defaults --datadir="$myd" --user=root \
    --skip-test-db >"$T_TMP/my-install.log" 2>&1 || bail "mariadb-install-db failed"
mariadbd --no-defaults --datadir="$myd" --user=root --port="$mp" \
    --bind-address=127.0.0.52 --socket="$T_TMP/my.sock" \
    --pid-file="$T_TMP/my.pid" --skip-log-bin --innodb-buffer-pool-size=8M \
    >"$T_TMP/my.log" 2>&1 &
cleanup_push "kill $!"
# answering, not only its socket made (a fresh run failed its CREATE USER
# once, load 6, without a word kept: now the reasons are shown)
my() { mariadb --no-defaults -S "$T_TMP/my.sock" -u root -e "$1"; }
if ! wait_for 60 my "SELECT 1"; then
	diag "$(tail -5 "$T_TMP/my.log")"
	bail "mariadbd does not answer"
fi
if ! my "CREATE USER 'hacheck'@'127.0.0.1'" 2>"$T_TMP/my-user.err"; then
	diag "$(cat "$T_TMP/my-user.err"; tail -5 "$T_TMP/my.log")"
	bail "cannot create the check user"
fi

# not a database: an HTTP-ish answer, and nothing at all
python3 "$CHK" 127.0.0.53 "$pp" reply 'HTTP/1.0 400 Bad request\r\n\r\n' >/dev/null 2>&1 &
cleanup_push "kill $!"
python3 "$CHK" 127.0.0.53 "$mp" greet 'SSH-2.0-OpenSSH_9.2\r\n' >/dev/null 2>&1 &
cleanup_push "kill $!"
wait_for 30 _hp_port_open 127.0.0.53 "$pp"
wait_for 30 _hp_port_open 127.0.0.53 "$mp"

cfg() {
	cat <<EOC
defaults
    mode tcp
    timeout connect 2s
    timeout check 4s
    default-server inter 500ms rise 1 fall 2
listen pg_trust
    bind 127.0.0.1:$1
    option pgsql-check user hacheck
    server pg 127.0.0.51:$pp check
    server notpg 127.0.0.53:$pp check
listen pg_md5
    bind 127.0.0.1:$2
    option pgsql-check user md5user
    server pg 127.0.0.51:$pp check
listen pg_scram
    bind 127.0.0.1:$3
    option pgsql-check user scramuser
    server pg 127.0.0.51:$pp check
listen pg_reject
    bind 127.0.0.1:$4
    option pgsql-check user nobody
    server pg 127.0.0.51:$pp check
listen my_user
    bind 127.0.0.1:$5
    option mysql-check user hacheck
    server my 127.0.0.52:$mp check
    server notmy 127.0.0.53:$mp check
listen my_nouser
    bind 127.0.0.1:$6
    option mysql-check
    server my 127.0.0.52:$mp check
listen my_denied
    bind 127.0.0.1:$7
    option mysql-check user nobody
    server my 127.0.0.52:$mp check
listen my_pre41
    bind 127.0.0.1:$8
    option mysql-check user hacheck pre-41
    server my 127.0.0.52:$mp check
EOC
}
hp_cfgs 8
hp_both_start

pxs=(pg_trust pg_md5 pg_scram pg_reject my_user my_nouser my_denied my_pre41)
# generous: the machine may be loaded, and a timeout takes 6s
srv_same_check 90 "the same state and check status as haproxy" "${pxs[@]}"
# hashproxy's snapshot that agreed with haproxy's, not a new one
is "$(srv_states "$T_TMP/hp.st" pg_trust | tr '\n' ' ')" "notpg DOWN L7STS pg UP L7OK " \
    "pgsql-check: postgres is up, a port that is not postgres is down"
like "$(grep '^up backend=pg_trust server=pg ' "$T_TMP/hp.ev")$(srv_states "$T_TMP/hp.st" pg_trust)" \
    'pg UP L7OK' "a trusted user: AuthenticationOk"
is "$(srv_states "$T_TMP/hp.st" pg_md5)" "pg UP L7OK" "an md5 challenge is up (as haproxy)"
is "$(srv_states "$T_TMP/hp.st" pg_scram)" "pg UP L7OK" "a SCRAM challenge is up (as haproxy 2.6)"
like "$(grep '^down backend=pg_reject server=pg ' "$T_TMP/hp.ev")" \
    'reason="Layer7 invalid response, info: FATAL' "an ErrorResponse: L7RSP with its severity"
is "$(srv_states "$T_TMP/hp.st" my_user | tr '\n' ' ')" "my UP L7OK notmy DOWN L7TOUT " \
    "mysql-check: mariadb is up, an SSH port is down (its banner reads as a huge packet)"
like "$(grep '^down backend=my_denied server=my ' "$T_TMP/hp.ev")" \
    'reason="Layer7 wrong status, code: 1045, info: Access denied' \
    "an unknown user: the server's error code and message"
ok "mysql-check without a user: the greeting is enough" \
    wait_for 5 sh -c "! grep -q '^down backend=my_nouser ' '$T_TMP/hp.ev'"

bad() { printf 'listen x\n bind 127.0.0.1:1\n %s\n server s 127.0.0.1:2 check\n' "$1" >"$T_TMP/bad.cfg"
	hashproxy -c -f "$T_TMP/bad.cfg" 2>&1; }
like "$(bad 'option pgsql-check')" 'bad.cfg:3: .*option pgsql-check: user NAME expected' \
    "pgsql-check needs a user, as in haproxy"
like "$(bad 'option mysql-check user x post-42')" 'bad.cfg:3: .*"post-42": should be post-41 or pre-41' \
    "mysql-check's version word"
done_testing
