/* SPDX-License-Identifier: ISC */
/*
 * What svccheck tells: one event line per condition (up/down), or the one
 * monitoring-plugin line with perfdata.  The words and keys are stable:
 * vrrpd --track-fd and users' scripts parse them (svccheck(1)).
 */
#include <stdio.h>
#include <string.h>

#include "evline.h"
#include "svccheck.h"

void
report_cond(const struct svc *sv, const struct cond *c)
{
	struct evline el;
	int down = range_alert(&sv->sv_crit, c->c_count);	/* -c, or none */

	if (sv->sv_quiet || sv->sv_nagios)
		return;
	evline_begin(&el, down ? "down" : "up", c->c_label);
	if (!down && c->c_kind == COND_PROC)
		evline_int(&el, "pid", c->c_pid);
	else if (!down)
		evline_uint(&el, "sockets", c->c_count);
	evline_emit(&el);
}

int
report_holds(const struct svc *sv)
{
	size_t i, up = 0;

	for (i = 0; i < sv->sv_nconds; i++)
		up += !range_alert(&sv->sv_crit, sv->sv_conds[i].c_count);
	return sv->sv_any ? up > 0 : up == sv->sv_nconds;
}

/* One condition's plugin state, as check_procs judges its count. */
static int
report_state(const struct svc *sv, const struct cond *c)
{
	if (range_alert(&sv->sv_crit, c->c_count))
		return PLUGIN_CRITICAL;
	if (sv->sv_warn_set && range_alert(&sv->sv_warn, c->c_count))
		return PLUGIN_WARNING;
	return PLUGIN_OK;
}

/* A perfdata label: single-quoted, a quote inside doubled. */
static void
report_label(FILE *f, const char *s)
{
	fputc('\'', f);
	for (; *s; s++) {
		if (*s == '\'')
			fputc('\'', f);
		fputc(*s == '=' ? '_' : *s, f);
	}
	fputc('\'', f);
}

int
report_nagios(const struct svc *sv)
{
	const struct cond *c;
	char warn[64], crit[64];
	size_t i;
	int st, state = sv->sv_any ? PLUGIN_CRITICAL : PLUGIN_OK;

	/* all must be well, or with --any the best one counts */
	for (i = 0; i < sv->sv_nconds; i++) {
		st = report_state(sv, &sv->sv_conds[i]);
		if (sv->sv_any ? st < state : st > state)
			state = st;
	}
	warn[0] = '\0';
	if (sv->sv_warn_set)
		range_format(&sv->sv_warn, warn, sizeof(warn));
	range_format(&sv->sv_crit, crit, sizeof(crit));
	if (sv->sv_any && !sv->sv_crit_set)
		crit[0] = '\0';	/* no one condition is critical alone */
	printf("SVCCHECK %s - ", plugin_state[state]);
	for (i = 0; i < sv->sv_nconds; i++) {
		c = &sv->sv_conds[i];
		printf("%s%s: ", i ? ", " : "", c->c_label);
		if (c->c_count == 0)
			printf(c->c_kind == COND_PROC ? "not running" :
			    "not listening");
		else if (c->c_kind == COND_PROC)
			printf("%u process%s (pid %d)", c->c_count,
			    c->c_count == 1 ? "" : "es", (int)c->c_pid);
		else
			printf("listening");
	}
	printf(" |");
	for (i = 0; i < sv->sv_nconds; i++) {
		c = &sv->sv_conds[i];
		putchar(' ');
		report_label(stdout, c->c_label);
		printf("=%u;%s;%s;0", c->c_count, warn, crit);
	}
	putchar('\n');
	fflush(stdout);
	return state;
}
