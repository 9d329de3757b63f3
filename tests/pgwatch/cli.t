#!/bin/bash
# SPDX-License-Identifier: ISC
# pgwatch's command line without a database: usage errors, bad conninfo,
# the password warning, a refused port and a port that accepts and never
# speaks (our own deadline honoured, not libpq's 2 s rounding).
. "$(dirname "$0")/../lib/tap.sh"

out=$(pgwatch --help 2>&1)
like "$out" '^usage: pgwatch' "--help prints usage"
exit_is 0 "--help" pgwatch --help
like "$(pgwatch --version)" '^pgwatch \(hatools\) [0-9]' "--version"
exit_is 64 "no CONNINFO" pgwatch
exit_is 64 "unknown option" pgwatch --frobnicate x
exit_is 64 "--warning-lag without --nagios" pgwatch --warning-lag 1MB x
exit_is 3 "usage error under --nagios is UNKNOWN" pgwatch --nagios --max-lag 5x x
# "--" ends the options, as getopt has it: a "--nagios" after it is a
# conninfo, so a usage error stays 64 on stderr, not the plugin's UNKNOWN
exit_is 64 "--nagios after -- is an operand" pgwatch --frobnicate -- x --nagios 2>/dev/null
is "$(pgwatch --frobnicate -- x -n 2>/dev/null)" "" "and no UNKNOWN line on stdout"
err=$(pgwatch --max-lag 16XB 'host=x' 2>&1 >/dev/null)
like "$err" 'max-lag "16XB": unknown unit "XB"' "bad size names the value"
err=$(pgwatch --expect primary,standby 'host=a' 'host=b' 'host=c' 2>&1 >/dev/null)
like "$err" '--expect: 2 roles for 3 hosts' "--expect count must match"
exit_is 64 "--expect mismatch" pgwatch --expect primary,standby a b c
exit_is 64 "--pidfile without --watch" pgwatch --pidfile "$T_TMP/p.pid" 'host=x'
# --metrics implies --watch, so it takes --pidfile: the refusal says so
err=$(pgwatch --pidfile "$T_TMP/p.pid" 'host=x' 2>&1 >/dev/null)
like "$err" '--pidfile only with --watch, --http or --metrics' \
    "--pidfile's refusal names every option it goes with"
mport=$(free_port)
pgwatch --metrics "127.0.0.1:$mport" --pidfile "$T_TMP/m.pid" \
    'host=127.0.0.1 port=1' >/dev/null 2>&1 &
mpid=$!
cleanup_push "kill $mpid 2>/dev/null"
wait_for 10 grep -qx "$mpid" "$T_TMP/m.pid"
is "$(cat "$T_TMP/m.pid" 2>/dev/null)" "$mpid" "--metrics with --pidfile: the pid written"
kill "$mpid"
wait_gone 10 "$mpid"
ok "and removed at SIGTERM" test ! -e "$T_TMP/m.pid"
err=$(timeout 10 pgwatch --watch --pidfile "$T_TMP/no/such/dir/p.pid" 'host=127.0.0.1 port=1' 2>&1 >/dev/null); rc=$?
is "$rc" 1 "--pidfile that cannot be written: exit 1 at once"
like "$err" "pidfile $T_TMP/no/such/dir/p\.pid: No such file or directory" "and the file named"
err=$(pgwatch 'host=x hst=y' 2>&1 >/dev/null); rc=$?
is "$rc" 64 "bad conninfo exits 64 (usage)"
like "$err" 'CONNINFO 1: invalid connection option "hst"' "bad conninfo named"
exit_is 64 "bad URI" pgwatch 'postgresql://[::1'

# A refused port: a line naming host:port and the reason; exit 1.
port=$(free_port)
out=$(pgwatch --connect-timeout 2s "host=127.0.0.1 port=$port user=u password=s3cret" 2>"$T_TMP/err"); rc=$?
is "$rc" 1 "refused host: condition does not hold"
like "$out" "^down 127\.0\.0\.1:$port reason=refused " "refused named"
like "$(cat "$T_TMP/err")" "password on the command line .*\.pgpass.*PGPASSFILE" \
    "password in conninfo warns, pointing at .pgpass"
nok "password never printed" grep -q s3cret "$T_TMP/err" <(echo "$out")
json=$(pgwatch --json "postgresql://u@127.0.0.1:$port/db" 2>/dev/null)
like "$json" "^\{\"event\":\"down\",\"name\":\"127\.0\.0\.1:$port\",\"reason\":\"refused\"" "--json down line"

# A TCP port that accepts and never speaks: our deadline, within a margin.
port=$(free_port)
# its own session, so cleanup ends the forked children too
setsid socat "TCP-LISTEN:$port,bind=127.0.0.1,reuseaddr,fork" \
    SYSTEM:'exec sleep 60' >/dev/null 2>&1 &
sp=$!
cleanup_push "kill -- -$sp"
wait_for 10 bash -c "exec 3<>/dev/tcp/127.0.0.1/$port" || bail "socat did not listen"
t0=$(date +%s%N)
out=$(pgwatch --connect-timeout 300ms "host=127.0.0.1 port=$port user=u sslmode=disable" 2>&1); rc=$?
ms=$(( ($(date +%s%N) - t0) / 1000000 ))
is "$rc" 1 "silent server: exit 1"
like "$out" "^down 127\.0\.0\.1:$port reason=timeout " "silent server: reason=timeout"
ok "300ms deadline honoured (took ${ms} ms, libpq alone rounds to 2 s)" \
    test "$ms" -ge 290 -a "$ms" -lt 1500
# With a query deadline too, silent hosts are waited for at once.  Three of
# them: one after the other takes at least 3 x 1 s, at once 1 s; the bound
# sits halfway from the serial floor (1.5 s of slack for a loaded machine,
# still 0.5 s below the 3 s of the serial case, which cannot be faster).
t0=$(date +%s%N)
pgwatch --connect-timeout 1s "host=127.0.0.1 port=$port user=u sslmode=disable" \
    "host=127.0.0.1 port=$port user=v sslmode=disable" \
    "host=127.0.0.1 port=$port user=w sslmode=disable" >/dev/null 2>&1
ms=$(( ($(date +%s%N) - t0) / 1000000 ))
ok "three silent hosts waited for at once (${ms} ms; not before the 1 s deadline, one after the other >= 3000)" \
    test "$ms" -ge 990 -a "$ms" -lt 2500
out=$(pgwatch --nagios --connect-timeout 300ms "host=127.0.0.1 port=$port user=u sslmode=disable"); rc=$?
is "$rc" 2 "--nagios: host down is CRITICAL"
like "$out" "^PGWATCH CRITICAL: down 127\.0\.0\.1:$port \(timeout\)" "nagios line"

# The man page and the unit file as shipped.
is "$(mandoc -T lint -W warning "$T_TOP/man/pgwatch.1" 2>&1)" "" "man page lints clean"
# systemd-analyze comes with systemd, which tests/lib/deps.sh installs
sed "s|/usr/local/bin/pgwatch|$T_TOP/pgwatch/pgwatch|" \
    "$T_TOP/contrib/systemd/pgwatch.service" >"$T_TMP/pgwatch.service"
ok "systemd-analyze verify pgwatch.service" \
    systemd-analyze verify --man=no "$T_TMP/pgwatch.service"
done_testing
