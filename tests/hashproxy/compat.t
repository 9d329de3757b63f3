#!/bin/bash
# SPDX-License-Identifier: ISC
# balance source: hashproxy maps every client source to the same server
# as a real haproxy 2.6 with the same config and backends (consistent and
# map-based with weights), through the proxy and with --lookup.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/hp.sh"

sp=$(free_port); php=$(free_port); pha=$(free_port)
hp_backend localhost 127.0.0.11 "$sp"
hp_backend maas-api-1 127.0.0.12 "$sp"
hp_backend maas-api-2 127.0.0.13 "$sp"
hp_seed "$T_TMP/hp.cfg" "$php" "$sp"
hp_seed "$T_TMP/ha.cfg" "$pha" "$sp"
ok "hashproxy runs the seed's config" hp_start "$T_TMP/hp.cfg"
ok "haproxy runs the same config" ha_start "$T_TMP/ha.cfg"

mapfile -t src < <(hp_sources 40)
src+=(127.0.0.1 127.0.0.2 127.255.255.254)
map_of "$php" "${src[@]}" >"$T_TMP/m.hp"
map_of "$pha" "${src[@]}" >"$T_TMP/m.ha"
is "$(grep -c ' maas-api-\|localhost' "$T_TMP/m.hp")" "${#src[@]}" \
    "every request through hashproxy answered"
is "$(diff "$T_TMP/m.ha" "$T_TMP/m.hp")" "" \
    "consistent: ${#src[@]} sources land on the same server as haproxy"
is "$(cut -d' ' -f2 "$T_TMP/m.hp" | sort -u | wc -l)" 3 "all three servers used"
printf '%s\n' "${src[@]}" | hashproxy -f "$T_TMP/hp.cfg" --lookup - 2>/dev/null >"$T_TMP/m.lk"
is "$(diff "$T_TMP/m.ha" "$T_TMP/m.lk")" "" "--lookup agrees with haproxy"
map_of "$php" "${src[@]}" >"$T_TMP/m.hp2"
is "$(diff "$T_TMP/m.hp" "$T_TMP/m.hp2")" "" "sticky: a second round lands the same"

# map-based with unequal weights and an explicit id
kill "$HP_PID" "$HA_PID"; wait "$HP_PID" "$HA_PID" 2>/dev/null
rm -f "$T_TMP/ha.sock"
for f in hp ha; do
	p=$php; [ $f = ha ] && p=$pha
	sed -e "s/hash-type consistent/hash-type map-based/" \
	    -e "s/maas-api-1 \(.*\) check/maas-api-1 \1 check weight 3/" \
	    -e "s/localhost \(.*\) check/localhost \1 check id 9/" \
	    "$T_TMP/$f.cfg" | grep -v '^global\|stats socket' >"$T_TMP/$f.m.cfg"
done
ok "hashproxy: map-based, weights 1/3/1" hp_start "$T_TMP/hp.m.cfg"
ok "haproxy: the same" ha_start "$T_TMP/ha.m.cfg"
map_of "$php" "${src[@]}" >"$T_TMP/mm.hp"
map_of "$pha" "${src[@]}" >"$T_TMP/mm.ha"
is "$(diff "$T_TMP/mm.ha" "$T_TMP/mm.hp")" "" "map-based: the same server as haproxy"
done_testing
