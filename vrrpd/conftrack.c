/* SPDX-License-Identifier: ISC */
/*
 * keepalived.conf's file and process trackers and the VMAC keywords:
 * "track_file NAME { ... }" (vrrp_track_file is keepalived's older name),
 * "vrrp_track_process NAME { ... }", and inside an instance the lists
 * "track_file { NAME [weight N] [reverse|noreverse] }" and
 * "track_process { ... }", "use_vmac [NAME]" and "vmac_xmit_base".
 * config.c hands each statement here first; we say whether it was ours.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cfgext.h"
#include "config.h"
#include "msgbuf.h"
#include "parse.h"

/* "weight N [reverse]": 0 or -1. */
static int
ct_weight(struct parser *p, const struct stmt *s, long min, long max,
    long *w, int *reverse)
{
	if (s->s_nargs == 2 && strcmp(s->s_args[1]->t_text, "reverse") == 0)
		*reverse = 1;
	else if (p_nargs(p, s, 1, 1) == -1)
		return -1;
	return p_long(p, s, s->s_args[0]->t_text, min, max, w);
}

/* The head "KEYWORD NAME {": the name into out, or -1 (block skipped). */
static int
ct_head(struct parser *p, const struct stmt *head, int n, int max,
    char *out, size_t len)
{
	const char *kw = head->s_kw->t_text;

	if (p_section_head(p, head, n, max, "one name") == -1)
		return -1;
	if (p_section_name(p, head, out, len) == -1) {
		p_skip_block(p);
		return -1;
	}
	snprintf(p->p_ctx, sizeof(p->p_ctx), "%s %s: ", kw, out);
	return 0;
}

/* --- track_file NAME { file PATH; weight N [reverse]; init_file } ---- */

static void
ct_init_file(struct parser *p, const struct stmt *s, struct cfg_tfile *tf)
{
	int i = 0;

	if (p_nargs(p, s, 0, 2) == -1)
		return;
	tf->ctf_init = 1;
	if (i < s->s_nargs && strcmp(s->s_args[i]->t_text, "overwrite") != 0) {
		if (p_long(p, s, s->s_args[i]->t_text, INT_MIN, INT_MAX,
		    &tf->ctf_init_value) == -1)
			return;
		i++;
	}
	if (i < s->s_nargs) {
		if (strcmp(s->s_args[i]->t_text, "overwrite") == 0)
			tf->ctf_init_overwrite = 1;
		else
			cfg_err(p, s->s_kw, "init_file: is \"%s\"; should be "
			    "[VALUE] [overwrite]", s->s_args[i]->t_text);
	}
}

static void
ct_tfile(struct parser *p, const struct stmt *head)
{
	struct config *cf = p->p_cf;
	struct cfg_tfile *tf, tmp;
	struct stmt s;
	const char *kw;
	int i;

	memset(&tmp, 0, sizeof(tmp));
	if (ct_head(p, head, cf->cf_ntfiles, CFG_MAX_SCRIPTS, tmp.ctf_name,
	    sizeof(tmp.ctf_name)) == -1)
		return;
	tf = &cf->cf_tfiles[cf->cf_ntfiles++];
	*tf = tmp;
	tf->ctf_weight = 1;	/* keepalived's default */
	for (i = 0; i < cf->cf_ntfiles - 1; i++)
		if (strcmp(cf->cf_tfiles[i].ctf_name, tf->ctf_name) == 0)
			cfg_err(p, head->s_kw, "track_file %s: defined twice",
			    tf->ctf_name);
	while (!p_block_end(p, head)) {
		p_stmt(p, &s);
		kw = s.s_kw->t_text;
		if (strcmp(kw, "file") == 0) {
			if (p_name(p, &s, tf->ctf_path,
			    sizeof(tf->ctf_path)) == 0 &&
			    tf->ctf_path[0] != '/')
				cfg_err(p, s.s_kw, "file \"%s\": should be an "
				    "absolute path", tf->ctf_path);
		} else if (strcmp(kw, "weight") == 0)
			ct_weight(p, &s, -2147483647L, 2147483647L,
			    &tf->ctf_weight, &tf->ctf_reverse);
		else if (strcmp(kw, "init_file") == 0)
			ct_init_file(p, &s, tf);
		else
			p_unsupported(p, &s, 0, "unknown keyword");
	}
	if (tf->ctf_path[0] == '\0')
		cfg_err(p, head->s_kw, "track_file %s: no file", tf->ctf_name);
	p->p_ctx[0] = '\0';
}

