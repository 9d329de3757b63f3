/* SPDX-License-Identifier: ISC */
/*
 * The state file, a header and one key=value line per resume point:
 *
 *	dhcpsync-state 1
 *	id=HEX epoch=HEX dev=HEX ino=HEX peer=HEX ack=HEX [hist=HEX] [size=HEX]
 *
 * (one per line).  The parser is strict: a file that is cut short must
 * not read as smaller numbers (an epoch going back would reuse sequence
 * numbers the peer has acknowledged), so every key is required, once,
 * and every line must end.  Only hist and size are optional: dhcpd's
 * files have no hist, and one lost hist merely starts a new epoch; size
 * (the lease file's, when the state was saved) came later, and without
 * it a lease file cut short in place is not noticed at start.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "errbuf.h"
#include "state.h"

#define STATE_HEADER	"dhcpsync-state 1"

static const struct {
	const char *name;
	size_t	 off;
	int	 required;
} state_keys[] = {
	{ "id",		offsetof(struct ds_state, st_id),	1 },
	{ "epoch",	offsetof(struct ds_state, st_epoch),	1 },
	{ "dev",	offsetof(struct ds_state, st_dev),	1 },
	{ "ino",	offsetof(struct ds_state, st_ino),	1 },
	{ "peer",	offsetof(struct ds_state, st_peer),	1 },
	{ "ack",	offsetof(struct ds_state, st_ack),	1 },
	{ "hist",	offsetof(struct ds_state, st_hist),	0 },
	{ "size",	offsetof(struct ds_state, st_size),	0 },
};
#define STATE_NKEYS	(sizeof(state_keys) / sizeof(state_keys[0]))

static int
state_key(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < STATE_NKEYS; i++)
		if (strlen(state_keys[i].name) == n &&
		    memcmp(state_keys[i].name, s, n) == 0)
			return (int)i;
	return -1;
}

/* 1 to 16 lowercase hex digits, as state_format() writes them. */
static int
state_hex(const char *s, size_t n, uint64_t *v)
{
	size_t i;
	int d;

	if (n == 0 || n > 16)
		return -1;
	*v = 0;
	for (i = 0; i < n; i++) {
		if (s[i] >= '0' && s[i] <= '9')
			d = s[i] - '0';
		else if (s[i] >= 'a' && s[i] <= 'f')
			d = s[i] - 'a' + 10;
		else
			return -1;
		*v = *v << 4 | (uint64_t)d;
	}
	return 0;
}

/* One "key=value" line (without its newline) into st; seen marks keys. */
static int
state_line(const char *s, size_t n, struct ds_state *st, unsigned *seen,
    char *why, size_t whylen)
{
	const char *eq = memchr(s, '=', n);
	uint64_t v;
	int k;

	if (eq == NULL) {
		snprintf(why, whylen, "not a key=value line");
		return -1;
	}
	if ((k = state_key(s, (size_t)(eq - s))) == -1) {
		snprintf(why, whylen, "unknown key \"%.*s\"",
		    (int)((eq - s) > 16 ? 16 : eq - s), s);
		return -1;
	}
	if (*seen & 1u << k) {
		snprintf(why, whylen, "%s given twice", state_keys[k].name);
		return -1;
	}
	if (state_hex(eq + 1, n - (size_t)(eq + 1 - s), &v) == -1) {
		snprintf(why, whylen, "%s: not 1 to 16 hex digits",
		    state_keys[k].name);
		return -1;
	}
	*seen |= 1u << k;
	*(uint64_t *)(void *)((char *)st + state_keys[k].off) = v;
	return 0;
}

static int
state_check(const struct ds_state *st, unsigned seen, char *why,
    size_t whylen)
{
	size_t i;

	for (i = 0; i < STATE_NKEYS; i++)
		if (state_keys[i].required && !(seen & 1u << i)) {
			snprintf(why, whylen, "ends without %s (cut short?)",
			    state_keys[i].name);
			return -1;
		}
	if (st->st_id == 0) {
		snprintf(why, whylen, "id is 0");
		return -1;
	}
	if (st->st_epoch > STATE_EPOCH_MAX) {
		snprintf(why, whylen, "epoch is %" PRIx64 "; should be at "
		    "most %" PRIx64, st->st_epoch, (uint64_t)STATE_EPOCH_MAX);
		return -1;
	}
	return 0;
}

int
state_parse(const char *buf, size_t len, const char *path,
    struct ds_state *out, char *err, size_t errlen)
{
	struct ds_state st;
	char why[128];
	const char *p = buf, *nl;
	unsigned seen = 0;
	int line = 0;

	memset(&st, 0, sizeof(st));
	if (len == 0) {
		snprintf(why, sizeof(why), "empty");
		line = 1;
		goto bad;
	}
	if (len > STATE_MAX) {
		snprintf(why, sizeof(why), "longer than %d bytes", STATE_MAX);
		line = 1;
		goto bad;
	}
	while (p < buf + len) {
		line++;
		if ((nl = memchr(p, '\n', (size_t)(buf + len - p))) == NULL) {
			snprintf(why, sizeof(why), "line not ended (cut short?)");
			goto bad;
		}
		if (line == 1) {
			if ((size_t)(nl - p) != strlen(STATE_HEADER) ||
			    memcmp(p, STATE_HEADER, (size_t)(nl - p)) != 0) {
				snprintf(why, sizeof(why), "not \"%s\"",
				    STATE_HEADER);
				goto bad;
			}
		} else if (state_line(p, (size_t)(nl - p), &st, &seen, why,
		    sizeof(why)) == -1)
			goto bad;
		p = nl + 1;
	}
	line++;
	if (state_check(&st, seen, why, sizeof(why)) == -1)
		goto bad;
	*out = st;
	return 0;
bad:
	return errbuf_set(err, errlen, "%s:%d: %s", path, line, why);
}

int
state_format(const struct ds_state *st, int hist, char *buf, size_t len)
{
	int n, m = 0;

	n = snprintf(buf, len, "%s\nid=%" PRIx64 "\nepoch=%" PRIx64 "\ndev=%"
	    PRIx64 "\nino=%" PRIx64 "\npeer=%" PRIx64 "\nack=%" PRIx64 "\n",
	    STATE_HEADER, st->st_id, st->st_epoch, st->st_dev, st->st_ino,
	    st->st_peer, st->st_ack);
	if (n < 0 || (size_t)n >= len)
		return -1;
	if (hist) {
		m = snprintf(buf + n, len - (size_t)n, "hist=%" PRIx64 "\n",
		    st->st_hist);
		if (m < 0 || (size_t)m >= len - (size_t)n)
			return -1;
		n += m;
	}
	m = snprintf(buf + n, len - (size_t)n, "size=%" PRIx64 "\n",
	    st->st_size);
	if (m < 0 || (size_t)m >= len - (size_t)n)
		return -1;
	return n + m;
}
