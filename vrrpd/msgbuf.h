/* SPDX-License-Identifier: ISC */
/*
 * The message buffers the config checks fill for the caller to print or
 * log: lines appended one after another, the last cut short when the
 * buffer is full, never written past its end.
 */
#ifndef VRRPD_MSGBUF_H
#define VRRPD_MSGBUF_H

#include <stdarg.h>
#include <stddef.h>

/* Appends to err (NULL: nothing); 1, so an error can be counted. */
int	msgbuf_add(char *err, size_t errlen, const char *fmt, ...)
	    __attribute__((format(printf, 3, 4)));
int	msgbuf_vadd(char *err, size_t errlen, const char *fmt, va_list ap)
	    __attribute__((format(printf, 3, 0)));

/* A check's messages, and its errors counted (its warnings are not). */
struct msgchk {
	char	*mc_err;
	size_t	 mc_len;
	int	 mc_nerr;
};

/*
 * "FILE:LINE: [warning: ]WHAT NAME: MESSAGE", or "command line: ..."
 * where no file gave it.
 */
void	msgchk_vadd(struct msgchk *, int warn, const char *file, int line,
	    const char *what, const char *name, const char *fmt, va_list ap)
	    __attribute__((format(printf, 7, 0)));

#endif
