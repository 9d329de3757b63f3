/* SPDX-License-Identifier: ISC */
/*
 * The expect matchers of tcp-check and http-check: an exact string or
 * bytes found anywhere in what was read, a POSIX extended regex over it,
 * or over its upper-case hex dump (haproxy's rbinary), and HTTP status
 * lists "200,300-399".  Patterns were checked when the config was read;
 * the regex is compiled again here, at each check: a few microseconds
 * every "inter", and nothing to keep in step with reloads.
 */
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "check.h"

/*
 * Whether re matches the len bytes at buf (NUL bytes included: REG_STARTEND
 * bounds the match).  The bytes are copied behind a NUL all the same, as
 * regexec() is declared over a string and sanitizers read it as one.
 */
static int
check_regex(const char *re, const char *buf, size_t len)
{
	regex_t rx;
	regmatch_t m[1];
	char *copy;
	int rc;

	if ((copy = malloc(len + 1)) == NULL)
		return -1;
	memcpy(copy, buf, len);
	copy[len] = '\0';
	if (regcomp(&rx, re, REG_EXTENDED | REG_NOSUB) != 0) {
		free(copy);
		return -1;
	}
	m[0].rm_so = 0;
	m[0].rm_eo = (regoff_t)len;
	rc = regexec(&rx, copy, 1, m, REG_STARTEND);
	/* PCRE's "$" (haproxy's) also matches before a final newline */
	if (rc != 0 && len > 0 && copy[len - 1] == '\n') {
		m[0].rm_so = 0;
		m[0].rm_eo = (regoff_t)len - 1;
		rc = regexec(&rx, copy, 1, m, REG_STARTEND);
	}
	regfree(&rx);
	free(copy);
	return rc == 0;
}

static int
check_rbinary(const char *re, const unsigned char *buf, size_t len)
{
	static const char hex[] = "0123456789ABCDEF";
	char *dump;
	size_t i;
	int rc;

	if ((dump = malloc(len * 2 + 1)) == NULL)
		return -1;
	for (i = 0; i < len; i++) {
		dump[2 * i] = hex[buf[i] >> 4];
		dump[2 * i + 1] = hex[buf[i] & 15];
	}
	dump[2 * len] = '\0';
	rc = check_regex(re, dump, len * 2);
	free(dump);
	return rc;
}

/* 1 when r matches the len bytes at buf, 0 when not, -1 out of memory. */
int
check_match(const struct cf_chkrule *r, const unsigned char *buf, size_t len)
{
	switch (r->r_match) {
	case M_STRING:
	case M_BINARY:
		return memmem(buf, len, r->r_data, r->r_len) != NULL;
	case M_RSTRING:
	case M_RSTATUS:
		return check_regex((const char *)r->r_data, (const char *)buf,
		    len);
	case M_RBINARY:
		return check_rbinary((const char *)r->r_data, buf, len);
	default:
		return 0;
	}
}

/* Whether code is in "200,201,300-310" (checked by config-check.c). */
int
check_status_in(const char *list, int code)
{
	int lo, hi, n;

	while (sscanf(list, "%3d%n", &lo, &n) == 1) {
		list += n;
		hi = lo;
		if (*list == '-' && sscanf(list + 1, "%3d%n", &hi, &n) == 1)
			list += n + 1;
		if (code >= lo && code <= hi)
			return 1;
		if (*list++ != ',')
			break;
	}
	return 0;
}

/*
 * http-check expect hdr's name (icase) or value matches: the whole
 * string, its beginning, end, a part, or a regex over it.  1, 0, -1 out
 * of memory.
 */
int
check_hmatch(enum cf_hmatch m, const char *pat, const char *s, size_t len,
    int icase)
{
	size_t n = strlen(pat);
	int (*cmp)(const char *, const char *, size_t) = icase ?
	    strncasecmp : strncmp;
	size_t i;

	switch (m) {
	case HM_STR:
		return len == n && cmp(s, pat, n) == 0;
	case HM_BEG:
		return len >= n && cmp(s, pat, n) == 0;
	case HM_END:
		return len >= n && cmp(s + len - n, pat, n) == 0;
	case HM_SUB:
		for (i = 0; i + n <= len; i++)
			if (cmp(s + i, pat, n) == 0)
				return 1;
		return 0;
	case HM_REG:
		return check_regex(pat, s, len);
	}
	return 0;
}
