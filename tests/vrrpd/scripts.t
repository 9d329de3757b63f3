#!/bin/bash
# SPDX-License-Identifier: ISC
# Scripts run as keepalived 2.2.7 runs them, checked against keepalived
# itself in the same test: keepalived on host a, vrrpd on host b, one
# config text each (their own VRIDs, so both are master).
#  - notify_master, run as root with root's capabilities, adds a route and
#    starts ISC dhcpd directly (no systemd): both hosts end up with the
#    route and a dhcpd listening on port 67.
#  - a track script's string is split into words and executed directly,
#    no shell: "ss -ltn | grep -q :PORT" hands "|" to ss, which fails, so
#    keepalived and vrrpd both lower the priority by the weight; the same
#    through "sh -c '...'" succeeds on both.  Compared on the wire.
#  - a vrrp_script "user" and a notify's USER word: both run it as nobody
#    (a full path: keepalived 2.2.7 disables a bare name with a non-root
#    user, its PATH search fails on setgroups(); vrrpd does not copy that).
#  - vrrpd's runner runs only configured commands, re-read on reload.
#  - config errors keepalived would turn into a silently missing script.
. "$(dirname "$0")/lib.sh"
. "$T_TOP/tests/dhcpsync/dhcp.sh"
needs_root
topo a b
PORT=$((20000 + RANDOM % 20000))
dhcp_conf "$T_TMP/dhcpd.conf"

cat > "$T_TMP/master.sh" <<EOS
#!/bin/sh
# an operator's notify_master: a route, then the DHCP server, directly
ip route add 198.51.100.0/24 via 192.0.2.50 dev eth0 || exit 1
: > "$T_TMP/dhcpd-\$1.leases"
dhcpd -4 -q -cf "$T_TMP/dhcpd.conf" -lf "$T_TMP/dhcpd-\$1.leases" \
    -pf "$T_TMP/dhcpd-\$1.pid" eth0 >>"$T_TMP/dhcpd-\$1.log" 2>&1
EOS
chmod 755 "$T_TMP/master.sh"

# timeout 5: on a loaded machine a fork and exec (ss in a namespace) can
# outlast the 1s interval, the default timeout in both daemons
conf() {	# host vrid-base
	cat <<EOC
vrrp_script pipe {
    script "ss -ltn | grep -q :$PORT"
    interval 1
    timeout 5
    weight -50
}
vrrp_script who {
    script "/bin/sh -c 'id -u > $T_TMP/w/uid.$1'"
    interval 1
    timeout 5
    user nobody
}
vrrp_script shell {
    script "sh -c 'ss -ltn | grep -q :$PORT'"
    interval 1
    timeout 5
    weight -50
}
vrrp_instance with_pipe {
    interface eth0
    virtual_router_id $2
    priority 150
    advert_int 1
    track_script {
        pipe
    }
    notify_master "$T_TMP/master.sh $1"
    virtual_ipaddress {
        192.0.2.$2/24
    }
}
vrrp_instance with_shell {
    interface eth0
    virtual_router_id $(($2 + 1))
    priority 150
    advert_int 1
    track_script {
        shell
        who
    }
    notify_master "/bin/sh -c 'id -u > $T_TMP/w/nuid.$1'" nobody
    virtual_ipaddress {
        192.0.2.$(($2 + 1))/24
    }
}
EOC
}
mkdir -m 1777 "$T_TMP/w"
conf a 61 > "$T_TMP/a.conf"
conf b 71 > "$T_TMP/b.conf"

# a TCP listener on PORT in both hosts: what the track scripts look for
for h in a b; do
	ns_run $h socat TCP-LISTEN:$PORT,fork,reuseaddr /dev/null &
	disown
done
cleanup_push "pkill -f 'TCP-LISTEN:$PORT,'"
wait_for 5 sh -c "ip netns exec $(_ns_name a) ss -ltn | grep -q :$PORT" || bail "listener a"
wait_for 5 sh -c "ip netns exec $(_ns_name b) ss -ltn | grep -q :$PORT" || bail "listener b"

vrrp_capture cl "$T_TMP/wire" || bail "tcpdump"
ka_start a "$T_TMP/a.conf" || bail "keepalived a"
vr_start b -f "$T_TMP/b.conf" || bail "vrrpd b"

