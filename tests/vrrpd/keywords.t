#!/bin/bash
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

while read -r name sec verdict; do
	conf "$sec" "$name" > "$T_TMP/k.conf"
	out=$(vrrpd -t -f "$T_TMP/k.conf" 2>&1); rc=$?
	line=$(grep -n "^ *$name\($\| \)" "$T_TMP/k.conf" | cut -d: -f1)
	case $verdict in
	ignored)
		ok "$name ($sec) ignored: exit 0 and a warning at k.conf:$line" \
		    eval '[ $rc = 0 ] && grep -q "k.conf:$line: warning: .*$name: ignored" <<< "$out"' ;;
	refused)
		ok "$name ($sec) refused: exit 2 and an error at k.conf:$line" \
		    eval '[ $rc = 2 ] && grep -q "k.conf:$line: .*$name: not supported" <<< "$out"' ;;
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
