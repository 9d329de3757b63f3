/* SPDX-License-Identifier: ISC */
/* stats-cmd.c: the stats socket command parser. */
#include <string.h>
#include <netinet/in.h>

#include "tap.h"
#include "stats-cmd.h"
#include "hashproxy.h"

static int
p(const char *s, struct ctl_cmd *c, char *err)
{
	return control_parse(s, strlen(s), c, err, 256);
}

int
main(void)
{
	struct ctl_cmd c;
	char err[256], big[2000];
	int n;

	ok(p("show stat", &c, err) == 0 && c.cc_op == CTL_SHOW_STAT,
	    "show stat");
	ok(p("show info", &c, err) == 0 && c.cc_op == CTL_SHOW_INFO,
	    "show info");
	ok(p("show servers state maas", &c, err) == 0 &&
	    c.cc_op == CTL_SHOW_SERVERS && strcmp(c.cc_backend, "maas") == 0,
	    "show servers state BACKEND");
	ok(p("  disable   server maas/maas-api-1 ", &c, err) == 0 &&
	    c.cc_op == CTL_DISABLE && strcmp(c.cc_server, "maas-api-1") == 0,
	    "disable server B/S with extra blanks");
	ok(p("enable server maas/x", &c, err) == 0 && c.cc_op == CTL_ENABLE,
	    "enable server");
	ok(p("set server maas/x state drain", &c, err) == 0 &&
	    c.cc_op == CTL_SET_STATE && c.cc_state == ADM_DRAIN,
	    "set server state drain");
	ok(p("set server maas/x state up", &c, err) == -1 &&
	    strstr(err, "expects 'ready', 'drain' and 'maint'") != NULL,
	    "bad state refused as haproxy words it");
	ok(p("disable server maas", &c, err) == -1 &&
	    strcmp(err, "Require 'backend/server'.") == 0, "B/S required");
	ok(p("disable server /x", &c, err) == -1, "empty backend refused");
	ok(p("frob", &c, err) == -1 && strncmp(err, "Unknown command", 15) == 0,
	    "unknown command");
	memset(big, 'a', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	ok(p(big, &c, err) == -1, "overlong line refused");
	ok(control_parse("show\0stat", 9, &c, err, sizeof(err)) == -1,
	    "NUL refused");
	/* show stat's filter form */
	ok(p("show stat", &c, err) == 0 && c.cc_stat.st_iid == -1 &&
	    c.cc_stat.st_type == 7 && c.cc_stat.st_sid == -1 &&
	    c.cc_stat.st_fmt == CTL_CSV, "show stat: everything, CSV");
	ok(p("show stat -1 4 -1 typed", &c, err) == 0 &&
	    c.cc_stat.st_iid == -1 && c.cc_stat.st_type == CTL_TYPE_SRV &&
	    c.cc_stat.st_fmt == CTL_TYPED, "servers only, typed");
	ok(p("show stat 3 2 -1 json", &c, err) == 0 &&
	    c.cc_stat.st_iid == 3 && c.cc_stat.st_type == CTL_TYPE_BE &&
	    c.cc_stat.st_fmt == CTL_JSON, "proxy 3's backend, json");
	ok(p("show stat maas 6 2 up", &c, err) == 0 &&
	    strcmp(c.cc_stat.st_px, "maas") == 0 && c.cc_stat.st_sid == 2 &&
	    c.cc_stat.st_up && !c.cc_stat.st_nomaint, "a proxy by name, up");
	ok(p("show stat -1 4 -1 no-maint", &c, err) == 0 &&
	    c.cc_stat.st_nomaint, "no-maint");
	ok(p("show stat typed json", &c, err) == 0 &&
	    c.cc_stat.st_iid == -1 && c.cc_stat.st_fmt == CTL_JSON,
	    "two words: flags, not a filter (the last format wins)");
	ok(p("show stat 3 x -1", &c, err) == 0 && c.cc_stat.st_type == 0,
	    "a type that is no number selects nothing, as haproxy's atoi");
	ok(p("show stat 0 1 -1", &c, err) == -1 &&
	    strcmp(err, "No such proxy.") == 0, "iid 0: No such proxy.");
	ok(p("show stat -1 4 -1 csv frob", &c, err) == 0,
	    "unknown flags ignored, as haproxy");
	ok(p("show stat -1 4 -1 desc", &c, err) == -1 &&
	    strstr(err, "desc") != NULL, "desc refused, not ignored");
	ok(p("show stat domain proxy -1 4 -1", &c, err) == 0 &&
	    c.cc_stat.st_type == CTL_TYPE_SRV, "domain proxy");
	ok(p("show stat domain dns", &c, err) == -1, "domain dns refused");
	ok(p("show stat 99999999999 1 -1", &c, err) == 0 &&
	    strcmp(c.cc_stat.st_px, "99999999999") == 0,
	    "an iid out of range is looked up as a name");
	/* weights */
	ok(p("set weight maas/a 3", &c, err) == 0 &&
	    c.cc_op == CTL_SET_WEIGHT && c.cc_weight == 3 && !c.cc_relative &&
	    c.cc_err[0] == '\0', "set weight");
	ok(p("set weight maas/a 50%", &c, err) == 0 && c.cc_weight == 50 &&
	    c.cc_relative, "set weight %%");
	ok(p("set server maas/a weight 0", &c, err) == 0 &&
	    c.cc_op == CTL_SET_WEIGHT && c.cc_weight == 0,
	    "set server weight");
	ok(p("set weight maas/a 257", &c, err) == 0 && strcmp(c.cc_err,
	    "Absolute weight can only be between 0 and 256 inclusive.") == 0,
	    "weight above 256: haproxy's error, after the lookup");
	ok(p("set weight maas/a -1%", &c, err) == 0 &&
	    strcmp(c.cc_err, "Relative weight must be positive.") == 0,
	    "negative %%");
	ok(p("set weight maas/a 3x", &c, err) == 0 &&
	    strncmp(c.cc_err, "Trailing garbage", 16) == 0, "3x");
	ok(p("set weight maas/a", &c, err) == 0 &&
	    strncmp(c.cc_err, "Require <weight>", 16) == 0, "no weight");
	ok(p("set weight maas/a 99999999999999999999%", &c, err) == 0 &&
	    c.cc_weight == 1000000, "a huge %% is bounded");
	ok(p("get weight maas/a", &c, err) == 0 && c.cc_op == CTL_GET_WEIGHT,
	    "get weight");
	ok(p("get weight", &c, err) == -1 &&
	    strcmp(err, "Require 'backend/server'.") == 0, "get weight alone");
	/* addresses */
	ok(p("set server maas/a addr 127.0.0.2", &c, err) == 0 &&
	    c.cc_op == CTL_SET_ADDR && c.cc_ss.ss_family == AF_INET &&
	    c.cc_port == -1 && c.cc_err[0] == '\0', "set server addr IPv4");
	ok(p("set server maas/a addr ::1 port 8080", &c, err) == 0 &&
	    c.cc_ss.ss_family == AF_INET6 && c.cc_port == 8080,
	    "set server addr IPv6 port");
	ok(p("set server maas/a addr 127.0.0.2 port 0", &c, err) == 0 &&
	    c.cc_badport && c.cc_port == -1, "port 0: the address only");
	ok(p("set server maas/a addr 127.0.0.2 port 65536", &c, err) == 0 &&
	    c.cc_badport, "port 65536");
	ok(p("set server maas/a addr host.example", &c, err) == 0 &&
	    strncmp(c.cc_err, "Invalid addr 'host.example'", 27) == 0,
	    "a name is no address");
	ok(p("set server maas/a addr", &c, err) == 0 &&
	    strstr(c.cc_err, "requires an address") != NULL, "addr alone");
	ok(p("set server maas/a fqdn x", &c, err) == 0 &&
	    c.cc_op == CTL_SET_FQDN && strcmp(c.cc_arg, "x") == 0 &&
	    c.cc_err[0] == '\0', "fqdn: the name, resolvers known after "
	    "the lookup");
	ok(p("set server maas/a frob", &c, err) == 0 &&
	    strncmp(c.cc_err, "usage: set server", 17) == 0,
	    "unknown: usage, after the lookup");
	ok(p("set server maas/a agent up", &c, err) == 0 &&
	    c.cc_op == CTL_SET_AGENT && c.cc_state == 1 && c.cc_err[0] == '\0',
	    "agent up: the agent's state (enabled or not after the lookup)");
	ok(p("set server maas/a agent frob", &c, err) == 0 &&
	    c.cc_op == CTL_SET_AGENT && c.cc_state == -1,
	    "agent frob: refused after the enabled test, as haproxy");
	ok(p("set server maas/a agent-port 70000", &c, err) == 0 &&
	    c.cc_op == CTL_SET_AGTPORT && c.cc_rawerr &&
	    strcmp(c.cc_err, "provided port is invalid") == 0,
	    "agent-port out of range: haproxy's warning, no newline");
	ok(p("set server maas/a agent-send hello", &c, err) == 0 &&
	    c.cc_op == CTL_SET_AGTSEND && strcmp(c.cc_arg, "hello") == 0,
	    "agent-send's string");
	ok(p("disable health maas/a", &c, err) == 0 &&
	    c.cc_op == CTL_DISABLE_HEALTH && control_level(&c) ==
	    CF_STATS_ADMIN, "disable health: admin");
	ok(p("set maxconn server maas/a 5x", &c, err) == 0 &&
	    c.cc_op == CTL_SET_MAXCONN_SRV && c.cc_rawerr &&
	    strcmp(c.cc_err, "Trailing garbage in maxconn string") == 0,
	    "set maxconn server: haproxy's garbage words");
	ok(p("set server maas/a health stopping", &c, err) == 0 &&
	    c.cc_op == CTL_SET_HEALTH && c.cc_state == CTL_HEALTH_STOPPING,
	    "health stopping");
	ok(p("set server maas/a health", &c, err) == 0 &&
	    strstr(c.cc_err, "expects 'up', 'stopping', or 'down'") != NULL,
	    "health alone");
	ok(p("set server maas/a check-port 70000", &c, err) == 0 &&
	    strcmp(c.cc_err, "provided port is invalid") == 0 &&
	    c.cc_state == 0, "check-port out of range");
	ok(p("set server maas/a check-port", &c, err) == 0 &&
	    c.cc_state == 1, "check-port alone: said before the check test");
	ok(p("set server maas/a check-addr ::1 port 99", &c, err) == 0 &&
	    c.cc_op == CTL_SET_CHKADDR && c.cc_ss.ss_family == AF_INET6 &&
	    c.cc_port == 99 && c.cc_err[0] == '\0', "check-addr port");
	ok(p("set server maas/a check-addr x", &c, err) == 0 &&
	    strcmp(c.cc_err, "invalid addr 'x'") == 0, "check-addr garbage");
	/* the session */
	ok(p("operator", &c, err) == 0 && c.cc_op == CTL_LEVEL &&
	    control_level(&c) == CF_STATS_OPER, "operator needs operator");
	ok(p("expert-mode on", &c, err) == 0 && c.cc_op == CTL_MODE &&
	    c.cc_weight == 1 && control_level(&c) == CF_STATS_ADMIN,
	    "expert-mode on: admin");
	ok(p("experimental-mode", &c, err) == 0 && c.cc_weight == -1 &&
	    c.cc_state == CTL_MODE_EXPERIMENTAL, "experimental-mode asks");
	ok(p("disable server a/b", &c, err) == 0 && control_changes(&c) &&
	    control_level(&c) == CF_STATS_ADMIN, "disable server: admin, "
	    "logged");
	ok(p("show stat", &c, err) == 0 && !control_changes(&c) &&
	    control_level(&c) == CF_STATS_USER, "show stat: user");
	ok(p("show cli level", &c, err) == 0 &&
	    c.cc_op == CTL_SHOW_CLI_LEVEL, "show cli level");
	/* sessions and connections */
	ok(p("shutdown sessions server maas/a", &c, err) == 0 &&
	    c.cc_op == CTL_SHUTDOWN_SRV && strcmp(c.cc_server, "a") == 0,
	    "shutdown sessions server");
	ok(p("shutdown sessions server", &c, err) == -1 &&
	    strcmp(err, "Require 'backend/server'.") == 0, "without a server");
	ok(p("show servers conn", &c, err) == 0 && c.cc_op == CTL_SHOW_CONN &&
	    c.cc_backend[0] == '\0', "show servers conn");
	ok(p("show servers conn maas", &c, err) == 0 &&
	    strcmp(c.cc_backend, "maas") == 0, "show servers conn BACKEND");
	ok(control_int("12", 0, 20, &n) == 0 && n == 12 &&
	    control_int("21", 0, 20, &n) == -1 &&
	    control_int("1 ", 0, 20, &n) == -1 &&
	    control_int("", 0, 20, &n) == -1, "control_int bounds");
	return done_testing();
}
