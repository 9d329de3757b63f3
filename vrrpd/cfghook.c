/* SPDX-License-Identifier: ISC */
/*
 * global_defs' start and stop commands, as keepalived 2.2.7 reads them:
 *	startup_script "CMD" [USER [GROUP]]	before the instances start
 *	startup_script_timeout SECONDS		1 to 1000, default 10
 *	shutdown_script "CMD" [USER [GROUP]]	after they stopped
 *	shutdown_script_timeout SECONDS
 * The runner runs them as it runs a notify command (hook.c, runner.c).
 */
#include <stdio.h>
#include <string.h>

#include "cfgext.h"

#define HOOK_TIMEOUT_MAX	1000000000ULL	/* 1000 s, keepalived's */

int
p_global_hook(struct parser *p, const struct stmt *s)
{
	static const char *const kws[] = { "startup_script",
	    "shutdown_script", "startup_script_timeout",
	    "shutdown_script_timeout" };
	const char *kw = s->s_kw->t_text;
	struct cfg_hook *h;
	uint64_t t;
	int i;

	for (i = 0; i < 4 && strcmp(kw, kws[i]) != 0; i++)
		;
	if (i == 4)
		return 0;
	h = &p->p_cf->cf_hooks[i % 2];
	if (i < 2) {
		p_notify(p, s, h->ch_cmd, h->ch_user, h->ch_group);
		return 1;
	}
	if (p_dur(p, s, &t) == -1)
		return 1;
	if (t < 1000000 || t > HOOK_TIMEOUT_MAX) {
		cfg_err(p, s->s_kw, "%s: %s is not 1 to 1000 seconds", kw,
		    s->s_args[0]->t_text);
		return 1;
	}
	h->ch_timeout = t;
	return 1;
}
