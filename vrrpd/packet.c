/* SPDX-License-Identifier: ISC */
/*
 * VRRP packets in and out.  The parser checks in the order FRR's
 * vrrp_pkt_parse_datagram() and RFC 5798 section 7.1 do: every length
 * before the bytes it guards, then TTL, version, type, checksum and the
 * size the address count implies.  Instance checks (VRID, auth, interval)
 * are apart, in vrrp_pkt_check().
 */
#include <arpa/inet.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "packet.h"

static const char *const vrrp_drop_names[VRRP_DROP_MAX] = {
	[VRRP_OK]		= "ok",
	[VRRP_DROP_LENGTH]	= "length",
	[VRRP_DROP_TTL]		= "ttl",
	[VRRP_DROP_VERSION]	= "version",
	[VRRP_DROP_TYPE]	= "type",
	[VRRP_DROP_CHECKSUM]	= "checksum",
	[VRRP_DROP_ADDRCOUNT]	= "addrcount",
	[VRRP_DROP_AUTH]	= "auth",
	[VRRP_DROP_VRID]	= "vrid",
	[VRRP_DROP_INTERVAL]	= "interval",
	[VRRP_DROP_FAMILY]	= "family",
	[VRRP_DROP_OWN]		= "own",
	[VRRP_DROP_PEER]	= "peer",
	[VRRP_DROP_SOURCE]	= "source",
	[VRRP_DROP_ADDRLIST]	= "addrlist",
};

const char *
vrrp_drop_name(enum vrrp_drop d)
{
	if ((unsigned)d >= VRRP_DROP_MAX)
		return "unknown";
	return vrrp_drop_names[d];
}

