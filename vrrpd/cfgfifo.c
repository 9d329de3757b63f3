/* SPDX-License-Identifier: ISC */
/*
 * global_defs' notify FIFOs, as keepalived 2.2.7 reads them:
 *	notify_fifo PATH [USER [GROUP]]		owner of a FIFO it creates
 *	notify_fifo_script "CMD" [USER [GROUP]]	started with PATH appended
 * and the same with a vrrp_ prefix (keepalived's VRRP process writes the
 * same lines to both).  A second one of a kind is ignored with a warning,
 * as keepalived does.  vrrp_notify_priority_changes [BOOL] is every
 * instance's notify_priority_changes unless it says its own.
 * fifo_write_vrrp_states_on_reload: reload.c writes the states again.
 */
#include <stdio.h>
#include <string.h>

#include "cfgext.h"

int
p_global_fifo(struct parser *p, const struct stmt *s)
{
	struct config *cf = p->p_cf;
	const char *kw = s->s_kw->t_text;
	struct cfg_fifo *f;
	int i;

	if (strcmp(kw, "vrrp_notify_priority_changes") == 0) {
		p_mail_bool(p, s, &cf->cf_notify_prio);
		return 1;
	}
	if (strcmp(kw, "fifo_write_vrrp_states_on_reload") == 0) {
		if (p_nargs(p, s, 0, 0) == 0)
			cf->cf_fifo_reload = 1;
		return 1;
	}
	if (strcmp(kw, "notify_fifo") == 0 ||
	    strcmp(kw, "notify_fifo_script") == 0)
		f = &cf->cf_fifo[CFG_FIFO_GLOBAL];
	else if (strcmp(kw, "vrrp_notify_fifo") == 0 ||
	    strcmp(kw, "vrrp_notify_fifo_script") == 0)
		f = &cf->cf_fifo[CFG_FIFO_VRRP];
	else
		return 0;
	if (strstr(kw, "_script") != NULL) {
		if (f->cfi_script[0]) {
			cfg_warn(p, s->s_kw, "%s: given before; this one "
			    "ignored (as keepalived)", kw);
			return 1;
		}
		p_notify(p, s, f->cfi_script, f->cfi_script_user,
		    f->cfi_script_group);
		f->cfi_line = s->s_kw->t_line;
		f->cfi_file = cf->cf_files[s->s_kw->t_file];
		return 1;
	}
	if (f->cfi_path[0]) {
		cfg_warn(p, s->s_kw, "%s: given before; this one ignored "
		    "(as keepalived)", kw);
		return 1;
	}
	if (p_nargs(p, s, 1, 3) == -1)
		return 1;
	if (strlen(s->s_args[0]->t_text) >= sizeof(f->cfi_path)) {
		cfg_err(p, s->s_kw, "%s: path too long", kw);
		return 1;
	}
	for (i = 1; i < s->s_nargs; i++)
		if (strlen(s->s_args[i]->t_text) >= CFG_NAME_LEN) {
			cfg_err(p, s->s_kw, "%s: user or group \"%s\" too "
			    "long", kw, s->s_args[i]->t_text);
			return 1;
		}
	snprintf(f->cfi_path, sizeof(f->cfi_path), "%s",
	    s->s_args[0]->t_text);
	if (s->s_nargs > 1)
		snprintf(f->cfi_user, sizeof(f->cfi_user), "%s",
		    s->s_args[1]->t_text);
	if (s->s_nargs > 2)
		snprintf(f->cfi_group, sizeof(f->cfi_group), "%s",
		    s->s_args[2]->t_text);
	if (f->cfi_line == 0) {
		f->cfi_line = s->s_kw->t_line;
		f->cfi_file = cf->cf_files[s->s_kw->t_file];
	}
	return 1;
}
