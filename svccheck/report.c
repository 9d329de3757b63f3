/*
 * What svccheck tells: one event line per condition (up/down), or the one
 * monitoring-plugin line with perfdata.  The words and keys are stable:
 * vrrpd --track-fd and users' scripts parse them (svccheck(1)).
 */
#include <stdio.h>
#include <string.h>

#include "event.h"
#include "svccheck.h"

void
report_cond(const struct svc *sv, const struct cond *c)
{
	if (sv->sv_quiet || sv->sv_nagios)
		return;
	if (c->c_count == 0)
		event_emit("down", c->c_label, NULL);
	else if (c->c_kind == COND_PROC)
		event_emit("up", c->c_label, "pid=%d", (int)c->c_pid);
	else
		event_emit("up", c->c_label, "sockets=%u", c->c_count);
}

int
report_holds(const struct svc *sv)
{
	size_t i, up = 0;

	for (i = 0; i < sv->sv_nconds; i++)
		up += sv->sv_conds[i].c_count > 0;
	return sv->sv_any ? up > 0 : up == sv->sv_nconds;
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

void
report_nagios(const struct svc *sv, int holds)
{
	const struct cond *c;
	size_t i;

	printf("SVCCHECK %s - ", holds ? "OK" : "CRITICAL");
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
		printf("=%u;;%s;0", c->c_count, sv->sv_any ? "" : "1:");
	}
	putchar('\n');
	fflush(stdout);
}
