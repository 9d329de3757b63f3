/* SPDX-License-Identifier: ISC */
/*
 * The counters of a session's life that show stat gives as haproxy 2.6
 * counts them in tcp mode: an attempt to connect (connect; nothing is
 * reused at L4), and how a session ended badly (cli_abrt, srv_abrt,
 * eresp).  haproxy blames the side whose socket failed or whose idle
 * timeout struck: a reset or a timeout, never a clean close (a FIN is
 * passed on), once per session, which ends there.  And what haproxy
 * counts where a session goes: a retry is a session of its server's
 * (stot), a redispatch a pick of the balance (lbtot), a client queued a
 * session of its backend's from when it waits, and one that finds no
 * server, a full queue or the end of "timeout queue" a failed
 * connection (econ).
 */
#include "duration.h"
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
 * haproxy's connect_server() counts a session on the server at every
 * attempt: a retry on the same server is one more in its stot (not in
 * lbtot: nothing was balanced), its rate and its last session.  Lock
 * held.
 */
void
stats_count_retry(struct hp_server *s)
{
	s->s_tot++;
	s->s_rtot++;
	s->s_lastsess = mono_usec();
	rate_hit(&s->s_rate, s->s_lastsess / 1000);
}

/*
 * A redispatch balances the session again: haproxy counts the new pick
 * in the backend's lbtot (the server's comes with its session), not in
 * its stot.  Lock held.
 */
void
stats_count_redispatch(struct hp_backend *be)
{
	be->b_rlb++;
}

/*
 * No server for a client of be (none at all, or none usable: in
 * maintenance, down): haproxy counts a session of the backend that
 * failed to connect, balanced nowhere.  Lock held.
 */
void
stats_count_noserver(struct hp_backend *be)
{
	be->b_tot++;
	be->b_direct++;
	rate_hit(&be->b_rate, mono_usec() / 1000);
	be->b_econ++;
}

/*
 * haproxy counts a queued client in its backend's stot when it is
 * queued, and, queued for a server the balance picked (s), in that
 * server's lbtot and its backend's: so does hashproxy while it waits (n
 * 1), and as long as it stays if it ends there (a queue timeout, a
 * client gone); one that goes on (n -1) is counted again where it gets
 * a slot.  Lock held.
 */
void
stats_count_wait(struct hp_conn *c, struct hp_server *s, int n)
{
	struct hp_backend *be = c->cn_be;

	be->b_tot += (uint64_t)n;
	if (s == NULL || c->cn_direct)
		be->b_direct += (uint64_t)n;
	else
		s->s_qlb += (uint64_t)n;
}

/*
 * c waited in a queue past "timeout queue": haproxy counts a failed
 * connection of the backend and of the server waited for, if any.
 * Lock held.
 */
void
stats_count_queue_timeout(struct hp_conn *c)
{
	if (c->cn_srv != NULL)
		c->cn_srv->s_econ++;
	c->cn_be->b_econ++;
}

/*
 * The server the balance picked for c has its queue full (maxqueue):
 * haproxy answers 503 and counts a session of the backend balanced to
 * that server (the backend's lbtot and the server's, not the server's
 * stot) that failed to connect.  Lock held.
 */
void
stats_count_queue_full(struct hp_conn *c, struct hp_server *s)
{
	struct hp_backend *be = c->cn_be;

	be->b_tot++;
	rate_hit(&be->b_rate, mono_usec() / 1000);
	if (c->cn_direct)
		be->b_direct++;
	else
		s->s_qlb++;
	s->s_econ++;
	be->b_econ++;
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
