/* SPDX-License-Identifier: ISC */
/* vrrpd/config.c + cfgcheck.c: the seed's block, includes, every message. */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "cfgext.h"
#include "config.h"
#include "tap.h"

static struct config cf;
static char err[8192];

static const char seed[] =
"vrrp_script chk_named {\n"
"    script \"killall -0 named\"\n"
"    interval 2\n"
"}\n"
"\n"
"vrrp_instance maas_region {\n"
"    state MASTER\n"
"    interface eth0\n"
"    priority 150\n"
"    virtual_router_id 51\n"
"    authentication {\n"
"        auth_type PASS\n"
"        auth_pass s3cret\n"
"    }\n"
"    track_script {\n"
"        ### Un-comment next line if using haproxy\n"
"        #chk_haproxy\n"
"        chk_named\n"
"    }\n"
"    virtual_ipaddress {\n"
"        192.0.2.100\n"
"    }\n"
"}\n";

static int
parse(const char *text)
{
	int n;

	config_defaults(&cf);
	n = config_parse(&cf, "k.conf", text, strlen(text), NULL, NULL, err,
	    sizeof(err));
	if (n == 0)
		n = config_check(&cf, err, sizeof(err));
	return n;
}

static void
test_seed(void)
{
	struct cfg_instance *in = &cf.cf_inst[0];

	is_int(parse(seed), 0, "the seed's block parses without error");
	is_str(err, "", "and without warning");
	is_int(cf.cf_ninst, 1, "one instance");
	is_str(in->ci_name, "maas_region", "its name");
	is_str(in->ci_iface, "eth0", "interface");
	is_int(in->ci_vrid, 51, "vrid");
	is_int(in->ci_priority, 150, "priority");
	is_int(in->ci_state_master, 1, "state MASTER noted");
	is_int(in->ci_version, 2, "VRRPv2 by default, as keepalived");
	is_int(in->ci_auth_type, 1, "PASS");
	is_str(in->ci_auth_pass, "s3cret", "password");
	is_int(in->ci_nvips, 1, "one VIP");
	is_int(in->ci_vips[0].cv_plen, 32, "bare VIP is a /32");
	is_int(in->ci_adver, 1000000, "advert_int defaults to 1s");
	is_int(in->ci_nscripts, 1, "one tracked script");
	is_str(in->ci_scripts[0].ct_name, "chk_named", "chk_named tracked");
	is_int(cf.cf_nscripts, 1, "one vrrp_script");
	is_str(cf.cf_scripts[0].cs_cmd, "killall -0 named", "its command");
	is_int(cf.cf_scripts[0].cs_interval, 2000000, "interval 2s");
	is_int(cf.cf_scripts[0].cs_weight, 0, "weight 0: failure = fault");
}

static void
test_full(void)
{
	static const char text[] =
	"global_defs {\n router_id api1\n vrrp_version 3\n"
	" script_user nobody\n enable_script_security\n"
	" process_names\n}\n"
	"vrrp_script chk { script /bin/true\n interval 500ms\n timeout 1\n"
	" weight -20\n rise 2\n fall 3\n}\n"
	"vrrp_instance VI6 {\n interface eth1\n virtual_router_id 7\n"
	" priority 200\n advert_int 0.1\n nopreempt\n preempt_delay 3\n"
	" garp_master_delay 1\n garp_master_repeat 2\n"
	" unicast_src_ip 2001:db8::1\n unicast_peer {\n  2001:db8::2\n }\n"
	" virtual_ipaddress {\n  2001:db8::100/64 dev eth1\n }\n"
	" track_script {\n  chk weight -30\n }\n"
	" track_interface {\n  eth2 weight 10\n }\n"
	" notify_master \"/bin/echo master\"\n notify /usr/bin/logger\n}\n";
	struct cfg_instance *in = &cf.cf_inst[0];

	is_int(parse(text), 0, "a config using every keyword parses");
	is_str(cf.cf_router_id, "api1", "router_id");
	is_str(cf.cf_script_user, "nobody", "script_user");
	is_int(cf.cf_script_security, 1, "enable_script_security");
	is_int(in->ci_version, 3, "global vrrp_version 3 applies");
	is_int(in->ci_adver, 100000, "advert_int 0.1 with v3");
	is_int(in->ci_nopreempt, 1, "nopreempt");
	is_int(in->ci_preempt_delay, 3000000, "preempt_delay");
	is_int(in->ci_garp_repeat, 2, "garp_master_repeat");
	is_int(in->ci_family, AF_INET6, "IPv6 instance");
	is_int(in->ci_vips[0].cv_plen, 64, "prefix length kept");
	is_int(in->ci_npeers, 1, "a unicast peer");
	is_int(in->ci_scripts[0].ct_weight, -30, "track_script weight override");
	is_int(in->ci_ifaces[0].ct_weight, 10, "track_interface weight");
	is_str(in->ci_notify[CFG_NOTIFY_MASTER].cn_cmd, "/bin/echo master",
	    "notify_master");
	is_int(cf.cf_scripts[0].cs_interval, 500000, "interval 500ms");
	is_int(cf.cf_scripts[0].cs_rise, 2, "rise");
	is_int(cf.cf_scripts[0].cs_fall, 3, "fall");
	ok(strstr(err, "k.conf:6: warning: global_defs: process_names: "
	    "ignored") != NULL, "harmless keyword: warning with file:line");
}

