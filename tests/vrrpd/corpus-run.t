#!/bin/bash
# SPDX-License-Identifier: ISC
# Real keepalived.conf files (tests/vrrpd/corpus/, as corpus.t), run, not
# only checked: keepalived 2.2.7 then vrrpd each start on the file, and
# the data dump each writes on SIGUSR1 (keepalived's /tmp/keepalived.data,
# in a directory of the test's through $TMPDIR, as keepalived-files.t)
# must say the same of every instance and vrrp_script in it: version,
# interface, VRID, priority, advert interval, accept, preempt and its
# delay, promote_secondaries, authentication, VIPs (excluded too), track
# scripts and their weights, each script's command (as keepalived prints
# it: each word execve() gets quoted, the program by its real path),
# interval, timeout, weight, rise and fall.  corpus-run.py
# compares the two, leaving out what the run decides (state, timers,
# counts, a source address taken from the host).
#
# Left out by design: "Send advert after receive higher priority advert"
# (keepalived's higher_prio_send_advert, false unless set; vrrpd(8):
# "ignored: vrrpd always does it: a master that steps down sends a
# parting advert").
#
# Also compared: the source and group (unicast_src_ip, multicast
# address), unicast peers, TTL, check and checksum, the password and
# "Authentication type = none", track_interface, dont_track_primary,
# sync group membership, lower_prio_no_advert, notify scripts,
# notify_deleted, smtp_alert, notify_priority_changes, use_vmac (the
# interface as "vrrp.51, vmac on eth0", VIPs on it as "dev
# vrrp.51@eth0") and each list's title as printed ("Virtual IP (1):",
# "Virtual IP Excluded :", none without VIPs).  Applied as keepalived, not yet in vrrpd's dump (kadump.c prints
# them not; corpus-run.py compares each once it does):
# vrrp_skip_check_adv_addr (read in cfgcheck.c), virtual_routes and
# virtual_rules.
# A notify command missing at start-up is checked by running, at the end.
#
# Each file in namespaces of its own (network, mount, pid): the
# interfaces it names, veth pairs with their peers in the namespace (no
# packet leaves it), stub scripts at the paths it names under
# /etc/keepalived and /opt (corpus.t's), no DNS (hosts: files).  A subset
# chosen by the keywords it uses: every keyword of the corpus's files that
# both accept is in one file of it at least, but for track_process (only
# mall0c-keydb.conf has it): "the proc connector speaks only to the
# initial network and PID namespaces", and there vrrpd "refuses to
# start".  And sshalome-tbc.conf, which both flag (-t): its vrrp_script's
# program is not there, keepalived disables the script and its
# track_script line.
. "$(dirname "$0")/lib.sh"
needs_root
command -v keepalived >/dev/null || cannot_run "keepalived not installed"
C=$T_TOP/tests/vrrpd/corpus

FILES="
cronocide-hashistack.conf docker-keepalived-492162921.conf
doohee-haproxy.conf enbiyagoral-k8s.conf engahmed-ha-lb.conf
juliosm98-script.conf ka-samples-vrrp.conf ka-samples-vrrp.localcheck.conf
neutron-l3-ha.conf
ka-samples-vrrp.sync.conf octavia-amphora-v4.conf
paul-weqe-docker.conf snakeeyezx-postgres.conf sshalome-tbc.conf
"

. "$T_TOP/tests/vrrpd/corpus.sh"

# RUN, by bash in new network, mount and pid namespaces, $1 = the file,
# $2 its interfaces, $3 its scripts, $4 a directory: keepalived's dump
# in $4/keepalived.data, vrrpd's in $4/vrrpd.data (each program's output
# in $4/PROG.log).  The namespaces go with it, and every process in them.
RUN='
	. "$T_TOP/tests/lib/wait.sh"
	f=$1 o=$4
	mount --make-rprivate /
	umount -l /sys && mount -t sysfs none /sys || exit 1
	mount --bind "$T_TMP/nsswitch.files" /etc/nsswitch.conf || exit 1
	for d in /etc/keepalived /opt; do
		# the stubs go on a tmpfs, never on the host: no $d, no run
		[ -d "$d" ] && mount -t tmpfs -o mode=755 none "$d" || exit 1
	done
	for s in $3; do
		mkdir -p "${s%/*}" && printf "#!/bin/sh\nexit 0\n" > "$s" &&
		    chmod 755 "$s"
	done
	ip link set lo up
	for i in $2; do
		ip link add "$i" type veth peer name "p${i:0:13}" &&
		    ip link set "$i" up && ip link set "p${i:0:13}" up
	done
	# keepalived writes its file in place: whole once the next section is
	mkdir "$o/k" "$o/v"
	TMPDIR=$o/k keepalived -n -l -D -f "$f" -p "$o/k.pid" -r "$o/r.pid" \
	    -c "$o/c.pid" >"$o/keepalived.log" 2>&1 &
	p=$!	# (a wait sets $! too: its <() pipe)
	wait_file_line 10 "$o/keepalived.log" "Startup complete" &&
	    kill -USR1 $p &&
	    wait_file_line 5 "$o/k/keepalived.data" "< Interfaces >" &&
	    cp "$o/k/keepalived.data" "$o/keepalived.data"
	kill -TERM $p
	TMPDIR=$o/v vrrpd -f "$f" >"$o/vrrpd.log" 2>&1 &
	p=$!
	wait_file_line 10 "$o/vrrpd.log" "started:" && kill -USR1 $p &&
	    wait_for 5 test -s "$o/v/keepalived.data" &&
	    cp "$o/v/keepalived.data" "$o/vrrpd.data"
	kill -TERM $p
