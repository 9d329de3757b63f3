/* SPDX-License-Identifier: ISC */
/* Diagnostics on stderr (journald priorities when JOURNAL_STREAM is set) or syslog. */
#ifndef HT_LOG_H
#define HT_LOG_H

#include <errno.h>
#include <stdarg.h>
#include <syslog.h>

void	log_init(const char *progname, int use_syslog);
void	log_setverbose(int level);
int	log_getverbose(void);
const char *log_progname(void);

/* _warn variants append strerror(errno); _warnx ones do not (relayd's pair). */
void	log_warn(const char *, ...) __attribute__((format(printf, 1, 2)));
void	log_warnx(const char *, ...) __attribute__((format(printf, 1, 2)));
void	log_notice(const char *, ...) __attribute__((format(printf, 1, 2)));
void	log_info(const char *, ...) __attribute__((format(printf, 1, 2)));
void	log_debug(const char *, ...) __attribute__((format(printf, 1, 2)));
void	fatal(int, const char *, ...)
	    __attribute__((format(printf, 2, 3), noreturn));
void	fatalx(int, const char *, ...)
	    __attribute__((format(printf, 2, 3), noreturn));
void	vlog(int pri, const char *, va_list) __attribute__((format(printf, 2, 0)));

/*
 * Rate-limited diagnostics, for lines that input from outside can cause
 * once per packet, record, connection or command.  Each call site has its
 * own budget: once log_ratelimit_start() has been called, a site writes at
 * most LOG_RL_BURST lines per LOG_RL_INTERVAL_MS, counts the rest, and says
 * "N similar messages suppressed (last: ...)" when it next writes, or when
 * the program exits.  Before log_ratelimit_start() (configuration, -t, -c)
 * every line is written.
 */
#define LOG_RL_BURST		10
#define LOG_RL_INTERVAL_MS	5000

struct log_rl {
	struct log_rl	*rl_next;	/* on the list of sites that have spoken */
	int		 rl_listed;
	int		 rl_pri;
	unsigned long long rl_begin;	/* start of the interval, ms */
	unsigned	 rl_shown;
	unsigned long	 rl_missed;
	char		 rl_last[256];	/* the last suppressed line */
};

void	log_ratelimit_start(void);
void	log_ratelimit_flush(void);
void	log_ratelimit_clock(unsigned long long (*)(void));
void	log_rl(struct log_rl *, int pri, int err, const char *, ...)
	    __attribute__((format(printf, 4, 5)));

#define LOG_RL_SITE(pri, err, ...) do {					\
	static struct log_rl log_rl_site_;				\
	log_rl(&log_rl_site_, (pri), (err), __VA_ARGS__);		\
} while (0)
#define log_warn_rl(...)	LOG_RL_SITE(LOG_WARNING, errno, __VA_ARGS__)
#define log_warnx_rl(...)	LOG_RL_SITE(LOG_WARNING, 0, __VA_ARGS__)
#define log_notice_rl(...)	LOG_RL_SITE(LOG_NOTICE, 0, __VA_ARGS__)
#define log_info_rl(...)	LOG_RL_SITE(LOG_INFO, 0, __VA_ARGS__)
#define log_debug_rl(...)	LOG_RL_SITE(LOG_DEBUG, 0, __VA_ARGS__)

#endif
