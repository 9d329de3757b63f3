/* SPDX-License-Identifier: ISC */
/*
 * dhcpd.leases writer: prints what dhcpd's write_lease() prints, so
 * dhcpd -T reads the result back, and dhcpd-file.c's reader gives the
 * same lease again.
 */
#include <string.h>

#include "fbuf.h"
#include "dhcpd-file.h"

const char *
leases_header(void)
{
	return "# The format of this file is documented in the "
	    "dhcpd.leases(5) manual page.\n"
	    "# This lease file was written by dhcpsync (hatools)\n\n"
	    "# authoring-byte-order entry is generated, DO NOT DELETE\n"
	    "authoring-byte-order little-endian;\n\n";
}

static void
out_date(struct fbuf *o, const char *k, int64_t t)
{
	int y, mo, d, wd, h, mi, s;

	if (t == LEASE_T_NONE)
		return;
	if (t == LEASE_T_NEVER) {
		fbuf_printf(o, "  %s never;\n", k);
		return;
	}
	lease_civil_from_time(t, &y, &mo, &d, &wd, &h, &mi, &s);
	if (y < 1970 || y > 9999) {
		fbuf_printf(o, "  %s epoch %lld;\n", k, (long long)t);
		return;
	}
	fbuf_printf(o, "  %s %d %04d/%02d/%02d %02d:%02d:%02d;\n", k, wd, y, mo,
	    d, h, mi, s);
}

/* dhcpd's quotify_buf(): printable stays, the rest becomes \ooo. */
static void
out_quoted(struct fbuf *o, const uint8_t *p, size_t n)
{
	size_t i;

	fbuf_printf(o, "\"");
	for (i = 0; i < n && !o->over; i++) {
		if (p[i] == '"' || p[i] == '\'' || p[i] == '$' ||
		    p[i] == '`' || p[i] == '\\')
			fbuf_printf(o, "\\%c", p[i]);
		else if (p[i] >= 0x20 && p[i] < 0x7f)
			fbuf_printf(o, "%c", p[i]);
		else
			fbuf_printf(o, "\\%03o", p[i]);
	}
	fbuf_printf(o, "\"");
}

int
leases_format(const struct lease *l, char *buf, size_t len)
{
	struct fbuf o = { buf, len, 0, 0 };
	char ip[16], hwt[16], hw[3 * LEASE_HW_MAX + 1];
	const char *p, *e, *nl;
	size_t i;

	if (len == 0)
		return -1;
	lease_addr_format(l->l_addr, ip, sizeof(ip));
	fbuf_printf(&o, "lease %s {\n", ip);
	for (i = 0; i < LEASE_NTIMES; i++)
		out_date(&o, lease_time_names[i], l->l_times[i]);
	if (l->l_state)
		fbuf_printf(&o, "  binding state %s;\n",
		    lease_state_name(l->l_state));
	if (l->l_next)
		fbuf_printf(&o, "  next binding state %s;\n",
		    lease_state_name(l->l_next));
	if (l->l_rewind)
		fbuf_printf(&o, "  rewind binding state %s;\n",
		    lease_state_name(l->l_rewind));
	if (l->l_hwtype) {
		lease_hwtype_format(l, hwt, sizeof(hwt));
		lease_hex_format(hw, sizeof(hw), l->l_hw, l->l_hwlen);
		fbuf_printf(&o, "  hardware %s %s;\n", hwt, hw);
	}
	if (l->l_uidlen) {
		fbuf_printf(&o, "  uid ");
		out_quoted(&o, l->l_uid, l->l_uidlen);
		fbuf_printf(&o, ";\n");
	}
	for (p = l->l_extra, e = p + l->l_extralen; p < e; p = nl + 1) {
		if ((nl = memchr(p, '\n', (size_t)(e - p))) == NULL)
			nl = e;
		fbuf_printf(&o, "  %.*s\n", (int)(nl - p), p);
	}
	if (l->l_hostlen) {
		fbuf_printf(&o, "  client-hostname ");
		out_quoted(&o, l->l_host, l->l_hostlen);
		fbuf_printf(&o, ";\n");
	}
	fbuf_printf(&o, "}\n");
	return o.over ? -1 : (int)o.off;
}
