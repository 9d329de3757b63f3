/* libFuzzer: the control socket's command parser. */
#include <stddef.h>
#include <stdint.h>

#include "control.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ctl_cmd c;
	char err[128];

	control_parse((const char *)data, size, &c, err, sizeof(err));
	return 0;
}
