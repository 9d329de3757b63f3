/* SPDX-License-Identifier: ISC */
/*
 * kea-leases4.csv reader and writer.  Kea writes no quoting: it escapes a
 * comma inside hostname or user_context as "&#x2c".
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "errbuf.h"
#include "json.h"
#include "kea-csv.h"
#include "kea-userctx.h"

enum { C_ADDR, C_HW, C_CID, C_VALID, C_EXPIRE, C_SUBNET, C_FWD, C_REV,
    C_HOST, C_STATE, C_CTX, C_POOL, C__MAX };

_Static_assert(C__MAX <= sizeof(((struct csv_hdr *)0)->ch_col) / sizeof(int),
    "struct csv_hdr holds every column we read");

static const char *csv_names[C__MAX] = {
	"address", "hwaddr", "client_id", "valid_lifetime", "expire",
	"subnet_id", "fqdn_fwd", "fqdn_rev", "hostname", "state",
	"user_context", "pool_id"
};

const char *
csv_header(void)
{
	return "address,hwaddr,client_id,valid_lifetime,expire,subnet_id,"
	    "fqdn_fwd,fqdn_rev,hostname,state,user_context,pool_id\n";
}

struct field {
	const char *s;
	size_t	 n;
};

static int
split(const char *line, size_t len, struct field *f, int max)
{
	const char *p = line, *end = line + len, *c;
	int n = 0;

	for (;;) {
		if (n == max)
			return -1;
		c = memchr(p, ',', (size_t)(end - p));
		f[n].s = p;
		f[n].n = (size_t)((c ? c : end) - p);
		n++;
		if (!c)
			return n;
		p = c + 1;
	}
}

static int
u64(const struct field *f, uint64_t *out)
{
	uint64_t v = 0;
	size_t i;

	if (f->n == 0 || f->n > 19)
		return -1;
	for (i = 0; i < f->n; i++) {
		if (f->s[i] < '0' || f->s[i] > '9')
			return -1;
		v = v * 10 + (uint64_t)(f->s[i] - '0');
	}
	*out = v;
	return 0;
}

static int
is1(const struct field *f)
{
	return f->n == 1 && f->s[0] == '1';
}

/* Undoes Kea's "&#x2c" for commas. */
static int
unescape(const struct field *f, uint8_t *out, size_t max, size_t *olen)
{
	size_t i, o = 0;

	for (i = 0; i < f->n; i++) {
		if (o == max)
			return -1;
		if (f->n - i >= 5 && memcmp(f->s + i, "&#x2c", 5) == 0) {
			out[o++] = ',';
			i += 4;
		} else
			out[o++] = (uint8_t)f->s[i];
	}
	*olen = o;
	return 0;
}

static int
csv_row(const struct field *f, const int *col, struct lease *l,
    const char **bad)
{
	uint64_t valid, expire, state = 0;
	size_t got;
	const struct field *c;

	*bad = csv_names[C_ADDR];
	if (lease_addr_parse(f[col[C_ADDR]].s, f[col[C_ADDR]].n,
	    &l->l_addr) == -1)
		return -1;
	*bad = csv_names[C_VALID];
	if (u64(&f[col[C_VALID]], &valid) == -1 || valid > 0xffffffffu)
		return -1;
	*bad = csv_names[C_EXPIRE];
	if (u64(&f[col[C_EXPIRE]], &expire) == -1 || expire > (1ull << 40) ||
	    (valid != 0xffffffffu && valid > expire))
		return -1;
	l->l_cltt = l->l_starts = (int64_t)(expire - valid);
	l->l_ends = valid == 0xffffffffu ? LEASE_T_NEVER : (int64_t)expire;
	if (col[C_HW] >= 0 && (c = &f[col[C_HW]])->n > 0) {
		*bad = csv_names[C_HW];
		if (lease_hex_parse(c->s, c->n, l->l_hw, LEASE_HW_MAX, &got,
		    1) == -1)
			return -1;
		l->l_hwtype = 1;
		l->l_hwlen = (uint8_t)got;
	}
	if (col[C_CID] >= 0 && (c = &f[col[C_CID]])->n > 0) {
		*bad = csv_names[C_CID];
		if (lease_hex_parse(c->s, c->n, l->l_uid, LEASE_UID_MAX, &got,
		    1) == -1)
			return -1;
		l->l_uidlen = (uint16_t)got;
	}
	if (col[C_HOST] >= 0 && (c = &f[col[C_HOST]])->n > 0) {
		*bad = csv_names[C_HOST];
		if (unescape(c, l->l_host, LEASE_HOST_MAX, &got) == -1)
			return -1;
		l->l_hostlen = (uint16_t)got;
	}
	/*
	 * The user context goes along as a statement (kea-userctx.h).  One
	 * that is not a JSON object makes the row one Kea does not read
	 * either (it skips it); one too long for dhcpd stays behind rather
	 * than costing the lease.
	 */
	if (col[C_CTX] >= 0 && (c = &f[col[C_CTX]])->n > 0) {
		char ctx[KCTX_MAX + 1];

		*bad = csv_names[C_CTX];
		if (unescape(c, (uint8_t *)ctx, KCTX_MAX, &got) == 0) {
			if (!json_object_valid(ctx, got))
				return -1;
			(void)kctx_put(l, ctx, got);
		}
	}
	/*
	 * Kea writes its DNS update flags as 1 or 0.  They are for the
	 * hostname: without one they name no DNS entry, Kea's lease4-update
	 * refuses them and Kea clears them when a client declines, so a row
	 * holding them alone (kea-admin's dump test data) carries none.
	 */
	if (l->l_hostlen > 0)
		(void)kfqdn_put(l, (col[C_FWD] >= 0 &&
		    is1(&f[col[C_FWD]]) ? KFQDN_FWD : 0) |
		    (col[C_REV] >= 0 && is1(&f[col[C_REV]]) ? KFQDN_REV : 0));
	if (col[C_STATE] >= 0) {
		*bad = csv_names[C_STATE];
		if (u64(&f[col[C_STATE]], &state) == -1 || state > 3)
			return -1;
	}
	/*
	 * 0 default, 1 declined, 2 expired-reclaimed, 3 released (newer
	 * Kea).  A row with valid_lifetime 0 is how memfile records a
	 * deleted lease (a release, lease4-del): not bound any more, and
	 * gone from Kea.  An expired-reclaimed one stays in Kea (it gives
	 * the address back to that client first) until it is flushed, so
	 * it is not free: expired, as dhcpd's expired leases, which go to
	 * Kea as state 2 again.
	 */
	l->l_state = state == 1 ? LS_ABANDONED : state == 3 ? LS_RELEASED :
	    valid == 0 ? LS_FREE : state == 2 ? LS_EXPIRED : LS_ACTIVE;
	l->l_next = LS_FREE;
	return 0;
}

