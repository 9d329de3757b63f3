/* SPDX-License-Identifier: ISC */
/* Durations as operators write them: "500ms", "2s", "1m", "1.5", "1h"; bare = seconds. */
#ifndef HT_DURATION_H
#define HT_DURATION_H

#include <stdint.h>
#include <sys/time.h>
#include <time.h>

/* Parses s into microseconds; 0 on success, -1 (errno EINVAL/ERANGE) if not. */
int	duration_parse(const char *s, uint64_t *usec);
/* Formats usec the way duration_parse reads it back ("1.5s", "20ms"). */
char	*duration_format(uint64_t usec, char *buf, size_t len);
struct timeval duration_tv(uint64_t usec);
/* Monotonic clock in microseconds (DESIGN.md: CLOCK_MONOTONIC for every timer). */
uint64_t mono_usec(void);

#endif
