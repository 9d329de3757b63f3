/*
 * One line per event on stderr.  Under systemd (JOURNAL_STREAM set) each line
 * starts with "<N>" so journald keeps its priority (sd-daemon(3)); with
 * --syslog the lines go to syslog(3) instead.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>

#include "log.h"

static const char *log_name = "hatools";
static int log_syslog;
static int log_journal;
static int log_verbose;

void
log_init(const char *progname, int use_syslog)
{
	const char *p = strrchr(progname, '/');

	log_name = p ? p + 1 : progname;
	log_syslog = use_syslog;
	log_journal = getenv("JOURNAL_STREAM") != NULL;
	if (log_syslog)
		openlog(log_name, LOG_PID | LOG_NDELAY, LOG_DAEMON);
}

void
log_setverbose(int level)
{
	log_verbose = level;
}

int
log_getverbose(void)
{
	return log_verbose;
}

const char *
log_progname(void)
{
	return log_name;
}

void
vlog(int pri, const char *fmt, va_list ap)
{
	char line[1024];

	if (pri == LOG_DEBUG && log_verbose < 1)
		return;
	vsnprintf(line, sizeof(line), fmt, ap);
	if (log_syslog)
		syslog(pri, "%s", line);
	else if (log_journal)
		fprintf(stderr, "<%d>%s\n", pri, line);
	else
		fprintf(stderr, "%s: %s\n", log_name, line);
}

static void __attribute__((format(printf, 2, 3)))
log_line(int pri, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vlog(pri, fmt, ap);
	va_end(ap);
}

/* Formats fmt, then appends ": strerror(saved)" when saved is non-zero. */
static void __attribute__((format(printf, 3, 0)))
log_with_errno(int pri, int saved, const char *fmt, va_list ap)
{
	char msg[900];

	vsnprintf(msg, sizeof(msg), fmt, ap);
	if (saved)
		log_line(pri, "%s: %s", msg, strerror(saved));
	else
		log_line(pri, "%s", msg);
}

void
log_warn(const char *fmt, ...)
{
	int saved = errno;
	va_list ap;

	va_start(ap, fmt);
	log_with_errno(LOG_WARNING, saved, fmt, ap);
	va_end(ap);
	errno = saved;
}

#define LOG_AT(name, pri)				\
void							\
name(const char *fmt, ...)				\
{							\
	va_list ap;					\
							\
	va_start(ap, fmt);				\
	vlog(pri, fmt, ap);				\
	va_end(ap);					\
}

LOG_AT(log_warnx, LOG_WARNING)
LOG_AT(log_notice, LOG_NOTICE)
LOG_AT(log_info, LOG_INFO)
LOG_AT(log_debug, LOG_DEBUG)

void
fatal(int code, const char *fmt, ...)
{
	int saved = errno;
	va_list ap;

	va_start(ap, fmt);
	log_with_errno(LOG_CRIT, saved, fmt, ap);
	va_end(ap);
	exit(code);
}

void
fatalx(int code, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vlog(LOG_CRIT, fmt, ap);
	va_end(ap);
	exit(code);
}
