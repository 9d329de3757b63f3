#!/bin/bash
# Malformed and hostile packets, crafted here (craft.py: Python struct from
# the RFCs, not vrrpd's own builder), sent to a vrrpd
# master with a higher priority each: every one is dropped and counted by
# reason in "show instances", and the master stays master.  A well-formed
# one last shows the path works.
. "$(dirname "$0")/lib.sh"
needs_root
topo a x
vr_start a -i eth0 --vrid 51 --priority 100 --vip $VIP/24 \
    --auth-pass s3cret --advert 1 --vrrp-version 2 || bail "vrrpd"
ok "vrrpd master" wait_file_line 6 "$T_TMP/a.out" '^MASTER VI_51'

craft() { ns_run x python3 "$T_TOP/tests/vrrpd/craft.py" eth0 192.0.2.2 224.0.0.18 prio=200 "$@"; }
# hit REASON craft-args...: sends, then waits for drop_REASON to count it
hit() {
	local reason=$1; shift
	craft "$@" || { ok "craft $*" false; return; }
	ok "$reason: dropped and counted ($*)" \
	    wait_for 3 counter_is a "drop_$reason" 1
}
hit ttl       pass=s3cret ttl=64
hit checksum  pass=s3cret badsum=1
hit auth      pass=wrong
hit length    pass=s3cret trunc=14
hit addrcount pass=s3cret count=3
hit vrid      pass=s3cret vrid=52
hit interval  pass=s3cret int=2
hit version   version=3
hit type      pass=s3cret type=2
is "$(state a)" MASTER "still master after every hostile packet"
is "$(grep -c . "$T_TMP/a.out")" 2 "no state line besides BACKUP, MASTER"
is "$(counter a rx)" 0 "none was accepted"

craft pass=s3cret
ok "a well-formed higher-priority advert is obeyed" \
    wait_file_line 3 "$T_TMP/a.out" '^BACKUP VI_51 .*reason=higher-priority'
ok "and the VIP is released" no_vip a
done_testing
