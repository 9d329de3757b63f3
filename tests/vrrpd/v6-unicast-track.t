#!/bin/bash
# SPDX-License-Identifier: ISC
# vrrpd <-> vrrpd beyond the basics, from one config with three instances:
# IPv6 (VRRPv3 on ff02::12) with a tracked command, unicast IPv4 peers,
# VRRPv2 with PASS; notify commands (root's capabilities, as keepalived), --json
# lines, and the capabilities vrrpd itself keeps.  Then the matrix of
# pair.t for all three at once (one event moves every instance): a
# --track-fd "down", link down, SIGTERM, kill -9, and preemption back,
# each move checked by the client reaching every VIP.
. "$(dirname "$0")/lib.sh"
needs_root
topo a b
V6=2001:db8::100
V4U=192.0.2.102
V2P=192.0.2.103
ALL="$V6 $V4U $V2P"
conf() {	# host prio src peer
	cat <<EOC
global_defs {
    vrrp_version 3
}
vrrp_script chk {
    script "test -e $T_TMP/ok.$1"
    interval 100ms
    # a fork and exec can take longer than the interval on a loaded
    # machine: the default timeout is the interval, as in keepalived
    timeout 3
}
vrrp_instance v6 {
    interface eth0
    virtual_router_id 60
    priority $2
    advert_int 0.1
    virtual_ipaddress {
        $V6/64
    }
    track_script {
        chk
    }
    notify_master "sh -c 'grep CapEff /proc/self/status > $T_TMP/caps.$1'"
    notify "$T_TMP/notify.sh $1"
}
vrrp_instance uni {
    interface eth0
    virtual_router_id 61
    priority $2
    advert_int 0.1
    unicast_src_ip $3
    unicast_peer {
        $4
    }
    virtual_ipaddress {
        $V4U/24
    }
}
vrrp_instance v2p {
    version 2
    interface eth0
    virtual_router_id 62
    priority $2
    advert_int 1
    authentication {
        auth_type PASS
        auth_pass s3cret
    }
    virtual_ipaddress {
        $V2P/24
    }
}
EOC
}
printf '#!/bin/sh\necho "$@" >> %s/notify.log.$1\n' "$T_TMP" > "$T_TMP/notify.sh"
chmod +x "$T_TMP/notify.sh"
conf a 150 192.0.2.1 192.0.2.2 > "$T_TMP/a.conf"
conf b 100 192.0.2.2 192.0.2.1 > "$T_TMP/b.conf"
touch "$T_TMP/ok.a" "$T_TMP/ok.b"
ok "IPv6 link-local addresses ready" wait_for 5 ll_ready a b
mkfifo "$T_TMP/fd.a"
exec 7<>"$T_TMP/fd.a"
vr_start a -f "$T_TMP/a.conf" --json --track-fd 7 || bail "vrrpd a"
ok "IPv6: a holds $V6" wait_for 8 vip_only $V6 a a b
ok "unicast: a holds $V4U" wait_for 5 vip_only $V4U a a b
# b starts once a is master: started together, both time out at about the
# same moment and b is master for an advert before it hears a (RFC 5798
# allows that), which is not what "b never was master" below is about.
vr_start b -f "$T_TMP/b.conf" || bail "vrrpd b"
ok "b hears a on every instance" wait_for 8 sh -c "[ \$(printf 'show instances\n' |
    socat -t 2 - UNIX-CONNECT:$T_TMP/b.sock | grep -c 'state=BACKUP .*rx=[1-9]') = 3 ]"
ok "client reaches the IPv6 VIP" wait_for 3 reach $V6
ok "client reaches the unicast VIP" reach $V4U
like "$(ctl b 'show instances' | grep '^instance uni')" "state=BACKUP .*master=192.0.2.1 rx=[1-9]" \
    "unicast: b hears a's adverts"
like "$(ctl b 'show instances' | grep '^instance v6')" "master=fe80::" \
    "IPv6: adverts come from the link-local address"
is "$(grep -c '^MASTER v6' "$T_TMP/b.out")" 0 "IPv6: b never was master"
like "$(grep -m1 '"event":"MASTER"' "$T_TMP/a.out")" \
    '^\{"event":"MASTER","name":"(v6|uni)","vrid":6[01],"prio":150,' "--json state line"
like "$(ctl a 'show instances' | grep '"name":"uni"')" \
    '^\{"event":"instance","name":"uni",("[a-z_]+":[^,]+,)*"state":"MASTER",' \
    "--json: show instances answers in JSON too"

ok "notify_master ran" wait_for 3 test -s "$T_TMP/caps.a"
caps=$(awk '/^CapEff/ { print $2 }' "$T_TMP/caps.a")
ok "notify commands run as root with keepalived's capabilities (NET_ADMIN, SYS_ADMIN: $caps)" \
    test $(( 0x${caps:-0} & (1 << 12) )) -ne 0 -a $(( 0x${caps:-0} & (1 << 21) )) -ne 0
