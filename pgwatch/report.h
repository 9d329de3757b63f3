/* SPDX-License-Identifier: ISC */
/*
 * Judging hosts against the conditions, and the lines that say so: one per
 * host (text or --json through lib/evline.h) or one Nagios plugin line.
 * Pure functions of the samples, so the unit tests drive them directly.
 */
#ifndef PGWATCH_REPORT_H
#define PGWATCH_REPORT_H

#include "evline.h"
#include "pgwatch.h"

/*
 * Fills v[0..n); returns the exit code: 0 holds, 1 not, 2 split brain.
 * prev: the same hosts' verdicts of the round before, or NULL.
 */
int	report_judge(const struct sample *s, const struct verdict *prev, int n,
	    const struct cond *c, struct verdict *v);
/* The one primary among s[0..n), or NULL (none, or split brain). */
const struct sample *report_primary(const struct sample *s, int n);
/*
 * A standby streaming WAL: up, its receiver says "streaming", and not
 * judged diverged (whose receiver says so for a moment each retry).
 */
int	report_streaming(const struct sample *, const struct verdict *);
/*
 * Whether a standby behind the primary's timeline says it streams:
 * catching up with a promotion, or diverged and caught in that moment.
 */
int	report_unsure(const struct sample *s, int n);
/* "primary", "standby" or "down". */
const char *report_word(const struct sample *);
/* A host's fields, onto its line (never a password: none is kept). */
void	report_fields(struct evline *, const struct sample *,
	    const struct verdict *);
/* Seconds: a number, 0 when caught up, "unknown" (JSON null) if so. */
void	report_secs_field(struct evline *, const char *key, double s);
/* The plugin line for --nagios; returns PLUGIN_OK, _WARNING or _CRITICAL. */
int	report_nagios(const char *const *names, const struct sample *s,
	    const struct verdict *v, int n, const struct cond *c, double secs,
	    char *buf, size_t len);
char	*report_secs(double s, char *buf, size_t len);

#endif
