#!/bin/bash
# SPDX-License-Identifier: ISC
# keepalived's config language (keepalived.conf(5), ADVANCED CONFIGURATION)
# read by vrrpd as by keepalived 2.2.7 in the same run: $NAME=value and
# ${NAME} (late binding, multiline values), @id / @^id lines picked by
# -i / --config-id, ~SEQ / ~SEQx / ~LST, include with a glob relative to
# the including file.  Same verdict (-t) and same effect: each instance's
# vrid, priority, advert interval and addresses from keepalived's -d dump
# against vrrpd -t -v.
. "$(dirname "$0")/lib.sh"
needs_root
command -v keepalived >/dev/null || cannot_run "keepalived not installed"

topo a

# ka_view FILE [ID]: keepalived's instances, one normalised line each.
ka_view() {
	local f=$1 id=${2:+-i $2} out=$T_TMP/ka.$RANDOM pid
	# fresh pid files: a killed run's would say "already running"
	rm -f "$T_TMP"/[kvc].pid
	ns_spawn a pid keepalived -n -l -D -d $id -f "$f" -p "$T_TMP/k.pid" \
	    -r "$T_TMP/v.pid" -c "$T_TMP/c.pid" > "$out" 2>&1
	wait_for 20 grep -q -- "< Interfaces >\|Stopped Keepalived" "$out" >&2
	kill -9 "$pid" 2>/dev/null	# unshare --fork ignores TERM
	wait "$pid" 2>/dev/null
	sed 's/^.*[0-9]: //' "$out" | awk '
	    /^ VRRP Instance = / { if (n) print l; n = 1; l = $4 }
	    /^   Virtual Router ID = / { l = l " vrid=" $5 }
	    /^   Priority = / { l = l " prio=" $3 }
	    /^   Advert interval = / { l = l " advert=" $4 }
	    /^     [0-9a-f.:]+ dev / { l = l " " $1 }
	    /^------< Interfaces/ { if (n) print l; n = 0 }'
}

# vr_view FILE [ID]: the same from vrrpd -t -v.
vr_view() {
	local id=${2:+-i $2}
	vrrpd -t -v $id -f "$1" 2>/dev/null | awk '/^instance / {
	    l = $2
	    for (i = 3; i <= NF; i++) {
		split($i, kv, "=")
		if (kv[1] == "vrid") l = l " vrid=" kv[2]
		if (kv[1] == "priority") l = l " prio=" kv[2]
		if (kv[1] == "advert_usec") l = l " advert=" kv[2] / 1000000
		if (kv[1] == "vips") { gsub("/32", "", kv[2]);
		    gsub(",", " ", kv[2]); l = l " " kv[2] }
	    }
	    print l }'
}

# same_effect DESC FILE [ID]: both read FILE the same way.
same_effect() {
	local k v
	k=$(ka_view "$2" "${3:-}")
	v=$(vr_view "$2" "${3:-}")
	[ -n "$k" ] || diag "keepalived made no instance of $2"
	is "$v" "$k" "$1"
}

# same_verdict DESC FILE [ID]: keepalived -t and vrrpd -t agree.
same_verdict() {
	local id=${3:+-i $3} k v
	ns_run a keepalived -t -n -l -f "$2" $id >/dev/null 2>&1; k=$?
	vrrpd -t $id -f "$2" >/dev/null 2>&1; v=$?
	[ "$k" = 0 ] && k=ok || k=refused
	[ "$v" = 0 ] && v=ok || v=refused
	is "$v" "$k" "$1 (keepalived: $k)"
}

cat > "$T_TMP/params.conf" <<'EOC'
# late binding: BASE uses SUB, defined after it
$BASE=192.0.2.${SUB}
$SUB=1
@^other $PRIO=120
@other $PRIO=90
@main $PRIO=200
$INST= \
vrrp_instance VI_${N} { \
    interface eth0 \
    virtual_router_id ${N} \
    priority $PRIO \
    @main advert_int 3 \
    virtual_ipaddress { \
        ${BASE}${N}/32 \
        ~LST(X, 7, 8) ${BASE}${X}${N} \
    } \
}
~SEQ(N, 1, 2) $INST
$SUB=2
~SEQx(H, 10, 10) vrrp_instance VX_${H} { interface eth0
    virtual_router_id 9${_HASH} not a comment
    virtual_ipaddress {
        ${BASE}09
    }
}
EOC
sed -i 's/9${_HASH} not a comment/9 # a comment/' "$T_TMP/params.conf"
same_verdict "\$NAME, multiline, ~SEQ, ~LST: -t" "$T_TMP/params.conf"
same_effect "\$NAME, multiline, ~SEQ, ~SEQx, ~LST: same instances" \
    "$T_TMP/params.conf"
