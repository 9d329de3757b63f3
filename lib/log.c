/* SPDX-License-Identifier: ISC */
/*
 * One line per event on stderr.  Under systemd (JOURNAL_STREAM set) each line
 * starts with "<N>" so journald keeps its priority (sd-daemon(3)); with
 * --syslog the lines go to syslog(3) instead.
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

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

/*
 * fmt formatted into buf, or, when it does not fit (a 1000-character
 * server name in it), into memory of its own: a line is never cut but
 * when memory runs out.  The caller frees what is not buf.
 */
static char * __attribute__((format(printf, 3, 0)))
log_format(char *buf, size_t len, const char *fmt, va_list ap)
{
	char *line = buf;
	va_list again;
	int n;

	va_copy(again, ap);
	n = vsnprintf(buf, len, fmt, ap);
	if (n >= 0 && (size_t)n >= len && vasprintf(&line, fmt, again) == -1)
		line = buf;
	va_end(again);
	return line;
}

void
vlog(int pri, const char *fmt, va_list ap)
{
	char buf[1024], *line;

	if (pri == LOG_DEBUG && log_verbose < 1)
		return;
	line = log_format(buf, sizeof(buf), fmt, ap);
	if (log_syslog)
		syslog(pri, "%s", line);
	else if (log_journal)
		fprintf(stderr, "<%d>%s\n", pri, line);
	else
		fprintf(stderr, "%s: %s\n", log_name, line);
	if (line != buf)
		free(line);
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
	char buf[1024], *msg;

	msg = log_format(buf, sizeof(buf), fmt, ap);
	if (saved)
		log_line(pri, "%s: %s", msg, strerror(saved));
	else
		log_line(pri, "%s", msg);
	if (msg != buf)
		free(msg);
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

/*
 * Rate limiting, per call site, as the kernel's printk_ratelimit: a burst,
 * then silence counted until the interval ends.  Off until the program has
 * started, so configuration warnings (-t, -c) each keep their line.  One
 * lock, since hashproxy logs from several threads.
 */
static pthread_mutex_t rl_lock = PTHREAD_MUTEX_INITIALIZER;
static struct log_rl *rl_sites;
static int rl_on;
static pid_t rl_pid;

static unsigned long long
rl_monotonic_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (unsigned long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static unsigned long long (*rl_now)(void) = rl_monotonic_ms;

/* For unit tests: a clock they move themselves. */
void
log_ratelimit_clock(unsigned long long (*now)(void))
{
	rl_now = now ? now : rl_monotonic_ms;
}

static void
rl_summary(struct log_rl *rl)
{
	if (rl->rl_missed == 0)
		return;
	log_line(rl->rl_pri, "%lu similar message%s suppressed (last: %s)",
	    rl->rl_missed, rl->rl_missed == 1 ? "" : "s", rl->rl_last);
	rl->rl_missed = 0;
}

/* The counts still owed, at exit (not in a forked child: they are not its). */
void
log_ratelimit_flush(void)
{
	struct log_rl *rl;

	if (!rl_on || getpid() != rl_pid)
		return;
	pthread_mutex_lock(&rl_lock);
	for (rl = rl_sites; rl; rl = rl->rl_next)
		rl_summary(rl);
	pthread_mutex_unlock(&rl_lock);
}

void
log_ratelimit_start(void)
{
	if (rl_on)
		return;
	rl_on = 1;
	rl_pid = getpid();
	atexit(log_ratelimit_flush);
}

/*
 * The line as log_warn (err != 0) or log_warnx would write it, whole (a
 * long name in it); NULL when out of memory.
 */
static char * __attribute__((format(printf, 2, 0)))
rl_format(int err, const char *fmt, va_list ap)
{
	char *s, *t;

	if (vasprintf(&s, fmt, ap) == -1)
		return NULL;
	if (err == 0)
		return s;
	if (asprintf(&t, "%s: %s", s, strerror(err)) == -1)
		t = NULL;
	free(s);
	return t;
}

void
log_rl(struct log_rl *rl, int pri, int err, const char *fmt, ...)
{
	unsigned long long now;
	va_list ap;
	char *line;
	size_t n;
	int show, saved = errno;

	if (pri == LOG_DEBUG && log_verbose < 1)
		return;
	va_start(ap, fmt);
	line = rl_format(err, fmt, ap);
	va_end(ap);
	if (line == NULL) {
		/* the format, not the line: it says where the program was */
		line = strdup(fmt);
		if (line == NULL) {
			errno = saved;
			return;
		}
	}
	if (!rl_on) {
		log_line(pri, "%s", line);
		free(line);
		errno = saved;
		return;
	}
	pthread_mutex_lock(&rl_lock);
	if (!rl->rl_listed) {
		rl->rl_listed = 1;
		rl->rl_next = rl_sites;
		rl_sites = rl;
		rl->rl_begin = rl_now();
	}
	rl->rl_pri = pri;
	now = rl_now();
	if (now - rl->rl_begin >= LOG_RL_INTERVAL_MS) {
		rl_summary(rl);
		rl->rl_begin = now;
		rl->rl_shown = 0;
	}
	if ((show = rl->rl_shown < LOG_RL_BURST))
		rl->rl_shown++;
	else {
		rl->rl_missed++;
		n = strnlen(line, sizeof(rl->rl_last) - 1);	/* a summary */
		memcpy(rl->rl_last, line, n);
		rl->rl_last[n] = '\0';
	}
	if (show)
		log_line(pri, "%s", line);
	pthread_mutex_unlock(&rl_lock);
	free(line);
	errno = saved;
}