'
printf 'hosts: files\n' >"$T_TMP/nsswitch.files"

n=0
for b in $FILES; do
	n=$((n + 1))
	mkdir "$T_TMP/$n"
	T_TOP=$T_TOP T_TMP=$T_TMP unshare -n -m -p -f --mount-proc \
	    bash -c "$RUN" _ "$C/$b" "$(ifnames "$C/$b" | tr '\n' ' ')" \
	    "$(scripts "$C/$b" | tr '\n' ' ')" "$T_TMP/$n" &
	while [ "$(jobs -rp | wc -l)" -ge 4 ]; do wait -n; done
done
wait

n=0
for b in $FILES; do
	n=$((n + 1))
	o=$T_TMP/$n
	d=$("$T_TOP/tests/vrrpd/corpus-run.py" "$o/keepalived.data" \
	    "$o/vrrpd.data" 2>&1)
	# not an empty match: settings were read from both dumps
	like "$d" '^compared [1-9]' "$b: both dumps read" ||
	    tail -n 3 "$o/keepalived.log" "$o/vrrpd.log" | sed 's/^/#   /'
	is "$(grep -v '^compared' <<<"$d")" "" \
	    "$b: vrrpd sets up what keepalived does"
done

# A notify command whose program is not there at start-up (as
# ka-samples-vrrp.scripts.conf's /usr/local/bin/vrrp.sh): keepalived
# never runs it, not even once it is there.  Each daemon, in namespaces
# of its own, on eth0 with an address: BACKUP, its track file makes it
# FAULT, then BACKUP again; late.sh is made after the start, before the
# FAULT.  present.sh, there from the start, says when each change's
# commands ran: after the second BACKUP's, the FAULT's generic notify
# would have run long before.
NOTIFY='
	. "$T_TOP/tests/lib/wait.sh"
	o=$1
	ip link add eth0 type veth peer name peth0 && ip link set eth0 up &&
	    ip link set peth0 up && ip addr add 192.0.2.1/24 dev eth0 || exit 1
	echo 0 >"$o/tf"
	printf "#!/bin/sh\necho \$1 >>%s/present.ran\n" "$o" >"$o/present.sh"
	chmod 755 "$o/present.sh"
	cat >"$o/n.conf" <<EOF
vrrp_track_file tf {
    file "$o/tf"
}
vrrp_instance VI_1 {
    interface eth0
    virtual_router_id 51
    priority 100
    advert_int 1
    track_file {
        tf weight 0
    }
    notify "$o/late.sh"
    notify_fault "$o/present.sh fault"
    notify_backup "$o/present.sh backup"
    virtual_ipaddress {
        192.0.2.9
    }
}
EOF
	if [ "$2" = keepalived ]; then
		keepalived -n -l -D -f "$o/n.conf" -p "$o/k.pid" -r "$o/r.pid" \
		    -c "$o/c.pid" >"$o/log" 2>&1 &
	else
		vrrpd -f "$o/n.conf" >"$o/log" 2>&1 &
	fi
	p=$!
	wait_file_line 10 "$o/present.ran" "^backup" || exit 1
	printf "#!/bin/sh\necho ran >>%s/late.ran\n" "$o" >"$o/late.sh"
	chmod 755 "$o/late.sh"
	echo 1 >"$o/tf"
	wait_file_line 10 "$o/present.ran" "^fault" || exit 1
	echo 0 >"$o/tf"
	again() { [ "$(grep -c backup "$o/present.ran")" -ge 2 ]; }
	wait_for 10 again || exit 1
	kill -TERM $p
	[ -e "$o/late.ran" ] && echo "run once there" || echo "never run"
'
for d in keepalived vrrpd; do
	mkdir "$T_TMP/notify.$d"
	T_TOP=$T_TOP unshare -n -m -p -f --mount-proc bash -c "$NOTIFY" _ \
	    "$T_TMP/notify.$d" "$d" >"$T_TMP/notify.$d.out" 2>&1 &
done
wait
is "$(cat "$T_TMP/notify.keepalived.out")" "never run" \
    "keepalived: a notify command missing at start-up is never run" ||
    tail -n 5 "$T_TMP/notify.keepalived/log" | sed 's/^/#   /'
is "$(cat "$T_TMP/notify.vrrpd.out")" "never run" \
    "vrrpd: a notify command missing at start-up is never run" ||
    tail -n 5 "$T_TMP/notify.vrrpd/log" | sed 's/^/#   /'

done_testing
