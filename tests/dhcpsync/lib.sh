# SPDX-License-Identifier: ISC
# Helpers for dhcpsync's tests: generated lease files and a pair of real
# dhcpsync processes over a --peer command.  Source after ../lib/tap.sh.
#
#   gen N [OFF]            N leases in dhcpd's format, from lease OFF on
#   count FILE             how many addresses FILE holds (last-state.awk,
#                          the oracle that shares no code with dhcpsync)
#   proc_status PID KEY    one field of /proc/PID/status (Uid, CapEff...)
#   lease_pair A B         A holds leases 0-19, B 10-29 (directories made):
#                          once synced both hold 30
#   holds N FILE           FILE holds N addresses
#   both_hold N A B        A and B each hold N addresses
#   pair_start PIDVAR FILE PEER [ARGS...]
#                          dhcpsync on FILE with --peer PEER, its control
#                          socket FILE's directory's ctl, out and err in
#                          $T_TMP/DIR.out and .err (DIR that directory's
#                          name); PIDVAR = its pid, killed at exit
gen() { awk -v n="$1" -v off="${2:-0}" -f "$T_TOP/tests/dhcpsync/gen-leases.awk"; }
count() { awk -f "$T_TOP/tests/dhcpsync/last-state.awk" "$1" | wc -l; }
proc_status() {
	awk -v k="$2:" '$1 == k { $1 = ""; sub(/^ /, ""); print; exit }' "/proc/$1/status"
}

lease_pair() {
	mkdir -p "$(dirname "$1")" "$(dirname "$2")"
	gen 20 > "$1"
	gen 10 20 > "$2"
}
holds() { [ "$(count "$2")" = "$1" ]; }
both_hold() { holds "$1" "$2" && holds "$1" "$3"; }

pair_start() {
	local var=$1 f=$2 peer=$3 d n; shift 3
	d=$(dirname "$f") n=$(basename "$(dirname "$f")")
	dhcpsync -l "$f" --control "$d/ctl" --peer "$peer" "$@" \
	    > "$T_TMP/$n.out" 2> "$T_TMP/$n.err" &
	printf -v "$var" '%s' "$!"
	cleanup_push "kill $! 2>/dev/null"
}
