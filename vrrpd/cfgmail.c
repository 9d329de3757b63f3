/* SPDX-License-Identifier: ISC */
/*
 * keepalived 2.2.7's mail settings in global_defs (smtp.c sends):
 *	notification_email { ADDR ... }	the recipients
 *	notification_email_from ADDR	default keepalived@HOSTNAME
 *	smtp_server ADDRESS [PORT]	an IP address (no host name), port 25
 *	smtp_helo_name NAME		default the host name
 *	smtp_connect_timeout SECONDS	default 30
 *	smtp_alert [on|off]		default for every instance
 *	smtp_alert_vrrp [on|off]	the same, and it wins over smtp_alert
 *	no_email_faults			no mail for FAULT (smtp.c)
 * and an instance's or sync group's own smtp_alert [on|off], which wins
 * over both (a group and its instances each mail, as in keepalived).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cfgext.h"

/* 1 = on, 2 = off (0 stays "not given"); -1 on error. */
int
p_mail_bool(struct parser *p, const struct stmt *s, int *out)
{
	static const char *const on[] = { "on", "true", "yes", NULL };
	static const char *const off[] = { "off", "false", "no", NULL };

	if (p_nargs(p, s, 0, 1) == -1)
		return -1;
	if (s->s_nargs == 0 || kw_in(s->s_args[0]->t_text, on))
		*out = 1;
	else if (kw_in(s->s_args[0]->t_text, off))
		*out = 2;
	else {
		cfg_err(p, s->s_kw, "%s: is \"%s\"; should be on or off",
		    s->s_kw->t_text, s->s_args[0]->t_text);
		return -1;
	}
	return 0;
}

static void
p_mail_server(struct parser *p, const struct stmt *s)
{
	struct cfg_mail *m = &p->p_cf->cf_mailcf;
	char *end;
	long port = 25;

	if (p_nargs(p, s, 1, 2) == -1)
		return;
	if (config_parse_addr(s->s_args[0]->t_text, &m->cm_family,
	    &m->cm_server) == -1) {
		cfg_err(p, s->s_kw, "smtp_server \"%s\": not an IP address "
		    "(keepalived refuses it too)", s->s_args[0]->t_text);
		return;
	}
	if (s->s_nargs == 2) {
		port = strtol(s->s_args[1]->t_text, &end, 10);
		if (*end != '\0' || port < 1 || port > 65535) {
			cfg_err(p, s->s_kw, "smtp_server port \"%s\": not "
			    "1 to 65535", s->s_args[1]->t_text);
			return;
		}
	}
	m->cm_port = (int)port;
	p->p_cf->cf_mail = 1;
}

static void
p_mail_to(struct parser *p, const struct stmt *open)
{
	struct cfg_mail *m = &p->p_cf->cf_mailcf;
	struct stmt s;
	int i;

	while (p_block_line(p, open, &s, NULL)) {
		for (i = -1; i < s.s_nargs; i++) {
			const char *a = i < 0 ? s.s_kw->t_text :
			    s.s_args[i]->t_text;

			if (m->cm_nto >= CFG_MAX_MAILTO) {
				cfg_err(p, s.s_kw, "notification_email: more "
				    "than %d addresses", CFG_MAX_MAILTO);
				break;
			}
			if (strlen(a) >= CFG_ADDR_LEN || strpbrk(a,
			    "<>\r\n") != NULL) {
				cfg_err(p, s.s_kw, "notification_email "
				    "\"%s\": not a mail address", a);
				continue;
			}
			snprintf(m->cm_to[m->cm_nto++], CFG_ADDR_LEN, "%s", a);
		}
	}
}

static void
p_mail_addr(struct parser *p, const struct stmt *s, char *out)
{
	if (p_nargs(p, s, 1, 1) == -1)
		return;
	if (strlen(s->s_args[0]->t_text) >= CFG_ADDR_LEN ||
	    strpbrk(s->s_args[0]->t_text, "<>\r\n ") != NULL) {
		cfg_err(p, s->s_kw, "%s \"%s\": too long or not a name",
		    s->s_kw->t_text, s->s_args[0]->t_text);
		return;
	}
	snprintf(out, CFG_ADDR_LEN, "%s", s->s_args[0]->t_text);
}

int
p_global_mail(struct parser *p, const struct stmt *s)
{
	struct cfg_mail *m = &p->p_cf->cf_mailcf;
	const char *kw = s->s_kw->t_text;
	int n;

	if (strcmp(kw, "notification_email") == 0) {
		if (s->s_block)
			p_mail_to(p, s);
		else
			cfg_err(p, s->s_kw, "%s: needs a { } block", kw);
	} else if (strcmp(kw, "notification_email_from") == 0)
		p_mail_addr(p, s, m->cm_from);
	else if (strcmp(kw, "smtp_helo_name") == 0)
		p_mail_addr(p, s, m->cm_helo);
	else if (strcmp(kw, "smtp_server") == 0)
		p_mail_server(p, s);
	else if (strcmp(kw, "smtp_connect_timeout") == 0) {
		if (p_int(p, s, 1, 3600, &n) == 0)
			m->cm_timeout = n;
	} else if (strcmp(kw, "smtp_alert") == 0)
		p_mail_bool(p, s, &m->cm_alert);
	else if (strcmp(kw, "smtp_alert_vrrp") == 0)
		p_mail_bool(p, s, &m->cm_alert_vrrp);
	else if (strcmp(kw, "no_email_faults") == 0) {
		if (p_nargs(p, s, 0, 0) == 0)
			m->cm_no_faults = 1;
	} else
		return 0;
	return 1;
}

/* smtp_alert as set (own, else the global ones), with or without a server */
int
cfg_mail_alert(const struct config *cf, int own)
{
	const struct cfg_mail *m = &cf->cf_mailcf;

	if (own == 0)
		own = m->cm_alert_vrrp ? m->cm_alert_vrrp : m->cm_alert;
	return own == 1;
}

int
cfg_mail_wanted(const struct config *cf, int own)
{
	return cfg_mail_alert(cf, own) && cf->cf_mail &&
	    cf->cf_mailcf.cm_nto > 0;
}
