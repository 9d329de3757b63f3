#!/usr/bin/env python3
# SPDX-License-Identifier: ISC
"""The lease set a file holds, one normalised line per address, sorted.

An oracle for the corpus test, written from dhcpd.leases(5) and Kea's
memfile format, sharing nothing with dhcpsync's own parsers:

  leaseset.py dhcpd FILE   the last "lease A { ... }" block per address
                           wins; inside it every statement is one entry,
                           sorted: times as epoch seconds (both of dhcpd's
                           date forms), quoted strings and colon-hex as the
                           bytes they stand for (escapes as dhcpd's
                           read_string() takes them), nested blocks ("on
                           commit { ... }") as their statements; uid ""
                           is no uid, as dhcpd reads and rewrites it.
  leaseset.py kea FILE     the last row per address wins, a row with
                           valid_lifetime 0 deletes; every column but
                           pool_id, "&#x2c" read as ",".

Anything it cannot read is an error on stderr and exit 1.

  leaseset.py serve        reads requests "FORMAT FILE OUT", one a line,
                           writes FILE's set into OUT and answers "ok", or
                           "error WHY" (what FILE alone would say on
                           stderr): one start for a test's many files.
"""
import calendar
import csv
import sys


class Unreadable(Exception):
    pass


def die(msg):
    raise Unreadable(msg)


def tokens(text, name):
    """dhcpd.leases tokens: ("w", word), ("s", bytes) or ("p", punct)."""
    i, n, line = 0, len(text), 1
    out = []
    while i < n:
        c = text[i]
        if c == "\n":
            line += 1
            i += 1
        elif c in " \t\r":
            i += 1
        elif c == "#":
            while i < n and text[i] != "\n":
                i += 1
        elif c in "{};,=":
            out.append(("p", c, line))
            i += 1
        elif c == '"':
            i += 1
            b = bytearray()
            while True:
                if i >= n:
                    die("%s:%d: string not closed" % (name, line))
                c = text[i]
                if c == '"':
                    i += 1
                    break
                if c == "\\":
                    i += 1
                    e = text[i] if i < n else ""
                    # dhcpd's read_string(): octal from \0-\3, three
                    # digits; \4-\9 are the digit
                    if e in "0123":
                        j = i
                        while j < n and j < i + 3 and text[j] in "01234567":
                            j += 1
                        if j < i + 3:
                            die("%s:%d: octal escape dhcpd misreads"
                                % (name, line))
                        b.append(int(text[i:j], 8))
                        i = j
                        continue
                    b.extend({"n": b"\n", "t": b"\t", "r": b"\r"}
                             .get(e, e.encode("latin-1")))
                    i += 1
                    continue
                if c == "\n":
                    line += 1
                b.extend(c.encode("latin-1"))
                i += 1
            out.append(("s", bytes(b), line))
        else:
            j = i
            while j < n and text[j] not in ' \t\r\n{};,="#':
                j += 1
            out.append(("w", text[i:j], line))
            i = j
    return out


def colonhex(w):
    parts = w.split(":")
    if len(parts) < 2:
        return None
    try:
        if all(1 <= len(p) <= 2 for p in parts):
            return bytes(int(p, 16) for p in parts)
    except ValueError:
        pass
    return None


TIMES = {"starts", "ends", "tstp", "tsfp", "atsfp", "cltt"}


def norm_stmt(toks, name):
    """One statement's tokens as a normalised string."""
    if toks and toks[0][0] == "w" and toks[0][1] in TIMES:
        vals = [t[1] for t in toks[1:]]
        if vals == ["never"]:
            return "%s never" % toks[0][1]
        if len(vals) == 2 and vals[0] == "epoch":
            return "%s %d" % (toks[0][1], int(vals[1]))
        if len(vals) == 3:
            y, mo, d = (int(x) for x in vals[1].split("/"))
            h, mi, s = (int(x) for x in vals[2].split(":"))
            return "%s %d" % (toks[0][1],
                              calendar.timegm((y, mo, d, h, mi, s, 0, 0, 0)))
        die("%s:%d: time %r" % (name, toks[0][2], vals))
    # dhcpd reads uid "" as no uid and writes none
    if [(k, v) for k, v, _ in toks] == [("w", "uid"), ("s", b"")]:
        return None
    out = []
    for kind, v, _ in toks:
        if kind == "s":
            out.append("b:" + v.hex())
        elif kind == "w" and colonhex(v) is not None:
            out.append("b:" + colonhex(v).hex())
        else:
            out.append(v)
    return " ".join(out)


