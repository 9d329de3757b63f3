/* SPDX-License-Identifier: ISC */
/*
 * vrrpd's blocks of plain lines (parse.c p_block_line and its callers:
 * addresses, routes, tracks, mail, sync groups): a block inside one is an
 * error naming file:line and what it is in, and the lines around it are
 * kept; and the names a value may be given by (scope, protocol, type;
 * protocol only with no_track: vrrpd marks its own routes 18).
 */
#include <stdio.h>
#include <string.h>

#include <linux/rtnetlink.h>

#include "config.h"
#include "parse.h"
#include "tap.h"

static struct config cf;
static char err[8192];

static int
parse(const char *text)
{
	config_defaults(&cf);
	return config_parse(&cf, "k.conf", text, strlen(text), NULL, NULL,
	    err, sizeof(err));
}

/* An instance whose block KW holds "x { }" between two good lines. */
static int
nested(const char *kw, const char *good1, const char *good2)
{
	char text[1024];

	snprintf(text, sizeof(text), "vrrp_instance A {\n interface eth0\n"
	    " virtual_router_id 1\n %s {\n %s\n x {\n y\n }\n %s\n }\n"
	    " virtual_ipaddress {\n 192.0.2.1\n }\n}\n", kw, good1, good2);
	return parse(text);
}

static void
test_nested(void)
{
	struct cfg_instance *in = &cf.cf_inst[0];

	is_int(nested("virtual_ipaddress", "192.0.2.2", "192.0.2.3"), 1,
	    "a block in virtual_ipaddress: an error");
	is_str(err, "k.conf:6: vrrp_instance A: virtual_ipaddress: unexpected "
	    "block\n", "named by the block it is in, at its line");
	is_int(in->ci_nvips, 3, "the addresses around it are kept");
	is_int(nested("virtual_routes", "10.1.0.0/16 via 192.0.2.254 dev eth0",
	    "10.2.0.0/16 via 192.0.2.254 dev eth0"), 1, "in virtual_routes");
	is_str(err, "k.conf:6: vrrp_instance A: virtual_routes: unexpected "
	    "block\n", "named by the block");
	is_int(in->ci_nroutes, 2, "the routes around it are kept");
	is_int(nested("track_interface", "eth1", "eth2"), 1,
	    "in track_interface");
	is_str(err, "k.conf:6: vrrp_instance A: track_interface: unexpected "
	    "block\n", "named by the block, as in track_file");
	is_int(in->ci_nifaces, 2, "the interfaces around it are kept");
	is_int(nested("track_file", "f1", "f2"), 1, "in track_file");
	is_str(err, "k.conf:6: vrrp_instance A: track_file: unexpected "
	    "block\n", "named by the block");
	is_int(in->ci_ntfiles, 2, "the files around it are kept");
	is_int(parse("global_defs {\n notification_email {\n a@b\n x {\n }\n"
	    " c@d\n }\n}\n"), 1, "in notification_email");
	is_str(err, "k.conf:4: global_defs: x: unexpected block\n",
	    "named by its own keyword");
	is_int(cf.cf_mailcf.cm_nto, 2, "the addresses around it are kept");
	is_int(parse("vrrp_sync_group G {\n group {\n A\n x {\n }\n B\n }\n"
	    "}\n"), 1, "in a sync group's group");
	is_str(err, "k.conf:4: vrrp_sync_group G: group: unexpected block\n",
	    "named group");
	is_int(cf.cf_groups[0].cg_nmembers, 2, "the members around it kept");
}

/* A route line of instance A, parsed alone. */
static int
route(const char *line)
{
	char text[512];

	snprintf(text, sizeof(text), "vrrp_instance A {\n interface eth0\n"
	    " virtual_router_id 1\n virtual_routes {\n %s\n }\n"
	    " virtual_ipaddress {\n 192.0.2.1\n }\n}\n", line);
	return parse(text);
}

