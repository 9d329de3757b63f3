/* SPDX-License-Identifier: ISC */
/*
 * The canonical lease record and the merge order.  The record is the
 * stream's payload and the table's storage, so it is strict: fixed key
 * order, each key at most once, bytes as hex.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "errbuf.h"
#include "fbuf.h"
#include "record.h"

static const char *lease_states[LS__MAX] = {
	"", "free", "active", "expired", "released", "abandoned", "reset",
	"backup", "reserved", "bootp"
};

/* Ranks for ties on cltt: a transaction ends in a freeing state. */
static const int lease_ranks[LS__MAX] = {
	0, 3, 1, 2, 2, 4, 3, 3, 1, 1
};

static const char *lease_hwtypes[] = {
	"", "ethernet", "token-ring", "fddi", "infiniband"
};
#define LEASE_NHWTYPES	(sizeof(lease_hwtypes) / sizeof(lease_hwtypes[0]))

const char *const lease_time_names[LEASE_NTIMES] = {
	"starts", "ends", "tstp", "tsfp", "atsfp", "cltt"
};
_Static_assert(offsetof(struct lease, l_cltt) == offsetof(struct lease,
    l_times[LT_CLTT]), "each named time is its l_times[LT_*]");

void
lease_init(struct lease *l, uint32_t addr)
{
	size_t i;

	memset(l, 0, sizeof(*l));
	l->l_addr = addr;
	for (i = 0; i < LEASE_NTIMES; i++)
		l->l_times[i] = LEASE_T_NONE;
}

/* Where the n bytes at s are among words[from..to), or to: not there. */
static size_t
word_index(const char *const *words, size_t from, size_t to, const char *s,
    size_t n)
{
	for (; from < to; from++)
		if (strlen(words[from]) == n && memcmp(words[from], s, n) == 0)
			break;
	return from;
}

const char *
lease_state_name(int s)
{
	return s > 0 && s < LS__MAX ? lease_states[s] : "";
}

int
lease_state_parse(const char *s, size_t n)
{
	size_t i = word_index(lease_states, 1, LS__MAX, s, n);

	return i < LS__MAX ? (int)i : -1;
}

int
lease_state_rank(int s)
{
	return s >= 0 && s < LS__MAX ? lease_ranks[s] : 0;
}

const char *
lease_hwtype_name(int t)
{
	return t > 0 && (size_t)t < LEASE_NHWTYPES ? lease_hwtypes[t] : "";
}

/* dhcpd's numbers for the types it names, by index. */
static const uint8_t lease_hwnums[] = { 0, 1, 6, 8, 32 };

void
lease_hwtype_format(const struct lease *l, char *buf, size_t len)
{
	if (l->l_hwtype == LEASE_HW_UNKNOWN)
		snprintf(buf, len, "unknown-%u", l->l_hwraw);
	else
		snprintf(buf, len, "%s", lease_hwtype_name(l->l_hwtype));
}

/*
 * dhcpd writes "unknown-N" for a type it has no name for and reads it
 * back as N; one it names is written by its name, so that is canonical.
 */
int
lease_hwtype_parse(const char *s, size_t n, struct lease *l)
{
	size_t i;
	unsigned v = 0;

	if ((i = word_index(lease_hwtypes, 1, LEASE_NHWTYPES, s, n)) <
	    LEASE_NHWTYPES) {
		l->l_hwtype = (uint8_t)i;
		l->l_hwraw = 0;
		return 0;
	}
	if (n < 9 || n > 11 || memcmp(s, "unknown-", 8) != 0 ||
	    (s[8] == '0' && n > 9))
		return -1;
	for (i = 8; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (unsigned)(s[i] - '0');
	}
	if (v > 255)
		return -1;
	for (i = 1; i < LEASE_NHWTYPES; i++)
		if (lease_hwnums[i] == v)
			return -1;	/* "ethernet" is how it is written */
	l->l_hwtype = LEASE_HW_UNKNOWN;
	l->l_hwraw = (uint8_t)v;
	return 0;
}

int
lease_addr_parse(const char *s, size_t n, uint32_t *out)
{
	uint32_t a = 0, oct;
	size_t i = 0;
	int part, digits;

	for (part = 0; part < 4; part++) {
		if (part > 0) {
			if (i >= n || s[i] != '.')
				return -1;
			i++;
		}
		oct = 0;
		for (digits = 0; i < n && s[i] >= '0' && s[i] <= '9'; i++) {
			if (++digits > 3)
				return -1;
			oct = oct * 10 + (uint32_t)(s[i] - '0');
		}
		if (digits == 0 || oct > 255)
			return -1;
		a = a << 8 | oct;
	}
	if (i != n)
		return -1;
	*out = a;
	return 0;
}

