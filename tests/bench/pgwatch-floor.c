/* SPDX-License-Identifier: ISC */
/*
 * The floor for pgwatch's benchmark: the least a libpq program can do to
 * ask every host one question at once.  Non-blocking connects, poll(2),
 * "select pg_is_in_recovery()", nothing else.  argv: conninfo strings.
 */
#include <poll.h>
#include <stdio.h>
#include <string.h>

#include <libpq-fe.h>

#define FLOOR_MAX	16

int
main(int argc, char *argv[])
{
	PGconn *c[FLOOR_MAX];
	PostgresPollingStatusType st[FLOOR_MAX];
	int sent[FLOOR_MAX], done[FLOOR_MAX], i, n = argc - 1, left, bad = 0;
	struct pollfd pfd[FLOOR_MAX];
	PGresult *r;

	if (n < 1 || n > FLOOR_MAX)
		return 2;
	for (i = 0; i < n; i++) {
		c[i] = PQconnectStart(argv[i + 1]);
		st[i] = PGRES_POLLING_WRITING;
		sent[i] = done[i] = 0;
		if (c[i] == NULL || PQstatus(c[i]) == CONNECTION_BAD)
			return 1;
	}
	for (left = n; left > 0;) {
		for (i = 0; i < n; i++) {
			pfd[i].fd = done[i] ? -1 : PQsocket(c[i]);
			pfd[i].events = !sent[i] &&
			    st[i] == PGRES_POLLING_WRITING ? POLLOUT : POLLIN;
		}
		if (poll(pfd, (nfds_t)n, 5000) <= 0)
			return 1;
		for (i = 0; i < n; i++) {
			if (done[i] || pfd[i].revents == 0)
				continue;
			if (!sent[i]) {
				st[i] = PQconnectPoll(c[i]);
				if (st[i] == PGRES_POLLING_FAILED)
					return 1;
				if (st[i] == PGRES_POLLING_OK) {
					PQsendQuery(c[i],
					    "select pg_is_in_recovery()");
					sent[i] = 1;
				}
				continue;
			}
			PQconsumeInput(c[i]);
			while (!PQisBusy(c[i]) &&
			    (r = PQgetResult(c[i])) != NULL) {
				if (PQresultStatus(r) == PGRES_TUPLES_OK)
					printf("%s %s\n", argv[i + 1],
					    PQgetvalue(r, 0, 0));
				else
					bad = 1;
				PQclear(r);
			}
			if (!PQisBusy(c[i])) {
				done[i] = 1;
				left--;
			}
		}
	}
	for (i = 0; i < n; i++)
		PQfinish(c[i]);
	return bad;
}
