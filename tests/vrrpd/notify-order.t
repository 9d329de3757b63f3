#!/bin/bash
# SPDX-License-Identifier: ISC
# Notify is never lost nor reordered.  Each instance's notify commands run
# one at a time in the order of its state changes (the state's own notify
# first, then the generic one, as keepalived starts them), so under
# flapping the notify log ends with the final state even when an earlier
# notify is slower than a later one.  And the limit on concurrent children
# queues commands instead of dropping them: 32 instances changing state at
# once, every notify of every change runs.
. "$(dirname "$0")/lib.sh"
needs_root
topo a

# slow for MASTER, quicker for BACKUP, at once for FAULT: run side by
# side, later notifies would overtake earlier ones
cat > "$T_TMP/log.sh" <<EOS
#!/bin/sh
case "\$*" in
*MASTER*|own-master) sleep 0.4 ;;
*BACKUP*) sleep 0.2 ;;
esac
echo "\$*" >> "$T_TMP/notify.log"
EOS
chmod 755 "$T_TMP/log.sh"
: > "$T_TMP/notify.log"
cat > "$T_TMP/a.conf" <<EOC
vrrp_instance flap {
    version 3
    interface eth0
    virtual_router_id 51
    priority 150
    advert_int 0.1
    notify "$T_TMP/log.sh"
    notify_master "$T_TMP/log.sh own-master"
    virtual_ipaddress {
        $VIP/24
    }
}
EOC
mkfifo "$T_TMP/fd.a"
exec 7<>"$T_TMP/fd.a"
vr_start a -f "$T_TMP/a.conf" --track-fd 7 || bail "vrrpd a"
ok "a becomes master" wait_file_line 5 "$T_TMP/a.out" '^MASTER flap'
# flap: FAULT, BACKUP, FAULT, BACKUP, MASTER, then FAULT for good
echo down >&7; echo up >&7; echo down >&7; echo up >&7
ok "master again after the flaps" wait_for 5 sh -c "[ \$(grep -c '^MASTER flap' '$T_TMP/a.out') -ge 2 ]"
echo down >&7
ok "final state FAULT" wait_for 5 state_is a FAULT

states() { awk '$2 == "flap" { print $1 }' "$T_TMP/a.out"; }
generic() { awk '$1 == "INSTANCE" { print $3 }' "$T_TMP/notify.log"; }
n=$(states | wc -l)
ok "every state change's notify ran ($n)" \
    wait_for 30 sh -c "[ \$(grep -c '^INSTANCE' '$T_TMP/notify.log') -ge $n ]"
is "$(generic | tr '\n' ' ')" "$(states | tr '\n' ' ')" \
    "the notify log has the state changes in their order"
is "$(tail -1 "$T_TMP/notify.log")" "INSTANCE flap FAULT 150" \
    "its last line is the final state"
is "$(grep -A1 -x own-master "$T_TMP/notify.log" | grep -c '^INSTANCE flap MASTER')" \
    "$(grep -c -x own-master "$T_TMP/notify.log")" \
    "notify_master runs before the generic notify of the same change"
kill "$VR_a"
wait_gone 10 "$VR_a"
ok "notify for STOP ran at shutdown, last" \
    wait_for 10 sh -c "tail -1 '$T_TMP/notify.log' | grep -qx 'INSTANCE flap STOP 150'"

# --- 32 instances at once: nothing dropped --------------------------------
cat > "$T_TMP/slow.sh" <<EOS
#!/bin/sh
sleep 1
echo "\$*" >> "$T_TMP/many.log"
EOS
chmod 755 "$T_TMP/slow.sh"
: > "$T_TMP/many.log"
for i in $(seq 1 32); do
	cat <<EOC
vrrp_instance i$i {
    version 3
    interface eth0
    virtual_router_id $i
    priority 150
    advert_int 0.1
    notify "$T_TMP/slow.sh"
    notify_backup "$T_TMP/slow.sh backup i$i"
    notify_master "$T_TMP/slow.sh master i$i"
    virtual_ipaddress {
        192.0.2.$((100 + i))/24
    }
}
EOC
done > "$T_TMP/many.conf"
rm -f "$T_TMP/a.sock"
vr_start a -f "$T_TMP/many.conf" || bail "vrrpd a (32 instances)"
ok "all 32 become master" wait_for 10 sh -c "[ \$(grep -c '^MASTER i' '$T_TMP/a.out') -eq 32 ]"
ok "all 128 notifies ran (32 x BACKUP and MASTER, own and generic)" \
    wait_for 40 sh -c "[ \$(wc -l < '$T_TMP/many.log') -ge 128 ]"
is "$(grep -c '^master i' "$T_TMP/many.log")" 32 "every notify_master ran"
is "$(grep -c '^INSTANCE i[0-9]* MASTER 150$' "$T_TMP/many.log")" 32 \
    "every generic MASTER notify ran"
done_testing