static void
test_errors(void)
{
	is_int(parse("vrrp_instance A {\n interface eth0\n virtual_router_id"
	    " 51\n advert_int x\n virtual_ipaddress {\n 192.0.2.1\n }\n}\n"),
	    1, "bad advert_int is an error");
	is_str(err, "k.conf:4: vrrp_instance A: advert_int \"x\": not a "
	    "duration\n", "message names file, line, instance, field");
	is_int(parse("vrrp_instance A {\n interface eth0\n virtual_router_id"
	    " 300\n priority 0\n virtual_ipaddress {\n 192.0.2.1\n }\n}\n"),
	    1, "a bad vrid is an error, a bad priority is not (keepalived)");
	ok(strstr(err, "k.conf:4: warning: vrrp_instance A: priority: is "
	    "\"0\", not 1..255: 100 used, as keepalived") != NULL,
	    "priority out of range: 100 with a warning, as keepalived");
	ok(strstr(err, "k.conf:3: vrrp_instance A: virtual_router_id: is 300;"
	    " should be 1..255") != NULL, "is X; should be Y");
	is_int(parse("vrrp_instance A {\n interface eth0\n virtual_router_id"
	    " 1\n advert_int 0.5\n virtual_ipaddress {\n 192.0.2.1\n }\n}\n"),
	    0, "fractional advert_int with v2: rounded, as keepalived");
	ok(strstr(err, "advert_int: 0.5s is not a whole second for VRRPv2: "
	    "1s used") != NULL, "... with a warning");
	is_int(parse("vrrp_instance A {\n interface eth0\n virtual_router_id"
	    " 1\n track_bfd {\n b\n }\n virtual_ipaddress {\n 192.0.2.1\n }\n}\n"),
	    1, "track_bfd (behaviour-changing) is an error");
	is_int(parse("virtual_server 192.0.2.1 80 {\n real_server 1.2.3.4 80 "
	    "{\n weight 1\n }\n}\nvrrp_instance A {\n interface eth0\n "
	    "virtual_router_id 1\n virtual_ipaddress {\n 192.0.2.1\n }\n}\n"),
	    0, "virtual_server is not an error");
	ok(strstr(err, "k.conf:1: warning: virtual_server: ignored: LVS") !=
	    NULL,
	    "but a warning that LVS is keepalived's part");
	is_int(parse("vrrp_instance A {\n interface eth0\n virtual_router_id"
	    " 1\n track_script {\n nope\n }\n virtual_ipaddress {\n"
	    " 192.0.2.1\n }\n}\n"), 1, "unknown track_script name");
	is_int(parse("vrrp_instance A {\n interface eth0\n"), 1,
	    "unclosed block");
	ok(strstr(err, "not closed") != NULL, "says the block is not closed");
	ok(parse("vrrp_instance A {\n interface eth0\n virtual_router_id 1\n"
	    " virtual_ipaddress {\n $VIP\n }\n}\n") > 0,
	    "an unfilled $VARIABLE is caught");
	ok(strstr(err, "k.conf:5: vrrp_instance A: virtual_ipaddress \"$VIP\"")
	    != NULL, "naming the line: %s", err);
	ok(parse("vrrp_script s {\n script \"unterminated\n}\n") > 0,
	    "unterminated quote is an error");
	ok(strstr(err, "k.conf:2: unterminated quoted string")
	    != NULL, "unterminated quote: file:line");
	is_int(parse("vrrp_instance A {\n interface eth0\n virtual_router_id"
	    " 1\n virtual_ipaddress {\n 192.0.2.1\n 2001:db8::1\n }\n}\n"), 1,
	    "mixed families rejected");
}

