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

void
msgchk_vadd(struct msgchk *c, int warn, const char *file, int line,
    const char *what, const char *name, const char *fmt, va_list ap)
{
	char msg[512];

	if (!warn)
		c->mc_nerr++;
	vsnprintf(msg, sizeof(msg), fmt, ap);
	if (file)
		msgbuf_add(c->mc_err, c->mc_len, "%s:%d: %s%s %s: %s\n", file,
		    line, warn ? "warning: " : "", what, name, msg);
	else
		msgbuf_add(c->mc_err, c->mc_len, "command line: %s%s %s: %s\n",
		    warn ? "warning: " : "", what, name, msg);
}