/* --- vrrp_track_process NAME { process NAME [PARAM...]; ... } -------- */

static void
ct_process(struct parser *p, const struct stmt *s, struct cfg_tproc *tp)
{
	size_t off = 0, n;
	int i;

	if (s->s_nargs < 1) {
		cfg_err(p, s->s_kw, "process: needs a process name");
		return;
	}
	if (strlen(s->s_args[0]->t_text) >= sizeof(tp->ctp_proc)) {
		cfg_err(p, s->s_kw, "process: name too long");
		return;
	}
	snprintf(tp->ctp_proc, sizeof(tp->ctp_proc), "%s",
	    s->s_args[0]->t_text);
	for (i = 1; i < s->s_nargs; i++) {
		n = strlen(s->s_args[i]->t_text) + 1;
		if (off + n > sizeof(tp->ctp_params)) {
			cfg_err(p, s->s_kw, "process: parameters longer "
			    "than %zu bytes", sizeof(tp->ctp_params));
			return;
		}
		memcpy(tp->ctp_params + off, s->s_args[i]->t_text, n);
		off += n;
	}
	tp->ctp_plen = off;
	tp->ctp_nparams = s->s_nargs - 1;
}

static void
ct_tproc_kw(struct parser *p, struct stmt *s, struct cfg_tproc *tp)
{
	const char *kw = s->s_kw->t_text;
	long w;

	if (strcmp(kw, "process") == 0)
		ct_process(p, s, tp);
	else if (strcmp(kw, "param_match") == 0) {
		if (p_nargs(p, s, 0, 1) == -1)
			return;
		tp->ctp_has_param_match = 1;
		if (s->s_nargs == 0)
			tp->ctp_param_match = CFG_PARAM_EXACT;
		else if (strcmp(s->s_args[0]->t_text, "partial") == 0)
			tp->ctp_param_match = CFG_PARAM_PARTIAL;
		else if (strcmp(s->s_args[0]->t_text, "initial") == 0)
			tp->ctp_param_match = CFG_PARAM_INITIAL;
		else
			cfg_err(p, s->s_kw, "param_match: is \"%s\"; should "
			    "be partial or initial", s->s_args[0]->t_text);
	} else if (strcmp(kw, "weight") == 0) {
		if (ct_weight(p, s, -254, 254, &w, &tp->ctp_reverse) == 0)
			tp->ctp_weight = (int)w;
	} else if (strcmp(kw, "quorum") == 0)
		p_int(p, s, 1, 65535, &tp->ctp_quorum);
	else if (strcmp(kw, "quorum_max") == 0)
		p_int(p, s, 0, 65535, &tp->ctp_quorum_max);
	else if (strcmp(kw, "fork_delay") == 0)
		p_dur(p, s, &tp->ctp_fork_delay);
	else if (strcmp(kw, "terminate_delay") == 0)
		p_dur(p, s, &tp->ctp_terminate_delay);
	else if (strcmp(kw, "delay") == 0) {
		if (p_dur(p, s, &tp->ctp_fork_delay) == 0)
			tp->ctp_terminate_delay = tp->ctp_fork_delay;
	} else if (strcmp(kw, "full_command") == 0)
		p_flag(p, s, &tp->ctp_full_command, 1);
	else
		p_unsupported(p, s, 0, "unknown keyword");
}

