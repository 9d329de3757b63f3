#!/bin/bash
# SPDX-License-Identifier: ISC
# use-server SERVER if|unless COND (haproxy 2.6) beside the real haproxy
# on the same config: a client the condition holds for goes to SERVER,
# the others where the balance sends them; the first rule whose server
# is not stopped wins.  A draining server (weight 0) still takes its
# use-server clients; one in maintenance does not, unless "option
# persist" (haproxy's process_server_rules).  A listen and a backend
# behind a frontend alike.  Before, hashproxy refused the keyword.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/hp.sh"
command -v haproxy >/dev/null || cannot_run "haproxy is not installed"

sp=$(free_port)
hp_backend a 127.0.0.91 "$sp"
hp_backend b 127.0.0.92 "$sp"
hp_backend c 127.0.0.93 "$sp"

cfg() {
	cat <<EOC
defaults
    mode tcp
    timeout connect 1s
    timeout client 5s
    timeout server 5s
listen app
    bind 127.0.0.1:$1
    balance source
    acl to_b src 127.0.1.0/24
    use-server b if to_b
    use-server c if to_b
    use-server c if { src 127.0.2.0/24 }
    server a 127.0.0.91:$sp
    server b 127.0.0.92:$sp
    server c 127.0.0.93:$sp
frontend fe2
    bind 127.0.0.1:$2
    default_backend be2
backend be2
    option persist
    balance source
    use-server b unless { src 127.0.0.0/16 } || { src 127.3.0.0/16 }
    server a 127.0.0.91:$sp
    server b 127.0.0.92:$sp
    server c 127.0.0.93:$sp
EOC
}
hp_cfgs 2
hp_both_start

mapfile -t others < <(hp_sources 30)
tob=(127.0.1.7 127.0.1.77 127.0.1.200)
toc=(127.0.2.9 127.0.2.99)
# answers PORT SOURCES...: the server each source reached, in order
answers() { local p=$1; shift; map_of "$p" "$@" | awk '{ print $2 }' | sort | uniq -c | awk '{ print $2 "=" $1 }' | xargs; }
for px in hp ha; do
	[ $px = hp ] && p=${HP_PORTS[0]} || p=${HA_PORTS[0]}
	is "$(answers "$p" "${tob[@]}")" "b=3" "$px: use-server b: the three clients of to_b on b"
	is "$(answers "$p" "${toc[@]}")" "c=2" "$px: use-server c if { src }: on c"
done
map_of "${HP_PORTS[0]}" "${others[@]}" >"$T_TMP/hp.map"
map_of "${HA_PORTS[0]}" "${others[@]}" >"$T_TMP/ha.map"
is "$(cat "$T_TMP/hp.map")" "$(cat "$T_TMP/ha.map")" "the other clients where haproxy's balance source sends them"
is "$(awk '{ print $2 }' "$T_TMP/hp.map" | sort -u | xargs)" "a b c" "over the three servers"

# --lookup runs the first proxy's rules, use-server's too
printf '%s\n' "${tob[@]}" "${toc[@]}" "${others[@]}" |
    hashproxy -f "$T_TMP/hp.cfg" --lookup - >"$T_TMP/lk.map" 2>/dev/null
is "$(cat "$T_TMP/lk.map")" "$(map_of "${HA_PORTS[0]}" "${tob[@]}" "${toc[@]}" "${others[@]}")" \
    "--lookup names the server haproxy reaches"

both() { ctl "$T_TMP/hp.sock" "$1" >/dev/null; ctl "$T_TMP/ha.sock" "$1" >/dev/null; }
both "set server app/b state drain"
for px in hp ha; do
	[ $px = hp ] && p=${HP_PORTS[0]} || p=${HA_PORTS[0]}
	is "$(answers "$p" "${tob[@]}")" "b=3" "$px: b draining: its use-server clients still on b"
	is "$(map_of "$p" "${others[@]}" | awk '$2 == "b"' | wc -l)" 0 "$px: no other client on b"
done
both "disable server app/b"
for px in hp ha; do
	[ $px = hp ] && p=${HP_PORTS[0]} || p=${HA_PORTS[0]}
	is "$(answers "$p" "${tob[@]}")" "c=3" "$px: b in maintenance: the next rule, use-server c"
done
both "disable server app/c"
is "$(map_of "${HP_PORTS[0]}" "${tob[@]}")" "$(map_of "${HA_PORTS[0]}" "${tob[@]}")" \
    "both stopped: the balance, as haproxy's"
is "$(answers "${HP_PORTS[0]}" "${tob[@]}")" "a=3" "a, the one left"
both "enable server app/b"
is "$(answers "${HP_PORTS[0]}" "${tob[@]}")" "b=3" "b ready again: its clients back"

# be2: unless, and option persist
tob2=(127.1.0.5 127.2.0.6 127.4.0.7)
for px in hp ha; do
	[ $px = hp ] && p=${HP_PORTS[1]} || p=${HA_PORTS[1]}
	is "$(answers "$p" "${tob2[@]}")" "b=3" "$px: use-server b unless ...: on b"
done
is "$(map_of "${HP_PORTS[1]}" "${others[@]}")" "$(map_of "${HA_PORTS[1]}" "${others[@]}")" \
    "be2: every other client where haproxy sends it"
both "disable server be2/b"
for px in hp ha; do
	[ $px = hp ] && p=${HP_PORTS[1]} || p=${HA_PORTS[1]}
	is "$(answers "$p" "${tob2[@]}")" "b=3" "$px: option persist: b in maintenance still takes them"
done

# haproxy's lbtot counts what the balance picked, not use-server's
lbtot() { ctl "$1" "show stat" | awk -F, '$1 == "be2" { print $2, $8 - $31 }' | xargs; }
is "$(lbtot "$T_TMP/hp.sock")" "$(lbtot "$T_TMP/ha.sock")" \
    "be2: each server's and the backend's stot less lbtot (use-server's sessions) as haproxy's"
like "$(lbtot "$T_TMP/hp.sock")" "b [1-9]" "b's sessions from use-server are not in its lbtot"

bad() { printf 'listen x\n bind 127.0.0.1:1\n server s1 127.0.0.1:2\n %s\n' "$1" >"$T_TMP/bad.cfg"; }
for t in "use-server s1" "use-server nope if TRUE" "use-server s1 when TRUE"; do
	bad "$t"
	nok "haproxy -c refuses $t" haproxy -c -q -f "$T_TMP/bad.cfg"
	like "$(hashproxy -c -f "$T_TMP/bad.cfg" 2>&1)" 'bad.cfg:4: .*use-server' \
	    "so does hashproxy, with file:line"
done
bad "use-server %[src] if TRUE"
ok "haproxy -c takes a name made by log-format" haproxy -c -q -f "$T_TMP/bad.cfg"
like "$(hashproxy -c -f "$T_TMP/bad.cfg" 2>&1)" 'bad.cfg:4: .*use-server .*not supported' \
    "hashproxy refuses it, with file:line"
printf 'frontend x\n bind 127.0.0.1:1\n use-server s1 if TRUE\n' >"$T_TMP/fe.cfg"
like "$(hashproxy -c -f "$T_TMP/fe.cfg" 2>&1)" 'fe.cfg:3: .*use-server: only in a backend or listen' \
    "not in a frontend"
done_testing
