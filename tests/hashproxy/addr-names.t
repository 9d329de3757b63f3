#!/bin/bash
# SPDX-License-Identifier: ISC
# Host names where haproxy 2.6 takes them and resolves them with libc
# when it starts: after "ipv4@"/"ipv6@" on bind, server, source and addr
# (in that family only), and as an ACL's src (its first IPv4 address
# only, a mask allowed; not with -n).  The same files to haproxy -c and
# hashproxy -c, taken or refused alike; then both run one, and each
# client reaches the server or is refused by both alike.  Both read a
# hosts file of the test's own (a private mount namespace), so that the
# names and their addresses do not depend on the machine's.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/hp.sh"

needs_root
command -v haproxy >/dev/null || cannot_run "haproxy is not installed"
command -v curl >/dev/null || cannot_run "curl is not installed"
command -v unshare >/dev/null || cannot_run "unshare is not installed"
ip -6 addr show lo 2>/dev/null | grep -q 'inet6 ::1/' ||
    cannot_run "no ::1 on lo"

# hg-two has two addresses: haproxy's ACL takes the first one only
cat >"$T_TMP/hosts" <<'EOF'
127.0.0.1 localhost
127.0.0.61 hg-one
127.0.0.7 hg-two
127.0.0.8 hg-two
::1 hg-six
EOF
printf '# a name in a -f file too\nhg-two\n' >"$T_TMP/names.lst"
# haproxy and hashproxy, by those names first on PATH, each in its own
# mount namespace with the hosts file above and an nsswitch.conf that
# reads only it: a name it lacks asks no DNS server; exec keeps the pid
printf 'hosts: files\n' >"$T_TMP/nsswitch.conf"
mkdir "$T_TMP/hbin"
for prog in haproxy hashproxy; do
	cat >"$T_TMP/hbin/$prog" <<EOF
#!/bin/sh
exec unshare -m sh -c 'mount --bind $T_TMP/hosts /etc/hosts &&
    mount --bind $T_TMP/nsswitch.conf /etc/nsswitch.conf &&
    exec "\$0" "\$@"' $(command -v "$prog") "\$@"
EOF
	chmod 755 "$T_TMP/hbin/$prog"
done
PATH="$T_TMP/hbin:$PATH"
unshare -m true 2>/dev/null || cannot_run "unshare -m does not work here"

sp=$(free_port)
hp_backend one 127.0.0.61 "$sp"

cfg() {
	cat <<EOF
defaults
    mode tcp
    timeout connect 2s
    timeout client 30s
    timeout server 30s
frontend lo
    bind ipv4@localhost:$1
    acl lo src localhost
    tcp-request connection reject unless lo
    default_backend be
frontend mask
    bind ipv4@localhost:$2
    tcp-request connection reject unless { src hg-two/30 }
    default_backend be
frontend two
    bind ipv4@localhost:$3
    acl two src hg-two
    tcp-request connection reject unless two
    default_backend be
frontend six
    bind ipv6@hg-six:$4
    default_backend be
frontend file
    bind ipv4@localhost:$5
    tcp-request connection reject unless { src -f $T_TMP/names.lst }
    default_backend be
backend be
    server one ipv4@hg-one:$sp source ipv4@localhost check addr ipv4@hg-one
EOF
}
hp_cfgs 5
hp_both_start

# each frontend: a client from a source that the ACL takes, one it does not
while read -r i src want what; do
	[ "$want" = - ] && want=""
	hp=$(req "$src" "${HP_PORTS[$i]}")
	ha=$(req "$src" "${HA_PORTS[$i]}")
	is "$hp/$ha" "$want/$want" "$what: hashproxy and haproxy alike"
done <<'EOF'
0 127.0.0.1 one a client from localhost's 127.0.0.1 passes "src localhost"
0 127.0.0.5 - one from 127.0.0.5 is refused
1 127.0.0.5 one "{ src hg-two/30 }" takes 127.0.0.5, in hg-two's first address/30
1 127.0.0.9 - and refuses 127.0.0.9
2 127.0.0.7 one "src hg-two" takes hg-two's first address
2 127.0.0.8 - but not its second one
4 127.0.0.7 one a name in "src -f FILE" is resolved alike
4 127.0.0.8 - to its first address only
EOF
hp=$(curl -sf --max-time 5 -g "http://[::1]:${HP_PORTS[3]}/")
ha=$(curl -sf --max-time 5 -g "http://[::1]:${HA_PORTS[3]}/")
is "$hp/$ha" "one/one" "bind ipv6@hg-six listens on ::1, for both"

# names both refuse: no address in the family, -n, no address at all
n=0
p=$(free_port)
for line in "server s ipv6@localhost:$sp" "bind ipv6@localhost:$p" \
    "server s ipv4@hg-nowhere.invalid:$sp" "acl a src -n localhost" \
    "acl a src hg-nowhere.invalid" "acl a src hg-six/64" \
    "acl a src -n -f $T_TMP/names.lst"; do
	n=$((n + 1))
	printf 'defaults\n    mode tcp\n    timeout connect 2s\n    timeout client 30s\n    timeout server 30s\nlisten l%d\n    bind 127.0.0.1:%d\n    %s\n' \
	    "$n" "$p" "$line" >"$T_TMP/bad$n.cfg"
	haproxy -c -f "$T_TMP/bad$n.cfg" >/dev/null 2>&1
	h=$?
	out=$(hashproxy -c -f "$T_TMP/bad$n.cfg" 2>&1)
	x=$?
	what=${line//:$sp/:PORT}
	what=${what//:$p/:PORT}
	what=${what//$T_TMP\//}
	is "$h/$x" "1/2" "\"$what\": haproxy and hashproxy refuse it"
	like "$out" "bad$n.cfg:8: " "\"$what\": file:line"
done

# -n is for what follows it: a file before it is looked up, for both
printf 'defaults\n    mode tcp\n    timeout connect 2s\n    timeout client 30s\n    timeout server 30s\nlisten l\n    bind 127.0.0.1:%d\n    acl a src -f %s -n\n    server s 127.0.0.1:%d\n' \
    "$p" "$T_TMP/names.lst" "$sp" >"$T_TMP/late-n.cfg"
haproxy -c -f "$T_TMP/late-n.cfg" >/dev/null 2>&1
h=$?
out=$(hashproxy -c -f "$T_TMP/late-n.cfg" 2>&1)
is "$h/$?" "0/0" "\"acl a src -f names.lst -n\": haproxy and hashproxy take it" ||
    diag "$out"
done_testing
