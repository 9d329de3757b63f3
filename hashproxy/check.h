/*
 * Between check.c (scheduling, connections, rise/fall) and the protocol
 * files: check-tcp.c (tcp-check rules, and the pgsql, mysql and redis
 * checks written as rules, as haproxy does) and check-http.c (option
 * httpchk and http-check expect).  All run in the main thread under the
 * context's lock.
 */
#ifndef HP_CHECK_H
#define HP_CHECK_H

#include "hashproxy.h"

/* haproxy's tune.bufsize: what a check reads at most */
#define CHECK_MAXBUF	16384

/* Ends the running check: ok, haproxy's status word, code, description. */
void	check_done(struct hp_server *, int ok, const char *status, int code,
	    const char *desc);
/* (Re)connects the check to port (0: the check port or the server's). */
int	check_connect(struct hp_server *, int port);

/* check-tcp.c */
int	tcpcheck_build(struct hp_server *);
void	tcpcheck_run(struct hp_server *);
void	tcpcheck_step(struct hp_server *);
void	tcpcheck_error(struct hp_server *, short what);

/* check-http.c */
void	httpcheck_send(struct hp_server *);
void	httpcheck_read(struct hp_server *, int eof);

/* check-match.c: the expect matchers both share */
int	check_match(const struct cf_chkrule *, const unsigned char *buf,
	    size_t len);
int	check_status_in(const char *list, int code);

#endif
