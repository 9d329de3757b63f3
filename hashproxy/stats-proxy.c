/* SPDX-License-Identifier: ISC */
/*
 * The stats socket's commands on whole proxies, haproxy 2.6's: show
 * backend.  Answers are its words, so that scripts read them alike.
 */
#include <event2/buffer.h>

#include "stats-cmd.h"
#include "hashproxy.h"
#include "stats.h"

/* Every backend in config order, disabled ones too, as haproxy lists them. */
void
statspx_show_backend(struct hp_ctx *ctx, struct evbuffer *out)
{
	int b;

	evbuffer_add_printf(out, "# name\n");
	for (b = 0; b < ctx->c_nbe; b++)
		evbuffer_add_printf(out, "%s\n", ctx->c_be[b]->b_cf.be_name);
}
