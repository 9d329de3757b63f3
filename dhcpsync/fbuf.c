/* SPDX-License-Identifier: ISC */
#include <stdarg.h>
#include <stdio.h>

#include "fbuf.h"

void
fbuf_printf(struct fbuf *o, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(o->buf + o->off, o->len - o->off, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= o->len - o->off)
		o->over = 1;
	else
		o->off += (size_t)n;
}
