#!/usr/bin/python3
# SPDX-License-Identifier: ISC
"""What keepalived's data dump and vrrpd's say a keepalived.conf set up.

    corpus-run.py KEEPALIVED.data VRRPD.data

reads the two files /tmp/keepalived.data (keepalived 2.2.7's on
SIGUSR1, vrrpd's kadump.c) and prints, per instance and per vrrp_script,
every setting the file decides on which they differ, one line each
("INSTANCE: KEY: keepalived X, vrrpd Y"), then "compared N" (how many
settings were the same).  Exit 1 when a file cannot be read as a dump.

Left out: what the run decides, not the file (LIVE), and what vrrpd has
nothing for by design (NOT_VRRPD, vrrpd(8)'s words in corpus-run.t).
A setting in LATER is compared once vrrpd's dump prints it: the dump
does not yet, the setting is applied (corpus-run.t's header says how
that was seen).  Any other line of keepalived's missing from vrrpd's
dump is a difference.
"""
import re
import sys

# the state and the clock: not the file's
LIVE = {
    "State", "Wantstate", "Last transition", "Flags", "Effective priority",
    "Total priority", "Number of config faults",
    "Number of interface and track script faults",
    "Number of track scripts init", "Read timeout", "Master down timer",
    "fd_in", "Status", "Result", "Init state", "Script uid:gid",
    "VRRP instances", "Tracking instances", "Insecure",
    "Master router", "Master priority",
    # keepalived's choice of source from the host's addresses when the
    # file gives none
    "Using src_ip=host",
}
# keepalived lines for what vrrpd does not have (corpus-run.t says why)
NOT_VRRPD = {
    "Send advert after receive higher priority advert",
}
# applied as keepalived, not yet in vrrpd's dump (kadump.c)
LATER = {
    "Using unicast",
    "Tracked processes", "Skip checking advert IP addresses",
    "Virtual Routes", "Virtual Rules",
}
SECTION = re.compile(r" (VRRP Instance|VRRP Script) = (.*)")


def fail(msg):
    print("corpus-run.py: " + msg, file=sys.stderr)
    sys.exit(1)


def parse(path):
    """{(kind, name): {key: [values]}} from a data dump"""
    out, cur, key, topo = {}, None, None, False
    try:
        text = open(path).read()
    except OSError as e:
        fail(str(e))
    for line in text.split("\n"):
        if line.startswith("------<"):
            topo = "Topology" in line or "Scripts" in line
            cur = None
            continue
        m = SECTION.match(line)
        if m and topo:
            cur = out.setdefault((m.group(1), m.group(2).strip()), {})
            key = None
            continue
        if cur is None or not line.strip():
            continue
        t = line.strip()
        if t == "Using unicast":
            cur[t] = [""]
            continue
        if line.startswith("     ") and key:
            cur[key].append(t)
            continue
        if " = " in t:
            k, v = t.split(" = ", 1)
        elif t.endswith(":"):
            k, v = t[:-1].strip(), None
            # a list's title as printed ("Virtual IP (2):", "Virtual IP
            # Excluded :"), compared as a setting of its own
            cur.setdefault("title " + re.sub(r" \([0-9]+\)$", "", k),
                           []).append(t)
        elif t.startswith("Multicast address "):
            k, v = "Multicast address", t.split()[-1]
        elif " : " in t:
            k, v = t.split(" : ", 1)
        elif t.startswith("fd_in"):
            k, v = "fd_in", t
        else:
            k, v = t, ""
        key = re.sub(r" \([0-9]+\)$", "", k.strip())
        if key.startswith("Flags") or key.startswith("Use VMAC"):
            key = key.split(",")[0].split(":")[0]
            v = ""
        cur.setdefault(key, [])
        if v is not None:
            cur[key].append(v.strip())
    if not out:
        fail(path + ": no instance")
    return out


def main():
    if len(sys.argv) != 3:
        fail("usage: corpus-run.py KEEPALIVED.data VRRPD.data")
    ka, vr = parse(sys.argv[1]), parse(sys.argv[2])
    same = 0
    for sec in sorted(set(ka) | set(vr)):
        name = "%s %s" % sec
        if sec not in vr or sec not in ka:
            print("%s: only in %s's dump" %
                  (name, "keepalived" if sec in ka else "vrrpd"))
            continue
        a, b = ka[sec], vr[sec]
        # a source from the file is the file's; one from the host is not
        if a.get("Using src_ip", ["(none)"])[0].find("from config") < 0:
            a.pop("Using src_ip", None)
            b.pop("Using src_ip", None)
        for k in sorted(set(a) | set(b)):
            base = k[len("title "):] if k.startswith("title ") else k
            if base in LIVE or base in NOT_VRRPD or base.startswith("Flags"):
                continue
            if base in LATER and k not in b:
                continue
            x, y = a.get(k, []), b.get(k, [])
            if k not in a or k not in b or x != y:
                print("%s: %s: keepalived %s, vrrpd %s" % (
                    name, k, "|".join(x) if k in a else "(none)",
                    "|".join(y) if k in b else "(none)"))
            else:
                same += 1
    print("compared %d" % same)


main()
