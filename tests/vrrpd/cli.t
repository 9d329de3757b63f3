#!/bin/bash
# SPDX-License-Identifier: ISC
# The command line: help, version, -t on good and bad configs (file:line,
# exit 2), usage errors, option checks.  No network needed.
. "$(dirname "$0")/lib.sh"
q() { "$@" >/dev/null 2>&1; }

like "$(vrrpd -h)" "^usage: vrrpd -f keepalived.conf" "-h prints usage"
exit_is 0 "-h" q vrrpd -h
like "$(vrrpd -V)" "^vrrpd \(hatools\) [0-9]" "-V prints the version"
exit_is 0 "the seed's config passes -t" q vrrpd -t -f "$T_TOP/contrib/vrrpd/keepalived.conf.seed"
like "$(vrrpd -t -f "$T_TOP/contrib/vrrpd/keepalived.conf.seed" 2>&1)" \
    "keepalived.conf.seed: ok, 1 instance" "-t says ok"

cat > "$T_TMP/bad.conf" <<'EOC'
global_defs {
    router_id x
    process_names
}
virtual_server 192.0.2.1 80 {
    lb_algo rr
}
vrrp_instance VI_1 {
    interface eth0
    virtual_router_id 51
    advert_int x
    virtual_ipaddress {
        192.0.2.100
    }
}
EOC
exit_is 2 "a bad config fails -t" q vrrpd -t -f "$T_TMP/bad.conf"
out=$(vrrpd -t -f "$T_TMP/bad.conf" 2>&1)
like "$out" "bad.conf:11: vrrp_instance VI_1: advert_int \"x\": not a duration" \
    "error names file:line, instance and field"
like "$out" "bad.conf:5: warning: virtual_server: ignored: LVS load balancing is keepalived's other half" \
    "virtual_server: warning that LVS is not vrrpd's job"
like "$out" "bad.conf:3: warning: global_defs: process_names: ignored" \
    "harmless keyword: warning"

printf 'include %s/part.conf\n' "$T_TMP" > "$T_TMP/main.conf"
printf 'vrrp_instance I {\n interface eth0\n virtual_router_id 9\n ipsets keepalived\n virtual_ipaddress {\n 192.0.2.9\n }\n}\n' > "$T_TMP/part.conf"
exit_is 2 "behaviour-changing keyword in an include fails" q vrrpd -t -f "$T_TMP/main.conf"
like "$(vrrpd -t -f "$T_TMP/main.conf" 2>&1)" "part.conf:4: vrrp_instance I: ipsets: not supported" \
    "the included file and line are named"

exit_is 2 "missing file" q vrrpd -t -f "$T_TMP/none.conf"
seed=$T_TOP/contrib/vrrpd/keepalived.conf.seed
exit_is 0 "-f with --priority/--advert/--nopreempt: overrides pass -t" \
    q vrrpd -t -f "$seed" --priority 200 --advert 2s --nopreempt
exit_is 2 "-f with --unicast-peer: one instance source, refused" \
    q vrrpd -t -f "$seed" --unicast-peer 192.0.2.9
exit_is 2 "-f with --advert 0.5s on the seed's VRRPv2: refused" \
    q vrrpd -t -f "$seed" --advert 500ms
like "$(vrrpd -t -f "$seed" --advert 500ms 2>&1)" \
    "vrrp_instance maas_region: --advert: is 0.5s; VRRPv2 needs whole seconds" \
    "the error names the option, not the file's advert_int line"
like "$(vrrpd -t -f "$T_TMP/none.conf" 2>&1)" "none.conf: No such file" "missing file named"
exit_is 0 "command-line instance passes -t" q vrrpd -t -i eth0 --vrid 51 --vip 192.0.2.100/24 --priority 150 --auth-pass s3cret
# no VIP: keepalived's rule (a warning for VRRPv2 over IPv4, else an error)
exit_is 0 "no VIP, VRRPv2: allowed" q vrrpd -t -i eth0 --vrid 51
like "$(vrrpd -t -i eth0 --vrid 51 2>&1)" "command line: warning: instance VI_51: virtual_ipaddress: none configured" \
    "... with a warning naming the command line"
exit_is 2 "no VIP, VRRPv3: refused" q vrrpd -t -i eth0 --vrid 51 --vrrp-version 3
exit_is 2 "--vrid out of range" q vrrpd -t -i eth0 --vrid 256 --vip 192.0.2.1
exit_is 2 "fractional advert with v2" q vrrpd -t -i eth0 --vrid 5 --vip 192.0.2.1 --advert 100ms --vrrp-version 2
exit_is 0 "fractional advert picks v3" q vrrpd -t -i eth0 --vrid 5 --vip 192.0.2.1 --advert 100ms
exit_is 2 "-f and --vrid together" q vrrpd -t -f "$T_TOP/contrib/vrrpd/keepalived.conf.seed" --vrid 5
exit_is 0 "-f with -i: -i is the config id, as keepalived" q vrrpd -t -f "$T_TOP/contrib/vrrpd/keepalived.conf.seed" -i eth0
exit_is 2 "--track-fd not open" q vrrpd -t -i eth0 --vrid 5 --vip 192.0.2.1 --track-fd 97
exit_is 2 "--ready-fd below 3" q vrrpd -t -i eth0 --vrid 5 --vip 192.0.2.1 --ready-fd 1
exit_is 2 "unknown option" q vrrpd --bogus
exit_is 2 "IPv6 VIP with v2" q vrrpd -t -i eth0 --vrid 5 --vip 2001:db8::1 --vrrp-version 2

# vrrp_strict: keepalived would drop the password quietly; vrrpd says no
{ printf 'global_defs {\n vrrp_strict\n}\n'; cat "$T_TOP/contrib/vrrpd/keepalived.conf.seed"; } \
    > "$T_TMP/strict.conf"
exit_is 2 "vrrp_strict with the seed's PASS authentication fails -t" q vrrpd -t -f "$T_TMP/strict.conf"
like "$(vrrpd -t -f "$T_TMP/strict.conf" 2>&1)" \
    "strict.conf:[0-9]+: vrrp_instance maas_region: vrrp_strict: authentication not allowed" \
    "naming file, line, instance and why"
exit_is 0 "--no-accept passes -t" q vrrpd -t -i eth0 --vrid 5 --vip 192.0.2.1 --no-accept
exit_is 0 "--garp-refresh passes -t" q vrrpd -t -i eth0 --vrid 5 --vip 192.0.2.1 --garp-refresh 60 --garp-refresh-repeat 2
exit_is 2 "--garp-refresh x" q vrrpd -t -i eth0 --vrid 5 --vip 192.0.2.1 --garp-refresh x
exit_is 2 "--garp-refresh-repeat 0" q vrrpd -t -i eth0 --vrid 5 --vip 192.0.2.1 --garp-refresh-repeat 0
done_testing
