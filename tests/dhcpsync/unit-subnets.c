/* SPDX-License-Identifier: ISC */
/*
 * The subnet list: CIDRs as an operator types them, and the subnet
 * declarations of a dhcpd.conf at any depth, with file:line errors for
 * what it cannot read.
 */
#include <stdio.h>
#include <string.h>

#include "record.h"
#include "subnets.h"
#include "tap.h"

static char warned[512];

static void
warn(void *arg, const char *msg)
{
	snprintf(warned, sizeof(warned), "%s", msg);
}

static uint32_t
ip(const char *s)
{
	uint32_t a = 0;

	lease_addr_parse(s, strlen(s), &a);
	return a;
}

/* Parses text; returns the count or -1, the error in err. */
static int
conf(struct subnets *s, const char *text, char *err, size_t errlen)
{
	subnets_free(s);
	warned[0] = '\0';
	err[0] = '\0';
	return subnets_parse_conf(s, text, strlen(text), "dhcpd.conf", warn,
	    NULL, err, errlen);
}

static void
cidrs(void)
{
	struct subnets s = { NULL, 0, 0 };
	char err[256], buf[32];

	ok(subnets_add_cidr(&s, "10.64.0.0/16", err, sizeof(err)) == 0,
	    "10.64.0.0/16 is read");
	ok(subnets_add_cidr(&s, "192.0.2.7/32", err, sizeof(err)) == 0,
	    "a /32 is read");
	ok(subnets_match(&s, ip("10.64.250.1")), "10.64.250.1 is inside");
	ok(!subnets_match(&s, ip("10.65.0.1")), "10.65.0.1 is outside");
	ok(subnets_match(&s, ip("192.0.2.7")) &&
	    !subnets_match(&s, ip("192.0.2.8")), "a /32 holds one address");
	subnets_format(&s.ss_v[0], buf, sizeof(buf));
	is_str(buf, "10.64.0.0/16", "formatted back");
	ok(subnets_add_cidr(&s, "10.64.0.1/16", err, sizeof(err)) == -1 &&
	    strstr(err, "host bits set (the network is 10.64.0.0/16)"),
	    "host bits: refused, the network named (%s)", err);
	ok(subnets_add_cidr(&s, "10.64.0.0", err, sizeof(err)) == -1 &&
	    strstr(err, "not A.B.C.D/LEN"), "no length: refused (%s)", err);
	ok(subnets_add_cidr(&s, "10.64.0.0/33", err, sizeof(err)) == -1 &&
	    strstr(err, "0..32"), "length 33: refused (%s)", err);
	ok(subnets_add_cidr(&s, "10.64.0/8", err, sizeof(err)) == -1,
	    "three octets: refused");
	ok(subnets_add_cidr(&s, "0.0.0.0/0", err, sizeof(err)) == 0 &&
	    subnets_match(&s, ip("203.0.113.1")), "0.0.0.0/0 holds all");
	subnets_free(&s);
}

static const char nested[] =
    "# a comment: subnet 1.0.0.0 netmask 255.0.0.0 {\n"
    "option domain-name \"subnet 2.0.0.0 netmask 255.0.0.0 {\";\n"
    "option subnet-mask 255.255.255.0;\n"
    "shared-network rack1 {\n"
    "  subnet 10.64.0.0 netmask 255.255.0.0 { range 10.64.0.1 10.64.9.9; }\n"
    "  group { subnet 192.0.2.0 netmask 255.255.255.0 {\n"
    "    host h { hardware ethernet 52:54:00:00:00:01; }\n"
    "  } }\n"
    "}\n"
    "subnet6 2001:db8::/64 { }\n"
    "subnet 198.51.100.0\n  netmask 255.255.255.128 {}\n";

static void
confs(void)
{
	struct subnets s = { NULL, 0, 0 };
	char err[256];

	is_int(conf(&s, nested, err, sizeof(err)), 3,
	    "three subnet declarations, nested, commented and quoted ones "
	    "skipped (%s)", err);
	ok(subnets_match(&s, ip("10.64.3.3")) &&
	    subnets_match(&s, ip("192.0.2.200")) &&
	    subnets_match(&s, ip("198.51.100.127")), "all three are matched");
	ok(!subnets_match(&s, ip("198.51.100.128")) &&
	    !subnets_match(&s, ip("1.1.1.1")) &&
	    !subnets_match(&s, ip("2.2.2.2")), "nothing else");

	is_int(conf(&s, "include \"/etc/dhcp/more.conf\";\n"
	    "subnet 10.0.0.0 netmask 255.0.0.0 { }\n", err, sizeof(err)), 1,
	    "include: the rest is read");
	is_str(warned, "dhcpd.conf:1: include \"/etc/dhcp/more.conf\" is not "
	    "read: leases in its subnets are refused", "include: warned with "
	    "file:line");

	ok(conf(&s, "\n\nsubnet 10.0.0.1 netmask 255.0.0.0 { }\n", err,
	    sizeof(err)) == -1, "host bits: an error");
	is_str(err, "dhcpd.conf:3: subnet 10.0.0.1 netmask 255.0.0.0: host "
	    "bits set in the address", "... naming file:line");
	ok(conf(&s, "subnet 10.0.0.0 netmask 255.0.255.0 { }\n", err,
	    sizeof(err)) == -1 && strstr(err, "dhcpd.conf:1: ") &&
	    strstr(err, "not contiguous"), "a holed mask: %s", err);
	ok(conf(&s, "ddns-update-style none;\nsubnet 10.0.0 netmask "
	    "255.0.0.0 { }\n", err, sizeof(err)) == -1, "a short address");
	is_str(err, "dhcpd.conf:2: subnet: address \"10.0.0\" is not an IPv4 "
	    "address", "... naming file:line and the token");
	ok(conf(&s, "subnet 10.0.0.0 mask 255.0.0.0 { }\n", err,
	    sizeof(err)) == -1 && strstr(err, "\"mask\" where netmask"),
	    "netmask missing: %s", err);
	ok(conf(&s, "subnet 10.0.0.0 netmask 255.0.0.0;\n", err,
	    sizeof(err)) == -1 && strstr(err, "'{' expected"),
	    "no block: %s", err);
	ok(conf(&s, "subnet 10.0.0.0 netmask 255.0.0.0 {\n range 10.0.0.1 "
	    "10.0.0.9;\n", err, sizeof(err)) == -1, "a block not closed");
	is_str(err, "dhcpd.conf:3: end of file inside a block (1 '{' not "
	    "closed)", "... says so");
	ok(conf(&s, "}\n", err, sizeof(err)) == -1 &&
	    strcmp(err, "dhcpd.conf:1: '}' without '{'") == 0,
	    "a stray '}': %s", err);
	ok(conf(&s, "option domain-name \"x;\n\n", err, sizeof(err)) == -1 &&
	    strcmp(err, "dhcpd.conf:1: string not closed") == 0,
	    "a string not closed: %s", err);
	ok(conf(&s, "subnet", err, sizeof(err)) == -1 &&
	    strstr(err, "\"end of file\""), "cut after subnet: %s", err);
	is_int(conf(&s, "", err, sizeof(err)), 0, "an empty file: none");
	subnets_free(&s);
}

int
main(void)
{
	cidrs();
	confs();
	return done_testing();
}
