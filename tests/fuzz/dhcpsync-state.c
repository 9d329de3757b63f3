/* SPDX-License-Identifier: ISC */
/*
 * libFuzzer: a state file as a crash, a full disk or an operator may
 * leave it.  Property: a file accepted formats back to text that parses
 * to the very same resume points.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "state.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ds_state a, b;
	char err[256], buf[STATE_MAX];
	int n;

	if (state_parse((const char *)data, size, "fuzz", &a, err,
	    sizeof(err)) == -1)
		return 0;
	if ((n = state_format(&a, 1, buf, sizeof(buf))) < 0 ||
	    state_parse(buf, (size_t)n, "fuzz", &b, err, sizeof(err)) == -1 ||
	    memcmp(&a, &b, sizeof(a)) != 0)
		abort();
	return 0;
}