/* The header line: where each column we read sits. */
static int
csv_header_parse(struct field *f, int n, struct csv_hdr *h, const char *file,
    int line, char *err, size_t errlen)
{
	int i, k;

	for (k = 0; k < C__MAX; k++)
		for (h->ch_col[k] = -1, i = 0; i < n; i++)
			if (strlen(csv_names[k]) == f[i].n &&
			    memcmp(csv_names[k], f[i].s, f[i].n) == 0)
				h->ch_col[k] = i;
	for (k = C_ADDR; k <= C_EXPIRE; k++)
		if (k != C_HW && k != C_CID && h->ch_col[k] < 0)
			return errbuf_set(err, errlen, "%s:%d: header: no "
			    "column \"%s\"", file, line, csv_names[k]);
	h->ch_ncol = n;
	return 0;
}

int
csv_parse_more(const char *buf, size_t len, const char *file, int line0,
    int final, struct csv_hdr *h, leases_cb cb, void *arg, size_t *used,
    int *lines, char *err, size_t errlen)
{
	return csv_parse_skip(buf, len, file, line0, final, h, cb, NULL, arg,
	    used, lines, err, errlen);
}

int
csv_parse_skip(const char *buf, size_t len, const char *file, int line0,
    int final, struct csv_hdr *h, leases_cb cb, leases_skip_cb skip,
    void *arg, size_t *used, int *lines, char *err, size_t errlen)
{
	struct field f[CSV_COLS_MAX];
	const char *p = buf, *end = buf + len, *nl, *bad;
	int n, line = line0 - 1;
	struct leases_skip sk;
	struct lease l;
	size_t ll, next;
	char why[256];

	*used = 0;
	*lines = line0;
	for (; p < end; p = buf + next) {
		if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL) {
			/* Kea is still writing this row */
			if (!final && (size_t)(end - p) < CSV_LINE_MAX)
				break;
			nl = end;
		}
		line++;
		next = (size_t)(nl - buf) + (nl < end);
		ll = (size_t)(nl - p);
		if (ll > 0 && p[ll - 1] == '\r')
			ll--;
		if (ll >= CSV_LINE_MAX)
			return errbuf_set(err, errlen, "%s:%d: line too long",
			    file, line);
		if (ll == 0)
			goto done;
		if ((n = split(p, ll, f, CSV_COLS_MAX)) == -1)
			return errbuf_set(err, errlen, "%s:%d: more than %d "
			    "columns", file, line, CSV_COLS_MAX);
		if (h->ch_ncol == 0) {
			if (csv_header_parse(f, n, h, file, line, err,
			    errlen) == -1)
				return -1;
			goto done;
		}
		if (n != h->ch_ncol) {
			errbuf_set(err, errlen, "%s:%d: %d columns; should be "
			    "%d as in the header", file, line, n, h->ch_ncol);
			goto bad;
		}
		lease_init(&l, 0);
		if (csv_row(f, h->ch_col, &l, &bad) == -1) {
			errbuf_set(err, errlen, "%s:%d: %s: bad value", file,
			    line, bad);
			goto bad;
		}
		if (cb(&l, next, arg) != 0)
			return errbuf_set(err, errlen, "%s:%d: lease rejected",
			    file, line);
		goto done;
bad:
		/*
		 * Kea skips a row it cannot read (logging it) and reads on:
		 * a follower does the same, so one row does not stop the
		 * replication of all the others.
		 */
		if (skip == NULL)
			return -1;
		snprintf(why, sizeof(why), "%s", err);
		sk.ls_lease = 1;
		sk.ls_have_addr = h->ch_col[C_ADDR] < n &&
		    lease_addr_parse(f[h->ch_col[C_ADDR]].s,
		    f[h->ch_col[C_ADDR]].n, &sk.ls_addr) == 0;
		if (!sk.ls_have_addr)
			sk.ls_addr = 0;
		sk.ls_line = line;
		sk.ls_why = why;
		if (skip(&sk, next, arg) != 0)
			return errbuf_set(err, errlen, "%s:%d: rejected", file,
			    line);
done:
		*used = next;
		*lines = line + 1;
	}
	return 0;
}

