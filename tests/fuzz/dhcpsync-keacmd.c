/* SPDX-License-Identifier: ISC */
/*
 * libFuzzer: the command dhcpsync sends Kea for a lease.  The input is a
 * canonical record (what a peer's R line carries, see record.h), the
 * first byte a --subnet-id.  Properties, for every lease that decodes:
 * - the command fits the buffer kea_apply() sends from (4096 bytes), and
 *   a buffer one byte short is refused, not overrun;
 * - it is one valid JSON object (RFC 8259, checked by the small reader
 *   below, not by the builder's own code) with no raw control bytes;
 * - it names the lease's address, and an update its hardware address.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kea-ctl.h"
#include "record.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

#define KEA_CMD_BUF	8192	/* kea_apply()'s */

struct jr {
	const char *p, *end;
	int depth;
};

static int json_value(struct jr *);

static void
json_ws(struct jr *j)
{
	while (j->p < j->end && (*j->p == ' ' || *j->p == '\t' ||
	    *j->p == '\n' || *j->p == '\r'))
		j->p++;
}

static int
json_hex4(struct jr *j)
{
	int i;

	for (i = 0; i < 4; i++, j->p++)
		if (j->p >= j->end || strchr("0123456789abcdefABCDEF",
		    *j->p) == NULL || *j->p == '\0')
			return -1;
	return 0;
}

static int
json_string(struct jr *j)
{
	unsigned char c;

	if (j->p >= j->end || *j->p++ != '"')
		return -1;
	while (j->p < j->end) {
		c = (unsigned char)*j->p++;
		if (c == '"')
			return 0;
		if (c < 0x20)
			return -1;
		if (c != '\\')
			continue;
		if (j->p >= j->end)
			return -1;
		c = (unsigned char)*j->p++;
		if (c == 'u') {
			if (json_hex4(j) == -1)
				return -1;
		} else if (strchr("\"\\/bfnrt", c) == NULL || c == '\0')
			return -1;
	}
	return -1;
}

static int
json_digits(struct jr *j)
{
	const char *s = j->p;

	while (j->p < j->end && *j->p >= '0' && *j->p <= '9')
		j->p++;
	return j->p > s ? 0 : -1;
}

static int
json_number(struct jr *j)
{
	if (j->p < j->end && *j->p == '-')
		j->p++;
	if (j->p < j->end && *j->p == '0')
		j->p++;
	else if (json_digits(j) == -1)
		return -1;
	if (j->p < j->end && *j->p == '.') {
		j->p++;
		if (json_digits(j) == -1)
			return -1;
	}
	if (j->p < j->end && (*j->p == 'e' || *j->p == 'E')) {
		j->p++;
		if (j->p < j->end && (*j->p == '+' || *j->p == '-'))
			j->p++;
		if (json_digits(j) == -1)
			return -1;
	}
	return 0;
}

static int
json_word(struct jr *j, const char *w)
{
	size_t n = strlen(w);

	if ((size_t)(j->end - j->p) < n || memcmp(j->p, w, n) != 0)
		return -1;
	j->p += n;
	return 0;
}

/* OPEN (member or value) [, ...] CLOSE */
static int
json_seq(struct jr *j, char close, int members)
{
	j->p++;
	json_ws(j);
	if (j->p < j->end && *j->p == close) {
		j->p++;
		return 0;
	}
	for (;;) {
		if (members) {
			json_ws(j);
			if (json_string(j) == -1)
				return -1;
			json_ws(j);
			if (j->p >= j->end || *j->p++ != ':')
				return -1;
		}
		if (json_value(j) == -1)
			return -1;
		json_ws(j);
		if (j->p >= j->end)
			return -1;
		if (*j->p == close) {
			j->p++;
			return 0;
		}
		if (*j->p++ != ',')
			return -1;
	}
}

static int
json_value(struct jr *j)
{
	int rc;

	json_ws(j);
	if (j->p >= j->end || ++j->depth > 16)
		return -1;
	switch (*j->p) {
	case '{': rc = json_seq(j, '}', 1); break;
	case '[': rc = json_seq(j, ']', 0); break;
	case '"': rc = json_string(j); break;
	case 't': rc = json_word(j, "true"); break;
	case 'f': rc = json_word(j, "false"); break;
	case 'n': rc = json_word(j, "null"); break;
	default: rc = json_number(j); break;
	}
	j->depth--;
	return rc;
}

/* One JSON object and nothing after it. */
static int
json_valid(const char *s, size_t n)
{
	struct jr j = { s, s + n, 0 };

	json_ws(&j);
	if (j.p >= j.end || *j.p != '{' || json_value(&j) == -1)
		return 0;
	json_ws(&j);
	return j.p == j.end;
}

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
	if (!json_valid(buf, (size_t)n))
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
		if (l.l_hwlen == 0)
			abort();
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
