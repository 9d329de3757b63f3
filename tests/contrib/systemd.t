#!/bin/bash
# SPDX-License-Identifier: ISC
# The units of contrib/systemd under a real systemd: PID 1 here is not
# systemd, so systemd is booted as PID 1 of new PID, mount, network, UTS,
# IPC and cgroup namespaces, over an overlay of / (tests/contrib/sdboot.sh),
# with the programs just built in /usr/local.  Each unit is started with
# systemctl: it reaches active, its daemon runs as the unit's user with the
# capabilities the man pages say (and no_new_privs), does its job (an
# HTTP check answered, a connection proxied, a VIP taken, a lease pair
# synced), "systemctl reload" does what the unit says (vrrpd and hashproxy
# reload in place; the others have no reload and refuse it, still
# running), and "systemctl stop" ends it with success.  svccheck-watch@
# cannot run there: the kernel's proc connector answers only the initial
# PID and network namespaces (svccheck(1)); units.t checks that unit.
. "$(dirname "$0")/../lib/tap.sh"
needs_root
for c in unshare nsenter findmnt; do
	command -v "$c" >/dev/null || cannot_run "$c (util-linux) is needed"
done
[ -x /lib/systemd/systemd ] || cannot_run "systemd is needed (tests/lib/deps.sh)"
cg2=$(findmnt -n -t cgroup2 -o TARGET | head -1)
[ -n "$cg2" ] || cannot_run "no cgroup2 hierarchy is mounted: systemd needs one"
for p in pgwatch svccheck vrrpd hashproxy dhcpsync; do
	[ -x "$T_TOP/$p/$p" ] || cannot_run "$p is not built (make all)"
done

# the new root's contents: binaries where the units look, the units, and
# a config for each
cat >"$T_TMP/prep.sh" <<EOP
#!/bin/bash
set -eu
R=\$1
install -m 755 "$T_TOP/pgwatch/pgwatch" "$T_TOP/svccheck/svccheck" "\$R/usr/local/bin/"
install -m 755 "$T_TOP/vrrpd/vrrpd" "$T_TOP/hashproxy/hashproxy" \\
    "$T_TOP/dhcpsync/dhcpsync" "\$R/usr/local/sbin/"
