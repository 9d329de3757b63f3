/* SPDX-License-Identifier: ISC */
/*
 * ISC dhcpd's lease file (dhcpd.leases(5)): an append-only journal of
 * "lease ADDR { ... }" blocks where a later block for an address supersedes
 * an earlier one.  Pure functions over a buffer, no I/O: dhcpd-file.c
 * reads it, dhcpd-write.c writes it.
 */
#ifndef DS_DHCPD_FILE_H
#define DS_DHCPD_FILE_H

#include <stddef.h>
#include <stdint.h>

#include "record.h"

#define LEASES_STMT_MAX	(64 * 1024)	/* one top-level statement */
#define LEASES_LINE_MAX	4096		/* a comment */
/* dhcpd's lexer keeps a token in 1,500 bytes, NUL included. */
#define LEASES_TOKEN_MAX 1499
/* Such a token as a string with every byte written \ooo. */
#define LEASES_STRING_MAX (4 * LEASES_TOKEN_MAX + 2)
/* One block as leases_format() writes it. */
#define LEASES_TEXT_MAX	(LEASE_EXTRA_MAX + 4096)

/*
 * Called per lease block, in file order, with the offset in buf just past
 * the block; a non-zero return stops the parse.
 */
typedef int (*leases_cb)(const struct lease *, size_t end, void *arg);

/* A statement the parser could not take and stepped over. */
struct leases_skip {
	int	 ls_lease;	/* a lease block (else another statement) */
	int	 ls_have_addr;	/* its address parsed */
	uint32_t ls_addr;
	int	 ls_line;	/* where it starts */
	const char *ls_why;	/* "FILE:LINE: problem" */
};
/* Called per skipped statement; a non-zero return stops the parse. */
typedef int (*leases_skip_cb)(const struct leases_skip *, size_t end,
	    void *arg);

/*
 * Parses buf.  Errors read "FILE:LINE: field: problem".  When final is 0 a
 * statement cut off by the end of buf is not an error: *used stops before
 * it (a file being appended to).  line0 is buf's first line number.
 * Returns 0, or -1 with err set (then nothing after *used was delivered).
 *
 * With skip NULL any statement that does not parse is that error.  With
 * a skip callback one that does is stepped over to its ';' or to the '}'
 * closing its block, and reported; only text whose end cannot be found
 * (a '}' closing nothing, no '}' within LEASES_STMT_MAX, a final buffer
 * ending inside it) is still an error.
 */
int	leases_parse(const char *buf, size_t len, const char *file, int line0,
	    int final, leases_cb cb, leases_skip_cb skip, void *arg,
	    size_t *used, int *lines, char *err, size_t errlen);

/* One "lease ADDR {...}\n" block in dhcpd's format; length or -1. */
int	leases_format(const struct lease *, char *buf, size_t len);
/* The header dhcpd writes at the top of a fresh file. */
const char *leases_header(void);

#endif
