/* SPDX-License-Identifier: ISC */
/*
 * Async libpq, after libpq.sgml's "Connecting": after PQconnectStartParams
 * wait for the socket to be writable, call PQconnectPoll, and wait for
 * whatever it asks next, until OK or FAILED.  The socket may change between
 * calls (multi-host lists, SSL/GSS fallback), so the event is re-armed with
 * PQsocket() every time.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pgconn.h"
#include "duration.h"
#include "errbuf.h"
#include "log.h"
#include "sample.h"

static void conn_io(evutil_socket_t, short, void *);
static void conn_timeout(evutil_socket_t, short, void *);

int
conn_init(struct host *h, struct event_base *base, const char *conninfo,
    int *has_password, char *err, size_t errlen)
{
	PQconninfoOption *opts, *o;
	const char *host = NULL, *hostaddr = NULL, *port = NULL;
	char *perr = NULL;

	memset(h, 0, sizeof(*h));
	h->h_conninfo = conninfo;
	h->h_base = base;
	*has_password = 0;
	if ((opts = PQconninfoParse(conninfo, &perr)) == NULL) {
		snprintf(err, errlen, "%s", perr ? perr : "out of memory");
		if (perr)
			PQfreemem(perr);
		err[strcspn(err, "\n")] = '\0';
		return -1;
	}
	for (o = opts; o->keyword; o++) {
		if (o->val == NULL || *o->val == '\0')
			continue;
		if (strcmp(o->keyword, "host") == 0)
			host = o->val;
		else if (strcmp(o->keyword, "hostaddr") == 0)
			hostaddr = o->val;
		else if (strcmp(o->keyword, "port") == 0)
			port = o->val;
		else if (strcmp(o->keyword, "password") == 0)
			*has_password = 1;
	}
	/* What libpq would pick: PG* variables, then its defaults. */
	if (host == NULL)
		host = hostaddr ? hostaddr : getenv("PGHOST");
	if (host == NULL || *host == '\0')
		host = getenv("PGHOSTADDR");
	if (host == NULL || *host == '\0')
		host = "localhost";
	if (port == NULL)
		port = getenv("PGPORT");
	if (port == NULL || *port == '\0')
		port = "5432";
	snprintf(h->h_name, sizeof(h->h_name), "%s:%s", host, port);
	PQconninfoFree(opts);
	h->h_io = event_new(base, -1, 0, conn_io, h);
	h->h_timer = evtimer_new(base, conn_timeout, h);
	if (h->h_io == NULL || h->h_timer == NULL)
		return errbuf_set(err, errlen, "out of memory");
	return 0;
}

static void
conn_deadline(struct host *h, uint64_t usec)
{
	struct timeval tv = duration_tv(usec);

	evtimer_add(h->h_timer, &tv);
}

void
conn_close(struct host *h)
{
	event_del(h->h_io);
	evtimer_del(h->h_timer);
	if (h->h_conn)
		PQfinish(h->h_conn);
	h->h_conn = NULL;
	h->h_state = CONN_CLOSED;
}

void
conn_free(struct host *h)
{
	conn_close(h);
	if (h->h_io)
		event_free(h->h_io);
	if (h->h_timer)
		event_free(h->h_timer);
	h->h_io = h->h_timer = NULL;
}

/* The host fell: record why, drop the connection, tell the owner. */
static void
conn_fail(struct host *h, const char *reason, const char *msg)
{
	sample_down(&h->h_sample, reason ? reason : sample_reason(msg), msg);
	h->h_sampled = mono_usec();
	conn_close(h);
	h->h_done(h, h->h_arg);
}

static void
conn_wait(struct host *h, short what)
{
	int fd = PQsocket(h->h_conn);

	if (fd < 0) {
		conn_fail(h, NULL, PQerrorMessage(h->h_conn));
		return;
	}
	event_del(h->h_io);
	event_assign(h->h_io, h->h_base, fd, what, conn_io, h);
	event_add(h->h_io, NULL);
}

/* Server notices (e.g. FATAL before a shutdown) go to the debug log. */
static void
conn_notice(void *arg, const char *msg)
{
	struct host *h = arg;

	log_debug("%s: server says: %.*s", h->h_name,
	    (int)strcspn(msg, "\n"), msg);
}

static void
conn_connect(struct host *h)
{
	const char *kw[] = { "dbname", "fallback_application_name", NULL };
	const char *val[] = { h->h_conninfo, "pgwatch", NULL };

	h->h_conn = PQconnectStartParams(kw, val, 1);
	if (h->h_conn == NULL) {
		conn_fail(h, "nomem", "out of memory");
		return;
	}
	if (PQstatus(h->h_conn) == CONNECTION_BAD) {
		conn_fail(h, NULL, PQerrorMessage(h->h_conn));
		return;
	}
	PQsetnonblocking(h->h_conn, 1);
	PQsetNoticeProcessor(h->h_conn, conn_notice, h);
	h->h_state = CONN_CONNECTING;
	conn_deadline(h, h->h_connect_to);
	conn_wait(h, EV_WRITE);
}

