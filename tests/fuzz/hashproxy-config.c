/* SPDX-License-Identifier: ISC */
/* libFuzzer: the haproxy.cfg parser (config_parse) on arbitrary bytes. */
#include <stddef.h>
#include <stdint.h>

#include "config.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cf_config cf;

	config_parse((const char *)data, size, "fuzz.cfg", &cf, NULL, NULL);
	config_free(&cf);
	return 0;
}
