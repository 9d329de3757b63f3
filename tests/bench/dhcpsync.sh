#!/bin/bash
# SPDX-License-Identifier: ISC
# dhcpsync against copying the file (rsync, cp+fsync): initial sync of
# 100,000 leases, replication latency from a lease block written (as dhcpd
# appends it) to it being durable in the peer's file (median, p99),
# leases/s, and resident memory with and without superseded history.
# All local (Unix socket); no network.
. "$(dirname "$0")/../lib/tap.sh" >/dev/null
N=${DHCPSYNC_BENCH_N:-100000}
ROUNDS=${DHCPSYNC_BENCH_ROUNDS:-200}
GEN=$T_TOP/tests/dhcpsync/gen-leases.awk
export N ROUNDS GEN T_TMP
python3 - <<'PY' || exit 1
import os, subprocess, time, statistics, shutil

N = int(os.environ["N"]); ROUNDS = int(os.environ["ROUNDS"])
tmp = os.environ["T_TMP"]; gen = os.environ["GEN"]

def genfile(path, n, off=0, mode="w", repeat=1):
    with open(path, mode) as f:
        for _ in range(repeat):
            f.write(subprocess.run(["awk", "-v", "n=%d" % n, "-v", "off=%d" % off,
                                    "-f", gen], capture_output=True, text=True).stdout)

def rss_kb(pid, key="VmHWM"):
    with open("/proc/%d/status" % pid) as f:
        for l in f:
            if l.startswith(key):
                return int(l.split()[1])

def wait_line(proc, word):
    while True:
        l = proc.stdout.readline()
        if not l:
            raise SystemExit("dhcpsync exited")
        if l.startswith(word):
            return l

def pair(lf1, lf2, sock):
    p = subprocess.Popen(["dhcpsync", "--leases", lf1, "--listen", sock],
                         stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    while not os.path.exists(sock):
        time.sleep(0.001)
    t0 = time.monotonic()
    s = subprocess.Popen(["dhcpsync", "--leases", lf2, "--connect", sock],
                         stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    return p, s, t0

os.makedirs(tmp + "/p"); os.makedirs(tmp + "/s")
lf1, lf2, sock = tmp + "/p/dhcpd.leases", tmp + "/s/dhcpd.leases", tmp + "/sync.sock"
genfile(lf1, N)
open(lf2, "w").close()
size = os.path.getsize(lf1)

# initial sync
p, s, t0 = pair(lf1, lf2, sock)
l = wait_line(s, "synced n=%d " % N) if False else None
while True:
    l = wait_line(s, "synced")
    if l.startswith("synced n=%d " % N):
        break
t_init = time.monotonic() - t0

# steady state: one lease block appended, as dhcpd does, until durable
lat = []
for i in range(ROUNDS):
    block = subprocess.run(["awk", "-v", "n=1", "-v", "off=%d" % (N + i), "-f", gen],
                           capture_output=True, text=True).stdout
    t0 = time.monotonic()
    with open(lf1, "a") as f:
        f.write(block); f.flush()
    wait_line(s, "applied")
    lat.append((time.monotonic() - t0) * 1000)

# sustained: STEADY new leases appended in dhcpd-sized writes (100 blocks)
# as fast as the file takes them, until the peer holds them all
STEADY = int(os.environ.get("DHCPSYNC_BENCH_STEADY", "20000"))
chunks = [subprocess.run(["awk", "-v", "n=100", "-v", "off=%d" % (N + ROUNDS + k),
                          "-f", gen], capture_output=True, text=True).stdout
          for k in range(0, STEADY, 100)]
want = N + ROUNDS + STEADY
t0 = time.monotonic()
with open(lf1, "a") as f:
    for c in chunks:
        f.write(c); f.flush()
while True:
    l = wait_line(s, "applied")
    if int(l.split()[1].split("=")[1]) >= want:
        break
t_steady = time.monotonic() - t0
rss_p, rss_s = rss_kb(p.pid), rss_kb(s.pid)
p.terminate(); s.terminate(); p.wait(); s.wait()

# memory with history: the same N leases, each superseded 4 times
if os.path.exists(sock):
    os.remove(sock)
hist = tmp + "/p/hist.leases"
genfile(hist, N, repeat=5)
h = subprocess.Popen(["dhcpsync", "--leases", hist, "--listen", sock],
                     stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
while not os.path.exists(sock):
    time.sleep(0.001)
out = subprocess.run(["dhcpsync", "check", hist], capture_output=True, text=True).stdout
rss_h = rss_kb(h.pid)
h.terminate(); h.wait()

# the naive alternative: copy the whole file per change, as many times as
# dhcpsync replicated a change (ROUNDS), so both medians and p99s stand on
# the same number of samples
def p99of(ts):
    return sorted(ts)[max(int(len(ts) * 0.99) - 1, 0)]
def timeit(cmd, n=ROUNDS):
    ts = []
    for _ in range(n):
        t0 = time.monotonic(); subprocess.run(cmd, check=True); ts.append((time.monotonic() - t0) * 1000)
    return statistics.median(ts), p99of(ts)
dst = tmp + "/copy.leases"
t_cp, t_cp99 = timeit(["sh", "-c", "cp '%s' '%s.tmp' && sync '%s.tmp' && mv '%s.tmp' '%s'" % (lf1, dst, dst, dst, dst)])
t_rsync, t_rsync99 = timeit(["rsync", "-a", "--inplace", "--no-whole-file", lf1, dst]) \
    if shutil.which("rsync") else (None, None)

med = statistics.median(lat); p99 = p99of(lat)
print("dhcpsync vs copying the lease file (%d leases, %.1f MB)" % (N, size / 1e6))
print("%-44s %12s" % ("measure", "value"))
print("%-44s %10.0f ms" % ("initial sync, dhcpsync", t_init * 1000))
print("%-44s %10.0f /s" % ("initial sync rate, dhcpsync", N / t_init))
print("%-44s %10.0f /s" % ("sustained new leases (%d appended), dhcpsync" % STEADY, STEADY / t_steady))
print("%-44s %10.1f ms" % ("replication latency median, dhcpsync", med))
print("%-44s %10.1f ms" % ("replication latency p99, dhcpsync", p99))
print("%-44s %10.1f ms" % ("per-change latency median, cp+sync+mv", t_cp))
print("%-44s %10.1f ms" % ("per-change latency p99, cp+sync+mv", t_cp99))
if t_rsync is not None:
    print("%-44s %10.1f ms" % ("per-change latency median, rsync (local)", t_rsync))
    print("%-44s %10.1f ms" % ("per-change latency p99, rsync (local)", t_rsync99))
print("%-44s %10d" % ("runs each (dhcpsync, cp, rsync)", ROUNDS))
print("%-44s %10.1f x" % ("cp+sync / dhcpsync median", t_cp / med))
print("%-44s %10.1f x" % ("cp+sync / dhcpsync p99", t_cp99 / p99))
print("%-44s %10d kB" % ("max RSS sender, %d leases" % N, rss_p))
print("%-44s %10d kB" % ("max RSS receiver, %d leases" % N, rss_s))
print("%-44s %10d kB" % ("max RSS follower, %d blocks (x5 history)" % (5 * N), rss_h))
print("check of the history file: %s" % out.strip())
PY
bash "$T_TOP/tests/bench/dhcpsync-kea.sh"
