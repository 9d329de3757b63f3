#!/usr/bin/env python3
# SPDX-License-Identifier: ISC
"""Compares hashproxy's and haproxy's "show stat" answers for one filter.

    statcmp.py LABEL FORMAT OURS THEIRS [LABEL FORMAT OURS THEIRS...]

FORMAT is csv, typed or json.  Prints "LABEL: difference" per difference,
nothing when they agree (one run for many pairs: python starts slowly on
a loaded machine): the same
objects (proxy, server name, kind) on both sides, and every field
hashproxy fills present in haproxy's answer for that object with the same
position and, in typed and json, the same tags and type.  Values are not
compared (counters move), except a few that a filter depends on."""
import json
import sys

SAME_VALUE = ("pxname", "svname", "status", "weight", "act", "bck", "mode",
              "algo", "addr", "type", "check_rise", "check_fall")


def csv_objs(text):
    lines = [l for l in text.splitlines() if l]
    if not lines or not lines[0].startswith("# "):
        raise ValueError("no CSV header: %r" % text[:80])
    cols = lines[0][2:].split(",")
    objs = {}
    for l in lines[1:]:
        v = l.split(",")
        kind = {"FRONTEND": "F", "BACKEND": "B"}.get(v[1], "S")
        objs[(v[0], v[1], kind)] = {
            c: (i, None, None, v[i]) for i, c in enumerate(cols)
            if c and c != "-" and i < len(v) and v[i] != ""}
    return objs


def typed_objs(text):
    raw = {}
    for l in text.splitlines():
        if not l:
            continue
        key, tags, typ, val = l.split(":", 3)
        kind, iid, sid, pos, name, _ = key.split(".")
        raw.setdefault((kind, iid, sid), {})[name] = (int(pos), tags, typ,
                                                      val)
    return {(f["pxname"][3], f["svname"][3], k[0]): f for k, f in raw.items()}


def json_objs(text):
    tags = {}
    objs = {}
    for rec in json.loads(text):
        f = {}
        for e in rec:
            t = e["tags"]
            f[e["field"]["name"]] = (
                e["field"]["pos"], (t["origin"], t["nature"], t["scope"]),
                e["value"]["type"], str(e["value"]["value"]))
            kind = e["objType"][0]
        objs[(f["pxname"][3], f["svname"][3], kind)] = f
    return objs


def compare(fmt, ours, theirs):
    parse = {"csv": csv_objs, "typed": typed_objs, "json": json_objs}[fmt]
    try:
        a = parse(open(ours).read())
        b = parse(open(theirs).read())
    except (ValueError, KeyError, IndexError) as e:
        yield "unreadable answer: %s" % e
        return
    for k in sorted(set(a) | set(b)):
        if k not in b:
            yield "only hashproxy has %s/%s (%s)" % k
            continue
        if k not in a:
            yield "only haproxy has %s/%s (%s)" % k
            continue
        for name, (pos, tags, typ, val) in sorted(a[k].items()):
            if name not in b[k]:
                yield "%s/%s: field %s only in hashproxy's" % (k[0], k[1],
                                                             name)
                continue
            bpos, btags, btyp, bval = b[k][name]
            if (pos, tags, typ) != (bpos, btags, btyp):
                yield "%s/%s: field %s is %s; haproxy's %s" % (
                    k[0], k[1], name, (pos, tags, typ), (bpos, btags, btyp))
            if name in SAME_VALUE and val != bval:
                yield "%s/%s: %s is %r; haproxy's %r" % (k[0], k[1], name,
                                                        val, bval)


def main():
    args = sys.argv[1:]
    for i in range(0, len(args) - 3, 4):
        label, fmt, ours, theirs = args[i:i + 4]
        for d in compare(fmt, ours, theirs):
            print("%s: %s" % (label, d))


if __name__ == "__main__":
    main()