static void
test_names(void)
{
	struct cfg_route *r = &cf.cf_inst[0].ci_routes[0];
	uint8_t v = 7;

	is_int(route("10.1.0.0/16 dev eth0 scope link protocol bird "
	    "no_track"), 0, "scope and protocol by name");
	is_int(r->cr_scope, RT_SCOPE_LINK, "scope link");
	is_int(r->cr_proto, 12, "protocol bird (rt_protos 12)");
	is_int(route("10.1.0.0/16 dev eth0 scope 200 protocol 250 no_track"),
	    0, "and by number");
	is_int(r->cr_scope, 200, "scope 200");
	is_int(r->cr_proto, 250, "protocol 250");
	is_int(route("blackhole 10.9.0.0/16"), 0, "a type by name");
	is_int(r->cr_type, RTN_BLACKHOLE, "blackhole");
	is_int(route("10.1.0.0/16 dev eth0 scope galaxy"), 1,
	    "an unknown scope name: an error");
	ok(strstr(err, "scope \"galaxy\": should be global, site, link, host, "
	    "nowhere or 0..255") != NULL, "which says the names");
	is_int(parse("vrrp_instance A {\n interface eth0\n virtual_router_id"
	    " 1\n virtual_ipaddress {\n 192.0.2.1 scope host\n }\n}\n"), 0,
	    "a VIP's scope by name");
	is_int(cf.cf_inst[0].ci_vips[0].cv_scope, RT_SCOPE_HOST, "scope host");
	is_int(rt_scope_find("nowhere", &v), 0, "rt_scope_find: a name");
	is_int(v, RT_SCOPE_NOWHERE, "its value");
	is_int(rt_scope_find("Link", &v), -1, "names are lower case");
	is_int(v, RT_SCOPE_NOWHERE, "a miss leaves the value alone");
}

static void
test_heads(void)
{
	static char many[CFG_MAX_GROUPS * 32 + 64];
	size_t off = 0;
	int i;

	is_int(parse("vrrp_instance {\n}\nvrrp_instance A B {\n}\n"
	    "vrrp_instance A\n"), 3, "an instance needs one name and a block");
	is_str(err, "k.conf:1: vrrp_instance: needs a name and a { } block\n"
	    "k.conf:3: vrrp_instance: needs a name and a { } block\n"
	    "k.conf:5: vrrp_instance: needs a name and a { } block\n",
	    "each head said so, at its line");
	is_int(cf.cf_ninst, 0, "and none of them read");
	is_int(parse("vrrp_sync_group {\n}\nvrrp_sync_group G\n"), 2,
	    "so does a sync group");
	is_str(err, "k.conf:1: vrrp_sync_group: needs a name and a { } block\n"
	    "k.conf:3: vrrp_sync_group: needs a name and a { } block\n",
	    "in the same words");
	is_int(parse("track_file {\n}\nvrrp_track_process P\n"), 2,
	    "and a track_file, a vrrp_track_process");
	is_str(err, "k.conf:1: track_file: needs one name and a { } block\n"
	    "k.conf:3: vrrp_track_process: needs one name and a { } block\n",
	    "in theirs");
	for (i = 0; i <= CFG_MAX_GROUPS; i++)
		off += (size_t)snprintf(many + off, sizeof(many) - off,
		    "vrrp_sync_group G%d {\n}\n", i);
	is_int(parse(many), 1, "one sync group too many: an error");
	snprintf(many, sizeof(many), "k.conf:%d: vrrp_sync_group: more than "
	    "%d\n", 2 * CFG_MAX_GROUPS + 1, CFG_MAX_GROUPS);
	ok(strstr(err, many) != NULL, "at the one too many, with the limit");
	is_int(cf.cf_ngroups, CFG_MAX_GROUPS, "the others are read");
}

int
main(void)
{
	test_heads();
	test_nested();
	test_names();
	return done_testing();
}