cp "$T_TOP"/contrib/systemd/*.service "\$R/etc/systemd/system/"
printf '[Unit]\nDescription=hatools test boot\n' >"\$R/etc/systemd/system/hatools-test.target"
mkdir -p "\$R/etc/hatools" "\$R/etc/haproxy" "\$R/etc/keepalived"
install -m 600 /dev/null "\$R/etc/hatools/pgwatch.pgpass"
cp "$T_TMP/haproxy.cfg" "\$R/etc/haproxy/haproxy.cfg"
cp "$T_TMP/keepalived.conf" "\$R/etc/keepalived/keepalived.conf"
# (this network namespace is the new systemd's)
ip link add hcv0 type veth peer name hcv1
ip addr add 10.99.0.1/24 dev hcv0
ip link set hcv0 up
ip link set hcv1 up
# dhcpd's user as Ubuntu has it, and Kea's
for u in dhcpd _kea; do
	chroot "\$R" id "\$u" >/dev/null 2>&1 ||
	    chroot "\$R" useradd --system --no-create-home --home-dir /nonexistent "\$u"
done
mkdir -p "\$R/var/lib/dhcp/peer" "\$R/var/lib/kea/peer" "\$R/run/kea"
touch "\$R/var/lib/dhcp/dhcpd.leases" "\$R/var/lib/dhcp/peer/dhcpd.leases" \\
    "\$R/var/lib/kea/kea-leases4.csv" "\$R/var/lib/kea/peer/kea-leases4.csv"
chroot "\$R" chown -R dhcpd:dhcpd /var/lib/dhcp
chroot "\$R" chown -R _kea:_kea /var/lib/kea /run/kea
echo "PEER=exec /usr/local/sbin/dhcpsync --leases /var/lib/dhcp/peer/dhcpd.leases" \\
    >"\$R/etc/default/dhcpsync"
echo "PEER=exec /usr/local/sbin/dhcpsync --leases /var/lib/kea/peer/kea-leases4.csv --kea-socket /run/kea/peer-socket" \\
    >"\$R/etc/default/dhcpsync-kea"
EOP
chmod 755 "$T_TMP/prep.sh"
cat >"$T_TMP/haproxy.cfg" <<EOH
global
    maxconn 100
defaults
    mode tcp
    timeout connect 1s
    timeout client 5s
    timeout server 5s
frontend web
    bind 127.0.0.1:80
    default_backend app
backend app
    balance source
    server s1 127.0.0.1:8080
EOH
cat >"$T_TMP/keepalived.conf" <<EOK
vrrp_instance VI_1 {
    state MASTER
    interface hcv0
    virtual_router_id 51
    priority 150
    advert_int 1
    virtual_ipaddress {
        10.99.0.100/24
    }
}
EOK

# boot, in a cgroup of its own (the namespace's root)
CG=$cg2/$T_ID
mkdir "$CG" || cannot_run "cannot make a cgroup in $cg2"
cleanup_push "find '$CG' -depth -type d -exec rmdir {} + 2>/dev/null"
mkdir "$T_TMP/mnt"
(
	echo "$BASHPID" >"$CG/cgroup.procs"
	exec unshare --mount --pid --fork --kill-child --net --uts --ipc \
	    --cgroup "$T_TOP/tests/contrib/sdboot.sh" "$T_TMP/mnt" "$T_TMP/prep.sh"
) >"$T_TMP/boot.log" 2>&1 &
UN=$!
cleanup_push "kill -9 $UN 2>/dev/null; wait_gone 20 $UN"
sdpid() { SD=$(pgrep -P "$UN" -x systemd); [ -n "$SD" ]; }
ok "systemd runs as PID 1 of the namespaces" wait_for 30 sdpid
sdpid
sd() { nsenter -t "$SD" -m -p -n -u -i -- "$@"; }
running() { case $(sd systemctl is-system-running 2>/dev/null) in running|degraded) ;; *) false ;; esac; }
if ! ok "... and finishes booting" wait_for 60 running; then
	sed 's/^/#   /' "$T_TMP/boot.log" | head -20
	done_testing
	exit
fi

prop() { sd systemctl show -p "$2" --value "$1"; }
status() {	# PID KEY: the value(s) in the namespace's /proc/PID/status
	sd awk -v k="$2:" '$1 == k { $1 = ""; sub(/^ /, ""); print }' "/proc/$1/status"
}
# the capability sets of every thread of PID, one line each set
caps() {
	sd sh -c "cat /proc/$1/task/*/status" |
	    awk '/^Cap(Eff|Prm|Amb|Bnd):/ { print $1, $2 }' | sort -u
}
nocaps=$'CapAmb: 0000000000000000\nCapBnd: 0000000000000000\nCapEff: 0000000000000000\nCapPrm: 0000000000000000'
sctl() { timeout 60 nsenter -t "$SD" -m -p -n -u -i -- systemctl "$@"; }
start() {	# UNIT: started, active, and MAIN its pid
	sctl start "$1" >/dev/null 2>&1
	is "$(prop "$1" ActiveState)" active "$1: systemctl start: active" ||
	    sd journalctl -q -u "$1" --no-pager | tail -5 | sed 's/^/#   /'
	MAIN=$(prop "$1" MainPID)
}
stop() {	# UNIT
	sctl stop "$1"
	is "$(prop "$1" ActiveState)/$(prop "$1" Result)/$(prop "$1" ExecMainStatus)" \
	    inactive/success/0 "$1: systemctl stop: a clean end (exit 0)"
}
noreload() {	# UNIT: no ExecReload: refused, and it runs on, the same process
	nok "$1: systemctl reload: refused (the unit has no reload)" \
	    eval 'sctl reload "$1" 2>/dev/null'
	is "$(prop "$1" ActiveState)/$(prop "$1" MainPID)" "active/$MAIN" \
	    "$1: ... and still runs, the same process"
}
journal_has() { sd journalctl -q -u "$1" --no-pager | grep -Eq -- "$2"; }
dyn() { [ "$1" -ge 61184 ] && [ "$1" -le 65519 ]; }
uid_of() { status "$1" Uid | awk '{ print $1 }'; }

# pgwatch: a dynamic user, no capability; /liveness answers
start pgwatch.service
uid=$(uid_of "$MAIN")
ok "pgwatch: runs as a dynamic user (uid $uid)" dyn "$uid"
is "$(caps "$MAIN")" "$nocaps" "pgwatch: no capability"
is "$(status "$MAIN" NoNewPrivs)" 1 "pgwatch: no_new_privs"
code() { sd curl -s -m 5 -o /dev/null -w '%{http_code}' "http://127.0.0.1:8008/$1"; }
ok "pgwatch: /liveness 200 on 127.0.0.1:8008" wait_for 10 eval '[ "$(code liveness)" = 200 ]'
noreload pgwatch.service
stop pgwatch.service

# hashproxy: a dynamic user; :80 bound, then no thread keeps a capability
sd sh -c "socat TCP-LISTEN:8080,bind=127.0.0.1,reuseaddr,fork SYSTEM:'echo backend' \
    </dev/null >/dev/null 2>&1 & echo \$! >/run/backend.pid"
