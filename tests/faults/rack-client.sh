#!/bin/sh
# SPDX-License-Identifier: ISC
# dhclient -sf hook for tests/faults/rack.sh: does what dhclient-script
# does for the address (so renewals go out unicast from it, as on a real
# node) and logs each event with the address held after it, for the
# verdict: "EPOCH.MS REASON ADDRESS" ("-" when none is held).
# $1: the client's directory (held = the address configured now).
# shellcheck disable=SC2154 # reason, interface, new_ip_address: dhclient's
PATH=/usr/sbin:/usr/bin:/sbin:/bin
d=$1
held=$(cat "$d/held" 2>/dev/null)
drop() { [ -n "$held" ] && ip addr del "$held/24" dev "$interface" 2>/dev/null; }
case $reason in
BOUND|RENEW|REBIND|REBOOT)
	[ "$held" != "$new_ip_address" ] && drop
	ip addr replace "$new_ip_address/24" dev "$interface"
	echo "$new_ip_address" > "$d/held"
	echo "$(date +%s.%3N) $reason $new_ip_address" >> "$d/events"
	;;
EXPIRE|FAIL|RELEASE|STOP)
	drop
	: > "$d/held"
	echo "$(date +%s.%3N) $reason -" >> "$d/events"
	;;
esac
exit 0
