#!/usr/bin/python3
# SPDX-License-Identifier: ISC
"""keepalived's state files read the way keepalived-exporter reads them.

    kaparse.py data|stats|json FILE

prints, sorted, one line per instance (and per script for data) with the
fields the exporter takes, as it takes them: the same line prefixes,
separators and keys as its parser.go (ParseVRRPData, ParseVRRPScript,
ParseStats, ParseJSON), so a file it would misread prints differently or
fails here (exit 1).  Advertisement counts depend on timing: printed as
"0" or ">0".
"""
import json
import sys

STATES = ["INIT", "BACKUP", "MASTER", "FAULT"]
STATS_KEYS = [
    "advert_rcvd", "advert_sent", "become_master", "release_master",
    "packet_len_err", "advert_interval_err", "ip_ttl_err",
    "invalid_type_rcvd", "addr_list_err", "invalid_authtype",
    "authtype_mismatch", "auth_failure", "pri_zero_rcvd", "pri_zero_sent",
]


def fail(msg):
    print("kaparse: " + msg, file=sys.stderr)
    sys.exit(1)


def count(key, v):
    if key in ("advert_rcvd", "advert_sent"):
        return ">0" if v > 0 else "0"
    return str(v)


def vip(v):
    # ParseVIP: words 1 and 3 ("ADDR dev DEV ...")
    w = v.split(" ")
    if len(w) < 3:
        fail("VIP %r" % v)
    return w[0] + "@" + w[2]


def data(lines):
    out, inst, key = {}, "", ""
    for l in lines:
        if l.startswith(" VRRP Instance") and "=" in l:
            inst = l.strip().split("=")[1].strip()
            out[inst] = {"vips": []}
        elif l.startswith("   ") and inst:
            if l.startswith("     "):
                val = l.strip()
            else:
                if "=" in l:
                    a = l.strip().split("=")
                elif ":" in l:
                    a = l.strip().split(":")
                else:
                    continue
                key = a[0].strip()
                if key == "Virtual IP":
                    continue
                val = a[1].strip()
            d = out[inst]
            if (key.startswith("Virtual IP (") or key == "Virtual IP") \
                    and val:
                d["vips"].append(vip(val))
            if key in ("State", "Wantstate"):
                if val not in STATES:
                    fail("%s %r" % (key, val))
                d[key.lower()] = val
            elif key in ("Interface", "Listening device"):
                d["intf"] = val
            elif key == "Gratuitous ARP delay":
                d["garp_delay"] = str(int(val))
            elif key == "Virtual Router ID":
                d["vrid"] = str(int(val))
        elif l.startswith(" VRRP Version") or l.startswith(" VRRP Script"):
            continue
        else:
            inst = ""
    res = []
    for n, d in out.items():
        res.append("instance %s state=%s wantstate=%s intf=%s garp_delay=%s "
                   "vrid=%s vips=%s" % (n, d.get("state"), d.get("wantstate"),
                                        d.get("intf"), d.get("garp_delay"),
                                        d.get("vrid"), ",".join(d["vips"])))
    return res + scripts(lines)


def scripts(lines):
    res, s = [], None
    for l in lines:
        if l.startswith(" VRRP Script") and "=" in l:
            if s:
                res.append(s)
            s = {"name": l.strip().split("=")[1].strip()}
        elif l.startswith("   ") and s:
            if "=" not in l:
                continue
            a = l.strip().split("=")
            k, v = a[0].strip(), a[1].strip()
            if k in ("Status", "State"):
                s[k.lower()] = v
        elif not l.startswith("    "):
            if s:
                res.append(s)
            s = None
    if s:
        res.append(s)
    return ["script %s status=%s state=%s" % (s["name"], s.get("status"),
                                              s.get("state")) for s in res]


SECTIONS = {
    ("Advertisements", "Received"): "advert_rcvd",
    ("Advertisements", "Sent"): "advert_sent",
    ("Packet Errors", "Length"): "packet_len_err",
    ("Packet Errors", "TTL"): "ip_ttl_err",
    ("Packet Errors", "Invalid Type"): "invalid_type_rcvd",
    ("Packet Errors", "Advertisement Interval"): "advert_interval_err",
    ("Packet Errors", "Address List"): "addr_list_err",
    ("Authentication Errors", "Invalid Type"): "invalid_authtype",
    ("Authentication Errors", "Type Mismatch"): "authtype_mismatch",
    ("Authentication Errors", "Failure"): "auth_failure",
    ("Priority Zero", "Received"): "pri_zero_rcvd",
    ("Priority Zero", "Sent"): "pri_zero_sent",
    ("", "Became master"): "become_master",
    ("", "Released master"): "release_master",
}


def stats(lines):
    out, inst, section = {}, "", ""
    for l in lines:
        if l.startswith("VRRP Instance") and ":" in l:
            inst = l.strip().split(":")[1].strip()
            out[inst] = {}
        elif l.startswith("  ") and l.endswith(":"):
            section = l.strip().split(":")[0].strip()
        elif l.startswith("    ") and section:
            a = l.strip().split(":")
            k = (section, a[0].strip())
            if k in SECTIONS:
                out[inst][SECTIONS[k]] = int(a[1].strip())
        elif l.startswith("  ") and not l.startswith("    "):
            a = l.strip().split(":")
            section = ""
            k = ("", a[0].strip())
            if k in SECTIONS:
                out[inst][SECTIONS[k]] = int(a[1].strip())
    res = []
    for n, d in out.items():
        res.append("stats %s " % n + " ".join(
            "%s=%s" % (k, count(k, d[k]) if k in d else "missing")
            for k in STATS_KEYS))
    return res


def jsonfile(text):
    res = []
    for v in json.loads(text):
        d, s = v["data"], v["stats"]
        res.append("instance %s state=%s wantstate=%s intf=%s garp_delay=%s "
                   "vrid=%s vips=%s" % (
                       d["iname"], STATES[d["state"]], STATES[d["wantstate"]],
                       d["ifp_ifname"], d["garp_delay"], d["vrid"],
                       ",".join(vip(x) for x in d["vips"])))
        res.append("stats %s " % d["iname"] + " ".join(
            "%s=%s" % (k, count(k, s[k]) if k in s else "missing")
            for k in STATS_KEYS))
    return res


def main():
    if len(sys.argv) != 3:
        fail("usage: kaparse.py data|stats|json FILE")
    text = open(sys.argv[2]).read()
    lines = text.split("\n")
    kind = sys.argv[1]
    try:
        res = {"data": lambda: data(lines), "stats": lambda: stats(lines),
               "json": lambda: jsonfile(text)}[kind]()
    except (ValueError, KeyError, IndexError, TypeError) as e:
        fail("%s: %r" % (kind, e))
    print("\n".join(sorted(res)))


main()
