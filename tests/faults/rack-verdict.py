#!/usr/bin/env python3
# SPDX-License-Identifier: ISC
"""Verdict of tests/faults/rack.sh from the clients' address histories.

usage: rack-verdict.py RUN_DIR LEASE_SECONDS END_EPOCH

RUN_DIR/servers.txt holds "EPOCH N" samples, N the number of dhcpd
serving; the time with two (both racks answering) and with none is given
per fault.  RUN_DIR/rackN/vrrpd.out (stamped event lines) and wait.log
(wait-synced start/end, dhcpd start, from the notify scripts) give the
timeline, printed as "#" lines, dhcpd_started_not_master: a dhcpd
started on a rack that was no longer MASTER (its notify_master still
running when the state changed again; target dhcp-stray-start: none),
and handback_ms: from the standby's return to BACKUP (the primary
taking back) to the primary's dhcpd start, from the timeline (the
sampler stalls for seconds on a loaded machine), -1 when it did not
take back in the window.

RUN_DIR/clients/NAME/events holds "EPOCH REASON ADDRESS" lines written by
rack-client.sh ("-": no address held).  FAULTS_FILE holds one fault per
line (RUN_DIR/faults.txt): "NAME START END key=value...", epoch seconds.  Prints the
fault rows (their keys, then what the clients saw in the window) and the
two target rows; exits 1 when a target is missed.

A client holds an address from the event that gives it until the event
that takes it away (another address, EXPIRE, FAIL...) or the end.  A
duplicate is one address held by two clients at overlapping times.  A
lease lost is an address bound to another client while a lease on it
granted to its holder (its last BOUND/RENEW/REBIND/REBOOT, plus the lease
time) had not run out: the server gave away what it had promised.
"""
import os
import sys

GRANT = {"BOUND", "RENEW", "REBIND", "REBOOT"}


def histories(cdir, end):
    """{client: [(addr, start, stop, grants)]} and expiries."""
    out, expired = {}, []
    for name in sorted(os.listdir(cdir)):
        path = os.path.join(cdir, name, "events")
        if not os.path.exists(path):
            continue
        iv, cur = [], None
        with open(path) as f:
            for line in f:
                w = line.split()
                if len(w) != 3:
                    continue
                t, reason, addr = float(w[0]), w[1], w[2]
                if reason not in GRANT:
                    addr = "-"
                    expired.append((name, t))
                if cur and cur[0] != addr:
                    iv.append((cur[0], cur[1], t, cur[2]))
                    cur = None
                if addr != "-":
                    if cur is None:
                        cur = [addr, t, []]
                    cur[2].append(t)
        if cur:
            iv.append((cur[0], cur[1], end, cur[2]))
        out[name] = iv
    return out, expired


def judge(hist, lease):
    """duplicates, losses, changed: lists of (time, text)."""
    by_addr = {}
    for c, iv in hist.items():
        for a, s, e, g in iv:
            by_addr.setdefault(a, []).append((c, s, e, g))
    dups, lost = [], []
    for a, ivs in sorted(by_addr.items()):
        for i, (c1, s1, e1, g1) in enumerate(ivs):
            for c2, s2, e2, g2 in ivs[i + 1:]:
                if c1 == c2:
                    continue
                lo, hi = max(s1, s2), min(e1, e2)
                if hi > lo:
                    dups.append((lo, "%s held by %s and %s for %.1fs"
                                 % (a, c1, c2, hi - lo)))
            for c2, s2, e2, g2 in ivs:
                # c2 given a while c1's lease on it still ran
                g = max((t for t in g1 if t <= s2), default=None)
                if c2 != c1 and g is not None and s2 < g + lease:
                    lost.append((s2, "%s of %s (leased %.1fs more) given to %s"
                                 % (a, c1, g + lease - s2, c2)))
    changed = []
    for c, iv in hist.items():
        for prev, nxt in zip(iv, iv[1:]):
            if prev[0] != nxt[0]:
                changed.append((nxt[1], "%s %s->%s" % (c, prev[0], nxt[0])))
    return dups, lost, changed


def servers(path):
    out = []
    with open(path) as f:
        for line in f:
            w = line.split()
            if len(w) == 2:
                out.append((float(w[0]), int(w[1])))
    return out


def span(samples, s, e, n):
    """ms within [s, e) with n servers, from the samples (each lasting
    until the next)."""
    tot = 0.0
    for (t, k), (t2, _) in zip(samples, samples[1:]):
        lo, hi = max(t, s), min(t2, e)
        if k == n and hi > lo:
            tot += hi - lo
    return int(tot * 1000)