void
lease_addr_format(uint32_t a, char *buf, size_t len)
{
	snprintf(buf, len, "%u.%u.%u.%u", a >> 24, (a >> 16) & 255,
	    (a >> 8) & 255, a & 255);
}

/* Howard Hinnant's days_from_civil: no time zones, no libc state. */
int64_t
lease_days_from_civil(int64_t y, unsigned m, unsigned d)
{
	int64_t era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

void
lease_civil_from_time(int64_t t, int *y, int *mo, int *d, int *wd, int *h,
    int *mi, int *s)
{
	int64_t days = t / 86400, rem = t % 86400, era, doe, yoe, doy, mp;

	if (rem < 0) {
		rem += 86400;
		days--;
	}
	*h = (int)(rem / 3600);
	*mi = (int)(rem / 60 % 60);
	*s = (int)(rem % 60);
	*wd = (int)(days >= -4 ? (days + 4) % 7 : (days + 5) % 7 + 6);
	days += 719468;
	era = (days >= 0 ? days : days - 146096) / 146097;
	doe = days - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*mo = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = (int)(yoe + era * 400 + (*mo <= 2));
}

static int
hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/*
 * Hex bytes: "0a1b" (colons == 0) or "a:1b:0" (colons == 1, one or two
 * digits per byte, as dhcpd writes hardware addresses).
 */
int
lease_hex_parse(const char *s, size_t n, uint8_t *out, size_t max,
    size_t *outlen, int colons)
{
	size_t i = 0, o = 0;
	int hi, lo;

	if (!colons) {
		if (n % 2 != 0 || n / 2 > max)
			return -1;
		for (i = 0; i < n; i += 2) {
			if ((hi = hexval(s[i])) < 0 || (lo = hexval(s[i + 1])) < 0)
				return -1;
			out[o++] = (uint8_t)(hi << 4 | lo);
		}
		*outlen = o;
		return 0;
	}
	while (i < n) {
		if (o == max || (hi = hexval(s[i++])) < 0)
			return -1;
		if (i < n && s[i] != ':') {
			if ((lo = hexval(s[i++])) < 0)
				return -1;
			hi = hi << 4 | lo;
		}
		out[o++] = (uint8_t)hi;
		if (i < n) {
			if (s[i] != ':' || i + 1 == n)
				return -1;
			i++;
		}
	}
	*outlen = o;
	return 0;
}

int
lease_hex_format(char *buf, size_t len, const uint8_t *p, size_t n)
{
	size_t i, off = 0;

	buf[0] = '\0';
	for (i = 0; i < n; i++) {
		if (off + 4 > len)
			return -1;
		off += (size_t)snprintf(buf + off, len - off, "%s%02x",
		    i ? ":" : "", p[i]);
	}
	return 0;
}

static void
enc_time(struct fbuf *e, const char *k, int64_t t)
{
	if (t == LEASE_T_NONE)
		return;
	if (t == LEASE_T_NEVER)
		fbuf_printf(e, " %s=never", k);
	else
		fbuf_printf(e, " %s=%" PRId64, k, t);
}

static void
enc_hex(struct fbuf *e, const char *k, const uint8_t *p, size_t n)
{
	size_t i;

	if (n == 0)
		return;
	if (k)
		fbuf_printf(e, " %s=", k);
	for (i = 0; i < n && !e->over; i++)
		fbuf_printf(e, "%02x", p[i]);
}

int
lease_encode(const struct lease *l, char *buf, size_t len)
{
	struct fbuf e = { buf, len, 0, 0 };
	char ip[16], hwt[16];
	size_t i;

	if (len == 0)
		return -1;
	lease_addr_format(l->l_addr, ip, sizeof(ip));
	fbuf_printf(&e, "ip=%s", ip);
	/* cltt first, the merge rule's key; then the others in dhcpd's order */
	enc_time(&e, lease_time_names[LT_CLTT], l->l_cltt);
	for (i = 0; i < LT_CLTT; i++)
		enc_time(&e, lease_time_names[i], l->l_times[i]);
	if (l->l_state)
		fbuf_printf(&e, " bs=%s", lease_state_name(l->l_state));
	if (l->l_next)
		fbuf_printf(&e, " nbs=%s", lease_state_name(l->l_next));
	if (l->l_rewind)
		fbuf_printf(&e, " rbs=%s", lease_state_name(l->l_rewind));
	if (l->l_hwtype) {
		lease_hwtype_format(l, hwt, sizeof(hwt));
		fbuf_printf(&e, " hw=%s,", hwt);
		enc_hex(&e, NULL, l->l_hw, l->l_hwlen);
	}
	enc_hex(&e, "uid", l->l_uid, l->l_uidlen);
	enc_hex(&e, "host", l->l_host, l->l_hostlen);
	enc_hex(&e, "x", (const uint8_t *)l->l_extra, l->l_extralen);
	return e.over ? -1 : (int)e.off;
}

/*
 * The record's keys in the order lease_encode writes them and lease_decode
 * demands: cltt, then the other times in their l_times order.
 */
static const char *lease_keys[] = {
	"ip", "cltt", "starts", "ends", "tstp", "tsfp", "atsfp",
	"bs", "nbs", "rbs", "hw", "uid", "host", "x"
};
#define LEASE_NKEYS	(sizeof(lease_keys) / sizeof(lease_keys[0]))

static int
dec_time(const char *v, size_t n, int64_t *out)
{
	int64_t t = 0;
	size_t i = 0;
	int neg = 0;

	if (n == 5 && memcmp(v, "never", 5) == 0) {
		*out = LEASE_T_NEVER;
		return 0;
	}
	if (n > 0 && v[0] == '-') {
		neg = 1;
		i++;
	}
	if (i == n || n - i > 15)
		return -1;
	for (; i < n; i++) {
		if (v[i] < '0' || v[i] > '9')
			return -1;
		t = t * 10 + (v[i] - '0');
	}
	*out = neg ? -t : t;
	return 0;
}

static int
dec_field(struct lease *l, size_t key, const char *v, size_t n)
{
	uint8_t *states[] = { &l->l_state, &l->l_next, &l->l_rewind };
	const char *comma;
	size_t got;
	int s;

	switch (key) {
	case 0:
		return lease_addr_parse(v, n, &l->l_addr);
	case 1:
		return dec_time(v, n, &l->l_cltt);
	case 2: case 3: case 4: case 5: case 6:	/* l_times[0] on */
		return dec_time(v, n, &l->l_times[key - 2]);
	case 7: case 8: case 9:
		if ((s = lease_state_parse(v, n)) < 0)
			return -1;
		*states[key - 7] = (uint8_t)s;
		return 0;
	case 10:
		if ((comma = memchr(v, ',', n)) == NULL ||
		    lease_hwtype_parse(v, (size_t)(comma - v), l) == -1)
			return -1;
		comma++;
		if (lease_hex_parse(comma, n - (size_t)(comma - v), l->l_hw,
		    LEASE_HW_MAX, &got, 0) == -1)
			return -1;
		l->l_hwlen = (uint8_t)got;
		return 0;
	case 11:
		if (lease_hex_parse(v, n, l->l_uid, LEASE_UID_MAX, &got, 0) == -1
		    || got == 0)
			return -1;
		l->l_uidlen = (uint16_t)got;
		return 0;
	case 12:
		if (lease_hex_parse(v, n, l->l_host, LEASE_HOST_MAX, &got, 0)
		    == -1 || got == 0)
			return -1;
		l->l_hostlen = (uint16_t)got;
		return 0;
	case 13:
		if (lease_hex_parse(v, n, (uint8_t *)l->l_extra,
		    LEASE_EXTRA_MAX, &got, 0) == -1 || got == 0)
			return -1;
		l->l_extralen = (uint16_t)got;
		return 0;
	}
	return -1;
}

int
lease_decode(const char *buf, size_t len, struct lease *l, char *err,
    size_t errlen)
{
	const char *p = buf, *end = buf + len, *tok, *eq;
	size_t next = 0, k, tl;

	lease_init(l, 0);
	while (p < end) {
		tok = p;
		while (p < end && *p != ' ')
			p++;
		tl = (size_t)(p - tok);
		if (p < end)
			p++;
		if ((eq = memchr(tok, '=', tl)) == NULL)
			return errbuf_set(err, errlen, "field %zu: no '='",
			    next);
		k = word_index(lease_keys, next, LEASE_NKEYS, tok,
		    (size_t)(eq - tok));
		if (k == LEASE_NKEYS)
			return errbuf_set(err, errlen, "field \"%.*s\": "
			    "unknown, repeated or out of order",
			    (int)((eq - tok) > 20 ? 20 :
			    (eq - tok)),
			    tok);
		if (next == 0 && k != 0)
			return errbuf_set(err, errlen, "field ip: missing");
		if (dec_field(l, k, eq + 1, tl - (size_t)(eq - tok) - 1) == -1)
			return errbuf_set(err, errlen, "field %s: bad value",
			    lease_keys[k]);
		next = k + 1;
	}
	if (next == 0)
		return errbuf_set(err, errlen, "field ip: missing");
	return 0;
}

int
lease_cmp(int64_t acltt, int arank, const char *a, size_t alen,
    int64_t bcltt, int brank, const char *b, size_t blen)
{
	int c;

	if (acltt != bcltt)
		return acltt < bcltt ? -1 : 1;
	if (arank != brank)
		return arank < brank ? -1 : 1;
	if ((c = memcmp(a, b, alen < blen ? alen : blen)) != 0)
		return c;
	return alen < blen ? -1 : alen > blen;
}
