#!/usr/bin/env python3
# SPDX-License-Identifier: ISC
"""make faults: the report.

    report.py --dir DIR [--rows FILE] [--svg FILE] [--slack MS] [--timeout MS]

DIR holds what run.sh collected: faults (one "fault NAME t0=.. tr=..
allow0=.. allowr=.. k=v ..." line per fault, "end MS" once settled
again), requests (load.py: send_ms done_ms src token status id host), arp
(load.py's prober) and ev/*.ev (every daemon's event lines, stamped).
FILE holds the rack half's rows (rack.sh), in the same format this
prints: "fault<TAB>name<TAB>k=v ..." and "target<TAB>name<TAB>ok|MISSED
<TAB>detail"; "#" lines are free text.  Prints a table, the rows, and
exits 1 when a target is missed.
"""
import argparse
import bisect
import glob
import os
import shlex
import sys

ap = argparse.ArgumentParser()
ap.add_argument("--dir", required=True)
ap.add_argument("--rows")
ap.add_argument("--svg")
ap.add_argument("--slack", type=int, default=int(os.environ.get("FAULTS_SLACK_MS", 500)))
ap.add_argument("--adv", type=int, default=1000)
a = ap.parse_args()
D = a.dir

# --- input ------------------------------------------------------------------
faults, extra, errors = [], {}, []
for line in open(os.path.join(D, "faults")):
    w = shlex.split(line)
    if not w:
        continue
    if w[0] == "fault":
        f = {"name": w[1]}
        for kv in w[2:]:
            k, _, v = kv.partition("=")
            f[k] = v
        faults.append(f)
    elif w[0] == "end" and faults:
        faults[-1]["tend"] = w[1]
    elif w[0] == "error":
        errors.append((w[1], " ".join(w[2:])))
    else:
        extra[w[0]] = " ".join(w[1:])
for f in faults:
    for k in ("t0", "tr", "tend", "allow0", "allowr"):
        f[k] = int(f.get(k, 0) or 0)
    f.setdefault("tend", f["tr"])

reqs = []
try:
    for line in open(os.path.join(D, "requests")):
        w = line.split()
        if len(w) == 7:
            reqs.append((int(w[0]), int(w[1]), w[2], w[3], w[4], w[5], w[6]))
except FileNotFoundError:
    pass
reqs.sort()
timeout = max([r[1] - r[0] for r in reqs if r[4] == "ERR:timeout"] or [2000])

probes, replies = [], []
try:
    for line in open(os.path.join(D, "arp")):
        w = line.split()
        if w[0] == "probe":
            probes.append(int(w[1]))
        elif w[0] == "reply" and len(w) == 3:
            replies.append((int(w[1]), w[2]))
except FileNotFoundError:
    pass

events = []	# (ms, source, line)
for p in sorted(glob.glob(os.path.join(D, "ev", "*.ev"))):
    src = os.path.basename(p)[:-3]
    for line in open(p, errors="replace"):
        t, _, rest = line.rstrip("\n").partition("\t")
        try:
            events.append((int(float(t) * 1000), src, rest))
        except ValueError:
            pass
events.sort()

rack = []
if a.rows and os.path.exists(a.rows):
    rack = [l.rstrip("\n") for l in open(a.rows) if l.strip()]

# --- analysis -----------------------------------------------------------------


def two_holders(lo, hi):
    """ms during [lo, hi) when ARP probes got answers from two MACs"""
    tot, j = 0, 0
    for i, p in enumerate(probes):
        if p < lo or p >= hi:
            continue
        nxt = probes[i + 1] if i + 1 < len(probes) else p + 100
        while j < len(replies) and replies[j][0] < p:
            j += 1
        k, macs = j, set()
        while k < len(replies) and replies[k][0] < nxt:
            macs.add(replies[k][1])
            k += 1
        if len(macs) > 1:
            tot += nxt - p
    return tot


def stall(lo, hi):
    """(ms, at) of the longest gap between two ARP probes in [lo, hi):
    the prober sends one every 100 ms, so a long gap is the machine
    itself stalled (other tests, a CPU hog), not a program"""
    i = bisect.bisect_left(probes, lo)
    best = (0, lo)
    while i + 1 < len(probes) and probes[i + 1] < hi:
        g = probes[i + 1] - probes[i]
        if g > best[0]:
            best = (g, probes[i])
        i += 1
    return best


