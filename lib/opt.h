/* SPDX-License-Identifier: ISC */
/*
 * Option values that several programs check the same way, with the same
 * words: a bad one is a usage error (usage.h) naming the option, so that
 * every value is checked before any work.
 */
#ifndef HT_OPT_H
#define HT_OPT_H

#include <stdint.h>

/*
 * --metrics ADDR:PORT (promhttp_addr's): checked now, while a mistake is
 * a usage error, though the socket opens later with the program's others.
 */
void	opt_metrics(const char *arg);

/*
 * A duration option (duration.h) in microseconds, at least min: 1 where
 * 0 would never wait or never fire.
 */
uint64_t opt_duration(const char *name, const char *arg, uint64_t min);

#endif
