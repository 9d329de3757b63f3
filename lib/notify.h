/* SPDX-License-Identifier: ISC */
/*
 * Readiness and liveness for supervisors: systemd's $NOTIFY_SOCKET
 * (READY=1, STOPPING=1, STATUS=, WATCHDOG=1) and s6's --ready-fd
 * (one newline, then close).
 */
#ifndef HT_NOTIFY_H
#define HT_NOTIFY_H

#include <stdint.h>

/* Checks a --ready-fd argument: an open fd >= 3.  Returns the fd or -1. */
int	notify_readyfd_parse(const char *arg);
/* Tells every supervisor we are ready (fd may be -1). */
void	notify_ready(int readyfd);
void	notify_stopping(void);
void	notify_status(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void	notify_watchdog(void);
/* The watchdog period systemd asked for (WATCHDOG_USEC), 0 if none. */
uint64_t notify_watchdog_usec(void);
/* Sends one raw message to $NOTIFY_SOCKET; 0 if sent or no socket, -1 on error. */
int	notify_send(const char *msg);

#endif
