/* SPDX-License-Identifier: ISC */
/*
 * dhcpsync: replicate DHCP leases between two servers over any byte
 * stream.  Options, then the one-shot commands (check, convert), else the
 * daemon: state, lease file, peer link, control socket, ready, loop.
 */
#include <errno.h>
#include <fcntl.h>
#include <event2/event.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "args.h"
#include "atomicfile.h"
#include "ctlsock.h"
#include "dhcpsync.h"
#include "duration.h"
#include "evline.h"
#include "hatools.h"
#include "journal.h"
#include "log.h"
#include "notify.h"
#include "oneshot.h"
#include "signals.h"

static void
signal_cb(evutil_socket_t sig, short what, void *arg)
{
	struct ds *ds = arg;

	switch (sig) {
	case SIGTERM:
	case SIGINT:
		log_info("stopping");
		notify_stopping();
		ds->ds_exit = ds->ds_once ? 1 : 0;
		event_base_loopexit(ds->ds_base, NULL);
		break;
	case SIGHUP:
		log_info("SIGHUP: nothing to reload");
		break;
	case SIGUSR1:
		log_info("leases=%zu peer=%s sent=%" PRIu64 " acked=%" PRIu64
		    " received=%" PRIu64, ds->ds_tab.t_n, ds->ds_sess.se_hello ?
		    "up" : "down", ds->ds_sess.se_sent,
		    ds->ds_sess.se_peer_acked, ds->ds_store.so_ack);
		break;
	}
}

static void
tick_cb(evutil_socket_t fd, short what, void *arg)
{
	session_tick(arg);
}

static void
timeout_cb(evutil_socket_t fd, short what, void *arg)
{
	struct ds *ds = arg;

	log_warnx("wait-synced: not synced within the timeout");
	ds->ds_exit = 1;
	event_base_loopexit(ds->ds_base, NULL);
}

/*
 * --hello-timeout: a peer that takes the connection and says nothing is
 * frozen or gone; waiting out --timeout for it only keeps dhcpd down.
 */
static void
hello_timeout_cb(evutil_socket_t fd, short what, void *arg)
{
	struct ds *ds = arg;

	if (ds->ds_sess.se_hello)
		return;
	log_warnx("wait-synced: the peer did not answer within the hello "
	    "timeout");
	ds->ds_exit = 1;
	event_base_loopexit(ds->ds_base, NULL);
}

/*
 * The lease file is ours alone, or another dhcpsync keeps it: then
 * wait-synced waits for that one to be synced, anything else refuses.
 * -1 to go on; otherwise the exit status.
 */
static int
main_lock(struct ds *ds)
{
	long pid;

	switch (lock_take(&ds->ds_store, &pid)) {
	case 0:
		return -1;
	case 1:
		break;
	default:
		return EXIT_RUNTIME;
	}
	if (!ds->ds_once) {
		log_warnx("%s: dhcpsync (pid %ld) keeps it already: two would "
		    "undo each other's writes", ds->ds_leases, pid);
		return EXIT_RUNTIME;
	}
	switch (lock_wait_holder(&ds->ds_store, ds->ds_timeout_usec,
	    ds->ds_hello_usec, pid)) {
	case 0:
		return EXIT_CLEAN;
	case 1:
		return -1;
	default:
		return EXIT_RUNTIME;
	}
}

