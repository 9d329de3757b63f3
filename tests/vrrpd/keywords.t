#!/bin/bash
# SPDX-License-Identifier: ISC
# man/vrrpd.8 KEYWORDS lists every keepalived keyword vrrpd reads but does
# not run, each ignored or refused; vrrpd/keywords.c's table is the
# parser's list.  The two must hold the same keywords, sections and
# verdicts, and vrrpd -t must do what the man page says for each: a
# warning naming file:line for "ignored", an error and exit 2 for
# "refused".  An unknown keyword is an error, as in keepalived.
. "$(dirname "$0")/lib.sh"
MAN=$T_TOP/man/vrrpd.8
TAB=$T_TOP/vrrpd/keywords.c

# from the man page: "name section verdict", section G I S T
man_list() {
	awk '/^\.Sh KEYWORDS/ { on = 1; next } /^\.Sh / { on = 0 }
	    on && /^\.It Ic / { name = $3; sec = $5; next }
	    on && name != "" {
		v = $1 == "ignored:" ? "ignored" : $1 == "refused:" ? \
		    "refused" : "?"
		s = sec == "global_defs" ? "G" : sec == "vrrp_instance" ? \
		    "I" : sec == "vrrp_script" ? "S" : "T"
		print name, s, v; name = "" }' "$MAN" | sort
}

# from the parser's table
tab_list() {
	tr -d '\n' < "$TAB" | grep -oE '\{ "[a-z_0-9]+",[[:space:]]*[GIST],[[:space:]]*KW_[A-Z]+' |
	    sed -E 's/\{ "([^"]+)",[[:space:]]*([GIST]),[[:space:]]*KW_([A-Z]+)/\1 \2 \3/' |
	    awk '{ v = $3 == "IGNORED" ? "ignored" : $3 == "REFUSED" ? \
		"refused" : "?"; print $1, $2, v }' | sort
}

m=$(man_list)
t=$(tab_list)
ok "the man page lists keywords ($(echo "$m" | wc -l))" test -n "$m"
is "$m" "$t" "man KEYWORDS = vrrpd/keywords.c's table (name, section, verdict)"

# conf SECTION 'line': a valid instance with line in SECTION
conf() {
	local g= i= s= t=
	case $1 in G) g=$2 ;; I) i=$2 ;; S) s=$2 ;; T) t=$2 ;; esac
	cat <<EOC
global_defs {
    $g
}
vrrp_script chk {
    script "/bin/true"
    $s
}
vrrp_instance VI_1 {
    interface eth0
    virtual_router_id 1
    $i
    virtual_ipaddress {
        192.0.2.1
    }
}
$t
EOC
}

# The ignored keywords of global_defs and of vrrp_instance, each section's
# in one file, one run: the run exits 0, and each keyword has its warning
# at its own line.  A refused one is alone in its file: the exit status
# is its own.  The loop forks only vrrpd, for the refused (five forks per
# keyword took most of this test's time on a loaded machine).
declare -A OUT RC
for sec in G I; do
	conf "$sec" "$(awk -v s="$sec" '$2 == s && $3 == "ignored" { print $1 }' <<<"$m")" \
	    > "$T_TMP/k$sec.conf"
	OUT[$sec]=$(vrrpd -t -f "$T_TMP/k$sec.conf" 2>&1); RC[$sec]=$?
done

# lineno FILE NAME: the number of FILE's line that NAME starts
lineno() {
	local -a l
	local i
	mapfile -t l <"$1"
	for i in "${!l[@]}"; do
		[[ ${l[i]} =~ ^\ *$2(\ |$) ]] && { echo $((i + 1)); return; }
	done
}
# said RC WANT OUT REGEX: RC is WANT and a line of OUT matches REGEX
said() {
	local l
	[ "$1" = "$2" ] || return 1
	while IFS= read -r l; do [[ $l =~ $4 ]] && return 0; done <<<"$3"
	return 1
}

while read -r name sec verdict; do
	case $sec$verdict in
	[GI]ignored)
		f=k$sec.conf out=${OUT[$sec]} rc=${RC[$sec]} ;;
	*)	f=k.conf
		conf "$sec" "$name" > "$T_TMP/k.conf"
		out=$(vrrpd -t -f "$T_TMP/k.conf" 2>&1); rc=$? ;;
	esac
	line=$(lineno "$T_TMP/$f" "$name")
	case $verdict in
	ignored)
		ok "$name ($sec) ignored: exit 0 and a warning at $f:$line" \
		    said "$rc" 0 "$out" "$f:$line: warning: .*$name: ignored" ;;
	refused)
		ok "$name ($sec) refused: exit 2 and an error at k.conf:$line" \
		    said "$rc" 2 "$out" "k.conf:$line: .*$name: not supported" ;;
	*) ok "$name: a verdict in the man page" false ;;
	esac
done <<< "$m"

for sec in G I S T; do
	conf "$sec" "no_such_keyword_xyz" > "$T_TMP/u.conf"
	exit_is 2 "an unknown keyword ($sec) is an error, as in keepalived" \
	    vrrpd -t -f "$T_TMP/u.conf"
done
like "$(vrrpd -t -f "$T_TMP/u.conf" 2>&1)" \
    "u.conf:16: no_such_keyword_xyz: unknown keyword" "... naming file:line"

done_testing
