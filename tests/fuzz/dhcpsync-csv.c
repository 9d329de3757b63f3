/* SPDX-License-Identifier: ISC */
/*
 * libFuzzer: the kea-leases4.csv reader.  Property: a lease it accepts,
 * written as a Kea row, reads back to the same canonical record.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kea-csv.h"
#include "record.h"

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

static int
count(const struct lease *l, size_t end, void *arg)
{
	(*(size_t *)arg)++;
	return 0;
}

/*
 * Property: read in two pieces as a follower does (first byte picks the
 * cut), the same rows come out as in one piece.
 */
static void
pieces(const char *buf, size_t len, size_t cut)
{
	struct csv_hdr h1 = { .ch_ncol = 0 }, h2 = { .ch_ncol = 0 };
	size_t n1 = 0, n2 = 0, used, used2;
	char err[512];
	int lines, rc1, rc2 = 0;

	rc1 = csv_parse_more(buf, len, "f", 1, 1, &h1, count, &n1, &used,
	    &lines, err, sizeof(err));
	if (cut > len)
		cut = len;
	if (csv_parse_more(buf, cut, "f", 1, 0, &h2, count, &n2, &used,
	    &lines, err, sizeof(err)) == -1)
		rc2 = -1;
	else
		rc2 = csv_parse_more(buf + used, len - used, "f", lines, 1,
		    &h2, count, &n2, &used2, &lines, err, sizeof(err));
	if (rc1 == 0 && (rc2 != 0 || n1 != n2))
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char err[512];

	csv_parse((const char *)data, size, "f", check, NULL, err, sizeof(err));
	if (size > 1)
		pieces((const char *)data + 1, size - 1, data[0] * 8);
	return 0;
}
