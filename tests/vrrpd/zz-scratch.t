#!/bin/bash
. "$(dirname "$0")/lib.sh"
topo a
host_init a
mkdir -m 0777 "$T_TMP/open"
mkdir -m 0755 "$T_TMP/safe"
printf '#!/bin/sh\necho "$1 uid=$(id -u)" >> %s/ran\n' "$T_TMP" > "$T_TMP/open/hook"
cp -p "$T_TMP/open/hook" "$T_TMP/safe/hook"; chmod 755 $T_TMP/*/hook
conf() { # GLOBALS DIR
cat <<EOC
global_defs {
$1
    startup_script "$T_TMP/$2/hook start"
    shutdown_script "$T_TMP/$2/hook stop"
}
vrrp_instance KA {
    interface eth0
    virtual_router_id 81
    priority 100
    advert_int 1
    virtual_ipaddress {
        192.0.2.81/24
    }
}
EOC
}
n=0
for g in "    enable_script_security
    script_user root" "    enable_script_security" ""; do
for dir in open safe; do
n=$((n+1))
conf "$g" $dir > $T_TMP/c$n.conf
echo "### case $n: [$g] $dir"
ns_run a keepalived -t -n -l -f $T_TMP/c$n.conf 2>&1 | grep -iv "notice\|Opening\|Running\|Command\|Starting\|^ *'" | sed 's/^/t: /'
echo "t rc=${PIPESTATUS[0]}"
rm -f $T_TMP/ran
ka_in a $T_TMP/c$n.conf
wait_for 8 grep -q "Entering MASTER" "$T_TMP/a.out"
kill -TERM $KA_a; wait_gone 15 $KA_a
sleep 1
grep -iv "notice\|Opening\|Running\|Command\|Starting\|^ *'\|gratuitous\|netlink\|sockpool\|Assigned" $T_TMP/a.out | sed 's/^[^:]*:[^:]*:[^:]*: /  /'
: > $T_TMP/a.out
echo "ran: $(cat $T_TMP/ran 2>/dev/null | tr '\n' ' ')"
done
done
ok 1 x
done_testing
