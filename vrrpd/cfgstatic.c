/* SPDX-License-Identifier: ISC */
/*
 * static_ipaddress, static_routes and static_rules: top-level blocks of
 * addresses, routes and rules that keepalived 2.2.7 adds at start
 * whatever the VRRP state, removes at stop, and on a reload removes only
 * those the new file no longer has.  Their lines are virtual_ipaddress's
 * (cfgvip.c) and virtual_routes' and virtual_rules' (cfgroute.c).
 */
#include <string.h>

#include "cfgext.h"

int
cfgstatic_top(struct parser *p, struct stmt *s)
{
	struct cfg_static *st = &p->p_cf->cf_static;

	if (strcmp(s->s_kw->t_text, "static_ipaddress") != 0)
		return cfgroute_static(p, st, s);
	if (!s->s_block)
		cfg_err(p, s->s_kw, "static_ipaddress: needs a { } block");
	else
		p_vip_block(p, s, st->cst_vips, &st->cst_nvips, CFG_MAX_EVIPS);
	return 1;
}
