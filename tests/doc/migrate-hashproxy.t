#!/bin/bash
# SPDX-License-Identifier: ISC
# The README's haproxy -> hashproxy migration, run as written on a host
# whose /etc/haproxy/haproxy.cfg is the seed's (contrib/hashproxy/
# haproxy.cfg.seed: *:80, balance source, hash-type consistent, servers
# localhost, 127.0.0.2 and 127.0.0.3 on :5240), haproxy 2.6 started by its
# Debian unit.  Clients from 200 source addresses in 127/8 ask through
# port 80 which server answers them, before (haproxy) and after
# (hashproxy): every client must get the same server.
. "$(dirname "$0")/../vrrpd/lib.sh"
. "$T_TOP/tests/doc/migrate.sh"
. "$T_TOP/tests/hashproxy/hp.sh"
needs_root
command -v haproxy >/dev/null || cannot_run "haproxy missing"

_ns_new lb || bail "namespace"
host_init lb || bail "host lb"
mhost lb haproxy || bail "machine lb"
cp "$T_TOP/contrib/hashproxy/haproxy.cfg.seed" "$T_TMP/lb/etc/haproxy/haproxy.cfg"

# the API servers, each answering its name
for s in "localhost 127.0.0.1" "maas-api-1 127.0.0.2" "maas-api-2 127.0.0.3"; do
	set -- $s
	in_host lb "$HP_BACKEND" "$1" "$2" 5240 >/dev/null 2>&1 &
	ok "server $1 listens" wait_for 5 on lb "exec 3<>/dev/tcp/$2/5240"
done

hp_sources 200 >"$T_TMP/sources"
# map FILE: "SOURCE SERVER" per client, through the proxy on :80
map() { in_host lb "$HP_CLIENT" 127.0.0.1 80 "$T_TMP/sources" >"$1"; }
answered() { map "$1" && ! grep -q ' -$' "$1"; }
# settled FILE: every client answered and all three servers used
# (haproxy's checks have marked them up)
settled() { answered "$1" && [ "$(awk '{ print $2 }' "$1" | sort -u | wc -l)" = 3 ]; }

on lb systemctl start haproxy || bail "haproxy"
ok "haproxy serves every client, on all three servers" wait_for 15 settled "$T_TMP/before"
on lb 'pidof haproxy' >/dev/null || bail "haproxy not running"

run_session hashproxy
ok "haproxy is gone" test -z "$(on lb 'pidof haproxy')"
ok "hashproxy serves every client" wait_for 10 settled "$T_TMP/after"
moved=$(join <(sort "$T_TMP/before") <(sort "$T_TMP/after") | awk '$2 != $3' | wc -l)
is "$moved" 0 "no client moved: the same 200 sources on the same servers"
join <(sort "$T_TMP/before") <(sort "$T_TMP/after") | awk '$2 != $3' | head -5 |
    sed 's/^/# moved: /'
done_testing
