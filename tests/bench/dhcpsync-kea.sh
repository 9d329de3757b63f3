#!/bin/bash
# SPDX-License-Identifier: ISC
# dhcpsync with Kea as the source: latency from a lease written by one
# kea-dhcp4 (lease4-add over its control socket; Kea appends the row to
# kea-leases4.csv before it answers) to that lease applied to a second
# kea-dhcp4 over its socket, against the lease4-add round trip alone (what
# one Kea write costs).  Both Keas serve no interface; every path private.
. "$(dirname "$0")/../lib/tap.sh" >/dev/null
HOOK=$(ls /usr/lib/*/kea/hooks/libdhcp_lease_cmds.so 2>/dev/null | head -1)
command -v kea-dhcp4 >/dev/null && [ -n "$HOOK" ] ||
	{ echo "kea-dhcp4 with lease_cmds not installed: no Kea rows"; exit 0; }
ROUNDS=${DHCPSYNC_BENCH_KEA_ROUNDS:-200}
for k in kp ks; do
	mkdir -p "$T_TMP/$k"
	cat > "$T_TMP/$k.json" <<-CONF
	{ "Dhcp4": {
		"interfaces-config": { "interfaces": [ ] },
		"control-socket": { "socket-type": "unix",
		    "socket-name": "$T_TMP/$k.sock" },
		"lease-database": { "type": "memfile", "persist": true,
		    "name": "$T_TMP/$k/kea-leases4.csv", "lfc-interval": 0 },
		"hooks-libraries": [ { "library": "$HOOK" } ],
		"subnet4": [ { "id": 1, "subnet": "10.64.0.0/16",
		    "pools": [ { "pool": "10.64.0.1 - 10.64.250.250" } ] } ],
		"loggers": [ { "name": "kea-dhcp4", "severity": "WARN",
		    "output_options": [ { "output": "$T_TMP/$k.log" } ] } ]
	} }
	CONF
	KEA_PIDFILE_DIR=$T_TMP/$k KEA_LOCKFILE_DIR=$T_TMP/$k \
	    kea-dhcp4 -c "$T_TMP/$k.json" > "$T_TMP/$k.out" 2>&1 &
	cleanup_push "kill $! 2>/dev/null"
	wait_for 20 test -S "$T_TMP/$k.sock" || { echo "kea $k did not start"; exit 1; }
done
export ROUNDS T_TMP
# not exec: the cleanup trap must outlive python to stop both Keas
python3 - <<'PY'
import os, socket, subprocess, time, statistics

tmp = os.environ["T_TMP"]; rounds = int(os.environ["ROUNDS"])

def kea(name, cmd):
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.connect(tmp + "/" + name + ".sock"); s.sendall(cmd.encode())
    out = b""
    while True:
        b = s.recv(65536)
        if not b: break
        out += b
    s.close()
    return out

def add(i):
    return kea("kp", '{ "command": "lease4-add", "arguments": { "ip-address": '
               '"10.64.%d.%d", "hw-address": "52:54:00:00:%02x:%02x" } }'
               % (i // 250, i % 250 + 1, i // 250, i % 250))

send = subprocess.Popen(["dhcpsync", "send", tmp + "/kp/kea-leases4.csv"],
                        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
recv = subprocess.Popen(["dhcpsync", "recv", tmp + "/ks/kea-leases4.csv",
                         "--kea-socket", tmp + "/ks.sock"], stdin=send.stdout,
                        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
send.stdout.close()
while not recv.stdout.readline().startswith("synced"):
    pass
lat, rtt = [], []
for i in range(rounds):
    t0 = time.monotonic()
    r = add(i)
    t1 = time.monotonic()
    assert b'"result": 0' in r, r
    while not recv.stdout.readline().startswith("applied"):
        pass
    lat.append((time.monotonic() - t0) * 1000); rtt.append((t1 - t0) * 1000)
got = kea("ks", '{ "command": "lease4-get", "arguments": { "ip-address": "10.64.0.1" } }')
send.terminate(); recv.terminate(); send.wait(); recv.wait()
p99 = lambda v: sorted(v)[max(0, int(len(v) * 0.99) - 1)]
med = statistics.median(lat)
print("Kea as the source (%d leases, one at a time)" % rounds)
print("%-44s %10.1f ms" % ("Kea->Kea latency median, dhcpsync", med))
print("%-44s %10.1f ms" % ("Kea->Kea latency p99, dhcpsync", p99(lat)))
print("%-44s %10.1f ms" % ("lease4-add round trip alone, median", statistics.median(rtt)))
print("%-44s %10.1f x" % ("latency / one Kea write", med / statistics.median(rtt)))
print("secondary holds the first lease: %s" % ('"result": 0' in got.decode()))
PY