# The VIP's holder's MAC at steady state (setup: api1 alone) is api1's.
# After api1 takes the VIP back (a MASTER line of api1.vr), its
# gratuitous ARPs set the LAN's caches, unless an ARP packet claiming the
# VIP from the other MAC comes after them: then the caches keep that MAC
# until api1's second round, garp_master_delay (5 s, the seed sets none)
# later.  It happens when the old master's own second round, due
# garp_master_delay after it became master, falls on the advert api1
# preempted on: both are due at the same instant when that is its fifth
# advert since (named_kill restarts named about then), and on a loaded
# host the two bursts interleave (keepalived's timers are the same).
# Replies to the prober's own probes (the first packet of each MAC within
# 50 ms of a probe) are left out: they are sent to the prober alone.
GARP_DELAY = 5000
api1_mac = None
if faults and len(faults) > 1:
    seen = {}
    for t, m in replies:
        if faults[0]["t0"] <= t < faults[1]["t0"]:
            seen[m] = seen.get(m, 0) + 1
    api1_mac = max(seen, key=seen.get) if seen else None


def broadcasts(lo, hi):
    """ARP packets claiming the VIP in [lo, hi) that are not replies to
    the prober: (ms, mac)"""
    i = bisect.bisect_left(probes, lo - 50)
    ans = set()
    while i < len(probes) and probes[i] < hi:
        got = set()
        for t, m in replies[bisect.bisect_left(replies, (probes[i], "")):]:
            if t > probes[i] + 50:
                break
            if m not in got:
                got.add(m)
                ans.add((t, m))
        i += 1
    return [(t, m) for t, m in replies if lo <= t < hi and (t, m) not in ans]


def crossed(f):
    """[(tm, t_other)]: api1 took the VIP back at tm and the other MAC
    claimed it after api1's gratuitous ARPs"""
    out = []
    for t, src, line in events:
        if not (f["t0"] <= t < f["tend"] and src == "api1.vr"
                and line.startswith("MASTER")):
            continue
        b = broadcasts(t - 300, t + 1000)
        mine = [x for x, m in b if m == api1_mac]
        if not mine:
            continue
        other = [x for x, m in b if m != api1_mac and x > mine[0]]
        if other:
            out.append((t, other[-1]))
    return out


rows, targets, missed = [], [], 0


def target(name, ok, detail):
    global missed
    targets.append("target\t%s\t%s\t%s" % (name, "ok" if ok else "MISSED", detail))
    if not ok:
        missed += 1


start = faults[0]["tr"] if faults else 0
# a request belongs to the last fault that came before it ended (one
# sent before that fault came was in flight when it came)
starts = [f["t0"] for f in faults[1:]]
owner = {}
for r in reqs:
    owner.setdefault(bisect.bisect_right(starts, r[1]), []).append(r)
