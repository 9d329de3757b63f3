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
compared (counters move), except a few that a filter depends on.

    statcmp.py --order LABEL FORMAT OURS THEIRS [...]

prints "LABEL: ..." when the rows (csv), lines (typed) or objects (json)
of the two answers do not come in the same order, each known by pxname,
svname, iid and sid; the CSV is read as CSV (a quoted field may hold a
comma or a newline).

    statcmp.py --filled LABEL FORMAT OURS THEIRS [...]

prints "LABEL: ..." for each column one side fills in an object and the
other leaves empty (or out), and for a CSV header that is not haproxy's.

    statcmp.py --field COLUMN FORMAT FILE

prints "IID.SID VALUE" for each object of the answer in FILE that has
COLUMN: for csv the field as written (quotes and all), for typed and json
its value.  A json answer that is not JSON prints "not JSON: ..."."""
import csv
import io
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


def csv_rows(text):
    """The records after the header, each a list of fields."""
    rows = list(csv.reader(io.StringIO(text)))
    if not rows or not rows[0] or not rows[0][0].startswith("# "):
        raise ValueError("no CSV header: %r" % text[:80])
    cols = [rows[0][0][2:]] + rows[0][1:]
    return cols, [r for r in rows[1:] if r]


def csv_raw_fields(line):
    """One CSV record's fields as written: quotes kept."""
    out, cur, quoted = [], "", False
    for c in line:
        if c == '"':
            quoted = not quoted
        if c == "," and not quoted:
            out.append(cur)
            cur = ""
        else:
            cur += c
    out.append(cur)
    return out


def csv_raw_records(text):
    """The records as written: a quoted field's newline does not end one."""
    recs, cur = [], ""
    for line in text.split("\n"):
        cur = cur + "\n" + line if cur else line
        if cur.count('"') % 2 == 0:
            recs.append(cur)
            cur = ""
    return [r for r in recs if r]


def order(fmt, text):
    """The objects' keys (pxname, svname, iid, sid) in the answer's order."""
    keys = []
    if fmt == "csv":
        cols, rows = csv_rows(text)
        at = {c: cols.index(c) for c in ("pxname", "svname", "iid", "sid")}
        return [tuple(r[at[c]] for c in ("pxname", "svname", "iid", "sid"))
                for r in rows]
    if fmt == "typed":
        names = {}
        for l in text.splitlines():
            if ":" not in l or l.count(".") < 5:
                continue
            key = l.split(":", 1)[0]
            kind, iid, sid, _, name, _ = key.split(".")
            obj = (kind, iid, sid)
            if obj not in keys:
                keys.append(obj)
            if name in ("pxname", "svname"):
                names.setdefault(obj, {})[name] = l.split(":", 3)[3]
        return [(names.get(k, {}).get("pxname"), names.get(k, {}).get(
            "svname"), k[1], k[2]) for k in keys]
    for rec in json.loads(text):
        f = {e["field"]["name"]: str(e["value"]["value"]) for e in rec}
        keys.append((f.get("pxname"), f.get("svname"), str(rec[0]["proxyId"]),
                     str(rec[0]["id"])))
    return keys


def compare_order(fmt, ours, theirs):
    try:
        a = order(fmt, open(ours).read())
        b = order(fmt, open(theirs).read())
    except (ValueError, KeyError, IndexError) as e:
        yield "unreadable answer: %s" % e
        return
    if not b:
        yield "haproxy's answer has no rows"
    elif a != b:
        yield "order %s; haproxy's %s" % (
            " ".join("/".join(k) for k in a), " ".join("/".join(k) for k in b))


def compare_filled(fmt, ours, theirs):
    parse = {"csv": csv_objs, "typed": typed_objs, "json": json_objs}[fmt]
    o, t = parse(open(ours).read()), parse(open(theirs).read())
    if fmt == "csv":
        oh, th = (open(f).readline().rstrip("\n") for f in (ours, theirs))
        if oh != th:
            yield "header %r, haproxy's %r" % (oh, th)
    for k in sorted(set(o) & set(t)):
        for c in sorted(set(t[k]) - set(o[k])):
            yield "%s %s: empty, haproxy's %r" % ("/".join(k[:2]), c,
                                                   t[k][c][3])
        for c in sorted(set(o[k]) - set(t[k])):
            yield "%s %s: %r, haproxy's empty" % ("/".join(k[:2]), c,
                                                   o[k][c][3])


def field(col, fmt, text):
    if fmt == "csv":
        recs = csv_raw_records(text)
        cols = csv_raw_fields(recs[0][2:])
        for r in recs[1:]:
            v = csv_raw_fields(r)
            if v[cols.index(col)]:
                yield "%s.%s %s" % (v[cols.index("iid")], v[cols.index("sid")],
                                    v[cols.index(col)])
    elif fmt == "typed":
        for l in text.split("\n"):
            key = l.split(":", 1)[0].split(".")
            if len(key) == 6 and key[4] == col:
                yield "%s.%s %s" % (key[1], key[2], l.split(":", 3)[3])
    else:
        try:
            recs = json.loads(text)
        except ValueError as e:
            yield "not JSON: %s" % e
            return
        for rec in recs:
            for e in rec:
                if e["field"]["name"] == col:
                    yield "%s.%s %s" % (e["proxyId"], e["id"],
                                        e["value"]["value"])


def main():
    args = sys.argv[1:]
    if args[:1] == ["--field"]:
        for l in field(args[1], args[2], open(args[3]).read()):
            print(l)
        return
    if args[:1] == ["--filled"]:
        args = args[1:]
        for i in range(0, len(args) - 3, 4):
            label, fmt, ours, theirs = args[i:i + 4]
            for d in compare_filled(fmt, ours, theirs):
                print("%s: %s" % (label, d))
        return
    if args[:1] == ["--order"]:
        args = args[1:]
        for i in range(0, len(args) - 3, 4):
            label, fmt, ours, theirs = args[i:i + 4]
            for d in compare_order(fmt, ours, theirs):
                print("%s: %s" % (label, d))
        return
    for i in range(0, len(args) - 3, 4):
        label, fmt, ours, theirs = args[i:i + 4]
        for d in compare(fmt, ours, theirs):
            print("%s: %s" % (label, d))


if __name__ == "__main__":
    main()
