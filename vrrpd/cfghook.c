/* SPDX-License-Identifier: ISC */
/*
 * global_defs' start and stop commands, as keepalived 2.2.7 reads them:
 *	startup_script "CMD" [USER [GROUP]]	before the instances start
 *	startup_script_timeout SECONDS		1 to 1000, default 10
 *	shutdown_script "CMD" [USER [GROUP]]	after they stopped
 *	shutdown_script_timeout SECONDS
 * The runner runs them as it runs a notify command (hook.c, runner.c).
 * And umask NUMBER|BITS, the mode mask of vrrpd's files and its scripts.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cfgext.h"

#define HOOK_TIMEOUT_MAX	1000000000ULL	/* 1000 s, keepalived's */

/* keepalived's names of the bits: IRUSR|IWGRP|... */
static int
hook_umask_bits(const char *s)
{
	static const char *const who[] = { "USR", "GRP", "OTH" };
	static const char rwx[] = "RWX";
	const char *r, *w;
	int mask = 0, i, j;

	for (;;) {
		if (s[0] != 'I' || (r = strchr(rwx, s[1])) == NULL || s[1] == '\0')
			return -1;
		for (i = 0; i < 3 && strncmp(s + 2, who[i], 3) != 0; i++)
			;
		if (i == 3)
			return -1;
		j = (int)(r - rwx);
		mask |= (4 >> j) << (3 * (2 - i));
		w = s + 5;
		if (*w == '\0')
			return mask;
		if (*w != '|')
			return -1;
		s = w + 1;
	}
}

static void
p_umask(struct parser *p, const struct stmt *s)
{
	const char *v;
	char *end;
	long n;

	if (p_nargs(p, s, 1, 1) == -1)
		return;
	v = s->s_args[0]->t_text;
	if (v[0] == 'I')
		n = hook_umask_bits(v);
	else {
		n = strtol(v, &end, 0);
		if (*end != '\0' || end == v)
			n = -1;
	}
	if (n < 0 || n > 0777) {
		cfg_err(p, s->s_kw, "umask: \"%s\" is neither a number up to "
		    "0777 nor bits such as IWGRP|IWOTH", v);
		return;
	}
	p->p_cf->cf_umask = (int)n;
}

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
	if (i == 4 && strcmp(kw, "umask") == 0) {
		p_umask(p, s);
		return 1;
	}
	if (i == 4)
		return 0;
	h = &p->p_cf->cf_hooks[i % 2];
	if (i < 2) {
		p_notify(p, s, h->ch_cmd, h->ch_user, h->ch_group);
		h->ch_line = s->s_kw->t_line;
		h->ch_file = p->p_cf->cf_files[s->s_kw->t_file];
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
