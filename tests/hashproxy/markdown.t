#!/bin/bash
# SPDX-License-Identifier: ISC
# on-marked-down shutdown-sessions and on-marked-up shutdown-backup-sessions
# (the Patroni pattern of contrib/pgwatch/haproxy-primary.cfg): a client's
# long-lived session is closed, both sides, when its server is marked
# down, or when an active server comes back while it sits on a backup.
# hashproxy and a real haproxy 2.6 run the same config side by side.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/hp.sh"

sp=$(free_port); cp=$(free_port); php=$(free_port); pha=$(free_port)
hp_backend a 127.0.0.11 "$sp"
hp_backend b 127.0.0.12 "$sp"
hp_backend a2 127.0.0.13 "$sp"
hp_backend b2 127.0.0.14 "$sp"

# chk NAME IP STATUS: the check endpoint on port $cp (pgwatch --http's
# role) answers STATUS; replaces the one running for NAME.
chk() {
	[ -n "${HP_BPID[chk$1]:-}" ] && hp_backend_kill "chk$1"
	"$HP_BACKEND" "chk$1" "$2" "$cp" "$3" >/dev/null 2>&1 &
	HP_BPID[chk$1]=$!
	cleanup_push "kill $!"
	wait_for 5 _hp_port_open "$2" "$cp"
}
chk a 127.0.0.11 200
chk b 127.0.0.12 503
chk a2 127.0.0.13 503

# cfg FILE PRIMARYPORT BACKUPPORT
cfg() {
	cat >"$1" <<EOC
defaults
    mode tcp
    timeout connect 1s
    timeout client 30m
    timeout server 30m
    timeout check 1s
listen pg_primary
    bind 127.0.0.1:$2
    option httpchk OPTIONS /primary
    http-check expect status 200
    default-server inter 200ms fall 2 rise 1 on-marked-down shutdown-sessions
    server a 127.0.0.11:$sp check port $cp
    server b 127.0.0.12:$sp check port $cp
listen api
    bind 127.0.0.1:$3
    option httpchk GET /
    default-server inter 200ms fall 2 rise 1
    server a2 127.0.0.13:$sp check port $cp on-marked-up shutdown-backup-sessions
    server b2 127.0.0.14:$sp check backup
EOC
}
bhp=$(free_port); bha=$(free_port)
cfg "$T_TMP/hp.cfg" "$php" "$bhp"
cfg "$T_TMP/ha.cfg" "$pha" "$bha"
ok "hashproxy -c accepts on-marked-down and on-marked-up" \
    hashproxy -c -f "$T_TMP/hp.cfg"
ok "so does haproxy -c" haproxy -c -f "$T_TMP/ha.cfg"
ok "hashproxy -c accepts contrib/pgwatch/haproxy-primary.cfg" \
    hashproxy -c -f "$T_TOP/contrib/pgwatch/haproxy-primary.cfg"
ok "hashproxy starts" hp_start "$T_TMP/hp.cfg"
ok "haproxy starts" ha_start "$T_TMP/ha.cfg"

ok "hashproxy: b (503) is down" wait_file_line 5 "$T_TMP/hp.ev" '^down backend=pg_primary server=b '
ok "haproxy: b is down" wait_for 5 stat_has "$T_TMP/ha.sock" '^pg_primary,b,.*,DOWN,'
ok "hashproxy: a2 (503) is down" wait_file_line 5 "$T_TMP/hp.ev" '^down backend=api server=a2 '
ok "haproxy: a2 is down" wait_for 5 stat_has "$T_TMP/ha.sock" '^api,a2,.*,DOWN,'

# open NAME PORT: a keep-alive client on fd NAME; prints who answered
exec 3<>"/dev/tcp/127.0.0.1/$php" 4<>"/dev/tcp/127.0.0.1/$pha"
exec 5<>"/dev/tcp/127.0.0.1/$bhp" 6<>"/dev/tcp/127.0.0.1/$bha"
cleanup_push "exec 3>&- 4>&- 5>&- 6>&-"
is "$(keepalive_get 3)" a "hashproxy: the client's session is on the primary a"
is "$(keepalive_get 4)" a "haproxy: the same"
is "$(keepalive_get 5)" b2 "hashproxy: with a2 down a session sits on the backup b2"
is "$(keepalive_get 6)" b2 "haproxy: the same"

# closed FD: the peer closed the connection (EOF, not a timeout)
closed() {
	local line rc=0
	read -r -t 10 -u "$1" line || rc=$?
	[ "$rc" -ne 0 ] && [ "$rc" -le 128 ]
}

# The primary is demoted, the standby promoted: their check answers swap.
chk a 127.0.0.11 503
chk b 127.0.0.12 200
ok "hashproxy: a is marked down" wait_file_line 10 "$T_TMP/hp.ev" '^down backend=pg_primary server=a '
ok "hashproxy closed the client's session on a" closed 3
ok "haproxy closed its session on a too" closed 4
like "$(cat "$T_TMP/hp.err")" 'server pg_primary/a: 1 session shut down \(on-marked-down' \
    "hashproxy logs the shutdown"
ok "hashproxy: b is up" wait_file_line 10 "$T_TMP/hp.ev" '^up backend=pg_primary server=b '
ok "haproxy: b is up" wait_for 10 stat_has "$T_TMP/ha.sock" '^pg_primary,b,.*,UP,'
exec 3<>"/dev/tcp/127.0.0.1/$php" 4<>"/dev/tcp/127.0.0.1/$pha"
is "$(keepalive_get 3)" b "hashproxy: a new session goes to the new primary"
is "$(keepalive_get 4)" b "haproxy: the same"

# The active server of "api" comes back: the backup's session goes.
chk a2 127.0.0.13 200
ok "hashproxy: a2 is up" wait_file_line 10 "$T_TMP/hp.ev" '^up backend=api server=a2 '
ok "hashproxy closed the session on the backup b2" closed 5
ok "haproxy closed its session on b2 too" closed 6
exec 5<>"/dev/tcp/127.0.0.1/$bhp" 6<>"/dev/tcp/127.0.0.1/$bha"
is "$(keepalive_get 5)" a2 "hashproxy: a new session goes to a2"
is "$(keepalive_get 6)" a2 "haproxy: the same"

# Without the keyword a session outlives its server's down mark (haproxy's
# default): only the servers that ask for it are shut.
chk a2 127.0.0.13 503
ok "hashproxy: a2 down again" wait_file_line 10 "$T_TMP/hp.ev" '^down backend=api server=a2 .*active=0'
is "$(keepalive_get 5)" a2 "hashproxy: a2's session stays (no on-marked-down)"
is "$(keepalive_get 6)" a2 "haproxy: the same"

nok "on-marked-down with another action is an error" hashproxy -c -f <(
	printf 'listen x\n bind 127.0.0.1:1\n server s 127.0.0.1:2 on-marked-down kill\n')
like "$(printf 'listen x\n bind 127.0.0.1:1\n server s 127.0.0.1:2 on-marked-up x\n' |
    hashproxy -c -f /dev/stdin 2>&1)" ':3: .*on-marked-up "x": should be shutdown-backup-sessions' \
    "the error names file:line and the keyword"
done_testing
