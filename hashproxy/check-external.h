/* SPDX-License-Identifier: ISC */
/*
 * haproxy's option external-check: the health check is a command run
 * per check (external-check command), with the proxy's and the server's
 * addresses as arguments and HAPROXY_* variables as its environment;
 * exit 0 passes.  Run from the main thread under the context's lock, as
 * the other checks.
 */
#ifndef HP_CHECK_EXTERNAL_H
#define HP_CHECK_EXTERNAL_H

struct hp_server;

/* Starts the command; its end (or inter passing) ends the check. */
void	extcheck_run(struct hp_server *);
/* The server stops checking: a command running is killed, then reaped. */
void	extcheck_stop(struct hp_server *);

#endif
