/* SPDX-License-Identifier: ISC */
/*
 * Bounded integers from text, with OpenBSD strtonum(3)'s contract: the
 * whole string is the number ("12abc" is not 12), within min..max, else
 * 0 with *errstr "invalid", "too small" or "too large" (errno EINVAL or
 * ERANGE) for the caller's message; *errstr is NULL on success.
 */
#ifndef HT_STRNUM_H
#define HT_STRNUM_H

long long strnum(const char *s, long long min, long long max,
	    const char **errstr);
/* The same in another base: 8 for a file mode ("0600", not "0x180"). */
long long strnum_base(const char *s, int base, long long min, long long max,
	    const char **errstr);

#endif