start hashproxy.service
uid=$(uid_of "$MAIN")
ok "hashproxy: runs as a dynamic user (uid $uid)" dyn "$uid"
# (its bounding set is the unit's: a dynamic user cannot empty it, and
# with no_new_privs and no exec nothing can use it)
is "$(caps "$MAIN")" "${nocaps/CapBnd: 0000000000000000/CapBnd: 0000000000000400}" \
    "hashproxy: :80 bound, then no capability in any thread"
is "$(status "$MAIN" NoNewPrivs)" 1 "hashproxy: no_new_privs"
through() { [ "$(sd socat -T 5 - TCP:127.0.0.1:80 </dev/null 2>/dev/null)" = backend ]; }
ok "hashproxy: a connection to :80 reaches the backend" wait_for 10 through
sctl reload hashproxy.service
ok "hashproxy: systemctl reload: the config checked, then reloaded" \
    wait_for 10 journal_has hashproxy.service 'reloaded /etc/haproxy/haproxy.cfg'
is "$(prop hashproxy.service MainPID)" "$MAIN" "hashproxy: ... in place, the same process"
ok "hashproxy: ... and it still proxies" through
stop hashproxy.service
sd sh -c 'kill "$(cat /run/backend.pid)"'

# vrrpd: root with CAP_NET_RAW and CAP_NET_ADMIN only; takes its VIP
start vrrpd.service
is "$(status "$MAIN" Uid)" "0 0 0 0" "vrrpd: runs as root (its scripts may need it)"
is "$(status "$MAIN" CapEff)/$(status "$MAIN" CapPrm)/$(status "$MAIN" CapBnd)" \
    0000000000003000/0000000000003000/0000000000003000 \
    "vrrpd: CAP_NET_RAW and CAP_NET_ADMIN, nothing else, bounding set included"
is "$(status "$MAIN" NoNewPrivs)" 1 "vrrpd: no_new_privs"
vip() { sd ip -4 -br addr show hcv0 | grep -q ' 10\.99\.0\.100/24'; }
ok "vrrpd: MASTER, with its VIP on hcv0" wait_for 20 vip
sctl reload vrrpd.service
ok "vrrpd: systemctl reload: keepalived.conf reloaded" \
    wait_for 10 journal_has vrrpd.service 'reloaded: 1 instance'
is "$(prop vrrpd.service MainPID)" "$MAIN" "vrrpd: ... in place, the same process"
ok "vrrpd: ... the VIP kept" vip
stop vrrpd.service
nok "vrrpd: stopped: the VIP is gone" vip
# a file keepalived runs though its -t complains: -t exits 3, vrrpd runs it
sd sed -i 's/advert_int 1$/advert_int 0.5/' /etc/keepalived/keepalived.conf
is "$(sd /usr/local/sbin/vrrpd -t -f /etc/keepalived/keepalived.conf >/dev/null 2>&1; echo $?)" 3 \
    "(advert_int 0.5 for VRRPv2: vrrpd -t warns, exit 3)"
start vrrpd.service
ok "vrrpd: ... and its unit starts it all the same, as keepalived's would" wait_for 20 vip
stop vrrpd.service

# dhcpsync: the lease file's owner, no capability; its pair syncs
for u in dhcpsync dhcpsync-kea; do
	owner=dhcpd
	[ "$u" = dhcpsync-kea ] && owner=_kea
	start "$u.service"
	is "$(uid_of "$MAIN")" "$(sd id -u "$owner")" "$u: runs as $owner, the lease file's owner"
	is "$(caps "$MAIN")" "$nocaps" "$u: no capability"
	is "$(status "$MAIN" NoNewPrivs)" 1 "$u: no_new_privs"
	ok "$u: its --peer pair syncs" wait_for 20 journal_has "$u.service" "synced n="
	peer=$(sd pgrep -P "$MAIN" | head -1)
	is "$(uid_of "${peer:-0}" 2>/dev/null)" "$(sd id -u "$owner")" \
	    "$u: the --peer command runs as $owner too"
	noreload "$u.service"
	stop "$u.service"
done

# svccheck-watch@: what the kernel does not allow here, said clearly
sctl start svccheck-watch@sleep.service >/dev/null 2>&1
ok "svccheck-watch@: outside the initial namespaces it fails, saying why" \
    wait_for 10 journal_has svccheck-watch@sleep.service \
    'proc connector: subscribe \(it answers only in the initial network namespace\)'
sctl stop svccheck-watch@sleep.service

# poweroff: systemd ends, and its namespaces with it
kill -s SIGRTMIN+4 "$SD"
ok "systemd powers off when asked" wait_gone 60 "$UN" ||
    sd ps -e -o pid,stat,comm | sed 's/^/#   /'
done_testing
