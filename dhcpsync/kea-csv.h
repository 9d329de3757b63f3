/* SPDX-License-Identifier: ISC */
/*
 * Kea's memfile lease file for DHCPv4 (kea-leases4.csv): a header naming
 * the columns, then one row per lease change (a later row for an address
 * supersedes an earlier one).  Columns are found by name, so newer Kea
 * versions that add some still read.  Pure functions over a buffer.
 */
#ifndef DS_KEA_CSV_H
#define DS_KEA_CSV_H

#include <stddef.h>
#include <stdint.h>

#include "dhcpd-file.h"

#define CSV_LINE_MAX	4096
#define CSV_COLS_MAX	32

/* Where the header put each column we read; ch_ncol 0: no header yet. */
struct csv_hdr {
	int	 ch_col[16];
	int	 ch_ncol;
};

/* Errors read "FILE:LINE: column: problem"; 0 or -1. */
int	csv_parse(const char *buf, size_t len, const char *file, leases_cb,
	    void *arg, char *err, size_t errlen);
/*
 * The same for a file being appended to, as leases_parse(): the header
 * seen so far is kept in *h between calls; when final is 0 a row without
 * its '\n' is left for later (*used stops before it).  The callback's end
 * is the offset just past the row's '\n'.
 */
int	csv_parse_more(const char *buf, size_t len, const char *file,
	    int line0, int final, struct csv_hdr *h, leases_cb cb, void *arg,
	    size_t *used, int *lines, char *err, size_t errlen);
/*
 * The same, with rows that do not read (a bad value, the wrong number of
 * columns) stepped over and reported to skip, as Kea skips them, instead
 * of being the error.
 */
int	csv_parse_skip(const char *buf, size_t len, const char *file,
	    int line0, int final, struct csv_hdr *h, leases_cb cb,
	    leases_skip_cb skip, void *arg, size_t *used, int *lines,
	    char *err, size_t errlen);
const char *csv_header(void);
/* One row; 0 if the lease has no Kea equivalent (skip), -1 if too long. */
int	csv_format(const struct lease *, uint32_t subnet_id, char *, size_t);

#endif
