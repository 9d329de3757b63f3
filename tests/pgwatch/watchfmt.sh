# SPDX-License-Identifier: ISC
# The --watch line layouts of pgwatch(1), WATCH LINES, as exact patterns
# (grep -E, with a back-reference: a condition's down reason is its check).
#
#   watch_fmt FILE WORD...   one test per WORD: FILE has WORD lines and
#                            every one of them is in the documented layout
#   watch_fmt_all FILE       every line of FILE starts with a known word

_WF_H='[0-9a-z.:-]+:[0-9]+'
_WF_L='[0-9A-F]+/[0-9A-F]+'
_WF_S='(unknown|0|[0-9]+\.[0-9]{3})'
_WF_C='[a-z,-]+'
_WF_P="tli=[0-9]+ lsn=$_WF_L conns=[0-9]+/[0-9]+ free=[0-9]+"
_WF_SB="tli=[0-9]+ lsn=$_WF_L receive_lsn=$_WF_L wal=[a-z-]+ lag_bytes=-?[0-9]+ lag_s=$_WF_S paused=[01] conns=[0-9]+/[0-9]+ free=[0-9]+"

_watch_fmt_re() {
	case $1 in
	up)	echo "^up $_WF_H (role=primary $_WF_P|role=standby $_WF_SB) check=ok\$" ;;
	down)	echo "^down $_WF_H (reason=[a-z]+ msg=\"[^\"]*\"|reason=($_WF_C) (role=primary $_WF_P|role=standby $_WF_SB) check=\\2)\$" ;;
	role)	echo "^role $_WF_H role=(primary|standby) was=(primary|standby) tli=[0-9]+\$" ;;
	lag)	echo "^lag $_WF_H state=(over|under) lag_bytes=-?[0-9]+ lag_s=$_WF_S\$" ;;
	streaming) echo "^streaming $_WF_H state=(lost|regained) wal=[a-z-]+\$" ;;
	esac
}

_wf_good() { [ "$1" -gt 0 ] && [ -z "$2" ]; }

watch_fmt() {
	local f=$1 w n bad; shift
	for w in "$@"; do
		n=$(grep -c "^$w " "$f")
		bad=$(grep "^$w " "$f" | grep -Ev -- "$(_watch_fmt_re "$w")")
		ok "$w lines ($n) all in the documented layout" \
		    _wf_good "$n" "$bad"
		[ -z "$bad" ] || diag "not in layout: $bad"
	done
}

watch_fmt_all() {
	local bad
	bad=$(grep -Ev '^(up|down|role|lag|streaming) ' "$1")
	is "$bad" "" "no line with an undocumented first word"
}
