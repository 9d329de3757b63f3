/* SPDX-License-Identifier: ISC */
/*
 * MySQL packets as haproxy 2.6's mysql-check reads them: a 3-byte
 * little-endian length, a sequence id, the payload; a payload starting
 * with 0xff is an ERR packet (2-byte code, in 4.1 "#" and a 5-byte SQL
 * state, the message).  Every read stays inside the bytes given.
 */
#include <string.h>

#include "mysqlreply.h"

static size_t
mr_len3(const unsigned char *p)
{
	return p[0] | (size_t)p[1] << 8 | (size_t)p[2] << 16;
}

/* The text from byte from to byte to of buf (empty if from is past). */
static void
mr_text(struct mysqlreply *mr, const unsigned char *buf, size_t from,
    size_t to)
{
	mr->mr_text = buf + (from < to ? from : to);
	mr->mr_textlen = from < to ? to - from : 0;
}

enum mysqlreply_st
mysqlreply_parse(const unsigned char *buf, size_t len, int second,
    struct mysqlreply *mr)
{
	size_t off = 0, plen, m;

	memset(mr, 0, sizeof(*mr));
	if (second) {
		if (len < 4)
			return MR_SHORT;
		off = 4 + mr_len3(buf);
	}
	if (len < off + 5)
		return MR_SHORT;
	plen = mr_len3(buf + off);
	if (len < off + 4 + plen)
		return MR_SHORT;
	if (buf[off + 4] == 0xff) {
		/* the code is read from the bytes that came, even past the
		 * end of a packet too short to hold one */
		mr->mr_code = len > off + 6 ?
		    buf[off + 5] | buf[off + 6] << 8 : 0;
		m = off + 7;
		if (m < len && buf[m] == '#')
			m += 6;
		mr_text(mr, buf, m, off + 4 + plen);
		return MR_ERR;
	}
	/* the greeting's server version, from byte 5 on */
	mr_text(mr, buf, 5, len);
	return MR_OK;
}