/* accept / no_accept / vrrp_strict / strict_mode, as keepalived. */
static void
test_accept(void)
{
#define INST(extra) "vrrp_instance A {\n interface eth0\n " \
	"virtual_router_id 1\n" extra " virtual_ipaddress {\n 192.0.2.1\n }\n}\n"
	struct cfg_instance *in = &cf.cf_inst[0];

	is_int(parse(INST("")), 0, "no accept keyword");
	is_int(in->ci_accept, CFG_ACCEPT_YES, "accept by default (keepalived "
	    "without vrrp_strict)");
	ok(!config_no_accept(in), "so no drop rules");
	is_int(parse(INST(" no_accept\n")), 0, "no_accept parses");
	is_str(err, "", "without a warning");
	ok(config_no_accept(in), "no_accept: drop rules while master");
	is_int(parse(INST(" priority 255\n no_accept\n")), 0,
	    "no_accept on the owner");
	ok(!config_no_accept(in), "is ignored (RFC 5798 6.1: the owner "
	    "accepts)");
	ok(strstr(err, "k.conf:1: warning: vrrp_instance A: no_accept: "
	    "ignored for the address owner") != NULL, "with a warning");
	is_int(parse("global_defs {\n vrrp_strict\n}\n" INST("")), 0,
	    "vrrp_strict parses");
	ok(cf.cf_strict && config_no_accept(in), "and implies no_accept");
	is_int(parse("global_defs {\n vrrp_strict\n}\n"
	    INST(" priority 255\n")), 0, "vrrp_strict, owner");
	is_int(in->ci_accept, CFG_ACCEPT_YES, "the owner accepts");
	is_int(parse("global_defs {\n vrrp_strict\n vrrp_version 3\n}\n"
	    INST(" accept\n")), 0, "vrrp_strict with accept, v3");
	ok(!config_no_accept(in), "accept wins over vrrp_strict");
	is_int(parse("global_defs {\n vrrp_strict\n}\n" INST(" accept\n")),
	    1, "vrrp_strict: accept with v2 is an error");
	ok(strstr(err, "accept needs VRRP version 3") != NULL, "saying why");
	is_int(parse("global_defs {\n vrrp_strict\n}\n" INST(
	    " authentication {\n auth_type PASS\n auth_pass x\n }\n"
	    " unicast_peer {\n 192.0.2.2\n }\n preempt_delay 2\n")), 3,
	    "vrrp_strict: authentication, unicast_peer, preempt_delay are "
	    "errors");
	is_int(parse("global_defs {\n vrrp_strict\n}\n"
	    INST(" strict_mode off\n")), 0, "strict_mode off");
	ok(!config_no_accept(in), "turns vrrp_strict off for the instance");
	is_int(parse(INST(" strict_mode\n")), 0, "strict_mode alone");
	ok(config_no_accept(in), "turns it on");
	is_int(parse(INST(" strict_mode maybe\n")), 1, "strict_mode maybe");
	ok(strstr(err, "k.conf:4: vrrp_instance A: strict_mode: is \"maybe\"; "
	    "should be on or off") != NULL, "names the value: %s", err);
	is_int(parse(INST(" no_accept 1\n")), 1, "no_accept takes no value");
	is_int(parse("global_defs {\n vrrp_nftables keepalived\n}\n" INST("")),
	    0, "vrrp_nftables is no error");
	ok(strstr(err, "k.conf:2: warning: global_defs: vrrp_nftables: "
	    "unknown to keepalived 2.2.7, whose keyword is nftables: ignored "
	    "(no_accept uses nftables table inet vrrpd), as keepalived") !=
	    NULL, "but a warning naming keepalived's keyword: %s", err);
	is_int(cf.cf_nflagged, 1, "flagged, as keepalived flags it (-t exits 3)");
#undef INST
}

static void
test_garp_refresh(void)
{
	struct cfg_instance *in = &cf.cf_inst[0];
	static const char inst[] = "vrrp_instance A {\n interface eth0\n"
	    " virtual_router_id 1\n virtual_ipaddress {\n 192.0.2.1\n }\n";
	char text[512];

	is_int(parse("vrrp_instance A {\n interface eth0\n virtual_router_id"
	    " 1\n virtual_ipaddress {\n 192.0.2.1\n }\n}\n"), 0, "no refresh");
	is_int(in->ci_garp_refresh, 0, "none by default, as keepalived");
	is_int(in->ci_garp_refresh_repeat, 1, "repeat 1 by default");
	snprintf(text, sizeof(text), "%s garp_master_refresh 60\n"
	    " garp_master_refresh_repeat 2\n}\n", inst);
	is_int(parse(text), 0, "garp_master_refresh and _repeat parse");
	is_str(err, "", "without the old \"ignored\" warning");
	is_int(in->ci_garp_refresh, 60000000, "refresh 60 s");
	is_int(in->ci_garp_refresh_repeat, 2, "repeat 2");
	snprintf(text, sizeof(text), "global_defs {\n vrrp_garp_master_refresh"
	    " 30\n vrrp_garp_master_refresh_repeat 3\n}\n%s}\n", inst);
	is_int(parse(text), 0, "the global defaults parse");
	ok(in->ci_garp_refresh == 30000000 && in->ci_garp_refresh_repeat == 3,
	    "and apply to an instance without its own");
	snprintf(text, sizeof(text), "global_defs {\n vrrp_garp_master_refresh"
	    " 30\n}\n%s garp_master_refresh 0\n}\n", inst);
	is_int(parse(text), 0, "an instance's 0");
	is_int(in->ci_garp_refresh, 0, "turns the global refresh off");
	snprintf(text, sizeof(text), "%s garp_master_refresh_repeat 0\n}\n",
	    inst);
	is_int(parse(text), 1, "garp_master_refresh_repeat 0 is an error");
}