for i, f in enumerate(faults[1:], 1):
    lo = f["t0"]
    hi = f["tend"]
    inspan = owner.get(i, [])
    failed = [r for r in inspan if r[4] != "200"]
    slow = [r for r in inspan if r[4] == "200" and r[1] - r[0] > 1000]
    s = a.slack

    def allowed(r):
        if r[0] < f["t0"]:
            return True	# in flight when the fault came
        if r[0] <= f["t0"] + f["allow0"] + s:
            return True
        if f["allowr"] > 0 and r[0] < f["tr"] <= r[1]:
            return True	# in flight when a restore that moves service
            # came (a thawed master takes the VIP back), as for the fault
        return f["tr"] <= r[0] <= f["tr"] + f["allowr"] + s

    cross = crossed(f) if api1_mac else []
    f["x_arp_crossed"] = ",".join("%+d" % (tm - lo) for tm, _ in cross) or "no"

    def after_cross(r):
        # sent before api1's second round set the caches right
        return any(tm - 300 <= r[0] <= tm + GARP_DELAY for tm, _ in cross)

    outside = [r for r in failed if not allowed(r) and not after_cross(r)]
    last = max([r[0] for r in failed] or [lo]) - lo
    ev = [e for e in events if lo <= e[0] < hi and not e[1].endswith(".api")]
    noticed, seen = [], set()
    for t, src, line in ev:
        key = (src, line.split(" ")[0])
        if key in seen or len(noticed) >= 8:
            continue
        seen.add(key)
        noticed.append("%s %s %+d" % (src, line.split(" ")[0], t - lo))
    f.update(total=len(inspan), failed=len(failed), slow=len(slow),
             outside=len(outside), last_fail=last,
             two=two_holders(lo, hi), noticed=noticed, failures=failed)
    kv = ["t0=%d" % f["t0"], "restored=%+d" % (f["tr"] - lo),
          "whole=%+d" % ((max(r[1] for r in failed) - lo) if failed else 0),
          "failed=%d/%d" % (len(failed), len(inspan)), "slow=%d" % len(slow),
          "window=%d+%d" % (f["allow0"], f["allowr"]),
          "two_holders_ms=%d" % f["two"]]
    for k, v in f.items():
        if k.startswith("x_"):
            kv.append("%s=%s" % (k[2:], v))
    rows.append("fault\t%s\t%s" % (f["name"], " ".join(kv)))
    g, gat = stall(lo, hi)
    # slow: answered, but after over 1 s (a SYN sent to a host that no
    # longer had the VIP and retransmitted): what a user saw too
    target("%s:window" % f["name"], not outside,
           "%d of %d failed (%d more slow), %d outside %d ms after the fault "
           "/ %d ms after the restore (+%d ms slack)%s" %
           (len(failed), len(inspan), len(slow), len(outside), f["allow0"],
            f["allowr"], s,
            ": first outside sent %+d ms (the ARP prober stalled %d ms at "
            "%+d ms)" % (outside[0][0] - lo, g, gat - lo) if outside else "")
           + "".join("; api2's MAC claimed the VIP %d ms after api1 took it "
                     "back at %+d ms: %d ms more (garp_master_delay)"
                     % (to - tm, tm - lo, GARP_DELAY) for tm, to in cross))
    if f["name"] == "partition":
        # api2's step-down after the MASTER the split gave it: it can come
        # a few ms before the heal is stamped (the stamp follows the heal
        # command), which counts as 0
        split = [e[0] for e in events if e[0] >= f["t0"] and
                 e[1] == "api2.vr" and e[2].startswith("MASTER")]
        back = [e for e in events if split and e[0] > split[0] and
                e[1] == "api2.vr" and e[2].startswith("BACKUP")]
        d = max(0, back[0][0] - f["tr"]) if back else None
        f["x_one_master_ms"] = d
        rows[-1] += " one_master_after=%s" % d
        target("partition:one-master", d is not None and d <= a.adv + s,
               "one master %s ms after the heal (advert interval %d ms, +%d slack)"
               % (d, a.adv, s))
        # api1's hashproxy after the heal: a check begun during the cut
        # can still mark a server down (faults.sh, CHK_BACK)
        hp = [e for e in events if f["tr"] <= e[0] < hi and e[1] == "api1.hp"
              and e[2].split(" ")[0] in ("up", "down")]
        f["x_hp_down_after_heal"] = ",".join(
            "%s%+d" % (e[2].split("server=")[1].split(" ")[0], e[0] - f["tr"])
            for e in hp if e[2].startswith("down")) or "none"
        f["x_hp_last_up_after_heal"] = max(
            [e[0] - f["tr"] for e in hp if e[2].startswith("up")] or [0])
    if "x_missing" in f and f.get("x_sync") == "on":
        target("%s:rows" % f["name"], f["x_missing"] == "0",
               "%s rows acknowledged and missing with synchronous_commit=on"
               % f["x_missing"])

# a fault that could not be made as written measured nothing
for n, msg in errors:
    target("%s:made" % n, False, msg)
# the steady state: no failure outside every fault's span
steady = [r for r in owner.get(0, []) if r[0] >= start and r[4] != "200"]
target("steady", not steady, "%d requests failed outside the faults' spans" % len(steady))
for l in rack:
    if l.startswith("target\t"):
        targets.append(l)
        if l.split("\t")[2] != "ok":
            missed += 1
