/* SPDX-License-Identifier: ISC */
/*
 * libFuzzer: the dhcpd.leases parser, whole-file and following modes.
 * Property: every lease it accepts formats in dhcpd's format, and that
 * text parses back to the same canonical record; with the skip callback
 * a file either parses to its end or fails, never reads past it.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "record.h"
#include "dhcpd-file.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static int
encode_one(const struct lease *l, size_t end, void *arg)
{
	if (lease_encode(l, arg, LEASE_REC_MAX) < 0)
		abort();
	return 0;
}

static int
roundtrip(const struct lease *l, size_t end, void *arg)
{
	static char rec[LEASE_REC_MAX], back[LEASE_REC_MAX];
	char text[LEASES_TEXT_MAX], err[256];
	size_t used;
	int n, lines;

	if (lease_encode(l, rec, sizeof(rec)) < 0)
		abort();
	if ((n = leases_format(l, text, sizeof(text))) < 0)
		abort();
	back[0] = '\0';
	if (leases_parse(text, (size_t)n, "re", 1, 1, encode_one, NULL, back,
	    &used, &lines, err, sizeof(err)) == -1 || strcmp(rec, back) != 0)
		abort();
	return 0;
}

static size_t fuzz_size;

static int
skipped(const struct leases_skip *sk, size_t end, void *arg)
{
	if (end > fuzz_size || sk->ls_why[0] == '\0')
		abort();
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char err[512];
	size_t used;
	int lines;

	fuzz_size = size;
	if (leases_parse((const char *)data, size, "f", 1, 1, roundtrip, NULL,
	    NULL, &used, &lines, err, sizeof(err)) == 0 && used != size)
		abort();
	used = 0;
	leases_parse((const char *)data, size, "f", 1, 0, roundtrip, NULL,
	    NULL, &used, &lines, err, sizeof(err));
	if (used > size)
		abort();
	if (leases_parse((const char *)data, size, "f", 1, 1, roundtrip,
	    skipped, NULL, &used, &lines, err, sizeof(err)) == 0 &&
	    used != size)
		abort();
	used = 0;
	leases_parse((const char *)data, size, "f", 1, 0, roundtrip, skipped,
	    NULL, &used, &lines, err, sizeof(err));
	if (used > size)
		abort();
	return 0;
}
