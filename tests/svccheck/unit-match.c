/* SPDX-License-Identifier: ISC */
/* match.c: the /proc/PID/stat parser and the name matcher. */
#include <string.h>

#include "match.h"
#include "tap.h"

static int
full(const char *name, const char *comm, const char *cmd, size_t cmdlen,
    const char *exe)
{
	struct procinfo pi = { comm, cmd, cmdlen, exe };

	return match_full(name, &pi);
}

#define CMD(s) s, sizeof(s) - 1

static void
test_stat(void)
{
	struct procstat st;
	char err[128];
	const char *l;

	l = "1234 (named) S 1 1234 1234 0 -1 4194560 123 0 0 0\n";
	is_int(match_stat_parse(l, strlen(l), &st, err, sizeof(err)), 0,
	    "plain stat line");
	is_int(st.ps_pid, 1234, "pid");
	is_str(st.ps_comm, "named", "comm");
	is_int(st.ps_state, 'S', "state");
	is_int(st.ps_ppid, 1, "ppid");
	is_int(st.ps_flags, 4194560, "flags");
	l = "77 (a) b) (c) Z 5 77 77 0 -1 2097152 0";
	is_int(match_stat_parse(l, strlen(l), &st, err, sizeof(err)), 0,
	    "comm with spaces and parentheses");
	is_str(st.ps_comm, "a) b) (c", "comm ends at the last ')'");
	is_int(st.ps_state, 'Z', "zombie state");
	ok(!match_state_alive(st.ps_state), "a zombie is not alive");
	ok(match_state_alive('T'), "a stopped process is alive");
	ok(match_state_alive('S') && match_state_alive('D'), "S, D alive");
	l = "12 (0123456789abcdefg) S 1 1 1 0 -1 0";
	is_int(match_stat_parse(l, strlen(l), &st, err, sizeof(err)), -1,
	    "comm longer than 15 refused");
	ok(strstr(err, "comm") != NULL, "error names comm: %s", err);
	l = "12 (x) S x";
	is_int(match_stat_parse(l, strlen(l), &st, err, sizeof(err)), -1,
	    "truncated line refused");
	ok(strstr(err, "ppid") != NULL, "error names ppid: %s", err);
	l = "x (x) S 1 1 1 0 -1 0";
	is_int(match_stat_parse(l, strlen(l), &st, err, sizeof(err)), -1,
	    "bad pid refused");
	is_int(match_stat_parse("", 0, &st, err, sizeof(err)), -1,
	    "empty refused");
	l = "12 (x) S 1 1 1 0 -1";
	is_int(match_stat_parse(l, strlen(l), &st, err, sizeof(err)), -1,
	    "no flags refused");
}

static void
test_names(void)
{
	is_int(match_comm("named", "named"), 1, "exact comm");
	is_int(match_comm("named", "named-checkconf"), 0,
	    "named does not match named-checkconf");
	is_int(match_comm("named-checkconf", "named"), 0,
	    "named-checkconf does not match named");
	is_int(match_comm("name", "named"), 0, "no prefix match");
	is_int(match_comm("amed", "named"), 0, "no suffix match");
	is_int(match_comm("named", "bash"), 2, "interpreter: ask cmdline");
	is_int(match_comm("svc-abcdefghijklmnop", "svc-abcdefghijk"), 2,
	    "long name: truncated comm needs cmdline");
	ok(full("named", "named", NULL, 0, NULL), "named by comm alone");
	ok(!full("named", "sleep", CMD("named\0" "100"), NULL),
	    "argv[0] alone does not rename a short-named process");
	ok(full("svc-abcdefghijklmnop", "svc-abcdefghijk",
	    CMD("/opt/svc-abcdefghijklmnop\0-f"), NULL),
	    "20-char name by argv[0]");
	ok(!full("svc-abcdefghijklmnop", "svc-abcdefghijk",
	    CMD("/opt/svc-abcdefghijklmnopq"), NULL),
	    "20-char name: a longer argv[0] is another program");
	ok(full("svc-abcdefghijklmnop", "svc-abcdefghijk",
	    CMD("svc: worker"), "/opt/svc-abcdefghijklmnop"),
	    "20-char name by exe when argv[0] was rewritten");
	ok(full("svc-abcdefghijklmnop", "svc-abcdefghijk",
	    CMD("svc: worker"), "/opt/svc-abcdefghijklmnop (deleted)"),
	    "exe of a replaced binary still counts");
	ok(!full("svc-abcdefghijklmnop", "svc-abcdefghijk", NULL, 0, NULL),
	    "20-char name: comm alone is not enough");
	ok(full("named-checkconf", "named-checkconf", NULL, 0, NULL),
	    "exactly 15 chars by comm");
	ok(!full("named-checkconf", "named-checkconf",
	    CMD("/usr/bin/named-checkconfig"), NULL),
	    "15 chars: argv[0] shows a longer program");
	ok(!full("named-checkconf", "named-checkconf",
	    CMD("/bin/sh\0/usr/bin/named-checkconf.sh"), "/usr/bin/dash"),
	    "15 chars: a script run directly shows a longer file name");
	ok(full("named-checkconf", "named-checkconf",
	    CMD("/bin/sh\0/usr/bin/named-checkconf"), "/usr/bin/dash"),
	    "15 chars: a script of that very name");
	ok(full("check.sh", "bash", CMD("bash\0/usr/local/bin/check.sh"),
	    NULL), "script by file name (bash check.sh)");
	ok(full("check.sh", "sh", CMD("/bin/sh\0-e\0./check.sh\0x"), NULL),
	    "script after an interpreter option");
	ok(!full("check.sh", "bash", CMD("bash\0-c\0check.sh"), NULL),
	    "not a script name in an option's place");
	ok(!full("check.sh", "vim", CMD("vim\0check.sh"), NULL),
	    "an editor of the script is not the script");
	ok(!full("check.sh", "bash", CMD("bash\0check.sh.bak"), NULL),
	    "script name exact");
	ok(full("a-long-script-name.sh", "bash",
	    CMD("/bin/bash\0/x/a-long-script-name.sh"), NULL),
	    "long script name");
	ok(match_is_interp("python3.11"), "python3.11 is an interpreter");
	ok(!match_is_interp("named"), "named is not");
	ok(match_exe("/usr/sbin/named", "/usr/sbin/named"), "exe equal");
	ok(match_exe("/usr/sbin/named", "/usr/sbin/named (deleted)"),
	    "exe deleted");
	ok(!match_exe("/usr/sbin/named", "/usr/sbin/named2"), "exe differs");
	ok(!match_exe("/usr/sbin/nam", "/usr/sbin/named"), "exe prefix");
}

int
main(void)
{
	test_stat();
	test_names();
	return done_testing();
}
