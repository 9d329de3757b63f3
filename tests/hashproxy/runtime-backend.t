#!/bin/bash
# SPDX-License-Identifier: ISC
# "show backend" beside haproxy 2.6 on the same config: every backend in
# the config's order (a listen section's, a disabled one's too), at any
# level, the words after it ignored; help lists it.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/hp.sh"
command -v haproxy >/dev/null || cannot_run "haproxy 2.6 is the reference"

sp=$(free_port)
hp_backend s1 127.0.0.21 "$sp"
# cfg FILE FRONTPORT LISTENPORT
cfg() {
	cat >"$1" <<EOC
defaults
    mode tcp
    timeout connect 1s
    timeout client 30s
    timeout server 30s
backend zz
    server a 127.0.0.21:$sp
frontend web
    bind 127.0.0.1:$2
    default_backend zz
listen mid
    bind 127.0.0.1:$3
    server a 127.0.0.21:$sp
backend aa
    server a 127.0.0.21:$sp
backend off
    disabled
    server a 127.0.0.21:$sp
EOC
}
cfg "$T_TMP/hp.cfg" "$(free_port)" "$(free_port)"
cfg "$T_TMP/ha.cfg" "$(free_port)" "$(free_port)"
hp_start "$T_TMP/hp.cfg" || bail "hashproxy did not start"
ha_start "$T_TMP/ha.cfg" || bail "haproxy did not start"
H=$T_TMP/hp.sock A=$T_TMP/ha.sock
both() { ctl "$H" "$1" >"$T_TMP/ours"; ctl "$A" "$1" >"$T_TMP/theirs"; }

both "show backend"
is "$(cat "$T_TMP/ours")" "$(cat "$T_TMP/theirs")" "show backend: haproxy's list"
is "$(od -c "$T_TMP/ours")" "$(od -c "$T_TMP/theirs")" "byte for byte"
is "$(grep -v '^#' "$T_TMP/ours" | grep . | tr '\n' ' ')" "zz mid aa off " \
    "the backends in config order, the listen's and the disabled one's too"
for c in "show backend zz extra" "user; show backend" "operator; show backend"; do
	both "$c"
	is "$(cat "$T_TMP/ours")" "$(cat "$T_TMP/theirs")" "$c: as haproxy"
done
like "$(ctl "$H" help)" "show backend +: list backends" "help lists it"
done_testing