if "rack-exit" in extra and extra["rack-exit"] != "0" and \
        not any(t.startswith("target\track") or "\tMISSED\t" in t for t in targets):
    target("rack", False, "rack.sh exited %s" % extra["rack-exit"])

# --- the table ----------------------------------------------------------------
print("# make faults: %d requests, %d failed; %s" %
      (len(reqs), sum(1 for r in reqs if r[4] != "200"),
       "; ".join("%s %s" % kv for kv in extra.items())))
hdr = "%-18s %8s %9s %13s %6s %9s %7s  %s" % (
    "fault", "restored", "whole", "failed/total", "slow", "window", "2MACs",
    "noticed (event lines, ms after the fault)")
print(hdr)
for f in faults[1:]:
    whole = max((r[1] for r in f["failures"]), default=f["t0"]) - f["t0"]
    print("%-18s %+8d %+9d %6d/%-6d %6d %9s %7d  %s" % (
        f["name"], f["tr"] - f["t0"], whole, f["failed"], f["total"], f["slow"],
        "%d+%d" % (f["allow0"], f["allowr"]), f["two"], ", ".join(f["noticed"])))
    if f.get("what"):
        print("%-18s %s" % ("", f["what"]))
    x = ["%s=%s" % (k[2:], v) for k, v in f.items() if k.startswith("x_")]
    if x:
        print("%-18s %s" % ("", " ".join(x)))
    if "x_missing" in f:
        # what the clients saw of the database: rows acknowledged to them
        # (200 with an id) that the promoted standby does not have
        print("%-18s %s of %s rows acknowledged to a client are missing on "
              "the new primary (%s replication, synchronous_commit=%s)%s" % (
                  "", f["x_missing"], f.get("x_acked", "?"),
                  "synchronous" if f.get("x_sync") == "on" else "asynchronous",
                  f.get("x_synchronous_commit", "?"),
                  ": id:token %s%s (lost.%s.ids)" % (
                      f.get("x_missing_ids", ""),
                      ",..." if int(f["x_missing"]) > 10 else "", f["name"])
                  if f["x_missing"] != "0" else ""))
for l in rack:
    if l.startswith("fault\t"):
        _, n, kv = (l.split("\t") + ["", ""])[:3]
        print("%-18s %s" % (n, kv))
    elif l.startswith("#"):
        print(l)
print("# times in ms after the fault; window: ms after the fault + after the"
      " restore the timers allow failures in (+%d ms slack);" % a.slack)
print("# whole: the last failed request's end; 2MACs: ms with two MACs"
      " answering ARP for the VIP")
for r in rows:
    print(r)
for t in targets:
    print(t)
print("# verdict: %s" % ("every target met" if not missed else "%d target(s) MISSED" % missed))

