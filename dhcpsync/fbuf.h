/* SPDX-License-Identifier: ISC */
/*
 * Text into a caller's fixed buffer, for the writers of lease blocks and
 * peer records: a piece that does not fit marks the whole result as too
 * long, rather than leave a record cut short.
 */
#ifndef DS_FBUF_H
#define DS_FBUF_H

#include <stddef.h>

struct fbuf {
	char	*buf;
	size_t	 len, off;
	int	 over;		/* something did not fit */
};

void	fbuf_printf(struct fbuf *, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));

#endif
