/* SPDX-License-Identifier: ISC */
/*
 * libFuzzer: an agent-check reply (check-agent.c's agent_parse).  The
 * first byte's low bit says whether the agent closed; the rest is what
 * came.  Every word lies in the line; a whole line stays the same line
 * as more bytes come.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "check-agent.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static void
in_line(const struct agent_word *w, size_t len)
{
	if (w->aw_len > 0 && (w->aw_off > len || w->aw_len > len - w->aw_off))
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct agent_reply ar, more;
	const char *buf = (const char *)data + 1;
	enum agent_st st;
	size_t len;
	int eof;

	if (size < 1)
		return 0;
	eof = data[0] & 1;
	len = size - 1;
	st = agent_parse(buf, len, eof, &ar);
	in_line(&ar.ar_hs, len);
	in_line(&ar.ar_maxconn, len);
	in_line(&ar.ar_err, len);
	in_line(&ar.ar_desc, len);
	if (ar.ar_pct > 25600 || ar.ar_pct < -2 || (ar.ar_pct == -1) !=
	    (ar.ar_wrn != NULL))
		abort();
	if (st == AG_LINE) {
		/* a shorter prefix that still holds the line reads alike */
		size_t end = strcspn(buf, "\r\n");

		if (end < len && agent_parse(buf, end + 1, 0, &more) !=
		    AG_LINE)
			abort();
		if (end < len && memcmp(&more, &ar, sizeof(ar)) != 0)
			abort();
	} else if (st == AG_SHORT && eof)
		abort();
	return 0;
}