/*
 * The keywords of what a master and a backup check and send around a
 * lower priority master, with keepalived 2.2.7's defaults.
 */
static void
test_adv_checks(void)
{
	struct cfg_instance *in = &cf.cf_inst[0];
	static const char inst[] = "vrrp_instance A {\n interface eth0\n"
	    " virtual_router_id 1\n virtual_ipaddress {\n 192.0.2.1\n }\n";
	char text[512];

	snprintf(text, sizeof(text), "%s}\n", inst);
	is_int(parse(text), 0, "checks: a plain instance");
	ok(!in->ci_check_src && !in->ci_skip_adv_check,
	    "checks: every source, every address list by default");
	is_int((int)in->ci_garp_lower_delay, 5000000,
	    "garp_lower_prio_delay: vrrp_garp_master_delay's 5 s by default");
	snprintf(text, sizeof(text), "%s check_unicast_src\n"
	    " skip_check_adv_addr\n garp_lower_prio_delay 2\n}\n", inst);
	is_int(parse(text), 0, "checks: the instance's keywords parse");
	is_str(err, "", "checks: with no warning");
	ok(in->ci_check_src && in->ci_skip_adv_check &&
	    in->ci_garp_lower_delay == 2000000, "checks: and are set");
	snprintf(text, sizeof(text), "global_defs {\n vrrp_check_unicast_src\n"
	    " vrrp_skip_check_adv_addr\n vrrp_garp_master_delay 3\n}\n%s}\n",
	    inst);
	is_int(parse(text), 0, "checks: the global keywords parse");
	ok(cf.cf_check_src && !in->ci_check_src && in->ci_skip_adv_check &&
	    in->ci_garp_lower_delay == 3000000,
	    "checks: and apply to the instances (vrrp_check_unicast_src "
	    "where the packets are checked); the delay follows "
	    "vrrp_garp_master_delay");
	/* keepalived 2.2.7 reads global_defs first, wherever it is */
	snprintf(text, sizeof(text), "%s}\nvrrp_instance B {\n interface eth0"
	    "\n virtual_router_id 2\n garp_master_delay 1\n"
	    " garp_master_repeat 4\n virtual_ipaddress {\n 192.0.2.2\n }\n}\n"
	    "global_defs {\n vrrp_skip_check_adv_addr\n"
	    " vrrp_garp_master_delay 2\n vrrp_garp_master_repeat 3\n}\n",
	    inst);
	is_int(parse(text), 0, "checks: global_defs after the instances");
	ok(in->ci_skip_adv_check && in->ci_garp_delay == 2000000 &&
	    in->ci_garp_repeat == 3,
	    "checks: applies to an instance before it");
	ok(cf.cf_inst[1].ci_skip_adv_check &&
	    cf.cf_inst[1].ci_garp_delay == 1000000 &&
	    cf.cf_inst[1].ci_garp_repeat == 4,
	    "checks: an instance's own garp_master_delay and _repeat win");
	snprintf(text, sizeof(text), "global_defs {\n vrrp_garp_master_delay 3"
	    "\n vrrp_garp_lower_prio_delay 1\n}\n%s}\n", inst);
	is_int(parse(text), 0, "vrrp_garp_lower_prio_delay parses");
	is_int((int)in->ci_garp_lower_delay, 1000000, "and is the default");
	snprintf(text, sizeof(text), "global_defs {\n vrrp_strict\n}\n"
	    "%s}\n", inst);
	is_int(parse(text), 0, "strict mode");
	is_int((int)in->ci_garp_lower_delay, 0, "strict: no delayed round");
	snprintf(text, sizeof(text), "%s skip_check_adv_addr off\n}\n", inst);
	is_int(parse(text), 0, "skip_check_adv_addr off parses");
	ok(in->ci_skip_adv_check && strstr(err, "turns it on all the same"),
	    "and turns it on, as keepalived 2.2.7, with a warning: %s", err);
	snprintf(text, sizeof(text), "%s garp_lower_prio_delay 1.5\n}\n",
	    inst);
	is_int(parse(text), 1, "garp_lower_prio_delay: whole seconds");
}

