#!/bin/bash
# SPDX-License-Identifier: ISC
# --name, --notify, --track and --track-weight on the command line: a
# (150) tracks a file's existence with weight -60, b (100) backs it up.
# The file gone, a drops to 90 and b takes the VIP; back, a preempts.
# Every change runs --notify as keepalived's notify: INSTANCE name state prio.
# --track-timeout 3s: the default, the interval, is shorter than a fork and
# exec of the check takes on a loaded machine ("track track: timed out",
# then down, a spurious BACKUP at 90 and a third MASTER at 150 for the
# counts below; vrrpd.8: a short interval on a busy host needs a longer
# timeout).
. "$(dirname "$0")/lib.sh"
needs_root
topo a b
printf '#!/bin/sh\necho "$@" >> %s/notify.log\n' "$T_TMP" > "$T_TMP/notify.sh"
chmod 755 "$T_TMP/notify.sh"
: > "$T_TMP/notify.log"
touch "$T_TMP/flag"
args=(-i eth0 --vrid 71 --vip $VIP/24 --advert 100ms --vrrp-version 3)
vr_start a "${args[@]}" --priority 150 --name web --notify "$T_TMP/notify.sh" \
    --track "test -e $T_TMP/flag" --track-interval 200ms --track-timeout 3s \
    --track-weight -60 || bail "vrrpd a"
vr_start b "${args[@]}" --priority 100 || bail "vrrpd b"
ok "--name: a's state lines name the instance web" \
    wait_file_line 5 "$T_TMP/a.out" '^MASTER web vrid=71 prio=150'
ok "a alone holds the VIP" wait_for 5 only a a b
ok "--notify ran: INSTANCE web MASTER 150" \
    wait_file_line 5 "$T_TMP/notify.log" '^INSTANCE web MASTER 150$'

rm "$T_TMP/flag"
ok "--track fails, --track-weight -60: a goes BACKUP at 90" \
    wait_file_line 5 "$T_TMP/a.out" '^BACKUP web vrid=71 prio=90 '
ok "b holds the VIP" wait_for 5 only b a b
ok "--notify ran: INSTANCE web BACKUP 90" \
    wait_file_line 5 "$T_TMP/notify.log" '^INSTANCE web BACKUP 90$'
nok "a weight, not FAULT" grep -q '^FAULT' "$T_TMP/a.out"

touch "$T_TMP/flag"
ok "the check passes again: a preempts at 150" \
    wait_for 5 sh -c "grep -c '^MASTER web vrid=71 prio=150' '$T_TMP/a.out' | grep -qx 2"
ok "a holds the VIP again" wait_for 5 only a a b
ok "--notify ran for it" \
    wait_for 5 sh -c "grep -c '^INSTANCE web MASTER 150\$' '$T_TMP/notify.log' | grep -qx 2"
done_testing