route() { ip -n "$(_ns_name "$1")" route show 198.51.100.0/24 | grep -q 'via 192.0.2.50'; }
dhcpd_up() { ip netns exec "$(_ns_name "$1")" ss -lunp 'sport = :67' | grep -q dhcpd; }
# last_prio SRC VRID: the priority of SRC's latest advert for VRID
last_prio() {
	awk -v src="$1" -v re="vrid $2, prio " '$3 == src && index($0, re) {
	    p = $0; sub(/.*prio /, "", p); sub(/,.*/, "", p) } END { print p }' \
	    "$T_TMP/wire"
}
prio_is() { [ "$(last_prio "$1" "$2")" = "$3" ]; }

ok "keepalived: notify_master added the route" wait_for 20 route a
ok "keepalived: notify_master started dhcpd, listening on :67" wait_for 20 dhcpd_up a
ok "vrrpd: notify_master added the route" wait_for 20 route b
ok "vrrpd: notify_master started dhcpd, listening on :67" wait_for 20 dhcpd_up b

ok "keepalived: \"ss -ltn | grep\" fails (no shell): priority 150 - 50 on the wire" \
    wait_for 15 prio_is 192.0.2.1 61 100
ok "vrrpd: the same string, the same priority on the wire" \
    wait_for 15 prio_is 192.0.2.2 71 100
ok "keepalived: through sh -c it passes: priority 150" \
    wait_for 15 prio_is 192.0.2.1 62 150
ok "vrrpd: through sh -c it passes too: priority 150" \
    wait_for 15 prio_is 192.0.2.2 72 150
like "$(cat "$T_TMP/b.err")" "b\.conf:1: warning: vrrp_script pipe: \"ss -ltn \| grep -q :$PORT\" runs ss directly, as keepalived does, with no shell" \
    "vrrpd warns about the pipe, naming file:line"
ok "no warning for the sh -c form" sh -c "! grep -q 'vrrp_script shell' '$T_TMP/b.err'"

like "$(grep CapEff /proc/$VR_b/status)" 'CapEff:[[:space:]]+0000000000003000' \
    "the engine keeps only CAP_NET_RAW and CAP_NET_ADMIN"
nobody=$(id -u nobody)
ok "keepalived: vrrp_script user nobody runs as nobody" wait_for 10 file_is "$T_TMP/w/uid.a" "$nobody"
ok "vrrpd: the same" wait_for 10 file_is "$T_TMP/w/uid.b" "$nobody"
ok "keepalived: notify_master \"CMD\" nobody runs as nobody" wait_for 10 file_is "$T_TMP/w/nuid.a" "$nobody"
ok "vrrpd: the same" wait_for 10 file_is "$T_TMP/w/nuid.b" "$nobody"

# reload: the runner re-reads the file, so the new command runs
sed -i "s/script \"ss -ltn | grep -q :$PORT\"/script \"sh -c 'ss -ltn | grep -q :$PORT'\"/" "$T_TMP/b.conf"
kill -HUP "$VR_b"
ok "vrrpd: after a reload the runner runs the new command: priority 150" \
    wait_for 15 prio_is 192.0.2.2 71 150

# what keepalived would silently drop is an error naming file:line
bad() { printf 'vrrp_instance v {\n interface eth0\n virtual_router_id 9\n %s\n virtual_ipaddress {\n  192.0.2.9\n }\n}\n' "$1" > "$T_TMP/bad.conf"; }
bad 'notify_master "/bin/true" nosuchuser'
like "$(vrrpd -t -f "$T_TMP/bad.conf" 2>&1)" "bad\.conf:1: vrrp_instance v: notify_master: user nosuchuser: no such user" \
    "a notify's unknown user is an error"
exit_is 2 "-t exits 2 for it" sh -c "vrrpd -t -f $T_TMP/bad.conf 2>/dev/null"
bad "notify_master \"/bin/echo 'a b\""
like "$(vrrpd -t -f "$T_TMP/bad.conf" 2>&1)" "notify_master: \"/bin/echo 'a b\": missing terminating '" \
    "an unmatched quote is an error"
bad 'notify_master /bin/echo a b c'
like "$(vrrpd -t -f "$T_TMP/bad.conf" 2>&1)" "notify_master: \"CMD\" \[USER \[GROUP\]\] expected; quote the whole command" \
    "an unquoted command with arguments is an error for notify"
done_testing