same_effect "-i main picks the @main lines" "$T_TMP/params.conf" main
same_effect "-i other drops the @^other lines" "$T_TMP/params.conf" other
is "$(vrrpd -t -v --config-id main -f "$T_TMP/params.conf" 2>&1)" \
    "$(vrrpd -t -v -i main -f "$T_TMP/params.conf" 2>&1)" \
    "--config-id ID is -i ID with -f"
like "$(vrrpd -t -v --config-id main -f "$T_TMP/params.conf" 2>&1)" \
    "instance VI_1 .*priority=200 advert_usec=3000000" \
    "--config-id main: priority and advert_int from the @main lines"

# the default config id: the host name up to its first dot, as keepalived
h=$(uname -n); h=${h%%.*}
cat > "$T_TMP/host.conf" <<EOC
vrrp_instance VI_1 {
    interface eth0
    virtual_router_id 7
    priority 50
    @$h priority 150
    virtual_ipaddress {
        192.0.2.7
    }
}
EOC
same_effect "no -i: @\$(hostname) lines are kept" "$T_TMP/host.conf"
like "$(vr_view "$T_TMP/host.conf")" "prio=150" "... priority 150 from @$h"

# include: a glob relative to the including file's own directory
mkdir -p "$T_TMP/inc/sub/parts"
cat > "$T_TMP/inc/main.conf" <<'EOC'
$PRIO=140
include sub/*.conf
include nothing-matches-*.conf
EOC
cat > "$T_TMP/inc/sub/one.conf" <<'EOC'
include parts/vi_*.conf
EOC
for n in 1 2; do
	cat > "$T_TMP/inc/sub/parts/vi_$n.conf" <<EOC
vrrp_instance VI_$n {
    interface eth0
    virtual_router_id 1$n
    priority \$PRIO
    virtual_ipaddress {
        192.0.2.1$n
    }
}
EOC
done
same_verdict "include globs, relative to the including file" \
    "$T_TMP/inc/main.conf"
same_effect "... the same two instances, \$PRIO across files" \
    "$T_TMP/inc/main.conf"
(cd / && vrrpd -t -f "${T_TMP#/}/inc/main.conf" >/dev/null 2>&1)
is "$?" 0 "a relative -f path: includes still found"

# verdicts on mistakes
cat > "$T_TMP/blank.conf" <<'EOC'
$INST= \
vrrp_instance VI_${N} { \
    interface eth0 \
    virtual_router_id ${N} \

    virtual_ipaddress { \
        192.0.2.${N}/32 \
    } \
}
~SEQ(N, 1, 2) $INST
EOC
same_verdict "a blank line ends a multiline definition" "$T_TMP/blank.conf"
cat > "$T_TMP/undef.conf" <<'EOC'
vrrp_instance VI_1 {
    interface eth0
    virtual_router_id ${VRID}
    virtual_ipaddress {
        192.0.2.7
    }
}
EOC
same_verdict "an undefined \${NAME} stays as it is: refused" \
    "$T_TMP/undef.conf"
like "$(vrrpd -t -f "$T_TMP/undef.conf" 2>&1)" \
    'undef.conf:3: vrrp_instance VI_1: virtual_router_id "\${VRID}": not a number' \
    "... with file:line and the keyword"
cat > "$T_TMP/loop.conf" <<'EOC'
$A=x $A
vrrp_instance VI_1 {
    interface eth0
    virtual_router_id 7
    $A
}
EOC
exit_is 2 "a definition using itself: error, no hang" \
    timeout 10 vrrpd -t -f "$T_TMP/loop.conf"
like "$(vrrpd -t -f "$T_TMP/loop.conf" 2>&1)" "loop.conf:5: .*nested deeper" \
    "... naming the line"
# A definition that repeats itself through ~LST fans out: refused with one
# error, not one per branch (main printed 200 until its buffer was full).
printf '$B=~LST(Y, 1, 2) $B\n$B\n' > "$T_TMP/fan.conf"
is "$(vrrpd -t -f "$T_TMP/fan.conf" 2>&1 | grep -c 'nested deeper')" 1 \
    "a definition fanning out into itself: the error once"
printf '~SEQ(N, 1, 0x7fffffff) vrrp_script s$N {\n' > "$T_TMP/big.conf"
exit_is 2 "a ~SEQ making too many lines: bounded error" \
    timeout 20 vrrpd -t -f "$T_TMP/big.conf"

done_testing
