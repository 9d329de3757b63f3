/* SPDX-License-Identifier: ISC */
/* libFuzzer: the control socket's command parser. */
#include <stddef.h>
#include <stdint.h>

#include "stats-cmd.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ctl_cmd c;
	char err[128];

	if (control_parse((const char *)data, size, &c, err,
	    sizeof(err)) == 0)
		(void)(control_level(&c) + control_changes(&c));
	return 0;
}
