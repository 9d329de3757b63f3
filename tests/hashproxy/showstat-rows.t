#!/bin/bash
# SPDX-License-Identifier: ISC
# show stat's rows as haproxy 2.6 writes them, beside it on one config:
# proxies in config order (a backend before the frontends, a listen
# section as one proxy: FRONTEND, its servers, BACKEND under one iid,
# a frontend and a backend of the same name), ids counted from 2 (the
# stats socket's proxy holds 1), the filter's proxy found as haproxy
# finds it; and a check's info with a comma, double quotes and more than
# 63 characters, whole: quoted in CSV, as it is in typed lines, and one
# string in JSON.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/hp.sh"
command -v haproxy >/dev/null || cannot_run "haproxy 2.6 is the reference"

chkp=$(free_port) deadp=$(free_port)
echo '503 Down, for "maintenance"' >"$T_TMP/status"
python3 "$T_TOP/tests/hashproxy/statussrv.py" 127.0.0.1 "$chkp" "$T_TMP/status" \
    >/dev/null 2>&1 &
cleanup_push "kill $!"
wait_for 5 _hp_port_open 127.0.0.1 "$chkp" || bail "the check server did not start"

# on-error and comment are hashproxy's longest (63 characters each);
# haproxy's last_chk is "ONERR comment: COMMENT"
ONERR='checked, and \"down\" for maintenance, as the test says'
COMMENT='a comment, with \"quotes\" too'
# each server's first check fails, the next is an hour away: the
# columns stay as that check left them
cfg() {
	cat <<EOC
global
    stats socket $T_TMP/cfg-$1.sock mode 600 level admin
defaults
    mode tcp
    timeout connect 1s
    timeout client 10s
    timeout server 10s
backend first
    server f1 127.0.0.1:$deadp
frontend fe
    bind 127.0.0.1:$1
    default_backend first
listen both
    bind 127.0.0.1:$2
    option httpchk GET /
    server reason 127.0.0.1:$chkp check inter 200ms fall 1 downinter 1h
    server plain 127.0.0.1:$deadp
backend other
    server o1 127.0.0.1:$deadp
backend empty
frontend same
    bind 127.0.0.1:$3
    default_backend same
backend same
    option httpchk GET /
    http-check expect status 200 on-error "$ONERR" comment "$COMMENT"
    server onerr 127.0.0.1:$chkp check inter 200ms fall 1 downinter 1h
EOC
}
hp_cfgs 3
hp_both_start
H=$T_TMP/hp.sock A=$T_TMP/ha.sock

# checked SOCKET: both checked servers are down, their check over
checked() {
	ctl "$1" "show stat -1 4 -1" >"$T_TMP/checked" &&
	    [ "$(grep -c ',DOWN,.*,L7STS,' "$T_TMP/checked")" = 2 ]
}
ok "hashproxy's checks are done" wait_for 10 checked "$H"
ok "haproxy's too" wait_for 10 checked "$A"

# --- order and ids, whole and filtered
# haproxy's id of the listen section, for the "#ID" and ID filters
iid=$(ctl "$A" "show stat both 2 -1" | awk -F, '$2 == "BACKEND" { print $28 }')
cmp=() what=()
for f in "" "-1 3 -1" "-1 4 -1" "both -1 -1" "#$iid -1 -1" "$iid 2 -1" \
    "same -1 -1" "other -1 -1"; do
	for fmt in csv typed json; do
		# haproxy's json is no JSON once a string has a quote
		[ "$fmt" = json ] && [ "$f" != "-1 3 -1" ] && continue
		x=; [ "$fmt" != csv ] && x=" $fmt"
		c="show stat${f:+ $f}$x"
		k=${#what[@]}
		ctl "$H" "$c" >"$T_TMP/ours.$k"
		ctl "$A" "$c" >"$T_TMP/theirs.$k"
		cmp+=("$k" "$fmt" "$T_TMP/ours.$k" "$T_TMP/theirs.$k")
		what[k]=$c
	done
done
python3 "$T_TOP/tests/hashproxy/statcmp.py" --order "${cmp[@]}" >"$T_TMP/order" 2>&1
for k in "${!what[@]}"; do
	is "$(grep "^$k: " "$T_TMP/order")" "" "${what[k]}: haproxy's rows, in its order, with its ids"
done
is "$(grep -v '^[0-9]*: ' "$T_TMP/order")" "" "statcmp.py --order ran"

# be_id in show servers state and conn
ids() { awk '!/^#/ && NF > 2 { print $1, $2, $3 }' "$1"; }
for c in "show servers state" "show servers conn"; do
	ctl "$H" "$c" >"$T_TMP/ours.s"
	ctl "$A" "$c" >"$T_TMP/theirs.s"
	is "$(ids "$T_TMP/ours.s")" "$(ids "$T_TMP/theirs.s")" "$c: haproxy's backend ids"
done

# --- last_chk: a comma, quotes, 100 characters
ctl "$H" "show stat" >"$T_TMP/ours.csv"
ctl "$A" "show stat" >"$T_TMP/theirs.csv"
ctl "$H" "show stat -1 -1 -1 typed" >"$T_TMP/ours.typed"
ctl "$A" "show stat -1 -1 -1 typed" >"$T_TMP/theirs.typed"
ctl "$H" "show stat -1 -1 -1 json" >"$T_TMP/ours.json"

# --- the columns each row fills: haproxy's, by position too (its "-"
# column, then its ssl, h2 and h1 modules'), 0 for what hashproxy lacks
python3 "$T_TOP/tests/hashproxy/statcmp.py" --filled csv csv "$T_TMP/ours.csv" \
    "$T_TMP/theirs.csv" typed typed "$T_TMP/ours.typed" "$T_TMP/theirs.typed" \
    >"$T_TMP/filled" 2>&1
is "$(cat "$T_TMP/filled")" "" "show stat: the columns each row fills, haproxy's (CSV and typed)"

# a backend's chkdown: its last server lost to a check (same), to
# maintenance (other, disabled then enabled), never (first)
for s in "$H" "$A"; do
	ctl "$s" "disable server other/o1" >/dev/null
	ctl "$s" "enable server other/o1" >/dev/null
done
chkdown() {
	ctl "$1" "show stat" | awk -F, '$2 == "BACKEND" && ($1 == "same" ||
	    $1 == "other" || $1 == "first") { print $1, $18, $23 }'
}
is "$(chkdown "$H")" "$(chkdown "$A")" "BACKEND status and chkdown, haproxy's"
field() { python3 "$T_TOP/tests/hashproxy/statcmp.py" --field last_chk "$@"; }
theirs=$(field typed "$T_TMP/theirs.typed")
n=$(field typed "$T_TMP/theirs.typed" | awk '{ sub(/^[^ ]* /, ""); print length }' |
    sort -n | tail -1)
is "$(field csv "$T_TMP/ours.csv")" "$(field csv "$T_TMP/theirs.csv")" \
    "CSV: last_chk quoted, its quotes doubled, whole ($n characters), as haproxy's"
is "$(field typed "$T_TMP/ours.typed")" "$theirs" "typed: last_chk as it is, as haproxy's (ids too)"
is "$(field json "$T_TMP/ours.json")" "$theirs" "JSON: the string reads back as haproxy's value"

done_testing
