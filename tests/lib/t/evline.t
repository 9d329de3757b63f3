#!/bin/bash
# SPDX-License-Identifier: ISC
# lib/evline's JSON lines read by Python's json module, not by evline:
# each line one valid object, each key the type it was stated as, a
# 10 kB value whole, odd bytes escaped.
. "$(dirname "$0")/../tap.sh"

bin=$T_TOP/build/lib/unit/evline.t
[ -x "$bin" ] || cannot_run "$bin not built (make -C lib unit)"
command -v python3 >/dev/null || cannot_run "no python3"
out=$T_TMP/lines
"$bin" json >"$out"
is "$(wc -l <"$out")" 4 "four lines"
got=$(python3 - "$out" <<'PY'
import json, sys
L = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8")]
t, u, b, c = L
want = {"event": str, "name": str, "s": str, "q": str, "id": str, "qf": str, "i": int,
        "u": int, "d": float, "z": float, "nan": type(None), "t": bool,
        "f": bool, "lag_s": type(None), "empty": str, "list": str}
bad = [k for k in want if type(t.get(k, ...)) is not want[k]] + \
      [k for k in t if k not in want]
print("types", "ok" if not bad else "bad:" + ",".join(bad))
print("values", t["s"] == "007" and t["id"] == "0000000000001234" and t["qf"] == "f:7: x" and
      t["i"] == -42 and t["u"] == 2**64 - 1 and t["d"] == 0.25 and
      t["z"] == 0 and t["t"] is True and t["empty"] == "" and t["list"] == 'a",b' and
      t["q"] == 'say "hi"\\ \x01\x1f\n\t\r\x7f')
print("utf8", u["name"] == "caf\u00e9 \u20ac \U0001F600" and
      u["bad"] == "a\ufffdb\ufffdc\ufffd\ufffd\ufffdd\ufffd\ufffd")
v = b["v"]
print("big", len(v) == 10240 and v[5000] == '"' and v.count("x") == 10239)
print("object", c == {"host": '/tmp/a"b\\c\td:5432', "n": 1})
PY
)
like "$got" '^types ok$' "each key has its stated JSON type"
like "$got" '^values True$' "each value reads back as written"
like "$got" '^utf8 True$' "UTF-8 kept, bytes that are not UTF-8 U+FFFD"
like "$got" '^big True$' "a 10 kB value whole"
like "$got" '^object True$' "an object without event reads back as written"
done_testing
