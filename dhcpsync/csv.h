/*
 * Kea's memfile lease file for DHCPv4 (kea-leases4.csv): a header naming
 * the columns, then one row per lease change (a later row for an address
 * supersedes an earlier one).  Columns are found by name, so newer Kea
 * versions that add some still read.  Pure functions over a buffer.
 */
#ifndef DS_CSV_H
#define DS_CSV_H

#include <stddef.h>
#include <stdint.h>

#include "leases.h"

#define CSV_LINE_MAX	4096
#define CSV_COLS_MAX	32

/* Errors read "FILE:LINE: column: problem"; 0 or -1. */
int	csv_parse(const char *buf, size_t len, const char *file, leases_cb,
	    void *arg, char *err, size_t errlen);
const char *csv_header(void);
/* One row; 0 if the lease has no Kea equivalent (skip), -1 if too long. */
int	csv_format(const struct lease *, uint32_t subnet_id, char *, size_t);

#endif
