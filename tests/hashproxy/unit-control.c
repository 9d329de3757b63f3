/* control.c: the stats socket command parser. */
#include <string.h>

#include "tap.h"
#include "control.h"
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
	return done_testing();
}