static void
ct_tproc(struct parser *p, const struct stmt *head)
{
	struct config *cf = p->p_cf;
	struct cfg_tproc *tp, tmp;
	struct stmt s;
	int i;

	memset(&tmp, 0, sizeof(tmp));
	if (ct_head(p, head, cf->cf_ntprocs, CFG_MAX_SCRIPTS, tmp.ctp_name,
	    sizeof(tmp.ctp_name)) == -1)
		return;
	tp = &cf->cf_tprocs[cf->cf_ntprocs++];
	*tp = tmp;
	tp->ctp_quorum = 1;	/* keepalived's defaults */
	tp->ctp_quorum_max = -1;
	tp->ctp_weight = 1;
	for (i = 0; i < cf->cf_ntprocs - 1; i++)
		if (strcmp(cf->cf_tprocs[i].ctp_name, tp->ctp_name) == 0)
			cfg_err(p, head->s_kw, "vrrp_track_process %s: defined "
			    "twice", tp->ctp_name);
	while (!p_block_end(p, head)) {
		p_stmt(p, &s);
		ct_tproc_kw(p, &s, tp);
	}
	if (tp->ctp_proc[0] == '\0')
		cfg_err(p, head->s_kw, "vrrp_track_process %s: no process",
		    tp->ctp_name);
	if (tp->ctp_quorum_max >= 0 && tp->ctp_quorum_max < tp->ctp_quorum)
		cfg_err(p, head->s_kw, "vrrp_track_process %s: quorum_max %d "
		    "is below quorum %d", tp->ctp_name, tp->ctp_quorum_max,
		    tp->ctp_quorum);
	p->p_ctx[0] = '\0';
}

int
conftrack_top(struct parser *p, struct stmt *s)
{
	const char *kw = s->s_kw->t_text;

	if (strcmp(kw, "track_file") == 0 ||
	    strcmp(kw, "vrrp_track_file") == 0)
		ct_tfile(p, s);
	else if (strcmp(kw, "vrrp_track_process") == 0)
		ct_tproc(p, s);
	else
		return 0;
	return 1;
}

/* --- in an instance ---------------------------------------------------- */

/* "use_vmac [NAME]": the macvlan's name, vrrp.VRID when none. */
static void
ct_use_vmac(struct parser *p, struct cfg_instance *in, const struct stmt *s)
{
	if (p_nargs(p, s, 0, 2) == -1)
		return;
	if (s->s_nargs == 2) {
		cfg_err(p, s->s_kw, "use_vmac: a MAC address of one's own is "
		    "not supported; vrrpd uses 00:00:5e:00:01:VRID");
		return;
	}
	if (s->s_nargs == 1) {
		if (strchr(s->s_args[0]->t_text, ':') != NULL) {
			cfg_err(p, s->s_kw, "use_vmac: a MAC address of one's "
			    "own is not supported");
			return;
		}
		if (p_name(p, s, in->ci_vmac_name,
		    sizeof(in->ci_vmac_name)) == -1)
			return;
	}
	in->ci_vmac = 1;
}

int
conftrack_inst(struct parser *p, struct cfg_instance *in, struct stmt *s)
{
	const char *kw = s->s_kw->t_text;

	if (strcmp(kw, "track_file") == 0 && s->s_block)
		p_tracks(p, in->ci_tfiles, &in->ci_ntfiles, s);
	else if (strcmp(kw, "track_process") == 0 && s->s_block)
		p_tracks(p, in->ci_tprocs, &in->ci_ntprocs, s);
	else if (strcmp(kw, "track_file") == 0 ||
	    strcmp(kw, "track_process") == 0)
		cfg_err(p, s->s_kw, "%s: needs a { } block", kw);
	else if (strcmp(kw, "use_vmac") == 0)
		ct_use_vmac(p, in, s);
	else if (strcmp(kw, "vmac_xmit_base") == 0)
		p_flag(p, s, &in->ci_vmac_xmit_base, 1);
	else if (strcmp(kw, "use_vmac_addr") == 0)
		p_flag(p, s, &in->ci_vmac_addr, 1);
	else if (strcmp(kw, "promote_secondaries") == 0)
		p_flag(p, s, &in->ci_promote, 1);
	else
		return 0;
	return 1;
}

/* --- references, once the whole file is read --------------------------- */

static int
ct_errf(char *err, size_t errlen, const struct cfg_instance *in, int warn,
    const char *what, const char *name, const char *why)
{
	msgbuf_add(err, errlen, "%s:%d: %svrrp_instance %s: %s %s: %s\n",
	    in->ci_file ? in->ci_file : "command line", in->ci_line,
	    warn ? "warning: " : "", in->ci_name, what, name, why);
	return warn ? 0 : 1;
}

/*
 * PREFIX[SUFFIX].VRID, the prefix cut short to make the name fit an
 * interface name, as keepalived 2.2.7 names the VMACs it makes.
 */
