/* SPDX-License-Identifier: ISC */
/*
 * The Prometheus text exposition format (see prom.h).  Names are checked
 * rather than trusted: a metric name that breaks the format makes a
 * scrape fail as a whole, and the mistake is the program's, so it shows
 * up in the unit tests and in promtool, not as a silently missing series.
 */
#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <event2/buffer.h>

#include "hatools.h"
#include "prom.h"

static void prom_misuse(struct prom *, const char *, ...)
    __attribute__((format(printf, 2, 3)));

static void
prom_misuse(struct prom *p, const char *fmt, ...)
{
	va_list ap;

	if (p->p_err++ > 0)
		return;
	va_start(ap, fmt);
	vsnprintf(p->p_why, sizeof(p->p_why), fmt, ap);
	va_end(ap);
}

/* [a-zA-Z_:][a-zA-Z0-9_:]* for metrics, without ':' for labels */
static int
prom_name_ok(const char *s, int colon)
{
	size_t i;

	if (s == NULL || *s == '\0')
		return 0;
	for (i = 0; s[i] != '\0'; i++) {
		char c = s[i];

		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    c == '_' || (colon && c == ':'))
			continue;
		if (i > 0 && c >= '0' && c <= '9')
			continue;
		return 0;
	}
	return 1;
}

/* HELP text escapes \ and newline; label values " too */
static void
prom_escape(struct evbuffer *out, const char *s, int quote)
{
	const char *run = s;

	for (; *s != '\0'; s++) {
		const char *rep = *s == '\\' ? "\\\\" : *s == '\n' ? "\\n" :
		    quote && *s == '"' ? "\\\"" : NULL;

		if (rep == NULL)
			continue;
		evbuffer_add(out, run, (size_t)(s - run));
		evbuffer_add(out, rep, 2);
		run = s + 1;
	}
	evbuffer_add(out, run, (size_t)(s - run));
}

void
prom_init(struct prom *p, struct evbuffer *out)
{
	memset(p, 0, sizeof(*p));
	p->p_out = out;
}

static const char *
prom_type_name(enum prom_type t)
{
	switch (t) {
	case PROM_COUNTER:
		return "counter";
	case PROM_GAUGE:
		return "gauge";
	default:
		return "untyped";
	}
}

void
prom_family(struct prom *p, const char *name, enum prom_type type,
    const char *help)
{
	int i;

	p->p_family = NULL;
	if (!prom_name_ok(name, 1)) {
		prom_misuse(p, "bad metric name \"%s\"", name ? name : "");
		return;
	}
	for (i = 0; i < p->p_nfam; i++)
		if (strcmp(p->p_seen[i], name) == 0) {
			prom_misuse(p, "%s: family opened twice", name);
			return;
		}
	if (p->p_nfam == PROM_MAXFAMILIES) {
		prom_misuse(p, "%s: more than %d families", name,
		    PROM_MAXFAMILIES);
		return;
	}
	p->p_seen[p->p_nfam++] = name;
	p->p_family = name;
	if (help != NULL) {
		evbuffer_add_printf(p->p_out, "# HELP %s ", name);
		prom_escape(p->p_out, help, 0);
		evbuffer_add(p->p_out, "\n", 1);
	}
	evbuffer_add_printf(p->p_out, "# TYPE %s %s\n", name,
	    prom_type_name(type));
}

/*
 * The sample's name and labels, checked first and written only when all
 * are good: a half-written line would break the scrape.
 */
static int
prom_head(struct prom *p, va_list ap)
{
	va_list cp;
	const char *k, *v;
	int n = 0;

	if (p->p_family == NULL) {
		prom_misuse(p, "a sample outside any family");
		return -1;
	}
	va_copy(cp, ap);
	while ((k = va_arg(cp, const char *)) != NULL) {
		v = va_arg(cp, const char *);
		if (!prom_name_ok(k, 0) || strncmp(k, "__", 2) == 0 ||
		    v == NULL) {
			prom_misuse(p, "%s: bad label \"%s\"", p->p_family, k);
			va_end(cp);
			return -1;
		}
	}
	va_end(cp);
	evbuffer_add_printf(p->p_out, "%s", p->p_family);
	while ((k = va_arg(ap, const char *)) != NULL) {
		v = va_arg(ap, const char *);
		evbuffer_add_printf(p->p_out, "%c%s=\"", n++ ? ',' : '{', k);
		prom_escape(p->p_out, v, 1);
		evbuffer_add(p->p_out, "\"", 1);
	}
	evbuffer_add(p->p_out, n ? "} " : " ", n ? 2 : 1);
	return 0;
}

void
prom_u64(struct prom *p, uint64_t v, ...)
{
	va_list ap;

	va_start(ap, v);
	if (prom_head(p, ap) == 0)
		evbuffer_add_printf(p->p_out, "%" PRIu64 "\n", v);
	va_end(ap);
}

void
prom_i64(struct prom *p, int64_t v, ...)
{
	va_list ap;

	va_start(ap, v);
	if (prom_head(p, ap) == 0)
		evbuffer_add_printf(p->p_out, "%" PRId64 "\n", v);
	va_end(ap);
}

/* The fewest digits that read back as the same double: 0.1, not 0.1000...01 */
static void
prom_shortest(struct evbuffer *out, double v)
{
	char buf[40];
	int prec;

	for (prec = 15; prec < 17; prec++) {
		snprintf(buf, sizeof(buf), "%.*g", prec, v);
		if (strtod(buf, NULL) == v)
			break;
	}
	if (prec == 17)
		snprintf(buf, sizeof(buf), "%.17g", v);
	evbuffer_add_printf(out, "%s\n", buf);
}

void
prom_dbl(struct prom *p, double v, ...)
{
	va_list ap;

	va_start(ap, v);
	if (prom_head(p, ap) == 0) {
		if (isnan(v))
			evbuffer_add_printf(p->p_out, "NaN\n");
		else if (isinf(v))
			evbuffer_add_printf(p->p_out, "%sInf\n",
			    v > 0 ? "+" : "-");
		else
			prom_shortest(p->p_out, v);
	}
	va_end(ap);
}

void
prom_build_info(struct prom *p, const char *program)
{
	prom_family(p, "hatools_build_info", PROM_GAUGE, "Always 1: the "
	    "program and its version.");
	prom_u64(p, 1, "program", program, "version", HATOOLS_VERSION, NULL);
}

int
prom_error(const struct prom *p, const char **why)
{
	if (why != NULL)
		*why = p->p_err ? p->p_why : "";
	return p->p_err;
}
