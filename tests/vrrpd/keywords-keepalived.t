#!/bin/bash
# SPDX-License-Identifier: ISC
# Every keyword keepalived 2.2.7 knows in the parts of keepalived.conf
# vrrpd reads has a verdict in vrrpd, and man/vrrpd.8 says which:
#  - the keywords come from keepalived's own keepalived.conf(5) (its
#    global definitions, vrrp_script, track_file, vrrp_track_process,
#    vrrp_sync_group and vrrp_instance sections, and the top level), and
#    keepalived -t in the same run says which of them it knows: those it
#    calls unknown are no keywords of 2.2.7 (a word of an example, a
#    sub-block's keyword) and vrrpd may call them unknown too;
#  - for each one keepalived knows, vrrpd -t must not say "unknown
#    keyword": it implements it, or ignores it (harmless) or refuses it
#    (would change behaviour) with a reason;
#  - man/vrrpd.8 lists each of those: ignored and refused ones in KEYWORDS
#    (keywords.t holds that list to the parser's table), implemented ones
#    in CONFIGURATION under their section; and every keyword CONFIGURATION
#    lists is one vrrpd -t knows in that section.
. "$(dirname "$0")/lib.sh"
needs_root
command -v keepalived >/dev/null || cannot_run "keepalived not installed"
MAN=$T_TOP/man/vrrpd.8
KAMAN=$(man -w keepalived.conf 2>/dev/null) ||
    cannot_run "keepalived.conf(5) not installed"

# ka_words FIRST-HEADING...: keywords starting a line (\fBword) in the .SH
# sections of keepalived.conf(5) so titled
ka_words() {
	zcat -f "$KAMAN" | awk -v want="$*" '
	    /^\.SH / { t = substr($0, 5); gsub(/"/, "", t)
		on = index("|" want "|", "|" t "|") > 0; next }
	    on' | grep -oE '^[[:space:]]*\\fB[a-z_0-9]+' | sed 's/.*fB//' |
	    sort -u
}

# conf SEC LINES: a file with LINES in section SEC (g global_defs,
# s vrrp_script, f track_file, p vrrp_track_process, y vrrp_sync_group,
# i vrrp_instance, t the top level)
conf() {
	local g= s= f= p= y= i= t=
	printf -v "$1" '%s' "$2"
	cat <<EOC
$t
global_defs {
$g
}
vrrp_script chk {
 script "/bin/true"
$s
}
track_file tf {
 file $T_TMP/tf
$f
}
vrrp_track_process tp {
 process sshd
$p
}
vrrp_sync_group G {
 group {
  VI_1
  VI_2
 }
$y
}
vrrp_instance VI_1 {
 interface eth0
 virtual_router_id 1
$i
 virtual_ipaddress {
  192.0.2.1
 }
}
vrrp_instance VI_2 {
 interface eth0
 virtual_router_id 2
 virtual_ipaddress {
  192.0.2.2
 }
}
EOC
}

# vr_unknown SEC WORDS: those of WORDS vrrpd -t calls unknown in SEC.  All
# in one file first (each with an argument, vrrpd reads on after an
# error), then each of those alone, so that only a keyword unknown on its
# own counts.
vr_unknown() {
	local kw
	conf "$1" "$(sed 's/$/ 1/' <<<"$2")" > "$T_TMP/all.conf"
	vrrpd -t -f "$T_TMP/all.conf" 2>&1 |
	    sed -n 's/.*: \([a-z_0-9]*\): unknown keyword$/\1/p' | sort -u |
	    while read -r kw; do
		case $'\n'$2$'\n' in *$'\n'$kw$'\n'*) ;; *) continue ;; esac
		conf "$1" "$kw" > "$T_TMP/one.conf"
		vrrpd -t -f "$T_TMP/one.conf" 2>&1 |
		    grep -q ": $kw: unknown keyword" && echo "$kw"
	done
}

declare -A KA
KA[g]=$(ka_words "Global definitions")
KA[s]=$(ka_words "VRRP script(s)")
KA[f]=$(ka_words "Track files")
KA[p]=$(ka_words "VRRP track processes")
KA[y]=$(ka_words "VRRP synchronization group(s)")
KA[i]=$(ka_words "VRRP instance(s)")
KA[t]=$(printf '%s\n' linkbeat_interfaces track_group static_ipaddress \
    static_routes static_rules garp_group bfd_instance \
    interface_up_down_delays net_namespace virtual_server \
    virtual_server_group)
ok "keepalived.conf(5) lists instance keywords ($(wc -l <<<"${KA[i]}"))" \
    test "$(wc -l <<<"${KA[i]}")" -ge 50

