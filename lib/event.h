/* SPDX-License-Identifier: ISC */
/*
 * Machine-readable event lines on stdout, one per change, flushed at once:
 *
 *	WORD SUBJECT key=value key="value with spaces" ...
 *
 * or with --json one object per line:
 *
 *	{"event":"WORD","name":"SUBJECT","key":"value",...}
 *
 * Numbers are written bare in JSON.  The words and keys are each program's
 * stable interface, listed in its man page.
 */
#ifndef HT_EVENT_H
#define HT_EVENT_H

#include <stddef.h>

void	event_init(int json);
int	event_json(void);
/* subject may be NULL; kvfmt formats "k=v ..." (may be NULL or ""). */
void	event_emit(const char *word, const char *subject, const char *kvfmt, ...)
	    __attribute__((format(printf, 3, 4)));
/* Formats the same line into buf instead (for control sockets). */
int	event_format(char *buf, size_t len, const char *word,
	    const char *subject, const char *kv);

#endif