# --- the SVG --------------------------------------------------------------------
if a.svg and faults:
    t_lo = faults[0]["t0"]
    t_hi = max([f["tend"] for f in faults] + [r[1] for r in reqs[-1:]])
    W, L = 1600, 150
    sc = (W - L - 20) / max(1, t_hi - t_lo)
    X = lambda t: L + (t - t_lo) * sc
    lanes = ["faults", "requests", "failed", "VIP ARP"]
    srcs = sorted({e[1] for e in events if not e[1].endswith(".api")})
    lanes += srcs
    rack_faults = [l.split("\t") for l in rack if l.startswith("fault\t")]
    if rack_faults:
        lanes.append("rack")
    H = 40 + 24 * len(lanes)
    Y = {n: 30 + 24 * i for i, n in enumerate(lanes)}
    o = ['<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" '
         'font-family="monospace" font-size="11">' % (W, H),
         '<rect width="100%" height="100%" fill="white"/>']
    for n, y in Y.items():
        o.append('<text x="4" y="%d">%s</text>' % (y + 12, n))
        o.append('<line x1="%d" x2="%d" y1="%d" y2="%d" stroke="#ddd"/>' % (L, W - 20, y + 20, y + 20))
    s = int((t_hi - t_lo) / 1000) + 1
    for k in range(0, s, 10):
        o.append('<text x="%.1f" y="%d" fill="#888">%ds</text>' % (X(t_lo + k * 1000), H - 4, k))
    for f in faults[1:]:
        o.append('<rect x="%.1f" y="%d" width="%.1f" height="18" fill="#fdd"><title>%s</title></rect>'
                 % (X(f["t0"]), Y["faults"], max(1, X(f["tr"]) - X(f["t0"])), f["name"]))
        o.append('<rect x="%.1f" y="%d" width="%.1f" height="18" fill="#eef"/>'
                 % (X(f["tr"]), Y["faults"], max(1, X(f["tend"]) - X(f["tr"]))))
        o.append('<text x="%.1f" y="%d" font-size="9">%s</text>' % (X(f["t0"]), Y["faults"] - 2, f["name"]))
        for n in lanes:
            o.append('<line x1="%.1f" x2="%.1f" y1="%d" y2="%d" stroke="#f88" stroke-width="0.5"/>'
                     % (X(f["t0"]), X(f["t0"]), Y[n], Y[n] + 20))
    b = {}
    for r in reqs:
        k = (r[0] - t_lo) // 500
        ok, n = b.get(k, (0, 0))
        b[k] = (ok + (r[4] == "200"), n + 1)
    for k, (ok, n) in sorted(b.items()):
        h = 18 * ok / n
        o.append('<rect x="%.1f" y="%.1f" width="%.1f" height="%.1f" fill="#4a4"/>'
                 % (X(t_lo + k * 500), Y["requests"] + 18 - h, max(0.5, 500 * sc), h))
    fb = {}
    for r in reqs:
        if r[4] != "200":
            k = (r[0] - t_lo) // 250
            fb[k] = fb.get(k, 0) + 1
    top = max(fb.values(), default=1)
    for k, n in sorted(fb.items()):
        h = max(2, 18 * n / top)
        o.append('<rect x="%.1f" y="%.1f" width="%.1f" height="%.1f" fill="#d00">'
                 '<title>+%d ms: %d failed</title></rect>'
                 % (X(t_lo + k * 250), Y["failed"] + 18 - h, max(1, 250 * sc), h,
                    k * 250, n))
    # ARP answers: one bar per MAC while it keeps answering (gaps < 300 ms)
    col, runs = {}, {}
    for t, m in replies:
        if m not in col:
            col[m] = (["#36c", "#e80", "#a3a", "#3aa"][len(col) % 4], len(col) % 2)
        rl = runs.setdefault(m, [])
        if rl and t - rl[-1][1] < 300:
            rl[-1][1] = t
        else:
            rl.append([t, t])
    for m, rl in runs.items():
        c, row = col[m]
        for a0, a1 in rl:
            o.append('<rect x="%.1f" y="%d" width="%.1f" height="8" fill="%s">'
                     '<title>%s</title></rect>'
                     % (X(a0), Y["VIP ARP"] + 2 + 9 * row, max(1, X(a1 + 100) - X(a0)), c, m))
    for t, src, line in events:
        if src in Y:
            c = "#d00" if line.split(" ")[0] in ("down", "FAULT") else \
                "#080" if line.split(" ")[0] in ("up", "MASTER") else "#555"
            o.append('<rect x="%.1f" y="%d" width="2" height="16" fill="%s"><title>%+d ms %s</title></rect>'
                     % (X(t), Y[src] + 2, c, t - t_lo, line.replace("&", "&amp;").replace("<", "&lt;")))
    for rf in rack_faults:
        kv = dict(x.split("=", 1) for x in (rf[2].split() if len(rf) > 2 else []) if "=" in x)
        try:
            t0 = int(kv.get("t0", ""))
            tr = int(kv.get("tr", kv.get("t0", "")))
        except ValueError:
            continue
        o.append('<rect x="%.1f" y="%d" width="%.1f" height="18" fill="#fdd"><title>%s</title></rect>'
                 % (X(t0), Y["rack"], max(1, X(tr) - X(t0)), rf[1]))
    o.append("</svg>")
    with open(a.svg, "w") as fh:
        fh.write("\n".join(o) + "\n")
sys.exit(1 if missed else 0)