static enum vrrp_drop
pkt_err(enum vrrp_drop d, char *err, size_t errlen, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static enum vrrp_drop
pkt_err(enum vrrp_drop d, char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	if (err && errlen > 0) {
		va_start(ap, fmt);
		vsnprintf(err, errlen, fmt, ap);
		va_end(ap);
	}
	return d;
}

uint16_t
vrrp_cksum(const void *buf, size_t len, uint32_t sum)
{
	const uint8_t *p = buf;

	while (len > 1) {
		sum += (uint32_t)(p[0] << 8 | p[1]);
		p += 2;
		len -= 2;
	}
	if (len == 1)
		sum += (uint32_t)(p[0] << 8);
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

/* Partial sum of the v3 pseudo-header (RFC 5798 5.2.8, RFC 2460 8.1). */
static uint32_t
pkt_pseudo_sum(int family, const union vrrp_addr *src,
    const union vrrp_addr *dst, size_t len)
{
	uint8_t ph[40];
	size_t alen = family == AF_INET ? 4 : 16, i;
	uint32_t sum = 0;

	memcpy(ph, family == AF_INET ? (const void *)&src->v4 :
	    (const void *)&src->v6, alen);
	memcpy(ph + alen, family == AF_INET ? (const void *)&dst->v4 :
	    (const void *)&dst->v6, alen);
	for (i = 0; i < 2 * alen; i += 2)
		sum += (uint32_t)(ph[i] << 8 | ph[i + 1]);
	sum += VRRP_PROTO;
	sum += (uint32_t)len;
	return sum;
}

/* The VRRP part, once the IP layer has been checked. */
static enum vrrp_drop
pkt_parse_vrrp(const uint8_t *v, size_t len, struct vrrp_pkt *out,
    char *err, size_t errlen)
{
	size_t alen = out->vp_family == AF_INET ? 4 : 16, want, i;
	uint16_t ck;

	if (len < VRRP_HDR_LEN)
		return pkt_err(VRRP_DROP_LENGTH, err, errlen,
		    "length: is %zu; should be at least %d", len, VRRP_HDR_LEN);
	out->vp_version = v[0] >> 4;
	out->vp_type = v[0] & 0x0f;
	if (out->vp_version != 2 && out->vp_version != 3)
		return pkt_err(VRRP_DROP_VERSION, err, errlen,
		    "version: is %u; should be 2 or 3", out->vp_version);
	if (out->vp_version == 2 && out->vp_family != AF_INET)
		return pkt_err(VRRP_DROP_VERSION, err, errlen,
		    "version: is 2 over IPv6; should be 3");
	if (out->vp_type != VRRP_TYPE_ADVERT)
		return pkt_err(VRRP_DROP_TYPE, err, errlen,
		    "type: is %u; should be %d", out->vp_type, VRRP_TYPE_ADVERT);
	if (out->vp_version == 3)
		ck = vrrp_cksum(v, len, pkt_pseudo_sum(out->vp_family,
		    &out->vp_src, &out->vp_dst, len));
	else
		ck = vrrp_cksum(v, len, 0);
	if (ck != 0)
		return pkt_err(VRRP_DROP_CHECKSUM, err, errlen,
		    "checksum: is 0x%04x; should be 0x%04x",
		    (unsigned)(v[6] << 8 | v[7]),
		    (unsigned)(uint16_t)((v[6] << 8 | v[7]) + ck));
	out->vp_vrid = v[1];
	out->vp_priority = v[2];
	out->vp_naddr = v[3];
	if (out->vp_version == 2) {
		out->vp_auth_type = v[4];
		out->vp_adver_int = v[5];
	} else {
		out->vp_auth_type = VRRP_AUTH_NONE;
		out->vp_adver_int = (uint16_t)((v[4] & 0x0f) << 8 | v[5]);
	}
	want = VRRP_HDR_LEN + alen * out->vp_naddr +
	    (out->vp_version == 2 ? VRRP_AUTH_LEN : 0);
	if (len != want)
		return pkt_err(VRRP_DROP_ADDRCOUNT, err, errlen,
		    "count_ip: %u addresses need %zu bytes; packet has %zu",
		    out->vp_naddr, want, len);
	for (i = 0; i < out->vp_naddr; i++)
		memcpy(&out->vp_addrs[i], v + VRRP_HDR_LEN + i * alen, alen);
	memset(out->vp_auth, 0, sizeof(out->vp_auth));
	if (out->vp_version == 2)
		memcpy(out->vp_auth, v + VRRP_HDR_LEN + alen * out->vp_naddr,
		    VRRP_AUTH_LEN);
	return VRRP_OK;
}

enum vrrp_drop
vrrp_pkt_parse4(const uint8_t *buf, size_t len, struct vrrp_pkt *out,
    char *err, size_t errlen)
{
	size_t ihl, tot;

	memset(out, 0, sizeof(*out));
	out->vp_family = AF_INET;
	if (len < 20)
		return pkt_err(VRRP_DROP_LENGTH, err, errlen,
		    "ip length: is %zu; should be at least 20", len);
	if (buf[0] >> 4 != 4)
		return pkt_err(VRRP_DROP_VERSION, err, errlen,
		    "ip version: is %u; should be 4", buf[0] >> 4);
	ihl = (size_t)(buf[0] & 0x0f) * 4;
	if (ihl < 20 || ihl > len)
		return pkt_err(VRRP_DROP_LENGTH, err, errlen,
		    "ip header length: is %zu; should be 20..%zu", ihl, len);
	tot = (size_t)(buf[2] << 8 | buf[3]);
	if (tot != len)
		return pkt_err(VRRP_DROP_LENGTH, err, errlen,
		    "ip total length: is %zu; should be %zu (bytes read)",
		    tot, len);
	if (buf[9] != VRRP_PROTO)
		return pkt_err(VRRP_DROP_TYPE, err, errlen,
		    "ip protocol: is %u; should be %d", buf[9], VRRP_PROTO);
	out->vp_ttl = buf[8];
	memcpy(&out->vp_src.v4, buf + 12, 4);
	memcpy(&out->vp_dst.v4, buf + 16, 4);
	if (out->vp_ttl != VRRP_TTL)
		return pkt_err(VRRP_DROP_TTL, err, errlen,
		    "ttl: is %u; should be %d", out->vp_ttl, VRRP_TTL);
	return pkt_parse_vrrp(buf + ihl, len - ihl, out, err, errlen);
}

enum vrrp_drop
vrrp_pkt_parse6(const uint8_t *buf, size_t len, const struct in6_addr *src,
    const struct in6_addr *dst, int hoplimit, struct vrrp_pkt *out,
    char *err, size_t errlen)
{
	memset(out, 0, sizeof(*out));
	out->vp_family = AF_INET6;
	out->vp_src.v6 = *src;
	out->vp_dst.v6 = *dst;
	out->vp_ttl = hoplimit >= 0 && hoplimit <= 255 ? (uint8_t)hoplimit : 0;
	if (hoplimit != VRRP_TTL)
		return pkt_err(VRRP_DROP_TTL, err, errlen,
		    "hop limit: is %d; should be %d", hoplimit, VRRP_TTL);
	return pkt_parse_vrrp(buf, len, out, err, errlen);
}

enum vrrp_drop
vrrp_pkt_check(const struct vrrp_pkt *p, const struct vrrp_expect *e,
    char *err, size_t errlen)
{
	if (p->vp_vrid != e->ve_vrid)
		return pkt_err(VRRP_DROP_VRID, err, errlen,
		    "vrid: is %u; should be %u", p->vp_vrid, e->ve_vrid);
	if (p->vp_version != e->ve_version)
		return pkt_err(VRRP_DROP_VERSION, err, errlen,
		    "version: is %u; should be %u", p->vp_version,
		    e->ve_version);
	if (p->vp_version == 2) {
		if (p->vp_auth_type != e->ve_auth_type)
			return pkt_err(VRRP_DROP_AUTH, err, errlen,
			    "auth_type: is %u; should be %u",
			    p->vp_auth_type, e->ve_auth_type);
		/* keepalived compares all 8 bytes, NUL padded. */
		if (e->ve_auth_type == VRRP_AUTH_PASS &&
		    strncmp(p->vp_auth, e->ve_auth ? e->ve_auth : "",
		    VRRP_AUTH_LEN) != 0)
			return pkt_err(VRRP_DROP_AUTH, err, errlen,
			    "auth_pass: does not match");
		/* RFC 3768 7.1: a v2 interval mismatch MUST be dropped. */
		if (p->vp_adver_int != e->ve_adver_int)
			return pkt_err(VRRP_DROP_INTERVAL, err, errlen,
			    "adver_int: is %us; should be %us",
			    p->vp_adver_int, e->ve_adver_int);
	}
	return VRRP_OK;
}

enum vrrp_drop
vrrp_pkt_addrs(const struct vrrp_pkt *p, const struct vrrp_pkt *ours,
    char *err, size_t errlen)
{
	size_t alen = p->vp_family == AF_INET ? 4 : 16;
	char a[INET6_ADDRSTRLEN];
	int i, j, n = ours->vp_naddr;

	if (p->vp_naddr != n)
		return pkt_err(VRRP_DROP_ADDRLIST, err, errlen,
		    "count_ip: is %u; should be %d (the VIPs)", p->vp_naddr, n);
	for (i = 0; i < n; i++) {
		for (j = 0; j < n; j++)
			if (memcmp(&p->vp_addrs[j], &ours->vp_addrs[i],
			    alen) == 0)
				break;
		if (j == n)
			return pkt_err(VRRP_DROP_ADDRLIST, err, errlen,
			    "addresses: %s missing", inet_ntop(p->vp_family,
			    &ours->vp_addrs[i], a, sizeof(a)));
	}
	return VRRP_OK;
}

int
vrrp_pkt_build(const struct vrrp_pkt *p, uint8_t *buf, size_t len)
{
	size_t alen = p->vp_family == AF_INET ? 4 : 16, n, i;
	uint16_t ck;

	n = VRRP_HDR_LEN + alen * p->vp_naddr +
	    (p->vp_version == 2 ? VRRP_AUTH_LEN : 0);
	if (n > len || (p->vp_version != 2 && p->vp_version != 3) ||
	    (p->vp_version == 2 && p->vp_family != AF_INET))
		return -1;
	memset(buf, 0, n);
	buf[0] = (uint8_t)(p->vp_version << 4 | (p->vp_type & 0x0f));
	buf[1] = p->vp_vrid;
	buf[2] = p->vp_priority;
	buf[3] = p->vp_naddr;
	if (p->vp_version == 2) {
		buf[4] = p->vp_auth_type;
		buf[5] = (uint8_t)p->vp_adver_int;
	} else {
		buf[4] = (uint8_t)((p->vp_adver_int >> 8) & 0x0f);
		buf[5] = (uint8_t)p->vp_adver_int;
	}
	for (i = 0; i < p->vp_naddr; i++)
		memcpy(buf + VRRP_HDR_LEN + i * alen, &p->vp_addrs[i], alen);
	if (p->vp_version == 2) {
		if (p->vp_auth_type == VRRP_AUTH_PASS)
			memcpy(buf + VRRP_HDR_LEN + alen * p->vp_naddr,
			    p->vp_auth, strnlen(p->vp_auth, VRRP_AUTH_LEN));
		ck = vrrp_cksum(buf, n, 0);
	} else
		ck = vrrp_cksum(buf, n, pkt_pseudo_sum(p->vp_family,
		    &p->vp_src, &p->vp_dst, n));
	buf[6] = (uint8_t)(ck >> 8);
	buf[7] = (uint8_t)ck;
	return (int)n;
}

int
vrrp_pkt_build4(const struct vrrp_pkt *p, uint8_t *buf, size_t len)
{
	int n;
	uint16_t ck;

	if (len < 20 || p->vp_family != AF_INET)
		return -1;
	if ((n = vrrp_pkt_build(p, buf + 20, len - 20)) < 0)
		return -1;
	memset(buf, 0, 20);
	buf[0] = 0x45;
	buf[1] = 0xc0;		/* precedence "internetwork control" */
	buf[2] = (uint8_t)((n + 20) >> 8);
	buf[3] = (uint8_t)(n + 20);
	buf[8] = p->vp_ttl;
	buf[9] = VRRP_PROTO;
	memcpy(buf + 12, &p->vp_src.v4, 4);
	memcpy(buf + 16, &p->vp_dst.v4, 4);
	ck = vrrp_cksum(buf, 20, 0);
	buf[10] = (uint8_t)(ck >> 8);
	buf[11] = (uint8_t)ck;
	return n + 20;
}
