#!/usr/bin/env python3
# SPDX-License-Identifier: ISC
"""The corpus run's two halves (tests/hashproxy/corpus-run.t).

    corpus-run.py rewrite OUTDIR HOLDPORT HPBASE HABASE FILE...

writes OUTDIR/hp.N.cfg and OUTDIR/ha.N.cfg for the Nth FILE, the same
rewrite for both daemons but their own ports: nothing leaves the machine.
Each bind (and peer) line listens on 127.0.0.1 and the next port from
HPBASE or HABASE.  Every server, its check and agent addresses are
127.0.0.1, their absolute ports HOLDPORT (where "hold" listens; a port
relative to the client's, +N or -N, or none, stays as written: it says
something about the server); so are a dispatch, nameserver or mailer
address; a source address is 127.0.0.1.  User, group, chroot, daemon,
pidfile and every log line but "log global" go (the system's syslog is
no test's); the stats socket is OUTDIR/SIDE.N.sock.  Inter, agent-inter
and timeout check are an hour and a global maxconn at most MAXCONN
(corpus-run.t says why).

    corpus-run.py hold PORT

listens on 127.0.0.1:PORT and keeps every connection, silent.

    corpus-run.py compare LABEL CFG OURS THEIRS [LABEL CFG OURS THEIRS...]

asks each pair of stats sockets (OURS hashproxy's, THEIRS haproxy's,
waiting up to 20 s for them to answer) "show stat" and "show servers
state", prints "LABEL: difference" for each difference in the columns
the config decides (STAT and STATE below; CFG says whether the file sets
a global maxconn), then "LABEL: N objects compared"."""
import csv
import io
import re
import socket
import sys
import time

DROP_GLOBAL = ("user", "group", "uid", "gid", "chroot", "daemon", "pidfile",
               "log", "stats socket")
# the highest global maxconn kept (see the test's header)
MAXCONN = 4000
SECTIONS = ("global", "defaults", "frontend", "backend", "listen", "peers",
            "resolvers", "userlist", "mailers", "cache", "program",
            "http-errors", "ring")


def hostport(addr, port):
    """ADDR's host made 127.0.0.1; an absolute port made PORT."""
    m = re.match(r"^(.*?)(?::([-+]?\d*))?$", addr)
    if addr.startswith("[") or addr.count(":") > 1:
        m = re.match(r"^(\[.*\]|.*?)(?::([-+]?\d*))?$", addr)
    p = m.group(2) if m else None
    if p is None or p == "":
        return "127.0.0.1"
    if p[0] in "+-":
        return "127.0.0.1:" + p
    return "127.0.0.1:%s" % port


def server_opts(words, hold):
    """A server or default-server line's options, addresses rewritten."""
    out = []
    i = 0
    while i < len(words):
        w = words[i]
        out.append(w)
        if i + 1 < len(words):
            nxt = words[i + 1]
            if w in ("addr", "agent-addr"):
                out.append("127.0.0.1")
                i += 1
            elif w in ("inter", "agent-inter"):
                out.append("1h")
                i += 1
            elif w in ("port", "agent-port"):
                out.append(str(hold))
                i += 1
            elif w == "source":
                m = re.match(r"^.*?(:\d+(-\d+)?)?$", nxt)
                out.append("127.0.0.1" + (m.group(1) or ""))
                i += 1
        i += 1
    return out


def rewrite(text, hold, ports, sock):
    out = []
    section = None
    had_global = False
    for line in text.splitlines():
        words = line.split()
        if not words or words[0].startswith("#"):
            out.append(line)
            continue
        indent = line[:len(line) - len(line.lstrip())]
        if words[0] in SECTIONS:
            section = words[0]
            out.append(line)
            if section == "global":
                had_global = True
                out.append("    stats socket %s mode 600 level admin" % sock)
            continue
        key = " ".join(words[:2])
        if section == "global" and (words[0] in DROP_GLOBAL or
                                    key in DROP_GLOBAL):
            continue
        # a proxy's own syslog server is no test's either
        if words[0] == "log" and words[1:] != ["global"]:
            continue
        if section == "global" and words[0] == "maxconn" and \
                len(words) > 1 and words[1].isdigit() and \
                int(words[1]) > MAXCONN:
            words[1] = str(MAXCONN)
        elif words[:2] == ["timeout", "check"] and len(words) > 2:
            words[2] = "1h"
        elif words[0] == "bind" and len(words) > 1:
            words[1] = "127.0.0.1:%d" % next(ports)
        elif words[0] == "peer" and len(words) > 2:
            words[2] = "127.0.0.1:%d" % next(ports)
        elif words[0] in ("nameserver", "mailer") and len(words) > 2:
            words[2] = hostport(words[2], hold)
        elif words[0] == "dispatch" and len(words) > 1:
            words[1] = hostport(words[1], hold)
        elif words[0] == "server" and len(words) > 2:
            words = words[:2] + [hostport(words[2], hold)] + \
                server_opts(words[3:], hold)
        elif words[0] == "default-server":
            words = words[:1] + server_opts(words[1:], hold)
        else:
            out.append(line)
            continue
        out.append(indent + " ".join(words))
    if not had_global:
        out[:0] = ["global",
                   "    stats socket %s mode 600 level admin" % sock]
    return "\n".join(out) + "\n"


def ports_from(base):
    p = base
    while True:
        yield p
        p += 1


