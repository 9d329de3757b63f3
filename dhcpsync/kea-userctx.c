/* SPDX-License-Identifier: ISC */
/*
 * Kea's user context and fqdn flags as "set kea-..." statements in
 * l_extra, both ways.  The JSON is checked on the way in and on the way
 * out: what reaches a Kea command is one object, whatever a peer's file
 * held.
 */
#include <stdio.h>
#include <string.h>

#include "json.h"
#include "kea-userctx.h"

#define KCTX_PREFIX	"set kea-user-context = \""
#define KFQDN_PREFIX	"set kea-fqdn = \""

static const char *kfqdn_values[] = { NULL, "fwd", "rev", "fwd,rev" };

/* Appends one statement line to l_extra; 0, or -1 and unchanged. */
static int
extra_add(struct lease *l, const char *stmt, size_t n)
{
	if (l->l_extralen + (l->l_extralen > 0) + n > LEASE_EXTRA_MAX)
		return -1;
	if (l->l_extralen > 0)
		l->l_extra[l->l_extralen++] = '\n';
	memcpy(l->l_extra + l->l_extralen, stmt, n);
	l->l_extralen += (uint16_t)n;
	return 0;
}

int
kctx_put(struct lease *l, const char *json, size_t n)
{
	char stmt[sizeof(KCTX_PREFIX) + 4 * KCTX_MAX + 4];
	size_t i, o;
	unsigned char c;

	if (n == 0 || n > KCTX_MAX || !json_object_valid(json, n))
		return -1;
	o = strlen(KCTX_PREFIX);
	memcpy(stmt, KCTX_PREFIX, o);
	for (i = 0; i < n; i++) {
		c = (unsigned char)json[i];
		if (c == '"' || c == '\\') {
			stmt[o++] = '\\';
			stmt[o++] = (char)c;
		} else if (c < 0x20 || c >= 0x7f)
			o += (size_t)snprintf(stmt + o, 5, "\\%03o", c);
		else
			stmt[o++] = (char)c;
	}
	stmt[o++] = '"';
	stmt[o++] = ';';
	return extra_add(l, stmt, o);
}

/* The string body of one statement (between the quotes), unescaped. */
static size_t
kctx_unquote(const char *s, size_t n, char *buf, size_t len)
{
	size_t i, o = 0;
	int v, k;

	for (i = 0; i < n; i++) {
		if (o + 1 >= len)
			return 0;
		if (s[i] != '\\') {
			buf[o++] = s[i];
			continue;
		}
		if (++i == n)
			return 0;
		if (s[i] >= '0' && s[i] <= '7') {
			for (v = 0, k = 0; k < 3 && i < n && s[i] >= '0' &&
			    s[i] <= '7'; k++, i++)
				v = v * 8 + (s[i] - '0');
			i--;
			if (v > 255)
				return 0;
			buf[o++] = (char)v;
		} else if (s[i] == 't' || s[i] == 'n' || s[i] == 'r' ||
		    s[i] == 'b' || s[i] == 'x')
			return 0;	/* never in JSON we wrote */
		else
			buf[o++] = s[i];
	}
	buf[o] = '\0';
	return o;
}

/*
 * The next "PREFIX...";" statement in l's l_extra from *pos on: the text
 * between its quotes in *body, *n, and *pos past it; -1 when none is left.
 */
static int
extra_next(const struct lease *l, const char *prefix, size_t *pos,
    const char **body, size_t *n)
{
	const char *p, *end = l->l_extra + l->l_extralen, *nl;
	size_t pl = strlen(prefix), ll;

	if (*pos >= l->l_extralen)
		return -1;
	for (p = l->l_extra + *pos; p < end; p = nl + 1) {
		if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL)
			nl = end;
		ll = (size_t)(nl - p);
		if (ll >= pl + 2 && memcmp(p, prefix, pl) == 0 &&
		    memcmp(nl - 2, "\";", 2) == 0) {
			*pos = (size_t)(nl - l->l_extra) + 1;
			*body = p + pl;
			*n = ll - pl - 2;
			return 0;
		}
	}
	*pos = l->l_extralen;
	return -1;
}

size_t
kctx_get(const struct lease *l, char *buf, size_t len)
{
	const char *s;
	size_t pos = 0, n, got;

	while (extra_next(l, KCTX_PREFIX, &pos, &s, &n) == 0) {
		got = kctx_unquote(s, n, buf, len);
		if (got > 0 && json_object_valid(buf, got))
			return got;
	}
	if (len > 0)
		buf[0] = '\0';
	return 0;
}

int
kfqdn_put(struct lease *l, int flags)
{
	char stmt[sizeof(KFQDN_PREFIX) + 16];
	int n;

	flags &= KFQDN_FWD | KFQDN_REV;
	if (flags == 0)
		return 0;
	n = snprintf(stmt, sizeof(stmt), "%s%s\";", KFQDN_PREFIX,
	    kfqdn_values[flags]);
	return extra_add(l, stmt, (size_t)n);
}

int
kfqdn_get(const struct lease *l)
{
	const char *s;
	size_t pos = 0, n;
	int f;

	while (extra_next(l, KFQDN_PREFIX, &pos, &s, &n) == 0)
		for (f = KFQDN_FWD; f <= (KFQDN_FWD | KFQDN_REV); f++)
			if (strlen(kfqdn_values[f]) == n &&
			    memcmp(s, kfqdn_values[f], n) == 0)
				return f;
	return 0;
}