static void
conn_send(struct host *h)
{
	int r;

	evtimer_del(h->h_timer);
	if (!PQsendQuery(h->h_conn, sample_query)) {
		conn_fail(h, NULL, PQerrorMessage(h->h_conn));
		return;
	}
	h->h_state = CONN_QUERYING;
	h->h_answered = 0;
	conn_deadline(h, h->h_query_to);
	if ((r = PQflush(h->h_conn)) == -1)
		conn_fail(h, NULL, PQerrorMessage(h->h_conn));
	else
		conn_wait(h, r == 1 ? EV_READ | EV_WRITE : EV_READ);
}

void
conn_sample(struct host *h)
{
	h->h_started = mono_usec();
	if (h->h_state == CONN_OPEN)
		conn_send(h);
	else if (h->h_state == CONN_CLOSED)
		conn_connect(h);
}

static void
conn_poll(struct host *h)
{
	switch (PQconnectPoll(h->h_conn)) {
	case PGRES_POLLING_READING:
		conn_wait(h, EV_READ);
		break;
	case PGRES_POLLING_WRITING:
		conn_wait(h, EV_WRITE);
		break;
	case PGRES_POLLING_OK:
		conn_send(h);
		break;
	default:
		conn_fail(h, NULL, PQerrorMessage(h->h_conn));
		break;
	}
}

/*
 * Takes the query's one row; every result is drained before reuse.  The
 * first result may come in one read and the end of the answer in a later
 * one: what it said is kept in h_answer until then.
 */
static void
conn_result(struct host *h)
{
	const char *col[SAMPLE_NCOLS + 1];
	char err[160], msg[200];
	struct sample *s = &h->h_answer;
	PGresult *res;
	int i, n;

	while (!PQisBusy(h->h_conn)) {
		if ((res = PQgetResult(h->h_conn)) == NULL)
			break;
		if (!h->h_answered && PQresultStatus(res) == PGRES_TUPLES_OK &&
		    PQntuples(res) == 1) {
			n = PQnfields(res);
			for (i = 0; i < n && i <= SAMPLE_NCOLS; i++)
				col[i] = PQgetisnull(res, 0, i) ? NULL :
				    PQgetvalue(res, 0, i);
			if (sample_parse(col, n, s, err, sizeof(err)) == -1) {
				snprintf(msg, sizeof(msg), "answer: %s", err);
				sample_down(s, "query", msg);
			}
			h->h_answered = 1;
		} else if (!h->h_answered) {
			sample_down(s, "query", PQresultErrorMessage(res));
			h->h_answered = 1;
		}
		PQclear(res);
	}
	if (PQisBusy(h->h_conn)) {
		/* Still owed an answer; keep writing if the query is not out. */
		if ((i = PQflush(h->h_conn)) == -1)
			conn_fail(h, NULL, PQerrorMessage(h->h_conn));
		else
			conn_wait(h, i == 1 ? EV_READ | EV_WRITE : EV_READ);
		return;
	}
	evtimer_del(h->h_timer);
	if (!h->h_answered)
		sample_down(s, "query", "no result");
	if (!s->s_up) {
		conn_fail(h, s->s_reason, s->s_msg);
		return;
	}
	h->h_sample = *s;
	h->h_sampled = mono_usec();
	if (h->h_keep) {
		h->h_state = CONN_OPEN;
		conn_wait(h, EV_READ | EV_PERSIST);
	} else
		conn_close(h);
	h->h_done(h, h->h_arg);
}

static void
conn_io(evutil_socket_t fd, short what, void *arg)
{
	struct host *h = arg;
	int r;

	switch (h->h_state) {
	case CONN_CONNECTING:
		conn_poll(h);
		break;
	case CONN_QUERYING:
		if (what & EV_WRITE) {
			if ((r = PQflush(h->h_conn)) == -1) {
				conn_fail(h, NULL, PQerrorMessage(h->h_conn));
				return;
			}
			if (r == 1) {
				conn_wait(h, EV_READ | EV_WRITE);
				return;
			}
		}
		if (!PQconsumeInput(h->h_conn)) {
			conn_fail(h, NULL, PQerrorMessage(h->h_conn));
			return;
		}
		conn_result(h);
		break;
	case CONN_OPEN:
		/* Idle: anything readable is a notice or the end. */
		if (!PQconsumeInput(h->h_conn) ||
		    PQstatus(h->h_conn) == CONNECTION_BAD) {
			conn_fail(h, "closed", PQerrorMessage(h->h_conn));
			return;
		}
		while (!PQisBusy(h->h_conn)) {
			PGresult *res = PQgetResult(h->h_conn);

			if (res == NULL)
				break;
			PQclear(res);
		}
		break;
	default:
		event_del(h->h_io);
		break;
	}
}

static void
conn_timeout(evutil_socket_t fd, short what, void *arg)
{
	struct host *h = arg;
	char msg[128], d[32];

	snprintf(msg, sizeof(msg), "no answer to the %s within %s",
	    h->h_state == CONN_CONNECTING ? "connection" : "query",
	    duration_format(h->h_state == CONN_CONNECTING ? h->h_connect_to :
	    h->h_query_to, d, sizeof(d)));
	conn_fail(h, "timeout", msg);
}
