/* SPDX-License-Identifier: ISC */
/* libFuzzer: the control socket's command parser (vrrpd/ctlcmd.c). */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "ctlcmd.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ctl_cmd c;
	char err[128];
	size_t i;

	if (ctl_parse((const char *)data, size, &c, err, sizeof(err)) == -1) {
		/* the error must be one printable line */
		for (i = 0; err[i] != '\0'; i++)
			if ((unsigned char)err[i] < 0x20 ||
			    (unsigned char)err[i] >= 0x7f)
				__builtin_trap();
	} else if ((unsigned)c.cc_verb > CTL_SHOW_METRICS)
		__builtin_trap();
	return 0;
}
