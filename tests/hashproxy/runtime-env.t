#!/bin/bash
# SPDX-License-Identifier: ISC
# "show env [var]" beside haproxy 2.6, both started with the same
# environment and the same config (a global setenv): the same variables
# in the same order (but haproxy's own HAPROXY_* and the shell's "_"),
# one variable, the config's, "Variable not found", and the level
# (operator) as haproxy's.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/hp.sh"
command -v haproxy >/dev/null || cannot_run "haproxy 2.6 is the reference"

sp=$(free_port)
hp_backend s1 127.0.0.81 "$sp" || bail "backend s1 did not start"
export HP_RT_RUN="run-$$ with spaces"
cfg() {
	cat >"$1" <<EOC
global
    setenv HP_RT_CFG from-config
defaults
    mode tcp
    timeout connect 1s
    timeout client 30s
    timeout server 30s
frontend web
    bind 127.0.0.1:$2
    default_backend app
backend app
    server s1 127.0.0.81:$sp
EOC
}
cfg "$T_TMP/hp.cfg" "$(free_port)"
cfg "$T_TMP/ha.cfg" "$(free_port)"
hp_start "$T_TMP/hp.cfg" || bail "hashproxy did not start"
ha_start "$T_TMP/ha.cfg" || bail "haproxy did not start"
H=$T_TMP/hp.sock A=$T_TMP/ha.sock
both() { ctl "$H" "$1" >"$T_TMP/ours"; ctl "$A" "$1" >"$T_TMP/theirs"; }
same() {
	both "$1"
	is "$(od -c "$T_TMP/ours")" "$(od -c "$T_TMP/theirs")" "$1: as haproxy ($(grep . "$T_TMP/theirs" | head -1))"
}

both "show env"
own() { grep -v -e '^HAPROXY_' -e '^_='; }
is "$(own <"$T_TMP/ours")" "$(own <"$T_TMP/theirs")" "show env: the same variables in the same order"
ok "a good many ($(grep -c = "$T_TMP/ours"))" test "$(grep -c = "$T_TMP/ours")" -ge 3
is "$(tail -c 2 "$T_TMP/ours" | od -c)" "$(tail -c 2 "$T_TMP/theirs" | od -c)" "and the same end"
for c in "show env HP_RT_RUN" "show env HP_RT_CFG" "show env HP_RT" "show env nope" \
    "user; show env HP_RT_RUN" "operator; show env HP_RT_RUN" "show env HP_RT_CFG extra"; do
	same "$c"
done
is "$(ctl "$H" "show env HP_RT_RUN")" "HP_RT_RUN=$HP_RT_RUN" "the variable the test exported"
is "$(ctl "$H" "show env HP_RT_CFG")" "HP_RT_CFG=from-config" "the config's setenv"
like "$(ctl "$H" help)" "show env \\[var\\] +: dump environment" "help lists it"
done_testing
