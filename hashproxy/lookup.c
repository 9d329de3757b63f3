/* SPDX-License-Identifier: ISC */
/* --lookup: the server an address maps to, without proxying anything. */
#include <stdio.h>
#include <string.h>

#include "acl.h"
#include "hatools.h"
#include "log.h"
#include "hashproxy.h"

/* --down: marks each named server down in every backend that has it. */
static int
lookup_down(struct hp_ctx *ctx, char **down, int ndown)
{
	int i, j, k, found;

	for (i = 0; i < ndown; i++) {
		found = 0;
		for (j = 0; j < ctx->c_nbe; j++)
			for (k = 0; k < ctx->c_be[j]->b_nsrv; k++)
				if (strcmp(ctx->c_be[j]->b_srv[k]->s_cf.sv_name,
				    down[i]) == 0) {
					server_set_op_quiet(
					    ctx->c_be[j]->b_srv[k], SRV_DOWN);
					found = 1;
				}
		if (!found) {
			log_warnx("--down %s: no such server", down[i]);
			return EXIT_USAGE;
		}
	}
	for (j = 0; j < ctx->c_nbe; j++)
		if (backend_rebuild(ctx->c_be[j]) == -1)
			return EXIT_RUNTIME;
	return EXIT_CLEAN;
}

/*
 * --lookup: which server each address maps to, every server up.  The
 * first frontend's rules run for a client from the address (port 0) to
 * its first bind address; "-" when they reject it or no backend takes it.
 */
int
lookup_run(struct hp_ctx *ctx, const char *arg, char **down, int ndown,
    const struct sockaddr_storage *dst)
{
	struct hp_frontend *fe;
	char line[256];
	int rc;

	if (ctx->c_nfe == 0)
		return EXIT_USAGE;
	fe = ctx->c_fe[0];
	if ((rc = lookup_down(ctx, down, ndown)) != EXIT_CLEAN)
		return rc;
	for (;;) {
		struct sockaddr_storage ss;
		struct hp_backend *be;
		const struct acl_set *rs;
		struct acl_addrs aa;
		struct hp_server *s;
		const char *a = arg;

		if (strcmp(arg, "-") == 0) {
			if (fgets(line, sizeof(line), stdin) == NULL)
				break;
			line[strcspn(line, "\r\n")] = '\0';
			a = line;
		}
		if (sockaddr_literal(a, 0, &ss) == 0) {
			log_warnx("--lookup \"%s\": not an IP address", a);
			return EXIT_USAGE;
		}
		s = NULL;
		memset(&aa, 0, sizeof(aa));
		aa.aa_src = (struct sockaddr *)&ss;
		aa.aa_dst = dst->ss_family ? (const struct sockaddr *)dst :
		    NULL;
		if (rules_lookup(fe, aa.aa_src, aa.aa_dst, &be) == RULES_PASS &&
		    be != NULL) {
			if ((rs = rules_srv_set(fe, be)) != NULL)
				s = rules_use_server(rs, be, &aa);
			if (s == NULL)
				s = backend_pick(be, (struct sockaddr *)&ss,
				    NULL);
		}
		printf("%s %s\n", a, s ? s->s_cf.sv_name : "-");
		if (strcmp(arg, "-") != 0)
			break;
	}
	fflush(stdout);
	return EXIT_CLEAN;
}
