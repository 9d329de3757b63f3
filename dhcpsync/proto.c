/* SPDX-License-Identifier: ISC */
/*
 * Stream lines: parse and format, nothing else.  Whatever a peer sends
 * lands here first, so every field is checked before it is believed.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "errbuf.h"
#include "dhcpd-file.h"
#include "proto.h"

uint32_t
proto_crc32(uint32_t crc, const void *buf, size_t len)
{
	static uint32_t tab[256];
	const uint8_t *p = buf;
	uint32_t c;
	int i, k;

	if (tab[1] == 0)
		for (i = 0; i < 256; i++) {
			for (c = (uint32_t)i, k = 0; k < 8; k++)
				c = c & 1 ? 0xedb88320u ^ (c >> 1) : c >> 1;
			tab[i] = c;
		}
	crc = ~crc;
	while (len-- > 0)
		crc = tab[(crc ^ *p++) & 0xff] ^ (crc >> 8);
	return ~crc;
}

/* Next space-separated word of [*p, end). */
static int
word(const char **p, const char *end, const char **w, size_t *n)
{
	*w = *p;
	while (*p < end && **p != ' ')
		(*p)++;
	*n = (size_t)(*p - *w);
	if (*p < end)
		(*p)++;
	return *n > 0 ? 0 : -1;
}

static int
num(const char *s, size_t n, int base, uint64_t *out)
{
	uint64_t v = 0, d;
	size_t i;

	if (n == 0 || n > (base == 16 ? 16u : 19u))
		return -1;
	for (i = 0; i < n; i++) {
		if (s[i] >= '0' && s[i] <= '9')
			d = (uint64_t)(s[i] - '0');
		else if (base == 16 && s[i] >= 'a' && s[i] <= 'f')
			d = (uint64_t)(s[i] - 'a' + 10);
		else
			return -1;
		v = v * (uint64_t)base + d;
	}
	*out = v;
	return 0;
}

static int
kv(const char **p, const char *end, const char *key, int base, uint64_t *out)
{
	const char *w;
	size_t n, kl = strlen(key);

	if (word(p, end, &w, &n) == -1 || n <= kl + 1 ||
	    memcmp(w, key, kl) != 0 || w[kl] != '=')
		return -1;
	return num(w + kl + 1, n - kl - 1, base, out);
}

static int
check_one(const struct lease *l, size_t end, void *arg)
{
	*(struct lease *)arg = *l;
	return 0;
}

int
proto_record_check(const char *rec, size_t len, struct lease *l, char *err,
    size_t errlen)
{
	static char canon[LEASE_REC_MAX], text[LEASE_REC_MAX];
	char e2[128];
	struct lease back;
	size_t used;
	int n, lines;

	if (lease_decode(rec, len, l, err, errlen) == -1)
		return -1;
	n = lease_encode(l, canon, sizeof(canon));
	if (n < 0 || (size_t)n != len || memcmp(canon, rec, len) != 0)
		return errbuf_set(err, errlen, "record: not canonical");
	if ((n = leases_format(l, text, sizeof(text))) < 0)
		return errbuf_set(err, errlen, "record: too long for dhcpd");
	lease_init(&back, 0);
	if (leases_parse(text, (size_t)n, "record", 1, 1, check_one, NULL,
	    &back, &used, &lines, e2, sizeof(e2)) == -1 ||
	    lease_encode(&back, text, sizeof(text)) != (int)len ||
	    memcmp(text, rec, len) != 0)
		return errbuf_set(err, errlen, "record: does not survive "
		    "dhcpd's format");
	return 0;
}