struct incs {
	int	calls;
};

static int
inc_cb(void *arg, const char *pattern, int idx, const char **name,
    const char **buf, size_t *len, char *e, size_t elen)
{
	static const char part[] = "vrrp_instance B {\n interface eth0\n"
	    " virtual_router_id 9\n virtual_ipaddress {\n 192.0.2.9\n }\n"
	    " bogus_kw 1\n}\n";
	struct incs *s = arg;

	s->calls++;
	if (strcmp(pattern, "/etc/k/*.conf") != 0) {
		snprintf(e, elen, "no such file");
		return -1;
	}
	if (idx > 0)
		return 0;
	*name = "/etc/k/b.conf";
	*buf = part;
	*len = strlen(part);
	return 1;
}

static void
test_include(void)
{
	struct incs s = { 0 };
	static const char text[] = "include /etc/k/*.conf\ninclude /nope\n";
	int n;

	config_defaults(&cf);
	n = config_parse(&cf, "k.conf", text, strlen(text), inc_cb, &s, err,
	    sizeof(err));
	is_int(n, 2, "one include fails, one unknown keyword");
	is_int(cf.cf_ninst, 1, "the included instance is there");
	is_str(cf.cf_inst[0].ci_name, "B", "named B");
	ok(strstr(err, "/etc/k/b.conf:7: vrrp_instance B: bogus_kw: unknown "
	    "keyword") != NULL, "messages name the included file and its "
	    "line; an unknown keyword is an error, as in keepalived");
	ok(strstr(err, "k.conf:2: include \"/nope\": no such file") != NULL,
	    "failed include names the including line");
	is_int(config_parse(&cf, "k.conf", "include x\n", 10, NULL, NULL, err,
	    sizeof(err)), 1, "include without a resolver is an error");
}

/* The config language: one small instance with parts from elsewhere. */
static const char lang[] =
"$BASE=192.0.2.${SUB}\n"
"$SUB=1\n"
"@a $PRIO=200\n"
"@^a $PRIO=50\n"
"$BODY= \\\n"
"  interface eth0 \\\n"
"  virtual_router_id ${N}\n"
"~SEQ(N, 3, 3) vrrp_instance VI_$N {\n"
"    $BODY\n"
"    priority $PRIO\n"
"    virtual_ipaddress {\n"
"        ~LST(X, 1, 2) ${BASE}${X}${N} # ${_HASH} is no comment\n"
"    }\n"
"}\n";

static void
test_lang(void)
{
	struct cfg_instance *in = &cf.cf_inst[0];

	config_defaults(&cf);
	snprintf(cf.cf_config_id, sizeof(cf.cf_config_id), "a");
	is_int(config_parse(&cf, "k.conf", lang, strlen(lang), NULL, NULL,
	    err, sizeof(err)), 0, "lang: parses");
	is_str(err, "", "lang: no warning");
	is_int(cf.cf_ninst, 1, "~SEQ(N, 3, 3): one instance");
	is_str(in->ci_name, "VI_3", "$N from ~SEQ");
	is_int(in->ci_vrid, 3, "multiline $BODY, ${N} inside it");
	is_int(in->ci_priority, 200, "@a picked with config id a");
	is_int(in->ci_nvips, 2, "~LST made two addresses");
	config_defaults(&cf);
	snprintf(cf.cf_config_id, sizeof(cf.cf_config_id), "b");
	config_parse(&cf, "k.conf", lang, strlen(lang), NULL, NULL, err,
	    sizeof(err));
	is_int(in->ci_priority, 50, "@^a picked with config id b");
	is_int(parse("$A=$A x\nvrrp_instance V {\n$A\n}\n") > 0, 1,
	    "a definition using itself: an error");
	ok(strstr(err, "k.conf:3: $NAME or ~SEQ nested deeper") != NULL,
	    "... at its use");
	is_int(parse("~SEQ(N, 1, 1, 0) x\n"), 1, "~SEQ going up past its "
	    "end at once: no line made, only \"no vrrp_instance\"");
	is_int(parse("~SEQ(N, 1, 2, 3, 4) x\n~SEQ(N, 1, 0, 3) x\n"
	    "~LST(N) x\n~SEQ(N, y) x\n~SEQ(N, 1\n") > 4, 1,
	    "bad ~SEQ / ~LST: errors");
}

