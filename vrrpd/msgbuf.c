/* SPDX-License-Identifier: ISC */
#include <stdio.h>
#include <string.h>

#include "msgbuf.h"

int
msgbuf_vadd(char *err, size_t errlen, const char *fmt, va_list ap)
{
	size_t off = err ? strlen(err) : 0;

	if (err != NULL && off + 1 < errlen)
		vsnprintf(err + off, errlen - off, fmt, ap);
	return 1;
}

int
msgbuf_add(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	msgbuf_vadd(err, errlen, fmt, ap);
	va_end(ap);
	return 1;
}