def timeline(rdir):
    """[(t, rack, text)] from the racks' stamped lines."""
    out = []
    for rack in ("rack1", "rack2"):
        for name, fmt in (("vrrpd.out", "vrrpd"), ("wait.log", "notify")):
            path = os.path.join(rdir, rack, name)
            if not os.path.exists(path):
                continue
            with open(path) as f:
                for line in f:
                    w = line.split()
                    if len(w) < 2:
                        continue
                    if fmt == "vrrpd":
                        text = "vrrpd " + w[1]
                    elif w[1] == "dhcpd":
                        text = "dhcpd started"
                    else:
                        text = "wait-synced " + " ".join(w[1:])
                    out.append((float(w[0]), rack, text))
    return sorted(out)


def not_master_starts(tl):
    """dhcpd starts on a rack whose last vrrpd state was not MASTER."""
    state, out = {}, []
    for t, rack, text in tl:
        if text.startswith("vrrpd "):
            state[rack] = text.split()[1]
        elif text == "dhcpd started" and state.get(rack) != "MASTER":
            out.append((t, "%s started dhcpd while %s" % (rack, state.get(rack))))
    return out


def handback(tl, s, e):
    """ms from the standby's return to BACKUP (after it was MASTER) within
    [s, e) to the primary's next dhcpd start: the handback's gap, but
    for dhcpd's own start-up; -1 when the primary did not take back."""
    was, t = False, None
    for t1, rack, text in tl:
        if not s <= t1 < e:
            continue
        if rack == "rack2" and text == "vrrpd MASTER":
            was = True
        elif rack == "rack2" and text == "vrrpd BACKUP" and was:
            t = t1
        elif rack == "rack1" and text == "dhcpd started" and t is not None:
            return int((t1 - t) * 1000)
    return -1


def count(events, s, e):
    return sum(1 for t, _ in events if s <= t < e)


def main():
    rdir, lease, end = sys.argv[1], float(sys.argv[2]), float(sys.argv[3])
    cdir, ffile = os.path.join(rdir, "clients"), os.path.join(rdir, "faults.txt")
    samples = servers(os.path.join(rdir, "servers.txt"))
    tl = timeline(rdir)
    stray = not_master_starts(tl)
    hist, expired = histories(cdir, end)
    dups, lost, changed = judge(hist, lease)
    exp = [(t, c) for c, t in expired]
    with open(ffile) as f:
        for line in f:
            w = line.split()
            if len(w) < 3:
                continue
            name, s, e = w[0], float(w[1]), float(w[2])
            keys = w[3:] + ["no_dhcpd_ms=%d" % span(samples, s, e, 0),
                            "two_dhcpd_ms=%d" % span(samples, s, e, 2),
                            "handback_ms=%d" % handback(tl, s, e),
                            "dhcpd_started_not_master=%d" % count(stray, s, e),
                            "changed=%d" % count(changed, s, e),
                            "expired=%d" % count(exp, s, e),
                            "lost=%d" % count(lost, s, e),
                            "duplicates=%d" % count(dups, s, e)]
            print("fault\t%s\t%s" % (name, " ".join(keys)))
    t0 = tl[0][0] if tl else 0
    marks = []
    with open(ffile) as f:
        for line in f:
            w = line.split()
            if len(w) >= 3:
                marks.append((float(w[1]), "----", "fault " + w[0]))
    # the timeline goes to stderr (rack.sh's log) unless RACK_TIMELINE=1
    out = sys.stdout if os.environ.get("RACK_TIMELINE") == "1" else sys.stderr
    for t, rack, text in sorted(tl + marks):
        print("# timeline +%7.3fs %s %s" % (t - t0, rack, text), file=out)
    for _, d in stray:
        print("# " + d)
    moved = sorted({d.split()[0] for _, d in changed})
    print("# clients %d, changed address %d (%s), expiries %d"
          % (len(hist), len(moved), " ".join(moved) or "none", len(exp)))
    for _, d in sorted(changed):
        print("# changed: " + d)
    for _, d in sorted(lost):
        print("# lost: " + d)
    for _, d in sorted(dups):
        print("# duplicate: " + d)
    rc = 0
    ok = not stray
    rc |= not ok
    print("target\tdhcp-stray-start\t%s\t%d dhcpd started on a rack no longer "
          "MASTER (target 0)" % ("ok" if ok else "MISSED", len(stray)))
    for name, evs, what in (("dhcp-leases-lost", lost, "leases lost"),
                            ("dhcp-duplicates", dups, "duplicate addresses")):
        ok = not evs
        rc |= not ok
        print("target\t%s\t%s\t%d %s (target 0); %d clients, %d changed address"
              % (name, "ok" if ok else "MISSED", len(evs), what, len(hist), len(moved)))
    return rc


if __name__ == "__main__":
    sys.exit(main())
