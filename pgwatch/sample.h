/* SPDX-License-Identifier: ISC */
/*
 * The one query pgwatch sends and the parsing of its answer, plus the
 * classing of libpq's error text into a one-word reason.  No I/O.
 */
#ifndef PGWATCH_SAMPLE_H
#define PGWATCH_SAMPLE_H

#include "pgwatch.h"

#define SAMPLE_NCOLS	13

extern const char sample_query[];

/* "16/B374D848" -> 0x16B374D848; 0 or -1. */
int	sample_lsn(const char *s, uint64_t *lsn);
char	*sample_lsn_fmt(uint64_t lsn, char *buf, size_t len);
/* One row of sample_query as text (NULL for SQL NULL); 0 or -1 with err. */
int	sample_parse(const char *const *col, int ncol, struct sample *s,
	    char *err, size_t errlen);
/* Marks s down with a reason drawn from libpq's message. */
void	sample_down(struct sample *s, const char *reason, const char *msg);
const char *sample_reason(const char *msg);

#endif