/* ${_RANDOM LO HI} over the whole range of a long: a number in it. */
static void
test_random_range(void)
{
	static const char *const ranges[] = {
		"0 9223372036854775807",
		"-9223372036854775808 9223372036854775807",
	};
	char text[256], *end;
	long long v;
	size_t i;

	for (i = 0; i < sizeof(ranges) / sizeof(ranges[0]); i++) {
		snprintf(text, sizeof(text), "vrrp_instance V${_RANDOM %s} {\n"
		    " interface eth0\n virtual_router_id 1\n"
		    " virtual_ipaddress {\n  192.0.2.1\n }\n}\n", ranges[i]);
		is_int(parse(text), 0, "_RANDOM %s: parses", ranges[i]);
		v = strtoll(cf.cf_inst[0].ci_name + 1, &end, 10);
		ok(cf.cf_inst[0].ci_name[0] == 'V' && end !=
		    cf.cf_inst[0].ci_name + 1 && *end == '\0' &&
		    (i == 1 || v >= 0), "_RANDOM %s: a number in the range "
		    "(%s)", ranges[i], cf.cf_inst[0].ci_name);
	}
}

static const char vipforms[] =
"vrrp_instance A {\n"
" interface eth0\n"
" virtual_router_id 1\n"
" virtual_ipaddress {\n"
"  192.0.2.1/24 dev eth1 label eth1:vip scope link brd 192.0.2.255\n"
"  192.0.2.2/24 brd + no_track\n"
"  192.0.2.3/24 brd -\n"
" }\n"
" virtual_ipaddress_excluded {\n"
"  2001:db8::1/64 dev eth1 preferred_lft forever -nodad\n"
"  192.0.2.9\n"
" }\n"
"}\n";

static void
test_vip_forms(void)
{
	struct cfg_instance *in = &cf.cf_inst[0];
	char a[32];

	is_int(parse(vipforms), 0, "dev, label, scope, brd, excluded parse");
	is_int(in->ci_nvips, 3, "three VIPs");
	is_int(in->ci_nevips, 2, "two excluded");
	is_str(in->ci_vips[0].cv_dev, "eth1", "dev");
	is_str(in->ci_vips[0].cv_label, "eth1:vip", "label");
	is_int(in->ci_vips[0].cv_scope, 253, "scope link");
	inet_ntop(AF_INET, &in->ci_vips[1].cv_brd, a, sizeof(a));
	is_str(a, "192.0.2.255", "brd + is the prefix's broadcast");
	ok(in->ci_vips[1].cv_no_track, "no_track");
	inet_ntop(AF_INET, &in->ci_vips[2].cv_brd, a, sizeof(a));
	is_str(a, "192.0.2.0", "brd - is the network address");
	is_int(in->ci_evips[0].cv_family, AF_INET6, "excluded: IPv6 beside "
	    "IPv4 VIPs");
	ok(in->ci_evips[0].cv_lft_set && in->ci_evips[0].cv_dad,
	    "preferred_lft forever, -nodad");
	ok(parse("vrrp_instance A {\n interface eth0\n virtual_router_id 1\n"
	    " virtual_ipaddress {\n 192.0.2.1 peer 192.0.2.2\n }\n}\n") > 0,
	    "peer: an error");
	ok(strstr(err, "k.conf:5: vrrp_instance A: virtual_ipaddress: option "
	    "\"peer\" not supported") != NULL, "naming line and option: %s",
	    err);
	ok(parse("vrrp_instance A {\n interface eth0\n virtual_router_id 1\n"
	    " virtual_ipaddress {\n 2001:db8::1 label eth0:x\n }\n}\n") > 0,
	    "IPv6 with a label: an error");
	ok(parse("vrrp_instance A {\n interface eth0\n virtual_router_id 1\n"
	    " virtual_ipaddress {\n 192.0.2.1 scope galaxy\n }\n}\n") > 0,
	    "unknown scope: an error");
	ok(parse("vrrp_instance A {\n interface eth0\n virtual_router_id 1\n"
	    " virtual_ipaddress {\n 192.0.2.1/31 brd +\n }\n}\n") > 0,
	    "brd + on a /31: an error");
	is_int(parse("vrrp_instance A {\n interface eth0\n"
	    " virtual_router_id 1\n}\n"), 0, "no VIP, VRRPv2: accepted");
	ok(strstr(err, "warning: vrrp_instance A: virtual_ipaddress: none "
	    "configured") != NULL, "with a warning");
	is_int(parse("vrrp_instance A {\n interface eth0\n version 3\n"
	    " virtual_router_id 1\n}\n"), 1, "no VIP, VRRPv3: refused");
}