like "$(cat "$T_TMP/notify.log.a")" "(^|\n)a INSTANCE v6 MASTER 150" \
    "notify gets keepalived's arguments: INSTANCE NAME STATE PRIORITY"
like "$(grep CapEff /proc/$VR_a/status)" 'CapEff:[[:space:]]+0000000000003000' \
    "vrrpd keeps only CAP_NET_RAW and CAP_NET_ADMIN"

rm "$T_TMP/ok.a"
ok "track command fails: v6 moves to b" wait_for 5 vip_only $V6 b a b
# --json keys keep their types: an instance in FAULT knows no master (null)
like "$(ctl a 'show instances' | grep '"name":"v6"')" '"state":"FAULT",.*"master":null,' \
    "--json: a FAULT instance's master is null"
{ grep '^{' "$T_TMP/a.out"; ctl a status; ctl a 'show instances'; ctl a 'show tracks'; } |
    grep '^{' >"$T_TMP/a.json"
is "$(python3 -c '
import json, sys
S, I, N = str, int, type(None)
state = dict(name=S, vrid=I, prio=I, to=S, reason=S, iface=S, vip=S)
state["from"] = state.pop("to")
inst = dict(name=S, state=S, vrid=I, prio=I, base_prio=I, iface=S, version=I,
            master=(S, N), rx=I, tx=I, transitions=I, became_master=I,
            accept=S, group=S, fault=S)
T = {"status": dict(name=S, pid=I, instances=I, master=I, backup=I, fault=I,
                    init=I, tracks=I),
     "track": dict(name=S, state=S, weight=I, dynweight=I),
     "instance": inst}
bad, seen = [], set()
for l in open(sys.argv[1]):
    e = json.loads(l)
    w = e.pop("event")
    seen.add(w if w in T else "state")
    want = T.get(w, state)
    for k, v in e.items():
        t = I if k.startswith("drop_") and w == "instance" else want.get(k)
        if t is None or not isinstance(v, t) or isinstance(v, bool):
            bad.append("%s %s=%r" % (w, k, v))
print("; ".join(bad) or "ok " + " ".join(sorted(seen)))' "$T_TMP/a.json")" \
    "ok instance state status track" "--json: state lines and control replies, each key of its type"
ok "unsolicited NA: the client's neighbour entry moved to b" \
    wait_for 2 arp_is $V6 "$(mac b)"
ok "the unicast instance is not tracked: stays on a" vip_only $V4U a a b
ok "client reaches the IPv6 VIP on b" wait_for 3 reach $V6
touch "$T_TMP/ok.a"
ok "track command passes again: v6 back on a" wait_for 5 vip_only $V6 a a b


ok "VRRPv2 + PASS: a holds $V2P" wait_for 5 all_on a
ok "client reaches all three VIPs" wait_for 8 reach_all
like "$(ctl b 'show instances' | grep '^instance v2p')" \
    "state=BACKUP .*master=192.0.2.1 rx=[1-9].*drop_auth=0 " \
    "VRRPv2: b accepts a's PASS adverts"

echo "down svc" >&7
ok "track-fd down: every instance moves to b" wait_for 5 all_on b
ok "client reaches all three on b" wait_for 8 reach_all
echo "up svc" >&7
ok "track-fd up: a preempts every instance back" wait_for 5 all_on a
ok "client reaches all three on a" wait_for 8 reach_all

ns_link a eth0 down
ok "link down: a drops its VIPs, b takes all three" wait_for 8 all_on b
ok "client reaches all three on b" wait_for 8 reach_all
ns_link a eth0 up
ok "link up: a preempts every instance back" wait_for 10 all_on a
ok "client reaches all three on a" wait_for 8 reach_all
lla=$(ip -n "$(_ns_name a)" -6 -br addr show dev eth0 scope link | awk '{print $3}')
like "$(ctl b 'show instances' | grep '^instance v6')" \
    "state=BACKUP .*master=${lla%/*} " \
    "IPv6: after link up a advertises again from its link-local address"

kill -TERM "$VR_a"
ok "SIGTERM: every instance moves to b (priority 0)" wait_for 5 all_on b
ok "a exits" wait_gone 5 "$VR_a"
ok "client reaches all three on b" wait_for 8 reach_all
vr_start a -f "$T_TMP/a.conf" --json --track-fd 7 || bail "vrrpd a again"
ok "a restarted: preempts every instance back" wait_for 5 all_on a
ok "client reaches all three on a" wait_for 8 reach_all

kill -9 "$VR_a"
ok "kill -9: unicast VIP moves to b" wait_for 5 has_vip b $V4U
ok "kill -9: IPv6 VIP moves to b" wait_for 5 has_vip b $V6
ok "kill -9: VRRPv2 VIP moves to b" wait_for 8 has_vip b $V2P
ok "client reaches all three" wait_for 8 reach_all
done_testing
