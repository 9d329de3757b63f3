#!/usr/bin/env python3
# SPDX-License-Identifier: ISC
"""timeline.py IN OUT.svg: draws the failovers make demo timed.

IN has one line per measured moment, "ROW<TAB>WHAT<TAB>MS", MS after the
row's fault (the demo's own clock, CLOCK_REALTIME in ms).  Each row is a
fault: a bar from 0 to its last moment, a tick and a label per moment, on
one millisecond axis shared by every row, so polling and event-driven
failover are compared at a glance.  Standard library only."""
import sys
from html import escape

rows, order = {}, []
with open(sys.argv[1]) as fh:
    for line in fh:
        p = line.rstrip("\n").split("\t")
        if len(p) != 3 or not p[2].lstrip("-").isdigit():
            continue
        if p[0] not in rows:
            rows[p[0]] = []
            order.append(p[0])
        rows[p[0]].append((int(p[2]), p[1]))
if not order:
    sys.exit("timeline.py: no measurement in " + sys.argv[1])

W, L, R, RH, TOP = 1000, 280, 40, 70, 40
span = max(ms for r in rows.values() for ms, _ in r)
# the axis in whole seconds, at least one
sec = max(1, -(-span // 1000))
X = lambda ms: L + (W - L - R) * ms / (sec * 1000)
H = TOP + RH * len(order) + 30
colours = ["#36c", "#e80", "#080", "#a3a", "#3aa"]
o = ['<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" '
     'font-family="sans-serif" font-size="12">' % (W, H),
     '<rect width="100%" height="100%" fill="white"/>',
     '<text x="8" y="20" font-weight="bold">make demo: failover '
     'timeline (ms after each fault)</text>']
step = 250 if sec <= 3 else 500 if sec <= 6 else 1000
for t in range(0, sec * 1000 + 1, step):
    o.append('<line x1="%.1f" x2="%.1f" y1="%d" y2="%d" stroke="#eee"/>'
             % (X(t), X(t), TOP, H - 26))
    o.append('<text x="%.1f" y="%d" fill="#888" text-anchor="middle">%d</text>'
             % (X(t), H - 10, t))
for i, name in enumerate(order):
    y = TOP + RH * i
    pts = sorted(rows[name])
    o.append('<text x="8" y="%d">%s</text>' % (y + 24, escape(name)))
    o.append('<rect x="%.1f" y="%d" width="%.1f" height="10" fill="#fdd"/>'
             % (X(0), y + 15, max(1, X(pts[-1][0]) - X(0))))
    for k, (ms, what) in enumerate(pts):
        c = colours[k % len(colours)]
        o.append('<rect x="%.1f" y="%d" width="3" height="20" fill="%s">'
                 '<title>%d ms: %s</title></rect>' % (X(ms) - 1, y + 10, c, ms, escape(what)))
        # labels on three lines, above and below the bar, so that close
        # moments stay legible
        ly = (y + 6, y + 44, y + 58)[k % 3]
        o.append('<text x="%.1f" y="%d" fill="%s" font-size="11">%s %d ms</text>'
                 % (X(ms) + 3, ly, c, escape(what), ms))
o.append("</svg>")
with open(sys.argv[2], "w") as fh:
    fh.write("\n".join(o) + "\n")
