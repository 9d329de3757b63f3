#!/bin/bash
# SPDX-License-Identifier: ISC
# A flood of bad adverts (10,000 with TTL 64, crafted by craft.py) at a
# vrrpd run with -v, which logs each dropped packet: the log keeps a burst
# and then says how many similar lines it suppressed, and the lines shown
# plus the counts suppressed add up to what "show instances" counted.
# vrrpd keeps working: a well-formed higher-priority advert after the
# flood is obeyed.  Configuration warnings (-t) are never limited.
. "$(dirname "$0")/lib.sh"
needs_root
topo a x
N=10000

cat > "$T_TMP/many.conf" <<CONF
vrrp_instance VI_1 {
    interface eth0
    virtual_router_id 61
    priority 100
    virtual_ipaddress { 192.0.2.161/24 }
$(for i in $(seq 1 30); do echo "    frobnicate_$i yes"; done)
}
CONF
vrrpd -t -f "$T_TMP/many.conf" 2> "$T_TMP/t.err" >/dev/null
is "$(grep -c 'frobnicate_' "$T_TMP/t.err")" 30 "-t: one warning per unknown keyword, none suppressed"

vr_start a -v -i eth0 --vrid 51 --priority 100 --vip $VIP/24 \
    --auth-pass s3cret --advert 1 --vrrp-version 2 || bail "vrrpd"
ok "vrrpd master" wait_file_line 6 "$T_TMP/a.out" '^MASTER VI_51'

craft() { ns_run x python3 "$T_TOP/tests/vrrpd/craft.py" eth0 192.0.2.2 224.0.0.18 prio=200 "$@"; }
t0=$SECONDS
craft pass=s3cret ttl=64 repeat=$N || bail "craft"
# the same socket, in order: once this one is obeyed the flood was read
craft pass=s3cret
ok "after the flood a well-formed higher-priority advert is obeyed" \
    wait_file_line 3 "$T_TMP/a.out" '^BACKUP VI_51 .*reason=higher-priority'
drops=$(counter a drop_ttl)
ok "most of the flood reached vrrpd (drop_ttl=$drops)" test "${drops:-0}" -ge 1000
# the lines themselves, not the summaries that quote the last one; a
# burst of 10 per 5s window the flood lasted (a slow machine: more windows)
secs=$((SECONDS - t0 + 1))
shown=$(grep -v 'suppressed (last:' "$T_TMP/a.err" | grep -c 'dropped packet from 192.0.2.2')
max=$((10 * (secs / 5 + 2)))
ok "the log kept a bounded number of lines ($shown of $drops in ${secs}s, at most $max)" \
    test "$shown" -ge 10 -a "$shown" -le "$max"

# the count still owed is written when vrrpd stops
kill -TERM "$VR_a"
gone() { ! kill -0 "$VR_a" 2>/dev/null; }
ok "vrrpd stops" wait_for 10 gone
summ=$(sed -n 's/.* \([0-9]*\) similar messages\{0,1\} suppressed (last: VI_51: dropped packet from 192.0.2.2: .*/\1/p' "$T_TMP/a.err" |
    awk '{ s += $1 } END { print s + 0 }')
ok "a summary line says how many were suppressed ($summ)" test "$summ" -gt 0
is "$((shown + summ))" "$drops" "lines shown + suppressed = packets counted"
done_testing
