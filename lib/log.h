/* Diagnostics on stderr (journald priorities when JOURNAL_STREAM is set) or syslog. */
#ifndef HT_LOG_H
#define HT_LOG_H

#include <stdarg.h>

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

#endif
