/* SPDX-License-Identifier: ISC */
/*
 * libFuzzer: the name matcher.  Input: NAME \n COMM \n EXE \n CMDLINE
 * (the cmdline keeps its NUL separators).
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "match.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/* The next '\n'-ended field as a C string in out. */
static const char *
field(const char *p, const char *end, char *out, size_t size)
{
	const char *nl = memchr(p, '\n', (size_t)(end - p));
	size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);

	if (n >= size)
		n = size - 1;
	memcpy(out, p, n);
	out[n] = '\0';
	return nl ? nl + 1 : end;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	const char *p = (const char *)data, *end = p + len;
	char name[256], comm[MATCH_COMMLEN + 1], exe[256];
	struct procinfo pi;
	int c;

	p = field(p, end, name, sizeof(name));
	p = field(p, end, comm, sizeof(comm));
	p = field(p, end, exe, sizeof(exe));
	if (name[0] == '\0')
		return 0;
	memset(&pi, 0, sizeof(pi));
	pi.pi_comm = comm;
	pi.pi_exe = exe[0] ? exe : NULL;
	pi.pi_cmdline = p < end ? p : NULL;
	pi.pi_cmdlen = (size_t)(end - p);
	c = match_comm(name, comm);
	/* the cheap step never rules out what the full one accepts */
	if (match_full(name, &pi) && c == 0)
		__builtin_trap();
	(void)match_exe(name, exe);
	return 0;
}