# man/vrrpd.8: the keywords CONFIGURATION describes, per section (the
# first word of each ".It Ic", and those after a comma; a top-level block
# of its own, garp_group, by its heading), and those
# KEYWORDS lists with the section(s) they stand in
man_impl() {
	awk '/^\.Sh CONFIGURATION/ { on = 1; next } /^\.Sh / { on = 0 }
	    !on { next }
	    /^\.Ss / { s = "" }
	    /^\.Ss garp_group$/ { print "t garp_group" }
	    /^\.Ss global_defs/ { s = "g" } /^\.Ss vrrp_script/ { s = "s" }
	    /^\.Ss track_file/ { s = "f" } /^\.Ss vrrp_track_process/ { s = "p" }
	    /^\.Ss vrrp_instance/ { s = "i" } /^\.Ss vrrp_sync_group/ { s = "y" }
	    /^\.Ss Static/ { s = "t" }
	    s != "" && /^\.It Ic / {
		print s, $3
		for (k = 4; k < NF; k++)
			if ($k == ",") {
				w = $(k + 1) == "Ic" ? $(k + 2) : $(k + 1)
				if (w ~ /^[a-z_0-9]+$/) print s, w
			}
	    }' "$MAN" | sort -u
}
man_table() {
	awk '/^\.Sh KEYWORDS/ { on = 1; next } /^\.Sh / { on = 0 }
	    on && /^\.It Ic / {
		s = $5 == "global_defs" ? "g" : $5 == "vrrp_instance" ? "i" : \
		    $5 == "vrrp_script" ? "s" : "t"
		print s, $3 }' "$MAN" | sort -u
}
IMPL=$(man_impl)
TABLE=$(man_table)

# The keywords of keepalived.conf(5) vrrpd calls unknown, each then asked
# of keepalived -t alone (in a network namespace with an eth0: keepalived
# -t looks at the interfaces); what keepalived calls unknown too is no
# keyword of 2.2.7 (a word of an example, a sub-block's keyword).
declare -A VU
for sec in "${!KA[@]}"; do
	VU[$sec]=$(vr_unknown "$sec" "${KA[$sec]}")
	for kw in ${VU[$sec]}; do
		conf "$sec" "$kw" > "$T_TMP/ka.$sec.$kw.conf"
		echo "$sec $kw"
	done
done > "$T_TMP/ask"
T_TMP=$T_TMP unshare -n bash -c '
	ip link add eth0 type veth peer name peth0 && ip link set eth0 up ||
	    exit 1
	while read -r sec kw; do
		# keepalived 2.2.7 -t spins on some bare block keywords: what
		# it said before the timeout counts
		timeout 10 keepalived -t -n -l -f "$T_TMP/ka.$sec.$kw.conf" 2>&1 |
		    grep -q "Unknown keyword .$kw." || echo "$sec $kw"
	done <"$T_TMP/ask"' >"$T_TMP/both" ||
    cannot_run "cannot make a network namespace"
is "$(sort "$T_TMP/both")" "" \
    "no keyword keepalived 2.2.7 knows is unknown to vrrpd ($(wc -l <"$T_TMP/ask") asked)"

# each keyword of keepalived's both know: described in CONFIGURATION or
# listed in KEYWORDS (which names the top level for a keyword of any
# section but global_defs, vrrp_instance and vrrp_script)
declare -A DOC UNK
while read -r sec kw; do DOC["$sec $kw"]=1; done <<<"$IMPL
$TABLE"
undoc= n=0
for sec in "${!KA[@]}"; do
	for kw in ${VU[$sec]}; do UNK["$sec $kw"]=1; done
	for kw in ${KA[$sec]}; do
		[ -z "${UNK["$sec $kw"]:-}" ] || continue
		n=$((n + 1))
		[ -n "${DOC["$sec $kw"]:-}${DOC["t $kw"]:-}" ] ||
		    undoc+="$sec $kw"$'\n'
	done
done
ok "vrrpd reads keywords of keepalived.conf(5) ($n)" test "$n" -ge 150
is "$undoc" "" "man/vrrpd.8 gives each a verdict (CONFIGURATION or KEYWORDS)"

# each keyword CONFIGURATION describes is known to vrrpd in its section
bad=
for sec in g s f p y i; do
	bad+=$(vr_unknown "$sec" "$(awk -v s="$sec" '$1 == s { print $2 }' \
	    <<<"$IMPL")" | sed "s/^/$sec /")
done
is "$bad" "" "every keyword CONFIGURATION describes ($(wc -l <<<"$IMPL")) is one vrrpd reads there"

done_testing
