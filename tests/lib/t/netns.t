#!/bin/bash
# SPDX-License-Identifier: ISC
# netns.sh: hosts on a bridge reach each other, and nothing is left behind
# however the test ends.
. "$(dirname "$0")/../tap.sh"
. "$T_TOP/tests/lib/netns.sh"
needs_root

ns_switch lan
ns_host lan a 192.0.2.1/24 2001:db8::1/64
ns_host lan b 192.0.2.2/24 2001:db8::2/64
ok "host a reaches host b over the bridge" ns_run a ping -q -c1 -W2 192.0.2.2
ok "IPv6 too" wait_for 5 ns_run a ping -6 -c1 -W1 2001:db8::2
ns_link b eth0 down
nok "a cut cable cuts the host off" ns_run a ping -q -c1 -W1 192.0.2.2
ns_link b eth0 up
ok "and restoring it brings it back" wait_for 5 ns_run a ping -c1 -W1 192.0.2.2
ns_spawn a pid sh -c 'echo $$ > '"$T_TMP/inner"'; exec sleep 1000'
ok "spawned process runs in its own PID namespace" wait_for 5 grep -qx 1 "$T_TMP/inner"
is "$(ns_run a ip -o link show | grep -c ' eth0')" 1 "host has its eth0"

# A child test makes namespaces and processes, then ends in several ways.
child() {
	bash -c '
		. "$1/tests/lib/tap.sh" >/dev/null
		. "$1/tests/lib/netns.sh"
		ns_switch sw && ns_host sw h 192.0.2.9/24 || exit 9
		ns_spawn h pid sleep 1000
		echo "$T_ID" > "$2"
		case $3 in
		normal) exit 0 ;;
		error)  exit 1 ;;
		term)   kill -TERM $$; sleep 5 ;;
		esac' child "$T_TOP" "$1" "$2"
}
for how in normal error term; do
	child "$T_TMP/id-$how" "$how"
	id=$(cat "$T_TMP/id-$how")
	is "$(ip netns list 2>/dev/null | grep -c "^$id-")" 0 "$how exit: no namespace left"
	is "$(ip -o link show | grep -c "v${id#ht}")" 0 "$how exit: no veth left"
done
done_testing