static const char group[] =
"vrrp_script w {\n script \"true\"\n weight 10\n}\n"
"vrrp_script z {\n script \"true\"\n}\n"
"vrrp_sync_group G {\n"
" group {\n  A\n  B\n }\n"
" track_interface {\n  eth9\n }\n"
" notify \"/bin/n\"\n"
" notify_master /bin/m\n"
"}\n"
"vrrp_instance A {\n interface eth0\n virtual_router_id 1\n"
" track_script {\n  w\n  z\n }\n"
" track_interface {\n  eth5 weight 20\n }\n"
" virtual_ipaddress {\n  192.0.2.1\n }\n}\n"
"vrrp_instance B {\n interface eth1\n virtual_router_id 2\n"
" virtual_ipaddress {\n  192.0.2.2\n }\n}\n"
"vrrp_instance C {\n interface eth1\n virtual_router_id 3\n"
" virtual_ipaddress {\n  192.0.2.3\n }\n}\n";

static void
test_sync_group(void)
{
	struct cfg_instance *a = &cf.cf_inst[0];

	is_int(parse(group), 0, "a sync group parses");
	is_int(cf.cf_ngroups, 1, "one group");
	is_int(a->ci_group, 0, "A is in it");
	is_int(cf.cf_inst[1].ci_group, 0, "B too");
	is_int(cf.cf_inst[2].ci_group, -1, "C is not");
	is_str(cf.cf_groups[0].cg_notify[CFG_NOTIFY].cn_cmd, "/bin/n",
	    "the group's notify");
	is_int(a->ci_nscripts, 1, "A's weighted script dropped (keepalived)");
	is_str(a->ci_scripts[0].ct_name, "z", "its unweighted one kept");
	ok(strstr(err, "warning: vrrp_sync_group G: A: track_script w has a "
	    "weight") != NULL, "with a warning: %s", err);
	/* keepalived 2.2.7 warns that it ignores it, and applies it */
	is_int(a->ci_ifaces[0].ct_weight, 20, "A's weighted interface: kept");
	ok(strstr(err, "A: track_interface ") != NULL &&
	    strstr(err, "keepalived 2.2.7 says it ignores it and applies "
	    "it") != NULL, "with a warning: %s", err);
	is_int(a->ci_nifaces, 2, "plus the group's interface");
	is_str(a->ci_ifaces[1].ct_name, "eth9", "eth9");
	is_str(cf.cf_inst[1].ci_ifaces[0].ct_name, "eth9", "B tracks it too");
	ok(parse("vrrp_sync_group G {\n group {\n A\n Z\n }\n}\n"
	    "vrrp_instance A {\n interface eth0\n virtual_router_id 1\n"
	    "}\n") > 0, "an unknown member is an error");
	ok(strstr(err, "k.conf:1: vrrp_sync_group G: group: no vrrp_instance "
	    "Z") != NULL, "naming group and member: %s", err);
	ok(parse("vrrp_sync_group G {\n group {\n A\n }\n}\n"
	    "vrrp_sync_group H {\n group {\n A\n }\n}\n"
	    "vrrp_instance A {\n interface eth0\n virtual_router_id 1\n"
	    "}\n") > 0, "an instance in two groups is an error");
	ok(parse("vrrp_sync_group G {\n group {\n A\n }\n track_bfd {\n"
	    " f\n }\n}\nvrrp_instance A {\n interface eth0\n"
	    " virtual_router_id 1\n}\n") > 0, "track_bfd on a group: an error "
	    "(not implemented)");
	is_int(parse("track_file f {\n file /x\n}\nvrrp_sync_group G {\n"
	    " group {\n A\n }\n track_file {\n f\n }\n}\n"
	    "vrrp_instance A {\n interface eth0\n virtual_router_id 1\n"
	    " virtual_ipaddress {\n 192.0.2.1\n }\n}\n"), 0,
	    "track_file on a group: taken");
	is_int(parse("vrrp_instance A {\n interface eth0\n virtual_router_id"
	    " 1\n virtual_ipaddress {\n 192.0.2.1\n }\n virtual_routes {\n"
	    "  10.0.0.0/8 via 192.0.2.254 dev eth0 mtu 1400\n }\n}\n"), 1,
	    "virtual_routes: an option vrrpd cannot do is an error");
	is_int(parse("vrrp_instance A {\n interface eth0\n virtual_router_id"
	    " 1\n virtual_ipaddress {\n 192.0.2.1\n }\n virtual_rules {\n"
	    "  from 192.0.2.1 priority 5\n }\n}\n"), 1,
	    "virtual_rules: a rule without table or action is an error");
}