void
vmac_name(char out[IF_NAMESIZE], const char *prefix, const char *suffix,
    int vrid)
{
	char tail[IF_NAMESIZE];
	size_t n, keep = strlen(prefix);

	snprintf(tail, sizeof(tail), "%s.%d", suffix, vrid);
	n = strlen(tail);
	if (keep > IF_NAMESIZE - 1 - n)
		keep = IF_NAMESIZE - 1 - n;
	memcpy(out, prefix, keep);
	memcpy(out + keep, tail, n + 1);
}

/* Whether an instance or a sync group tracks the vrrp_script "name". */
static int
ct_script_used(const struct config *cf, const char *name)
{
	int i, j;

	for (i = 0; i < cf->cf_ninst; i++)
		for (j = 0; j < cf->cf_inst[i].ci_nscripts; j++)
			if (strcmp(cf->cf_inst[i].ci_scripts[j].ct_name,
			    name) == 0)
				return 1;
	for (i = 0; i < cf->cf_ngroups; i++)
		for (j = 0; j < cf->cf_groups[i].cg_nscripts; j++)
			if (strcmp(cf->cf_groups[i].cg_scripts[j].ct_name,
			    name) == 0)
				return 1;
	return 0;
}

/*
 * keepalived 2.2.7 drops a vrrp_script nothing tracks ("script NAME is
 * not used") and never runs it: run every interval, its command would
 * still do whatever it does.  After config_check() has dropped the
 * track_script lines keepalived leaves out, which may leave one unused.
 * A --track-fd producer is the command line's, not the file's: kept.
 */
static void
ct_unused_scripts(struct config *cf, char *err, size_t errlen)
{
	struct cfg_script *sc;
	int i;

	for (i = 0; i < cf->cf_nscripts; i++) {
		sc = &cf->cf_scripts[i];
		if (sc->cs_fd >= 0 || sc->cs_line <= 0 ||
		    ct_script_used(cf, sc->cs_name))
			continue;
		msgbuf_add(err, errlen, "%s:%d: warning: vrrp_script %s: not "
		    "tracked by any instance or sync group: never run\n",
		    sc->cs_file ? sc->cs_file : "(config)", sc->cs_line,
		    sc->cs_name);
		memmove(sc, sc + 1, (size_t)(cf->cf_nscripts - i - 1) *
		    sizeof(*sc));
		cf->cf_nscripts--;
		i--;
	}
}

int
conftrack_check(struct config *cf, char *err, size_t errlen)
{
	struct cfg_instance *in;
	int i, j, k, found, nerr = 0;

	for (i = 0; i < cf->cf_ninst; i++) {
		in = &cf->cf_inst[i];
		for (j = 0; j < in->ci_ntfiles; j++) {
			for (found = 0, k = 0; k < cf->cf_ntfiles; k++)
				found |= strcmp(cf->cf_tfiles[k].ctf_name,
				    in->ci_tfiles[j].ct_name) == 0;
			if (!found)
				nerr += ct_errf(err, errlen, in, 0,
				    "track_file", in->ci_tfiles[j].ct_name,
				    "no track_file of that name");
		}
		for (j = 0; j < in->ci_ntprocs; j++) {
			for (found = 0, k = 0; k < cf->cf_ntprocs; k++)
				found |= strcmp(cf->cf_tprocs[k].ctp_name,
				    in->ci_tprocs[j].ct_name) == 0;
			if (!found)
				nerr += ct_errf(err, errlen, in, 0,
				    "track_process", in->ci_tprocs[j].ct_name,
				    "no vrrp_track_process of that name");
		}
		if (in->ci_vmac && in->ci_npeers > 0 &&
		    !in->ci_vmac_xmit_base) {
			/* as keepalived: adverts to peers leave from the base */
			in->ci_vmac_xmit_base = 1;
			ct_errf(err, errlen, in, 1, "use_vmac", "with "
			    "unicast_peer", "vmac_xmit_base implied");
		}
		if (in->ci_vmac && in->ci_vmac_name[0] == '\0')
			vmac_name(in->ci_vmac_name, cf->cf_vmac_prefix, "",
			    in->ci_vrid);
	}
	ct_unused_scripts(cf, err, errlen);
	return nerr;
}
