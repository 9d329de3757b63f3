/* SPDX-License-Identifier: ISC */
/*
 * What each part works on besides its own state: the options it acts
 * by, the parts it reads or drives, and the callbacks by which one part
 * tells another (a commit's result, more to send, a session's end)
 * without calling into it.  Set once, by main.c and by the harnesses
 * that run a part without main.
 */
#include "dhcpsync.h"

/* store.c's commit is done: the session may acknowledge it */
void
wire_committed(void *arg, int result)
{
	session_committed(arg, result);
}

/* the follower read more of the file: the session may send it */
void
wire_changed(void *arg)
{
	session_send_more(arg);
}

/* the session ended: the link goes down (and comes up again) */
static void
wire_down(void *arg)
{
	transport_down(arg);
}

void
wire_parts(struct ds *ds)
{
	struct store *so = &ds->ds_store;
	struct follower *fo = &ds->ds_follow;
	struct session *se = &ds->ds_sess;
	struct link *li = &ds->ds_link;

	so->so_leases = ds->ds_leases;
	so->so_state = ds->ds_state;
	so->so_fmt = ds->ds_fmt;
	so->so_mode = ds->ds_mode;
	so->so_retry_usec = ds->ds_retry_usec;
	so->so_tab = &ds->ds_tab;
	so->so_fo = &ds->ds_follow;
	so->so_count = &ds->ds_count;
	fo->fo_leases = ds->ds_leases;
	fo->fo_fmt = ds->ds_fmt;
	fo->fo_mode = ds->ds_mode;
	fo->fo_tab = &ds->ds_tab;
	fo->fo_so = &ds->ds_store;
	fo->fo_count = &ds->ds_count;
	se->se_leases = ds->ds_leases;
	se->se_fmt = ds->ds_fmt;
	se->se_mode = ds->ds_mode;
	se->se_stdio = ds->ds_stdio;
	se->se_once = ds->ds_once;
	se->se_kea = ds->ds_kea;
	se->se_kea_subnet = ds->ds_kea_subnet;
	se->se_max_skew = ds->ds_max_skew;
	se->se_subnets = &ds->ds_subnets;
	se->se_tab = &ds->ds_tab;
	se->se_so = &ds->ds_store;
	se->se_fo = &ds->ds_follow;
	se->se_count = &ds->ds_count;
	se->se_exit = &ds->ds_exit;
	se->se_down = wire_down;
	se->se_down_arg = &ds->ds_link;
	li->li_peercmd = ds->ds_peercmd;
	li->li_listen = ds->ds_listen;
	li->li_connect = ds->ds_connect;
	li->li_stdio = ds->ds_stdio;
	li->li_mode = ds->ds_mode;
	li->li_retry_usec = ds->ds_retry_usec;
	li->li_se = &ds->ds_sess;
	li->li_so = &ds->ds_store;
	li->li_count = &ds->ds_count;
}

/* Once the loop (and, on stdio, the protocol's stdout) exists. */
void
wire_loop(struct ds *ds)
{
	ds->ds_sess.se_base = ds->ds_base;
	ds->ds_link.li_base = ds->ds_base;
	ds->ds_link.li_ofd = ds->ds_ofd;
}