/* smtp_alert and its settings (cfgmail.c) */
static void
test_mail(void)
{
	static const char g[] = "global_defs {\n notification_email {\n"
	    "  a@example.org\n  b@example.org c@example.org\n }\n"
	    " notification_email_from k@example.org\n"
	    " smtp_server 192.0.2.25 2525\n smtp_connect_timeout 7\n"
	    " smtp_alert\n}\n";
	const struct cfg_mail *m = &cf.cf_mailcf;
	char text[1024];

	snprintf(text, sizeof(text), "%svrrp_instance A {\n interface eth0\n"
	    " virtual_router_id 1\n virtual_ipaddress {\n 192.0.2.1\n }\n"
	    "}\nvrrp_instance B {\n interface eth0\n virtual_router_id 2\n"
	    " smtp_alert off\n virtual_ipaddress {\n 192.0.2.2\n }\n}\n", g);
	is_int(parse(text), 0, "mail settings parse");
	is_int(m->cm_nto, 3, "three recipients (two on a line)");
	is_str(m->cm_to[2], "c@example.org", "the third");
	is_str(m->cm_from, "k@example.org", "notification_email_from");
	is_int(m->cm_port, 2525, "smtp_server's port");
	is_int(m->cm_timeout, 7, "smtp_connect_timeout");
	is_int(cfg_mail_wanted(&cf, cf.cf_inst[0].ci_smtp_alert), 1,
	    "the global smtp_alert applies to A");
	is_int(cfg_mail_wanted(&cf, cf.cf_inst[1].ci_smtp_alert), 0,
	    "B's own smtp_alert off wins");
	ok(strstr(err, "warning") == NULL, "no warning: %s", err);
	ok(parse("global_defs {\n smtp_server mail.example.org\n}\n") > 0,
	    "a host name for smtp_server is an error (keepalived's too)");
	ok(strstr(err, "k.conf:2: global_defs: smtp_server") != NULL,
	    "naming file:line: %s", err);
	ok(parse("global_defs {\n smtp_server 192.0.2.25 0\n}\n") > 0,
	    "port 0 is an error");
	ok(parse("vrrp_instance A {\n interface eth0\n virtual_router_id 1\n"
	    " smtp_alert maybe\n}\n") > 0, "smtp_alert maybe is an error");
}

/* notify_deleted, disable_local_igmp, vrrp_vmac_garp_intvl (keepalived 2.2.7) */
static void
test_words_2_2_7(void)
{
	struct cfg_instance *in = &cf.cf_inst[0];
	static const char inst[] = "vrrp_instance A {\n interface eth0\n"
	    " virtual_router_id 1\n virtual_ipaddress {\n 192.0.2.1\n }\n";
	char text[512];

	is_int(parse(seed), 0, "the seed");
	ok(!in->ci_deleted && !cf.cf_no_local_igmp,
	    "no notify_deleted, no disable_local_igmp by default");
	snprintf(text, sizeof(text), "%s notify_deleted\n}\n", inst);
	is_int(parse(text), 0, "notify_deleted without a command parses");
	ok(in->ci_deleted && in->ci_notify_deleted.cn_cmd[0] == '\0',
	    "DELETED, no command");
	snprintf(text, sizeof(text), "%s notify_deleted \"/bin/gone x\" nobody"
	    "\n}\n", inst);
	is_int(parse(text), 0, "notify_deleted \"CMD\" USER parses");
	is_str(in->ci_notify_deleted.cn_cmd, "/bin/gone x", "its command");
	is_str(in->ci_notify_deleted.cn_user, "nobody", "its user");
	snprintf(text, sizeof(text), "global_defs {\n disable_local_igmp\n}\n"
	    "%s}\n", inst);
	is_int(parse(text), 0, "disable_local_igmp parses");
	ok(cf.cf_no_local_igmp, "and is set");
	snprintf(text, sizeof(text), "global_defs {\n disable_local_igmp on\n"
	    "}\n%s}\n", inst);
	is_int(parse(text), 1, "disable_local_igmp takes no argument");
	snprintf(text, sizeof(text), "global_defs {\n vrrp_vmac_garp_intvl "
	    "all 7\n}\n%s}\n", inst);
	is_int(parse(text), 0, "vrrp_vmac_garp_intvl parses");
	ok(cf.cf_garp_extra == 7000000 && cf.cf_garp_extra_all,
	    "as vrrp_garp_extra_if all 7");
	ok(strstr(err, "k.conf:2: warning: global_defs: vrrp_vmac_garp_intvl: "
	    "deprecated") != NULL, "with a warning: %s", err);
}

int
main(void)
{
	test_seed();
	test_full();
	test_errors();
	test_accept();
	test_garp_refresh();
	test_adv_checks();
	test_include();
	test_lang();
	test_random_range();
	test_vip_forms();
	test_sync_group();
	test_mail();
	test_words_2_2_7();
	return done_testing();
}
