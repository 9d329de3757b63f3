#include <errno.h>
#include <stdlib.h>
#include <unistd.h>

#include "log.h"
#include "tap.h"

static int pipefd[2];

/* What the next log call wrote to stderr. */
static const char *
captured(void)
{
	static char buf[2048];
	ssize_t n;

	fflush(stderr);
	n = read(pipefd[0], buf, sizeof(buf) - 1);
	buf[n > 0 ? n : 0] = '\0';
	return buf;
}

int
main(void)
{
	char longmsg[3000];

	if (pipe(pipefd) == -1 || dup2(pipefd[1], STDERR_FILENO) == -1)
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
	ok(strlen(captured()) < 1100, "an over-long message is cut, not overflowed");
	return done_testing();
}