int
csv_parse(const char *buf, size_t len, const char *file, leases_cb cb,
    void *arg, char *err, size_t errlen)
{
	struct csv_hdr h = { .ch_ncol = 0 };
	size_t used;
	int lines;

	if (csv_parse_more(buf, len, file, 1, 1, &h, cb, arg, &used, &lines,
	    err, errlen) == -1)
		return -1;
	if (h.ch_ncol == 0)
		return errbuf_set(err, errlen, "%s: no header line", file);
	return 0;
}

int
csv_format(const struct lease *l, uint32_t subnet_id, char *buf, size_t len)
{
	char ip[16], hw[LEASE_HW_MAX * 3 + 1], cid[LEASE_UID_MAX * 3 + 1];
	char host[LEASE_HOST_MAX * 5 + 1], ctx[KCTX_MAX + 1];
	char ctxcol[KCTX_MAX * 5 + 1];
	int64_t expire, valid, start;
	size_t i, o = 0;
	int state, n, fqdn;

	switch (l->l_state) {
	case LS_ACTIVE: case LS_RESERVED: case LS_BOOTP:
		state = 0;
		break;
	case LS_ABANDONED:
		state = 1;
		break;
	case LS_FREE: case LS_EXPIRED: case LS_RELEASED: case LS_RESET:
		state = 2;
		break;
	default:
		return 0;	/* backup pool entries: nothing in Kea */
	}
	start = l->l_cltt != LEASE_T_NONE ? l->l_cltt : l->l_starts;
	if (l->l_ends == LEASE_T_NONE || start == LEASE_T_NONE || start < 0)
		return 0;
	if (l->l_ends == LEASE_T_NEVER) {
		valid = 0xffffffffll;
		expire = start + valid;
	} else {
		expire = l->l_ends;
		valid = expire - start;
		if (valid < 0 || valid >= 0xffffffffll)
			valid = 0;
	}
	lease_addr_format(l->l_addr, ip, sizeof(ip));
	if (lease_hex_format(hw, sizeof(hw), l->l_hw, l->l_hwlen) == -1 ||
	    lease_hex_format(cid, sizeof(cid), l->l_uid, l->l_uidlen) == -1)
		return -1;
	for (i = 0; i < l->l_hostlen; i++) {
		if (l->l_host[i] == ',') {
			memcpy(host + o, "&#x2c", 5);
			o += 5;
		} else if (l->l_host[i] < 0x20 || l->l_host[i] == 0x7f)
			host[o++] = '?';	/* Kea would not read it */
		else
			host[o++] = (char)l->l_host[i];
	}
	host[o] = '\0';
	n = (int)kctx_get(l, ctx, sizeof(ctx));
	for (i = 0, o = 0; i < (size_t)n; i++) {
		if (ctx[i] == ',') {
			memcpy(ctxcol + o, "&#x2c", 5);
			o += 5;
		} else
			ctxcol[o++] = ctx[i] == '\n' ? ' ' : ctx[i];
	}
	ctxcol[o] = '\0';
	fqdn = kfqdn_get(l);
	n = snprintf(buf, len, "%s,%s,%s,%" PRId64 ",%" PRId64 ",%" PRIu32
	    ",%d,%d,%s,%d,%s,0\n", ip, hw, cid, valid, expire, subnet_id,
	    (fqdn & KFQDN_FWD) != 0, (fqdn & KFQDN_REV) != 0, host, state,
	    ctxcol);
	return n < 0 || (size_t)n >= len ? -1 : n;
}
