/* SPDX-License-Identifier: ISC */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "log.h"
#include "tap.h"

static int pipefd[2];

/* What the next log call wrote to stderr. */
static const char *
captured(void)
{
	static char buf[8192];
	ssize_t n;

	fflush(stderr);
	n = read(pipefd[0], buf, sizeof(buf) - 1);
	buf[n > 0 ? n : 0] = '\0';
	return buf;
}

static unsigned long long fake_ms;

static unsigned long long
fake_now(void)
{
	return fake_ms;
}

/* Lines in what the log wrote since the last look. */
static int
lines(const char *s)
{
	int n = 0;

	for (; *s; s++)
		n += *s == '\n';
	return n;
}

static void
flood(int n)
{
	int i;

	for (i = 0; i < n; i++)
		log_warnx_rl("bad packet %d from %s", i, "192.0.2.1");
}

static void
ratelimit_tests(void)
{
	char longmsg[3000];
	const char *s;
	int i;

	unsetenv("JOURNAL_STREAM");
	log_init("vrrpd", 0);
	log_ratelimit_clock(fake_now);
	fake_ms = 1000000;

	for (i = 0; i < 30; i++)
		log_warnx_rl("config line %d", i);
	is_int(lines(captured()), 30, "before start-up every line is written");

	log_ratelimit_start();
	flood(25);
	s = captured();
	is_int(lines(s), LOG_RL_BURST, "a flood: the first %d lines only",
	    LOG_RL_BURST);
	ok(strstr(s, "bad packet 9 from") && !strstr(s, "bad packet 10 "),
	    "the burst is the first lines");
	fake_ms += LOG_RL_INTERVAL_MS - 1;
	flood(5);
	is_str(captured(), "", "still suppressed within the interval");
	fake_ms += 1;
	flood(1);
	s = captured();
	is_str(s, "vrrpd: 20 similar messages suppressed (last: bad packet 4 "
	    "from 192.0.2.1)\nvrrpd: bad packet 0 from 192.0.2.1\n",
	    "after the interval: the count, the last text, then the line");

	for (i = 0; i < 3; i++)
		log_warnx_rl("another site %d", i);
	is_int(lines(captured()), 3, "each call site has its own budget");

	flood(LOG_RL_BURST + 2);
	is_int(lines(captured()), LOG_RL_BURST - 1, "the budget is per interval");
	log_ratelimit_flush();
	is_str(captured(), "vrrpd: 3 similar messages suppressed (last: bad "
	    "packet 11 from 192.0.2.1)\n", "flush (at exit) owes the count");
	log_ratelimit_flush();
	is_str(captured(), "", "and owes it once");

	errno = EMFILE;
	for (i = 0; i < LOG_RL_BURST + 1; i++)
		log_warn_rl("accept");
	ok(errno == EMFILE, "errno kept");
	log_ratelimit_flush();
	s = captured();
	ok(strstr(s, "vrrpd: accept: Too many open files\n") &&
	    strstr(s, "(last: accept: Too many open files)"),
	    "log_warn_rl appends strerror(errno)");
	fake_ms += LOG_RL_INTERVAL_MS;
	memset(longmsg, 'y', sizeof(longmsg) - 1);
	longmsg[sizeof(longmsg) - 1] = '\0';
	errno = EPIPE;
	log_warn_rl("%s", longmsg);
	s = captured();
	ok(strncmp(s, "vrrpd: ", 7) == 0 && strspn(s + 7, "y") ==
	    strlen(longmsg) && strcmp(s + 7 + strlen(longmsg), ": Broken "
	    "pipe\n") == 0, "a rate-limited line of 2999 characters is "
	    "written whole, strerror after it (was cut at 900 bytes)");
	log_setverbose(0);
	for (i = 0; i < 100; i++)
		log_debug_rl("hidden");
	log_ratelimit_flush();
	is_str(captured(), "", "hidden debug lines are not counted");
}

int
main(void)
{
	char longmsg[3000];
	const char *s;

	if (pipe2(pipefd, O_NONBLOCK) == -1 || dup2(pipefd[1], STDERR_FILENO) == -1)
		return 1;
	setvbuf(stderr, NULL, _IONBF, 0);

	unsetenv("JOURNAL_STREAM");
	log_init("/usr/sbin/vrrpd", 0);
	is_str(log_progname(), "vrrpd", "program name without its directory");
	log_warnx("%s: bad value", "keepalived.conf:3");
	is_str(captured(), "vrrpd: keepalived.conf:3: bad value\n",
	    "plain stderr: name, message, newline");
	errno = ENOENT;
	log_warn("open %s", "/etc/x");
	is_str(captured(), "vrrpd: open /etc/x: No such file or directory\n",
	    "log_warn appends strerror(errno)");
	ok(errno == ENOENT, "log_warn keeps errno");
	log_debug("hidden");
	log_info("shown");
	is_str(captured(), "vrrpd: shown\n", "debug hidden unless verbose");
	log_setverbose(1);
	log_debug("now shown");
	is_str(captured(), "vrrpd: now shown\n", "debug shown when verbose");

	setenv("JOURNAL_STREAM", "8:12345", 1);
	log_init("vrrpd", 0);
	log_warnx("w");
	is_str(captured(), "<4>w\n", "journald: <4> for a warning, no name");
	log_notice("n");
	is_str(captured(), "<5>n\n", "journald: <5> for a notice");
	log_info("i");
	is_str(captured(), "<6>i\n", "journald: <6> for info");
	log_debug("d");
	is_str(captured(), "<7>d\n", "journald: <7> for debug");

	memset(longmsg, 'x', sizeof(longmsg) - 1);
	longmsg[sizeof(longmsg) - 1] = '\0';
	log_info("%s", longmsg);
	s = captured();
	ok(strlen(s) == 3 + strlen(longmsg) + 1 && strncmp(s, "<6>", 3) == 0 &&
	    strspn(s + 3, "x") == strlen(longmsg) && s[strlen(s) - 1] == '\n',
	    "a 2999-character message is written whole (a long name in it)");
	errno = ENOENT;
	log_warn("%s", longmsg);
	s = captured();
	ok(strlen(s) == 3 + strlen(longmsg) + strlen(": No such file or "
	    "directory") + 1, "and log_warn's, with strerror after it");
	ratelimit_tests();
	return done_testing();
}
