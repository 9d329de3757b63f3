/* SPDX-License-Identifier: ISC */
/* libFuzzer: the --listen [ADDR:]PORT[/tcp|/udp] parser. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/socket.h>

#include "listencheck.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	struct listen_spec ls;
	struct listen_sock k;
	char err[128];

	if (listen_parse((const char *)data, len, &ls, err, sizeof(err)) == 0) {
		if (ls.ls_port == 0)
			__builtin_trap();
		memset(&k, 0, sizeof(k));
		k.lk_family = AF_INET6;
		k.lk_port = ls.ls_port;
		if (!listen_covers(&ls, &k))	/* [::] dual-stack covers all */
			__builtin_trap();
	}
	return 0;
}
