/* SPDX-License-Identifier: ISC */
/* libFuzzer: the keepalived.conf parser, includes fed from the input. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct fz {
	const char	*buf;
	size_t		 len;
};

/* Any include resolves to the input itself: nesting gets exercised too. */
static int
fz_inc(void *arg, const char *pattern, int idx, const char **name,
    const char **buf, size_t *len, char *err, size_t errlen)
{
	struct fz *f = arg;

	if (idx > 0 || pattern[0] == 'x')
		return 0;
	*name = "inc.conf";
	*buf = f->buf;
	*len = f->len;
	return 1;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct config cf;
	static char err[8192];
	struct fz f = { (const char *)data, size };

	if (size > 65536)
		return 0;
	config_defaults(&cf);
	if (config_parse(&cf, "fuzz.conf", (const char *)data, size, fz_inc,
	    &f, err, sizeof(err)) == 0)
		(void)config_check(&cf, err, sizeof(err));
	return 0;
}
