/* SPDX-License-Identifier: ISC */
/*
 * Pure parsers report a problem into the caller's buffer and return -1,
 * so one line can both fill the message and fail:
 *	return errbuf_set(err, errlen, "port \"%s\": too large", s);
 */
#ifndef HT_ERRBUF_H
#define HT_ERRBUF_H

#include <stdarg.h>
#include <stdio.h>

static inline int __attribute__((format(printf, 3, 4)))
errbuf_set(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	if (err != NULL && errlen > 0) {
		va_start(ap, fmt);
		vsnprintf(err, errlen, fmt, ap);
		va_end(ap);
	}
	return -1;
}

#endif
