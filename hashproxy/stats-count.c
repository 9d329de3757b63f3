/* SPDX-License-Identifier: ISC */
/*
 * The counters of a session's life that show stat gives as haproxy 2.6
 * counts them in tcp mode: an attempt to connect (connect; nothing is
 * reused at L4), and how a session ended badly (cli_abrt, srv_abrt,
 * eresp).  haproxy blames the side whose socket failed or whose idle
 * timeout struck: a reset or a timeout, never a clean close (a FIN is
 * passed on), once per session, which ends there.
 */
#include "proxy.h"
#include "stats.h"

/* One more attempt to connect to s, a retry's too.  Lock held. */
void
stats_count_connect(struct hp_server *s)
{
	s->s_connect++;
	if (s->s_be != NULL)
		s->s_be->b_connect++;
}

/*
 * c ends for side's fault: its socket failed (error) or stayed idle
 * past its timeout.  haproxy counts a server's socket error as an
 * invalid response (eresp) as well.  Lock not needed (the data path's
 * counters, see HP_COUNT): the connection's references keep its backend
 * and server.
 */
void
stats_count_abort(struct hp_conn *c, int side, int error)
{
	struct hp_server *s = c->cn_srv;
	struct hp_backend *be = c->cn_be;

	if (side == SIDE_CLI) {
		HP_COUNT(be->b_cli_abrt, 1);
		if (s != NULL)
			HP_COUNT(s->s_cli_abrt, 1);
		return;
	}
	HP_COUNT(be->b_srv_abrt, 1);
	if (s != NULL)
		HP_COUNT(s->s_srv_abrt, 1);
	if (!error)
		return;
	HP_COUNT(be->b_eresp, 1);
	if (s != NULL)
		HP_COUNT(s->s_eresp, 1);
}