int
proto_parse(const char *line, size_t len, struct proto_msg *m, char *err,
    size_t errlen)
{
	const char *p = line, *end = line + len, *w;
	uint64_t v, crc;
	size_t n;

	memset(m, 0, sizeof(*m));
	if (len >= PROTO_LINE_MAX)
		return errbuf_set(err, errlen, "line too long (%zu bytes)",
		    len);
	if (word(&p, end, &w, &n) == -1)
		return errbuf_set(err, errlen, "empty line");
	if (n == 5 && memcmp(w, "HELLO", 5) == 0) {
		m->pm_type = PM_HELLO;
		if (word(&p, end, &w, &n) == -1 || num(w, n, 10, &v) == -1)
			return errbuf_set(err, errlen, "HELLO: bad version");
		if (v != PROTO_VERSION)
			return errbuf_set(err, errlen, "HELLO: version is %"
			    PRIu64 "; should be %d", v, PROTO_VERSION);
		if (kv(&p, end, "id", 16, &m->pm_id) == -1 ||
		    kv(&p, end, "peer", 16, &m->pm_peer) == -1 ||
		    kv(&p, end, "ack", 10, &m->pm_seq) == -1 || p != end)
			return errbuf_set(err, errlen, "HELLO: bad id, peer or "
			    "ack");
		return 0;
	}
	if (n == 1 && w[0] == 'R') {
		m->pm_type = PM_RECORD;
		if (word(&p, end, &w, &n) == -1 || num(w, n, 10,
		    &m->pm_seq) == -1 || m->pm_seq == 0)
			return errbuf_set(err, errlen, "R: bad sequence "
			    "number");
		if (word(&p, end, &w, &n) == -1 || n != 8 ||
		    num(w, n, 16, &crc) == -1)
			return errbuf_set(err, errlen, "R %" PRIu64 ": bad "
			    "checksum field", m->pm_seq);
		m->pm_rec = p;
		m->pm_reclen = (size_t)(end - p);
		/* the checksum covers "SEQ RECORD" */
		{
			const char *s = line + 2;
			uint32_t c = proto_crc32(0, s, (size_t)(w - 1 - s));
			c = proto_crc32(c, " ", 1);
			c = proto_crc32(c, p, m->pm_reclen);
			if (c != (uint32_t)crc)
				return errbuf_set(err, errlen, "R %" PRIu64 ": "
				    "checksum is %08" PRIx64 "; should be %08x",
				    m->pm_seq, crc, c);
		}
		if (proto_record_check(m->pm_rec, m->pm_reclen, &m->pm_lease,
		    err, errlen) == -1)
			return -1;
		return 0;
	}
	if ((n == 6 && memcmp(w, "SYNCED", 6) == 0) ||
	    (n == 3 && memcmp(w, "ACK", 3) == 0)) {
		m->pm_type = n == 3 ? PM_ACK : PM_SYNCED;
		if (word(&p, end, &w, &n) == -1 || num(w, n, 10,
		    &m->pm_seq) == -1 || p != end)
			return errbuf_set(err, errlen, "%s: bad sequence "
			    "number", m->pm_type == PM_ACK ? "ACK" : "SYNCED");
		return 0;
	}
	if (n == 7 && memcmp(w, "SKIPPED", 7) == 0) {
		m->pm_type = PM_SKIPPED;
		if (word(&p, end, &w, &n) == -1 || num(w, n, 10,
		    &m->pm_skipped) == -1 || word(&p, end, &w, &n) == -1 ||
		    n != 1 || (w[0] != '0' && w[0] != '1') || p != end)
			return errbuf_set(err, errlen, "SKIPPED: bad count or "
			    "flag");
		m->pm_broken = w[0] == '1';
		return 0;
	}
	return errbuf_set(err, errlen, "unknown message \"%.*s\"",
	    n > 16 ? 16 : (int)n, w);
}

int
proto_hello(char *buf, size_t len, uint64_t id, uint64_t peer, uint64_t ack)
{
	int n = snprintf(buf, len, "HELLO %d id=%016" PRIx64 " peer=%016"
	    PRIx64 " ack=%" PRIu64 "\n", PROTO_VERSION, id, peer, ack);

	return n < 0 || (size_t)n >= len ? -1 : n;
}

int
proto_record(char *buf, size_t len, uint64_t seq, const char *rec,
    size_t reclen)
{
	char sq[24];
	uint32_t c;
	int n;

	snprintf(sq, sizeof(sq), "%" PRIu64, seq);
	c = proto_crc32(0, sq, strlen(sq));
	c = proto_crc32(c, " ", 1);
	c = proto_crc32(c, rec, reclen);
	n = snprintf(buf, len, "R %s %08x %.*s\n", sq, c, (int)reclen, rec);
	return n < 0 || (size_t)n >= len ? -1 : n;
}

int
proto_simple(char *buf, size_t len, const char *w, uint64_t seq)
{
	int n = snprintf(buf, len, "%s %" PRIu64 "\n", w, seq);

	return n < 0 || (size_t)n >= len ? -1 : n;
}

int
proto_skipped(char *buf, size_t len, uint64_t n, int broken)
{
	int r = snprintf(buf, len, "SKIPPED %" PRIu64 " %d\n", n, !!broken);

	return r < 0 || (size_t)r >= len ? -1 : r;
}
