/* SPDX-License-Identifier: ISC */
/*
 * libFuzzer: the command dhcpsync sends Kea for a lease.  The input is a
 * canonical record (what a peer's R line carries, see record.h), the
 * first byte a --subnet-id.  Properties, for every lease that decodes:
 * - the command fits the buffer kea_apply() sends from (4096 bytes), and
 *   a buffer one byte short is refused, not overrun;
 * - it is one valid JSON object (RFC 8259) with no raw control bytes,
 *   checked by json.c, the reader that vets a lease's user context, not
 *   by the builder's own code;
 * - it names the lease's address, and an update its hardware address
 *   (empty for a lease with none).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "kea-ctl.h"
#include "record.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

#define KEA_CMD_BUF	8192	/* kea_apply()'s */
/*
 * A user context is checked 32 deep (json.c) and sits 2 deep in the
 * command: the command's own bound is deeper.
 */
#define KEA_CMD_DEPTH	(32 + 2)

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char buf[KEA_CMD_BUF], small[KEA_CMD_BUF];
	char err[128], want[128], ip[16];
	struct lease l;
	uint32_t subnet;
	size_t i;
	int n;

	if (size < 1)
		return 0;
	subnet = data[0] < 0x80 ? 0 : data[0] * 0x01010101u;
	if (lease_decode((const char *)data + 1, size - 1, &l, err,
	    sizeof(err)) == -1)
		return 0;
	memset(buf, 'x', sizeof(buf));
	if ((n = kea_command(&l, subnet, buf, sizeof(buf))) < 0 ||
	    (size_t)n != strlen(buf))
		abort();
	if (!json_object_valid_depth(buf, (size_t)n, KEA_CMD_DEPTH))
		abort();
	memset(small, 'x', sizeof(small));
	if (kea_command(&l, subnet, small, (size_t)n) != -1 ||
	    small[n] != 'x')
		abort();
	lease_addr_format(l.l_addr, ip, sizeof(ip));
	snprintf(want, sizeof(want), "\"ip-address\": \"%s\"", ip);
	if (strstr(buf, want) == NULL)
		abort();
	if (strstr(buf, "\"lease4-update\"") != NULL) {
		/* "" when it has none: Kea's declined row */
		n = snprintf(want, sizeof(want), "\"hw-address\": \"");
		for (i = 0; i < l.l_hwlen; i++)
			n += snprintf(want + n, sizeof(want) - (size_t)n,
			    "%s%02x", i ? ":" : "", l.l_hw[i]);
		snprintf(want + n, sizeof(want) - (size_t)n, "\"");
		if (strstr(buf, want) == NULL)
			abort();
	}
	return 0;
}
