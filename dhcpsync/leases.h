/*
 * ISC dhcpd's lease file (dhcpd.leases(5)): an append-only journal of
 * "lease ADDR { ... }" blocks where a later block for an address supersedes
 * an earlier one.  Pure functions over a buffer, no I/O.
 */
#ifndef DS_LEASES_H
#define DS_LEASES_H

#include <stddef.h>

#include "lease.h"

#define LEASES_STMT_MAX	(64 * 1024)	/* one top-level statement */
#define LEASES_LINE_MAX	4096

/*
 * Called per lease block, in file order, with the offset in buf just past
 * the block; a non-zero return stops the parse.
 */
typedef int (*leases_cb)(const struct lease *, size_t end, void *arg);

/*
 * Parses buf.  Errors read "FILE:LINE: field: problem".  When final is 0 a
 * statement cut off by the end of buf is not an error: *used stops before
 * it (a file being appended to).  line0 is buf's first line number.
 * Returns 0, or -1 with err set (then nothing after *used was delivered).
 */
int	leases_parse(const char *buf, size_t len, const char *file, int line0,
	    int final, leases_cb cb, void *arg, size_t *used, int *lines,
	    char *err, size_t errlen);

/* One "lease ADDR {...}\n" block in dhcpd's format; length or -1. */
int	leases_format(const struct lease *, char *buf, size_t len);
/* The header dhcpd writes at the top of a fresh file. */
const char *leases_header(void);

#endif