def block(toks, i, name, prefix):
    """Statements from toks[i] (after "{") to the matching "}"."""
    stmts, cur = [], []
    while i < len(toks):
        kind, v, line = toks[i]
        if kind == "p" and v == "}":
            if cur:
                die("%s:%d: statement without ';'" % (name, line))
            return stmts, i + 1
        if kind == "p" and v == ";":
            if cur and norm_stmt(cur, name) is not None:
                stmts.append(prefix + norm_stmt(cur, name))
            cur = []
            i += 1
            continue
        if kind == "p" and v == "{":
            inner, i = block(toks, i + 1, name,
                             prefix + norm_stmt(cur, name) + " / ")
            stmts.extend(inner)
            cur = []
            continue
        cur.append(toks[i])
        i += 1
    die("%s: block not closed" % name)


def skip_block(toks, i, name):
    depth = 0
    while i < len(toks):
        if toks[i][0] == "p" and toks[i][1] == "{":
            depth += 1
        elif toks[i][0] == "p" and toks[i][1] == "}":
            depth -= 1
            if depth == 0:
                return i + 1
        elif depth == 0 and toks[i][0] == "p" and toks[i][1] == ";":
            return i + 1
        i += 1
    die("%s: unterminated top-level statement" % name)


def dhcpd(name):
    with open(name, encoding="latin-1") as f:
        toks = tokens(f.read(), name)
    leases, i = {}, 0
    while i < len(toks):
        if (toks[i][:2] == ("w", "lease") and i + 2 < len(toks)
                and toks[i + 2][:2] == ("p", "{")):
            addr = toks[i + 1][1]
            stmts, i = block(toks, i + 3, name, "")
            leases[addr] = sorted(stmts)
        else:
            i = skip_block(toks, i, name)
    return leases


def kea(name):
    leases = {}
    with open(name, newline="", encoding="latin-1") as f:
        rows = csv.reader(f)
        hdr = next(rows, None)
        if not hdr or hdr[0] != "address":
            die("%s:1: not a Kea lease4 file" % name)
        for n, row in enumerate(rows, 2):
            if not row:
                continue
            if len(row) < len(hdr) - 1:
                die("%s:%d: %d fields" % (name, n, len(row)))
            rec = dict(zip(hdr, row))
            if rec.get("valid_lifetime") == "0":
                leases.pop(rec["address"], None)
                continue
            leases[rec["address"]] = [
                "%s=%s" % (k, rec.get(k, "").replace("&#x2c", ","))
                for k in hdr if k != "pool_id"]
    return leases


def lines(fmt, name):
    leases = (dhcpd if fmt == "dhcpd" else kea)(name)
    for addr in sorted(leases, key=lambda a: tuple(
            int(x) for x in a.split(".")) if a.count(".") == 3 else (999,)):
        yield "%s %s\n" % (addr, " | ".join(leases[addr]))


def serve():
    for req in sys.stdin:
        try:
            fmt, name, out = req.split()
            if fmt not in ("dhcpd", "kea"):
                raise Unreadable("format %r" % fmt)
            with open(out, "w") as f:
                f.writelines(lines(fmt, name))
            answer = "ok"
        except Exception as e:  # anything that would end a one-file run
            answer = "error %s" % str(e).replace("\n", " ")
        print(answer, flush=True)


def main():
    if sys.argv[1:] == ["serve"]:
        serve()
        return
    try:
        if len(sys.argv) != 3 or sys.argv[1] not in ("dhcpd", "kea"):
            die("usage: leaseset.py dhcpd|kea FILE")
        sys.stdout.writelines(lines(sys.argv[1], sys.argv[2]))
    except Unreadable as e:
        sys.stderr.write("leaseset: %s\n" % e)
        sys.exit(1)


if __name__ == "__main__":
    main()