def cmd_rewrite(args):
    outdir, hold, hpbase, habase = args[0], int(args[1]), int(args[2]), \
        int(args[3])
    hp, ha = ports_from(hpbase), ports_from(habase)
    for n, f in enumerate(args[4:]):
        text = open(f).read()
        for side, ports in (("hp", hp), ("ha", ha)):
            with open("%s/%s.%d.cfg" % (outdir, side, n), "w") as o:
                o.write(rewrite(text, hold, ports,
                                "%s/%s.%d.sock" % (outdir, side, n)))


# "show stat"'s columns the config decides.  Left out: the ones that
# count or time (stot, lastchg, check_duration...), status, check_health
# and check_status, which the first check result changes (an L4 check
# passes at once on the holding server; only whether a check or an agent
# runs at all is compared: check_status? and agent_status?), cookie
# (hashproxy: "no persistence cookies would be set", the man page), and
# the mode of a proxy haproxy says is http (hashproxy: "mode http is a
# warning: such a proxy is proxied at L4", so its rows say tcp).
STAT = ("type", "iid", "sid", "weight", "act", "bck", "check_rise",
        "check_fall", "agent_rise", "agent_fall", "qlimit", "slim", "mode",
        "algo", "check_status?", "agent_status?", "addr", "tracked", "pid",
        "status:")
# and "show servers state"'s, the same way: not the check's state,
# status, result, health or the time since the last change
STATE = ("be_id", "be_name", "srv_id", "srv_name", "srv_addr",
         "srv_op_state", "srv_admin_state", "srv_uweight", "srv_iweight",
         "bk_f_forced_id", "srv_f_forced_id", "srv_fqdn", "srv_port",
         "srvrecord", "srv_use_ssl", "srv_check_port", "srv_check_addr",
         "srv_agent_addr", "srv_agent_port")


def stat_rows(text, auto_maxconn):
    recs = list(csv.reader(io.StringIO(text)))
    if not recs or not recs[0] or not recs[0][0].startswith("# "):
        raise ValueError("no CSV header: %r" % text[:80])
    cols = [recs[0][0][2:]] + recs[0][1:]
    out = {}
    for r in recs[1:]:
        if not r:
            continue
        f = dict(zip(cols, r))
        v = {}
        for c in STAT:
            name = c.rstrip("?:")
            if name not in f:
                continue
            if c.endswith("?"):
                v[c] = f[name] != ""
            elif c.endswith(":"):
                # UP, DOWN, MAINT, no check: not "UP 1/3" (the health)
                v[c] = f[name].split(" ")[0]
            else:
                v[c] = f[name]
        # haproxy's http mode, proxied at L4 here
        if v.get("mode") == "http":
            v["mode"] = "tcp"
        # a frontend's maxconn and a backend's fullconn from the file
        # limit: see the test's header
        if auto_maxconn and f["svname"] in ("FRONTEND", "BACKEND"):
            v.pop("slim", None)
        out[("stat", f["pxname"], f["svname"])] = v
    return out


def state_rows(text):
    lines = [l for l in text.splitlines() if l]
    if len(lines) < 2 or not lines[1].startswith("# "):
        raise ValueError("no servers state header: %r" % text[:80])
    cols = lines[1][2:].split()
    out = {}
    for l in lines[2:]:
        f = dict(zip(cols, l.split()))
        v = {c: f.get(c) for c in STATE}
        out[("state", f["be_name"], f["srv_name"])] = v
    return out


def ask(path, cmd, deadline):
    """One command's answer on the socket PATH, once it answers."""
    while True:
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            s.settimeout(10)
            s.connect(path)
            s.sendall(cmd.encode() + b"\n")
            data = b""
            while True:
                b = s.recv(65536)
                if not b:
                    break
                data += b
            s.close()
            return data.decode()
        except OSError:
            s.close()
            if time.monotonic() > deadline:
                raise
            time.sleep(0.05)


def global_maxconn(cfg):
    section = None
    for line in open(cfg):
        w = line.split()
        if not w:
            continue
        if w[0] in SECTIONS:
            section = w[0]
        elif section == "global" and w[0] == "maxconn":
            return True
    return False


def cmd_compare(args):
    deadline = time.monotonic() + 20
    for i in range(0, len(args) - 3, 4):
        label, cfg, ours, theirs = args[i:i + 4]
        auto = not global_maxconn(cfg)
        try:
            a, b = [{**stat_rows(ask(s, "show stat", deadline), auto),
                     **state_rows(ask(s, "show servers state", deadline))}
                    for s in (ours, theirs)]
        except (OSError, ValueError) as e:
            print("%s: no answer: %s" % (label, e))
            continue
        for k in sorted(set(a) | set(b)):
            if k not in a or k not in b:
                print("%s: only %s has %s %s/%s" % (
                    label, "hashproxy" if k in a else "haproxy", *k))
                continue
            for c in a[k].keys() | b[k].keys():
                if a[k].get(c) != b[k].get(c):
                    print("%s: %s %s/%s %s is %r; haproxy's %r" % (
                        label, k[0], k[1], k[2], c.rstrip("?:"),
                        a[k].get(c), b[k].get(c)))
        print("%s: %d objects compared" % (label, len(set(a) & set(b))))


def cmd_hold(args):
    """Accepts on 127.0.0.1:PORT and keeps every connection, silent:
    a check's connect succeeds and its answer never comes."""
    ls = socket.socket()
    ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    ls.bind(("127.0.0.1", int(args[0])))
    ls.listen(128)
    held = []
    while True:
        held.append(ls.accept()[0])


def main():
    {"rewrite": cmd_rewrite, "compare": cmd_compare, "hold": cmd_hold}[sys.argv[1]](
        sys.argv[2:])


if __name__ == "__main__":
    main()
