#!/bin/bash
# SPDX-License-Identifier: ISC
# promote_secondaries against keepalived 2.2.7, the same files on host a
# for each daemon in turn.  Two VIPs share a subnet of their own,
# 198.51.100.10/24 and .11/24: the kernel makes the first the subnet's
# primary address and the second a secondary, so removing the first (a
# reload that drops it) removes the second with it unless the
# interface's promote_secondaries is set.  ip monitor watches the
# reload: with the keyword the second VIP is never deleted, without it
# it is (whatever the daemon does next).  With the keyword each daemon
# sets the sysctl (read back from /proc) and the old value (0, set by
# the test) is back after the stop; without it the sysctl stays 0.
. "$(dirname "$0")/lib.sh"
needs_root
command -v keepalived >/dev/null || cannot_run "keepalived not installed"
topo a

conf() {	# conf EXTRA VIP...
	local x=$1 v
	shift
	printf 'vrrp_instance VI_1 {\n    interface eth0\n'
	printf '    virtual_router_id 51\n    priority 100\n    advert_int 1\n'
	printf '%s\n    virtual_ipaddress {\n' "$x"
	for v in "$@"; do
		printf '        %s/24\n' "$v"
	done
	printf '    }\n}\n'
}
V1=198.51.100.10
V2=198.51.100.11
P=/proc/sys/net/ipv4/conf
promote() { ns_run a cat "$P/eth0/promote_secondaries"; }
# the kernel looks at "all" or the interface's: both 0 to start with
ns_run a sh -c "echo 0 > $P/all/promote_secondaries && \
    echo 0 > $P/eth0/promote_secondaries" || bail "cannot set the sysctl"
mon_lines() { grep -c "Deleted.* $1/" "$T_TMP/mon" 2>/dev/null; }
# mon_ready: the monitor reports a probe address's removal (an open
# socket alone does not say it has subscribed yet)
PROBE=203.0.113.9
mon_ready() {
	ns_run a ip addr add $PROBE/32 dev eth0 2>/dev/null
	ns_run a ip addr del $PROBE/32 dev eth0 2>/dev/null
	[ "$(mon_lines $PROBE)" -ge 1 ]
}

conf "    promote_secondaries" $V1 $V2 > "$T_TMP/with.conf"
exit_is 0 "vrrpd -t accepts promote_secondaries" \
    sh -c 'vrrpd -t -f "$1" >/dev/null 2>&1' _ "$T_TMP/with.conf"
for d in keepalived vrrpd; do
	for c in with without; do
		n=$d-$c
		x=""; [ $c = with ] && x="    promote_secondaries"
		conf "$x" $V1 $V2 > "$T_TMP/$n.conf"
		either_start $d a "$T_TMP/$n.conf"
		pid=$D_PID
		ok "$n: master with both VIPs" \
		    wait_for 20 eval "has_vip a $V1 && has_vip a $V2"
		want=0; [ $c = with ] && want=1
		is "$(promote)" $want "$n: promote_secondaries is $want"
		# ip netns exec execs ip: $! is the monitor itself
		ip netns exec "$(_ns_name a)" ip -o monitor address \
		    > "$T_TMP/mon" 2>&1 &
		mon=$!
		cleanup_push "kill $mon 2>/dev/null"
		wait_for 10 mon_ready || bail "ip monitor"
		# the reload drops the subnet's primary address
		conf "$x" $V2 > "$T_TMP/$n.conf"
		kill -HUP "$pid"
		ok "$n: reloaded, $V1 gone" wait_for 20 eval \
		    "[ \"\$(mon_lines $V1)\" -ge 1 ]"
		kill "$mon"; wait "$mon" 2>/dev/null
		sed "s/^/# $n: /" "$T_TMP/mon"
		if [ $c = with ]; then
			is "$(mon_lines $V2)" 0 "$n: $V2 never deleted"
		else
			ok "$n: $V2 deleted with it" \
			    test "$(mon_lines $V2)" -ge 1
		fi
		kill -TERM "$pid"
		wait_gone 15 "$pid"
		ok "$n: stopped, VIPs gone" wait_for 5 \
		    eval "no_vip a $V1 && no_vip a $V2"
		is "$(promote)" 0 "$n: promote_secondaries 0 again"
	done
done
done_testing
