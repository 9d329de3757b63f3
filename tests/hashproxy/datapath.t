#!/bin/bash
# SPDX-License-Identifier: ISC
# The data path (proxy.c), hashproxy and haproxy side by side with the
# same config: bytes pass unchanged both ways at once, also when a reader
# is slower than the writer (what the partner cannot take is kept, then
# flushed, in order); a client's half-close reaches the server and the
# answer still comes back; "timeout client" closes an idle connection,
# but not one whose server is still talking; show stat's qtime, ctime,
# rtime and ttime (with their maxima) time a connection as haproxy does.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/hp.sh"

ep=$(free_port)
# an echo server, a byte counter that answers at EOF, a ticker (its clock)
socat "TCP-LISTEN:$ep,bind=127.0.0.31,reuseaddr,fork" EXEC:cat 2>/dev/null &
cleanup_push "kill $!"
socat "TCP-LISTEN:$ep,bind=127.0.0.32,reuseaddr,fork" SYSTEM:"wc -c" 2>/dev/null &
cleanup_push "kill $!"
socat "TCP-LISTEN:$ep,bind=127.0.0.33,reuseaddr,fork" \
    SYSTEM:"while date +%s%N; do sleep 0.1; done" 2>/dev/null &
cleanup_push "kill $!"
for ip in 31 32 33; do wait_for 5 _hp_port_open "127.0.0.$ip" "$ep"; done

declare -A P
for f in hp ha; do
	P[$f.echo]=$(free_port); P[$f.wc]=$(free_port); P[$f.tick]=$(free_port)
	P[$f.hold]=$(free_port) P[$f.bulk]=$(free_port)
	{
		printf 'defaults\n    timeout connect 5s\n    timeout client 1s\n'
		printf '    timeout server 30s\n'
		for b in echo:31 wc:32 tick:33 hold:31 bulk:31; do
			printf 'frontend %s\n    bind 127.0.0.1:%s\n' "${b%:*}" \
			    "${P[$f.${b%:*}]}"
			# the slow reader of 16 MB may stall a second on a
			# loaded machine: not what timeout client 1s is about
			[ "${b%:*}" = bulk ] && printf '    timeout client 30s\n'
			printf '    default_backend %s\nbackend %s\n' "${b%:*}" "${b%:*}"
			printf '    server s 127.0.0.%s:%s\n' "${b#*:}" "$ep"
		done
	} >"$T_TMP/$f.cfg"
done
hp_start "$T_TMP/hp.cfg"
ha_start "$T_TMP/ha.cfg" || { cat "$T_TMP/ha.log"; exit 1; }
wait_for 10 _hp_port_open 127.0.0.1 "${P[ha.echo]}"

head -c 16000000 /dev/urandom >"$T_TMP/data"
for f in hp ha; do
	# the reply is read in small pieces: the client is the slow reader.
	# socat -t: how long it reads on once it has sent all and its FIN;
	# megabytes are still in the buffers then, drained by that slow
	# reader: 10 s cut haproxy's echo short at load 8
	socat -t 60 -b 65536 - "TCP:127.0.0.1:${P[$f.bulk]}" <"$T_TMP/data" |
	    dd bs=512 status=none >"$T_TMP/echo.$f"
	ok "$f: 16 MB echoed back unchanged while still being sent" \
	    cmp -s "$T_TMP/data" "$T_TMP/echo.$f"

	got=$(head -c 300000 "$T_TMP/data" |
	    socat -t 10 - "TCP:127.0.0.1:${P[$f.wc]}" | tr -d ' ')
	is "$got" 300000 "$f: the client's half-close reaches the server, its answer comes back"
	# a few bytes and the FIN at once: read before the server is
	# connected, they go out with the connection, the FIN after them
	got=$(printf hello | socat -t 10 - "TCP:127.0.0.1:${P[$f.wc]}" | tr -d ' ')
	is "$got" 5 "$f: a request sent with its FIN at once reaches the server whole"

	exec 3<>"/dev/tcp/127.0.0.1/${P[$f.echo]}"
	t0=$(date +%s%N)
	read -r -t 10 -u 3 _; rc=$?
	dt=$(( ($(date +%s%N) - t0) / 1000000 ))
	exec 3>&-
	is "$rc" 1 "$f: an idle client is closed (EOF, not a read timeout)"
	ok "$f: after about timeout client 1s (${dt}ms)" test "$dt" -ge 800 -a "$dt" -lt 5000
done

# a connection is idle when neither direction moved: a client that only
# listens to a talking server stays (haproxy the same)
for f in hp ha; do
	exec 4<>"/dev/tcp/127.0.0.1/${P[$f.tick]}"
	timeout 2.5 cat <&4 >"$T_TMP/ticks"; rc=$?
	exec 4>&-
	is "$rc" 124 "$f: a silent client whose server talks is still open after 2.5s"
	# each tick is the server's clock: they kept coming for well past
	# timeout client (how many depends on the machine's load)
	n=$(wc -l <"$T_TMP/ticks")
	span=$(( ($(tail -1 "$T_TMP/ticks") - $(head -1 "$T_TMP/ticks")) / 1000000 ))
	ok "$f: and got the ticks all along ($n over $span ms)" \
	    test "$n" -ge 5 -a "$span" -ge 1500
done

# col SOCKET COLUMN PX,SV: one field of "show stat", by its header name
col() {
	ctl "$1" "show stat" | awk -F, -v c="$2" -v r="$3" '
	    NR == 1 { sub(/^# /, ""); for (i = 1; i <= NF; i++) if ($i == c) n = i; next }
	    $1 "," $2 == r { print $n }'
}
closed_once() { [ "$(col "$1" stot hold,s)" = 1 ] && [ "$(col "$1" scur hold,s)" = 0 ]; }
# one connection of about 1.5s: it talks, then idles (under timeout
# client 1s: it moved 0.5s before) and goes
for f in hp ha; do
	exec 5<>"/dev/tcp/127.0.0.1/${P[$f.hold]}"
	echo hi >&5; read -r -t 5 -u 5 _
	read -r -t 0.5 -u 5 _; echo hi >&5; read -r -t 5 -u 5 _
	read -r -t 1 -u 5 _
	exec 5>&-
	ok "$f: the connection is counted and gone" wait_for 5 closed_once "$T_TMP/$f.sock"
	for row in hold,s hold,BACKEND; do
		t=$(col "$T_TMP/$f.sock" ttime "$row")
		ok "$f: $row ttime about 1.5s ($t ms)" test "${t:-0}" -ge 1400 -a "${t:-0}" -lt 4000
		is "$(col "$T_TMP/$f.sock" ttime_max "$row")" "$t" "$f: $row ttime_max = ttime after one"
		# the connect is part of the session; how fast it is, is make
		# bench's business (a loaded machine made "< 100 ms" flake)
		c=$(col "$T_TMP/$f.sock" ctime "$row")
		ok "$f: $row ctime measured, within the session ($c ms < ttime $t ms)" \
		    test "${c:--1}" -ge 0 -a "${c:--1}" -lt "${t:-0}"
		is "$(col "$T_TMP/$f.sock" qtime "$row"),$(col "$T_TMP/$f.sock" rtime "$row")" 0,0 \
		    "$f: $row qtime 0 (no queue), rtime 0 (L4)"
	done
done

ok "hashproxy is still running" kill -0 "$HP_PID"
done_testing