static int
run(struct ds *ds, const char *pidfile)
{
	struct link *li = &ds->ds_link;
	static const int sigs[] = { SIGTERM, SIGINT, SIGHUP, SIGUSR1, 0 };
	static struct signals sg;	/* till exit, as before */
	struct timeval one = { 1, 0 }, tv;
	struct event_config *cfg;
	int rc;

	signals_ignore();
	/* a lease break while we probe (follow_server_running) is no news */
	signal(SIGIO, SIG_IGN);
	wire_parts(ds);
	if (ds->ds_mode != DS_SEND && (rc = main_lock(ds)) != -1)
		return rc;
	if (store_state_load(&ds->ds_store) == -1)
		return EXIT_RUNTIME;
	/* a commit before any HELLO keeps it */
	ds->ds_store.so_rx = ds->ds_store.so_ack;
	if (table_init(&ds->ds_tab) == -1 || (cfg = event_config_new()) == NULL)
		fatal(EXIT_RUNTIME, "init");
	ds->ds_tab.t_max = ds->ds_max_leases;
	/* stdin/stdout may be plain files, which epoll refuses; poll takes them */
	if (ds->ds_stdio)
		event_config_avoid_method(cfg, "epoll");
	if ((ds->ds_base = event_base_new_with_config(cfg)) == NULL)
		fatal(EXIT_RUNTIME, "event base");
	event_config_free(cfg);
	/*
	 * The protocol keeps stdout and event lines move to stderr before
	 * the first lease is read: reading may report (skipped ...).
	 */
	ds->ds_ofd = -1;
	if (ds->ds_stdio && ds->ds_mode != DS_RECV &&
	    ((ds->ds_ofd = fcntl(1, F_DUPFD_CLOEXEC, 3)) == -1 ||
	    dup2(2, 1) == -1))
		fatal(EXIT_RUNTIME, "stdout");
	wire_loop(ds);
	if (store_init(&ds->ds_store, ds->ds_base, wire_committed,
	    &ds->ds_sess) == -1 ||
	    follow_init(&ds->ds_follow, ds->ds_base, wire_changed,
	    &ds->ds_sess) == -1)
		return EXIT_RUNTIME;
	/* records held by an earlier run: in now, unless dhcpd runs */
	if (ds->ds_fmt == DS_FMT_DHCPD && ds->ds_mode != DS_SEND) {
		if (journal_load(&ds->ds_store) == -1)
			return EXIT_RUNTIME;
		store_server_closed(&ds->ds_store);
	}
	log_info("%s: %zu leases", ds->ds_leases, ds->ds_tab.t_n);
	if (control_init(ds) == -1 || metrics_init(ds) == -1 ||
	    user_drop(&ds->ds_store, ds->ds_user) == -1 ||
	    transport_start(&ds->ds_link) == -1)
		return EXIT_RUNTIME;
	if (signals_set(&sg, ds->ds_base, sigs, signal_cb, ds) == -1)
		fatal(EXIT_RUNTIME, "signal");
	ds->ds_tick_ev = event_new(ds->ds_base, -1, EV_PERSIST, tick_cb,
	    &ds->ds_sess);
	event_add(ds->ds_tick_ev, &one);
	if (ds->ds_once && ds->ds_timeout_usec) {
		tv = duration_tv(ds->ds_timeout_usec);
		ds->ds_timeout_ev = evtimer_new(ds->ds_base, timeout_cb, ds);
		evtimer_add(ds->ds_timeout_ev, &tv);
	}
	if (ds->ds_once && ds->ds_hello_usec) {
		tv = duration_tv(ds->ds_hello_usec);
		ds->ds_hello_ev = evtimer_new(ds->ds_base, hello_timeout_cb,
		    ds);
		evtimer_add(ds->ds_hello_ev, &tv);
	}
	if (pidfile && pidfile_write(pidfile) == -1)
		fatal(EXIT_RUNTIME, "%s", pidfile);
	notify_ready(ds->ds_readyfd);
	notify_status("%zu leases", ds->ds_tab.t_n);
	ds->ds_exit = ds->ds_once ? 1 : 0;
	event_base_dispatch(ds->ds_base);
	ctlsock_close(ds->ds_ctl);
	metrics_close(ds);
	if (li->li_lst != NULL)
		(void)unlink(ds->ds_listen);	/* nobody answers there now */
	if (store_stop(&ds->ds_store) == -1)
		ds->ds_exit = EXIT_RUNTIME;
	if (li->li_child > 0)
		transport_down(li);
	return ds->ds_exit;
}

int
main(int argc, char **argv)
{
	static struct ds ds;
	struct ds_args a;
	int rc;

	log_init("dhcpsync", 0);
	if ((rc = args_parse(argc, argv, &ds, &a)) != -1)
		return rc;
	opt_daemon_log(&a.a_d, "dhcpsync");
	if (a.a_cmd && strcmp(a.a_cmd, "check") == 0)
		return oneshot_check(a.a_argc, a.a_argv);
	if (a.a_cmd && strcmp(a.a_cmd, "convert") == 0)
		return oneshot_convert(a.a_argc, a.a_argv, a.a_to,
		    a.a_subnet ? a.a_subnet : 1);
	if ((rc = args_daemon(&ds, &a)) != -1)
		return rc;
	return run(&ds, a.a_d.od_pidfile);
}
