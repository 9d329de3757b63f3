/* SPDX-License-Identifier: ISC */
/*
 * How the config unit tests read a haproxy.cfg text: parse() names it
 * t.cfg and keeps each message in msgs, one "N|W|E message" line each,
 * as a user would read them.
 */
#ifndef HP_UNIT_CFPARSE_H
#define HP_UNIT_CFPARSE_H

#include <stdio.h>
#include <string.h>

#include "config-parser.h"

static char msgs[65536];

static void
collect(void *arg, enum cf_level lvl, const char *m)
{
	static const char *tag[] = { "N", "W", "E" };

	(void)arg;
	snprintf(msgs + strlen(msgs), sizeof(msgs) - strlen(msgs), "%s %s\n",
	    tag[lvl], m);
}

static int
parse(const char *text, struct cf_config *cf)
{
	msgs[0] = '\0';
	return config_parse(text, strlen(text), "t.cfg", cf, collect, NULL);
}

#endif
